//! `otel-dpia init` through the binary: it writes a project file that loads, lists the
//! destinations the configuration shows, refuses to overwrite, and leaves secrets out.

mod common;

use common::{repo_dir, run_in, texts};

fn copy_example(dir: &std::path::Path) {
    for name in [
        "managed-settings.json",
        "otelcol-agent.yaml",
        "otelcol-gateway.yaml",
        "otelcol-gateway.prod.yaml",
    ] {
        std::fs::copy(
            repo_dir().join("examples/dutch-employer").join(name),
            dir.join(name),
        )
        .unwrap();
    }
}

#[test]
fn init_writes_a_loadable_skeleton_with_the_destinations_found() {
    let dir = tempfile::tempdir().unwrap();
    copy_example(dir.path());
    let args = [
        "init",
        "--managed-settings",
        "managed-settings.json",
        "--collector",
        "agent=otelcol-agent.yaml",
        "--collector",
        "gateway=otelcol-gateway.yaml,otelcol-gateway.prod.yaml",
        "--collector-env",
        "WOLKENPOST_INGEST_TOKEN=s3cr3t-token",
        "--out",
        "docs/dpia.yaml",
    ];
    let out = run_in(dir.path(), &args);
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("docs/dpia.yaml"));
    let written = std::fs::read_to_string(dir.path().join("docs/dpia.yaml")).unwrap();
    assert!(
        !written.contains("s3cr3t"),
        "a secret was written into the project file"
    );
    assert!(!stderr.contains("s3cr3t"));
    for id in [
        "agent:otlp/gateway",
        "gateway:otlphttp/clickhouse",
        "gateway:otlphttp/wolkenpost",
        "vendor:anthropic_api",
    ] {
        assert!(
            written.contains(&format!("exporter: \"{id}\"")),
            "{id} missing:\n{written}"
        );
    }
    assert!(
        written.contains("\"../otelcol-gateway.prod.yaml\""),
        "paths are relative to the project file"
    );
    // The skeleton is a valid project: the graph command reads its inputs from it.
    let graph = run_in(dir.path(), &["graph", "docs/dpia.yaml"]);
    assert_eq!(graph.status.code(), Some(0), "{}", texts(&graph).1);
    // A second run does not overwrite without --force.
    let again = run_in(dir.path(), &args);
    assert_eq!(again.status.code(), Some(2));
    assert!(texts(&again).1.contains("OD110"));
    let forced: Vec<&str> = args.iter().copied().chain(["--force"]).collect();
    assert_eq!(run_in(dir.path(), &forced).status.code(), Some(0));
}

#[test]
fn init_refuses_a_project_file_as_input_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), &["init", "existing.yaml", "--out", "new.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("new.yaml").exists());
}

#[test]
fn init_keeps_what_the_flags_declare_serves_project_settings_and_completeness() {
    let dir = tempfile::tempdir().unwrap();
    copy_example(dir.path());
    std::fs::create_dir_all(dir.path().join("repo/.claude")).unwrap();
    std::fs::write(
        dir.path().join("repo/.claude/settings.json"),
        "{\"env\": {\"OTEL_LOG_TOOL_DETAILS\": \"1\"}}\n",
    )
    .unwrap();
    let args = [
        "init",
        "--managed-settings",
        "managed-settings.json",
        "--collector",
        "agent@http://localhost:4318=otelcol-agent.yaml",
        "--collector",
        "gateway@otel-gateway.polderdata.example:4317=otelcol-gateway.yaml,otelcol-gateway.prod.yaml",
        "--project-settings",
        "repo/.claude/settings.json",
        "--no-other-settings",
    ];
    let out = run_in(dir.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", texts(&out).1);
    let written = std::fs::read_to_string(dir.path().join("dpia.yaml")).unwrap();
    for line in [
        "      serves: [\"http://localhost:4318\"]",
        "      serves: [\"otel-gateway.polderdata.example:4317\"]",
        "  project_settings:\n    - \"repo/.claude/settings.json\"",
        "  no_other_settings: true",
    ] {
        assert!(written.contains(line), "{line} missing:\n{written}");
    }
    let analyzed = run_in(dir.path(), &["analyze", "dpia.yaml", "--format", "json"]);
    let (stdout, stderr) = texts(&analyzed);
    assert_eq!(analyzed.status.code(), Some(0), "{stderr}");
    let map: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let codes: Vec<&str> = map["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(
        !codes.contains(&"OD511") && !codes.contains(&"OD513"),
        "declared, so nothing is assumed or unreached: {codes:?}"
    );
}
