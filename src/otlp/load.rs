//! Captures named on the command line (`--otlp FILE|DIR`), read into the file store with
//! located diagnostics: the one place `simulate` (and every later command that takes
//! captures) turns paths into telemetry.

use std::path::{Path, PathBuf};

use super::capture::{is_json, read_capture};
use super::{OtlpError, OtlpErrorKind, Telemetry};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::files::{FileId, Files, Span};

/// One capture read.
#[derive(Debug, Clone)]
pub struct Capture {
    /// The file it was read from (its display name is the path as given).
    pub file: FileId,
    /// The export request it holds.
    pub data: Telemetry,
}

/// Reads the captures named: a file, or a folder whose capture files (see
/// [`super::capture_files`]) are read in file-name order. Every file is read within the
/// run's size limit; one that cannot be read or is no capture becomes an error naming it,
/// and the others are still read, so that one run shows every problem.
pub fn load_captures(
    paths: &[PathBuf],
    files: &mut Files,
    diags: &mut Diagnostics,
) -> Vec<Capture> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            match super::capture_files(path) {
                Ok(list) => out.extend(list.iter().filter_map(|p| load_one(p, files, diags))),
                Err(d) => diags.push(d),
            }
        } else {
            out.extend(load_one(path, files, diags));
        }
    }
    out
}

fn load_one(path: &Path, files: &mut Files, diags: &mut Diagnostics) -> Option<Capture> {
    let bytes = files
        .read_bytes(path, None)
        .map_err(|d| diags.push(d))
        .ok()?;
    let name = path.to_string_lossy();
    // JSON text is kept, so that a diagnostic can quote its line; protobuf is only named.
    let (file, read) = if is_json(&bytes) {
        match String::from_utf8(bytes) {
            Ok(text) => {
                let file = files.add_read(path, text);
                (file, read_capture(files.get(file).text.as_bytes(), &name))
            }
            Err(e) => (files.add_binary(path), read_capture(e.as_bytes(), &name)),
        }
    } else {
        (files.add_binary(path), read_capture(&bytes, &name))
    };
    match read {
        Ok(data) => Some(Capture { file, data }),
        Err(e) => {
            diags.push(capture_diagnostic(&e, file));
            None
        }
    }
}

/// The located diagnostic for a capture that cannot be read.
pub fn capture_diagnostic(e: &OtlpError, file: FileId) -> Diagnostic {
    let to_u32 = |n: usize| u32::try_from(n.max(1)).unwrap_or(u32::MAX);
    let span = Span {
        file,
        line: to_u32(e.line),
        col: to_u32(e.column),
        len: 1,
    };
    let check = "check that this is the capture meant";
    let d = match e.kind {
        OtlpErrorKind::Syntax => Diagnostic::new(
            Code::JsonSyntax,
            format!("not an OTLP/JSON export request: {}", e.message),
        ),
        // Only the JSON reader knows a line; the protobuf reader says what nests too deep.
        OtlpErrorKind::TooDeep if e.line > 0 => Diagnostic::new(
            Code::NestingTooDeep,
            format!(
                "the OTLP/JSON request nests deeper than {} levels",
                crate::limits::MAX_DEPTH
            ),
        )
        .hint(format!("no OTLP exporter writes this; {check}")),
        OtlpErrorKind::TooDeep => Diagnostic::new(Code::NestingTooDeep, e.message.clone())
            .hint(format!("no OTLP exporter writes this; {check}")),
        OtlpErrorKind::TooLong => Diagnostic::new(Code::ValueTooLong, e.message.clone())
            .hint(format!("no OTLP exporter writes a value this long; {check}")),
        OtlpErrorKind::Protobuf => Diagnostic::new(Code::OtlpCapture, e.message.clone()).hint(
            "give an OTLP/JSON export request, or an OTLP protobuf one (ExportLogsServiceRequest, ExportMetricsServiceRequest, ExportTraceServiceRequest) as an exporter sends it",
        ),
    };
    d.at(span)
}
