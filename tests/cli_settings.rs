//! `otel-dpia settings`, run as a binary on small deployments written into temporary
//! folders: exit codes, diagnostics with `file:line`, precedence, profiles, and that no
//! secret reaches standard output or standard error in any format.

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

const SECRET: &str = "s3cr3t-T0KEN-value";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_otel-dpia"))
        .current_dir(dir)
        .arg("settings")
        .args(args)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn json(run: &Run) -> Value {
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    doc["sources"][0].clone()
}

fn signal<'a>(settings: &'a Value, name: &str) -> &'a Value {
    let signals = settings["signals"].as_array().unwrap();
    signals.iter().find(|s| s["signal"] == name).unwrap()
}

fn gate<'a>(settings: &'a Value, name: &str) -> &'a Value {
    let gates = settings["gates"].as_array().unwrap();
    gates.iter().find(|g| g["name"] == name).unwrap()
}

const BASE_ENV: &str = r#"
    "CLAUDE_CODE_ENABLE_TELEMETRY": "1",
    "OTEL_METRICS_EXPORTER": "otlp",
    "OTEL_LOGS_EXPORTER": "otlp",
    "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf""#;

#[test]
fn malformed_json_is_exit_2_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "managed-settings.json",
        "{\n  \"env\": {\n    \"A\": \"1\",\n  }\n}\n",
    );
    let r = run(
        dir.path(),
        &[
            "--managed-settings",
            "managed-settings.json",
            "--diagnostic-format",
            "short",
        ],
    );
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr
            .contains("managed-settings.json:3:13: error[OD104]"),
        "{}",
        r.stderr
    );
}

