//! Captured OTLP as a flat sequence of records with the names the data map gives them.

use crate::otlp::{AnyValue, Attributes, Metric, Telemetry};

/// One record as it arrived: its signal, the names it may go by in the data map (in order
/// of preference), the span it belongs to (span events) and its attributes.
pub struct Seen<'a> {
    /// `logs`, `metrics` or `traces`.
    pub signal: &'static str,
    /// Names to look up: a log record by its body (Claude Code's events), its `event.name`
    /// attribute and its `eventName` field; others by their one name.
    pub names: Vec<&'a str>,
    /// The name shown when the map knows none of them: never a log body, which may hold
    /// personal data; `None` when there is nothing safe to show.
    pub shown: Option<&'a str>,
    /// For span events: the span's name.
    pub parent: Option<&'a str>,
    /// The attributes that arrived.
    pub attributes: &'a Attributes,
}

/// Calls `f` for every resource, log record, metric data point, span and span event.
pub fn each<'a>(t: &'a Telemetry, mut f: impl FnMut(Seen<'a>)) {
    let resource = |signal, attributes| Seen {
        signal,
        names: vec!["resource"],
        shown: Some("resource"),
        parent: None,
        attributes,
    };
    match t {
        Telemetry::Logs(all) => {
            for rl in all {
                f(resource("logs", &rl.resource.attributes));
                for lr in rl.scope_logs.iter().flat_map(|s| &s.log_records) {
                    let event = lr.attributes.get("event.name").and_then(AnyValue::as_str);
                    let field = Some(lr.event_name.as_str()).filter(|s| !s.is_empty());
                    let body = lr.body.as_str();
                    let names = [body, event, field].into_iter().flatten().collect();
                    f(Seen {
                        signal: "logs",
                        names,
                        shown: event.or(field),
                        parent: None,
                        attributes: &lr.attributes,
                    });
                }
            }
        }
        Telemetry::Metrics(all) => {
            for rm in all {
                f(resource("metrics", &rm.resource.attributes));
                for m in rm.scope_metrics.iter().flat_map(|s| &s.metrics) {
                    let mut points = points(m);
                    if points.is_empty() {
                        // A metric without data points still names itself on the wire.
                        points.push(&NO_ATTRIBUTES);
                    }
                    for attributes in points {
                        f(Seen {
                            signal: "metrics",
                            names: vec![m.name.as_str()],
                            shown: Some(m.name.as_str()),
                            parent: None,
                            attributes,
                        });
                    }
                }
            }
        }
        Telemetry::Traces(all) => {
            for rs in all {
                f(resource("traces", &rs.resource.attributes));
                for span in rs.scope_spans.iter().flat_map(|s| &s.spans) {
                    f(Seen {
                        signal: "traces",
                        names: vec![span.name.as_str()],
                        shown: Some(span.name.as_str()),
                        parent: None,
                        attributes: &span.attributes,
                    });
                    for ev in &span.events {
                        f(Seen {
                            signal: "traces",
                            names: vec![ev.name.as_str()],
                            shown: Some(ev.name.as_str()),
                            parent: Some(span.name.as_str()),
                            attributes: &ev.attributes,
                        });
                    }
                }
            }
        }
    }
}

static NO_ATTRIBUTES: std::sync::LazyLock<Attributes> = std::sync::LazyLock::new(Attributes::new);

/// The attribute sets of a metric's data points, whatever its type.
fn points(m: &Metric) -> Vec<&Attributes> {
    let mut out: Vec<&Attributes> = Vec::new();
    if let Some(g) = &m.gauge {
        out.extend(g.data_points.iter().map(|p| &p.attributes));
    }
    if let Some(s) = &m.sum {
        out.extend(s.data_points.iter().map(|p| &p.attributes));
    }
    if let Some(h) = &m.histogram {
        out.extend(h.data_points.iter().map(|p| &p.attributes));
    }
    if let Some(h) = &m.exponential_histogram {
        out.extend(h.data_points.iter().map(|p| &p.attributes));
    }
    if let Some(s) = &m.summary {
        out.extend(s.data_points.iter().map(|p| &p.attributes));
    }
    out
}
