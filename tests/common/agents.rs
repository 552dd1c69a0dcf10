//! Shared by the fixture tests of every agent (the whole-analysis test of Claude Code, and
//! the Codex CLI and Gemini CLI tests): writing a capture's inputs out as
//! real files, running the whole analysis, and comparing the data map with what the OTLP
//! receiver got (records and attribute keys, per signal, at the direct destination).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use otel_dpia::analysis::map::{DataMap, RecordOut};
use otel_dpia::analysis::run::{Analysis, analyze};
use otel_dpia::analysis::shape::{AttrState, Presence};
use otel_dpia::diag::Diagnostics;
use otel_dpia::files::Files;
use otel_dpia::inputs::InputSpec;
use otel_dpia::inputs::spec::FlagInputs;
use serde_json::Value;

/// A collector that passes everything on to one backend.
pub const PASS_THROUGH: &str = "\
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

/// A JSON object as a TOML document: top-level tables as `[sections]`, deeper tables
/// inline, as an administrator writes `config.toml`.
pub fn toml_of(doc: &Value) -> String {
    let obj = doc.as_object().expect("a TOML document is a table");
    let mut head = String::new();
    let mut tables = String::new();
    for (k, v) in obj {
        match v {
            Value::Object(m) => {
                tables.push_str(&format!("\n[{}]\n", key(k)));
                for (k2, v2) in m {
                    tables.push_str(&format!("{} = {}\n", key(k2), inline(v2)));
                }
            }
            _ => head.push_str(&format!("{} = {}\n", key(k), inline(v))),
        }
    }
    head + &tables
}

fn key(k: &str) -> String {
    if k.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        k.to_string()
    } else {
        serde_json::to_string(k).unwrap()
    }
}

fn inline(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let parts: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{} = {}", key(k), inline(v)))
                .collect();
            format!("{{ {} }}", parts.join(", "))
        }
        Value::Array(a) => format!("[{}]", a.iter().map(inline).collect::<Vec<_>>().join(", ")),
        other => other.to_string(),
    }
}

/// Splits a command line as a POSIX shell does for plain words and quotes.
pub fn shell_words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(word);
    }
    out
}

/// Writes a JSON document.
pub fn write_json(path: &Path, value: &Value) -> PathBuf {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, serde_json::to_string_pretty(value).unwrap()).unwrap();
    path.to_path_buf()
}

/// Writes a text file.
pub fn write_text(path: &Path, text: &str) -> PathBuf {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
    path.to_path_buf()
}

/// The process environment as `--env` flags (even index) or an env file (odd), so both
/// paths run.
pub fn add_env(flags: &mut FlagInputs, env: &Value, index: usize, tmp: &Path) {
    let pairs = env
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k, v.as_str().unwrap()));
    if index % 2 == 1 {
        let text: String = pairs.map(|(k, v)| format!("{k}='{v}'\n")).collect();
        flags
            .env_files
            .push(write_text(&tmp.join("agent.env"), &text));
    } else {
        flags.env = pairs.map(|(k, v)| format!("{k}={v}")).collect();
    }
}

/// Runs the analysis; with a collector that serves `serves`. Errors fail the test.
///
/// A capture ran in an empty folder with a fresh home: the settings it was given are every
/// settings file the client read, so the inputs are declared complete.
pub fn run(mut flags: FlagInputs, tmp: &Path, collector_serves: Option<&[&str]>) -> Analysis {
    flags.no_other_settings = true;
    if collector_serves.is_some() {
        let path = write_text(&tmp.join("otelcol.yaml"), PASS_THROUGH);
        flags.collectors.push(format!("laptop={}", path.display()));
    }
    let mut diags = Diagnostics::new();
    let mut files = Files::new();
    let mut spec = InputSpec::build(None, &flags, &mut diags);
    for c in &mut spec.collectors {
        c.serves = collector_serves
            .unwrap_or_default()
            .iter()
            .map(|s| s.to_string())
            .collect();
    }
    let analysis = analyze(&spec, &mut files, &mut diags);
    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {}", d.code.as_str(), d.message))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    analysis.expect("analysis runs")
}

