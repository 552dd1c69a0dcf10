//! Laptops → a central gateway reached by DNS name: how the analysis finds which supplied
//! collector receives what the client (or another collector's exporter) sends, through the
//! binary as a user runs it with flags only.
//!
//! Inputs are shaped like a real rollout: managed settings that send to
//! `otel-gateway.corp.example`, a gateway that strips prompt text and forwards to a SaaS
//! vendor, and a laptop agent that forwards to the gateway.

mod common;

use std::fs;
use std::path::Path;

use common::datamap::{analyze_json, codes, destination, diagnostic, ids, init_and_render};
use common::{run_in, texts};
use serde_json::Value;

/// Managed settings exporting logs and metrics with `protocol` to `endpoint`, prompts on.
fn managed(dir: &Path, protocol: &str, endpoint: &str) {
    let text = format!(
        r#"{{
  "env": {{
    "CLAUDE_CODE_ENABLE_TELEMETRY": "1",
    "OTEL_METRICS_EXPORTER": "otlp",
    "OTEL_LOGS_EXPORTER": "otlp",
    "OTEL_EXPORTER_OTLP_PROTOCOL": "{protocol}",
    "OTEL_EXPORTER_OTLP_ENDPOINT": "{endpoint}",
    "OTEL_LOG_USER_PROMPTS": "1",
    "OTEL_LOG_TOOL_DETAILS": "0",
    "OTEL_METRICS_INCLUDE_ACCOUNT_UUID": "false"
  }}
}}
"#
    );
    fs::write(dir.join("managed-settings.json"), text).unwrap();
}

/// A gateway whose OTLP receiver has the given `protocols:` block, dropping prompt text
/// and sending to `vendor_host`.
fn gateway(dir: &Path, file: &str, protocols: &str, vendor_host: &str) {
    let text = format!(
        "receivers:
  otlp:
    protocols:
{protocols}
processors:
  memory_limiter:
    check_interval: 1s
    limit_mib: 512
  attributes/no-prompts:
    actions:
      - key: prompt
        action: delete
  batch: {{}}
exporters:
  otlphttp/vendor:
    endpoint: https://{vendor_host}
    headers:
      x-api-key: ${{env:VENDOR_KEY}}
service:
  pipelines:
    logs:
      receivers: [otlp]
      processors: [memory_limiter, attributes/no-prompts, batch]
      exporters: [otlphttp/vendor]
    metrics:
      receivers: [otlp]
      processors: [memory_limiter, batch]
      exporters: [otlphttp/vendor]
"
    );
    fs::write(dir.join(file), text).unwrap();
}

const HTTP_WILDCARD: &str = "      http:\n        endpoint: 0.0.0.0:4318";
const GRPC_WILDCARD: &str = "      grpc:\n        endpoint: 0.0.0.0:4317";

fn analyze(dir: &Path, args: &[&str]) -> Value {
    analyze_json(dir, args)
}

