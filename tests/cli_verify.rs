//! `otel-dpia verify` on the real captures of every agent and version: each passes with the
//! settings it was captured with, and fails, naming what, when an attribute is planted into
//! it, a record renamed, or content sent where the map says a placeholder arrives.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::agents::{self, Counts};
use common::fixtures::{fixture_flags, read_json, sorted_dirs};
use common::{run_in, shared_dir, texts};
use otel_dpia::analysis::map::{DataMap, DestinationOut};
use otel_dpia::inputs::spec::FlagInputs;
use otel_dpia::otlp::{AnyValue, Attributes, Telemetry, read_request};
use otel_dpia::verify::{FindingKind, Verification, Verifier};
use serde_json::Value;

/// A capture folder's files: `logs-N.json`, `metrics-N.json`, `traces-N.json`.
fn capture_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = rd
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            ["logs-", "metrics-", "traces-"]
                .iter()
                .any(|s| name.starts_with(s))
                && name.ends_with(".json")
        })
        .collect();
    out.sort();
    out
}

/// The capture folders of a fixture with the port their receiver listened on: `raw/` at
/// the port the client's endpoint names, `raw/recv_PORT/` at PORT.
fn capture_sets(dir: &Path, obs: &Value) -> Vec<(u16, Vec<PathBuf>)> {
    let raw = dir.join("raw");
    let mut sets = Vec::new();
    if !raw.is_dir() {
        return sets;
    }
    let mut others = Vec::new();
    for sub in sorted_dirs(&raw) {
        let name = sub.file_name().unwrap().to_string_lossy().to_string();
        if let Some(port) = name.strip_prefix("recv_") {
            let port: u16 = port.parse().unwrap();
            others.push(port);
            sets.push((port, capture_files(&sub)));
        }
    }
    let files = capture_files(&raw);
    if !files.is_empty() {
        let ports: Vec<u16> = obs["endpoints_hit"]
            .as_object()
            .unwrap()
            .values()
            .map(|u| {
                let u = u.as_str().unwrap();
                let hostport = u.split("//").nth(1).unwrap().split('/').next().unwrap();
                hostport.rsplit(':').next().unwrap().parse().unwrap()
            })
            .filter(|p| !others.contains(p))
            .collect();
        let port = *ports.first().expect("the main receiver was hit");
        sets.push((port, files));
    }
    sets
}

fn destination_at(map: &DataMap, port: u16) -> &DestinationOut {
    let id = format!("direct:127.0.0.1:{port}");
    map.destinations
        .iter()
        .find(|d| d.id == id)
        .unwrap_or_else(|| panic!("no destination {id} in the map"))
}

fn verify(dest: &DestinationOut, captures: &[(String, Telemetry)]) -> Verification {
    let mut v = Verifier::new(dest);
    for (name, t) in captures {
        v.add(t, name);
    }
    v.finish()
}

fn read_captures(files: &[PathBuf]) -> Vec<(String, Telemetry)> {
    files
        .iter()
        .map(|f| {
            let text = fs::read_to_string(f).unwrap();
            let t = read_request(&text).unwrap_or_else(|e| panic!("{}: {e:?}", f.display()));
            (f.file_name().unwrap().to_string_lossy().to_string(), t)
        })
        .collect()
}

/// The attributes of the first record that is not a resource, if any.
fn first_record(t: &mut Telemetry) -> Option<&mut Attributes> {
    match t {
        Telemetry::Logs(all) => all
            .iter_mut()
            .flat_map(|r| r.scope_logs.iter_mut())
            .flat_map(|s| s.log_records.iter_mut())
            .map(|l| &mut l.attributes)
            .next(),
        Telemetry::Metrics(all) => all
            .iter_mut()
            .flat_map(|r| r.scope_metrics.iter_mut())
            .flat_map(|s| s.metrics.iter_mut())
            .filter_map(|m| m.sum.as_mut().map(|s| &mut s.data_points))
            .flat_map(|p| p.iter_mut())
            .map(|p| &mut p.attributes)
            .next(),
        Telemetry::Traces(all) => all
            .iter_mut()
            .flat_map(|r| r.scope_spans.iter_mut())
            .flat_map(|s| s.spans.iter_mut())
            .map(|s| &mut s.attributes)
            .next(),
    }
}

const PLANTED: &str = "planted.attribute";

