//! The OTLP data model for the three signals, shaped like the OTLP/JSON export requests
//! (`ExportLogsServiceRequest`, `ExportMetricsServiceRequest`, `ExportTraceServiceRequest`).
//!
//! Field names follow OTLP/JSON (camelCase). Zero values are left out when written, as
//! the protobuf JSON mapping does, so a written file stays close to what a collector's
//! OTLP/HTTP exporter would send.

use serde::{Deserialize, Serialize};

use super::json::{attrs, enum_i32, opt_u64, u64_str};
use super::value::{AnyValue, Attributes};

fn is_zero_u32(v: &u32) -> bool {
    *v == 0
}
fn is_zero_i32(v: &i32) -> bool {
    *v == 0
}
fn is_zero_u64(v: &u64) -> bool {
    *v == 0
}
fn is_false(v: &bool) -> bool {
    !*v
}

/// One export request: the data of one signal, as a client or collector sends it.
#[derive(Debug, Clone, PartialEq)]
pub enum Telemetry {
    /// Logs (`resourceLogs`).
    Logs(Vec<ResourceLogs>),
    /// Metrics (`resourceMetrics`).
    Metrics(Vec<ResourceMetrics>),
    /// Traces (`resourceSpans`).
    Traces(Vec<ResourceSpans>),
}

impl Telemetry {
    /// The signal's name as used in collector pipeline IDs.
    pub fn signal(&self) -> &'static str {
        match self {
            Telemetry::Logs(_) => "logs",
            Telemetry::Metrics(_) => "metrics",
            Telemetry::Traces(_) => "traces",
        }
    }

    /// True when no resource is left (everything was dropped).
    pub fn is_empty(&self) -> bool {
        match self {
            Telemetry::Logs(r) => r.is_empty(),
            Telemetry::Metrics(r) => r.is_empty(),
            Telemetry::Traces(r) => r.is_empty(),
        }
    }
}

/// A resource: the entity that produced the telemetry.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Resource {
    /// Resource attributes (service.name, host.arch, …).
    #[serde(with = "attrs", skip_serializing_if = "Attributes::is_empty")]
    pub attributes: Attributes,
    /// Attributes the sender had to drop.
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub dropped_attributes_count: u32,
}

/// The instrumentation scope (library) that produced the records.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Scope {
    /// Scope name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Scope version.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub version: String,
    /// Scope attributes.
    #[serde(with = "attrs", skip_serializing_if = "Attributes::is_empty")]
    pub attributes: Attributes,
    /// Attributes the sender had to drop.
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub dropped_attributes_count: u32,
}

// ---------------------------------------------------------------------------------------
// Logs

/// Logs of one resource.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ResourceLogs {
    /// The resource.
    pub resource: Resource,
    /// Logs per scope.
    pub scope_logs: Vec<ScopeLogs>,
    /// Schema URL.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub schema_url: String,
}

/// Logs of one scope.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ScopeLogs {
    /// The scope.
    pub scope: Scope,
    /// The records.
    pub log_records: Vec<LogRecord>,
    /// Schema URL.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub schema_url: String,
}

/// One log record (for Claude Code: one event such as `claude_code.user_prompt`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LogRecord {
    /// Event time.
    #[serde(with = "u64_str", skip_serializing_if = "is_zero_u64")]
    pub time_unix_nano: u64,
    /// Time the record was observed by the sender.
    #[serde(with = "u64_str", skip_serializing_if = "is_zero_u64")]
    pub observed_time_unix_nano: u64,
    /// Severity number (1–24; 0 unspecified).
    #[serde(with = "enum_i32", skip_serializing_if = "is_zero_i32")]
    pub severity_number: i32,
    /// Severity text.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub severity_text: String,
    /// The body.
    #[serde(
        with = "super::json::any_value",
        skip_serializing_if = "AnyValue::is_empty"
    )]
    pub body: AnyValue,
    /// Record attributes.
    #[serde(with = "attrs", skip_serializing_if = "Attributes::is_empty")]
    pub attributes: Attributes,
    /// Attributes the sender had to drop.
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub dropped_attributes_count: u32,
    /// W3C trace flags.
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub flags: u32,
    /// Trace ID, hex.
    #[serde(skip_serializing_if = "String::is_empty", deserialize_with = "hex_id")]
    pub trace_id: String,
    /// Span ID, hex.
    #[serde(skip_serializing_if = "String::is_empty", deserialize_with = "hex_id")]
    pub span_id: String,
    /// Event name (newer OTLP).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub event_name: String,
}

// ---------------------------------------------------------------------------------------
// Traces

/// Spans of one resource.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ResourceSpans {
    /// The resource.
    pub resource: Resource,
    /// Spans per scope.
    pub scope_spans: Vec<ScopeSpans>,
    /// Schema URL.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub schema_url: String,
}

