//! Protobuf → model. Each function takes the JSON nesting depth its object would have in
//! the OTLP/JSON form (the request object is depth 1), because the model is written as
//! OTLP/JSON and read back by a reader that stops at [`crate::limits::MAX_DEPTH`]: a value
//! nested so deep that its JSON form could not be read back is refused here, as the JSON
//! reader would refuse it.

use std::collections::HashMap;

use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1 as pc;
use opentelemetry_proto::tonic::logs::v1 as pl;
use opentelemetry_proto::tonic::metrics::v1 as pm;
use opentelemetry_proto::tonic::resource::v1 as pr;
use opentelemetry_proto::tonic::trace::v1 as pt;
use prost::Message as _;

use super::Signal;
use crate::limits;
use crate::otlp::json::{too_long, within_limit};
use crate::otlp::model::*;
use crate::otlp::value::{AnyValue, Attributes};
use crate::otlp::{OtlpError, OtlpErrorKind};

/// The deepest JSON nesting `serde_json` reads: it refuses the container that would be
/// the 128th level ([`limits::MAX_DEPTH`]).
const MAX_JSON_DEPTH: usize = limits::MAX_DEPTH - 1;

/// Why a decoded message cannot become the model.
enum Fail {
    TooDeep,
    TooLong(String),
}

type R<T> = Result<T, Fail>;

fn error(kind: OtlpErrorKind, message: String) -> OtlpError {
    OtlpError {
        line: 0,
        column: 0,
        message,
        kind,
    }
}

fn to_error(signal: Signal, fail: Fail) -> OtlpError {
    match fail {
        Fail::TooDeep => error(
            OtlpErrorKind::TooDeep,
            format!(
                "the {} nests values deeper than its OTLP/JSON form may ({} levels)",
                signal.request_message(),
                limits::MAX_DEPTH
            ),
        ),
        Fail::TooLong(message) => error(OtlpErrorKind::TooLong, message),
    }
}

/// Decodes protobuf bytes as the export request of a signal.
pub fn decode(signal: Signal, bytes: &[u8]) -> Result<Telemetry, OtlpError> {
    let refused = |e: prost::DecodeError| {
        let text = e.to_string();
        let kind = if text.contains("recursion limit") {
            OtlpErrorKind::TooDeep
        } else {
            OtlpErrorKind::Protobuf
        };
        error(
            kind,
            format!("not an OTLP protobuf {}: {text}", signal.request_message()),
        )
    };
    match signal {
        Signal::Logs => from_logs(ExportLogsServiceRequest::decode(bytes).map_err(refused)?),
        Signal::Metrics => {
            from_metrics(ExportMetricsServiceRequest::decode(bytes).map_err(refused)?)
        }
        Signal::Traces => from_traces(ExportTraceServiceRequest::decode(bytes).map_err(refused)?),
    }
}

/// Converts a decoded logs request (as the gRPC service receives it).
pub fn from_logs(req: ExportLogsServiceRequest) -> Result<Telemetry, OtlpError> {
    let conv = || -> R<Telemetry> {
        let out = req
            .resource_logs
            .into_iter()
            .map(resource_logs)
            .collect::<R<_>>()?;
        Ok(Telemetry::Logs(out))
    };
    conv().map_err(|f| to_error(Signal::Logs, f))
}

/// Converts a decoded metrics request.
pub fn from_metrics(req: ExportMetricsServiceRequest) -> Result<Telemetry, OtlpError> {
    let conv = || -> R<Telemetry> {
        let out = req
            .resource_metrics
            .into_iter()
            .map(resource_metrics)
            .collect::<R<_>>()?;
        Ok(Telemetry::Metrics(out))
    };
    conv().map_err(|f| to_error(Signal::Metrics, f))
}

/// Converts a decoded trace request.
pub fn from_traces(req: ExportTraceServiceRequest) -> Result<Telemetry, OtlpError> {
    let conv = || -> R<Telemetry> {
        let out = req
            .resource_spans
            .into_iter()
            .map(resource_spans)
            .collect::<R<_>>()?;
        Ok(Telemetry::Traces(out))
    };
    conv().map_err(|f| to_error(Signal::Traces, f))
}

// The depth of an item of a top-level list (`resourceLogs[i]`): request 1, list 2, item 3.
const RESOURCE_ITEM: usize = 3;

/// Lowercase hex, as OTLP/JSON writes trace and span ids.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

fn long(message: String) -> Fail {
    Fail::TooLong(message)
}

