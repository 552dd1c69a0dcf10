//! The settings resolver against real captures of Claude Code: for every fixture of
//! every captured version, the inputs are written out as real files (managed settings,
//! drop-ins, user settings, an env file or `--env` flags), resolved for that client
//! version, and the prediction is compared with what the OTLP receiver got.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use otel_dpia::diag::Diagnostics;
use otel_dpia::files::Files;
use otel_dpia::inputs::InputSpec;
use otel_dpia::sources::{self, EffectiveSettings};
use serde_json::Value;

mod common;
use common::fixtures::{fixture_flags, sorted_dirs};
use common::shared_dir;

/// Writes a fixture's inputs as files and resolves them.
fn resolve_fixture(inputs: &Value, index: usize, tmp: &Path) -> EffectiveSettings {
    let flags = fixture_flags(inputs, index, tmp);
    let mut diags = Diagnostics::new();
    let mut files = Files::new();
    let spec = InputSpec::build(None, &flags, &mut diags);
    let settings = sources::resolve(&spec.sources[0], &spec, &mut files, &mut diags);
    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.clone())
        .collect();
    assert!(errors.is_empty(), "errors: {errors:?}");
    settings.expect("settings resolve")
}

/// Collects mismatches between prediction and observation for one fixture.
struct Check<'a> {
    name: String,
    settings: &'a EffectiveSettings,
    observed: &'a Value,
    problems: Vec<String>,
}

impl Check<'_> {
    fn expect(&mut self, ok: bool, what: impl Into<String>) {
        if !ok {
            self.problems
                .push(format!("{}: {}", self.name, what.into()));
        }
    }

    fn gate(&self, name: &str) -> bool {
        let gate = self.settings.gates.iter().find(|g| g.name == name);
        gate.unwrap_or_else(|| panic!("gate {name} missing"))
            .enabled
    }

    fn gate_value(&self, name: &str) -> &str {
        let gate = self.settings.gates.iter().find(|g| g.name == name);
        &gate.unwrap().value
    }

    /// `content_attributes.<attr>` of an event or span (`present`/`redacted`/absent).
    fn content<'v>(&'v self, group: &str, record: &str, attr: &str) -> Option<&'v str> {
        self.observed[group][record]["content_attributes"][attr].as_str()
    }

    fn endpoints(&mut self) {
        let hit: BTreeMap<String, String> =
            serde_json::from_value(self.observed["endpoints_hit"].clone()).unwrap();
        let predicted: BTreeMap<String, String> = self
            .settings
            .signals
            .iter()
            .filter(|s| s.exported)
            .map(|s| {
                let url = s
                    .endpoint
                    .as_ref()
                    .map(|e| e.url.clone())
                    .unwrap_or_default();
                (s.signal.as_str().to_string(), url)
            })
            .collect();
        self.expect(
            self.settings.telemetry.enabled != hit.is_empty(),
            format!(
                "telemetry {} but {} endpoints hit",
                self.settings.telemetry.enabled,
                hit.len()
            ),
        );
        self.expect(
            predicted == hit,
            format!("predicted {predicted:?}, hit {hit:?}"),
        );
    }

    fn content_gates(&mut self) {
        let prompts = self.gate("OTEL_LOG_USER_PROMPTS");
        let shown = |on: bool| if on { "present" } else { "redacted" };
        for attr in ["prompt", "prompt_text"] {
            if let Some(got) = self.content("events", "user_prompt", attr) {
                self.expect(
                    got == shown(prompts),
                    format!("user_prompt.{attr} is {got}"),
                );
            }
        }
        self.expect(
            self.content("events", "user_prompt", "prompt").is_some(),
            "no user_prompt event",
        );
        if let Some(got) = self.content("spans", "claude_code.interaction", "user_prompt") {
            self.expect(
                got == shown(prompts),
                format!("interaction.user_prompt is {got}"),
            );
        }
        let responses = self.gate("OTEL_LOG_ASSISTANT_RESPONSES");
        let got = self.content("events", "assistant_response", "response");
        self.expect(
            got == Some(shown(responses)),
            format!("response is {got:?}"),
        );
        let details = self.gate("OTEL_LOG_TOOL_DETAILS");
        let present = |on: bool| on.then_some("present");
        for (record, attr) in [
            ("tool_decision", "tool_parameters"),
            ("tool_result", "tool_input"),
        ] {
            let got = self.content("events", record, attr);
            self.expect(
                got == present(details),
                format!("{record}.{attr} is {got:?}"),
            );
        }
        if self.observed["spans"]["claude_code.tool"].is_object() {
            for attr in ["full_command", "file_path"] {
                let got = self.content("spans", "claude_code.tool", attr);
                self.expect(
                    got == present(details),
                    format!("tool span {attr} is {got:?}"),
                );
            }
            let tool_output =
                &self.observed["spans"]["claude_code.tool"]["span_events"]["tool.output"];
            let content = self.gate("OTEL_LOG_TOOL_CONTENT");
            self.expect(
                tool_output.is_object() == content,
                "tool.output event vs TOOL_CONTENT",
            );
        }
    }

    fn raw_bodies(&mut self) {
        let value = self.gate_value("OTEL_LOG_RAW_API_BODIES").to_string();
        let enabled = self.gate("OTEL_LOG_RAW_API_BODIES");
        let event = &self.observed["events"]["api_request_body"];
        self.expect(
            event.is_object() == enabled,
            format!("api_request_body vs {value}"),
        );
        if enabled {
            let want = if value.starts_with("file:") {
                "body_ref"
            } else {
                "body"
            };
            let got = self.content("events", "api_request_body", want);
            self.expect(
                got == Some("present"),
                format!("api_request_body.{want} is {got:?}"),
            );
        }
    }

    fn identifiers(&mut self) {
        let metrics = self.observed["metrics"].as_object().unwrap().clone();
        self.expect(!metrics.is_empty(), "no metrics although telemetry is on");
        let resource_keys: Vec<String> = self
            .settings
            .resource
            .attributes
            .iter()
            .map(|a| a.key.clone())
            .collect();
        let copies = self.gate("OTEL_METRICS_INCLUDE_RESOURCE_ATTRIBUTES");
        let checks = [
            ("session.id", self.gate("OTEL_METRICS_INCLUDE_SESSION_ID")),
            ("app.version", self.gate("OTEL_METRICS_INCLUDE_VERSION")),
            (
                "app.entrypoint",
                self.gate("OTEL_METRICS_INCLUDE_ENTRYPOINT"),
            ),
        ];
        for (name, metric) in &metrics {
            let attrs: BTreeSet<&str> = metric["attributes"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(Value::as_str)
                .collect();
            for (attr, on) in checks {
                self.expect(
                    attrs.contains(attr) == on,
                    format!("{name}: {attr} vs gate {on}"),
                );
            }
            for key in &resource_keys {
                self.expect(
                    attrs.contains(key.as_str()) == copies,
                    format!("{name}: copy of {key}"),
                );
            }
        }
    }

    fn resource_and_headers(&mut self) {
        for a in &self.settings.resource.attributes {
            let got = self.observed["resource_attributes"][&a.key].as_str();
            let ok = got == Some(a.value.as_str());
            self.expect(
                ok,
                format!("resource {}={} but observed {got:?}", a.key, a.value),
            );
        }
        let seen: BTreeSet<String> = self.observed["headers_seen"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|h| h.as_str().map(str::to_ascii_lowercase))
            .collect();
        let names: Vec<String> = self
            .settings
            .signals
            .iter()
            .filter(|s| s.exported)
            .flat_map(|s| s.headers.iter().map(|h| h.name.to_ascii_lowercase()))
            .collect();
        for name in names {
            self.expect(seen.contains(&name), format!("header {name} not seen"));
        }
    }
}

