//! Connectors: which signal pairs each type supports, and the collector's rules for using
//! them: an id may not also name an exporter or receiver, a connector must be used on both
//! sides with a supported pair, and connectors may not join pipelines into a cycle.

use std::collections::BTreeSet;

use super::id::Signal::{self, Logs, Metrics, Profiles, Traces};
use super::model::{Collector, Component, ConnectorEdge, Kind};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::files::Span;

/// Supported (exporter-side signal, receiver-side signal) pairs of the connector types we
/// know, from their metadata. A type not listed may support any pair.
const PAIRS: &[(&str, &[(Signal, Signal)])] = &[
    (
        "forward",
        &[
            (Traces, Traces),
            (Metrics, Metrics),
            (Logs, Logs),
            (Profiles, Profiles),
        ],
    ),
    ("routing", SAME),
    ("failover", SAME),
    ("roundrobin", SAME),
    ("spanmetrics", &[(Traces, Metrics)]),
    ("count", TO_METRICS),
    ("sum", TO_METRICS),
    ("signaltometrics", TO_METRICS),
    ("servicegraph", &[(Traces, Metrics)]),
    ("exceptions", &[(Traces, Metrics), (Traces, Logs)]),
    ("datadog", &[(Traces, Metrics), (Traces, Traces)]),
    ("grafanacloud", &[(Traces, Metrics)]),
    ("otlpjson", &[(Logs, Logs), (Logs, Metrics), (Logs, Traces)]),
];
const SAME: &[(Signal, Signal)] = &[(Traces, Traces), (Metrics, Metrics), (Logs, Logs)];
const TO_METRICS: &[(Signal, Signal)] = &[(Traces, Metrics), (Metrics, Metrics), (Logs, Metrics)];

/// True when a connector of this type can take `from` data and emit `to` data.
pub fn supports(type_: &str, from: Signal, to: Signal) -> bool {
    match PAIRS.iter().find(|(t, _)| *t == type_) {
        Some((_, pairs)) => pairs.contains(&(from, to)),
        None => true,
    }
}

/// Runs the connector checks.
pub fn validate(c: &Collector, diags: &mut Diagnostics) {
    if c.fragment {
        return;
    }
    for connector in c.of_kind(Kind::Connector) {
        ambiguity(c, connector, diags);
        misuse(c, connector, diags);
    }
    cycles(c, diags);
}

fn ambiguity(c: &Collector, connector: &Component, diags: &mut Diagnostics) {
    for kind in [Kind::Receiver, Kind::Exporter] {
        if c.component(kind, &connector.id).is_some() {
            diags.push(
                Diagnostic::new(
                    Code::AmbiguousConnector,
                    format!(
                        "`{}` names both a connector and {} {}",
                        connector.id,
                        article(kind),
                        kind.word()
                    ),
                )
                .at(connector.span)
                .hint("rename one of them, e.g. `forward/logs`; pipelines cannot tell them apart"),
            );
        }
    }
}

fn article(kind: Kind) -> &'static str {
    if kind == Kind::Exporter { "an" } else { "a" }
}

fn misuse(c: &Collector, connector: &Component, diags: &mut Diagnostics) {
    let any_unknown = c.pipelines_unknown.is_some()
        || c.pipelines
            .iter()
            .any(|p| p.receivers.unknown.is_some() || p.exporters.unknown.is_some());
    if any_unknown {
        return;
    }
    let signals = |receiving: bool| -> BTreeSet<Signal> {
        c.pipelines
            .iter()
            .filter(|p| {
                if receiving {
                    &p.receivers
                } else {
                    &p.exporters
                }
                .contains(&connector.id)
            })
            .map(|p| p.id.signal)
            .collect()
    };
    let (as_exporter, as_receiver) = (signals(false), signals(true));
    if as_exporter.is_empty() && as_receiver.is_empty() {
        return; // Unused: reported as information elsewhere.
    }
    let t = &connector.id.type_;
    for from in &as_exporter {
        if !as_receiver.iter().any(|to| supports(t, *from, *to)) {
            let at = first_use(c, connector, false, *from);
            diags.push(one_sided(connector, at, "exporter", *from, "receiver"));
        }
    }
    for to in &as_receiver {
        if !as_exporter.iter().any(|from| supports(t, *from, *to)) {
            let at = first_use(c, connector, true, *to);
            diags.push(one_sided(connector, at, "receiver", *to, "exporter"));
        }
    }
}

