//! The CI recipes in `examples/ci/` are valid YAML, and every `otel-dpia` command in them
//! parses with the real command line (existing subcommands and flags only).

mod common;

use clap::Parser;
use otel_dpia::cli::Cli;
use serde_json::Value;

/// Every string in a YAML document.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|i| strings(i, out)),
        Value::Object(map) => map.values().for_each(|i| strings(i, out)),
        _ => {}
    }
}

/// Splits a shell command line into words, honouring quotes, and stops at the first
/// redirection or command separator.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut started = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                started = true;
            }
            (None, c) if c.is_whitespace() => {
                if started || !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            (None, '>' | '|' | ';' | '&') => break,
            (None, c) => word.push(c),
        }
    }
    if started || !word.is_empty() {
        out.push(word);
    }
    if out.last().is_some_and(|w| w == "2") {
        out.pop();
    }
    out
}

/// The `otel-dpia` invocations in a script text.
fn invocations(script: &str) -> Vec<Vec<String>> {
    let joined = script.replace("\\\n", " ");
    let mut out = Vec::new();
    for line in joined.lines() {
        for part in line
            .split("&&")
            .flat_map(|p| p.split("||"))
            .flat_map(|p| p.split(';'))
        {
            let part = part.trim();
            if part.starts_with("otel-dpia ") {
                out.push(words(part));
            }
        }
    }
    out
}

fn recipe(name: &str) -> (Value, Vec<Vec<String>>) {
    let path = common::repo_dir().join("examples/ci").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    let doc: Value = serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut texts = Vec::new();
    strings(&doc, &mut texts);
    let calls = texts.iter().flat_map(|t| invocations(t)).collect();
    (doc, calls)
}

fn check_calls(name: &str, calls: &[Vec<String>], needed: &[&str]) {
    assert!(!calls.is_empty(), "{name} calls otel-dpia");
    for call in calls {
        if let Err(e) = Cli::try_parse_from(call) {
            panic!("{name}: `{}` does not parse:\n{e}", call.join(" "));
        }
    }
    for sub in needed {
        assert!(
            calls
                .iter()
                .any(|c| c.get(1).map(String::as_str) == Some(*sub)),
            "{name} runs `otel-dpia {sub}`"
        );
    }
}

#[test]
fn the_parser_of_this_test_rejects_what_the_program_rejects() {
    let bad = words(r#"otel-dpia check "$DPIA" --no-such-flag > out.txt"#);
    assert_eq!(bad, ["otel-dpia", "check", "$DPIA", "--no-such-flag"]);
    assert!(Cli::try_parse_from(&bad).is_err());
    let good = words(
        r#"otel-dpia diff "$DPIA" --base "origin/${{ github.base_ref }}" --format json > d.json"#,
    );
    assert_eq!(good[4], "origin/${{ github.base_ref }}");
    assert!(Cli::try_parse_from(&good).is_ok());
    assert!(Cli::try_parse_from(["otel-dpia", "check", "--format", "xml"]).is_err());
}

#[test]
fn github_actions_workflow_uses_existing_commands_and_uploads_sarif() {
    let (doc, calls) = recipe("github-actions.yml");
    check_calls("github-actions.yml", &calls, &["check", "render", "diff"]);
    let jobs = doc["jobs"].as_object().unwrap();
    let uses: Vec<&str> = jobs
        .values()
        .flat_map(|j| j["steps"].as_array().unwrap())
        .filter_map(|s| s["uses"].as_str())
        .collect();
    assert!(
        uses.iter()
            .any(|u| u.starts_with("github/codeql-action/upload-sarif@"))
    );
    assert!(
        uses.iter()
            .any(|u| u.starts_with("actions/upload-artifact@"))
    );
    assert_eq!(jobs["check"]["permissions"]["security-events"], "write");
    assert!(
        calls
            .iter()
            .any(|c| c.windows(2).any(|w| w == ["--format", "sarif"]))
    );
    assert!(
        calls
            .iter()
            .any(|c| c[1] == "diff" && c.contains(&"--base".to_string()))
    );
}

#[test]
fn gitlab_job_uses_existing_commands() {
    let (doc, calls) = recipe("gitlab-ci.yml");
    check_calls("gitlab-ci.yml", &calls, &["check", "render", "diff"]);
    assert!(doc["otel-dpia-check"]["artifacts"]["paths"].is_array());
}