/// Spans of one scope.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ScopeSpans {
    /// The scope.
    pub scope: Scope,
    /// The spans.
    pub spans: Vec<Span>,
    /// Schema URL.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub schema_url: String,
}

/// One span.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Span {
    /// Trace ID, hex.
    #[serde(skip_serializing_if = "String::is_empty", deserialize_with = "hex_id")]
    pub trace_id: String,
    /// Span ID, hex.
    #[serde(skip_serializing_if = "String::is_empty", deserialize_with = "hex_id")]
    pub span_id: String,
    /// W3C trace state.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub trace_state: String,
    /// Parent span ID, hex.
    #[serde(skip_serializing_if = "String::is_empty", deserialize_with = "hex_id")]
    pub parent_span_id: String,
    /// W3C trace flags.
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub flags: u32,
    /// Span name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Span kind (0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer).
    #[serde(with = "enum_i32", skip_serializing_if = "is_zero_i32")]
    pub kind: i32,
    /// Start time.
    #[serde(with = "u64_str", skip_serializing_if = "is_zero_u64")]
    pub start_time_unix_nano: u64,
    /// End time.
    #[serde(with = "u64_str", skip_serializing_if = "is_zero_u64")]
    pub end_time_unix_nano: u64,
    /// Span attributes.
    #[serde(with = "attrs", skip_serializing_if = "Attributes::is_empty")]
    pub attributes: Attributes,
    /// Attributes the sender had to drop.
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub dropped_attributes_count: u32,
    /// Span events.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<SpanEvent>,
    /// Events the sender had to drop.
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub dropped_events_count: u32,
    /// Links to other spans.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<SpanLink>,
    /// Links the sender had to drop.
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub dropped_links_count: u32,
    /// Status.
    pub status: Status,
}

/// A span event.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SpanEvent {
    /// Event time.
    #[serde(with = "u64_str", skip_serializing_if = "is_zero_u64")]
    pub time_unix_nano: u64,
    /// Event name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Event attributes.
    #[serde(with = "attrs", skip_serializing_if = "Attributes::is_empty")]
    pub attributes: Attributes,
    /// Attributes the sender had to drop.
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub dropped_attributes_count: u32,
}

/// A link from a span to another span.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SpanLink {
    /// Linked trace ID, hex.
    #[serde(skip_serializing_if = "String::is_empty", deserialize_with = "hex_id")]
    pub trace_id: String,
    /// Linked span ID, hex.
    #[serde(skip_serializing_if = "String::is_empty", deserialize_with = "hex_id")]
    pub span_id: String,
    /// W3C trace state.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub trace_state: String,
    /// Link attributes.
    #[serde(with = "attrs", skip_serializing_if = "Attributes::is_empty")]
    pub attributes: Attributes,
    /// Attributes the sender had to drop.
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub dropped_attributes_count: u32,
    /// W3C trace flags.
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub flags: u32,
}

/// Span status.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Status {
    /// Status message.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// Status code (0 unset, 1 ok, 2 error).
    #[serde(with = "enum_i32", skip_serializing_if = "is_zero_i32")]
    pub code: i32,
}

// ---------------------------------------------------------------------------------------
// Metrics

/// Metrics of one resource.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ResourceMetrics {
    /// The resource.
    pub resource: Resource,
    /// Metrics per scope.
    pub scope_metrics: Vec<ScopeMetrics>,
    /// Schema URL.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub schema_url: String,
}

/// Metrics of one scope.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ScopeMetrics {
    /// The scope.
    pub scope: Scope,
    /// The metrics.
    pub metrics: Vec<Metric>,
    /// Schema URL.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub schema_url: String,
}

/// One metric with its datapoints. Exactly one of the data fields is set in valid data.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Metric {
    /// Metric name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Description.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Unit.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub unit: String,
    /// Metadata attributes (newer OTLP).
    #[serde(with = "attrs", skip_serializing_if = "Attributes::is_empty")]
    pub metadata: Attributes,
    /// Gauge data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gauge: Option<Gauge>,
    /// Sum data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sum: Option<Sum>,
    /// Histogram data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub histogram: Option<Histogram>,
    /// Exponential histogram data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exponential_histogram: Option<ExponentialHistogram>,
    /// Summary data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<Summary>,
}

/// Gauge data.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Gauge {
    /// Datapoints.
    pub data_points: Vec<NumberDataPoint>,
}

/// Sum (counter) data.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Sum {
    /// Datapoints.
    pub data_points: Vec<NumberDataPoint>,
    /// 1 delta, 2 cumulative.
    #[serde(with = "enum_i32", skip_serializing_if = "is_zero_i32")]
    pub aggregation_temporality: i32,
    /// Whether the sum only grows.
    #[serde(skip_serializing_if = "is_false")]
    pub is_monotonic: bool,
}

