//! Collector configurations read where they are deployed (Kubernetes manifests, Helm chart
//! values, Helm templates), through the binary: `graph` and `analyze` on the real corpus
//! files and on small manifests written here.

mod common;

use std::path::Path;

use common::{run_in, shared_dir, texts};
use serde_json::Value;

/// A client that sends logs, metrics and traces with prompts to a collector on the laptop's
/// port 4317 (the collectors below listen on every interface).
const CLIENT: &[&str] = &[
    "--env",
    "CLAUDE_CODE_ENABLE_TELEMETRY=1",
    "--env",
    "OTEL_METRICS_EXPORTER=otlp",
    "--env",
    "OTEL_LOGS_EXPORTER=otlp",
    "--env",
    "OTEL_TRACES_EXPORTER=otlp",
    "--env",
    "CLAUDE_CODE_ENHANCED_TELEMETRY_BETA=1",
    "--env",
    "OTEL_EXPORTER_OTLP_PROTOCOL=grpc",
    "--env",
    "OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4317",
    "--env",
    "OTEL_LOG_USER_PROMPTS=1",
];

fn analyze(dir: &Path, collector: &str) -> (Value, String) {
    let mut args = vec!["analyze", "--format", "json", "--collector", collector];
    args.extend_from_slice(CLIENT);
    let out = run_in(dir, &args);
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(0), "{collector}: {stderr}");
    (serde_json::from_str(&stdout).expect("JSON"), stderr)
}

fn destination_ids(map: &Value) -> Vec<String> {
    map["destinations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .filter(|id| !id.starts_with("vendor:"))
        .collect()
}

fn has_attribute(map: &Value, destination: &str, record: &str, key: &str) -> bool {
    let d = map["destinations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == destination)
        .unwrap_or_else(|| panic!("no destination {destination}"));
    d["records"].as_array().unwrap().iter().any(|r| {
        r["name"] == record
            && r["attributes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["key"] == key)
    })
}

#[test]
fn corpus_files_deployed_on_kubernetes_map_their_exporters_as_destinations() {
    let Some(shared) = shared_dir() else { return };
    let corpus = shared.join("collector/corpus");
    for (file, expected) in [
        (
            "cc__KB1SLN-Labs__claude-code-observability__k8s__otel-collector.yaml",
            &["loki", "otlp/tempo", "prometheusremotewrite"][..],
        ),
        (
            "cc__KB1SLN-Labs__claude-code-observability__helm__templates__otel-collector.yaml",
            &[
                "loki",
                "otlp/tempo",
                "otlphttp/dynatrace",
                "prometheusremotewrite",
            ][..],
        ),
        (
            "cc__KubeRocketCI__claude-code-telemetry__deploy-templates__values.yaml",
            &["debug", "otlphttp/loki", "prometheus"][..],
        ),
    ] {
        let (map, stderr) = analyze(&corpus, file);
        assert_eq!(destination_ids(&map), expected, "{file}: {stderr}");
        assert!(
            stderr.contains("OD324"),
            "{file} says what it read: {stderr}"
        );
        let network = map["destinations"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| expected.contains(&d["id"].as_str().unwrap()))
            .filter(|d| d["kind"] != "stdout");
        for d in network {
            assert_eq!(d["leaves_device"], true, "{file}: {}", d["id"]);
        }
    }
}

#[test]
fn chart_values_keep_the_endpoint_default_and_cite_the_values_file() {
    let Some(shared) = shared_dir() else { return };
    let corpus = shared.join("collector/corpus");
    let file = "cc__KubeRocketCI__claude-code-telemetry__deploy-templates__values.yaml";
    let (map, stderr) = analyze(&corpus, file);
    let loki = map["destinations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "otlphttp/loki")
        .unwrap();
    assert_eq!(loki["endpoint"], "http://loki:3100/otlp");
    assert_eq!(loki["evidence"][0]["file"], file);
    assert_eq!(loki["evidence"][0]["line"], 130);
    assert!(
        stderr.contains("version 0.170.0 assumed"),
        "the chart version is stated: {stderr}"
    );
}

#[test]
fn the_template_names_its_computed_endpoints_and_keeps_manifest_lines() {
    let Some(shared) = shared_dir() else { return };
    let corpus = shared.join("collector/corpus");
    let file = "cc__KB1SLN-Labs__claude-code-observability__helm__templates__otel-collector.yaml";
    let out = run_in(
        &corpus,
        &[
            "graph",
            "--collector",
            file,
            "--format",
            "json",
            "--diagnostic-format",
            "short",
        ],
    );
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!("{file}:34:26: warning[OD321]: `exporters.prometheusremotewrite.endpoint` is computed by the template expression `{{{{ include \"claude-code-observability.prometheusHost\" . }}}}`")),
        "{stderr}"
    );
    let graph: Value = serde_json::from_str(&stdout).unwrap();
    let logs = graph["collectors"][0]["pipelines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "logs")
        .unwrap();
    let exporters = logs["exporters"]["refs"].as_array().unwrap();
    assert_eq!(exporters[0]["at"], format!("{file}:77"));
    assert_eq!(exporters[1]["id"], "otlphttp/dynatrace");
    assert_eq!(exporters[1]["condition"], format!("{file}:77"));
}

/// A templated ConfigMap whose pipeline lists a processor that deletes the prompt: under a
/// condition, or always.
fn strip_template(conditional: bool) -> String {
    let (open, close) = if conditional {
        ("{{- if .Values.stripPrompts }}\n", "{{- end }}\n")
    } else {
        ("", "")
    };
    format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{{{ .Release.Name }}}}-otel\ndata:\n  relay: |\n    receivers:\n      otlp:\n        protocols:\n          grpc:\n            endpoint: 0.0.0.0:4317\n    processors:\n      attributes/strip:\n        actions:\n          - key: prompt\n            action: delete\n    exporters:\n      otlphttp/backend:\n        endpoint: https://otlp.example.com\n    service:\n      pipelines:\n        logs:\n          receivers: [otlp]\n          processors:\n{open}            - attributes/strip\n{close}          exporters: [otlphttp/backend]\n"
    )
}

#[test]
fn a_processor_listed_under_a_template_condition_removes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("always.yaml"), strip_template(false)).unwrap();
    std::fs::write(dir.path().join("maybe.yaml"), strip_template(true)).unwrap();
    let (always, _) = analyze(dir.path(), "always.yaml");
    assert!(
        !has_attribute(
            &always,
            "otlphttp/backend",
            "claude_code.user_prompt",
            "prompt"
        ),
        "listed unconditionally, the processor removes the prompt"
    );
    let (maybe, stderr) = analyze(dir.path(), "maybe.yaml");
    assert!(
        has_attribute(
            &maybe,
            "otlphttp/backend",
            "claude_code.user_prompt",
            "prompt"
        ),
        "listed under `{{{{ if }}}}`, it may not run: the prompt may arrive"
    );
    assert!(stderr.contains("OD323"), "{stderr}");
    assert!(stderr.contains("maybe.yaml:25"), "{stderr}");
}