/// Whether the `prompt` key of the user-prompt event arrives at a destination.
fn prompt_arrives(dest: &Value) -> bool {
    dest["records"].as_array().unwrap().iter().any(|r| {
        r["name"] == "claude_code.user_prompt"
            && r["attributes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["key"] == "prompt")
    })
}

fn evidence_texts(dest: &Value) -> Vec<String> {
    dest["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["what"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_collector_declared_on_the_command_line_serves_its_address() {
    let tmp = tempfile::tempdir().unwrap();
    managed(
        tmp.path(),
        "http/protobuf",
        "http://otel-gateway.corp.example:4318",
    );
    // The receiver listens on a pod address, so only the declaration can connect them.
    gateway(
        tmp.path(),
        "gw.yaml",
        "      http:\n        endpoint: 10.20.0.15:4318",
        "api.honeycomb.io",
    );
    let map = analyze(
        tmp.path(),
        &[
            "--managed-settings",
            "managed-settings.json",
            "--collector",
            "gateway@otel-gateway.corp.example:4318=gw.yaml",
        ],
    );
    let d = destination(&map, "otlphttp/vendor");
    assert_eq!(d["kind"], "vendor");
    assert_eq!(
        d["route"][1], "collector gateway (otel-gateway.corp.example:4318)",
        "declared, so not marked as assumed"
    );
    assert!(!prompt_arrives(d), "the gateway's delete is credited");
    assert!(!ids(&map).iter().any(|i| i.starts_with("direct:")));
    let c = codes(&map);
    assert!(
        !c.iter().any(|c| c == "OD511" || c == "OD513"),
        "nothing assumed, nothing unreached: {c:?}"
    );
}

#[test]
fn an_undeclared_gateway_listening_on_every_interface_is_assumed_and_said_so() {
    let tmp = tempfile::tempdir().unwrap();
    managed(
        tmp.path(),
        "http/protobuf",
        "http://otel-gateway.corp.example:4318",
    );
    gateway(
        tmp.path(),
        "otelcol.yaml",
        HTTP_WILDCARD,
        "api.honeycomb.io",
    );
    let map = analyze(
        tmp.path(),
        &[
            "--managed-settings",
            "managed-settings.json",
            "--collector",
            "otelcol.yaml",
        ],
    );
    assert_eq!(
        ids(&map)
            .iter()
            .filter(|i| !i.starts_with("vendor:"))
            .collect::<Vec<_>>(),
        ["otlphttp/vendor"],
        "the vendor behind the gateway is the destination, not the gateway's address"
    );
    let d = destination(&map, "otlphttp/vendor");
    assert!(!prompt_arrives(d));
    assert_eq!(
        d["route"][1],
        "collector collector (otel-gateway.corp.example:4318, assumed)"
    );
    let said = evidence_texts(d);
    assert!(
        said.iter().any(|e| e
            == "assumed: otel-gateway.corp.example:4318 is collector `collector` because its otlp http receiver listens on 0.0.0.0:4318; declare it to confirm"),
        "{said:?}"
    );
    let assumed = diagnostic(&map, "OD511");
    assert_eq!(assumed["severity"], "info");
    assert!(
        assumed["file"]
            .as_str()
            .unwrap()
            .ends_with("managed-settings.json"),
        "placed at the endpoint setting: {assumed}"
    );
    assert!(
        assumed["hint"]
            .as_str()
            .unwrap()
            .contains("--collector collector@otel-gateway.corp.example:4318=FILE")
    );
}

#[test]
fn a_grpc_client_does_not_reach_an_http_only_receiver_on_the_same_port() {
    let tmp = tempfile::tempdir().unwrap();
    managed(tmp.path(), "grpc", "http://otel-gateway.corp.example:4318");
    gateway(
        tmp.path(),
        "otelcol.yaml",
        HTTP_WILDCARD,
        "api.honeycomb.io",
    );
    let map = analyze(
        tmp.path(),
        &[
            "--managed-settings",
            "managed-settings.json",
            "--collector",
            "otelcol.yaml",
        ],
    );
    let direct = destination(&map, "direct:otel-gateway.corp.example:4318");
    assert_eq!(direct["leaves_device"], true);
    assert!(
        prompt_arrives(direct),
        "nothing removes the prompt on the way"
    );
    assert!(!ids(&map).contains(&"otlphttp/vendor".to_string()));
    let unreached = diagnostic(&map, "OD513");
    let message = unreached["message"].as_str().unwrap();
    assert!(
        message.contains("0.0.0.0:4318 (otlp http)")
            && message.contains("otel-gateway.corp.example:4318 (grpc)"),
        "names where it listens and where the client sends: {message}"
    );
    assert!(!codes(&map).contains(&"OD511".to_string()));
}

#[test]
fn a_receiver_without_the_protocol_key_starts_no_server_for_it() {
    let tmp = tempfile::tempdir().unwrap();
    managed(
        tmp.path(),
        "http/protobuf",
        "http://otel-gateway.corp.example:4317",
    );
    // gRPC on 4317 only: an HTTP client sending to 4317 finds no OTLP/HTTP server there.
    gateway(
        tmp.path(),
        "otelcol.yaml",
        GRPC_WILDCARD,
        "api.honeycomb.io",
    );
    let map = analyze(
        tmp.path(),
        &[
            "--managed-settings",
            "managed-settings.json",
            "--collector",
            "otelcol.yaml",
        ],
    );
    assert!(ids(&map).contains(&"direct:otel-gateway.corp.example:4317".to_string()));
    assert!(codes(&map).contains(&"OD513".to_string()));
}

#[test]
fn two_candidate_gateways_are_both_followed_with_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    managed(
        tmp.path(),
        "http/protobuf",
        "http://otel-gateway.corp.example:4318",
    );
    gateway(tmp.path(), "eu.yaml", HTTP_WILDCARD, "api.eu1.honeycomb.io");
    // The second gateway forwards everything: no processor removes the prompt.
    let us = "receivers:
  otlp:
    protocols:
      http:
        endpoint: :4318
exporters:
  otlphttp/us:
    endpoint: https://api.honeycomb.io
service:
  pipelines:
    logs: {receivers: [otlp], exporters: [otlphttp/us]}
    metrics: {receivers: [otlp], exporters: [otlphttp/us]}
";
    fs::write(tmp.path().join("us.yaml"), us).unwrap();
    let map = analyze(
        tmp.path(),
        &[
            "--managed-settings",
            "managed-settings.json",
            "--collector",
            "eu=eu.yaml",
            "--collector",
            "us=us.yaml",
        ],
    );
    let eu = destination(&map, "eu:otlphttp/vendor");
    let us = destination(&map, "us:otlphttp/us");
    assert!(!prompt_arrives(eu));
    assert!(
        prompt_arrives(us),
        "the union keeps the least protected path"
    );
    let several = diagnostic(&map, "OD512");
    assert_eq!(several["severity"], "warning");
    assert!(
        several["message"]
            .as_str()
            .unwrap()
            .contains("`eu` and `us`")
    );
    let assumed = codes(&map).iter().filter(|c| *c == "OD511").count();
    assert_eq!(assumed, 2, "each assumption is stated");
}

#[test]
fn a_laptop_agent_forwards_to_a_gateway_by_dns_name() {
    let tmp = tempfile::tempdir().unwrap();
    managed(tmp.path(), "http/protobuf", "http://localhost:4318");
    let agent = "receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:4318
processors:
  batch: {}
exporters:
  otlp/gateway:
    endpoint: otel-gateway.corp.example:4317
    tls:
      insecure: false
service:
  pipelines:
    logs: {receivers: [otlp], processors: [batch], exporters: [otlp/gateway]}
    metrics: {receivers: [otlp], processors: [batch], exporters: [otlp/gateway]}
";
    fs::write(tmp.path().join("agent.yaml"), agent).unwrap();
    gateway(
        tmp.path(),
        "gateway.yaml",
        GRPC_WILDCARD,
        "api.honeycomb.io",
    );
    let map = analyze(
        tmp.path(),
        &[
            "--managed-settings",
            "managed-settings.json",
            "--collector",
            "agent=agent.yaml",
            "--collector",
            "gateway=gateway.yaml",
        ],
    );
    let otel: Vec<String> = ids(&map)
        .into_iter()
        .filter(|i| !i.starts_with("vendor:"))
        .collect();
    assert_eq!(
        otel,
        ["gateway:otlphttp/vendor"],
        "the agent's exporter is a hop"
    );
    let d = destination(&map, "gateway:otlphttp/vendor");
    assert!(!prompt_arrives(d));
    let route: Vec<&str> = d["route"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert_eq!(
        route,
        [
            "client",
            "collector agent (localhost:4318)",
            "agent:otlp/gateway",
            "collector gateway (otel-gateway.corp.example:4317, assumed)",
            "gateway:otlphttp/vendor"
        ]
    );
    let assumed = diagnostic(&map, "OD511");
    assert!(
        assumed["message"].as_str().unwrap().starts_with(
            "exporter `otlp/gateway` of collector `agent` sends to otel-gateway.corp.example:4317"
        ),
        "{assumed}"
    );
    assert!(assumed["file"].as_str().unwrap().ends_with("agent.yaml"));
}

#[test]
fn a_collector_nothing_reaches_is_reported_and_fails_check() {
    let tmp = tempfile::tempdir().unwrap();
    // The client sends straight to the vendor; the gateway is given but never used.
    managed(tmp.path(), "http/protobuf", "https://api.honeycomb.io");
    gateway(
        tmp.path(),
        "otelcol.yaml",
        HTTP_WILDCARD,
        "api.honeycomb.io",
    );
    let args = [
        "--managed-settings",
        "managed-settings.json",
        "--collector",
        "gw=otelcol.yaml",
    ];
    let map = analyze(tmp.path(), &args);
    let unreached = diagnostic(&map, "OD513");
    assert_eq!(unreached["severity"], "warning");
    assert!(
        unreached["message"]
            .as_str()
            .unwrap()
            .starts_with("collector `gw` (otelcol.yaml) receives nothing"),
        "{unreached}"
    );
    let mut check = vec!["check", "--format", "json"];
    check.extend_from_slice(&args);
    let out = run_in(tmp.path(), &check);
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    let dp013 = findings
        .iter()
        .find(|f| f["code"] == "DP013")
        .unwrap_or_else(|| panic!("{report}"));
    assert_eq!(dp013["severity"], "error");
}

#[test]
fn the_dpia_lists_the_assumed_gateway_among_what_it_had_to_assume() {
    let tmp = tempfile::tempdir().unwrap();
    managed(
        tmp.path(),
        "http/protobuf",
        "http://otel-gateway.corp.example:4318",
    );
    gateway(
        tmp.path(),
        "otelcol.yaml",
        HTTP_WILDCARD,
        "api.honeycomb.io",
    );
    init_and_render(
        tmp.path(),
        &[
            "--managed-settings",
            "managed-settings.json",
            "--collector",
            "otelcol.yaml",
        ],
        "en",
    );
    let dpia = fs::read_to_string(tmp.path().join("docs/en/dpia.md")).unwrap();
    let section = dpia
        .split("### What the analysis had to assume")
        .nth(1)
        .unwrap();
    let section = section.split("\n## ").next().unwrap();
    assert!(
        section.contains("`OD511` at `managed-settings.json:7`"),
        "{section}"
    );
}

#[test]
fn a_route_never_turns_back_into_a_collector_it_came_through() {
    let tmp = tempfile::tempdir().unwrap();
    managed(tmp.path(), "http/protobuf", "http://localhost:4318");
    // An agent listening on every interface, forwarding to the gateway.
    let agent = "receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 0.0.0.0:4317
      http:
        endpoint: 0.0.0.0:4318
exporters:
  otlp/gateway:
    endpoint: otel-gateway.corp.example:4317
service:
  pipelines:
    logs: {receivers: [otlp], exporters: [otlp/gateway]}
    metrics: {receivers: [otlp], exporters: [otlp/gateway]}
";
    // The gateway sends on to Tempo, which also speaks OTLP/gRPC on 4317, as the agent does.
    let gateway = "receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 0.0.0.0:4317
exporters:
  otlp/tempo:
    endpoint: tempo.monitoring.corp.example:4317
service:
  pipelines:
    logs: {receivers: [otlp], exporters: [otlp/tempo]}
    metrics: {receivers: [otlp], exporters: [otlp/tempo]}
";
    fs::write(tmp.path().join("agent.yaml"), agent).unwrap();
    fs::write(tmp.path().join("gateway.yaml"), gateway).unwrap();
    let map = analyze(
        tmp.path(),
        &[
            "--managed-settings",
            "managed-settings.json",
            "--collector",
            "agent=agent.yaml",
            "--collector",
            "gateway=gateway.yaml",
        ],
    );
    let otel: Vec<String> = ids(&map)
        .into_iter()
        .filter(|i| !i.starts_with("vendor:"))
        .collect();
    assert_eq!(
        otel,
        ["gateway:otlp/tempo"],
        "Tempo is a destination, not the agent the data came from"
    );
    let assumed: Vec<&Value> = map["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "OD511")
        .collect();
    assert_eq!(
        assumed.len(),
        1,
        "only the agent → gateway hop: {assumed:?}"
    );
}

#[test]
fn a_helm_chart_collector_listening_on_its_pod_address_is_reached_through_its_service() {
    let tmp = tempfile::tempdir().unwrap();
    managed(
        tmp.path(),
        "http/protobuf",
        "http://otel-collector.observability.svc.cluster.local:4318",
    );
    // Values of the opentelemetry-collector chart: its default receivers listen on
    // ${env:MY_POD_IP}; only the exporters are the employer's.
    let values = "mode: deployment
image:
  repository: otel/opentelemetry-collector-contrib
config:
  exporters:
    otlphttp/vendor:
      endpoint: https://api.honeycomb.io
  service:
    pipelines:
      logs:
        exporters: [otlphttp/vendor]
      metrics:
        exporters: [otlphttp/vendor]
      traces:
        exporters: [otlphttp/vendor]
";
    fs::write(tmp.path().join("values.yaml"), values).unwrap();
    let map = analyze(
        tmp.path(),
        &[
            "--managed-settings",
            "managed-settings.json",
            "--collector",
            "values.yaml",
        ],
    );
    let d = destination(&map, "otlphttp/vendor");
    assert_eq!(d["kind"], "vendor");
    let assumed = diagnostic(&map, "OD511");
    assert!(
        assumed["message"]
            .as_str()
            .unwrap()
            .contains("its otlp http receiver listens on the pod's own address (port 4318)"),
        "{assumed}"
    );
    assert!(!codes(&map).contains(&"OD513".to_string()));
}

#[test]
fn of_two_collectors_listening_on_the_laptop_port_the_one_the_other_forwards_to_is_the_gateway() {
    let tmp = tempfile::tempdir().unwrap();
    managed(tmp.path(), "grpc", "http://localhost:4317");
    let agent = "receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 0.0.0.0:4317
exporters:
  otlp/gateway:
    endpoint: otel-gateway.corp.example:4317
service:
  pipelines:
    logs: {receivers: [otlp], exporters: [otlp/gateway]}
    metrics: {receivers: [otlp], exporters: [otlp/gateway]}
";
    fs::write(tmp.path().join("agent.yaml"), agent).unwrap();
    gateway(
        tmp.path(),
        "gateway.yaml",
        GRPC_WILDCARD,
        "api.honeycomb.io",
    );
    let map = analyze(
        tmp.path(),
        &[
            "--managed-settings",
            "managed-settings.json",
            "--collector",
            "gateway=gateway.yaml",
            "--collector",
            "agent=agent.yaml",
        ],
    );
    let otel: Vec<String> = ids(&map)
        .into_iter()
        .filter(|i| !i.starts_with("vendor:"))
        .collect();
    assert_eq!(otel, ["gateway:otlphttp/vendor"]);
    let d = destination(&map, "gateway:otlphttp/vendor");
    assert_eq!(d["route"][1], "collector agent (localhost:4317)");
    assert!(!prompt_arrives(d), "the gateway's delete is credited");
    assert!(!codes(&map).contains(&"OD512".to_string()));
}
