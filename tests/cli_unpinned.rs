//! Settings the employer does not pin. A content switch that managed settings leave open
//! can be switched on by the employee's own settings or by any repository's settings, so
//! the data map must treat it as possibly on, `check` must name it (DP014) with the
//! managed setting that pins it, and the notice must say so in plain words. Settings files
//! below the managed tier are read where given (`--project-settings`), and
//! `--no-other-settings` declares the inputs complete (a lab machine, a capture).
//!
//! Inputs are shaped like the bundled three-agent rollout, through the binary.

mod common;

use std::fs;
use std::path::Path;

use common::datamap::{self, analyze_json, command_json, init_and_render};
use common::{run_in, texts};
use serde_json::Value;

/// Claude Code managed settings exporting logs to the internal backend, with `extra`
/// lines added to the `env` block.
fn claude_managed(dir: &Path, extra: &[(&str, &str)]) {
    let mut env = vec![
        ("CLAUDE_CODE_ENABLE_TELEMETRY", "1"),
        ("OTEL_METRICS_EXPORTER", "otlp"),
        ("OTEL_LOGS_EXPORTER", "otlp"),
        ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
        (
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            "https://otel.noordwind.example:4318",
        ),
        ("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1"),
    ];
    env.extend_from_slice(extra);
    let body: Vec<String> = env
        .iter()
        .map(|(k, v)| format!("    \"{k}\": \"{v}\""))
        .collect();
    let text = format!("{{\n  \"env\": {{\n{}\n  }}\n}}\n", body.join(",\n"));
    fs::write(dir.join("managed-settings.json"), text).unwrap();
}

/// A settings file below the managed tier, at `rel`, whose `env` sets one variable.
fn lower_settings(dir: &Path, rel: &str, key: &str, value: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let text = format!("{{\n  \"env\": {{\n    \"{key}\": \"{value}\"\n  }}\n}}\n");
    fs::write(path, text).unwrap();
}

fn run_json(dir: &Path, command: &str, args: &[&str], code: i32) -> Value {
    command_json(dir, command, args, code)
}

fn analyze(dir: &Path, args: &[&str]) -> Value {
    analyze_json(dir, args)
}

/// The attribute `key` of record `record` at the one OpenTelemetry destination.
fn attribute<'a>(map: &'a Value, record: &str, key: &str) -> Option<&'a Value> {
    let d = map["destinations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| !d["id"].as_str().unwrap().starts_with("vendor:"))
        .expect("an OpenTelemetry destination");
    datamap::attribute(d, record, key)
}

fn evidence(a: &Value) -> Vec<String> {
    a["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let at = match (e["file"].as_str(), e["line"].as_u64()) {
                (Some(f), Some(l)) => format!("{f}:{l} "),
                _ => String::new(),
            };
            format!("{at}{}", e["what"].as_str().unwrap())
        })
        .collect()
}

fn says_unpinned(a: &Value, setting: &str) -> bool {
    evidence(a).iter().any(|e| {
        e.starts_with(&format!(
            "{setting} (not pinned by managed settings: the user's or a repository's settings can switch it on"
        ))
    })
}

/// The DP014 findings of `check`, by the setting they name.
fn dp014(dir: &Path, args: &[&str]) -> Vec<Value> {
    let report = run_json(dir, "check", args, 1);
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "DP014")
        .cloned()
        .collect()
}

fn naming<'a>(findings: &'a [Value], setting: &str) -> Option<&'a Value> {
    findings.iter().find(|f| {
        f["message"]
            .as_str()
            .unwrap()
            .starts_with(&format!("`{setting}` "))
    })
}

const CLAUDE: &[&str] = &["--managed-settings", "managed-settings.json"];

#[test]
fn claude_code_prompts_left_open_may_be_switched_on_by_any_repository() {
    let tmp = tempfile::tempdir().unwrap();
    claude_managed(tmp.path(), &[]);
    let map = analyze(tmp.path(), CLAUDE);
    let prompt = attribute(&map, "claude_code.user_prompt", "prompt").unwrap();
    assert_eq!(prompt["state"], "raw");
    assert_eq!(prompt["presence"], "maybe");
    assert!(says_unpinned(prompt, "OTEL_LOG_USER_PROMPTS"), "{prompt}");
    let found = dp014(tmp.path(), CLAUDE);
    let f = naming(&found, "OTEL_LOG_USER_PROMPTS").expect("DP014 names the prompt switch");
    assert_eq!(f["severity"], "warning");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("prompt_content (`prompt` in `claude_code.user_prompt`)"),
        "{f}"
    );
    assert!(
        f["hint"]
            .as_str()
            .unwrap()
            .contains("add `\"OTEL_LOG_USER_PROMPTS\": \"0\"` to the `env` block"),
        "{f}"
    );
    assert_eq!(
        f["file"], "managed-settings.json",
        "placed in the managed env block"
    );
}

