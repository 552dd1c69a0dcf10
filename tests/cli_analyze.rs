//! `otel-dpia analyze` and `simulate` through the binary, on the bundled examples and the
//! real captures.

mod common;

use common::{repo_dir, run_in, shared_dir, texts};
use serde_json::Value;

fn analyze_json(args: &[&str]) -> Value {
    let mut all = vec!["analyze", "--format", "json"];
    all.extend_from_slice(args);
    let out = run_in(&repo_dir(), &all);
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    serde_json::from_str(&stdout).expect("analyze prints JSON")
}

fn destination<'a>(map: &'a Value, id: &str) -> &'a Value {
    map["destinations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == id)
        .unwrap_or_else(|| panic!("no destination {id}: {map}"))
}

fn attribute<'a>(dest: &'a Value, record: &str, key: &str) -> Option<&'a Value> {
    let r = dest["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == record)?;
    r["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["key"] == key)
}

#[test]
fn content_to_a_us_vendor_is_mapped_raw_with_the_managed_setting_as_evidence() {
    let map = analyze_json(&["examples/content-to-us-saas/dpia.yaml"]);
    assert_eq!(map["schema_version"], 1);
    assert_eq!(map["source"]["name"], "claude-code");
    let d = destination(&map, "direct:api.honeycomb.io:443");
    assert_eq!(d["kind"], "vendor");
    assert_eq!(d["leaves_device"], true);
    let prompt = attribute(d, "claude_code.user_prompt", "prompt").expect("the prompt arrives");
    assert_eq!(prompt["state"], "raw");
    assert_eq!(prompt["category"], "prompt_content");
    let cited = prompt["evidence"].as_array().unwrap().iter().any(|e| {
        e["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("managed-settings.json"))
            && e["what"]
                .as_str()
                .unwrap()
                .contains("OTEL_LOG_USER_PROMPTS")
    });
    assert!(cited, "evidence names the managed setting: {prompt}");
    let tool_input = attribute(d, "claude_code.tool_result", "tool_input")
        .expect("tool input arrives with OTEL_LOG_TOOL_DETAILS");
    assert_eq!(tool_input["state"], "raw");
    // The model API itself is a flow outside OpenTelemetry.
    assert!(
        map["destinations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["id"].as_str().unwrap().starts_with("vendor:"))
    );
}

#[test]
fn content_gates_nobody_pins_may_be_on_unless_the_settings_given_are_all_there_is() {
    let env = [
        "--env",
        "CLAUDE_CODE_ENABLE_TELEMETRY=1",
        "--env",
        "OTEL_LOGS_EXPORTER=otlp",
        "--env",
        "OTEL_EXPORTER_OTLP_PROTOCOL=http/json",
        "--env",
        "OTEL_EXPORTER_OTLP_ENDPOINT=https://otel.example.org",
    ];
    // Open: a repository's `.claude/settings.json` may switch the content gates on.
    let map = analyze_json(&env);
    let d = destination(&map, "direct:otel.example.org:443");
    assert_eq!(d["kind"], "self_hosted");
    let prompt = attribute(d, "claude_code.user_prompt", "prompt").unwrap();
    assert_eq!(prompt["state"], "raw");
    assert_eq!(prompt["presence"], "maybe");
    let tool_input = attribute(d, "claude_code.tool_result", "tool_input").unwrap();
    assert_eq!(tool_input["presence"], "maybe");
    // Complete (a lab machine): the defaults hold.
    let mut complete = env.to_vec();
    complete.push("--no-other-settings");
    let map = analyze_json(&complete);
    let d = destination(&map, "direct:otel.example.org:443");
    assert_eq!(
        attribute(d, "claude_code.user_prompt", "prompt").unwrap()["state"],
        "placeholder"
    );
    assert!(
        attribute(d, "claude_code.tool_result", "tool_input").is_none(),
        "tool input is not sent without OTEL_LOG_TOOL_DETAILS"
    );
}

#[test]
fn output_is_deterministic_and_never_shows_header_secrets() {
    let args = [
        "analyze",
        "examples/dutch-employer/dpia.yaml",
        "--env",
        "OTEL_EXPORTER_OTLP_HEADERS=authorization=Bearer s3cr3t-token",
        "--collector-env",
        "WOLKENPOST_INGEST_TOKEN=s3cr3t-token",
    ];
    for format in ["human", "json"] {
        let mut a: Vec<&str> = args.to_vec();
        a.extend(["--format", format]);
        let first = run_in(&repo_dir(), &a);
        let second = run_in(&repo_dir(), &a);
        assert_eq!(first.status.code(), Some(0), "{}", texts(&first).1);
        assert_eq!(
            first.stdout, second.stdout,
            "{format} output differs between runs"
        );
        let (stdout, stderr) = texts(&first);
        assert!(
            !stdout.contains("s3cr3t") && !stderr.contains("s3cr3t"),
            "a secret leaked in {format}"
        );
    }
}

#[test]
fn the_dutch_example_follows_the_agent_into_the_gateway() {
    let map = analyze_json(&["examples/dutch-employer/dpia.yaml"]);
    let ids: Vec<&str> = map["destinations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"gateway:otlphttp/clickhouse"), "{ids:?}");
    assert!(
        !ids.iter().any(|i| i.starts_with("agent:")),
        "the agent's exporter is a hop, not a destination: {ids:?}"
    );
    let d = destination(&map, "gateway:otlphttp/clickhouse");
    let route = d["route"].as_array().unwrap();
    assert!(
        route
            .iter()
            .any(|h| h.as_str().unwrap().contains("collector agent")),
        "{route:?}"
    );
}

#[test]
fn analysis_errors_exit_2_with_nothing_on_stdout() {
    let out = run_in(
        &repo_dir(),
        &["analyze", "--managed-settings", "does-not-exist.json"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(texts(&out).1.contains("does-not-exist.json"));
}

#[test]
fn simulate_runs_a_real_capture_through_the_collector() {
    let Some(shared) = shared_dir() else { return };
    let capture = shared.join("claude-code/fixtures/2.1.330/ii_user_prompts/raw/logs-1.json");
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("otelcol.yaml");
    std::fs::write(
        &config,
        "receivers:\n  otlp:\n    protocols:\n      http:\nprocessors:\n  attributes/strip:\n    actions:\n      - {key: prompt, action: delete}\n      - {key: prompt_text, action: delete}\nexporters:\n  otlphttp/backend:\n    endpoint: https://telemetry.example.org\nservice:\n  pipelines:\n    logs: {receivers: [otlp], processors: [attributes/strip], exporters: [otlphttp/backend]}\n",
    )
    .unwrap();
    let original = std::fs::read_to_string(&capture).unwrap();
    assert!(
        original.contains("\"prompt\""),
        "the capture carries the prompt"
    );
    let out = run_in(
        dir.path(),
        &[
            "simulate",
            "--collector",
            config.to_str().unwrap(),
            "--otlp",
            capture.to_str().unwrap(),
        ],
    );
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let v: Value = serde_json::from_str(&stdout).unwrap();
    let d = &v["destinations"][0];
    assert_eq!(d["id"], "otlphttp/backend");
    let text = d["otlp"].to_string();
    assert!(
        text.contains("claude_code.user_prompt"),
        "the event still arrives"
    );
    assert!(
        !text.contains("\"key\":\"prompt\""),
        "the prompt attribute is deleted"
    );
    assert!(
        text.contains("\"key\":\"prompt_length\""),
        "other attributes arrive"
    );

    let bad = run_in(
        dir.path(),
        &[
            "simulate",
            "--collector",
            config.to_str().unwrap(),
            "--otlp",
            "missing.json",
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
}

/// Collector patterns are Go regular expressions, where `\w` is ASCII: a replacement on a
/// prompt with umlauts leaves the umlauts in place, as the collector would.
#[test]
fn simulate_reads_patterns_as_the_collector_does() {
    let Some(shared) = shared_dir() else { return };
    let capture = shared.join("claude-code/fixtures/2.1.330/ii_user_prompts/raw/logs-1.json");
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(&capture).unwrap();
    let planted = original.replacen(
        "\"key\":\"prompt\",\"value\":{\"stringValue\":\"say hi. run echo hi with Bash, then write hello.txt\"}",
        "\"key\":\"prompt\",\"value\":{\"stringValue\":\"Grüße aus Köln\"}",
        1,
    );
    assert_ne!(planted, original, "the capture carries the prompt");
    std::fs::write(dir.path().join("logs.json"), planted).unwrap();
    std::fs::write(
        dir.path().join("otelcol.yaml"),
        "receivers:\n  otlp:\n    protocols:\n      http:\nprocessors:\n  transform:\n    log_statements:\n      - context: log\n        statements:\n          - replace_pattern(attributes[\"prompt\"], \"\\\\w+\", \"x\")\nexporters:\n  otlphttp/backend:\n    endpoint: https://telemetry.example.org\nservice:\n  pipelines:\n    logs: {receivers: [otlp], processors: [transform], exporters: [otlphttp/backend]}\n",
    )
    .unwrap();
    let out = run_in(
        dir.path(),
        &[
            "simulate",
            "--collector",
            "otelcol.yaml",
            "--otlp",
            "logs.json",
        ],
    );
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stdout.contains("xüßx x xöx"),
        "Go's \\w does not match ü, ß or ö:\n{stdout}"
    );
}

/// `simulate` on the same capture as protobuf, and on a folder such as `receive` writes,
/// prints exactly what it prints for the OTLP/JSON files.
#[test]
fn simulate_reads_protobuf_captures_and_capture_folders_like_json() {
    use otel_dpia::otlp::{proto, read_request, write_request};
    let Some(shared) = shared_dir() else { return };
    let raw = shared.join("claude-code/fixtures/2.1.330/ii_user_prompts/raw");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("otelcol.yaml"),
        "receivers:\n  otlp:\n    protocols:\n      http:\nprocessors:\n  attributes/strip:\n    actions:\n      - {key: prompt, action: delete}\nexporters:\n  otlphttp/backend:\n    endpoint: https://telemetry.example.org\nservice:\n  pipelines:\n    logs: {receivers: [otlp], processors: [attributes/strip], exporters: [otlphttp/backend]}\n    metrics: {receivers: [otlp], exporters: [otlphttp/backend]}\n",
    )
    .unwrap();
    let data =
        |name: &str| read_request(&std::fs::read_to_string(raw.join(name)).unwrap()).unwrap();
    let (logs, metrics) = (data("logs-1.json"), data("metrics-1.json"));
    std::fs::copy(raw.join("logs-1.json"), dir.path().join("logs-1.json")).unwrap();
    std::fs::copy(
        raw.join("metrics-1.json"),
        dir.path().join("metrics-1.json"),
    )
    .unwrap();
    // Protobuf without a signal in the name: told from the bytes.
    std::fs::write(dir.path().join("a.pb"), proto::encode(&logs).unwrap()).unwrap();
    std::fs::write(dir.path().join("b.binpb"), proto::encode(&metrics).unwrap()).unwrap();
    let folder = dir.path().join("received");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("000001-logs.json"), write_request(&logs)).unwrap();
    std::fs::write(
        folder.join("000002-metrics.pb"),
        proto::encode(&metrics).unwrap(),
    )
    .unwrap();
    std::fs::write(folder.join("notes.txt"), "not a capture").unwrap();

    let simulate = |otlp: &[&str]| {
        let mut args = vec!["simulate", "--collector", "otelcol.yaml"];
        for o in otlp {
            args.extend(["--otlp", o]);
        }
        let out = run_in(dir.path(), &args);
        let (stdout, stderr) = texts(&out);
        assert_eq!(out.status.code(), Some(0), "{otlp:?}: {stderr}");
        stdout
    };
    let json = simulate(&["logs-1.json", "metrics-1.json"]);
    assert!(json.contains("claude_code.token.usage"), "{json}");
    assert_eq!(simulate(&["a.pb", "b.binpb"]), json, "protobuf files");
    assert_eq!(simulate(&["received"]), json, "a capture folder");
}

#[test]
fn simulate_names_a_capture_it_cannot_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("otelcol.yaml"),
        "receivers:\n  otlp:\n    protocols:\n      http:\nexporters:\n  debug:\nservice:\n  pipelines:\n    logs: {receivers: [otlp], exporters: [debug]}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("broken.pb"), b"\x0a\xff\xff\xff\xff").unwrap();
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    for (otlp, code) in [("broken.pb", "OD116"), ("empty", "OD117")] {
        let out = run_in(
            dir.path(),
            &["simulate", "--collector", "otelcol.yaml", "--otlp", otlp],
        );
        let (stdout, stderr) = texts(&out);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stdout.is_empty());
        assert!(stderr.contains(&format!("error[{code}]")), "{stderr}");
        assert!(stderr.contains(otlp), "{stderr}");
    }
}