#[test]
fn env_value_of_wrong_type_is_exit_2_with_line_and_hint() {
    let dir = tempfile::tempdir().unwrap();
    let text = "{\n  \"env\": {\n    \"CLAUDE_CODE_ENABLE_TELEMETRY\": 1,\n    \"OTEL_LOG_USER_PROMPTS\": true\n  }\n}\n";
    write(dir.path(), "managed-settings.json", text);
    let r = run(dir.path(), &["--managed-settings", "managed-settings.json"]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("error[OD202]"), "{}", r.stderr);
    assert!(
        r.stderr.contains("managed-settings.json:3:"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("managed-settings.json:4:"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("is a number"), "{}", r.stderr);
    assert!(r.stderr.contains("is a boolean"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains(r#"quote it: "CLAUDE_CODE_ENABLE_TELEMETRY": "1""#),
        "{}",
        r.stderr
    );
}

#[test]
fn unknown_top_level_key_warns_with_suggestion_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("{{\n  \"env\": {{{BASE_ENV}\n  }},\n  \"permisions\": {{}}\n}}\n");
    write(dir.path(), "settings.json", &text);
    let r = run(dir.path(), &["--user-settings", "settings.json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("warning[OD201]"), "{}", r.stderr);
    assert!(
        r.stderr.contains("did you mean `permissions`"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("settings.json:8:"), "{}", r.stderr);
    assert!(r.stdout.contains("Telemetry: ON"), "{}", r.stdout);
}

#[test]
fn missing_files_are_exit_2_and_name_the_project_line() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), &["--user-settings", "nope.json"]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr.contains("`nope.json` does not exist"),
        "{}",
        r.stderr
    );
    write(
        dir.path(),
        "dpia.yaml",
        "schema_version: 1\ninputs:\n  sources: [claude-code@2.1.330]\n  managed_settings: [gone/managed-settings.json]\n",
    );
    let r = run(dir.path(), &["dpia.yaml", "--diagnostic-format", "short"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("dpia.yaml:4:"), "{}", r.stderr);
    assert!(r.stderr.contains("does not exist"), "{}", r.stderr);
}

#[test]
fn env_file_bad_line_is_exit_2_with_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "agent.env",
        "# ok\nCLAUDE_CODE_ENABLE_TELEMETRY=1\nthis is not an assignment\n",
    );
    let r = run(
        dir.path(),
        &["--env-file", "agent.env", "--diagnostic-format", "short"],
    );
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr.contains("agent.env:3:1: error[OD106]"),
        "{}",
        r.stderr
    );
}

/// A deployment with the secret in every place a header value can be: managed
/// settings, user settings (dropped by managed dominance), an env file, `--env`, and a
/// URL with a password; several diagnostics point at those lines.
fn secret_deployment(dir: &Path) {
    let managed = format!(
        "{{\n  \"env\": {{{BASE_ENV},\n    \"OTEL_EXPORTER_OTLP_ENDPOINT\": \"https://collector.example.com\",\n    \"OTEL_EXPORTER_OTLP_HEADERS\": \"Authorization=Bearer {SECRET},X-Tenant=acme\"\n  }}\n}}\n"
    );
    write(dir, "managed/managed-settings.json", &managed);
    let user = format!(
        "{{\"env\": {{\"OTEL_EXPORTER_OTLP_LOGS_HEADERS\": \"X-Key={SECRET}\", \"ANTHROPIC_API_KEY\": \"{SECRET}\", \"ANTHROPIC_BASE_URL\": \"https://u:{SECRET}@gw.example.com\"}}}}"
    );
    write(dir, "user.json", &user);
    write(
        dir,
        "agent.env",
        &format!("OTEL_EXPORTER_OTLP_HEADERS=api-key={SECRET}\n"),
    );
}

#[test]
fn secrets_never_reach_any_output() {
    let dir = tempfile::tempdir().unwrap();
    secret_deployment(dir.path());
    let env_flag = format!("OTEL_EXPORTER_OTLP_TRACES_HEADERS=Authorization={SECRET}");
    let base = [
        "--managed-settings",
        "managed",
        "--user-settings",
        "user.json",
        "--env-file",
        "agent.env",
        "--env",
        env_flag.as_str(),
    ];
    for (format, diag) in [("human", "human"), ("json", "json"), ("human", "short")] {
        let mut args = base.to_vec();
        args.extend(["--format", format, "--diagnostic-format", diag]);
        let r = run(dir.path(), &args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            !r.stdout.contains(SECRET),
            "stdout ({format}) leaks:\n{}",
            r.stdout
        );
        assert!(
            !r.stderr.contains(SECRET),
            "stderr ({diag}) leaks:\n{}",
            r.stderr
        );
        assert!(
            r.stderr.contains("OD207") && r.stderr.contains("OD211"),
            "{}",
            r.stderr
        );
        assert!(
            r.stdout.contains("X-Tenant"),
            "header names are shown: {}",
            r.stdout
        );
    }
    let s = json(&run(
        dir.path(),
        &[&base[..], &["--format", "json"]].concat(),
    ));
    assert_eq!(signal(&s, "logs")["headers"][0]["name"], "Authorization");
    assert_eq!(
        s["vendor"]["model_api"][0]["url"],
        "https://****@gw.example.com"
    );
}

#[test]
fn secrets_in_broken_lines_are_masked_in_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let bad_json = format!("{{\"env\": {{\"OTEL_EXPORTER_OTLP_HEADERS\": \"a={SECRET}\",}}}}\n");
    write(dir.path(), "managed-settings.json", &bad_json);
    write(
        dir.path(),
        "agent.env",
        &format!("OTEL_EXPORTER_OTLP_HEADERS a={SECRET}\n"),
    );
    let r = run(
        dir.path(),
        &[
            "--managed-settings",
            "managed-settings.json",
            "--env-file",
            "agent.env",
        ],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("OD104") && r.stderr.contains("OD106"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains(SECRET), "{}", r.stderr);
}

const PLIST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>env</key>
  <dict>
    <key>CLAUDE_CODE_ENABLE_TELEMETRY</key>
    <string>1</string>
    <key>OTEL_METRICS_EXPORTER</key>
    <string>otlp</string>
    <key>OTEL_EXPORTER_OTLP_PROTOCOL</key>
    <string>grpc</string>
    <key>OTEL_EXPORTER_OTLP_ENDPOINT</key>
    <string>https://mdm-collector.example.com:4317</string>
  </dict>
</dict>
</plist>
"#;

fn mobileconfig() -> String {
    let inner = PLIST
        .split_once("<dict>\n")
        .unwrap()
        .1
        .rsplit_once("</dict>")
        .unwrap()
        .0;
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0">
<dict>
  <key>PayloadContent</key>
  <array>
    <dict>
      <key>PayloadType</key>
      <string>com.anthropic.claudecode</string>
      <key>PayloadUUID</key>
      <string>5B1F0C3E-0000-0000-0000-000000000001</string>
{inner}    </dict>
  </array>
  <key>PayloadDisplayName</key>
  <string>Claude Code telemetry</string>
  <key>PayloadType</key>
  <string>Configuration</string>
</dict>
</plist>
"#
    )
}

