//! Writing output files atomically: the content goes to a temporary file in the target
//! folder first and is renamed over the target only when complete, so a failed run never
//! leaves a half-written document behind.

use std::io::Write as _;
use std::path::Path;

use crate::diag::{Code, Diagnostic};

/// Writes `content` to `path` atomically, creating missing parent folders.
pub fn write_atomic(path: &Path, content: &[u8]) -> Result<(), Diagnostic> {
    let fail = |what: &str, err: std::io::Error| {
        Diagnostic::new(
            Code::OutputUnwritable,
            format!("cannot write `{}`: {what} ({err})", path.display()),
        )
        .hint("check that the folder exists and is writable")
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(|e| fail("cannot create the folder", e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.otel-dpia-tmp"));
    let result = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(content).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(err) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail("the write failed", err));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/out.txt");
        write_atomic(&path, b"hello").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "hello");
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("out.txt")]);
    }
}
