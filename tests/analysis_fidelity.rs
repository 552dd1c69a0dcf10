//! The whole analysis (settings → what the client emits → collectors → destinations)
//! against real captures of Claude Code. For every fixture, with no collector and with a
//! pass-through collector, the records and attribute keys predicted at the OpenTelemetry
//! destinations must cover what the receiver got (soundness), everything predicted
//! `always` must have arrived (precision), and content attributes must be `raw` or
//! `placeholder` exactly as observed.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::fixtures::{all_fixtures, fixture_flags, read_json};
use common::shared_dir;
use otel_dpia::analysis::map::{DataMap, RecordOut};
use otel_dpia::analysis::run::analyze;
use otel_dpia::analysis::shape::{AttrState, Presence};
use otel_dpia::diag::Diagnostics;
use otel_dpia::files::Files;
use otel_dpia::inputs::InputSpec;
use serde_json::Value;

const PASS_THROUGH: &str = "\
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:4318
processors:
  batch: {}
exporters:
  otlphttp/backend:
    endpoint: https://telemetry.internal.example
service:
  pipelines:
    logs: {receivers: [otlp], processors: [batch], exporters: [otlphttp/backend]}
    metrics: {receivers: [otlp], processors: [batch], exporters: [otlphttp/backend]}
    traces: {receivers: [otlp], processors: [batch], exporters: [otlphttp/backend]}
";

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

/// Predicted records at every OpenTelemetry destination, by (signal, name).
fn predicted(map: &DataMap) -> BTreeMap<(String, String), RecordOut> {
    let mut out: BTreeMap<(String, String), RecordOut> = BTreeMap::new();
    for d in map
        .destinations
        .iter()
        .filter(|d| !d.id.starts_with("vendor:"))
    {
        for r in &d.records {
            let name = match &r.parent {
                Some(p) => format!("{p}/{}", r.name),
                None => r.name.clone(),
            };
            out.entry((r.signal.clone(), name))
                .or_insert_with(|| r.clone());
        }
    }
    out
}

/// What arrived of one record: attribute keys, and content states by key.
type Seen = (BTreeSet<String>, BTreeMap<String, String>);

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

fn compare(
    fixture: &str,
    map: &DataMap,
    obs: &Value,
    problems: &mut Vec<String>,
    counts: &mut [usize; 3],
) {
    let pred = predicted(map);
    let seen = observed(obs);
    for (id, (keys, content)) in &seen {
        let Some(r) = pred.get(id) else {
            problems.push(format!("{fixture}: observed record {id:?} not predicted"));
            continue;
        };
        counts[0] += 1;
        let predicted_keys: BTreeSet<&str> = r.attributes.iter().map(|a| a.key.as_str()).collect();
        let covered_by_unknown = !r.unknown_keys.is_empty();
        for k in keys {
            counts[1] += 1;
            if !predicted_keys.contains(k.as_str()) && !covered_by_unknown {
                problems.push(format!(
                    "{fixture}: {id:?} attribute {k} arrived but is not predicted"
                ));
            }
        }
        for a in r
            .attributes
            .iter()
            .filter(|a| a.presence == Presence::Always)
        {
            if !keys.contains(&a.key) {
                problems.push(format!(
                    "{fixture}: {id:?} attribute {} predicted always but did not arrive",
                    a.key
                ));
            }
        }
        for (k, state) in content {
            counts[2] += 1;
            let want = if state == "redacted" {
                AttrState::Placeholder
            } else {
                AttrState::Raw
            };
            match r.attributes.iter().find(|a| &a.key == k) {
                Some(a) if a.state == want => {}
                Some(a) => problems.push(format!(
                    "{fixture}: {id:?} {k} predicted {:?}, observed {state}",
                    a.state
                )),
                None => problems.push(format!("{fixture}: {id:?} content {k} not predicted")),
            }
        }
    }
    for (id, r) in &pred {
        if r.presence == Presence::Always && !seen.contains_key(id) {
            problems.push(format!(
                "{fixture}: {id:?} predicted always but did not arrive"
            ));
        }
    }
}

#[test]
fn the_data_map_predicts_every_capture_with_and_without_a_collector() {
    let Some(shared) = shared_dir() else { return };
    let mut problems = Vec::new();
    let mut counts = [0usize; 3];
    let fixtures = all_fixtures(&shared);
    for (index, dir) in fixtures.iter().enumerate() {
        let name = dir.strip_prefix(&shared).unwrap().display().to_string();
        let inputs = read_json(&dir.join("inputs.json"));
        let obs = read_json(&dir.join("observed.json"));
        for with_collector in [false, true] {
            let map = run(&inputs, index, with_collector);
            compare(&name, &map, &obs, &mut problems, &mut counts);
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
        counts[0],
        counts[1],
        counts[2]
    );
    assert!(fixtures.len() >= 48, "expected the 48 captured fixtures");
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
