//! The abstract and the concrete processor engines side by side, for the soundness tests.
//!
//! A batch of records is run through processors twice: concretely by the simulator, and
//! abstractly from the records themselves ([`items_of`]). [`covers`] then checks that
//! whatever the simulator says arrives is allowed by the abstract result: no arriving record
//! is claimed dropped, every key that arrives is present (or covered by unnamed keys), and
//! a value that still equals an input value is not claimed hashed or replaced.

use std::collections::BTreeSet;

use otel_dpia::analysis::flow::{Attr, AttrMap, Item};
use otel_dpia::analysis::processors::{Ctx, apply};
use otel_dpia::analysis::shape::{
    AttrShape, AttrState, EvidenceKind, Presence, RecordKind, Signal as CatSignal, ValueKind,
};
use otel_dpia::collector::{Component, ComponentId, Kind, Signal};
use otel_dpia::diag::Diagnostics;
use otel_dpia::files::{Files, Span};
use otel_dpia::otlp::*;
use otel_dpia::simulate::{ProcessorType, simulate_pipeline};
use otel_dpia::taxonomy::Category;
use otel_dpia::tree::Node;

/// One record with what it carries.
pub struct Rec {
    pub kind: RecordKind,
    pub name: String,
    pub parent: Option<String>,
    pub resource: Attributes,
    pub attributes: Attributes,
    pub body: Option<AnyValue>,
}

/// The records of a batch (a span's events are records of their own).
pub fn records(t: &Telemetry) -> Vec<Rec> {
    let mut out = Vec::new();
    match t {
        Telemetry::Logs(rls) => {
            for rl in rls {
                for lr in rl.scope_logs.iter().flat_map(|s| &s.log_records) {
                    out.push(Rec {
                        kind: RecordKind::Event,
                        name: lr.body.as_string(),
                        parent: None,
                        resource: rl.resource.attributes.clone(),
                        attributes: lr.attributes.clone(),
                        body: Some(lr.body.clone()),
                    });
                }
            }
        }
        Telemetry::Metrics(rms) => {
            for rm in rms {
                for m in rm.scope_metrics.iter().flat_map(|s| &s.metrics) {
                    let mut points = m.clone();
                    for attrs in points.datapoint_attributes_mut() {
                        out.push(Rec {
                            kind: RecordKind::Metric,
                            name: m.name.clone(),
                            parent: None,
                            resource: rm.resource.attributes.clone(),
                            attributes: attrs.clone(),
                            body: None,
                        });
                    }
                }
            }
        }
        Telemetry::Traces(rss) => {
            for rs in rss {
                for s in rs.scope_spans.iter().flat_map(|s| &s.spans) {
                    out.push(Rec {
                        kind: RecordKind::Span,
                        name: s.name.clone(),
                        parent: None,
                        resource: rs.resource.attributes.clone(),
                        attributes: s.attributes.clone(),
                        body: None,
                    });
                    for e in &s.events {
                        out.push(Rec {
                            kind: RecordKind::SpanEvent,
                            name: e.name.clone(),
                            parent: Some(s.name.clone()),
                            resource: rs.resource.attributes.clone(),
                            attributes: e.attributes.clone(),
                            body: None,
                        });
                    }
                }
            }
        }
    }
    out
}

/// A batch cut into batches of one record (one log record, one data point, one span with
/// its events), each with its resource and scope.
pub fn split(t: &Telemetry) -> Vec<Telemetry> {
    let mut out = Vec::new();
    match t {
        Telemetry::Logs(rls) => {
            for rl in rls {
                for sl in &rl.scope_logs {
                    for lr in &sl.log_records {
                        out.push(Telemetry::Logs(vec![ResourceLogs {
                            resource: rl.resource.clone(),
                            scope_logs: vec![ScopeLogs {
                                scope: sl.scope.clone(),
                                log_records: vec![lr.clone()],
                                ..Default::default()
                            }],
                            ..Default::default()
                        }]));
                    }
                }
            }
        }
        Telemetry::Metrics(rms) => {
            for rm in rms {
                for sm in &rm.scope_metrics {
                    for m in &sm.metrics {
                        for one in single_points(m) {
                            out.push(Telemetry::Metrics(vec![ResourceMetrics {
                                resource: rm.resource.clone(),
                                scope_metrics: vec![ScopeMetrics {
                                    scope: sm.scope.clone(),
                                    metrics: vec![one],
                                    ..Default::default()
                                }],
                                ..Default::default()
                            }]));
                        }
                    }
                }
            }
        }
        Telemetry::Traces(rss) => {
            for rs in rss {
                for ss in &rs.scope_spans {
                    for s in &ss.spans {
                        out.push(Telemetry::Traces(vec![ResourceSpans {
                            resource: rs.resource.clone(),
                            scope_spans: vec![ScopeSpans {
                                scope: ss.scope.clone(),
                                spans: vec![s.clone()],
                                ..Default::default()
                            }],
                            ..Default::default()
                        }]));
                    }
                }
            }
        }
    }
    out
}

