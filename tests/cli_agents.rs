//! The Codex CLI and Gemini CLI inputs on the command line: bad layer names, files, TOML,
//! JSON, types and overrides are errors naming `file:line` with exit code 2 and nothing on
//! standard output; header values never reach any output; and a deployment of three
//! agents prints every agent's settings and names the agent of every record.

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
        .args(args)
        .env_remove("OTEL_DPIA_DIAGNOSTIC_FORMAT")
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

/// Exit 2, nothing on standard output, and standard error holds every `needles` text.
fn fails(r: &Run, needles: &[&str]) {
    assert_eq!(r.code, 2, "stderr: {}", r.stderr);
    assert!(r.stdout.is_empty(), "stdout: {}", r.stdout);
    for n in needles {
        assert!(r.stderr.contains(n), "`{n}` not in: {}", r.stderr);
    }
}

#[test]
fn unknown_layers_are_named_with_a_suggestion() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "c.toml", "[otel]\n");
    write(tmp.path(), "g.json", "{}");
    let r = run(
        tmp.path(),
        &[
            "settings",
            "--source",
            "codex",
            "--codex-config",
            "sytem=c.toml",
        ],
    );
    fails(&r, &["OD216", "`sytem`", "did you mean `system`?"]);
    let r = run(
        tmp.path(),
        &[
            "settings",
            "--source",
            "gemini-cli",
            "--gemini-settings",
            "workspce=g.json",
        ],
    );
    fails(&r, &["OD216", "did you mean `workspace`?"]);
    let r = run(
        tmp.path(),
        &["settings", "--source", "codex", "--codex-config", "c.toml"],
    );
    fails(&r, &["--codex-config c.toml", "KEY=VALUE"]);
}

#[test]
fn missing_files_bad_syntax_and_wrong_types_name_the_line() {
    let tmp = tempfile::tempdir().unwrap();
    let r = run(
        tmp.path(),
        &[
            "settings",
            "--source",
            "codex",
            "--codex-config",
            "user=absent.toml",
        ],
    );
    fails(&r, &["OD101", "absent.toml"]);
    write(
        tmp.path(),
        "bad.toml",
        "model = \"m\"\n[otel]\nlog_user_prompt = \n",
    );
    let r = run(
        tmp.path(),
        &[
            "settings",
            "--source",
            "codex",
            "--codex-config",
            "user=bad.toml",
        ],
    );
    fails(&r, &["OD215", "bad.toml:3"]);
    write(
        tmp.path(),
        "typed.toml",
        "[otel]\nlog_user_prompt = \"yes\"\n",
    );
    let r = run(
        tmp.path(),
        &[
            "settings",
            "--source",
            "codex",
            "--codex-config",
            "managed=typed.toml",
        ],
    );
    fails(&r, &["OD202", "typed.toml:2", "otel.log_user_prompt"]);
    write(
        tmp.path(),
        "bad.json",
        "{\"telemetry\": {\"enabled\": true,}}",
    );
    let r = run(
        tmp.path(),
        &[
            "settings",
            "--source",
            "gemini-cli",
            "--gemini-settings",
            "system=bad.json",
        ],
    );
    fails(&r, &["OD104", "bad.json:1"]);
    write(
        tmp.path(),
        "typed.json",
        "{\n  \"telemetry\": {\n    \"logPrompts\": \"no\"\n  }\n}",
    );
    let r = run(
        tmp.path(),
        &[
            "settings",
            "--source",
            "gemini-cli",
            "--gemini-settings",
            "user=typed.json",
        ],
    );
    fails(&r, &["OD202", "typed.json:3", "telemetry.logPrompts"]);
}