/// Where the first pipeline of a signal lists the connector (under `receivers` when
/// `receiving`, else under `exporters`): the entry `otelcol validate` blames.
fn first_use(c: &Collector, connector: &Component, receiving: bool, signal: Signal) -> Span {
    c.pipelines
        .iter()
        .filter(|p| p.id.signal == signal)
        .find_map(|p| {
            let list = if receiving {
                &p.receivers
            } else {
                &p.exporters
            };
            list.refs
                .iter()
                .find(|r| r.id == connector.id)
                .map(|r| r.span)
        })
        .unwrap_or(connector.span)
}

fn one_sided(
    connector: &Component,
    at: Span,
    side: &str,
    signal: Signal,
    other: &str,
) -> Diagnostic {
    Diagnostic::new(
        Code::ConnectorMisuse,
        format!(
            "connector `{}` is used as {side} in a {} pipeline but not as {other} in any pipeline it can feed",
            connector.id,
            signal.as_str()
        ),
    )
    .at(at)
    .label(connector.span, format!("connector `{}` is defined here", connector.id))
    .hint(format!(
        "a connector joins two pipelines: list it under `{other}s` of a pipeline whose signal `{}` supports",
        connector.id.type_
    ))
}

/// Reports each cycle of pipelines joined by connectors once (a depth-first search from
/// every pipeline; a back edge to a pipeline on the current path closes a cycle).
fn cycles(c: &Collector, diags: &mut Diagnostics) {
    let edges = c.connector_edges();
    let mut seen: BTreeSet<Vec<usize>> = BTreeSet::new();
    for start in 0..c.pipelines.len() {
        let mut search = Search {
            edges: &edges,
            stack: vec![start],
            path: Vec::new(),
            done: BTreeSet::new(),
            cycles: Vec::new(),
        };
        search.visit(start);
        for cycle in search.cycles {
            let mut key: Vec<usize> = cycle.iter().map(|e| e.from).collect();
            key.sort_unstable();
            if seen.insert(key) {
                diags.push(cycle_diagnostic(c, &cycle));
            }
        }
    }
}

struct Search<'e> {
    edges: &'e [ConnectorEdge],
    /// Pipelines on the current path, starting with the first.
    stack: Vec<usize>,
    /// The edges between them (`path[i]` leads from `stack[i]` to `stack[i + 1]`).
    path: Vec<&'e ConnectorEdge>,
    /// Pipelines fully explored: no new cycle passes through them.
    done: BTreeSet<usize>,
    cycles: Vec<Vec<&'e ConnectorEdge>>,
}

impl<'e> Search<'e> {
    fn visit(&mut self, node: usize) {
        for edge in self.edges.iter().filter(|e| e.from == node) {
            if let Some(pos) = self.stack.iter().position(|n| *n == edge.to) {
                let mut cycle = self.path[pos..].to_vec();
                cycle.push(edge);
                self.cycles.push(cycle);
            } else if !self.done.contains(&edge.to) {
                self.stack.push(edge.to);
                self.path.push(edge);
                self.visit(edge.to);
                self.path.pop();
                self.stack.pop();
            }
        }
        self.done.insert(node);
    }
}

