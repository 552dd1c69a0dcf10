//! DP008: a credential written literally into a configuration file (a collector's header
//! token or API key, an OTLP headers variable in managed settings) instead of a reference
//! that is resolved where the program runs (`${env:…}`, a headers helper).
//!
//! Findings name the key, never the value, and are marked secret so no output quotes the
//! line.

use super::super::{Context, Finding, Location, Rule};
use crate::collector::secrets::is_secret_key;
use crate::diag::{Diagnostics, Severity};
use crate::sources::EffectiveSettings;
use crate::sources::provenance::{EnvVia, Provenance};
use crate::tree::{Node, Value, parse_yaml};

/// The rule.
pub static RULE: Rule = Rule {
    code: "DP008",
    name: "literal-secret",
    summary: "A credential (header token, API key, password) is written literally in a configuration file instead of an `${env:…}` reference.",
    help: "A credential in a configuration file is readable by everyone who can read the file: the repository, the CI logs, every laptop a managed-settings file is deployed to. Whoever has it can send data as the organisation or read it back. Reference it instead (`${env:HONEYCOMB_KEY}` in a collector configuration; an `otelHeadersHelper` script in Claude Code settings) and keep the value in a secret store. otel-dpia never prints the value.",
    default_severity: Severity::Error,
    check,
};

/// Collector sections whose values are sent to or used against other services.
const SECTIONS: &[&str] = &["exporters", "extensions", "receivers"];

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in &ctx.analysis.collectors {
        for &file in &c.graph.files {
            let Some(docs) = parse_yaml(ctx.files, file, &mut Diagnostics::new()) else {
                continue;
            };
            for doc in &docs {
                for section in SECTIONS {
                    if let Some(node) = doc.get(section) {
                        let mut path = vec![section.to_string()];
                        walk(ctx, node, &mut path, &mut out);
                    }
                }
            }
        }
    }
    for s in &ctx.analysis.settings {
        settings(ctx, s, &mut out);
    }
    out
}

fn walk(ctx: &Context<'_>, node: &Node, path: &mut Vec<String>, out: &mut Vec<Finding>) {
    match &node.value {
        Value::Map(entries) => {
            for e in entries {
                path.push(e.key.clone());
                walk(ctx, &e.value, path, out);
                path.pop();
            }
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                walk(ctx, item, path, out);
                path.pop();
            }
        }
        Value::Scalar(s) if is_literal_secret(path, &s.text) => {
            let dotted = path.join(".");
            let file = ctx.files.get(node.span.file).display.clone();
            out.push(
                RULE.finding(
                    format!("`{dotted}` holds a literal credential; the value is not shown"),
                    format!("file={file} setting={dotted}"),
                )
                .at(Some(Location::of(ctx.files, node.span)))
                .secret()
                .hint("replace the value with a reference such as `${env:NAME}` and keep the credential in a secret store; rotate it if this file was ever shared"),
            );
        }
        _ => {}
    }
}

/// Whether a scalar at `path` is a credential written out (not a reference, not a file).
fn is_literal_secret(path: &[String], text: &str) -> bool {
    let text = text.trim();
    if text.is_empty() || text.contains("${") {
        return false;
    }
    let Some(key) = path.last() else { return false };
    let lower = key.to_ascii_lowercase();
    let names_file = ["file", "path", "filename"]
        .iter()
        .any(|s| lower.ends_with(s));
    let parent = path.len().checked_sub(2).map(|i| path[i].as_str());
    let header = parent.is_some_and(|p| p.eq_ignore_ascii_case("headers"));
    if header {
        return credential_header(key) || looks_like_auth_value(text);
    }
    !names_file && is_secret_key(key)
}

/// Header names that carry credentials (not tenant or dataset names such as
/// `X-Scope-OrgID` or `x-honeycomb-dataset`).
pub fn credential_header(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        "auth",
        "token",
        "key",
        "secret",
        "password",
        "passwd",
        "team",
        "license",
        "dsn",
        "credential",
        "cookie",
        "signature",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

fn looks_like_auth_value(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.starts_with("bearer ") || lower.starts_with("basic ")
}

/// Secret variables set in a settings file or in the project file.
fn settings(ctx: &Context<'_>, s: &EffectiveSettings, out: &mut Vec<Finding>) {
    for entry in s.env.iter().filter(|e| e.secret) {
        let in_file = matches!(
            &entry.provenance,
            Provenance::SettingsFile { .. }
                | Provenance::ProcessEnv {
                    via: EnvVia::ProjectFile,
                    ..
                }
        );
        let Some(span) = entry.provenance.span().filter(|_| in_file) else {
            continue;
        };
        if entry.key.to_ascii_uppercase().contains("HELPER") {
            continue;
        }
        let what = if entry.key.to_ascii_uppercase().ends_with("_HEADERS") {
            let names: Vec<&str> = s
                .signals
                .iter()
                .flat_map(|x| x.headers.iter())
                .filter(|h| h.from == entry.key)
                .map(|h| h.name.as_str())
                .collect();
            let credentials: Vec<&str> = names
                .iter()
                .copied()
                .filter(|n| credential_header(n))
                .collect();
            if !names.is_empty() && credentials.is_empty() {
                continue;
            }
            let mut credentials = credentials;
            credentials.sort_unstable();
            credentials.dedup();
            format!("a credential header ({})", credentials.join(", "))
        } else {
            "a credential".to_string()
        };
        let file = ctx.files.get(span.file).display.clone();
        out.push(
            RULE.finding(
                format!(
                    "`{}` is set to {what} written out in this file; the value is not shown",
                    entry.key
                ),
                format!("file={file} setting={}", entry.key),
            )
            .at(Some(Location::of(ctx.files, span)))
            .secret()
            .hint("let a helper fetch it at run time (Claude Code: `otelHeadersHelper`), so the file deployed to every machine holds no credential; rotate the value"),
        );
    }
}
