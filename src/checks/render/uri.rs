//! File names as SARIF wants them: relative to the repository root, forward slashes,
//! percent-encoded where a URI needs it. Paths are compared lexically (no file system
//! access), so the result depends only on the names and the root given.

use std::path::{Component, Path, PathBuf};

/// The URI of a file named `file` (relative to `cwd`, or absolute) for a repository at
/// `root` (relative to `cwd`, or absolute). A file outside the root keeps its name.
pub fn artifact_uri(file: &str, root: &Path, cwd: &Path) -> String {
    let abs_file = normalise(&cwd.join(file));
    let abs_root = normalise(&cwd.join(root));
    let path = match abs_file.strip_prefix(&abs_root) {
        Ok(rel) => rel.to_path_buf(),
        Err(_) => PathBuf::from(file),
    };
    let text = path.to_string_lossy().replace('\\', "/");
    let text = text.strip_prefix("./").unwrap_or(&text);
    encode(text)
}

/// Resolves `.` and `..` without touching the file system.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Percent-encodes every byte outside the unreserved set and `/`.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_repository_relative_uris() {
        let cwd = Path::new("/repo/sub");
        assert_eq!(
            artifact_uri("x/otelcol.yaml", Path::new(".."), cwd),
            "sub/x/otelcol.yaml"
        );
        assert_eq!(
            artifact_uri("./a b.yaml", Path::new("."), cwd),
            "a%20b.yaml"
        );
        assert_eq!(
            artifact_uri("/repo/sub/../c.yaml", Path::new("/repo"), cwd),
            "c.yaml"
        );
        assert_eq!(
            artifact_uri("../../elsewhere/c.yaml", Path::new("."), cwd),
            "../../elsewhere/c.yaml"
        );
    }
}
