//! SARIF 2.1.0, as code-scanning services (GitHub code scanning) read it: the rule table
//! with descriptions and help, and per finding the rule, the level, the message, the
//! location in the configuration file (repository-relative URI, line and column), related
//! locations, a fingerprint that survives line moves, and a suppression for findings the
//! project file silenced.

use serde_json::{Value, json};

use super::super::{Finding, RULES, Rule};
use super::Outcome;
use crate::diag::Severity;

/// The SARIF log of one run. `uri` maps a file's display name to its repository-relative
/// URI; `fingerprints` are in finding order.
pub fn sarif(
    outcome: &Outcome<'_>,
    fingerprints: &[String],
    uri: &dyn Fn(&str) -> String,
) -> String {
    let results: Vec<Value> = outcome
        .findings
        .iter()
        .zip(fingerprints)
        .map(|(f, fp)| result(f, fp, uri))
        .collect();
    let mut driver = json!({
        "name": "otel-dpia",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
    });
    if let Some(info) = information_uri() {
        driver["informationUri"] = json!(info);
    }
    driver["rules"] = Value::Array(RULES.iter().map(|r| rule(r)).collect());
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&log).unwrap_or_default() + "\n"
}

/// Where users learn about the tool: the package's homepage or repository, when the
/// package declares one (never made up).
fn information_uri() -> Option<&'static str> {
    [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")]
        .into_iter()
        .find(|u| !u.is_empty())
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule(r: &Rule) -> Value {
    let markdown = format!(
        "{}\n\n{}\n\nTo change its severity or silence it, add to dpia.yaml:\n\n```yaml\nchecks:\n  {}:\n    severity: warning  # error | warning | info | off\n    reason: \"why, and who decided\"\n```\n",
        r.summary, r.help, r.code
    );
    json!({
        "id": r.code,
        "name": r.name,
        "shortDescription": { "text": r.summary },
        "fullDescription": { "text": r.help },
        "help": { "text": format!("{} {}", r.summary, r.help), "markdown": markdown },
        "defaultConfiguration": { "level": level(r.default_severity) },
        "properties": { "tags": ["privacy", "gdpr", "telemetry"] },
    })
}

fn physical(file: &str, line: u32, col: u32, uri: &dyn Fn(&str) -> String) -> Value {
    json!({
        "artifactLocation": { "uri": uri(file) },
        "region": { "startLine": line.max(1), "startColumn": col.max(1) },
    })
}

fn result(f: &Finding, fingerprint: &str, uri: &dyn Fn(&str) -> String) -> Value {
    let index = RULES
        .iter()
        .position(|r| r.code == f.rule.code)
        .unwrap_or(0);
    let mut text = f.message.clone();
    if let Some(h) = &f.hint {
        text.push_str(&format!(". Hint: {h}"));
    }
    let mut out = json!({
        "ruleId": f.rule.code,
        "ruleIndex": index,
        "level": level(f.severity),
        "message": { "text": text },
        "partialFingerprints": { "otelDpiaFinding/v1": fingerprint },
    });
    if let Some(l) = &f.location {
        out["locations"] = json!([{ "physicalLocation": physical(&l.file, l.line, l.col, uri) }]);
    }
    if !f.related.is_empty() {
        let related: Vec<Value> = f
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| {
                json!({
                    "id": i,
                    "physicalLocation": physical(&r.location.file, r.location.line, r.location.col, uri),
                    "message": { "text": r.message },
                })
            })
            .collect();
        out["relatedLocations"] = Value::Array(related);
    }
    if let Some(s) = &f.silenced {
        out["suppressions"] = json!([{ "kind": "external", "justification": s.reason }]);
    }
    out
}