/// Verifies every capture set of one fixture against the map of its own settings, then
/// again with one attribute planted. Returns how many plants were found as findings.
fn check_fixture(
    name: &str,
    dir: &Path,
    map: &DataMap,
    problems: &mut Vec<String>,
    counts: &mut Counts,
) -> usize {
    let obs = read_json(&dir.join("observed.json"));
    let mut planted_found = 0;
    for (port, files) in capture_sets(dir, &obs) {
        let dest = destination_at(map, port);
        let mut captures = read_captures(&files);
        let v = verify(dest, &captures);
        counts.records += v.records;
        if !v.passed() {
            problems.push(format!(
                "{name} at {}: {}",
                dest.id,
                otel_dpia::verify::human(&v)
            ));
        }
        let Some(attrs) = captures.iter_mut().find_map(|(_, t)| first_record(t)) else {
            continue;
        };
        attrs.put(PLANTED, AnyValue::str("x"));
        let v = verify(dest, &captures);
        let found = v
            .findings
            .iter()
            .any(|f| f.kind == FindingKind::KeyNotInMap && f.key.as_deref() == Some(PLANTED));
        let unnamed = v.unnamed.iter().any(|u| u.key == PLANTED);
        match (found, unnamed) {
            (true, _) => planted_found += 1,
            (false, true) => {}
            (false, false) => {
                problems.push(format!("{name}: the planted attribute was not reported"))
            }
        }
        counts.keys += 1;
    }
    planted_found
}

fn run_fixtures(agent: &str, flags: impl Fn(&Value, usize, &Path) -> FlagInputs) -> (usize, usize) {
    let Some(shared) = shared_dir() else {
        return (0, 0);
    };
    let dirs: Vec<PathBuf> = sorted_dirs(&shared.join(agent).join("fixtures"))
        .iter()
        .flat_map(|v| sorted_dirs(v))
        .collect();
    let mut problems = Vec::new();
    let mut counts = Counts::default();
    let mut planted = 0;
    for (index, dir) in dirs.iter().enumerate() {
        let name = format!(
            "{agent} {}",
            dir.strip_prefix(shared.join(agent)).unwrap().display()
        );
        let tmp = tempfile::tempdir().unwrap();
        let inputs = read_json(&dir.join("inputs.json"));
        let a = agents::run(flags(&inputs, index, tmp.path()), tmp.path(), None);
        planted += check_fixture(&name, dir, &a.map, &mut problems, &mut counts);
    }
    eprintln!(
        "{agent}: {} fixtures, {} records verified, {} plants",
        dirs.len(),
        counts.records,
        counts.keys
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    (counts.keys, planted)
}

#[test]
fn every_claude_code_capture_verifies_and_a_planted_attribute_fails() {
    let (plants, found) = run_fixtures("claude-code", fixture_flags);
    if plants > 0 {
        assert_eq!(found, plants, "every planted attribute is a finding");
    }
}

#[test]
fn every_codex_capture_verifies_and_a_planted_attribute_fails() {
    let (plants, found) = run_fixtures("codex", agents::codex_flags);
    if plants > 0 {
        assert_eq!(found, plants, "every planted attribute is a finding");
    }
}

#[test]
fn every_gemini_capture_verifies_and_a_planted_attribute_fails() {
    let (plants, found) = run_fixtures("gemini-cli", agents::gemini_flags);
    if plants > 0 {
        assert_eq!(found, plants, "every planted attribute is a finding");
    }
}

/// The prompt capture's environment as `--env` flags, optionally without one key.
fn env_flags(inputs: &Value, without: Option<&str>) -> Vec<String> {
    inputs["process_env"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| Some(k.as_str()) != without)
        .flat_map(|(k, v)| ["--env".to_string(), format!("{k}={}", v.as_str().unwrap())])
        .collect()
}

#[test]
fn the_command_passes_fails_and_names_what_arrived() {
    let Some(shared) = shared_dir() else { return };
    let fixture = shared.join("claude-code/fixtures/2.1.330/ii_user_prompts");
    let inputs = read_json(&fixture.join("inputs.json"));
    let dir = tempfile::tempdir().unwrap();
    let captures = dir.path().join("received");
    fs::create_dir(&captures).unwrap();
    for f in capture_files(&fixture.join("raw")) {
        fs::copy(&f, captures.join(f.file_name().unwrap())).unwrap();
    }
    let base = [
        "verify",
        "--source",
        "claude-code@2.1.330",
        "--no-other-settings",
    ];
    let run = |env: &[String], extra: &[&str]| {
        let mut args: Vec<&str> = base.to_vec();
        args.extend(env.iter().map(String::as_str));
        args.extend_from_slice(extra);
        run_in(dir.path(), &args)
    };

    // As captured: covered, exit 0.
    let all = env_flags(&inputs, None);
    let out = run(&all, &["--otlp", "received"]);
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("Everything that arrived is covered"),
        "{stdout}"
    );
    assert!(stdout.contains("`direct:127.0.0.1:4318`"), "{stdout}");

    // Prompts were sent, but these settings say a placeholder arrives: exit 1, naming the key.
    let without = env_flags(&inputs, Some("OTEL_LOG_USER_PROMPTS"));
    let out = run(&without, &["--otlp", "received"]);
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stdout.contains("logs `claude_code.user_prompt`: `prompt` arrived more exposed"),
        "{stdout}"
    );
    assert!(stdout.contains("placeholder `<REDACTED>`"), "{stdout}");
    assert!(
        !stdout.contains("say hi"),
        "captured values are never printed:\n{stdout}"
    );

    // The same as JSON, for machines.
    let out = run(&without, &["--otlp", "received", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_str(&texts(&out).0).unwrap();
    let keys: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "more_exposed")
        .map(|f| f["key"].as_str().unwrap())
        .collect();
    assert!(
        keys.contains(&"prompt") && keys.contains(&"prompt_text"),
        "{v}"
    );

    // A renamed event is a record the map does not know.
    let logs = captures.join("logs-1.json");
    let text = fs::read_to_string(&logs).unwrap();
    fs::write(
        &logs,
        text.replace(
            "\"stringValue\":\"tool_decision\"",
            "\"stringValue\":\"new_event\"",
        )
        .replace("claude_code.tool_decision", "claude_code.new_event"),
    )
    .unwrap();
    let out = run(&all, &["--otlp", "received"]);
    let (stdout, _) = texts(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("logs `new_event`: arrived"), "{stdout}");

    // A destination that is not in the map, and a capture that is not OTLP: exit 2.
    let out = run(&all, &["--otlp", "received", "--destination", "otlphttp/x"]);
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("`direct:127.0.0.1:4318`"), "{stderr}");
    fs::write(captures.join("broken.json"), "{\"resourceLogs\": [").unwrap();
    let out = run(&all, &["--otlp", "received"]);
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("broken.json"), "{stderr}");
}

