//! The settings of a component that say where its data goes (`endpoint`, `api.site`,
//! `realm`, `path`, …), prepared for display: secrets replaced by `<redacted>`, credentials
//! in URLs removed, unknown values shown with the reason.

use std::fmt;

use super::secrets;
use crate::files::Span;
use crate::tree::{Node, Value};

/// Keys (compared exactly) that decide or describe a destination.
const DESTINATION_KEYS: &[&str] = &[
    "endpoint",
    "endpoints",
    "url",
    "site",
    "realm",
    "path",
    "region",
    "brokers",
    "topic",
    "hostname",
    "hostnames",
    "service",
    "project",
    "cluster_uri",
    "domain",
    "host",
    "port",
    "network",
    "log_group_name",
    "log_stream_name",
    "s3_bucket",
    "s3_prefix",
    "stream_name",
    "bucket",
    "org",
    "database",
    "db_name",
    "index",
    "logs_index",
    "traces_index",
    "metrics_index",
    "cloudid",
    "verbosity",
    "output_paths",
    "insecure",
    "namespace",
    "keyspace",
    "logstore",
    "container",
];

/// Nesting beyond which settings are not searched (destination keys sit near the top).
const MAX_DEPTH: usize = 6;

/// A value as it may be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    /// The value (URLs without credentials).
    Text(String),
    /// A secret that is set; its value is never shown.
    Redacted,
    /// Unknown statically; the reason.
    Unknown(String),
}

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Shown::Text(t) => f.write_str(t),
            Shown::Redacted => f.write_str("<redacted>"),
            Shown::Unknown(reason) => write!(f, "<unknown: {reason}>"),
        }
    }
}

/// One displayed setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Dotted key path inside the component's configuration, e.g. `api.site`.
    pub path: String,
    /// What may be shown of its value.
    pub value: Shown,
    /// Where the value is written.
    pub span: Span,
}

/// The destination settings of a component's configuration, in document order. Secrets
/// that are set (headers, keys, tokens) are listed as redacted so readers see that
/// credentials are sent, never what they are.
pub fn destination_fields(config: &Node) -> Vec<Field> {
    let mut out = Vec::new();
    if let Value::Unknown(reason) = &config.value {
        out.push(Field {
            path: "(configuration)".into(),
            value: Shown::Unknown(reason.clone()),
            span: config.span,
        });
    }
    collect(config, "", 0, &mut out);
    out
}

fn collect(node: &Node, prefix: &str, depth: usize, out: &mut Vec<Field>) {
    let Some(entries) = node.as_map() else { return };
    for e in entries {
        let path = if prefix.is_empty() {
            e.key.clone()
        } else {
            format!("{prefix}.{}", e.key)
        };
        if e.key.eq_ignore_ascii_case("headers") {
            headers(&e.value, &path, out);
        } else if secrets::is_secret_key(&e.key) {
            if !e.value.is_null() {
                out.push(Field {
                    path,
                    value: Shown::Redacted,
                    span: e.value.span,
                });
            }
        } else if is_destination_key(&e.key) {
            if let Some(value) = show(&e.value) {
                out.push(Field {
                    path,
                    value,
                    span: e.value.span,
                });
            }
        } else if depth < MAX_DEPTH {
            collect(&e.value, &path, depth + 1, out);
        }
    }
}

fn headers(node: &Node, path: &str, out: &mut Vec<Field>) {
    match &node.value {
        Value::Map(entries) => out.extend(entries.iter().map(|h| Field {
            path: format!("{path}.{}", h.key),
            value: Shown::Redacted,
            span: h.value.span,
        })),
        Value::Null => {}
        _ => out.push(Field {
            path: path.to_string(),
            value: Shown::Redacted,
            span: node.span,
        }),
    }
}

fn is_destination_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    DESTINATION_KEYS.contains(&key.as_str()) || key.ends_with("_endpoint") || key.ends_with("_url")
}

fn show(node: &Node) -> Option<Shown> {
    match &node.value {
        Value::Null | Value::Map(_) => None,
        Value::Scalar(s) => Some(Shown::Text(secrets::scrub_url(&s.text).into_owned())),
        Value::Unknown(reason) => Some(Shown::Unknown(reason.clone())),
        Value::Seq(items) => {
            let shown: Vec<String> = items
                .iter()
                .filter_map(show)
                .map(|s| s.to_string())
                .collect();
            Some(Shown::Text(format!("[{}]", shown.join(", "))))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostics;
    use crate::files::Files;
    use crate::tree::parse_yaml;

    fn fields(text: &str) -> Vec<(String, String)> {
        let mut files = Files::new();
        let id = files.add("t.yaml", text);
        let node = parse_yaml(&files, id, &mut Diagnostics::new())
            .unwrap()
            .remove(0);
        destination_fields(&node)
            .into_iter()
            .map(|f| (f.path, f.value.to_string()))
            .collect()
    }

    #[test]
    fn destinations_are_shown_and_secrets_redacted() {
        let got = fields(
            "endpoint: https://u:p@otlp.example.com/v1\nheaders:\n  authorization: Bearer s3cr3t\napi:\n  site: datadoghq.eu\n  key: k3y\ntls:\n  insecure: true\nsending_queue:\n  enabled: true\nresolver:\n  static:\n    hostnames: [a:4317, b:4317]\n",
        );
        let expected = [
            ("endpoint", "https://<redacted>@otlp.example.com/v1"),
            ("headers.authorization", "<redacted>"),
            ("api.site", "datadoghq.eu"),
            ("api.key", "<redacted>"),
            ("tls.insecure", "true"),
            ("resolver.static.hostnames", "[a:4317, b:4317]"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn per_signal_endpoints_and_urls_are_destinations() {
        let got = fields("traces_endpoint: https://t\ningest_url: https://i\ntimeout: 5s\n");
        assert_eq!(got.len(), 2);
    }
}
