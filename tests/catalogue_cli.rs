//! `otel-dpia catalogue` as users run it: exit codes, stdout and stderr.

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_otel-dpia"))
        .arg("catalogue")
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[test]
fn json_output_is_byte_identical_across_runs() {
    let a = run(&["--source", "claude-code@2.1.330", "--format", "json"]);
    let b = run(&["--source", "claude-code@2.1.330", "--format", "json"]);
    assert_eq!(a.status.code(), Some(0), "{}", stderr(&a));
    assert_eq!(a.stdout, b.stdout);
    let v: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
    let names: Vec<&str> = v["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    for name in [
        "resource",
        "claude_code.token.usage",
        "user_prompt",
        "claude_code.tool",
        "model_api_request",
    ] {
        assert!(names.contains(&name), "missing record {name}");
    }
    assert_eq!(v["categories"].as_array().unwrap().len(), 17);
}

#[test]
fn human_output_is_the_default() {
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert!(text.starts_with("Claude Code (Anthropic) — claude-code 2.1.337\n"));
    assert!(text.contains("OTEL_LOG_USER_PROMPTS (off)"));
}

#[test]
fn an_unknown_source_exits_2_with_nothing_on_stdout() {
    let o = run(&["--source", "claude-cod@2.1.330"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    let err = stderr(&o);
    assert!(
        err.contains("OD203") && err.contains("did you mean `claude-code`?"),
        "{err}"
    );
}

#[test]
fn an_unchecked_version_warns_and_uses_the_nearest_older_one() {
    let o = run(&["--source", "claude-code@2.1.250", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("OD204"));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["version"], "2.1.197");
    assert_eq!(v["requested_version"], "2.1.250");
}

#[test]
fn a_malformed_version_is_a_usage_error() {
    let o = run(&["--source", "claude-code@next"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert!(stderr(&o).contains("OD001"));
}