#[test]
fn claude_code_gates_pinned_in_managed_settings_stay_off() {
    let tmp = tempfile::tempdir().unwrap();
    claude_managed(
        tmp.path(),
        &[
            ("OTEL_LOG_USER_PROMPTS", "0"),
            ("OTEL_LOG_ASSISTANT_RESPONSES", "0"),
        ],
    );
    // Even with a repository that tries to switch prompts on.
    lower_settings(
        tmp.path(),
        "repo/.claude/settings.json",
        "OTEL_LOG_USER_PROMPTS",
        "1",
    );
    let mut args = CLAUDE.to_vec();
    args.extend(["--project-settings", "repo/.claude/settings.json"]);
    let map = analyze(tmp.path(), &args);
    let prompt = attribute(&map, "claude_code.user_prompt", "prompt").unwrap();
    assert_eq!(prompt["state"], "placeholder");
    let response = attribute(&map, "claude_code.assistant_response", "response").unwrap();
    assert_eq!(response["state"], "placeholder");
    let found = dp014(tmp.path(), &args);
    assert!(
        naming(&found, "OTEL_LOG_USER_PROMPTS").is_none(),
        "{found:#?}"
    );
    assert!(naming(&found, "OTEL_LOG_ASSISTANT_RESPONSES").is_none());
    assert!(
        naming(&found, "OTEL_LOG_TOOL_DETAILS").is_some(),
        "the switches still open are named: {found:#?}"
    );
}

#[test]
fn a_user_settings_file_that_switches_prompts_off_decides_nothing_for_other_repositories() {
    let tmp = tempfile::tempdir().unwrap();
    claude_managed(tmp.path(), &[]);
    lower_settings(
        tmp.path(),
        "home/.claude/settings.json",
        "OTEL_LOG_USER_PROMPTS",
        "0",
    );
    let mut args = CLAUDE.to_vec();
    args.extend(["--user-settings", "home/.claude/settings.json"]);
    let map = analyze(tmp.path(), &args);
    let prompt = attribute(&map, "claude_code.user_prompt", "prompt").unwrap();
    assert_eq!(
        prompt["state"], "raw",
        "a repository's settings beat the user's"
    );
    assert!(says_unpinned(prompt, "OTEL_LOG_USER_PROMPTS"));
    // Declared complete (a lab machine): the user's file decides, and says where.
    args.push("--no-other-settings");
    let map = analyze(tmp.path(), &args);
    let prompt = attribute(&map, "claude_code.user_prompt", "prompt").unwrap();
    assert_eq!(prompt["state"], "placeholder");
    let cites = evidence(prompt);
    assert!(
        cites
            .iter()
            .any(|e| e.starts_with("home/.claude/settings.json:3 OTEL_LOG_USER_PROMPTS=0")),
        "{cites:?}"
    );
}

#[test]
fn a_repository_settings_file_switches_prompts_on() {
    let tmp = tempfile::tempdir().unwrap();
    claude_managed(tmp.path(), &[]);
    lower_settings(
        tmp.path(),
        "repo/.claude/settings.json",
        "OTEL_LOG_USER_PROMPTS",
        "1",
    );
    let mut args = CLAUDE.to_vec();
    args.extend(["--project-settings", "repo/.claude/settings.json"]);
    let map = analyze(tmp.path(), &args);
    let prompt = attribute(&map, "claude_code.user_prompt", "prompt").unwrap();
    assert_eq!(prompt["state"], "raw");
    assert_eq!(
        prompt["presence"], "always",
        "switched on, not merely possible"
    );
    assert!(
        evidence(prompt)
            .iter()
            .any(|e| e.starts_with("repo/.claude/settings.json:3 OTEL_LOG_USER_PROMPTS=1")),
        "{:?}",
        evidence(prompt)
    );
}

