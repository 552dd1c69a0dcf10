//! The real Claude Code CLI, installed from the npm registry, runs a scripted session
//! against a fake Messages API on loopback and exports its telemetry to `otel-dpia receive`;
//! `otel-dpia verify` then holds what arrived against the data map of the same settings.
//! This is how a new client version is checked: everything it sends must be covered.
//!
//! The version is `OTEL_DPIA_CLAUDE_CODE_VERSION` (default: the pinned one below), e.g.
//! `OTEL_DPIA_CLAUDE_CODE_VERSION=2.1.337 cargo test --test real_client`. The client is
//! installed once per version under the target folder. Without npm the test is skipped
//! with a notice, unless `OTEL_DPIA_REQUIRE_REAL_CLIENT=1` (as CI sets it); when the
//! registry cannot be reached it is skipped with a notice in every case.

#[path = "real_client/fake_api.rs"]
mod fake_api;
#[path = "real_client/session.rs"]
mod session;

mod common;

use common::texts;
use serde_json::{Value, json};
use session::{Scenario, Session, install};

/// The version checked by default: the newest one the catalogue knows from captures.
const PINNED: &str = "2.1.337";

fn version() -> String {
    std::env::var("OTEL_DPIA_CLAUDE_CODE_VERSION").unwrap_or_else(|_| PINNED.to_string())
}

/// The process environment of a session exporting to the receiver at `endpoint`.
fn telemetry_env(endpoint: &str, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = [
        ("CLAUDE_CODE_ENABLE_TELEMETRY", "1"),
        ("OTEL_METRICS_EXPORTER", "otlp"),
        ("OTEL_LOGS_EXPORTER", "otlp"),
        ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint),
        ("OTEL_METRIC_EXPORT_INTERVAL", "1000"),
        ("OTEL_LOGS_EXPORT_INTERVAL", "500"),
        ("OTEL_TRACES_EXPORT_INTERVAL", "500"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    env
}

/// Runs one scenario end to end and checks that `verify` passes; returns the session so a
/// scenario can hold the same captures against other settings.
fn run_scenario(name: &str, extra: &[(&str, &str)], managed: Option<Value>) -> Option<Session> {
    let version = version();
    let client = install(&version)?;
    let session = Session::run(&client, name, |endpoint| Scenario {
        env: if managed.is_some() {
            Vec::new()
        } else {
            telemetry_env(endpoint, extra)
        },
        managed: managed.as_ref().map(|m| with_endpoint(m, endpoint)),
    })?;
    let out = session.verify(&version, &[]);
    let (stdout, stderr) = texts(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{name}: what Claude Code {version} sent is not covered by the data map\n{stdout}{stderr}"
    );
    assert!(
        stdout.contains("Everything that arrived is covered"),
        "{stdout}"
    );
    Some(session)
}

/// Managed settings with the endpoint pointed at the receiver (over plain HTTP on loopback).
fn with_endpoint(managed: &Value, endpoint: &str) -> Value {
    let mut m = managed.clone();
    m["env"]["OTEL_EXPORTER_OTLP_ENDPOINT"] = json!(endpoint);
    m
}

#[test]
fn defaults() {
    let Some(s) = run_scenario("defaults", &[], None) else {
        return;
    };
    assert!(s.signals().contains("logs"), "the session exported logs");
    assert!(
        s.signals().contains("metrics"),
        "the session exported metrics"
    );
    // Prompts arrive as the placeholder: the same captures fit the prompts-on map too.
    let out = s.verify(&version(), &[("OTEL_LOG_USER_PROMPTS", "1")]);
    assert_eq!(out.status.code(), Some(0), "{}", texts(&out).0);
}

#[test]
fn prompts_on() {
    let Some(s) = run_scenario("prompts_on", &[("OTEL_LOG_USER_PROMPTS", "1")], None) else {
        return;
    };
    // Held against the default settings, the prompt arrived more exposed than they allow.
    let out = s.verify_without(&version(), "OTEL_LOG_USER_PROMPTS");
    let (stdout, _) = texts(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("`claude_code.user_prompt`: `prompt` arrived more exposed"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("run echo hi"),
        "no captured value is printed:\n{stdout}"
    );
}

#[test]
fn tool_details_on() {
    let Some(s) = run_scenario("tool_details", &[("OTEL_LOG_TOOL_DETAILS", "1")], None) else {
        return;
    };
    let out = s.verify_without(&version(), "OTEL_LOG_TOOL_DETAILS");
    let (stdout, _) = texts(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("`claude_code.tool_result`"), "{stdout}");
}

#[test]
fn traces_beta() {
    let extra = [
        ("OTEL_TRACES_EXPORTER", "otlp"),
        ("CLAUDE_CODE_ENHANCED_TELEMETRY_BETA", "1"),
    ];
    let Some(s) = run_scenario("traces_beta", &extra, None) else {
        return;
    };
    assert!(s.signals().contains("traces"), "the session exported spans");
}

#[test]
fn managed_settings_file() {
    let example = std::fs::read_to_string(
        common::repo_dir().join("examples/metadata-only/managed-settings.json"),
    )
    .unwrap();
    let managed: Value = serde_json::from_str(&example).unwrap();
    let Some(s) = run_scenario("managed", &[], Some(managed)) else {
        return;
    };
    assert!(
        s.signals().contains("logs"),
        "the managed settings alone switched telemetry on"
    );
}