/// Predicted records at the OpenTelemetry destinations, by (signal, name).
pub fn predicted(map: &DataMap) -> BTreeMap<(String, String), RecordOut> {
    let mut out = BTreeMap::new();
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
pub type Seen = (BTreeSet<String>, BTreeMap<String, String>);

/// The resource keys each signal's exports carried, read from the raw captures (in
/// `raw/` or a receiver's folder under it); the observed union where no raw file exists.
pub fn raw_resources(dir: &Path, union: &BTreeSet<String>) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut folders = vec![dir.join("raw")];
    if let Ok(rd) = fs::read_dir(dir.join("raw")) {
        folders.extend(
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.is_dir()),
        );
    }
    for folder in folders {
        let Ok(rd) = fs::read_dir(&folder) else {
            continue;
        };
        for e in rd.filter_map(|e| e.ok()) {
            let name = e.file_name().to_string_lossy().to_string();
            for (signal, top) in [
                ("logs", "resourceLogs"),
                ("metrics", "resourceMetrics"),
                ("traces", "resourceSpans"),
            ] {
                if !name.starts_with(&format!("{signal}-")) || !name.ends_with(".json") {
                    continue;
                }
                let doc: Value =
                    serde_json::from_str(&fs::read_to_string(e.path()).unwrap()).unwrap();
                for r in doc[top].as_array().into_iter().flatten() {
                    let keys = r["resource"]["attributes"].as_array().into_iter().flatten();
                    out.entry(signal.to_string())
                        .or_default()
                        .extend(keys.map(|a| a["key"].as_str().unwrap().to_string()));
                }
            }
        }
    }
    for signal in ["logs", "metrics", "traces"] {
        if !out.contains_key(signal) {
            out.insert(signal.to_string(), union.clone());
        }
    }
    out
}

