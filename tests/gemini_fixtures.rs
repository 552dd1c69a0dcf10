//! Google Gemini CLI against its real captures. For every fixture the inputs are written
//! out as the files an employer deploys (system defaults, user, workspace and system
//! `settings.json`, the cached-accounts file, the process environment), the whole
//! analysis runs without and with a pass-through collector, and the data map is compared
//! with what the OTLP receivers got: every record and attribute key that arrived is
//! predicted (soundness), everything predicted `always` arrived (precision), content
//! states match, and the usage statistics the CLI posted appear at a `vendor:`
//! destination that predicts every metadata key they carried.

mod common;

use std::collections::BTreeSet;

use common::agents::{self, Counts, compare, observed, otel_destinations, write_json};
use common::fixtures::{read_json, sorted_dirs};
use common::shared_dir;
use otel_dpia::analysis::map::DataMap;
use otel_dpia::inputs::spec::FlagInputs;
use serde_json::Value;

/// The usage-statistics flow's attribute keys, if it is predicted.
fn clearcut_keys(map: &DataMap) -> Option<BTreeSet<String>> {
    let d = map
        .destinations
        .iter()
        .find(|d| d.id == "vendor:google_clearcut")?;
    Some(
        d.records
            .iter()
            .flat_map(|r| r.attributes.iter().map(|a| a.key.clone()))
            .collect(),
    )
}

#[test]
fn every_gemini_capture_is_predicted_at_its_destination() {
    let Some(shared) = shared_dir() else { return };
    let dirs: Vec<_> = sorted_dirs(&shared.join("gemini-cli/fixtures"))
        .iter()
        .flat_map(|v| sorted_dirs(v))
        .collect();
    let mut problems = Vec::new();
    let mut counts = Counts::default();
    let mut usage_keys = 0;
    for (index, dir) in dirs.iter().enumerate() {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let inputs = read_json(&dir.join("inputs.json"));
        let obs = read_json(&dir.join("observed.json"));
        let seen = observed(&obs, dir);
        let hit: Vec<(String, String)> = obs["endpoints_hit"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
            .collect();
        for with_collector in [false, true] {
            let tmp = tempfile::tempdir().unwrap();
            let serves = ["http://127.0.0.1:24318", "http://127.0.0.1:24319"];
            let a = agents::run(
                agents::gemini_flags(&inputs, index, tmp.path()),
                tmp.path(),
                with_collector.then_some(&serves[..]),
            );
            let s = &a.settings[0];
            let mut predicted: Vec<(String, String)> = s
                .signals
                .iter()
                .filter(|x| x.exported)
                .map(|x| {
                    (
                        x.signal.as_str().to_string(),
                        x.endpoint
                            .as_ref()
                            .map(|e| e.url.clone())
                            .unwrap_or_default(),
                    )
                })
                .collect();
            predicted.sort();
            if name.starts_with("k_") {
                // gRPC (the default: OTEL_EXPORTER_OTLP_PROTOCOL is ignored) to an HTTP
                // receiver: the client exported, nothing could arrive.
                let grpc = s
                    .signals
                    .iter()
                    .all(|x| x.protocol.as_ref().is_some_and(|p| p.value == "grpc"));
                if !grpc || predicted.iter().any(|(_, u)| u != "http://127.0.0.1:24318") {
                    problems.push(format!(
                        "{name}: expected gRPC to http://127.0.0.1:24318, got {predicted:?}"
                    ));
                }
            } else {
                compare(&name, &a.map, &seen, &mut problems, &mut counts);
                if predicted != hit {
                    problems.push(format!(
                        "{name}: endpoints predicted {predicted:?}, hit {hit:?}"
                    ));
                }
                let otel = otel_destinations(&a.map);
                let port = hit
                    .first()
                    .map(|(_, u)| u.split('/').nth(2).unwrap_or_default().to_string());
                let want: Vec<String> = match (port, with_collector) {
                    (None, _) => Vec::new(),
                    (Some(_), true) => vec!["otlphttp/backend".to_string()],
                    (Some(p), false) => vec![format!("direct:{p}")],
                };
                if otel != want {
                    problems.push(format!(
                        "{name}: OpenTelemetry destinations {otel:?}, expected {want:?}"
                    ));
                }
            }
            usage(&name, &a.map, &inputs, &obs, &mut problems, &mut usage_keys);
        }
    }
    eprintln!(
        "gemini-cli: {} fixtures twice: {} records, {} attribute keys, {} content states, {} usage-statistics keys",
        dirs.len(),
        counts.records,
        counts.keys,
        counts.contents,
        usage_keys
    );
    assert!(dirs.len() >= 18, "expected the 18 captured fixtures");
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Usage statistics that were posted are predicted with every key they carried; none are
/// predicted where a setting stopped them (a run the CLI refused to start proves nothing).
fn usage(
    name: &str,
    map: &DataMap,
    inputs: &Value,
    obs: &Value,
    problems: &mut Vec<String>,
    n: &mut usize,
) {
    let stats = &obs["usage_statistics"];
    let posted = stats["requests"].as_u64().unwrap_or(0) > 0;
    let keys = clearcut_keys(map);
    match (&keys, posted) {
        (None, true) => problems.push(format!(
            "{name}: usage statistics were posted but not predicted"
        )),
        (Some(_), false) if inputs["exit_code"].as_i64() == Some(0) => problems.push(format!(
            "{name}: usage statistics predicted but none were posted"
        )),
        _ => {}
    }
    let Some(keys) = keys.filter(|_| posted) else {
        return;
    };
    for field in ["metadata_keys", "identity_fields"] {
        for k in stats[field].as_array().into_iter().flatten() {
            *n += 1;
            let k = k.as_str().unwrap();
            if !keys.contains(k) {
                problems.push(format!(
                    "{name}: usage statistics carried {k}, not predicted"
                ));
            }
        }
    }
}

#[test]
fn the_environment_beats_the_system_file_and_the_system_file_beats_the_user() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let user = write_json(
        &dir.join("user.json"),
        &serde_json::json!({"telemetry": {"enabled": true, "logPrompts": true, "otlpEndpoint": "http://127.0.0.1:24318", "otlpProtocol": "http"}}),
    );
    let system = write_json(
        &dir.join("system.json"),
        &serde_json::json!({"telemetry": {"enabled": false, "logPrompts": false}, "privacy": {"usageStatisticsEnabled": false}}),
    );
    let mut flags = FlagInputs {
        sources: vec!["gemini-cli@0.61.0".into()],
        gemini_settings: vec![
            format!("user={}", user.display()),
            format!("system={}", system.display()),
        ],
        ..FlagInputs::default()
    };
    let a = agents::run(flags.clone(), dir, None);
    let s = &a.settings[0];
    assert!(!s.telemetry.enabled, "the system file switches it off");
    assert!(
        s.vendor.flows.iter().all(|f| !f.active),
        "usage statistics stopped by the system file"
    );
    assert!(
        s.vendor.switches[0].fixed_by_policy,
        "no variable can override it"
    );
    flags.env = vec!["GEMINI_TELEMETRY_ENABLED=true".into()];
    let a = agents::run(flags, dir, None);
    let s = &a.settings[0];
    assert!(
        s.telemetry.enabled,
        "an employee's environment overrides the system file"
    );
    assert!(!s.telemetry.fixed_by_policy);
    let prompts = s
        .gates
        .iter()
        .find(|g| g.name == "telemetry.logPrompts")
        .unwrap();
    assert!(
        !prompts.enabled && !prompts.fixed_by_policy,
        "a variable could switch it on again"
    );
}