#[test]
fn plist_and_mobileconfig_are_read_and_shadow_the_file_tier() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "com.anthropic.claudecode.plist", PLIST);
    write(dir.path(), "claude.mobileconfig", &mobileconfig());
    let file_tier = format!("{{\"env\": {{{BASE_ENV}}}}}");
    write(dir.path(), "managed-settings.json", &file_tier);
    for profile in ["com.anthropic.claudecode.plist", "claude.mobileconfig"] {
        let r = run(
            dir.path(),
            &["--managed-settings", profile, "--format", "json"],
        );
        let s = json(&r);
        assert_eq!(s["policy_tier"], "mdm_profile", "{profile}");
        let metrics = signal(&s, "metrics");
        assert_eq!(metrics["exported"], true, "{profile}");
        assert_eq!(
            metrics["endpoint"]["url"],
            "https://mdm-collector.example.com:4317"
        );
        let at = metrics["endpoint"]["provenance"]["at"].as_str().unwrap();
        assert_eq!(
            at,
            format!(
                "{profile}:{}",
                if profile.ends_with("plist") { 13 } else { 19 }
            )
        );
        assert_eq!(signal(&s, "logs")["exported"], false, "{profile}");
        let both = run(
            dir.path(),
            &[
                "--managed-settings",
                profile,
                "--managed-settings",
                "managed-settings.json",
            ],
        );
        assert_eq!(both.code, 0, "{}", both.stderr);
        assert!(both.stderr.contains("warning[OD205]"), "{}", both.stderr);
        assert!(
            both.stderr.contains("`managed-settings.json` is ignored"),
            "{}",
            both.stderr
        );
        assert!(
            both.stdout.contains("Managed tier in force: MDM profile"),
            "{}",
            both.stdout
        );
    }
}

#[test]
fn managed_beats_user_and_shows_managed_provenance() {
    let dir = tempfile::tempdir().unwrap();
    let managed = "{\n  \"env\": {\n    \"OTEL_LOG_USER_PROMPTS\": \"0\"\n  }\n}\n";
    write(dir.path(), "etc/managed-settings.json", managed);
    let user = format!("{{\"env\": {{{BASE_ENV}, \"OTEL_LOG_USER_PROMPTS\": \"1\"}}}}");
    write(dir.path(), "user.json", &user);
    let args = ["--managed-settings", "etc", "--user-settings", "user.json"];
    let s = json(&run(
        dir.path(),
        &[&args[..], &["--format", "json"]].concat(),
    ));
    let prompts = gate(&s, "OTEL_LOG_USER_PROMPTS");
    assert_eq!(prompts["enabled"], false);
    assert_eq!(prompts["provenance"]["tier"], "managed_file");
    let at = "etc/managed-settings.json:3";
    assert_eq!(prompts["provenance"]["at"], at);
    assert_eq!(prompts["provenance"]["key"], "env.OTEL_LOG_USER_PROMPTS");
    assert_eq!(prompts["fixed_by_policy"], true);
    assert_eq!(gate(&s, "OTEL_LOG_TOOL_DETAILS")["fixed_by_policy"], false);
    assert_eq!(s["telemetry"]["provenance"]["tier"], "user");
    assert_eq!(gate(&s, "OTEL_LOG_ASSISTANT_RESPONSES")["enabled"], false);
    let human = run(dir.path(), &args);
    let line = human
        .stdout
        .lines()
        .find(|l| l.contains("OTEL_LOG_USER_PROMPTS "))
        .unwrap();
    assert!(
        line.contains(&format!("{at} env.OTEL_LOG_USER_PROMPTS")),
        "{line}"
    );
    assert!(
        human
            .stdout
            .contains("overrides 1 from user.json:5 env.OTEL_LOG_USER_PROMPTS")
    );
}

