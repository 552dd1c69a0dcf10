//! The catalogue must predict what the real Claude Code sent.
//!
//! For every captured fixture (`claude-code/fixtures/<version>/<scenario>/` in the shared
//! reference material) the effective environment is rebuilt from `inputs.json` (process
//! env, then user settings `env`, then managed `env`, then the `managed-settings.d` files
//! in name order; later wins), the record shapes are computed, and compared with
//! `observed.json`:
//! 1. soundness: every observed record and attribute key is predicted;
//! 2. precision: every record and attribute predicted `always` was observed;
//! 3. content: observed raw ⇔ predicted `raw`, observed redacted ⇔ predicted `placeholder`.
//!
//! Fixtures with no telemetry (telemetry off) must yield no OpenTelemetry shapes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use otel_dpia::analysis::{
    AttrState, MapEnv, RecordShape, client_emits, exported_signals, shape::Presence,
};
use otel_dpia::catalogue::telemetry::{Catalogue, RecordKind, Signal, builtin};
use serde_json::Value;

mod common;
use common::shared_dir;

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The effective environment, in the client's order: process, user, managed, drop-ins.
fn effective_env(inputs: &Value) -> MapEnv {
    let mut env = MapEnv::new();
    let mut layer = |obj: Option<&Value>, origin: &str| {
        for (k, v) in obj.and_then(Value::as_object).into_iter().flatten() {
            let value = v.as_str().map_or_else(|| v.to_string(), str::to_string);
            env.set(k, value, format!("{origin}.{k}"));
        }
    };
    layer(inputs.get("process_env"), "inputs.json process_env");
    layer(inputs.pointer("/user_settings/env"), "user settings env");
    layer(
        inputs.pointer("/managed_settings/env"),
        "managed-settings.json env",
    );
    let dropins = inputs.get("managed_settings_d").and_then(Value::as_object);
    let mut names: Vec<&String> = dropins.map(|d| d.keys().collect()).unwrap_or_default();
    names.sort();
    for name in names {
        let file = &dropins.unwrap()[name.as_str()];
        layer(file.get("env"), &format!("managed-settings.d/{name} env"));
    }
    env
}

/// One observed record: its attribute keys and content states.
#[derive(Debug, Default)]
struct Seen {
    keys: BTreeSet<String>,
    content: BTreeMap<String, String>,
}

type RecordId = (RecordKind, String, Option<String>);

fn seen(attrs: &Value, content: Option<&Value>) -> Seen {
    let keys = match attrs {
        Value::Array(a) => a
            .iter()
            .filter_map(|k| k.as_str().map(String::from))
            .collect(),
        Value::Object(o) => o.keys().cloned().collect(),
        _ => BTreeSet::new(),
    };
    let content = content
        .and_then(Value::as_object)
        .map(|o| {
            o.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default();
    Seen { keys, content }
}

fn observed_records(obs: &Value) -> BTreeMap<RecordId, Seen> {
    let mut out = BTreeMap::new();
    if let Some(res) = obs
        .get("resource_attributes")
        .filter(|r| r.as_object().is_some_and(|o| !o.is_empty()))
    {
        out.insert(
            (RecordKind::Resource, "resource".into(), None),
            seen(res, None),
        );
    }
    let groups = [
        ("metrics", RecordKind::Metric),
        ("events", RecordKind::Event),
        ("spans", RecordKind::Span),
    ];
    for (field, kind) in groups {
        for (name, rec) in obs
            .get(field)
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            out.insert(
                (kind, name.clone(), None),
                seen(&rec["attributes"], rec.get("content_attributes")),
            );
            for (ev, e) in rec
                .get("span_events")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let id = (RecordKind::SpanEvent, ev.clone(), Some(name.clone()));
                out.insert(id, seen(&e["attributes"], e.get("content_attributes")));
            }
        }
    }
    out
}

#[derive(Default)]
struct Tally {
    fixtures: usize,
    silent: usize,
    records: usize,
    attributes: usize,
    content: usize,
    failures: Vec<String>,
}

