//! Connectors: which signal pairs each type supports, and the collector's rules for using
//! them: an id may not also name an exporter or receiver, a connector must be used on both
//! sides with a supported pair, and connectors may not join pipelines into a cycle.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::id::ComponentId;
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

/// Runs the connector checks, in time linear in the pipeline lists (plus the edges).
pub fn validate(c: &Collector, diags: &mut Diagnostics) {
    if c.fragment {
        return;
    }
    let uses = uses(c);
    // With a list that is not known, any connector may be used anywhere.
    let any_unknown = c.pipelines_unknown.is_some()
        || c.pipelines
            .iter()
            .any(|p| p.receivers.unknown.is_some() || p.exporters.unknown.is_some());
    for connector in c.of_kind(Kind::Connector) {
        ambiguity(c, connector, diags);
        if !any_unknown {
            misuse(connector, uses.get(&connector.id), diags);
        }
    }
    cycles(c, diags);
}

/// Where pipelines list a connector: the signals on each side, and for each signal the
/// first entry (the one `otelcol validate` blames).
#[derive(Default)]
struct Uses {
    as_exporter: BTreeMap<Signal, Span>,
    as_receiver: BTreeMap<Signal, Span>,
}

/// The uses of every id listed in a pipeline, in one pass.
fn uses(c: &Collector) -> HashMap<&ComponentId, Uses> {
    let mut out: HashMap<&ComponentId, Uses> = HashMap::new();
    for p in &c.pipelines {
        for r in &p.exporters.refs {
            let u = out.entry(&r.id).or_default();
            u.as_exporter.entry(p.id.signal).or_insert(r.span);
        }
        for r in &p.receivers.refs {
            let u = out.entry(&r.id).or_default();
            u.as_receiver.entry(p.id.signal).or_insert(r.span);
        }
    }
    out
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

fn misuse(connector: &Component, uses: Option<&Uses>, diags: &mut Diagnostics) {
    let Some(uses) = uses else {
        return; // Unused: reported as information elsewhere.
    };
    let t = &connector.id.type_;
    for (from, at) in &uses.as_exporter {
        if !uses.as_receiver.keys().any(|to| supports(t, *from, *to)) {
            diags.push(one_sided(connector, *at, "exporter", *from, "receiver"));
        }
    }
    for (to, at) in &uses.as_receiver {
        if !uses.as_exporter.keys().any(|from| supports(t, *from, *to)) {
            diags.push(one_sided(connector, *at, "receiver", *to, "exporter"));
        }
    }
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

/// Reports cycles of pipelines joined by connectors, each once: one depth-first search over
/// all pipelines (iterative, so a long chain cannot exhaust the stack); an edge back to a
/// pipeline on the current path closes a cycle.
fn cycles(c: &Collector, diags: &mut Diagnostics) {
    let edges = c.connector_edges();
    let mut taken: Vec<&ConnectorEdge> = Vec::new();
    let mut next: Vec<Vec<usize>> = vec![Vec::new(); c.pipelines.len()];
    for (i, e) in edges.iter().enumerate() {
        next[e.from].push(i);
    }
    // 0: not seen, 1: on the current path, 2: done.
    let mut state = vec![0u8; c.pipelines.len()];
    let mut seen: BTreeSet<Vec<usize>> = BTreeSet::new();
    for start in 0..c.pipelines.len() {
        if state[start] != 0 {
            continue;
        }
        // The path as (pipeline, index of its next edge to try); `taken` holds the edges
        // between them.
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = 1;
        while let Some(top) = stack.last_mut() {
            let node = top.0;
            let Some(&ei) = next[node].get(top.1) else {
                state[node] = 2;
                stack.pop();
                taken.pop();
                continue;
            };
            top.1 += 1;
            let edge = &edges[ei];
            match state[edge.to] {
                0 => {
                    state[edge.to] = 1;
                    stack.push((edge.to, 0));
                    taken.push(edge);
                }
                1 => {
                    let pos = stack.iter().position(|(n, _)| *n == edge.to).unwrap_or(0);
                    let mut cycle: Vec<&ConnectorEdge> = taken[pos..].to_vec();
                    cycle.push(edge);
                    let mut key: Vec<usize> = cycle.iter().map(|e| e.from).collect();
                    key.sort_unstable();
                    if seen.insert(key) {
                        diags.push(cycle_diagnostic(c, &cycle));
                    }
                }
                _ => {}
            }
        }
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
