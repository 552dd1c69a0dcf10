//! Which configuration values are secrets and must never be shown.
//!
//! Header values (OTLP `headers`, often `authorization: Bearer …`), API keys, tokens,
//! passwords and connection strings must not reach any output: not a graph, not a document,
//! not a diagnostic. Every printer asks this module before it shows a value. The rule errs on
//! the side of hiding: a hidden harmless value costs a line of detail, a shown secret costs
//! a leak.

use std::borrow::Cow;

/// Keys that hold a secret wherever they appear (compared in lower case, `-` read as `_`).
const SECRET_KEYS: &[&str] = &[
    "key",
    "auth",
    "authorization",
    "dsn",
    "connection_string",
    "instrumentation_key",
    "private_key",
    "credentials",
    "cookie",
];

/// Parts of a key that mark it as a secret (`api_key`, `access_token`, `client_secret`, …).
const SECRET_PARTS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "api_key",
    "apikey",
    "access_key",
    "private_key",
];

/// True when the value of a key with this name is a secret.
pub fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase().replace('-', "_");
    SECRET_KEYS.contains(&key.as_str()) || SECRET_PARTS.iter().any(|p| key.contains(p))
}

/// True when a value at this key path is a secret: a secret key anywhere on the path, or
/// anything inside a `headers` map (header names are shown, their values never).
pub fn is_secret_path<S: AsRef<str>>(path: &[S]) -> bool {
    path.iter().any(|k| {
        let k = k.as_ref();
        k.eq_ignore_ascii_case("headers") || is_secret_key(k)
    })
}

/// Hides credentials a URL may carry in its user-info (`https://user:pass@host`) or its
/// query string (`?api_key=…`). Other text is returned unchanged.
pub fn scrub_url(text: &str) -> Cow<'_, str> {
    let Some(scheme_end) = text.find("://").map(|i| i + 3) else {
        return Cow::Borrowed(text);
    };
    let rest = &text[scheme_end..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let userinfo_end = rest[..authority_end].rfind('@');
    let query = rest.find('?');
    if userinfo_end.is_none() && query.is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = text[..scheme_end].to_string();
    let host_start = userinfo_end.map_or(0, |at| {
        out.push_str("<redacted>@");
        at + 1
    });
    match query {
        Some(q) => {
            out.push_str(&rest[host_start..q]);
            out.push_str("?<redacted>");
        }
        None => out.push_str(&rest[host_start..]),
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_keys_are_recognised() {
        for key in [
            "api_key",
            "key",
            "token",
            "access_token",
            "private_key",
            "password",
            "auth",
            "connection_string",
            "dsn",
            "instrumentation_key",
            "client_secret",
            "X-API-Key",
            "bearer_token",
            "Authorization",
        ] {
            assert!(is_secret_key(key), "{key} should be secret");
        }
        for key in [
            "endpoint",
            "site",
            "realm",
            "region",
            "verbosity",
            "key_file_path_x",
            "keys",
        ] {
            assert!(!is_secret_key(key), "{key} should not be secret");
        }
    }

    #[test]
    fn everything_under_headers_is_secret() {
        assert!(is_secret_path(&["exporters", "otlp", "headers", "x-team"]));
        assert!(is_secret_path(&["exporters", "otlp", "headers"]));
        assert!(is_secret_path(&["exporters", "datadog", "api", "key"]));
        assert!(!is_secret_path(&["exporters", "datadog", "api", "site"]));
    }

    #[test]
    fn urls_lose_user_info_and_query() {
        assert_eq!(
            scrub_url("https://user:pw@example.com:443/v1?api_key=abc"),
            "https://<redacted>@example.com:443/v1?<redacted>"
        );
        assert_eq!(
            scrub_url("https://example.com/v1"),
            "https://example.com/v1"
        );
        assert_eq!(scrub_url("localhost:4317"), "localhost:4317");
        assert_eq!(scrub_url("http://a@b"), "http://<redacted>@b");
    }
}