/// An attribute list of the object at depth `d`: the list is at `d + 1`, each pair at
/// `d + 2`, each value at `d + 3`. A repeated key keeps its first place and its last
/// value, as the JSON reader does.
fn attrs(list: Vec<pc::KeyValue>, d: usize) -> R<Attributes> {
    let mut pairs: Vec<(String, AnyValue)> = Vec::with_capacity(list.len());
    let mut index: HashMap<String, usize> = HashMap::new();
    for kv in list {
        within_limit(&kv.key).map_err(long)?;
        let value = match kv.value {
            Some(v) => value(v, d + 3)?,
            None => AnyValue::Empty,
        };
        match index.get(&kv.key) {
            Some(&i) => pairs[i].1 = value,
            None => {
                index.insert(kv.key.clone(), pairs.len());
                pairs.push((kv.key, value));
            }
        }
    }
    Ok(Attributes::from_unique(pairs))
}

/// An `AnyValue` whose own object is at depth `d`.
fn value(v: pc::AnyValue, d: usize) -> R<AnyValue> {
    use pc::any_value::Value as V;
    if d > MAX_JSON_DEPTH {
        return Err(Fail::TooDeep);
    }
    Ok(match v.value {
        None => AnyValue::Empty,
        Some(V::StringValue(s)) => {
            within_limit(&s).map_err(long)?;
            AnyValue::Str(s)
        }
        Some(V::BoolValue(b)) => AnyValue::Bool(b),
        Some(V::IntValue(i)) => AnyValue::Int(i),
        Some(V::DoubleValue(x)) => AnyValue::Double(x),
        Some(V::BytesValue(b)) => {
            // The JSON form is base64: four characters for every three bytes.
            let encoded = b.len().div_ceil(3) * 4;
            if encoded > limits::MAX_SCALAR_LEN {
                return Err(Fail::TooLong(too_long(encoded)));
            }
            AnyValue::Bytes(b)
        }
        // `{"arrayValue": {"values": [ … ]}}`: the list at d + 2, its values at d + 3.
        Some(V::ArrayValue(a)) => {
            if d + 2 > MAX_JSON_DEPTH {
                return Err(Fail::TooDeep);
            }
            AnyValue::Array(
                a.values
                    .into_iter()
                    .map(|x| value(x, d + 3))
                    .collect::<R<_>>()?,
            )
        }
        // `{"kvlistValue": {"values": [ … ]}}`: an attribute list of the object at d + 1.
        Some(V::KvlistValue(m)) => {
            if d + 2 > MAX_JSON_DEPTH {
                return Err(Fail::TooDeep);
            }
            AnyValue::Map(attrs(m.values, d + 1)?)
        }
        // A reference into the profiles signal's string table; for the other signals the
        // protocol says to read it as absent.
        Some(V::StringValueStrindex(_)) => AnyValue::Empty,
    })
}

fn resource(r: Option<pr::Resource>, d: usize) -> R<Resource> {
    let r = r.unwrap_or_default();
    Ok(Resource {
        attributes: attrs(r.attributes, d)?,
        dropped_attributes_count: r.dropped_attributes_count,
    })
}

fn scope(s: Option<pc::InstrumentationScope>, d: usize) -> R<Scope> {
    let s = s.unwrap_or_default();
    Ok(Scope {
        name: s.name,
        version: s.version,
        attributes: attrs(s.attributes, d)?,
        dropped_attributes_count: s.dropped_attributes_count,
    })
}

// ---------------------------------------------------------------------------------------
// Logs: resourceLogs[] 3, scopeLogs[] 5, logRecords[] 7.

fn resource_logs(r: pl::ResourceLogs) -> R<ResourceLogs> {
    let d = RESOURCE_ITEM;
    Ok(ResourceLogs {
        resource: resource(r.resource, d + 1)?,
        scope_logs: r
            .scope_logs
            .into_iter()
            .map(|s| scope_logs(s, d + 2))
            .collect::<R<_>>()?,
        schema_url: r.schema_url,
    })
}

fn scope_logs(s: pl::ScopeLogs, d: usize) -> R<ScopeLogs> {
    Ok(ScopeLogs {
        scope: scope(s.scope, d + 1)?,
        log_records: s
            .log_records
            .into_iter()
            .map(|r| log_record(r, d + 2))
            .collect::<R<_>>()?,
        schema_url: s.schema_url,
    })
}

fn log_record(r: pl::LogRecord, d: usize) -> R<LogRecord> {
    Ok(LogRecord {
        time_unix_nano: r.time_unix_nano,
        observed_time_unix_nano: r.observed_time_unix_nano,
        severity_number: r.severity_number,
        severity_text: r.severity_text,
        body: match r.body {
            Some(b) => value(b, d + 1)?,
            None => AnyValue::Empty,
        },
        attributes: attrs(r.attributes, d)?,
        dropped_attributes_count: r.dropped_attributes_count,
        flags: r.flags,
        trace_id: hex(&r.trace_id),
        span_id: hex(&r.span_id),
        event_name: r.event_name,
    })
}

