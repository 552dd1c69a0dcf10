//! Model → protobuf: the inverse of `decode`, so that what a capture holds can be sent
//! as a real client sends it (the `receive` tests do) and written as a protobuf capture.
//! Ids go back from hex to bytes; an id that is not hex cannot be sent and is an error.

use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1 as pc;
use opentelemetry_proto::tonic::logs::v1 as pl;
use opentelemetry_proto::tonic::metrics::v1 as pm;
use opentelemetry_proto::tonic::resource::v1 as pr;
use opentelemetry_proto::tonic::trace::v1 as pt;
use prost::Message as _;

use crate::otlp::model::*;
use crate::otlp::value::{AnyValue, Attributes};
use crate::otlp::{OtlpError, OtlpErrorKind};

/// An export request as the protocol's message of its signal.
#[derive(Debug, Clone, PartialEq)]
pub enum ProtoRequest {
    /// `ExportLogsServiceRequest`.
    Logs(ExportLogsServiceRequest),
    /// `ExportMetricsServiceRequest`.
    Metrics(ExportMetricsServiceRequest),
    /// `ExportTraceServiceRequest`.
    Traces(ExportTraceServiceRequest),
}

impl ProtoRequest {
    /// The protobuf bytes, as an OTLP exporter sends them.
    pub fn encode_to_vec(&self) -> Vec<u8> {
        match self {
            ProtoRequest::Logs(r) => r.encode_to_vec(),
            ProtoRequest::Metrics(r) => r.encode_to_vec(),
            ProtoRequest::Traces(r) => r.encode_to_vec(),
        }
    }
}

/// The protobuf bytes of an export request.
pub fn encode(data: &Telemetry) -> Result<Vec<u8>, OtlpError> {
    Ok(to_proto(data)?.encode_to_vec())
}

/// The protocol's message for an export request.
pub fn to_proto(data: &Telemetry) -> Result<ProtoRequest, OtlpError> {
    Ok(match data {
        Telemetry::Logs(r) => ProtoRequest::Logs(ExportLogsServiceRequest {
            resource_logs: r.iter().map(resource_logs).collect::<Result<_, _>>()?,
        }),
        Telemetry::Metrics(r) => ProtoRequest::Metrics(ExportMetricsServiceRequest {
            resource_metrics: r.iter().map(resource_metrics).collect::<Result<_, _>>()?,
        }),
        Telemetry::Traces(r) => ProtoRequest::Traces(ExportTraceServiceRequest {
            resource_spans: r.iter().map(resource_spans).collect::<Result<_, _>>()?,
        }),
    })
}

type R<T> = Result<T, OtlpError>;

/// The bytes of a hex id (either case).
fn unhex(text: &str) -> R<Vec<u8>> {
    let digit = |c: u8| char::from(c).to_digit(16);
    let bytes = text.as_bytes();
    let bad = || OtlpError {
        line: 0,
        column: 0,
        message: format!("the id `{text}` is not hex, so it has no protobuf form"),
        kind: OtlpErrorKind::Syntax,
    };
    if !bytes.len().is_multiple_of(2) {
        return Err(bad());
    }
    bytes
        .chunks(2)
        .map(|pair| match (digit(pair[0]), digit(pair[1])) {
            (Some(h), Some(l)) => u8::try_from(h * 16 + l).map_err(|_| bad()),
            _ => Err(bad()),
        })
        .collect()
}

fn attrs(m: &Attributes) -> Vec<pc::KeyValue> {
    m.iter()
        .map(|(k, v)| pc::KeyValue {
            key: k.to_string(),
            value: Some(value(v)),
            ..Default::default()
        })
        .collect()
}

fn value(v: &AnyValue) -> pc::AnyValue {
    use pc::any_value::Value as V;
    pc::AnyValue {
        value: match v {
            AnyValue::Empty => None,
            AnyValue::Str(s) => Some(V::StringValue(s.clone())),
            AnyValue::Bool(b) => Some(V::BoolValue(*b)),
            AnyValue::Int(i) => Some(V::IntValue(*i)),
            AnyValue::Double(x) => Some(V::DoubleValue(*x)),
            AnyValue::Bytes(b) => Some(V::BytesValue(b.clone())),
            AnyValue::Array(items) => Some(V::ArrayValue(pc::ArrayValue {
                values: items.iter().map(value).collect(),
            })),
            AnyValue::Map(m) => Some(V::KvlistValue(pc::KeyValueList { values: attrs(m) })),
        },
    }
}

fn resource(r: &Resource) -> Option<pr::Resource> {
    Some(pr::Resource {
        attributes: attrs(&r.attributes),
        dropped_attributes_count: r.dropped_attributes_count,
        ..Default::default()
    })
}

