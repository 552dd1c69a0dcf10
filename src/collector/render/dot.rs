//! The graph as a Graphviz digraph: one cluster per collector; receivers, exporters and
//! connectors are shared nodes, each pipeline has its own processor instances (as in the
//! collector), and edges are labelled with the pipeline that carries the data.

use std::fmt::Write as _;

use crate::collector::fields::{Shown, destination_fields};
use crate::collector::id::ComponentId;
use crate::collector::model::{Collector, Kind, Pipeline, RefList};

/// Renders every collector as one digraph.
pub fn dot(collectors: &[Collector]) -> String {
    let mut out =
        String::from("digraph \"otel-dpia\" {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n");
    for (i, c) in collectors.iter().enumerate() {
        cluster(i, c, &mut out);
    }
    out.push_str("}\n");
    out
}

fn quote(text: &str) -> String {
    format!(
        "\"{}\"",
        text.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', "\\n")
    )
}

/// Node id of a shared component (receiver, exporter, connector).
fn shared(ci: usize, kind: Kind, id: &ComponentId) -> String {
    quote(&format!("{ci}/{}/{id}", kind.word()))
}

fn cluster(ci: usize, c: &Collector, out: &mut String) {
    let _ = writeln!(out, "  subgraph {} {{", quote(&format!("cluster_{ci}")));
    let _ = writeln!(
        out,
        "    label={};",
        quote(&format!("collector {}", c.name))
    );
    for comp in &c.components {
        let shape = match comp.kind {
            Kind::Receiver => "box",
            Kind::Exporter => "box",
            Kind::Connector => "diamond",
            Kind::Processor | Kind::Extension => continue,
        };
        let mut label = comp.id.to_string();
        if comp.kind == Kind::Exporter {
            for f in destination_fields(&comp.config) {
                if f.value != Shown::Redacted {
                    let _ = write!(label, "\n{}: {}", f.path, f.value);
                }
            }
        }
        let _ = writeln!(
            out,
            "    {} [label={}, shape={shape}];",
            shared(ci, comp.kind, &comp.id),
            quote(&label)
        );
    }
    let mut edges = Vec::new();
    for p in &c.pipelines {
        pipeline(ci, c, p, out, &mut edges);
    }
    for e in edges {
        let _ = writeln!(out, "    {e}");
    }
    out.push_str("  }\n");
}

fn pipeline(ci: usize, c: &Collector, p: &Pipeline, out: &mut String, edges: &mut Vec<String>) {
    let label = quote(&p.id.to_string());
    let sources = endpoints(ci, c, p, &p.receivers, Kind::Receiver, "receivers", out);
    let sinks = endpoints(ci, c, p, &p.exporters, Kind::Exporter, "exporters", out);
    let mut chain: Vec<String> = Vec::new();
    for r in &p.processors.refs {
        let node = quote(&format!("{ci}/{}/processor/{}", p.id, r.id));
        let _ = writeln!(
            out,
            "    {node} [label={}, shape=ellipse];",
            quote(&r.id.to_string())
        );
        chain.push(node);
    }
    if let Some(u) = &p.processors.unknown {
        let node = quote(&format!("{ci}/{}/processor/unknown", p.id));
        let _ = writeln!(
            out,
            "    {node} [label={}, shape=ellipse, style=dashed];",
            quote(&format!("<unknown: {}>", u.reason))
        );
        chain.push(node);
    }
    // Receivers → each processor in order → exporters; with no processors, straight through.
    let stages: Vec<Vec<String>> = std::iter::once(sources)
        .chain(chain.into_iter().map(|n| vec![n]))
        .chain(std::iter::once(sinks))
        .collect();
    for pair in stages.windows(2) {
        for from in &pair[0] {
            for to in &pair[1] {
                let edge = format!("{from} -> {to} [label={label}];");
                if !edges.contains(&edge) {
                    edges.push(edge);
                }
            }
        }
    }
}

/// The nodes a pipeline list refers to; a connector is its shared connector node, and an
/// unknown part of the list gets a dashed node of its own.
fn endpoints(
    ci: usize,
    c: &Collector,
    p: &Pipeline,
    list: &RefList,
    kind: Kind,
    side: &str,
    out: &mut String,
) -> Vec<String> {
    let mut nodes: Vec<String> = list
        .refs
        .iter()
        .map(|r| {
            let k = if c.component(Kind::Connector, &r.id).is_some() {
                Kind::Connector
            } else {
                kind
            };
            shared(ci, k, &r.id)
        })
        .collect();
    if let Some(u) = &list.unknown {
        let node = quote(&format!("{ci}/{}/{side}/unknown", p.id));
        let _ = writeln!(
            out,
            "    {node} [label={}, shape=box, style=dashed];",
            quote(&format!("<unknown: {}>", u.reason))
        );
        nodes.push(node);
    }
    nodes
}