/// Histogram data.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Histogram {
    /// Datapoints.
    pub data_points: Vec<HistogramDataPoint>,
    /// 1 delta, 2 cumulative.
    #[serde(with = "enum_i32", skip_serializing_if = "is_zero_i32")]
    pub aggregation_temporality: i32,
}

/// Exponential histogram data.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ExponentialHistogram {
    /// Datapoints.
    pub data_points: Vec<ExponentialHistogramDataPoint>,
    /// 1 delta, 2 cumulative.
    #[serde(with = "enum_i32", skip_serializing_if = "is_zero_i32")]
    pub aggregation_temporality: i32,
}

/// Summary data.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Summary {
    /// Datapoints.
    pub data_points: Vec<SummaryDataPoint>,
}

/// A gauge or sum datapoint.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NumberDataPoint {
    /// Datapoint attributes.
    #[serde(with = "attrs", skip_serializing_if = "Attributes::is_empty")]
    pub attributes: Attributes,
    /// Start of the aggregation window.
    #[serde(with = "u64_str", skip_serializing_if = "is_zero_u64")]
    pub start_time_unix_nano: u64,
    /// Time of the value.
    #[serde(with = "u64_str", skip_serializing_if = "is_zero_u64")]
    pub time_unix_nano: u64,
    /// Double value.
    #[serde(
        with = "super::json::double::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub as_double: Option<f64>,
    /// Int value.
    #[serde(with = "opt_u64::signed", skip_serializing_if = "Option::is_none")]
    pub as_int: Option<i64>,
    /// Exemplars.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exemplars: Vec<Exemplar>,
    /// Datapoint flags.
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub flags: u32,
}

/// A histogram datapoint.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct HistogramDataPoint {
    /// Datapoint attributes.
    #[serde(with = "attrs", skip_serializing_if = "Attributes::is_empty")]
    pub attributes: Attributes,
    /// Start of the aggregation window.
    #[serde(with = "u64_str", skip_serializing_if = "is_zero_u64")]
    pub start_time_unix_nano: u64,
    /// Time of the value.
    #[serde(with = "u64_str", skip_serializing_if = "is_zero_u64")]
    pub time_unix_nano: u64,
    /// Number of values.
    #[serde(with = "u64_str", skip_serializing_if = "is_zero_u64")]
    pub count: u64,
    /// Sum of the values.
    #[serde(
        with = "super::json::double::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub sum: Option<f64>,
    /// Count per bucket.
    #[serde(with = "super::json::u64_vec", skip_serializing_if = "Vec::is_empty")]
    pub bucket_counts: Vec<u64>,
    /// Bucket bounds.
    #[serde(
        with = "super::json::double::vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub explicit_bounds: Vec<f64>,
    /// Exemplars.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exemplars: Vec<Exemplar>,
    /// Datapoint flags.
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub flags: u32,
    /// Smallest value.
    #[serde(
        with = "super::json::double::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub min: Option<f64>,
    /// Largest value.
    #[serde(
        with = "super::json::double::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub max: Option<f64>,
}

/// An exponential histogram datapoint.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ExponentialHistogramDataPoint {
    /// Datapoint attributes.
    #[serde(with = "attrs", skip_serializing_if = "Attributes::is_empty")]
    pub attributes: Attributes,
    /// Start of the aggregation window.
    #[serde(with = "u64_str", skip_serializing_if = "is_zero_u64")]
    pub start_time_unix_nano: u64,
    /// Time of the value.
    #[serde(with = "u64_str", skip_serializing_if = "is_zero_u64")]
    pub time_unix_nano: u64,
    /// Number of values.
    #[serde(with = "u64_str", skip_serializing_if = "is_zero_u64")]
    pub count: u64,
    /// Sum of the values.
    #[serde(
        with = "super::json::double::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub sum: Option<f64>,
    /// Resolution.
    #[serde(skip_serializing_if = "is_zero_i32")]
    pub scale: i32,
    /// Count of values in the zero bucket.
    #[serde(with = "u64_str", skip_serializing_if = "is_zero_u64")]
    pub zero_count: u64,
    /// Positive buckets.
    pub positive: Buckets,
    /// Negative buckets.
    pub negative: Buckets,
    /// Datapoint flags.
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub flags: u32,
    /// Exemplars.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exemplars: Vec<Exemplar>,
    /// Smallest value.
    #[serde(
        with = "super::json::double::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub min: Option<f64>,
    /// Largest value.
    #[serde(
        with = "super::json::double::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub max: Option<f64>,
    /// Width of the zero bucket.
    #[serde(
        with = "super::json::double::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub zero_threshold: Option<f64>,
}