#[test]
fn every_captured_scenario_is_predicted() {
    let Some(shared) = shared_dir() else {
        println!("skipping: shared reference material not found (set OTEL_DPIA_SHARED)");
        return;
    };
    let root = shared.join("claude-code/fixtures");
    let mut problems = Vec::new();
    let mut checked: BTreeMap<String, usize> = BTreeMap::new();
    let mut index = 0;
    for version_dir in sorted_dirs(&root) {
        for scenario in sorted_dirs(&version_dir) {
            let read = |f: &str| -> Value {
                serde_json::from_str(&fs::read_to_string(scenario.join(f)).unwrap()).unwrap()
            };
            let (inputs, observed) = (read("inputs.json"), read("observed.json"));
            let tmp = tempfile::tempdir().unwrap();
            let settings = resolve_fixture(&inputs, index, tmp.path());
            index += 1;
            let version = version_dir
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let name = format!(
                "{version}/{}",
                scenario.file_name().unwrap().to_string_lossy()
            );
            assert_eq!(settings.version, version, "{name}");
            assert!(settings.version_known, "{name}");
            let mut check = Check {
                name,
                settings: &settings,
                observed: &observed,
                problems: Vec::new(),
            };
            check.endpoints();
            if settings.telemetry.enabled {
                check.content_gates();
                check.raw_bodies();
                check.identifiers();
                check.resource_and_headers();
            }
            problems.extend(check.problems);
            *checked.entry(version).or_default() += 1;
        }
    }
    let total: usize = checked.values().sum();
    println!("checked {total} fixtures: {checked:?}");
    assert!(
        problems.is_empty(),
        "{} mismatches:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(
        checked.len() >= 2 && total >= 40,
        "too few fixtures found: {checked:?}"
    );
}
