//! Concrete OTLP telemetry: the model, and OTLP/JSON in and out.
//!
//! `simulate` runs collector processors over real records (for example the raw captures
//! of Claude Code's exports) and prints what each destination would receive; this module
//! is the data it works on. Values keep their OTLP types, and writing is deterministic.

pub mod enums;
mod json;
mod model;
mod value;

pub use json::{OtlpError, OtlpErrorKind, base64_encode, read_request, write_request};
pub use model::*;
pub use value::{AnyValue, Attributes, format_double, go_json};