#[test]
fn overrides_must_be_dotted_key_value_pairs() {
    let tmp = tempfile::tempdir().unwrap();
    for bad in ["otel.log_user_prompt", "=true", "otel..x=1"] {
        let r = run(
            tmp.path(),
            &["settings", "--source", "codex", "--codex-flag", bad],
        );
        fails(&r, &["OD217"]);
    }
    let r = run(
        tmp.path(),
        &[
            "settings",
            "--source",
            "codex",
            "--format",
            "json",
            "--codex-flag",
            "otel.exporter={otlp-grpc={endpoint=\"http://collector:4317\"}}",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let logs = &doc["sources"][0]["signals"][1];
    assert_eq!(logs["signal"], "logs");
    assert_eq!(logs["endpoint"]["url"], "http://collector:4317");
    assert_eq!(logs["selected_by"]["kind"], "command_line");
}

#[test]
fn header_values_never_reach_any_output() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "user.toml",
        &format!(
            "[otel]\nexporter = {{ otlp-http = {{ endpoint = \"https://otel.example/v1/logs\", headers = {{ \"x-api-key\" = \"{SECRET}\" }} }} }}\nlog_user_prompt = 3\n"
        ),
    );
    for format in ["human", "json"] {
        let r = run(
            tmp.path(),
            &[
                "settings",
                "--source",
                "codex",
                "--codex-config",
                "user=user.toml",
                "--format",
                format,
                "--env",
                &format!("OTEL_EXPORTER_OTLP_HEADERS=authorization={SECRET}"),
            ],
        );
        assert!(
            !r.stdout.contains(SECRET) && !r.stderr.contains(SECRET),
            "{format}: {}{}",
            r.stdout,
            r.stderr
        );
        assert!(
            r.stderr.contains("OD202"),
            "the wrong type is still reported: {}",
            r.stderr
        );
    }
    write(
        tmp.path(),
        "ok.toml",
        &format!(
            "[otel]\nexporter = {{ otlp-http = {{ endpoint = \"https://otel.example/v1/logs\", headers = {{ \"x-api-key\" = \"{SECRET}\" }} }} }}\n"
        ),
    );
    let r = run(
        tmp.path(),
        &[
            "settings",
            "--source",
            "codex",
            "--codex-config",
            "user=ok.toml",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("x-api-key") && !r.stdout.contains(SECRET));
}

#[test]
fn three_agents_in_one_deployment() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/three-agents");
    let r = run(&example, &["settings", "dpia.yaml", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let names: Vec<&str> = doc["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["source"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["claude-code", "codex", "gemini-cli"]);
    let r = run(&example, &["analyze", "dpia.yaml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for agent in ["claude-code", "codex", "gemini-cli"] {
        assert!(
            r.stdout.contains(&format!("[{agent}] logs")),
            "records of {agent} are named"
        );
        assert!(
            r.stdout.lines().any(|l| l.starts_with(agent)),
            "{agent} heads the output"
        );
    }
    assert!(
        !r.stdout.contains("vendor:openai_statsig"),
        "metrics go to the collector, not the vendor"
    );
    assert!(
        !r.stdout.contains("vendor:google_clearcut"),
        "usage statistics are switched off"
    );
    let r = run(&example, &["analyze", "dpia.yaml", "--format", "json"]);
    let map: Value = serde_json::from_str(&r.stdout).unwrap();
    let sources: Vec<&str> = map["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(sources, ["claude-code", "codex", "gemini-cli"]);
}

#[test]
fn the_project_file_names_layers_as_a_list_and_overrides_with_their_lines() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "etc/managed.toml",
        "[otel]\nlog_user_prompt = true\n",
    );
    write(
        tmp.path(),
        "home/accounts.json",
        "{\"active\": \"dev@example.com\", \"old\": []}",
    );
    write(
        tmp.path(),
        "dpia.yaml",
        "schema_version: 1\ninputs:\n  sources: [codex@0.169.0, gemini-cli@0.61.0]\n  codex_config:\n    - layer: managed\n      file: etc/managed.toml\n  codex_flags:\n    - otel.environment=ci\n  gemini_accounts: home/accounts.json\n",
    );
    let r = run(tmp.path(), &["settings", "dpia.yaml", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        !r.stdout.contains("dev@example.com"),
        "the account's address is never printed"
    );
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let codex = &doc["sources"][0];
    let prompt = codex["gates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "otel.log_user_prompt")
        .unwrap();
    assert_eq!(prompt["provenance"]["at"], "etc/managed.toml:2");
    assert_eq!(prompt["fixed_by_policy"], true);
    let env = codex["resource"]["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["key"] == "env")
        .unwrap();
    assert_eq!(env["value"], "ci");
    assert_eq!(env["provenance"]["at"], "dpia.yaml:8");
    let gemini = &doc["sources"][1];
    let account = gemini["gates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "google_accounts.active")
        .unwrap();
    assert_eq!(account["enabled"], true);
    assert!(r.stderr.contains("OD221"), "{}", r.stderr);
    assert!(!r.stderr.contains("dev@example.com"), "{}", r.stderr);
}
