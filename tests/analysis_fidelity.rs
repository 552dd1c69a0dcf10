//! The whole analysis (settings → what the client emits → collectors → destinations)
//! against real captures of Claude Code. For every fixture, with no collector and with a
//! pass-through collector, the records and attribute keys predicted at the OpenTelemetry
//! destinations must cover what the receiver got (soundness), everything predicted
//! `always` must have arrived (precision), and content attributes must be `raw` or
//! `placeholder` exactly as observed.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::agents::{Counts, PASS_THROUGH, Seen, compare};
use common::fixtures::{all_fixtures, fixture_flags, read_json};
use common::shared_dir;
use otel_dpia::analysis::map::DataMap;
use otel_dpia::analysis::run::analyze;
use otel_dpia::diag::Diagnostics;
use otel_dpia::files::Files;
use otel_dpia::inputs::InputSpec;
use serde_json::Value;

fn run(inputs: &Value, index: usize, with_collector: bool) -> DataMap {
    let tmp = tempfile::tempdir().unwrap();
    let mut flags = fixture_flags(inputs, index, tmp.path());
    if with_collector {
        let path = tmp.path().join("otelcol.yaml");
        std::fs::write(&path, PASS_THROUGH).unwrap();
        flags.collectors.push(format!("laptop={}", path.display()));
    }
    let mut diags = Diagnostics::new();
    let mut files = Files::new();
    let mut spec = InputSpec::build(None, &flags, &mut diags);
    for c in &mut spec.collectors {
        c.serves = vec![
            "http://127.0.0.1:4318".into(),
            "http://127.0.0.1:4319".into(),
        ];
    }
    let analysis = analyze(&spec, &mut files, &mut diags);
    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.clone())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    analysis.expect("analysis runs").map
}

/// Observed records by (signal, name).
fn observed(obs: &Value) -> BTreeMap<(String, String), Seen> {
    let mut out = BTreeMap::new();
    let keys = |v: &Value| {
        v["attributes"]
            .as_array()
            .map(|a| a.iter().map(|k| k.as_str().unwrap().to_string()).collect())
            .unwrap_or_default()
    };
    let content = |v: &Value| -> BTreeMap<String, String> {
        v["content_attributes"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, s)| (k.clone(), s.as_str().unwrap_or("").to_string()))
                    .collect()
            })
            .unwrap_or_default()
    };
    let signals = obs["endpoints_hit"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let resource: BTreeSet<String> = obs["resource_attributes"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    for signal in signals.keys() {
        out.insert(
            (signal.clone(), "resource".to_string()),
            (resource.clone(), BTreeMap::new()),
        );
    }
    for (name, m) in obs["metrics"].as_object().cloned().unwrap_or_default() {
        out.insert(("metrics".into(), name), (keys(&m), BTreeMap::new()));
    }
    for (name, e) in obs["events"].as_object().cloned().unwrap_or_default() {
        out.insert(
            ("logs".into(), format!("claude_code.{name}")),
            (keys(&e), content(&e)),
        );
    }
    for (name, s) in obs["spans"].as_object().cloned().unwrap_or_default() {
        for (ev, e) in s["span_events"].as_object().cloned().unwrap_or_default() {
            out.insert(
                ("traces".into(), format!("{name}/{ev}")),
                (keys(&e), content(&e)),
            );
        }
        out.insert(("traces".into(), name), (keys(&s), content(&s)));
    }
    out
}

#[test]
fn the_data_map_predicts_every_capture_with_and_without_a_collector() {
    let Some(shared) = shared_dir() else { return };
    let mut problems = Vec::new();
    let mut counts = Counts::default();
    let fixtures = all_fixtures(&shared);
    for (index, dir) in fixtures.iter().enumerate() {
        let name = dir.strip_prefix(&shared).unwrap().display().to_string();
        let inputs = read_json(&dir.join("inputs.json"));
        let obs = read_json(&dir.join("observed.json"));
        for with_collector in [false, true] {
            let map = run(&inputs, index, with_collector);
            compare(&name, &map, &observed(&obs), &mut problems, &mut counts);
            if with_collector
                && obs["endpoints_hit"]
                    .as_object()
                    .is_some_and(|m| !m.is_empty())
            {
                let otel: Vec<&str> = map
                    .destinations
                    .iter()
                    .filter(|d| !d.id.starts_with("vendor:"))
                    .map(|d| d.id.as_str())
                    .collect();
                if otel != ["otlphttp/backend"] {
                    problems.push(format!("{name}: through the collector, expected one destination otlphttp/backend, got {otel:?}"));
                }
            }
            if obs["endpoints_hit"]
                .as_object()
                .is_some_and(|m| m.is_empty())
                && map
                    .destinations
                    .iter()
                    .any(|d| !d.id.starts_with("vendor:"))
            {
                problems.push(format!(
                    "{name}: telemetry off but an OpenTelemetry destination is predicted"
                ));
            }
        }
    }
    eprintln!(
        "compared {} fixtures twice: {} records, {} attribute keys, {} content states",
        fixtures.len(),
        counts.records,
        counts.keys,
        counts.contents
    );
    assert!(fixtures.len() >= 48, "expected the 48 captured fixtures");
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