#[test]
fn local_project_settings_beat_the_shared_ones_whatever_the_order_given() {
    let tmp = tempfile::tempdir().unwrap();
    claude_managed(tmp.path(), &[]);
    lower_settings(
        tmp.path(),
        "repo/.claude/settings.json",
        "OTEL_LOG_USER_PROMPTS",
        "1",
    );
    lower_settings(
        tmp.path(),
        "repo/.claude/settings.local.json",
        "OTEL_LOG_USER_PROMPTS",
        "0",
    );
    let mut args = CLAUDE.to_vec();
    args.extend([
        "--project-settings",
        "repo/.claude/settings.local.json",
        "--project-settings",
        "repo/.claude/settings.json",
        "--no-other-settings",
    ]);
    let map = analyze(tmp.path(), &args);
    let prompt = attribute(&map, "claude_code.user_prompt", "prompt").unwrap();
    assert_eq!(prompt["state"], "placeholder");
    assert!(
        evidence(prompt)
            .iter()
            .any(|e| e.starts_with("repo/.claude/settings.local.json:3")),
        "{:?}",
        evidence(prompt)
    );
}

#[test]
fn the_project_file_names_project_settings_and_completeness() {
    let tmp = tempfile::tempdir().unwrap();
    claude_managed(tmp.path(), &[]);
    lower_settings(
        tmp.path(),
        "repo/.claude/settings.local.json",
        "OTEL_LOG_USER_PROMPTS",
        "1",
    );
    let dpia = "schema_version: 1
inputs:
  sources: [claude-code@2.1.330]
  managed_settings: [managed-settings.json]
  project_settings: [repo/.claude/settings.local.json]
  no_other_settings: true
";
    fs::write(tmp.path().join("dpia.yaml"), dpia).unwrap();
    let map = analyze(tmp.path(), &["dpia.yaml"]);
    let prompt = attribute(&map, "claude_code.user_prompt", "prompt").unwrap();
    assert_eq!(prompt["presence"], "always");
    let tool = attribute(&map, "claude_code.tool_result", "tool_input");
    assert!(tool.is_none(), "complete: the tool details default holds");
}

#[test]
fn the_notice_says_in_plain_words_what_the_employee_or_a_repository_can_switch_on() {
    let tmp = tempfile::tempdir().unwrap();
    claude_managed(
        tmp.path(),
        &[
            ("OTEL_LOG_TOOL_DETAILS", "0"),
            ("OTEL_LOG_TOOL_CONTENT", "0"),
            ("OTEL_LOG_RAW_API_BODIES", "0"),
        ],
    );
    init_and_render(
        tmp.path(),
        &["--managed-settings", "managed-settings.json"],
        "en,nl,de",
    );
    let read =
        |lang: &str| fs::read_to_string(tmp.path().join(format!("docs/{lang}/notice.md"))).unwrap();
    let en = read("en");
    let said = en
        .lines()
        .find(|l| l.starts_with("Some of this is not fixed by your employer."))
        .unwrap_or_else(|| panic!("{en}"));
    assert!(
        said.contains("your prompts (what you type to the assistant)"),
        "{said}"
    );
    assert!(said.contains("the assistant's answers"), "{said}");
    assert!(
        said.contains("the settings file of a repository you open, can switch them on"),
        "{said}"
    );
    assert!(
        !said.contains("the content of files"),
        "tool details, tool content and raw bodies are pinned off here: {said}"
    );
    assert!(
        en.contains("- Your prompts (what you type) **may be sent**."),
        "{en}"
    );
    assert!(read("nl").contains("Niet alles hiervan ligt vast bij je werkgever."));
    assert!(read("de").contains("Nicht alles davon legt Ihr Arbeitgeber fest."));
}

/// Codex CLI: the administrator's `/etc/codex/config.toml` is a default the user's own
/// `config.toml` beats; `requirements.toml` pins.
fn codex(dir: &Path, system: &str, requirements: Option<&str>) -> Vec<String> {
    fs::write(dir.join("config.toml"), system).unwrap();
    let mut args = vec![
        "--source".to_string(),
        "codex@0.169.0".to_string(),
        "--codex-config".to_string(),
        "system=config.toml".to_string(),
    ];
    if let Some(r) = requirements {
        fs::write(dir.join("requirements.toml"), r).unwrap();
        args.extend([
            "--codex-config".into(),
            "requirements=requirements.toml".into(),
        ]);
    }
    args
}