#[test]
fn a_template_that_writes_structure_into_the_configuration_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: otel\n  labels:\n    {{- include \"labels\" . | nindent 4 }}\ndata:\n  relay: |\n    receivers:\n      otlp: {}\n    exporters:\n      {{- toYaml .Values.exporters | nindent 6 }}\n    service: {}\n";
    std::fs::write(dir.path().join("cm.yaml"), text).unwrap();
    let out = run_in(dir.path(), &["graph", "--collector", "cm.yaml"]);
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("error[OD322]"), "{stderr}");
    assert!(stderr.contains("--> cm.yaml:12:7"), "{stderr}");
    assert!(stderr.contains("helm template"), "{stderr}");
    assert!(
        !stderr.contains("cm.yaml:6"),
        "the labels outside the configuration do not matter: {stderr}"
    );
}

#[test]
fn a_choice_after_the_file_picks_one_configuration_of_a_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: otel}\ndata:\n  agent.yaml: |\n    receivers: {otlp: {protocols: {grpc: {endpoint: 0.0.0.0:4317}}}}\n    exporters: {otlp: {endpoint: gateway:4317}}\n    service: {pipelines: {logs: {receivers: [otlp], exporters: [otlp]}}}\n  gateway.yaml: |\n    receivers: {otlp: {protocols: {grpc: {endpoint: 0.0.0.0:4317}}}}\n    exporters: {otlphttp: {endpoint: https://otlp.example.com}}\n    service: {pipelines: {logs: {receivers: [otlp], exporters: [otlphttp]}}}\n";
    std::fs::write(dir.path().join("k8s.yaml"), text).unwrap();
    let out = run_in(dir.path(), &["graph", "--collector", "k8s.yaml"]);
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("error[OD325]"), "{stderr}");
    assert!(stderr.contains("`k8s.yaml#otel/gateway.yaml`"), "{stderr}");
    let (map, _) = analyze(dir.path(), "k8s.yaml#otel/gateway.yaml");
    assert_eq!(destination_ids(&map), ["otlphttp"]);
}
