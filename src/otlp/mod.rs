//! Concrete OTLP telemetry: the model, and OTLP/JSON and protobuf in and out.
//!
//! `simulate` runs collector processors over real records (for example the raw captures
//! of Claude Code's exports) and prints what each destination would receive; this module
//! is the data it works on. Values keep their OTLP types, and writing is deterministic.
//! [`read_capture`] reads one capture in either encoding, [`load_captures`] the files and
//! folders named on the command line; [`proto`] converts the protocol's protobuf messages.

mod capture;
pub mod enums;
mod folder;
mod json;
mod load;
mod model;
pub mod proto;
mod value;

pub use capture::{CAPTURE_EXTENSIONS, is_capture_name, is_json, read_capture, signal_hint};
pub use folder::capture_files;
pub use json::{
    OtlpError, OtlpErrorKind, base64_encode, read_request, read_request_for, write_request,
};
pub use load::{Capture, capture_diagnostic, load_captures};
pub use model::*;
pub use value::{AnyValue, Attributes, format_double, go_json};