const CODEX_SYSTEM: &str = r#"# /etc/codex/config.toml
[otel]
environment = "prod"
log_user_prompt = false
exporter = { otlp-http = { endpoint = "https://otel.noordwind.example:4318/v1/logs", protocol = "binary" } }
metrics_exporter = "none"
trace_exporter = "none"
"#;

#[test]
fn codex_prompts_off_only_in_the_system_defaults_may_be_switched_on() {
    let tmp = tempfile::tempdir().unwrap();
    let args = codex(tmp.path(), CODEX_SYSTEM, None);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let map = analyze(tmp.path(), &args);
    let prompt = attribute(&map, "codex.user_prompt", "prompt").unwrap();
    assert_eq!(prompt["state"], "raw");
    assert!(says_unpinned(prompt, "otel.log_user_prompt"), "{prompt}");
    let found = dp014(tmp.path(), &args);
    let f = naming(&found, "otel.log_user_prompt").expect("DP014 for Codex");
    assert!(
        f["hint"]
            .as_str()
            .unwrap()
            .contains("`requirements.toml` (`[otel]` `log_user_prompt = false`)"),
        "{f}"
    );
}

#[test]
fn codex_requirements_pin_the_prompt_switch() {
    let tmp = tempfile::tempdir().unwrap();
    let args = codex(
        tmp.path(),
        CODEX_SYSTEM,
        Some("[otel]\nlog_user_prompt = false\nlog_agent_responses = false\n"),
    );
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let map = analyze(tmp.path(), &args);
    let prompt = attribute(&map, "codex.user_prompt", "prompt").unwrap();
    assert_eq!(prompt["state"], "placeholder");
    let report = run_json(tmp.path(), "check", &args, 1);
    let named = report["findings"].as_array().unwrap().iter().any(|f| {
        f["code"] == "DP014" && f["message"].as_str().unwrap().contains("log_user_prompt")
    });
    assert!(!named, "{report}");
}

/// Gemini CLI with a system settings file that switches prompts off.
fn gemini(dir: &Path) -> Vec<&'static str> {
    let system = r#"{
  "telemetry": {
    "enabled": true,
    "target": "local",
    "otlpEndpoint": "https://otel.noordwind.example:4318",
    "otlpProtocol": "http",
    "logPrompts": false
  },
  "privacy": {
    "usageStatisticsEnabled": false
  }
}
"#;
    fs::write(dir.join("gemini-system.json"), system).unwrap();
    vec![
        "--source",
        "gemini-cli@0.61.0",
        "--gemini-settings",
        "system=gemini-system.json",
    ]
}

#[test]
fn gemini_prompts_off_in_the_system_settings_are_still_open_to_the_environment() {
    let tmp = tempfile::tempdir().unwrap();
    let args = gemini(tmp.path());
    let map = analyze(tmp.path(), &args);
    let prompt = attribute(&map, "gemini_cli.user_prompt", "prompt").unwrap();
    assert_eq!(prompt["state"], "raw");
    assert_eq!(prompt["presence"], "maybe");
    assert!(says_unpinned(prompt, "telemetry.logPrompts"), "{prompt}");
    let found = dp014(tmp.path(), &args);
    let f = naming(&found, "telemetry.logPrompts").expect("DP014 for Gemini");
    assert!(
        f["hint"]
            .as_str()
            .unwrap()
            .contains("`GEMINI_TELEMETRY_*` environment variables beat even the system settings"),
        "{f}"
    );
    let mut complete = args.clone();
    complete.push("--no-other-settings");
    let map = analyze(tmp.path(), &complete);
    assert!(attribute(&map, "gemini_cli.user_prompt", "prompt").is_none());
}

