//! What counts as a secret, and how it is hidden.
//!
//! Export headers carry API keys and bearer tokens; an endpoint URL can carry a password
//! or a token in its query. None of these may reach any output, in any format, so values
//! are masked when they enter an output structure, and their places in input files are
//! marked so that diagnostics quoting a source line show `****` instead.

use crate::files::{Files, Span};

/// What a hidden value is shown as.
pub const MASK: &str = "****";

/// Words in a variable name that mark its value as a secret.
const SECRET_WORDS: &[&str] = &["KEY", "TOKEN", "SECRET", "PASSWORD", "AUTH", "CREDENTIAL"];

/// True when a variable's value must never be shown: its name contains KEY, TOKEN,
/// SECRET, PASSWORD, AUTH or CREDENTIAL, or it is an OTLP headers variable.
pub fn is_secret_key(key: &str) -> bool {
    let upper = key.to_ascii_uppercase();
    SECRET_WORDS.iter().any(|w| upper.contains(w))
        || (upper.starts_with("OTEL_EXPORTER_OTLP") && upper.ends_with("_HEADERS"))
}

/// True when a value must be hidden: a secret variable, or a URL with a password.
pub fn is_secret(key: &str, value: &str) -> bool {
    is_secret_key(key) || redact_url(value) != value
}

/// The value as it may be shown: fully masked for a secret variable, otherwise with any
/// credentials inside a URL masked.
pub fn shown_value(key: &str, value: &str) -> String {
    if is_secret_key(key) {
        MASK.to_string()
    } else {
        redact_url(value)
    }
}

/// A URL with its user-info (`user:pass@`) and credential-like query values masked.
/// Text that is not a URL comes back unchanged.
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rfind('@') {
        Some(at) => format!("{MASK}@{}", &authority[at + 1..]),
        None => authority.to_string(),
    };
    format!("{}://{authority}{}", &url[..scheme_end], redact_query(tail))
}

fn redact_query(tail: &str) -> String {
    let Some(q) = tail.find('?') else {
        return tail.to_string();
    };
    let (path, query) = tail.split_at(q + 1);
    let (query, fragment) = query.split_at(query.find('#').unwrap_or(query.len()));
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if looks_secret_param(k) => format!("{k}={MASK}"),
            _ => pair.to_string(),
        })
        .collect();
    format!("{path}{}{fragment}", pairs.join("&"))
}

fn looks_secret_param(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    is_secret_key(&upper) || ["SIG", "SIGNATURE", "CODE"].contains(&upper.as_str())
}

/// Marks a whole line as secret when it looks like it holds one (a secret word or
/// `HEADERS` in it). Used where a line could not be parsed, so its parts are unknown.
pub fn mark_line_if_secret_looking(files: &mut Files, span: Span) {
    let Some(text) = files.get(span.file).line_text(span.line) else {
        return;
    };
    let upper = text.to_ascii_uppercase();
    if SECRET_WORDS.iter().any(|w| upper.contains(w)) || upper.contains("HEADERS") {
        let len = u32::try_from(text.chars().count()).unwrap_or(u32::MAX);
        files.mark_secret(Span {
            file: span.file,
            line: span.line,
            col: 1,
            len: len.max(1),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        assert!(is_secret_key("OTEL_EXPORTER_OTLP_HEADERS"));
        assert!(is_secret_key("OTEL_EXPORTER_OTLP_LOGS_HEADERS"));
        assert!(is_secret_key("ANTHROPIC_API_KEY"));
        assert!(is_secret_key("CLAUDE_CODE_OAUTH_TOKEN"));
        assert!(!is_secret_key("OTEL_LOG_USER_PROMPTS"));
        assert!(!is_secret_key("OTEL_EXPORTER_OTLP_ENDPOINT"));
    }

    #[test]
    fn urls_lose_credentials_only() {
        assert_eq!(
            redact_url("https://u:p@otel.example.com:4318/x?token=abc&tenant=acme#f"),
            "https://****@otel.example.com:4318/x?token=****&tenant=acme#f"
        );
        assert_eq!(redact_url("http://127.0.0.1:4318"), "http://127.0.0.1:4318");
        assert_eq!(redact_url("not a url"), "not a url");
        assert!(is_secret("OTEL_EXPORTER_OTLP_ENDPOINT", "https://a:b@h"));
    }

    #[test]
    fn shown_lines_hide_marked_spans() {
        let mut files = Files::new();
        let id = files.add(
            "f.json",
            "{\"H\": \"Authorization=Bearer abc\", \"x\": 1}\n",
        );
        files.mark_secret(Span {
            file: id,
            line: 1,
            col: 7,
            len: 26,
        });
        assert_eq!(
            files.get(id).shown_line(1).unwrap(),
            "{\"H\": ****, \"x\": 1}"
        );
    }
}