fn cycle_diagnostic(c: &Collector, cycle: &[&ConnectorEdge]) -> Diagnostic {
    let first = cycle[0];
    let mut text = c.pipelines[first.from].id.to_string();
    for e in cycle {
        text.push_str(&format!(" → {} → {}", e.connector, c.pipelines[e.to].id));
    }
    let span = c.pipelines[first.from]
        .exporters
        .refs
        .iter()
        .find(|r| r.id == first.connector)
        .map_or(c.pipelines[first.from].span, |r| r.span);
    Diagnostic::new(
        Code::PipelineCycle,
        format!("connectors join pipelines into a cycle: {text}"),
    )
    .at(span)
    .hint("data would loop forever; remove one connector from this cycle")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collector::testing::load_texts;

    fn config(connectors: &str, pipelines: &str) -> String {
        format!(
            "receivers:\n  otlp:\nexporters:\n  debug:\nconnectors:\n{connectors}service:\n  pipelines:\n{pipelines}"
        )
    }

    const FORWARD: &str = "  forward:\n";
    const LOGS_TO_AUDIT: &str = "    logs:\n      receivers: [otlp]\n      exporters: [forward]\n    logs/audit:\n      receivers: [forward]\n      exporters: [debug]\n";

    #[test]
    fn a_connector_joins_two_pipelines() {
        let loaded = load_texts(&[&config(FORWARD, LOGS_TO_AUDIT)], &[]);
        assert!(loaded.diags.is_empty(), "{:?}", loaded.diags);
        let c = loaded.graph();
        let edges = c.connector_edges();
        assert_eq!(edges.len(), 1);
        assert_eq!(
            (
                c.pipelines[edges[0].from].id.to_string(),
                c.pipelines[edges[0].to].id.to_string()
            ),
            ("logs".into(), "logs/audit".into())
        );
        let forward = crate::collector::ComponentId::parse("forward").unwrap();
        assert_eq!(c.pipelines_exporting_to(&forward).count(), 1);
        assert_eq!(c.pipelines_receiving_from(&forward).count(), 1);
    }

    #[test]
    fn a_connector_used_on_one_side_is_misused() {
        let pipelines = "    logs:\n      receivers: [otlp]\n      exporters: [forward, debug]\n";
        let loaded = load_texts(&[&config(FORWARD, pipelines)], &[]);
        assert_eq!(loaded.codes(), [Code::ConnectorMisuse]);
        let d = &loaded.diags[0];
        assert!(d.message.contains("used as exporter in a logs pipeline"));
        // Blamed where the pipeline lists it (`exporters: [forward, debug]`, line 11), with
        // the definition (line 6) as the second place.
        let at = d.span.unwrap();
        assert_eq!((at.line, at.col, at.len), (11, 19, 7));
        assert_eq!(d.related.len(), 1);
        assert_eq!((d.related[0].span.line, d.related[0].span.col), (6, 3));
        assert_eq!(d.related[0].message, "connector `forward` is defined here");
        let receiving = "    logs:\n      receivers: [otlp, forward]\n      exporters: [debug]\n";
        let loaded = load_texts(&[&config(FORWARD, receiving)], &[]);
        let d = &loaded.diags[0];
        assert!(d.message.contains("used as receiver in a logs pipeline"));
        assert_eq!(d.span.map(|s| (s.line, s.col)), Some((10, 25)));
        for format in [
            crate::diag::Format::Human,
            crate::diag::Format::Short,
            crate::diag::Format::Json,
        ] {
            let shown = crate::diag::render(format, &loaded.diags, &loaded.files);
            assert!(shown.contains("defined here"), "{shown}");
            assert!(shown.contains("c0.yaml"), "{shown}");
        }
        let human = crate::diag::render(crate::diag::Format::Human, &loaded.diags, &loaded.files);
        assert!(human.contains(" ::: "), "{human}");
        assert!(human.contains("6 |   forward:"), "{human}");
    }

    #[test]
    fn unsupported_signal_pairs_are_misuse_and_unknown_types_accept_any() {
        let pipelines = LOGS_TO_AUDIT.replace("forward", "spanmetrics");
        let loaded = load_texts(&[&config("  spanmetrics:\n", &pipelines)], &[]);
        assert_eq!(
            loaded.codes(),
            [Code::ConnectorMisuse, Code::ConnectorMisuse]
        );
        let traces = "    traces:\n      receivers: [otlp]\n      exporters: [spanmetrics]\n    metrics:\n      receivers: [spanmetrics]\n      exporters: [debug]\n";
        assert!(
            load_texts(&[&config("  spanmetrics:\n", traces)], &[])
                .diags
                .is_empty()
        );
        let custom = LOGS_TO_AUDIT
            .replace("logs/audit", "metrics")
            .replace("forward", "mything");
        assert!(
            load_texts(&[&config("  mything:\n", &custom)], &[])
                .diags
                .is_empty()
        );
        assert!(supports("otlpjson", Logs, Traces));
        assert!(!supports("count", Metrics, Logs));
    }

    #[test]
    fn an_id_cannot_name_a_connector_and_an_exporter() {
        let text = config(FORWARD, LOGS_TO_AUDIT).replace("  debug:\n", "  debug:\n  forward:\n");
        let loaded = load_texts(&[&text], &[]);
        assert_eq!(loaded.codes(), [Code::AmbiguousConnector]);
    }

    #[test]
    fn cycles_through_connectors_are_rejected_once() {
        let pipelines = "    traces/a:\n      receivers: [otlp, forward/2]\n      exporters: [forward]\n    traces/b:\n      receivers: [forward]\n      exporters: [forward/2, debug]\n";
        let loaded = load_texts(&[&config("  forward:\n  forward/2:\n", pipelines)], &[]);
        assert_eq!(loaded.codes(), [Code::PipelineCycle], "{:?}", loaded.diags);
        assert!(
            loaded.diags[0]
                .message
                .contains("traces/a → forward → traces/b → forward/2 → traces/a")
        );
        let self_loop =
            "    logs:\n      receivers: [otlp, forward]\n      exporters: [forward, debug]\n";
        let loaded = load_texts(&[&config(FORWARD, self_loop)], &[]);
        assert_eq!(loaded.codes(), [Code::PipelineCycle]);
    }
}