/// A metric once per data point, each copy with only that point.
pub fn single_points(m: &Metric) -> Vec<Metric> {
    let mut out = Vec::new();
    macro_rules! each {
        ($field:ident) => {
            if let Some(x) = &m.$field {
                for dp in &x.data_points {
                    let mut c = m.clone();
                    c.$field.as_mut().unwrap().data_points = vec![dp.clone()];
                    out.push(c);
                }
            }
        };
    }
    each!(gauge);
    each!(sum);
    each!(histogram);
    each!(exponential_histogram);
    each!(summary);
    out
}

/// A key that says which records are alike for this test: kind, name and key sets.
pub fn shape_key(t: &Telemetry) -> String {
    records(t)
        .iter()
        .map(|r| {
            let keys = |a: &Attributes| a.keys().collect::<Vec<_>>().join(",");
            format!(
                "{:?}|{}|{}|{}",
                r.kind,
                r.name,
                keys(&r.attributes),
                keys(&r.resource)
            )
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// How a concrete record is seen abstractly.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mode {
    /// Every value a known constant: exercises every decision on known values.
    Constants,
    /// Every value raw: exercises the protection states.
    Raw,
}

/// The abstract attribute for a concrete value.
pub fn attr_of(key: &str, v: &AnyValue, mode: Mode) -> Attr {
    let text = match v {
        AnyValue::Str(s) => Some(s.clone()),
        AnyValue::Int(_) | AnyValue::Double(_) | AnyValue::Bool(_) => Some(v.as_string()),
        _ => None,
    };
    Attr {
        shape: AttrShape {
            key: key.to_string(),
            category: Category::Unknown,
            also: Vec::new(),
            kind: ValueKind::Content,
            state: match mode {
                Mode::Constants => AttrState::Placeholder,
                Mode::Raw => AttrState::Raw,
            },
            placeholder: if mode == Mode::Constants { text } else { None },
            presence: Presence::Always,
            condition: None,
            signals: Vec::new(),
            evidence: Vec::new(),
            catalogue_evidence: EvidenceKind::Seen,
        },
        steps: Vec::new(),
    }
}

/// The abstract attributes for concrete ones.
pub fn map_of(a: &Attributes, mode: Mode) -> AttrMap {
    let mut m = AttrMap::default();
    for (k, v) in a.iter() {
        m.insert(attr_of(k, v, mode));
    }
    m
}

/// The abstract items for the records of a batch.
pub fn items_of(t: &Telemetry, mode: Mode) -> Vec<Item> {
    let signal = match t {
        Telemetry::Logs(_) => CatSignal::Logs,
        Telemetry::Metrics(_) => CatSignal::Metrics,
        Telemetry::Traces(_) => CatSignal::Traces,
    };
    records(t)
        .into_iter()
        .map(|r| Item {
            signal,
            kind: r.kind,
            name: r.name,
            parent: r.parent,
            presence: Presence::Always,
            resource: map_of(&r.resource, mode),
            attributes: map_of(&r.attributes, mode),
            body: r.body.as_ref().map(|b| attr_of("body", b, mode)),
            steps: Vec::new(),
            origin: None,
        })
        .collect()
}

/// The collector signal of a batch.
pub fn signal_of(t: &Telemetry) -> Signal {
    match t {
        Telemetry::Logs(_) => Signal::Logs,
        Telemetry::Metrics(_) => Signal::Metrics,
        Telemetry::Traces(_) => Signal::Traces,
    }
}

/// A processor as configured, ready for both engines.
#[derive(Clone)]
pub struct Proc {
    pub component: Component,
    pub kind: String,
}

/// A processor `id` (`type/name`) with its configuration; `None` for an invalid id.
pub fn proc_of(id: &str, config: &Node, span: Span) -> Option<Proc> {
    let id = ComponentId::parse(id).ok()?;
    let kind = id.type_.clone();
    Some(Proc {
        component: Component {
            id,
            kind: Kind::Processor,
            config: config.clone(),
            span,
        },
        kind,
    })
}

/// Runs items through processors in order with the abstract engine.
pub fn run_abstract(
    files: &Files,
    procs: &[Proc],
    signal: Signal,
    mut items: Vec<Item>,
) -> Vec<Item> {
    let mut diags = Diagnostics::new();
    for p in procs {
        let mut ctx = Ctx {
            collector: "property",
            component: &p.component,
            listed_at: p.component.span,
            signal,
            files,
            diags: &mut diags,
        };
        items = apply(&mut ctx, items).items;
    }
    items
}

/// Runs a batch through processors with the simulator; `None` when it cannot simulate them.
pub fn run_concrete(procs: &[Proc], data: Telemetry) -> Option<Telemetry> {
    let list: Vec<(ProcessorType, &Node)> = procs
        .iter()
        .map(|p| (ProcessorType::from_type_name(&p.kind), &p.component.config))
        .collect();
    simulate_pipeline(&list, data).ok()
}

/// Every string value of a batch, long enough that a coincidence is unlikely.
pub fn input_strings(t: &Telemetry) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for r in records(t) {
        for (_, v) in r.resource.iter().chain(r.attributes.iter()) {
            collect_strings(v, &mut out);
        }
        if let Some(b) = &r.body {
            collect_strings(b, &mut out);
        }
    }
    out
}

/// Adds a value to [`input_strings`] when it is a string of four characters or more.
pub fn collect_strings(v: &AnyValue, out: &mut BTreeSet<String>) {
    if let AnyValue::Str(s) = v
        && s.chars().count() >= 4
    {
        out.insert(s.clone());
    }
}

/// Whether an abstract attribute allows a concrete value that is still an input value.
pub fn allows(a: &Attr, v: &AnyValue, inputs: &BTreeSet<String>, mode: Mode) -> bool {
    let AnyValue::Str(s) = v else { return true };
    if !inputs.contains(s) {
        return true;
    }
    match a.shape.state {
        AttrState::Raw | AttrState::Masked | AttrState::Truncated => true,
        AttrState::Hashed => false,
        AttrState::Placeholder => {
            mode == Mode::Constants || a.shape.placeholder.as_deref() == Some(s.as_str())
        }
    }
}

/// Checks that every concrete key and value is allowed by one of the abstract maps.
pub fn covers_map(
    maps: &[&AttrMap],
    concrete: &Attributes,
    inputs: &BTreeSet<String>,
    mode: Mode,
) -> Result<usize, String> {
    let mut n = 0;
    for (k, v) in concrete.iter() {
        n += 1;
        let ok = maps.iter().any(|m| match m.get(k) {
            Some(a) => allows(a, v, inputs, mode),
            None => !m.unknown.is_empty(),
        });
        if !ok {
            let seen: Vec<String> = maps
                .iter()
                .map(|m| format!("{:?}", m.get(k).map(|a| a.shape.state)))
                .collect();
            return Err(format!("key `{k}` = {v:?} arrives; abstract: {seen:?}"));
        }
    }
    Ok(n)
}

/// Checks one concrete output against the abstract items. Returns the keys checked.
pub fn covers(
    out: &Telemetry,
    abs: &[Item],
    inputs: &BTreeSet<String>,
    mode: Mode,
) -> Result<usize, String> {
    let mut n = 0;
    for r in records(out) {
        let cands: Vec<&Item> = abs.iter().filter(|i| i.kind == r.kind).collect();
        if cands.is_empty() {
            return Err(format!(
                "{:?} `{}` arrives but is claimed dropped",
                r.kind, r.name
            ));
        }
        let attrs: Vec<&AttrMap> = cands.iter().map(|i| &i.attributes).collect();
        let res: Vec<&AttrMap> = cands.iter().map(|i| &i.resource).collect();
        n += covers_map(&attrs, &r.attributes, inputs, mode)
            .map_err(|e| format!("`{}` attributes: {e}", r.name))?;
        n += covers_map(&res, &r.resource, inputs, mode)
            .map_err(|e| format!("`{}` resource: {e}", r.name))?;
        if let Some(b) = &r.body {
            let ok = cands
                .iter()
                .filter_map(|i| i.body.as_ref())
                .any(|a| allows(a, b, inputs, mode));
            if !ok {
                return Err(format!(
                    "`{}`: the body arrives as {b:?}, claimed protected",
                    r.name
                ));
            }
        }
    }
    Ok(n)
}

/// The keys the abstract result names as removed.
pub fn removed(items: &[Item]) -> usize {
    items
        .iter()
        .map(|i| i.attributes.removed.len() + i.resource.removed.len())
        .sum()
}

/// A log batch: one resource, one record for each `(attributes, body)`.
pub fn log_batch(resource: Attributes, records: Vec<(Attributes, AnyValue)>) -> Telemetry {
    Telemetry::Logs(vec![ResourceLogs {
        resource: Resource {
            attributes: resource,
            ..Default::default()
        },
        scope_logs: vec![ScopeLogs {
            log_records: records
                .into_iter()
                .map(|(attributes, body)| LogRecord {
                    attributes,
                    body,
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }],
        ..Default::default()
    }])
}