fn scope(s: &Scope) -> Option<pc::InstrumentationScope> {
    Some(pc::InstrumentationScope {
        name: s.name.clone(),
        version: s.version.clone(),
        attributes: attrs(&s.attributes),
        dropped_attributes_count: s.dropped_attributes_count,
    })
}

fn resource_logs(r: &ResourceLogs) -> R<pl::ResourceLogs> {
    Ok(pl::ResourceLogs {
        resource: resource(&r.resource),
        scope_logs: r
            .scope_logs
            .iter()
            .map(|s| {
                Ok(pl::ScopeLogs {
                    scope: scope(&s.scope),
                    log_records: s.log_records.iter().map(log_record).collect::<R<_>>()?,
                    schema_url: s.schema_url.clone(),
                })
            })
            .collect::<R<_>>()?,
        schema_url: r.schema_url.clone(),
    })
}

fn log_record(r: &LogRecord) -> R<pl::LogRecord> {
    Ok(pl::LogRecord {
        time_unix_nano: r.time_unix_nano,
        observed_time_unix_nano: r.observed_time_unix_nano,
        severity_number: r.severity_number,
        severity_text: r.severity_text.clone(),
        body: (!r.body.is_empty()).then(|| value(&r.body)),
        attributes: attrs(&r.attributes),
        dropped_attributes_count: r.dropped_attributes_count,
        flags: r.flags,
        trace_id: unhex(&r.trace_id)?,
        span_id: unhex(&r.span_id)?,
        event_name: r.event_name.clone(),
    })
}

fn resource_spans(r: &ResourceSpans) -> R<pt::ResourceSpans> {
    Ok(pt::ResourceSpans {
        resource: resource(&r.resource),
        scope_spans: r
            .scope_spans
            .iter()
            .map(|s| {
                Ok(pt::ScopeSpans {
                    scope: scope(&s.scope),
                    spans: s.spans.iter().map(span).collect::<R<_>>()?,
                    schema_url: s.schema_url.clone(),
                })
            })
            .collect::<R<_>>()?,
        schema_url: r.schema_url.clone(),
    })
}

fn span(s: &Span) -> R<pt::Span> {
    Ok(pt::Span {
        trace_id: unhex(&s.trace_id)?,
        span_id: unhex(&s.span_id)?,
        trace_state: s.trace_state.clone(),
        parent_span_id: unhex(&s.parent_span_id)?,
        flags: s.flags,
        name: s.name.clone(),
        kind: s.kind,
        start_time_unix_nano: s.start_time_unix_nano,
        end_time_unix_nano: s.end_time_unix_nano,
        attributes: attrs(&s.attributes),
        dropped_attributes_count: s.dropped_attributes_count,
        events: s
            .events
            .iter()
            .map(|e| pt::span::Event {
                time_unix_nano: e.time_unix_nano,
                name: e.name.clone(),
                attributes: attrs(&e.attributes),
                dropped_attributes_count: e.dropped_attributes_count,
            })
            .collect(),
        dropped_events_count: s.dropped_events_count,
        links: s
            .links
            .iter()
            .map(|l| {
                Ok(pt::span::Link {
                    trace_id: unhex(&l.trace_id)?,
                    span_id: unhex(&l.span_id)?,
                    trace_state: l.trace_state.clone(),
                    attributes: attrs(&l.attributes),
                    dropped_attributes_count: l.dropped_attributes_count,
                    flags: l.flags,
                })
            })
            .collect::<R<_>>()?,
        dropped_links_count: s.dropped_links_count,
        status: Some(pt::Status {
            message: s.status.message.clone(),
            code: s.status.code,
        }),
    })
}

fn resource_metrics(r: &ResourceMetrics) -> R<pm::ResourceMetrics> {
    Ok(pm::ResourceMetrics {
        resource: resource(&r.resource),
        scope_metrics: r
            .scope_metrics
            .iter()
            .map(|s| {
                Ok(pm::ScopeMetrics {
                    scope: scope(&s.scope),
                    metrics: s.metrics.iter().map(metric).collect::<R<_>>()?,
                    schema_url: s.schema_url.clone(),
                })
            })
            .collect::<R<_>>()?,
        schema_url: r.schema_url.clone(),
    })
}