#[test]
fn captures_from_the_client_are_held_against_what_it_sends_before_the_collector() {
    let Some(shared) = shared_dir() else { return };
    let fixture = shared.join("claude-code/fixtures/2.1.330/ii_user_prompts");
    let inputs = read_json(&fixture.join("inputs.json"));
    let dir = tempfile::tempdir().unwrap();
    // A collector that serves the client's endpoint and deletes the prompt.
    fs::write(
        dir.path().join("otelcol.yaml"),
        "receivers:\n  otlp:\n    protocols:\n      http:\n        endpoint: 127.0.0.1:4318\nprocessors:\n  attributes/strip:\n    actions:\n      - {key: prompt, action: delete}\nexporters:\n  otlphttp/backend:\n    endpoint: https://telemetry.example.org\nservice:\n  pipelines:\n    logs: {receivers: [otlp], processors: [attributes/strip], exporters: [otlphttp/backend]}\n    metrics: {receivers: [otlp], exporters: [otlphttp/backend]}\n",
    )
    .unwrap();
    let raw = fixture.join("raw");
    let mut args: Vec<String> = [
        "verify",
        "--source",
        "claude-code@2.1.330",
        "--no-other-settings",
        "--collector",
        "otelcol.yaml",
        "--otlp",
    ]
    .map(String::from)
    .to_vec();
    args.push(raw.to_str().unwrap().to_string());
    args.extend(env_flags(&inputs, None));
    let as_str: Vec<&str> = args.iter().map(String::as_str).collect();

    // Taken at the backend, the raw client capture carries the prompt the collector deletes.
    let out = run_in(dir.path(), &as_str);
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("`otlphttp/backend`"), "{stdout}");
    assert!(
        stdout.contains("`prompt` arrived") && stdout.contains("removed on the way"),
        "{stdout}"
    );
    assert!(
        stdout.contains("attributes/strip"),
        "the removal's evidence is named:\n{stdout}"
    );

    // Taken from the client itself, the same capture is covered.
    let mut client = as_str.clone();
    client.extend(["--destination", "client"]);
    let out = run_in(dir.path(), &client);
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
}