/// Observed records by (signal, name): the resource per signal hit, metrics, events (by
/// `event.name`; a nameless debug line by its body) and spans with their events.
pub fn observed(obs: &Value, dir: &Path) -> BTreeMap<(String, String), Seen> {
    let mut out = BTreeMap::new();
    let keys = |v: &Value| -> BTreeSet<String> {
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
    let union: BTreeSet<String> = obs["resource_attributes"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let resources = raw_resources(dir, &union);
    for signal in obs["endpoints_hit"]
        .as_object()
        .cloned()
        .unwrap_or_default()
        .keys()
    {
        out.insert(
            (signal.clone(), "resource".to_string()),
            (resources[signal].clone(), BTreeMap::new()),
        );
    }
    for (name, m) in obs["metrics"].as_object().cloned().unwrap_or_default() {
        out.insert(("metrics".into(), name), (keys(&m), BTreeMap::new()));
    }
    for (name, e) in obs["events"].as_object().cloned().unwrap_or_default() {
        let name = name
            .strip_prefix("(no event.name) body=")
            .map_or(name.clone(), str::to_string);
        out.insert(("logs".into(), name), (keys(&e), content(&e)));
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

/// Counts of what was compared: records, attribute keys, content states.
#[derive(Default, Debug)]
pub struct Counts {
    /// Records compared.
    pub records: usize,
    /// Attribute keys compared.
    pub keys: usize,
    /// Content states compared.
    pub contents: usize,
}

/// Soundness (everything observed is predicted, with the observed content state) and
/// precision (everything predicted `always` arrived).
pub fn compare(
    fixture: &str,
    map: &DataMap,
    seen: &BTreeMap<(String, String), Seen>,
    problems: &mut Vec<String>,
    counts: &mut Counts,
) {
    compare_with(fixture, map, seen, problems, counts, true);
}

/// Soundness only: everything observed is predicted, and no content observed raw is
/// predicted in a safer state. For a data map of an open deployment, which must cover
/// what any employee's settings could add, so it may predict more than one capture shows.
pub fn compare_sound(
    fixture: &str,
    map: &DataMap,
    seen: &BTreeMap<(String, String), Seen>,
    problems: &mut Vec<String>,
    counts: &mut Counts,
) {
    compare_with(fixture, map, seen, problems, counts, false);
}

fn compare_with(
    fixture: &str,
    map: &DataMap,
    seen: &BTreeMap<(String, String), Seen>,
    problems: &mut Vec<String>,
    counts: &mut Counts,
    precise: bool,
) {
    let pred = predicted(map);
    for (id, (keys, content)) in seen {
        let Some(r) = pred.get(id) else {
            problems.push(format!("{fixture}: observed record {id:?} not predicted"));
            continue;
        };
        counts.records += 1;
        let predicted_keys: BTreeSet<&str> = r.attributes.iter().map(|a| a.key.as_str()).collect();
        for k in keys {
            counts.keys += 1;
            if !predicted_keys.contains(k.as_str()) && r.unknown_keys.is_empty() {
                problems.push(format!(
                    "{fixture}: {id:?} attribute {k} arrived but is not predicted"
                ));
            }
        }
        for a in r
            .attributes
            .iter()
            .filter(|a| precise && a.presence == Presence::Always)
        {
            if !keys.contains(&a.key) {
                problems.push(format!(
                    "{fixture}: {id:?} attribute {} predicted always but did not arrive",
                    a.key
                ));
            }
        }
        for (k, state) in content {
            counts.contents += 1;
            let want = if state == "redacted" {
                AttrState::Placeholder
            } else {
                AttrState::Raw
            };
            match r.attributes.iter().find(|a| &a.key == k) {
                Some(a) if a.state == want => {}
                Some(a) if !precise && a.state == AttrState::Raw => {}
                Some(a) => problems.push(format!(
                    "{fixture}: {id:?} {k} predicted {:?}, observed {state}",
                    a.state
                )),
                None => problems.push(format!("{fixture}: {id:?} content {k} not predicted")),
            }
        }
    }
    for (id, r) in pred.iter().filter(|_| precise) {
        if r.presence == Presence::Always && !seen.contains_key(id) {
            problems.push(format!(
                "{fixture}: {id:?} predicted always but did not arrive"
            ));
        }
    }
}

/// The OpenTelemetry destinations (not `vendor:`) of a data map.
pub fn otel_destinations(map: &DataMap) -> Vec<&str> {
    map.destinations
        .iter()
        .filter(|d| !d.id.starts_with("vendor:"))
        .map(|d| d.id.as_str())
        .collect()
}

/// The `host:port` of every `vendor:` destination's endpoint.
pub fn vendor_hosts(map: &DataMap) -> BTreeMap<String, String> {
    map.destinations
        .iter()
        .filter(|d| d.id.starts_with("vendor:"))
        .filter_map(|d| {
            let url = d.endpoint.as_deref()?;
            let rest = url.split_once("://").map_or(url, |(_, r)| r);
            let host = rest.split(['/', '?']).next()?.to_string();
            let host = if host.contains(':') {
                host
            } else {
                format!("{host}:443")
            };
            Some((host, d.id.clone()))
        })
        .collect()
}

/// A Codex CLI capture's inputs as files and flags.
pub fn codex_flags(inputs: &Value, index: usize, tmp: &Path) -> FlagInputs {
    let version = inputs["codex_version"].as_str().unwrap();
    let mut flags = FlagInputs {
        sources: vec![format!("codex@{version}")],
        ..FlagInputs::default()
    };
    if !inputs["config_toml"].is_null() {
        let user = write_text(
            &tmp.join("home/.codex/config.toml"),
            &toml_of(&inputs["config_toml"]),
        );
        flags.codex_config.push(format!("user={}", user.display()));
    }
    for (path, doc) in inputs["managed_config"].as_object().into_iter().flatten() {
        let layer = match path.as_str() {
            "/etc/codex/config.toml" => "system",
            "/etc/codex/managed_config.toml" => "managed",
            "/etc/codex/requirements.toml" => "requirements",
            other => panic!("unknown managed file {other}"),
        };
        let file = write_text(&tmp.join(format!("etc/{layer}.toml")), &toml_of(doc));
        flags
            .codex_config
            .push(format!("{layer}={}", file.display()));
    }
    let words = shell_words(inputs["cli_args"].as_str().unwrap_or_default());
    for pair in words.windows(2) {
        if pair[0] == "-c" {
            flags.codex_flags.push(pair[1].clone());
        }
    }
    add_env(&mut flags, &inputs["process_env"], index, tmp);
    flags
}

/// A Gemini CLI capture's inputs as files and flags.
pub fn gemini_flags(inputs: &Value, index: usize, tmp: &Path) -> FlagInputs {
    let version = inputs["gemini_cli_version"].as_str().unwrap();
    let mut flags = FlagInputs {
        sources: vec![format!("gemini-cli@{version}")],
        ..FlagInputs::default()
    };
    for (key, layer, path) in [
        (
            "system_defaults",
            "system-defaults",
            "etc/gemini-cli/system-defaults.json",
        ),
        ("user_settings", "user", "home/.gemini/settings.json"),
        (
            "workspace_settings",
            "workspace",
            "home/project/.gemini/settings.json",
        ),
        ("system_settings", "system", "etc/gemini-cli/settings.json"),
    ] {
        if !inputs[key].is_null() {
            let file = write_json(&tmp.join(path), &inputs[key]);
            flags
                .gemini_settings
                .push(format!("{layer}={}", file.display()));
        }
    }
    if !inputs["google_accounts"].is_null() {
        let file = write_json(
            &tmp.join("home/.gemini/google_accounts.json"),
            &inputs["google_accounts"],
        );
        flags.gemini_accounts = Some(file);
    }
    add_env(&mut flags, &inputs["process_env"], index, tmp);
    flags
}
