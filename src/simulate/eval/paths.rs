//! Reading and writing OTTL paths on the concrete data (`log.body`,
//! `resource.attributes["k"]`, `span.status.code`, …).

use super::{Ctx, EvalError, EvalResult, Item, eval, runtime};
use crate::otlp::{AnyValue, Attributes, Metric};
use crate::ottl::{Context, Key, Path};

/// An evaluated index.
#[derive(Debug, Clone)]
pub(crate) enum KeyVal {
    Str(String),
    Int(i64),
}

/// A writable place in the data a path names.
enum Slot<'c> {
    Map(&'c mut Attributes),
    Value(&'c mut AnyValue),
    Str(&'c mut String),
    I32(&'c mut i32),
    U32(&'c mut u32),
    U64(&'c mut u64),
    Bool(&'c mut bool),
    F64(&'c mut Option<f64>),
    I64(&'c mut Option<i64>),
    /// A trace or span ID kept as hex; read as bytes.
    Hex(&'c mut String, usize),
    ReadOnly(AnyValue),
}

/// Reads a path: `nil` ([`AnyValue::Empty`]) when a map key is missing.
pub(crate) fn get(ctx: &mut Ctx<'_>, path: &Path) -> EvalResult<AnyValue> {
    let keys = eval_keys(ctx, path)?;
    let value = match slot(ctx, path)? {
        Slot::Map(m) => AnyValue::Map(m.clone()),
        Slot::Value(v) => v.clone(),
        Slot::Str(s) => AnyValue::Str(s.clone()),
        Slot::I32(i) => AnyValue::Int(i64::from(*i)),
        Slot::U32(i) => AnyValue::Int(i64::from(*i)),
        Slot::U64(i) => AnyValue::Int(*i as i64),
        Slot::Bool(b) => AnyValue::Bool(*b),
        Slot::F64(f) => AnyValue::Double(f.unwrap_or(0.0)),
        Slot::I64(i) => AnyValue::Int(i.unwrap_or(0)),
        Slot::Hex(h, len) => AnyValue::Bytes(decode_hex(h).unwrap_or_else(|| vec![0; len])),
        Slot::ReadOnly(v) => v,
    };
    index(value, &keys)
}

/// Writes a path. A value of the wrong type for a typed field is ignored, as OTTL's
/// setters do; a missing map key on the way is created.
pub(crate) fn set(ctx: &mut Ctx<'_>, path: &Path, value: AnyValue) -> EvalResult<()> {
    let keys = eval_keys(ctx, path)?;
    let text = path.to_text();
    let slot = slot(ctx, path)?;
    if !keys.is_empty() {
        return match slot {
            Slot::Map(m) => match &keys[0] {
                KeyVal::Str(k) => set_indexed(m.entry_mut(k), &keys[1..], value),
                KeyVal::Int(_) => runtime("map must be indexed by a string"),
            },
            Slot::Value(v) => set_indexed(v, &keys, value),
            _ => runtime(format!("`{text}` cannot be indexed")),
        };
    }
    match (slot, value) {
        (Slot::Map(m), AnyValue::Map(new)) => *m = new,
        (Slot::Value(v), new) => *v = new,
        (Slot::Str(s), AnyValue::Str(new)) => *s = new,
        (Slot::I32(i), AnyValue::Int(new)) => *i = new as i32,
        (Slot::U32(i), AnyValue::Int(new)) => *i = new as u32,
        (Slot::U64(i), AnyValue::Int(new)) => *i = new as u64,
        (Slot::Bool(b), AnyValue::Bool(new)) => *b = new,
        (Slot::F64(f), AnyValue::Double(new)) => *f = Some(new),
        (Slot::I64(i), AnyValue::Int(new)) => *i = Some(new),
        (Slot::Hex(h, len), AnyValue::Bytes(b)) if b.len() == len => {
            *h = crate::simulate::hash::hex(&b)
        }
        (Slot::ReadOnly(_), _) => {
            return Err(EvalError::NotModelled(format!(
                "setting `{text}` is not modelled"
            )));
        }
        _ => {}
    }
    Ok(())
}

fn eval_keys(ctx: &mut Ctx<'_>, path: &Path) -> EvalResult<Vec<KeyVal>> {
    let Some(last) = path.fields.last() else {
        return Ok(Vec::new());
    };
    last.keys
        .iter()
        .map(|k| match k {
            Key::String(s) => Ok(KeyVal::Str(s.clone())),
            Key::Int(i) => Ok(KeyVal::Int(*i)),
            Key::Dynamic(e) => match eval(ctx, e)? {
                AnyValue::Str(s) => Ok(KeyVal::Str(s)),
                AnyValue::Int(i) => Ok(KeyVal::Int(i)),
                other => runtime(format!(
                    "an index must be a string or an int, found {}",
                    other.type_name()
                )),
            },
        })
        .collect()
}

/// Applies indexes to a value read from the data.
pub(crate) fn index(mut value: AnyValue, keys: &[KeyVal]) -> EvalResult<AnyValue> {
    for k in keys {
        value = match (value, k) {
            (AnyValue::Map(m), KeyVal::Str(s)) => match m.get(s) {
                Some(v) => v.clone(),
                None => return Ok(AnyValue::Empty),
            },
            (AnyValue::Map(_), KeyVal::Int(_)) => {
                return runtime("map must be indexed by a string");
            }
            (AnyValue::Array(items), KeyVal::Int(i)) => {
                match usize::try_from(*i).ok().and_then(|i| items.get(i)) {
                    Some(v) => v.clone(),
                    None => return runtime(format!("index {i} out of bounds")),
                }
            }
            (AnyValue::Array(_), KeyVal::Str(_)) => {
                return runtime("slice must be indexed by an int");
            }
            (other, _) => {
                return runtime(format!(
                    "type {} does not support indexing",
                    other.type_name()
                ));
            }
        };
    }
    Ok(value)
}

fn set_indexed(mut cur: &mut AnyValue, keys: &[KeyVal], value: AnyValue) -> EvalResult<()> {
    for k in keys {
        if cur.is_empty() {
            *cur = match k {
                KeyVal::Str(_) => AnyValue::Map(Attributes::new()),
                KeyVal::Int(i) => {
                    AnyValue::Array(vec![AnyValue::Empty; usize::try_from(*i).unwrap_or(0) + 1])
                }
            };
        }
        cur = match (cur, k) {
            (AnyValue::Map(m), KeyVal::Str(s)) => m.entry_mut(s),
            (AnyValue::Array(items), KeyVal::Int(i)) => {
                let len = items.len();
                match usize::try_from(*i).ok().and_then(|i| items.get_mut(i)) {
                    Some(v) => v,
                    None => return runtime(format!("index {i} out of bounds (length {len})")),
                }
            }
            (other, _) => {
                return runtime(format!(
                    "type {} does not support this index",
                    other.type_name()
                ));
            }
        };
    }
    *cur = value;
    Ok(())
}

fn decode_hex(h: &str) -> Option<Vec<u8>> {
    if !h.len().is_multiple_of(2) {
        return None;
    }
    (0..h.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(h.get(i..i + 2)?, 16).ok())
        .collect()
}

fn names(path: &Path) -> Vec<&str> {
    path.fields.iter().map(|f| f.name.as_str()).collect()
}

fn not_modelled<T>(path: &Path) -> EvalResult<T> {
    Err(EvalError::NotModelled(format!(
        "path `{}` is not modelled",
        path.to_text()
    )))
}

/// Finds the place a path names.
fn slot<'c>(ctx: &'c mut Ctx<'_>, path: &Path) -> EvalResult<Slot<'c>> {
    let context = path
        .context
        .ok_or_else(|| EvalError::Config(format!("path `{}` has no context", path.to_text())))?;
    let n = names(path);
    if n.first() == Some(&"cache") && n.len() == 1 {
        return Ok(Slot::Map(&mut ctx.cache));
    }
    let found = match context {
        Context::Resource => resource_slot(ctx, &n),
        Context::Scope => match ctx.scope.as_deref_mut() {
            Some(scope) => match n.as_slice() {
                ["name"] => Some(Slot::Str(&mut scope.name)),
                ["version"] => Some(Slot::Str(&mut scope.version)),
                ["attributes"] => Some(Slot::Map(&mut scope.attributes)),
                ["dropped_attributes_count"] => {
                    Some(Slot::U32(&mut scope.dropped_attributes_count))
                }
                _ => None,
            },
            None => return runtime("no scope in this context"),
        },
        Context::Log => match &mut ctx.item {
            Item::Log(lr) => log_slot(lr, &n),
            _ => return runtime("no log record in this context"),
        },
        Context::Span => match &mut ctx.item {
            Item::Span(s) | Item::SpanEvent(s, _) => span_slot(s, &n),
            _ => return runtime("no span in this context"),
        },
        Context::SpanEvent => match &mut ctx.item {
            Item::SpanEvent(s, i) => {
                let ev = &mut s.events[*i];
                match n.as_slice() {
                    ["name"] => Some(Slot::Str(&mut ev.name)),
                    ["attributes"] => Some(Slot::Map(&mut ev.attributes)),
                    ["time_unix_nano"] => Some(Slot::U64(&mut ev.time_unix_nano)),
                    ["dropped_attributes_count"] => {
                        Some(Slot::U32(&mut ev.dropped_attributes_count))
                    }
                    _ => None,
                }
            }
            _ => return runtime("no span event in this context"),
        },
        Context::Metric => match &mut ctx.item {
            Item::Metric(m) | Item::DataPoint(m, _) => metric_slot(m, &n),
            _ => return runtime("no metric in this context"),
        },
        Context::DataPoint => match &mut ctx.item {
            Item::DataPoint(m, i) => datapoint_slot(m, *i, &n),
            _ => return runtime("no datapoint in this context"),
        },
    };
    match found {
        Some(s) => Ok(s),
        None => not_modelled(path),
    }
}

fn resource_slot<'c>(ctx: &'c mut Ctx<'_>, n: &[&str]) -> Option<Slot<'c>> {
    match n {
        ["attributes"] => Some(Slot::Map(&mut ctx.resource.attributes)),
        ["dropped_attributes_count"] => Some(Slot::U32(&mut ctx.resource.dropped_attributes_count)),
        _ => None,
    }
}

fn log_slot<'c>(lr: &'c mut crate::otlp::LogRecord, n: &[&str]) -> Option<Slot<'c>> {
    Some(match n {
        ["body"] => Slot::Value(&mut lr.body),
        ["body", "string"] => Slot::ReadOnly(AnyValue::Str(lr.body.as_string())),
        ["attributes"] => Slot::Map(&mut lr.attributes),
        ["severity_number"] => Slot::I32(&mut lr.severity_number),
        ["severity_text"] => Slot::Str(&mut lr.severity_text),
        ["time_unix_nano"] => Slot::U64(&mut lr.time_unix_nano),
        ["observed_time_unix_nano"] => Slot::U64(&mut lr.observed_time_unix_nano),
        ["dropped_attributes_count"] => Slot::U32(&mut lr.dropped_attributes_count),
        ["flags"] => Slot::U32(&mut lr.flags),
        ["trace_id"] => Slot::Hex(&mut lr.trace_id, 16),
        ["trace_id", "string"] => Slot::Str(&mut lr.trace_id),
        ["span_id"] => Slot::Hex(&mut lr.span_id, 8),
        ["span_id", "string"] => Slot::Str(&mut lr.span_id),
        ["event_name"] => Slot::Str(&mut lr.event_name),
        _ => return None,
    })
}

fn span_slot<'c>(s: &'c mut crate::otlp::Span, n: &[&str]) -> Option<Slot<'c>> {
    Some(match n {
        ["name"] => Slot::Str(&mut s.name),
        ["kind"] => Slot::I32(&mut s.kind),
        ["attributes"] => Slot::Map(&mut s.attributes),
        ["trace_id"] => Slot::Hex(&mut s.trace_id, 16),
        ["trace_id", "string"] => Slot::Str(&mut s.trace_id),
        ["span_id"] => Slot::Hex(&mut s.span_id, 8),
        ["span_id", "string"] => Slot::Str(&mut s.span_id),
        ["parent_span_id"] => Slot::Hex(&mut s.parent_span_id, 8),
        ["parent_span_id", "string"] => Slot::Str(&mut s.parent_span_id),
        ["trace_state"] => Slot::Str(&mut s.trace_state),
        ["status", "code"] => Slot::I32(&mut s.status.code),
        ["status", "message"] => Slot::Str(&mut s.status.message),
        ["start_time_unix_nano"] => Slot::U64(&mut s.start_time_unix_nano),
        ["end_time_unix_nano"] => Slot::U64(&mut s.end_time_unix_nano),
        ["dropped_attributes_count"] => Slot::U32(&mut s.dropped_attributes_count),
        ["dropped_events_count"] => Slot::U32(&mut s.dropped_events_count),
        ["dropped_links_count"] => Slot::U32(&mut s.dropped_links_count),
        ["flags"] => Slot::U32(&mut s.flags),
        _ => return None,
    })
}

fn metric_slot<'c>(m: &'c mut Metric, n: &[&str]) -> Option<Slot<'c>> {
    Some(match n {
        ["name"] => Slot::Str(&mut m.name),
        ["description"] => Slot::Str(&mut m.description),
        ["unit"] => Slot::Str(&mut m.unit),
        ["type"] => Slot::ReadOnly(AnyValue::Int(m.data_type())),
        ["metadata"] => Slot::Map(&mut m.metadata),
        ["aggregation_temporality"] => {
            if let Some(s) = &mut m.sum {
                Slot::I32(&mut s.aggregation_temporality)
            } else if let Some(h) = &mut m.histogram {
                Slot::I32(&mut h.aggregation_temporality)
            } else if let Some(e) = &mut m.exponential_histogram {
                Slot::I32(&mut e.aggregation_temporality)
            } else {
                Slot::ReadOnly(AnyValue::Int(0))
            }
        }
        ["is_monotonic"] => match &mut m.sum {
            Some(s) => Slot::Bool(&mut s.is_monotonic),
            None => Slot::ReadOnly(AnyValue::Bool(false)),
        },
        _ => return None,
    })
}

fn datapoint_slot<'c>(m: &'c mut Metric, i: usize, n: &[&str]) -> Option<Slot<'c>> {
    let mut i = i;
    macro_rules! pick {
        ($field:expr) => {
            if let Some(d) = &mut $field {
                if i < d.data_points.len() {
                    let dp = &mut d.data_points[i];
                    return common_dp(
                        n,
                        &mut dp.attributes,
                        &mut dp.start_time_unix_nano,
                        &mut dp.time_unix_nano,
                        &mut dp.flags,
                    )
                    .or_else(|| number_dp(n, &mut dp.as_double, &mut dp.as_int));
                }
                i -= d.data_points.len();
            }
        };
    }
    pick!(m.gauge);
    pick!(m.sum);
    macro_rules! pick_other {
        ($field:expr) => {
            if let Some(d) = &mut $field {
                if i < d.data_points.len() {
                    let dp = &mut d.data_points[i];
                    return common_dp(
                        n,
                        &mut dp.attributes,
                        &mut dp.start_time_unix_nano,
                        &mut dp.time_unix_nano,
                        &mut dp.flags,
                    )
                    .or_else(|| match n {
                        ["count"] => Some(Slot::U64(&mut dp.count)),
                        ["sum"] => Some(Slot::F64(&mut dp.sum)),
                        _ => None,
                    });
                }
                i -= d.data_points.len();
            }
        };
    }
    pick_other!(m.histogram);
    pick_other!(m.exponential_histogram);
    pick_other!(m.summary);
    let _ = i;
    None
}

fn common_dp<'c>(
    n: &[&str],
    attributes: &'c mut Attributes,
    start: &'c mut u64,
    time: &'c mut u64,
    flags: &'c mut u32,
) -> Option<Slot<'c>> {
    Some(match n {
        ["attributes"] => Slot::Map(attributes),
        ["start_time_unix_nano"] => Slot::U64(start),
        ["time_unix_nano"] => Slot::U64(time),
        ["flags"] => Slot::U32(flags),
        _ => return None,
    })
}

fn number_dp<'c>(
    n: &[&str],
    double: &'c mut Option<f64>,
    int: &'c mut Option<i64>,
) -> Option<Slot<'c>> {
    Some(match n {
        ["value_double"] => Slot::F64(double),
        ["value_int"] => Slot::I64(int),
        _ => return None,
    })
}
