//! The captures of a folder: what `receive` writes (`000001-logs.json`, …) or any folder
//! of captures, read as one list in file-name order.

use std::path::{Path, PathBuf};

use super::capture::{CAPTURE_EXTENSIONS, is_capture_name};
use crate::diag::{Code, Diagnostic};

/// The capture files of a folder (see [`is_capture_name`]), sorted by file name (byte
/// order, so `receive`'s numbered names come in the order received). Other entries are left
/// out; an entry with a capture name that is not a readable file is listed, so that reading
/// it names the problem instead of skipping it silently.
pub fn capture_files(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let display = dir.to_string_lossy();
    let unreadable = |e: std::io::Error| {
        Diagnostic::new(
            Code::FileUnreadable,
            format!("the capture folder `{display}` cannot be read ({e})"),
        )
    };
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let name = entry.map_err(unreadable)?.file_name();
        if is_capture_name(&name.to_string_lossy()) {
            names.push(name);
        }
    }
    if names.is_empty() {
        let patterns: Vec<String> = CAPTURE_EXTENSIONS
            .iter()
            .map(|e| format!("`*.{e}`"))
            .collect();
        return Err(Diagnostic::new(
            Code::NoCaptures,
            format!(
                "the capture folder `{display}` holds no capture ({})",
                patterns.join(", ")
            ),
        )
        .hint("name a folder `otel-dpia receive --out` wrote, or the capture files themselves"));
    }
    names.sort();
    Ok(names.into_iter().map(|n| dir.join(n)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_captures_in_name_order_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "000002-metrics.json",
            "000001-logs.json",
            "b.PB",
            "a.binpb",
            "c.protobuf",
            "notes.txt",
            ".000003-logs.json.otel-dpia-tmp",
            "._000004-logs.json",
        ] {
            std::fs::write(dir.path().join(name), "{}").unwrap();
        }
        let names: Vec<String> = capture_files(dir.path())
            .unwrap()
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            [
                "000001-logs.json",
                "000002-metrics.json",
                "a.binpb",
                "b.PB",
                "c.protobuf"
            ]
        );
        let empty = tempfile::tempdir().unwrap();
        std::fs::write(empty.path().join("notes.txt"), "").unwrap();
        assert_eq!(
            capture_files(empty.path()).unwrap_err().code,
            Code::NoCaptures
        );
    }
}