/// The metric's data; valid data has one type, and the first set one is taken.
fn metric(m: &Metric) -> R<pm::Metric> {
    use pm::metric::Data;
    let data = if let Some(g) = &m.gauge {
        Some(Data::Gauge(pm::Gauge {
            data_points: g.data_points.iter().map(number_point).collect::<R<_>>()?,
        }))
    } else if let Some(s) = &m.sum {
        Some(Data::Sum(pm::Sum {
            data_points: s.data_points.iter().map(number_point).collect::<R<_>>()?,
            aggregation_temporality: s.aggregation_temporality,
            is_monotonic: s.is_monotonic,
        }))
    } else if let Some(h) = &m.histogram {
        Some(Data::Histogram(pm::Histogram {
            data_points: h
                .data_points
                .iter()
                .map(histogram_point)
                .collect::<R<_>>()?,
            aggregation_temporality: h.aggregation_temporality,
        }))
    } else if let Some(h) = &m.exponential_histogram {
        Some(Data::ExponentialHistogram(pm::ExponentialHistogram {
            data_points: h
                .data_points
                .iter()
                .map(exponential_point)
                .collect::<R<_>>()?,
            aggregation_temporality: h.aggregation_temporality,
        }))
    } else if let Some(s) = &m.summary {
        Some(Data::Summary(pm::Summary {
            data_points: s.data_points.iter().map(summary_point).collect::<R<_>>()?,
        }))
    } else {
        None
    };
    Ok(pm::Metric {
        name: m.name.clone(),
        description: m.description.clone(),
        unit: m.unit.clone(),
        metadata: attrs(&m.metadata),
        data,
    })
}

fn number_point(p: &NumberDataPoint) -> R<pm::NumberDataPoint> {
    use pm::number_data_point::Value;
    Ok(pm::NumberDataPoint {
        attributes: attrs(&p.attributes),
        start_time_unix_nano: p.start_time_unix_nano,
        time_unix_nano: p.time_unix_nano,
        exemplars: p.exemplars.iter().map(exemplar).collect::<R<_>>()?,
        flags: p.flags,
        value: match (p.as_double, p.as_int) {
            (Some(x), _) => Some(Value::AsDouble(x)),
            (None, Some(i)) => Some(Value::AsInt(i)),
            (None, None) => None,
        },
    })
}

fn histogram_point(p: &HistogramDataPoint) -> R<pm::HistogramDataPoint> {
    Ok(pm::HistogramDataPoint {
        attributes: attrs(&p.attributes),
        start_time_unix_nano: p.start_time_unix_nano,
        time_unix_nano: p.time_unix_nano,
        count: p.count,
        sum: p.sum,
        bucket_counts: p.bucket_counts.clone(),
        explicit_bounds: p.explicit_bounds.clone(),
        exemplars: p.exemplars.iter().map(exemplar).collect::<R<_>>()?,
        flags: p.flags,
        min: p.min,
        max: p.max,
    })
}

fn exponential_point(p: &ExponentialHistogramDataPoint) -> R<pm::ExponentialHistogramDataPoint> {
    let buckets = |b: &Buckets| {
        Some(pm::exponential_histogram_data_point::Buckets {
            offset: b.offset,
            bucket_counts: b.bucket_counts.clone(),
        })
    };
    Ok(pm::ExponentialHistogramDataPoint {
        attributes: attrs(&p.attributes),
        start_time_unix_nano: p.start_time_unix_nano,
        time_unix_nano: p.time_unix_nano,
        count: p.count,
        sum: p.sum,
        scale: p.scale,
        zero_count: p.zero_count,
        positive: buckets(&p.positive),
        negative: buckets(&p.negative),
        flags: p.flags,
        exemplars: p.exemplars.iter().map(exemplar).collect::<R<_>>()?,
        min: p.min,
        max: p.max,
        zero_threshold: p.zero_threshold.unwrap_or(0.0),
    })
}

fn summary_point(p: &SummaryDataPoint) -> R<pm::SummaryDataPoint> {
    Ok(pm::SummaryDataPoint {
        attributes: attrs(&p.attributes),
        start_time_unix_nano: p.start_time_unix_nano,
        time_unix_nano: p.time_unix_nano,
        count: p.count,
        sum: p.sum.unwrap_or(0.0),
        quantile_values: p
            .quantile_values
            .iter()
            .map(|q| pm::summary_data_point::ValueAtQuantile {
                quantile: q.quantile,
                value: q.value,
            })
            .collect(),
        flags: p.flags,
    })
}

fn exemplar(e: &Exemplar) -> R<pm::Exemplar> {
    use pm::exemplar::Value;
    Ok(pm::Exemplar {
        filtered_attributes: attrs(&e.filtered_attributes),
        time_unix_nano: e.time_unix_nano,
        span_id: unhex(&e.span_id)?,
        trace_id: unhex(&e.trace_id)?,
        value: match (e.as_double, e.as_int) {
            (Some(x), _) => Some(Value::AsDouble(x)),
            (None, Some(i)) => Some(Value::AsInt(i)),
            (None, None) => None,
        },
    })
}
