//! The whole analysis (settings → what the client emits → collectors → destinations)
//! against real captures of Claude Code. For every fixture, with no collector and with a
//! pass-through collector, the records and attribute keys predicted at the OpenTelemetry
//! destinations must cover what the receiver got (soundness), everything predicted
//! `always` must have arrived (precision), and content attributes must be `raw` or
//! `placeholder` exactly as observed.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::agents::{Counts, PASS_THROUGH, Seen, compare, compare_sound};
use common::fixtures::{all_fixtures, fixture_flags, read_json};
use common::shared_dir;
use otel_dpia::analysis::map::DataMap;
use otel_dpia::analysis::run::analyze;
use otel_dpia::analysis::shape::{AttrState, Presence};
use otel_dpia::diag::Diagnostics;
use otel_dpia::files::Files;
use otel_dpia::inputs::InputSpec;
use serde_json::Value;

fn run(inputs: &Value, index: usize, with_collector: bool) -> DataMap {
    run_as(inputs, index, with_collector, true)
}

/// `complete`: the capture's settings are every settings file (as they were); otherwise the
/// same files are analysed as a deployment whose lower layers anyone may add to.
fn run_as(inputs: &Value, index: usize, with_collector: bool, complete: bool) -> DataMap {
    let tmp = tempfile::tempdir().unwrap();
    let mut flags = fixture_flags(inputs, index, tmp.path());
    flags.no_other_settings = complete;
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

/// The same captures read as deployments where the user's or a repository's settings may
/// switch on what the managed settings leave open: still sound (everything that arrived is
/// predicted, content never safer than it arrived), and every content key the capture
/// shows redacted, whose gate the managed settings do not pin, is predicted raw and maybe.
#[test]
fn an_open_deployment_still_covers_every_capture_and_widens_every_unpinned_gate() {
    let Some(shared) = shared_dir() else { return };
    let mut problems = Vec::new();
    let mut counts = Counts::default();
    let mut widened = 0;
    for (index, dir) in all_fixtures(&shared).iter().enumerate() {
        let name = dir.strip_prefix(&shared).unwrap().display().to_string();
        let inputs = read_json(&dir.join("inputs.json"));
        let obs = read_json(&dir.join("observed.json"));
        let seen = observed(&obs);
        let map = run_as(&inputs, index, false, false);
        compare_sound(&name, &map, &seen, &mut problems, &mut counts);
        let pinned_off = |var: &str| {
            inputs["managed_settings"]["env"][var]
                .as_str()
                .is_some_and(|v| v == "0" || v == "false")
        };
        let pred = common::agents::predicted(&map);
        for (id, (_, content)) in &seen {
            for (key, state) in content.iter().filter(|(_, s)| *s == "redacted") {
                let gate = match key.as_str() {
                    "prompt" | "user_prompt" => "OTEL_LOG_USER_PROMPTS",
                    "response" => "OTEL_LOG_ASSISTANT_RESPONSES",
                    _ => continue,
                };
                let a = pred[id].attributes.iter().find(|a| &a.key == key).unwrap();
                if pinned_off(gate) {
                    if a.state != AttrState::Placeholder {
                        problems.push(format!(
                            "{name}: {id:?} {key}: {gate} is pinned off, predicted {:?}",
                            a.state
                        ));
                    }
                    continue;
                }
                if a.state != AttrState::Raw || a.presence != Presence::Maybe {
                    problems.push(format!(
                        "{name}: {id:?} {key} observed {state} with {gate} not pinned, predicted {:?} {:?}",
                        a.state, a.presence
                    ));
                }
                let cites = a
                    .evidence
                    .iter()
                    .any(|e| otel_dpia::analysis::openness::unpinned_setting(&e.what).is_some());
                if !cites {
                    problems.push(format!(
                        "{name}: {id:?} {key} does not say it is not pinned"
                    ));
                }
                widened += 1;
            }
        }
    }
    eprintln!(
        "open deployments: {} records, {} keys, {} content states; {widened} redacted keys widened",
        counts.records, counts.keys, counts.contents
    );
    assert!(
        widened > 40,
        "the captures have many redacted prompts: {widened}"
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