#[test]
fn managed_endpoint_dominance_follows_the_client_version() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "managed-settings.json",
        r#"{"env": {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}}"#,
    );
    let env = [
        "CLAUDE_CODE_ENABLE_TELEMETRY=1",
        "OTEL_LOGS_EXPORTER=otlp",
        "OTEL_EXPORTER_OTLP_PROTOCOL=http/json",
        "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT=http://127.0.0.1:4319/v1/logs",
    ];
    let url = |version: &str| {
        let mut args = vec![
            "--managed-settings",
            "managed-settings.json",
            "--format",
            "json",
        ];
        let source = format!("claude-code@{version}");
        for e in &env {
            args.extend(["--env", e]);
        }
        args.extend(["--source", &source]);
        let s = json(&run(dir.path(), &args));
        signal(&s, "logs")["endpoint"]["url"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(url("2.1.197"), "http://127.0.0.1:4319/v1/logs");
    assert_eq!(url("2.1.216"), "http://127.0.0.1:4319/v1/logs");
    assert_eq!(url("2.1.217"), "http://127.0.0.1:4318/v1/logs");
    assert_eq!(url("2.1.330"), "http://127.0.0.1:4318/v1/logs");
}

#[test]
fn header_helper_claims_endpoints_and_hides_header_names() {
    let dir = tempfile::tempdir().unwrap();
    let managed = format!(
        "{{\"env\": {{{BASE_ENV}}}, \"otelHeadersHelper\": \"/usr/local/bin/otel-headers\"}}"
    );
    write(dir.path(), "managed-settings.json", &managed);
    let args = [
        "--managed-settings",
        "managed-settings.json",
        "--env",
        "OTEL_EXPORTER_OTLP_ENDPOINT=https://personal.example.com",
        "--format",
        "json",
    ];
    let r = run(dir.path(), &args);
    assert!(r.stderr.contains("warning[OD209]"), "{}", r.stderr);
    let s = json(&r);
    let metrics = signal(&s, "metrics");
    assert_eq!(
        metrics["endpoint"]["url"],
        "http://localhost:4318/v1/metrics"
    );
    assert_eq!(metrics["dynamic_headers"]["key"], "otelHeadersHelper");
    assert_eq!(s["dropped"][0]["key"], "OTEL_EXPORTER_OTLP_ENDPOINT");
}

#[test]
fn unknown_sources_versions_and_duplicate_files() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), &["--source", "claude-cod"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("error[OD203]") && r.stderr.contains("did you mean `claude-code`"));
    let r = run(dir.path(), &["--source", "claude-code@latest"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("OD204"), "{}", r.stderr);
    let r = run(
        dir.path(),
        &["--source", "claude-code@2.1.250", "--format", "json"],
    );
    assert!(r.stderr.contains("warning[OD204]"), "{}", r.stderr);
    let s = json(&r);
    assert_eq!(
        (s["version_known"].clone(), s["assumed_version"].clone()),
        (false.into(), "2.1.197".into())
    );
    write(dir.path(), "a/managed-settings.json", "{}");
    write(dir.path(), "b/managed-settings.json", "{}");
    let r = run(
        dir.path(),
        &["--managed-settings", "a", "--managed-settings", "b"],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("error[OD210]"), "{}", r.stderr);
}

#[test]
fn drop_ins_merge_in_name_order_and_output_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "etc/managed-settings.json",
        &format!("{{\"env\": {{{BASE_ENV}}}}}"),
    );
    write(
        dir.path(),
        "etc/managed-settings.d/20-b.json",
        r#"{"env": {"OTEL_LOG_TOOL_DETAILS": "0"}}"#,
    );
    write(
        dir.path(),
        "etc/managed-settings.d/10-a.json",
        r#"{"env": {"OTEL_LOG_TOOL_DETAILS": "1", "OTEL_LOG_USER_PROMPTS": "1"}}"#,
    );
    write(
        dir.path(),
        "etc/managed-settings.d/.hidden.json",
        r#"{"env": {"OTEL_LOG_USER_PROMPTS": "0"}}"#,
    );
    let args = ["--managed-settings", "etc", "--format", "json"];
    let first = run(dir.path(), &args);
    let s = json(&first);
    assert_eq!(gate(&s, "OTEL_LOG_TOOL_DETAILS")["enabled"], false);
    assert_eq!(
        gate(&s, "OTEL_LOG_TOOL_DETAILS")["provenance"]["tier"],
        "managed_drop_in"
    );
    assert_eq!(gate(&s, "OTEL_LOG_USER_PROMPTS")["enabled"], true);
    assert_eq!(run(dir.path(), &args).stdout, first.stdout);
}