/// Exponential histogram buckets.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Buckets {
    /// Index of the first bucket.
    #[serde(skip_serializing_if = "is_zero_i32")]
    pub offset: i32,
    /// Count per bucket.
    #[serde(with = "super::json::u64_vec", skip_serializing_if = "Vec::is_empty")]
    pub bucket_counts: Vec<u64>,
}

/// A summary datapoint.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SummaryDataPoint {
    /// Datapoint attributes.
    #[serde(with = "attrs", skip_serializing_if = "Attributes::is_empty")]
    pub attributes: Attributes,
    /// Start of the aggregation window.
    #[serde(with = "u64_str", skip_serializing_if = "is_zero_u64")]
    pub start_time_unix_nano: u64,
    /// Time of the value.
    #[serde(with = "u64_str", skip_serializing_if = "is_zero_u64")]
    pub time_unix_nano: u64,
    /// Number of values.
    #[serde(with = "u64_str", skip_serializing_if = "is_zero_u64")]
    pub count: u64,
    /// Sum of the values.
    #[serde(
        with = "super::json::double::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub sum: Option<f64>,
    /// Quantiles.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub quantile_values: Vec<ValueAtQuantile>,
    /// Datapoint flags.
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub flags: u32,
}

/// One quantile of a summary.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ValueAtQuantile {
    /// The quantile (0–1).
    #[serde(with = "super::json::double")]
    pub quantile: f64,
    /// Its value.
    #[serde(with = "super::json::double")]
    pub value: f64,
}

/// An exemplar: a sample value, possibly with the trace it came from.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Exemplar {
    /// Attributes not already on the datapoint.
    #[serde(with = "attrs", skip_serializing_if = "Attributes::is_empty")]
    pub filtered_attributes: Attributes,
    /// Time of the sample.
    #[serde(with = "u64_str", skip_serializing_if = "is_zero_u64")]
    pub time_unix_nano: u64,
    /// Double value.
    #[serde(
        with = "super::json::double::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub as_double: Option<f64>,
    /// Int value.
    #[serde(with = "opt_u64::signed", skip_serializing_if = "Option::is_none")]
    pub as_int: Option<i64>,
    /// Span ID, hex.
    #[serde(skip_serializing_if = "String::is_empty", deserialize_with = "hex_id")]
    pub span_id: String,
    /// Trace ID, hex.
    #[serde(skip_serializing_if = "String::is_empty", deserialize_with = "hex_id")]
    pub trace_id: String,
}

impl Metric {
    /// The metric's data type as OTTL numbers it (`METRIC_DATA_TYPE_*`): 0 none, 1 gauge,
    /// 2 sum, 3 histogram, 4 exponential histogram, 5 summary.
    pub fn data_type(&self) -> i64 {
        if self.gauge.is_some() {
            1
        } else if self.sum.is_some() {
            2
        } else if self.histogram.is_some() {
            3
        } else if self.exponential_histogram.is_some() {
            4
        } else if self.summary.is_some() {
            5
        } else {
            0
        }
    }

    /// The attribute maps of every datapoint, whatever the type.
    pub fn datapoint_attributes_mut(&mut self) -> Vec<&mut Attributes> {
        let mut out: Vec<&mut Attributes> = Vec::new();
        if let Some(g) = &mut self.gauge {
            out.extend(g.data_points.iter_mut().map(|d| &mut d.attributes));
        }
        if let Some(s) = &mut self.sum {
            out.extend(s.data_points.iter_mut().map(|d| &mut d.attributes));
        }
        if let Some(h) = &mut self.histogram {
            out.extend(h.data_points.iter_mut().map(|d| &mut d.attributes));
        }
        if let Some(e) = &mut self.exponential_histogram {
            out.extend(e.data_points.iter_mut().map(|d| &mut d.attributes));
        }
        if let Some(s) = &mut self.summary {
            out.extend(s.data_points.iter_mut().map(|d| &mut d.attributes));
        }
        out
    }

    /// Number of datapoints, whatever the type.
    pub fn datapoint_count(&self) -> usize {
        self.gauge.as_ref().map_or(0, |g| g.data_points.len())
            + self.sum.as_ref().map_or(0, |s| s.data_points.len())
            + self.histogram.as_ref().map_or(0, |h| h.data_points.len())
            + self
                .exponential_histogram
                .as_ref()
                .map_or(0, |e| e.data_points.len())
            + self.summary.as_ref().map_or(0, |s| s.data_points.len())
    }
}

/// A trace or span id as the hex OTLP/JSON writes: a collector reads either case into the
/// same bytes, so a hex id is kept in lower case (as the protobuf form decodes it); any
/// other text is kept as it is.
fn hex_id<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let text = <String as serde::Deserialize>::deserialize(d)?;
    Ok(if text.bytes().all(|b| b.is_ascii_hexdigit()) {
        text.to_ascii_lowercase()
    } else {
        text
    })
}