// ---------------------------------------------------------------------------------------
// Traces: resourceSpans[] 3, scopeSpans[] 5, spans[] 7, events[]/links[] 9.

fn resource_spans(r: pt::ResourceSpans) -> R<ResourceSpans> {
    let d = RESOURCE_ITEM;
    Ok(ResourceSpans {
        resource: resource(r.resource, d + 1)?,
        scope_spans: r
            .scope_spans
            .into_iter()
            .map(|s| scope_spans(s, d + 2))
            .collect::<R<_>>()?,
        schema_url: r.schema_url,
    })
}

fn scope_spans(s: pt::ScopeSpans, d: usize) -> R<ScopeSpans> {
    Ok(ScopeSpans {
        scope: scope(s.scope, d + 1)?,
        spans: s
            .spans
            .into_iter()
            .map(|x| span(x, d + 2))
            .collect::<R<_>>()?,
        schema_url: s.schema_url,
    })
}

fn span(s: pt::Span, d: usize) -> R<Span> {
    let status = s.status.unwrap_or_default();
    Ok(Span {
        trace_id: hex(&s.trace_id),
        span_id: hex(&s.span_id),
        trace_state: s.trace_state,
        parent_span_id: hex(&s.parent_span_id),
        flags: s.flags,
        name: s.name,
        kind: s.kind,
        start_time_unix_nano: s.start_time_unix_nano,
        end_time_unix_nano: s.end_time_unix_nano,
        attributes: attrs(s.attributes, d)?,
        dropped_attributes_count: s.dropped_attributes_count,
        events: s
            .events
            .into_iter()
            .map(|e| {
                Ok(SpanEvent {
                    time_unix_nano: e.time_unix_nano,
                    name: e.name,
                    attributes: attrs(e.attributes, d + 2)?,
                    dropped_attributes_count: e.dropped_attributes_count,
                })
            })
            .collect::<R<_>>()?,
        dropped_events_count: s.dropped_events_count,
        links: s
            .links
            .into_iter()
            .map(|l| {
                Ok(SpanLink {
                    trace_id: hex(&l.trace_id),
                    span_id: hex(&l.span_id),
                    trace_state: l.trace_state,
                    attributes: attrs(l.attributes, d + 2)?,
                    dropped_attributes_count: l.dropped_attributes_count,
                    flags: l.flags,
                })
            })
            .collect::<R<_>>()?,
        dropped_links_count: s.dropped_links_count,
        status: Status {
            message: status.message,
            code: status.code,
        },
    })
}

// ---------------------------------------------------------------------------------------
// Metrics: resourceMetrics[] 3, scopeMetrics[] 5, metrics[] 7, `gauge` (and the other
// data objects) 8, dataPoints[] 10, exemplars[] 12.

fn resource_metrics(r: pm::ResourceMetrics) -> R<ResourceMetrics> {
    let d = RESOURCE_ITEM;
    Ok(ResourceMetrics {
        resource: resource(r.resource, d + 1)?,
        scope_metrics: r
            .scope_metrics
            .into_iter()
            .map(|s| scope_metrics(s, d + 2))
            .collect::<R<_>>()?,
        schema_url: r.schema_url,
    })
}

fn scope_metrics(s: pm::ScopeMetrics, d: usize) -> R<ScopeMetrics> {
    Ok(ScopeMetrics {
        scope: scope(s.scope, d + 1)?,
        metrics: s
            .metrics
            .into_iter()
            .map(|m| metric(m, d + 2))
            .collect::<R<_>>()?,
        schema_url: s.schema_url,
    })
}

fn metric(m: pm::Metric, d: usize) -> R<Metric> {
    use pm::metric::Data;
    let mut out = Metric {
        name: m.name,
        description: m.description,
        unit: m.unit,
        metadata: attrs(m.metadata, d)?,
        ..Metric::default()
    };
    // The datapoints of `metric.<type>.dataPoints[]`.
    let points = d + 3;
    match m.data {
        None => {}
        Some(Data::Gauge(g)) => {
            out.gauge = Some(Gauge {
                data_points: number_points(g.data_points, points)?,
            });
        }
        Some(Data::Sum(s)) => {
            out.sum = Some(Sum {
                data_points: number_points(s.data_points, points)?,
                aggregation_temporality: s.aggregation_temporality,
                is_monotonic: s.is_monotonic,
            });
        }
        Some(Data::Histogram(h)) => {
            out.histogram = Some(Histogram {
                data_points: h
                    .data_points
                    .into_iter()
                    .map(|p| histogram_point(p, points))
                    .collect::<R<_>>()?,
                aggregation_temporality: h.aggregation_temporality,
            });
        }
        Some(Data::ExponentialHistogram(h)) => {
            out.exponential_histogram = Some(ExponentialHistogram {
                data_points: h
                    .data_points
                    .into_iter()
                    .map(|p| exponential_point(p, points))
                    .collect::<R<_>>()?,
                aggregation_temporality: h.aggregation_temporality,
            });
        }
        Some(Data::Summary(s)) => {
            out.summary = Some(Summary {
                data_points: s
                    .data_points
                    .into_iter()
                    .map(|p| summary_point(p, points))
                    .collect::<R<_>>()?,
            });
        }
    }
    Ok(out)
}