#[test]
fn a_signal_managed_settings_leave_unselected_may_be_exported_by_a_repository() {
    let tmp = tempfile::tempdir().unwrap();
    // A metrics-only rollout that forgets to pin the logs exporter off.
    let managed = r#"{
  "env": {
    "CLAUDE_CODE_ENABLE_TELEMETRY": "1",
    "OTEL_METRICS_EXPORTER": "otlp",
    "OTEL_TRACES_EXPORTER": "none",
    "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
    "OTEL_EXPORTER_OTLP_ENDPOINT": "https://otel.noordwind.example:4318",
    "OTEL_LOG_USER_PROMPTS": "0",
    "OTEL_LOG_ASSISTANT_RESPONSES": "0"
  }
}
"#;
    fs::write(tmp.path().join("managed-settings.json"), managed).unwrap();
    let records = |map: &Value| -> Vec<(String, String)> {
        map["destinations"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| !d["id"].as_str().unwrap().starts_with("vendor:"))
            .flat_map(|d| d["records"].as_array().unwrap().iter())
            .map(|r| {
                (
                    r["signal"].as_str().unwrap().to_string(),
                    r["presence"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let map = analyze(tmp.path(), CLAUDE);
    let logs: Vec<_> = records(&map)
        .into_iter()
        .filter(|(s, _)| s == "logs")
        .collect();
    assert!(
        !logs.is_empty(),
        "a repository can switch the logs export on"
    );
    assert!(logs.iter().all(|(_, p)| p == "maybe"), "{logs:?}");
    assert!(
        !records(&map).iter().any(|(s, _)| s == "traces"),
        "traces are pinned off"
    );
    let prompt = attribute(&map, "claude_code.user_prompt", "prompt").unwrap();
    assert_eq!(
        prompt["state"], "placeholder",
        "the prompt switch is pinned"
    );
    let settings = run_in(
        tmp.path(),
        &["settings", "--managed-settings", "managed-settings.json"],
    );
    let (out, _) = texts(&settings);
    assert!(
        out.contains("* not pinned by managed settings: the user's or a repository's settings can export it by setting OTEL_LOGS_EXPORTER"),
        "{out}"
    );
    // Pinned off, or declared complete: no logs.
    let map = analyze(
        tmp.path(),
        &[
            "--managed-settings",
            "managed-settings.json",
            "--no-other-settings",
        ],
    );
    assert!(!records(&map).iter().any(|(s, _)| s == "logs"));
}

#[test]
fn codex_user_config_decides_only_when_the_inputs_are_complete() {
    let tmp = tempfile::tempdir().unwrap();
    let mut args = codex(tmp.path(), CODEX_SYSTEM, None);
    fs::write(
        tmp.path().join("user-config.toml"),
        "[otel]\nlog_user_prompt = false\n",
    )
    .unwrap();
    args.extend(["--codex-config".into(), "user=user-config.toml".into()]);
    let open: Vec<&str> = args.iter().map(String::as_str).collect();
    let map = analyze(tmp.path(), &open);
    let prompt = attribute(&map, "codex.user_prompt", "prompt").unwrap();
    assert_eq!(
        prompt["state"], "raw",
        "a trusted project's config.toml beats the user's"
    );
    let mut complete = open.clone();
    complete.push("--no-other-settings");
    let map = analyze(tmp.path(), &complete);
    let prompt = attribute(&map, "codex.user_prompt", "prompt").unwrap();
    assert_eq!(prompt["state"], "placeholder");
    assert!(
        evidence(prompt)
            .iter()
            .any(|e| e.starts_with("user-config.toml:2 otel.log_user_prompt=false")),
        "{:?}",
        evidence(prompt)
    );
    // A project layer that switches it on decides it, open or not.
    fs::write(
        tmp.path().join("project-config.toml"),
        "[otel]\nlog_user_prompt = true\n",
    )
    .unwrap();
    let mut on = open.clone();
    on.extend(["--codex-config", "project=project-config.toml"]);
    let map = analyze(tmp.path(), &on);
    let prompt = attribute(&map, "codex.user_prompt", "prompt").unwrap();
    assert_eq!(prompt["state"], "raw");
    assert!(
        !says_unpinned(prompt, "otel.log_user_prompt"),
        "it is on, not merely open"
    );
}

#[test]
fn gemini_workspace_settings_decide_only_when_the_inputs_are_complete() {
    let tmp = tempfile::tempdir().unwrap();
    let mut args = gemini(tmp.path());
    fs::write(
        tmp.path().join("workspace.json"),
        "{\n  \"telemetry\": {\n    \"logPrompts\": true\n  }\n}\n",
    )
    .unwrap();
    args.extend(["--gemini-settings", "workspace=workspace.json"]);
    // The system settings beat the workspace: off, but still open to the environment.
    let map = analyze(tmp.path(), &args);
    let prompt = attribute(&map, "gemini_cli.user_prompt", "prompt").unwrap();
    assert_eq!(prompt["presence"], "maybe");
    assert!(says_unpinned(prompt, "telemetry.logPrompts"));
    let mut complete = args.clone();
    complete.push("--no-other-settings");
    let map = analyze(tmp.path(), &complete);
    assert!(attribute(&map, "gemini_cli.user_prompt", "prompt").is_none());
}
