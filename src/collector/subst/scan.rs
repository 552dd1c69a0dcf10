//! Finding the next `${...}` reference in a string, with the collector's pairing and
//! escaping rules.
//!
//! The collector pairs the FIRST `}` with the last `${` before it, so in
//! `${file:${env:DIR}/x.yaml}` the inner `${env:DIR}` is expanded first and the outer one on
//! the next round, and a `}` inside a default value ends the reference. A `${` preceded by
//! an odd number of `$` is escaped and skipped; the `$$` pairs collapse to `$` only after all
//! expansion is done.

use std::sync::LazyLock;

use regex::Regex;

static SCHEME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z][A-Za-z0-9+.-]+$").unwrap());
static ENV_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-zA-Z_][a-zA-Z0-9_]*$").unwrap());

/// Schemes whose opaque part may start with `-`, so `${file:-x}` is not read as a
/// variable `file` with a default.
const SCHEMES: &[&str] = &["env", "file", "yaml"];

/// One reference found in a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Byte offset of `${`.
    pub start: usize,
    /// Byte offset just after `}`.
    pub end: usize,
    /// The text between `${` and `}`.
    pub inner: String,
}

/// A reference split into scheme and opaque part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// `env`, `file`, `https`, …
    pub scheme: String,
    /// Everything after the scheme's `:`.
    pub opaque: String,
}

/// The first unescaped reference in `text`, if any.
pub fn find(text: &str) -> Option<Found> {
    let mut from = 0;
    while let Some(rel) = text[from..].find('}') {
        let close = from + rel;
        if let Some(open_rel) = text[from..close].rfind("${") {
            let open = from + open_rel;
            let dollars = text[..open]
                .bytes()
                .rev()
                .take_while(|b| *b == b'$')
                .count();
            if dollars % 2 == 0 {
                return Some(Found {
                    start: open,
                    end: close + 1,
                    inner: text[open + 2..close].to_string(),
                });
            }
        }
        from = close + 1;
    }
    None
}

/// Splits the inside of a reference. Without a scheme, `env` is meant (`${VAR}`,
/// `${VAR:-default}`). The opaque part may not contain `$`.
pub fn parse(inner: &str) -> Result<Reference, String> {
    let (scheme, opaque) = match inner.split_once(':') {
        None => ("env", inner),
        Some((name, rest))
            if rest.starts_with('-') && ENV_NAME.is_match(name) && !SCHEMES.contains(&name) =>
        {
            ("env", inner)
        }
        Some((scheme, opaque)) => {
            if !SCHEME.is_match(scheme) {
                return Err(format!(
                    "`${{{inner}}}` has no valid scheme before `:` (a letter, then letters, digits, `+`, `.` or `-`)"
                ));
            }
            (scheme, opaque)
        }
    };
    if opaque.contains('$') {
        return Err(format!(
            "`${{{inner}}}` contains `$` inside the reference, which the collector does not support"
        ));
    }
    Ok(Reference {
        scheme: scheme.to_string(),
        opaque: opaque.to_string(),
    })
}

/// An `${env:...}` opaque part: the variable name and the default after the first `:-`.
pub fn env_parts(opaque: &str) -> Result<(&str, Option<&str>), String> {
    let (name, default) = match opaque.split_once(":-") {
        Some((n, d)) => (n, Some(d)),
        None => (opaque, None),
    };
    if ENV_NAME.is_match(name) {
        Ok((name, default))
    } else {
        Err(format!(
            "`{name}` is not a valid environment variable name (letters, digits and `_`, not starting with a digit)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inner(text: &str) -> Option<String> {
        find(text).map(|f| f.inner)
    }

    #[test]
    fn first_closing_brace_pairs_with_last_opening_before_it() {
        assert_eq!(
            inner("${file:${env:DIR}/x.yaml}").as_deref(),
            Some("env:DIR")
        );
        assert_eq!(inner("a ${env:X} b ${env:Y}").as_deref(), Some("env:X"));
        assert_eq!(inner("${env:X:-{a}}").as_deref(), Some("env:X:-{a"));
        assert_eq!(inner("{{ .Values.x }}"), None);
        assert_eq!(inner("no refs"), None);
        let f = find("http://${env:HOST}:4317").unwrap();
        assert_eq!((f.start, f.end), (7, 18));
    }

    #[test]
    fn odd_dollar_runs_escape_even_runs_do_not() {
        assert_eq!(inner("$${env:X}"), None);
        assert_eq!(inner("$$$${env:X}"), None);
        assert_eq!(inner("$$${env:X}").as_deref(), Some("env:X"));
        assert_eq!(inner("$${env:X} ${env:Y}").as_deref(), Some("env:Y"));
        assert_eq!(inner("$VAR and $OTHER"), None);
    }

    #[test]
    fn references_split_into_scheme_and_opaque() {
        let r = parse("env:HOST").unwrap();
        assert_eq!((r.scheme.as_str(), r.opaque.as_str()), ("env", "HOST"));
        assert_eq!(parse("HOST").unwrap().scheme, "env");
        let r = parse("HOST:-localhost").unwrap();
        assert_eq!(
            (r.scheme.as_str(), r.opaque.as_str()),
            ("env", "HOST:-localhost")
        );
        assert_eq!(parse("https://x/y").unwrap().scheme, "https");
        assert!(parse("e:x").is_err(), "a one-letter scheme is invalid");
        assert!(parse("1a:x").is_err());
        assert!(parse("env:$FOO").unwrap_err().contains('$'));
        assert_eq!(parse("env:-x").unwrap().opaque, "-x");
    }

    #[test]
    fn env_names_and_defaults() {
        assert_eq!(env_parts("X").unwrap(), ("X", None));
        assert_eq!(env_parts("X:-a:-b").unwrap(), ("X", Some("a:-b")));
        assert_eq!(env_parts("X:-").unwrap(), ("X", Some("")));
        assert!(env_parts("1X").is_err());
        assert!(env_parts("A-B").is_err());
    }
}
