//! Captured OTLP named on the command line (`simulate`, `verify`): files, and folders of
//! them such as `receive --out` writes, read with their limits and located errors.

use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::files::{FileId, Files};
use crate::otlp::{OtlpError, OtlpErrorKind, Telemetry, read_request};

/// Every capture named: files as given, folders as their `*.json` files in name order.
pub fn read_captures(
    paths: &[PathBuf],
    files: &mut Files,
    diags: &mut Diagnostics,
) -> Vec<(FileId, Telemetry)> {
    let mut out = Vec::new();
    for path in paths {
        let listed = if path.is_dir() {
            match capture_files(path) {
                Ok(found) if !found.is_empty() => found,
                Ok(_) => {
                    diags.push(
                        Diagnostic::new(
                            Code::FileUnreadable,
                            format!("the folder `{}` holds no OTLP/JSON capture (`*.json`)", path.display()),
                        )
                        .hint("name the folder `receive --out` wrote, or the capture files themselves"),
                    );
                    continue;
                }
                Err(e) => {
                    diags.push(Diagnostic::new(
                        Code::FileUnreadable,
                        format!("the folder `{}` cannot be read: {e}", path.display()),
                    ));
                    continue;
                }
            }
        } else {
            vec![path.clone()]
        };
        for file in listed {
            let Ok(id) = files.read(&file, None).map_err(|d| diags.push(d)) else {
                continue;
            };
            match read_request(&files.get(id).text) {
                Ok(t) => out.push((id, t)),
                Err(e) => diags.push(capture_error(&e, id)),
            }
        }
    }
    out
}

/// The `*.json` files of a folder, sorted by name so the result does not depend on the
/// order the file system lists them in.
fn capture_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
        .collect();
    found.sort();
    Ok(found)
}

/// A located diagnostic for a capture that is not an OTLP/JSON export request.
pub fn capture_error(e: &OtlpError, id: FileId) -> Diagnostic {
    let to_u32 = |n: usize| u32::try_from(n.max(1)).unwrap_or(u32::MAX);
    let span = crate::files::Span {
        file: id,
        line: to_u32(e.line),
        col: to_u32(e.column),
        len: 1,
    };
    let d = match e.kind {
        OtlpErrorKind::Syntax => Diagnostic::new(
            Code::JsonSyntax,
            format!("not an OTLP/JSON export request: {}", e.message),
        )
        .hint("give a capture as an OTLP receiver stores it (`otel-dpia receive --out`, or the collector's file exporter)"),
        OtlpErrorKind::TooDeep => Diagnostic::new(
            Code::NestingTooDeep,
            format!("the OTLP/JSON request nests deeper than {} levels", crate::limits::MAX_DEPTH),
        )
        .hint("no OTLP exporter writes this; check that this is the capture meant"),
        OtlpErrorKind::TooLong => Diagnostic::new(Code::ValueTooLong, e.message.clone())
            .hint("no OTLP exporter writes a value this long; check that this is the capture meant"),
    };
    d.at(span)
}
