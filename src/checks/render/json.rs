//! The JSON form of a check run: a summary and one object per finding, silenced ones
//! included (with the reason). Field order is fixed; nothing depends on the clock.

use serde::Serialize;

use super::super::Finding;
use super::{Outcome, Summary};
use crate::diag::Severity;

/// Version of this output format.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    schema_version: u32,
    tool: Tool,
    fail_on: &'a str,
    failed: bool,
    summary: Summary,
    findings: Vec<JsonFinding>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonFinding {
    code: &'static str,
    name: &'static str,
    severity: Severity,
    message: String,
    file: Option<String>,
    line: Option<u32>,
    column: Option<u32>,
    hint: Option<String>,
    related: Vec<JsonRelated>,
    fingerprint: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    silenced: Option<super::super::Silenced>,
    #[serde(skip_serializing_if = "Option::is_none")]
    decided_at: Option<String>,
}

#[derive(Serialize)]
struct JsonRelated {
    file: String,
    line: u32,
    message: String,
}

/// The run as pretty-printed JSON. `fingerprints` are in finding order.
pub fn json(outcome: &Outcome<'_>, fingerprints: &[String]) -> String {
    let report = Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "otel-dpia",
            version: env!("CARGO_PKG_VERSION"),
        },
        fail_on: outcome.fail_on.as_str(),
        failed: outcome.failed,
        summary: Summary::of(outcome.findings),
        findings: outcome
            .findings
            .iter()
            .zip(fingerprints)
            .map(|(f, fp)| one(f, fp))
            .collect(),
    };
    serde_json::to_string_pretty(&report).unwrap_or_default() + "\n"
}

fn one(f: &Finding, fingerprint: &str) -> JsonFinding {
    JsonFinding {
        code: f.rule.code,
        name: f.rule.name,
        severity: f.severity,
        message: f.message.clone(),
        file: f.location.as_ref().map(|l| l.file.clone()),
        line: f.location.as_ref().map(|l| l.line),
        column: f.location.as_ref().map(|l| l.col),
        hint: f.hint.clone(),
        related: f
            .related
            .iter()
            .map(|r| JsonRelated {
                file: r.location.file.clone(),
                line: r.location.line,
                message: r.message.clone(),
            })
            .collect(),
        fingerprint: fingerprint.to_string(),
        silenced: f.silenced.clone(),
        decided_at: f.decided_at.as_ref().map(|l| l.cite()),
    }
}
