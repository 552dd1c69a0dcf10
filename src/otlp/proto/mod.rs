//! OTLP protobuf: the export requests as the OpenTelemetry project's own protocol types
//! (`opentelemetry-proto`, prost) decode them, converted to and from the model.
//!
//! Clients and collectors send protobuf far more often than JSON (OTLP/gRPC always, the
//! OTLP/HTTP default); `receive` takes it off the wire and `simulate` reads it from files.
//! Nothing here decodes protobuf by hand: prost does, and this module only maps the
//! decoded messages field by field onto [`Telemetry`], exactly as their OTLP/JSON form
//! reads: ids become lowercase hex, 64-bit integers and doubles keep every bit, bytes stay
//! bytes, enums stay numbers. What is read obeys the limits of the OTLP/JSON reader (value
//! length, nesting), so that everything read here can be written as OTLP/JSON and read back.

mod decode;
mod encode;

pub use decode::{decode, from_logs, from_metrics, from_traces};
pub use encode::{ProtoRequest, encode, to_proto};

/// The three signals an OTLP export request can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Signal {
    /// `ExportLogsServiceRequest`, `/v1/logs`.
    Logs,
    /// `ExportMetricsServiceRequest`, `/v1/metrics`.
    Metrics,
    /// `ExportTraceServiceRequest`, `/v1/traces`.
    Traces,
}

impl Signal {
    /// Every signal, in the order they are tried when nothing else decides.
    pub const ALL: [Signal; 3] = [Signal::Logs, Signal::Metrics, Signal::Traces];

    /// The signal's name, as [`super::Telemetry::signal`] and collector pipelines spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Signal::Logs => "logs",
            Signal::Metrics => "metrics",
            Signal::Traces => "traces",
        }
    }

    /// The signal of a request.
    pub fn of(data: &super::Telemetry) -> Signal {
        match data {
            super::Telemetry::Logs(_) => Signal::Logs,
            super::Telemetry::Metrics(_) => Signal::Metrics,
            super::Telemetry::Traces(_) => Signal::Traces,
        }
    }

    /// The name of the protobuf message of its export request.
    pub fn request_message(self) -> &'static str {
        match self {
            Signal::Logs => "ExportLogsServiceRequest",
            Signal::Metrics => "ExportMetricsServiceRequest",
            Signal::Traces => "ExportTraceServiceRequest",
        }
    }
}

impl std::fmt::Display for Signal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests;
