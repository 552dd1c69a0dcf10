//! Environment files: `KEY=VALUE` lines, as a service manager or a shell would load them
//! before starting the coding agent.
//!
//! Accepted: blank lines, `#` comments, an optional `export ` prefix, and values in single
//! quotes (taken literally) or double quotes (`\"`, `\\` and `\n` unescaped). Unquoted
//! values are taken as written up to the end of the line (trailing spaces trimmed); a
//! `#` inside a value is part of it. Anything else is an `EnvFileSyntax` error at its line.

use super::secret;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::files::{FileId, Files, Span};

/// One variable read from a file, with the span of its key.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvLine {
    /// Name.
    pub key: String,
    /// Value, unquoted.
    pub value: String,
    /// Where the key is written.
    pub span: Span,
}

/// Parses an environment file already in `files`. Secret values are marked in the store
/// so no diagnostic can quote them.
pub fn parse_env_file(files: &mut Files, file: FileId, diags: &mut Diagnostics) -> Vec<EnvLine> {
    let text = files.get(file).text.clone();
    let mut out = Vec::new();
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let line_start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let body = line.trim_start();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let indent = line.len() - body.len();
        let body = strip_export(body);
        let key_at = line_start + (line.len() - body.len());
        match parse_line(body) {
            Ok((key, value, value_at)) => {
                let span = files.span_at(file, key_at, key.chars().count());
                if secret::is_secret(&key, &value) {
                    let value_span = files.span_at(file, key_at + value_at, body.len() - value_at);
                    files.mark_secret(value_span);
                }
                out.push(EnvLine { key, value, span });
            }
            Err(problem) => {
                let span = files.span_at(file, line_start + indent, line.trim().chars().count());
                secret::mark_line_if_secret_looking(files, span);
                diags.push(
                    Diagnostic::new(Code::EnvFileSyntax, problem)
                        .at(span)
                        .hint("write one `NAME=value` per line; `#` starts a comment line; quote values with '…' or \"…\""),
                );
            }
        }
    }
    out
}

fn strip_export(body: &str) -> &str {
    match body.strip_prefix("export") {
        Some(rest) if rest.starts_with([' ', '\t']) => rest.trim_start(),
        _ => body,
    }
}

/// `KEY=VALUE` → key, unquoted value, and the byte offset of the value within `body`.
fn parse_line(body: &str) -> Result<(String, String, usize), String> {
    let Some((key, rest)) = body.split_once('=') else {
        return Err("this line is not `NAME=value` (no `=`)".to_string());
    };
    let key = key.trim_end();
    if !is_name(key) {
        return Err("the name before `=` is not a variable name (letters, digits, `_`; not starting with a digit)".to_string());
    }
    let value_at = body.len() - rest.len() + (rest.len() - rest.trim_start().len());
    let value = unquote(rest.trim())?;
    Ok((key.to_string(), value, value_at))
}

fn is_name(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn unquote(value: &str) -> Result<String, String> {
    let unterminated = |q: char| {
        Err(format!(
            "the value opens a {q} quote but does not close it at the end of the line"
        ))
    };
    if let Some(inner) = value.strip_prefix('\'') {
        return match inner.strip_suffix('\'') {
            Some(v) => Ok(v.to_string()),
            None => unterminated('\''),
        };
    }
    if let Some(inner) = value.strip_prefix('"') {
        return match inner.strip_suffix('"') {
            Some(v) if !v.ends_with('\\') || v.ends_with("\\\\") => Ok(unescape(v)),
            _ => unterminated('"'),
        };
    }
    Ok(value.to_string())
}

fn unescape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_usual_forms_and_reports_bad_lines() {
        let mut files = Files::new();
        let text = "# c\n\nA=1\nexport B = two words \nC='x # y'\nD=\"q\\\"x\"\nbad line\n1X=2\nE=\"open\nOTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20t\n";
        let id = files.add(".env", text);
        let mut diags = Diagnostics::new();
        let got = parse_env_file(&mut files, id, &mut diags);
        let pairs: Vec<(&str, &str, u32)> = got
            .iter()
            .map(|l| (l.key.as_str(), l.value.as_str(), l.span.line))
            .collect();
        assert_eq!(
            pairs,
            vec![
                ("A", "1", 3),
                ("B", "two words", 4),
                ("C", "x # y", 5),
                ("D", "q\"x", 6),
                ("OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer%20t", 10),
            ]
        );
        assert_eq!(got[1].span.col, 8);
        let lines: Vec<u32> = diags.iter().map(|d| d.span.unwrap().line).collect();
        assert_eq!(lines, vec![7, 8, 9]);
        assert!(diags.iter().all(|d| d.code == Code::EnvFileSyntax));
        assert_eq!(
            files.get(id).shown_line(10).unwrap(),
            "OTEL_EXPORTER_OTLP_HEADERS=****"
        );
    }
}