fn number_points(list: Vec<pm::NumberDataPoint>, d: usize) -> R<Vec<NumberDataPoint>> {
    use pm::number_data_point::Value;
    list.into_iter()
        .map(|p| {
            let (as_double, as_int) = match p.value {
                Some(Value::AsDouble(x)) => (Some(x), None),
                Some(Value::AsInt(i)) => (None, Some(i)),
                None => (None, None),
            };
            Ok(NumberDataPoint {
                attributes: attrs(p.attributes, d)?,
                start_time_unix_nano: p.start_time_unix_nano,
                time_unix_nano: p.time_unix_nano,
                as_double,
                as_int,
                exemplars: exemplars(p.exemplars, d + 2)?,
                flags: p.flags,
            })
        })
        .collect()
}

fn histogram_point(p: pm::HistogramDataPoint, d: usize) -> R<HistogramDataPoint> {
    Ok(HistogramDataPoint {
        attributes: attrs(p.attributes, d)?,
        start_time_unix_nano: p.start_time_unix_nano,
        time_unix_nano: p.time_unix_nano,
        count: p.count,
        sum: p.sum,
        bucket_counts: p.bucket_counts,
        explicit_bounds: p.explicit_bounds,
        exemplars: exemplars(p.exemplars, d + 2)?,
        flags: p.flags,
        min: p.min,
        max: p.max,
    })
}

/// A plain (not `optional`) double of the protocol: zero is "not set", as the protobuf
/// JSON mapping leaves it out and the JSON reader then reads no value.
fn unless_zero(x: f64) -> Option<f64> {
    (x != 0.0).then_some(x)
}

fn exponential_point(
    p: pm::ExponentialHistogramDataPoint,
    d: usize,
) -> R<ExponentialHistogramDataPoint> {
    let buckets = |b: Option<pm::exponential_histogram_data_point::Buckets>| {
        let b = b.unwrap_or_default();
        Buckets {
            offset: b.offset,
            bucket_counts: b.bucket_counts,
        }
    };
    Ok(ExponentialHistogramDataPoint {
        attributes: attrs(p.attributes, d)?,
        start_time_unix_nano: p.start_time_unix_nano,
        time_unix_nano: p.time_unix_nano,
        count: p.count,
        sum: p.sum,
        scale: p.scale,
        zero_count: p.zero_count,
        positive: buckets(p.positive),
        negative: buckets(p.negative),
        flags: p.flags,
        exemplars: exemplars(p.exemplars, d + 2)?,
        min: p.min,
        max: p.max,
        zero_threshold: unless_zero(p.zero_threshold),
    })
}

fn summary_point(p: pm::SummaryDataPoint, d: usize) -> R<SummaryDataPoint> {
    Ok(SummaryDataPoint {
        attributes: attrs(p.attributes, d)?,
        start_time_unix_nano: p.start_time_unix_nano,
        time_unix_nano: p.time_unix_nano,
        count: p.count,
        sum: unless_zero(p.sum),
        quantile_values: p
            .quantile_values
            .into_iter()
            .map(|q| ValueAtQuantile {
                quantile: q.quantile,
                value: q.value,
            })
            .collect(),
        flags: p.flags,
    })
}

fn exemplars(list: Vec<pm::Exemplar>, d: usize) -> R<Vec<Exemplar>> {
    use pm::exemplar::Value;
    list.into_iter()
        .map(|e| {
            let (as_double, as_int) = match e.value {
                Some(Value::AsDouble(x)) => (Some(x), None),
                Some(Value::AsInt(i)) => (None, Some(i)),
                None => (None, None),
            };
            Ok(Exemplar {
                filtered_attributes: attrs(e.filtered_attributes, d)?,
                time_unix_nano: e.time_unix_nano,
                as_double,
                as_int,
                span_id: hex(&e.span_id),
                trace_id: hex(&e.trace_id),
            })
        })
        .collect()
}
