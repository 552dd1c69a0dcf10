//! Kubernetes ConfigMaps and OpenTelemetryCollector resources.

use crate::collector::testing::{load_files, load_texts};
use crate::collector::{ComponentId, Kind};
use crate::diag::Code;
use crate::tree::Value;

/// A ConfigMap whose configuration names an exporter it does not define, on line 13 of the
/// configuration (line 20 of the manifest), and a Deployment that mounts it.
const MANIFEST: &str = "\
apiVersion: v1
kind: ConfigMap
metadata:
  name: otel-collector-config
data:
  notes.txt: not a configuration
  config.yaml: |
    receivers:
      otlp:
        protocols:
          grpc:
            endpoint: 0.0.0.0:4317
    exporters:
      otlphttp:
        endpoint: ${env:BACKEND:-https://otlp.example.com}
    service:
      pipelines:
        logs:
          receivers: [otlp]
          exporters: [otlphttp, debug]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: otel-collector
spec:
  template:
    spec:
      containers:
        - name: otel
          env:
            - name: BACKEND
              valueFrom: {secretKeyRef: {name: backend, key: url}}
      volumes:
        - name: config
          configMap:
            name: otel-collector-config
";

#[test]
fn a_diagnostic_inside_an_embedded_configuration_cites_the_manifest_line() {
    let loaded = load_texts(&[MANIFEST], &[]);
    let undefined = loaded.with(Code::UndefinedComponent);
    assert_eq!(undefined.len(), 1, "{:?}", loaded.diags);
    let span = undefined[0].span.unwrap();
    // `debug` is on line 13 of the embedded text: line 7 + 13 of the file, and its column
    // is the embedded one (29) moved right by the block's indentation (4).
    assert_eq!((span.line, span.col, span.len), (20, 33, 5));
    assert!(loaded.files.cite(span).ends_with("c0.yaml:20"));
    let human = crate::diag::render(crate::diag::Format::Human, &loaded.diags, &loaded.files);
    assert!(
        human.contains("20 |           exporters: [otlphttp, debug]"),
        "{human}"
    );
    let info = loaded.with(Code::DeployedConfig);
    assert!(
        info[0]
            .message
            .contains("`data.config.yaml` of ConfigMap `otel-collector-config`")
    );
    assert_eq!(info[0].span.map(|s| s.line), Some(7));
}

#[test]
fn the_workload_that_mounts_the_configmap_gives_the_environment() {
    let loaded = load_texts(&[MANIFEST], &[]);
    let c = loaded.graph();
    let exporter = c
        .component(Kind::Exporter, &ComponentId::parse("otlphttp").unwrap())
        .unwrap();
    let endpoint = exporter.config.get("endpoint").unwrap();
    assert!(
        endpoint.is_unknown(),
        "the Deployment sets BACKEND from a Secret, so the default does not apply: {endpoint:?}"
    );
    let note = loaded.with(Code::DeploymentValue);
    assert!(note[0].message.contains("Deployment `otel-collector`"));
    assert_eq!(note[0].span.map(|s| s.line), Some(15));
    let given = load_texts(&[MANIFEST], &[("BACKEND", "https://eu.example.com")]);
    let c = given.graph();
    let exporter = c
        .component(Kind::Exporter, &ComponentId::parse("otlphttp").unwrap())
        .unwrap();
    assert_eq!(
        exporter.config.get("endpoint").and_then(|e| e.as_str()),
        Some("https://eu.example.com"),
        "the user's value wins"
    );
}

#[test]
fn a_quoted_configuration_is_cited_at_its_key_without_showing_it() {
    let manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  relay: \"receivers:\\n  otlp:\\nexporters:\\n  otlphttp:\\n    headers: {x-api: s3cr3t}\\nservice:\\n  pipelines:\\n    logs: {receivers: [otlp], exporters: [nope]}\\n\"\n";
    let loaded = load_texts(&[manifest], &[]);
    let undefined = loaded.with(Code::UndefinedComponent);
    assert_eq!(undefined.len(), 1, "{:?}", loaded.diags);
    assert_eq!(undefined[0].span.map(|s| (s.line, s.col)), Some((5, 3)));
    let shown = crate::diag::render(crate::diag::Format::Human, &loaded.diags, &loaded.files);
    assert!(shown.contains("5 |   relay: ****"), "{shown}");
    assert!(!shown.contains("s3cr3t"), "{shown}");
}

#[test]
fn operator_resources_hold_the_configuration_as_a_mapping_or_a_string() {
    let beta = "apiVersion: opentelemetry.io/v1beta1\nkind: OpenTelemetryCollector\nmetadata:\n  name: gateway\nspec:\n  env:\n    - {name: HOST, value: otlp.example.com}\n  config:\n    receivers:\n      otlp:\n        protocols: {grpc: {}}\n    exporters:\n      otlp:\n        endpoint: ${env:HOST}:4317\n    service:\n      pipelines:\n        traces: {receivers: [otlp], exporters: [otlp]}\n";
    let loaded = load_texts(&[beta], &[]);
    let c = loaded.graph();
    let otlp = c
        .component(Kind::Exporter, &ComponentId::parse("otlp").unwrap())
        .unwrap();
    assert_eq!(
        otlp.config.get("endpoint").and_then(|e| e.as_str()),
        Some("otlp.example.com:4317"),
        "`spec.env` is the collector's environment"
    );
    assert_eq!(
        loaded.files.cite(otlp.span).rsplit('/').next(),
        Some("c0.yaml:13")
    );
    let alpha = "apiVersion: opentelemetry.io/v1alpha1\nkind: OpenTelemetryCollector\nmetadata:\n  name: agent\nspec:\n  mode: daemonset\n  config: |\n    receivers:\n      otlp:\n    exporters:\n      debug:\n    service:\n      pipelines:\n        logs: {receivers: [otlp], exporters: [debug]}\n";
    let loaded = load_texts(&[alpha], &[]);
    let c = loaded.graph();
    assert_eq!(c.pipelines.len(), 1);
    assert_eq!(
        loaded.files.cite(c.pipelines[0].span).rsplit('/').next(),
        Some("c0.yaml:14")
    );
    assert!(
        loaded.with(Code::DeployedConfig)[0]
            .message
            .contains("`spec.config` of OpenTelemetryCollector `agent`")
    );
}

#[test]
fn several_configurations_are_chosen_with_a_suffix() {
    let two = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: agent}\ndata:\n  relay: |\n    receivers: {otlp: {}}\n    exporters: {debug: {}}\n    service: {pipelines: {logs: {receivers: [otlp], exporters: [debug]}}}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: gateway}\ndata:\n  relay: |\n    receivers: {otlp: {}}\n    exporters: {otlphttp: {endpoint: https://x.example.com}}\n    service: {pipelines: {logs: {receivers: [otlp], exporters: [otlphttp]}}}\n";
    let loaded = load_files(&[("k8s.yaml", two)], &["k8s.yaml"], &[]);
    assert!(loaded.collector.is_none());
    assert_eq!(loaded.codes(), [Code::CollectorChoice]);
    let hint = loaded.diags[0].hint.as_deref().unwrap();
    assert!(hint.contains("k8s.yaml#agent/relay`"), "{hint}");
    assert!(hint.contains("k8s.yaml#gateway/relay`"), "{hint}");
    let chosen = load_files(&[("k8s.yaml", two)], &["k8s.yaml#gateway/relay"], &[]);
    let c = chosen.graph();
    assert!(
        c.component(Kind::Exporter, &ComponentId::parse("otlphttp").unwrap())
            .is_some()
    );
    assert!(
        chosen
            .files
            .cite(c.pipelines[0].span)
            .ends_with("k8s.yaml:17"),
        "the file is named without the choice"
    );
    let wrong = load_files(&[("k8s.yaml", two)], &["k8s.yaml#relay"], &[]);
    assert_eq!(wrong.codes(), [Code::CollectorChoice]);
    let plain = load_files(
        &[("c.yaml", crate::collector::testing::GOOD)],
        &["c.yaml#x"],
        &[],
    );
    assert_eq!(plain.codes(), [Code::CollectorChoice]);
}

#[test]
fn a_manifest_without_a_configuration_still_says_where_to_look() {
    let other = "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n---\napiVersion: example.com/v1\nkind: Collector\nspec:\n  config:\n    receivers: {otlp: {}}\n    service: {pipelines: {}}\n";
    let loaded = load_texts(&[other], &[]);
    assert_eq!(loaded.codes(), [Code::MultipleDocuments]);
    let hint = loaded.diags[0].hint.as_deref().unwrap();
    assert!(hint.contains("`spec.config` (line 8)"), "{hint}");
    assert!(hint.contains("save it as its own file"), "{hint}");
}

#[test]
fn unknown_values_stay_unknown_not_guessed() {
    let loaded = load_texts(&[MANIFEST], &[]);
    let c = loaded.graph();
    let exporter = c
        .component(Kind::Exporter, &ComponentId::parse("otlphttp").unwrap())
        .unwrap();
    assert!(matches!(
        &exporter.config.get("endpoint").unwrap().value,
        Value::Unknown(reason) if reason.contains("set when the collector runs")
    ));
}
