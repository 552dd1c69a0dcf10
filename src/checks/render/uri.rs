//! File names as SARIF wants them: forward slashes, percent-encoded where a URI needs it.
//! The names are already relative to the run's base folder (`--repo-root`, else the
//! project file's folder; see [`crate::files::Naming`]), so code scanning finds the files
//! when `--repo-root` names the repository's root.

/// The URI of a file named `file` in the output.
pub fn artifact_uri(file: &str) -> String {
    let text = file.replace('\\', "/");
    let text = text.strip_prefix("./").unwrap_or(&text);
    encode(text)
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
    fn names_become_uris() {
        assert_eq!(artifact_uri("sub/x/otelcol.yaml"), "sub/x/otelcol.yaml");
        assert_eq!(artifact_uri("./a b.yaml"), "a%20b.yaml");
        assert_eq!(
            artifact_uri("../../elsewhere/c.yaml"),
            "../../elsewhere/c.yaml"
        );
    }
}
