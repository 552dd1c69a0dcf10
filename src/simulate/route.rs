//! Concrete telemetry through the deployment's collectors: the same route the data map
//! follows (entry pipelines, processors in order, connectors, exporters, a further
//! collector when an exporter targets one), run on real records.

use crate::analysis::destination::classify;
use crate::analysis::endpoint::HostPort;
use crate::analysis::reach::{Transport, collectors_for};
use crate::analysis::walk::{LoadedCollector, entry_pipelines};
use crate::collector::{Kind, Signal};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::otlp::Telemetry;

use super::{ProcessorType, SimError, simulate_pipeline};

/// What one destination receives.
#[derive(Debug, Clone, PartialEq)]
pub struct Received {
    /// Destination id, as the data map names it.
    pub id: String,
    /// The hops on the way.
    pub route: Vec<String>,
    /// The telemetry, as the exporter would send it.
    pub data: Telemetry,
}

/// Runs `data` through the collector at index `entry` and on through the collectors its
/// exporters reach. Parts the engine cannot run are reported and contribute nothing.
pub fn route(
    collectors: &[LoadedCollector],
    entry: usize,
    data: Telemetry,
    diags: &mut Diagnostics,
) -> Vec<Received> {
    let Some(signal) = Signal::parse(data.signal()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let name = &collectors[entry].spec.name;
    for pi in entry_pipelines(&collectors[entry].graph, signal) {
        run(
            collectors,
            entry,
            pi,
            data.clone(),
            vec![format!("collector {name}")],
            &mut Vec::new(),
            diags,
            &mut out,
        );
    }
    merge(out)
}

#[allow(clippy::too_many_arguments)]
fn run(
    collectors: &[LoadedCollector],
    ci: usize,
    pi: usize,
    data: Telemetry,
    route: Vec<String>,
    visited: &mut Vec<(usize, usize)>,
    diags: &mut Diagnostics,
    out: &mut Vec<Received>,
) {
    if visited.contains(&(ci, pi)) {
        return;
    }
    visited.push((ci, pi));
    let c = &collectors[ci];
    let pipeline = &c.graph.pipelines[pi];
    let mut data = data;
    for r in &pipeline.processors.refs {
        let Some(p) = c.graph.component(Kind::Processor, &r.id) else {
            continue;
        };
        let kind = ProcessorType::from_type_name(p.normalised_type());
        match simulate_pipeline(&[(kind, &p.config)], data) {
            Ok(next) => data = next,
            Err(err) => {
                let span = match &err {
                    SimError::NotModelled { span, .. } => span.unwrap_or(r.span),
                    SimError::Config { span, .. } => *span,
                    SimError::Dropped { span, .. } => span.unwrap_or(r.span),
                };
                diags.push(
                    Diagnostic::new(Code::SimulationIncomplete, format!("pipeline `{}` of collector `{}`: {err}", pipeline.id, c.spec.name))
                        .at(span)
                        .hint("`otel-dpia analyze` still covers this pipeline soundly; the simulation shows nothing past this processor"),
                );
                return;
            }
        }
    }
    for e in &pipeline.exporters.refs {
        if let Some(connector) = c.graph.component(Kind::Connector, &e.id) {
            let same_signal = matches!(
                connector.normalised_type(),
                "forward" | "routing" | "failover" | "roundrobin"
            );
            for &to in c.edges.targets(&e.id, pi) {
                if same_signal && c.graph.pipelines[to].id.signal == pipeline.id.signal {
                    let mut r = route.clone();
                    r.push(format!("connector {}", connector.id));
                    run(collectors, ci, to, data.clone(), r, visited, diags, out);
                } else {
                    diags.push(
                        Diagnostic::new(Code::SimulationIncomplete, format!("connector `{}` derives new telemetry, which the simulation does not produce", connector.id))
                            .at(connector.span),
                    );
                }
            }
        } else if let Some(exporter) = c.graph.component(Kind::Exporter, &e.id) {
            let target = classify(
                exporter.normalised_type(),
                &exporter.config,
                pipeline.id.signal.as_str(),
            );
            if target.discards {
                continue;
            }
            let mut r = route.clone();
            let id = if collectors.len() > 1 {
                format!("{}:{}", c.spec.name, exporter.id)
            } else {
                exporter.id.to_string()
            };
            r.push(id.clone());
            let transport = Transport::of_exporter(exporter.normalised_type());
            let next: Vec<usize> = target
                .host
                .as_ref()
                .map(|hp: &HostPort| collectors_for(collectors, hp, transport))
                .unwrap_or_default()
                .into_iter()
                .map(|r| r.collector)
                .filter(|n| *n != ci)
                .collect();
            if next.is_empty() {
                out.push(Received {
                    id,
                    route: r,
                    data: data.clone(),
                });
                continue;
            }
            for n in next {
                let mut r = r.clone();
                r.push(format!("collector {}", collectors[n].spec.name));
                for npi in entry_pipelines(&collectors[n].graph, pipeline.id.signal) {
                    run(
                        collectors,
                        n,
                        npi,
                        data.clone(),
                        r.clone(),
                        visited,
                        diags,
                        out,
                    );
                }
            }
        }
    }
    visited.pop();
}

/// One entry per destination: the batches of several routes are put side by side.
fn merge(received: Vec<Received>) -> Vec<Received> {
    let mut out: Vec<Received> = Vec::new();
    for r in received {
        match out.iter_mut().find(|o| o.id == r.id) {
            Some(o) => append(&mut o.data, r.data),
            None => out.push(r),
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

fn append(into: &mut Telemetry, more: Telemetry) {
    match (into, more) {
        (Telemetry::Logs(a), Telemetry::Logs(b)) => a.extend(b),
        (Telemetry::Metrics(a), Telemetry::Metrics(b)) => a.extend(b),
        (Telemetry::Traces(a), Telemetry::Traces(b)) => a.extend(b),
        _ => {}
    }
}
