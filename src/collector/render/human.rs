//! The graph as readable text: per collector, each pipeline's receivers → processors →
//! exporters, the connectors that join pipelines, and where each exporter sends data.

use std::fmt::Write as _;

use super::ref_list_text;
use crate::collector::fields::destination_fields;
use crate::collector::model::{Collector, Kind};
use crate::files::Files;

/// Renders every collector.
pub fn human(collectors: &[Collector], files: &Files) -> String {
    collectors
        .iter()
        .map(|c| collector(c, files))
        .collect::<Vec<_>>()
        .join("\n")
}

fn collector(c: &Collector, files: &Files) -> String {
    let names: Vec<&str> = c
        .files
        .iter()
        .map(|f| files.get(*f).display.as_str())
        .collect();
    let mut out = format!("collector `{}`: {}\n", c.name, names.join(", "));
    if c.fragment {
        out.push_str("  (a fragment: no `service` section, so no pipelines run)\n");
    }
    for (kind, u) in &c.unknown_sections {
        let _ = writeln!(out, "  {}: <unknown: {}>", kind.section(), u.reason);
    }
    if let Some(u) = &c.pipelines_unknown {
        let _ = writeln!(
            out,
            "  pipelines: <unknown: {}>  ({})",
            u.reason,
            files.cite(u.span)
        );
    }
    for p in &c.pipelines {
        let _ = writeln!(out, "\n  pipeline `{}`  ({})", p.id, files.cite(p.span));
        let _ = writeln!(out, "    receivers:  {}", ref_list_text(&p.receivers, ", "));
        let _ = writeln!(
            out,
            "    processors: {}",
            ref_list_text(&p.processors, " → ")
        );
        let _ = writeln!(out, "    exporters:  {}", ref_list_text(&p.exporters, ", "));
    }
    connectors(c, &mut out);
    exporters(c, files, &mut out);
    if c.fragment {
        fragment_components(c, files, &mut out);
    }
    out
}

fn connectors(c: &Collector, out: &mut String) {
    let edges = c.connector_edges();
    if edges.is_empty() {
        return;
    }
    out.push_str("\n  connectors:\n");
    for e in edges {
        let (from, to) = (&c.pipelines[e.from].id, &c.pipelines[e.to].id);
        let _ = writeln!(out, "    {}: {from} → {to}", e.connector);
    }
}

fn exporters(c: &Collector, files: &Files, out: &mut String) {
    let mut exporters = c.of_kind(Kind::Exporter).peekable();
    if exporters.peek().is_none() {
        return;
    }
    out.push_str("\n  exporters:\n");
    for e in exporters {
        let alias = if e.normalised_type() == e.id.type_ {
            String::new()
        } else {
            format!(" ({})", e.normalised_type())
        };
        let _ = writeln!(out, "    {}{alias}  ({})", e.id, files.cite(e.span));
        for f in destination_fields(&e.config) {
            let _ = writeln!(out, "      {}: {}", f.path, f.value);
        }
    }
}

fn fragment_components(c: &Collector, files: &Files, out: &mut String) {
    for kind in Kind::ALL {
        if kind == Kind::Exporter || c.of_kind(kind).next().is_none() {
            continue;
        }
        let _ = writeln!(out, "\n  {}:", kind.section());
        for comp in c.of_kind(kind) {
            let _ = writeln!(out, "    {}  ({})", comp.id, files.cite(comp.span));
        }
    }
}