fn compare(
    fixture: &str,
    shapes: &[RecordShape],
    observed: &BTreeMap<RecordId, Seen>,
    t: &mut Tally,
) {
    let predicted: BTreeMap<RecordId, &RecordShape> = shapes
        .iter()
        .filter(|s| s.signal != Signal::Other)
        .map(|s| ((s.kind, s.name.clone(), s.parent.clone()), s))
        .collect();
    let mut fail = |msg: String| t.failures.push(format!("{fixture}: {msg}"));
    for (id, seen) in observed {
        let Some(shape) = predicted.get(id) else {
            fail(format!("observed {:?} `{}` is not predicted", id.0, id.1));
            continue;
        };
        t.records += 1;
        for key in &seen.keys {
            t.attributes += 1;
            if shape.attribute(key).is_none() {
                fail(format!(
                    "`{}`: observed attribute `{key}` is not predicted",
                    id.1
                ));
            }
        }
        for a in shape
            .attributes
            .iter()
            .filter(|a| a.presence == Presence::Always)
        {
            if !seen.keys.contains(&a.key) {
                fail(format!(
                    "`{}`: `{}` predicted always but not observed",
                    id.1, a.key
                ));
            }
        }
        for (key, state) in &seen.content {
            t.content += 1;
            let want = match state.as_str() {
                "present" => AttrState::Raw,
                "redacted" => AttrState::Placeholder,
                other => panic!("{fixture}: unknown content state {other}"),
            };
            let got = shape.attribute(key).map(|a| a.state);
            if got != Some(want) {
                fail(format!(
                    "`{}`: content `{key}` observed {state}, predicted {got:?}",
                    id.1
                ));
            }
        }
    }
    for (id, shape) in &predicted {
        if shape.presence == Presence::Always && !observed.contains_key(id) {
            fail(format!(
                "{:?} `{}` predicted always but not observed",
                id.0, id.1
            ));
        }
    }
}

fn run_fixture(cat: &Catalogue, dir: &Path, t: &mut Tally) {
    let fixture = format!(
        "{}/{}",
        dir.parent().unwrap().file_name().unwrap().to_string_lossy(),
        dir.file_name().unwrap().to_string_lossy()
    );
    let inputs = read_json(&dir.join("inputs.json"));
    let observed = observed_records(&read_json(&dir.join("observed.json")));
    let version = inputs["claude_code_version"]
        .as_str()
        .expect("claude_code_version");
    let resolved = cat.resolve_version(Some(version)).unwrap();
    assert!(
        resolved.exact,
        "{fixture}: catalogue does not know {version}"
    );
    let env = effective_env(&inputs);
    let emission = client_emits(cat, &resolved, &env, &exported_signals(cat, &env));
    t.fixtures += 1;
    let otel: Vec<&RecordShape> = emission
        .records
        .iter()
        .filter(|r| r.signal != Signal::Other)
        .collect();
    if observed.is_empty() {
        t.silent += 1;
        if !otel.is_empty() {
            t.failures.push(format!(
                "{fixture}: nothing arrived but {} OTel records predicted",
                otel.len()
            ));
        }
        assert!(
            emission
                .records
                .iter()
                .any(|r| r.name == "model_api_request"),
            "{fixture}: the model call always happens"
        );
        return;
    }
    compare(&fixture, &emission.records, &observed, t);
}

fn fixture_dirs(shared: &Path) -> Vec<PathBuf> {
    let root = shared.join("claude-code/fixtures");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .flat_map(|v| std::fs::read_dir(v.unwrap().path()).unwrap())
        .map(|s| s.unwrap().path())
        .filter(|p| p.join("observed.json").is_file())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn catalogue_predicts_every_captured_fixture() {
    let Some(shared) = shared_dir() else {
        println!("skipped: shared reference material not found (set OTEL_DPIA_SHARED)");
        return;
    };
    let cat = builtin("claude-code").unwrap().unwrap();
    let mut t = Tally::default();
    for dir in fixture_dirs(&shared) {
        run_fixture(&cat, &dir, &mut t);
    }
    println!(
        "compared {} fixtures ({} with telemetry off), {} records, {} attribute keys, {} content states",
        t.fixtures, t.silent, t.records, t.attributes, t.content
    );
    assert!(
        t.fixtures >= 40,
        "expected both versions' fixtures, found {}",
        t.fixtures
    );
    assert!(t.silent >= 4, "telemetry-off fixtures missing");
    assert!(
        t.failures.is_empty(),
        "{} mismatches:\n{}",
        t.failures.len(),
        t.failures.join("\n")
    );
}
