//! Values of the opentelemetry-collector Helm chart.

use crate::collector::testing::{load_files, load_texts};
use crate::collector::{ComponentId, Kind, Signal};
use crate::diag::Code;

fn ids(list: &crate::collector::RefList) -> Vec<String> {
    list.refs.iter().map(|r| r.id.to_string()).collect()
}

/// Values that add an exporter, replace the traces pipeline's receivers, delete the default
/// `jaeger` receiver and send every pipeline to the new exporter.
const VALUES: &str = "\
mode: deployment
config:
  receivers:
    jaeger: null
  exporters:
    otlphttp/vendor:
      endpoint: https://otlp.example.com
  service:
    pipelines:
      logs:
        exporters: [otlphttp/vendor]
      metrics:
        exporters: [otlphttp/vendor]
      traces:
        receivers: [otlp]
        exporters: [otlphttp/vendor]
";

#[test]
fn config_is_merged_over_the_charts_defaults() {
    let loaded = load_texts(&[VALUES], &[]);
    let c = loaded.graph();
    let receivers: Vec<String> = c
        .of_kind(Kind::Receiver)
        .map(|r| r.id.to_string())
        .collect();
    assert_eq!(
        receivers,
        ["otlp", "prometheus", "zipkin"],
        "`jaeger: null` deletes the default"
    );
    let exporters: Vec<String> = c
        .of_kind(Kind::Exporter)
        .map(|r| r.id.to_string())
        .collect();
    assert_eq!(exporters, ["debug", "otlphttp/vendor"]);
    let traces = c
        .pipelines
        .iter()
        .find(|p| p.id.signal == Signal::Traces)
        .unwrap();
    assert_eq!(
        ids(&traces.receivers),
        ["otlp"],
        "lists replace, not append"
    );
    assert_eq!(
        ids(&traces.processors),
        ["memory_limiter", "batch"],
        "what the values leave out comes from the defaults"
    );
    // Defaults are cited in otel-dpia's data file, the values in the values file.
    let batch = c
        .component(Kind::Processor, &ComponentId::parse("batch").unwrap())
        .unwrap();
    assert!(
        loaded
            .files
            .cite(batch.span)
            .starts_with("catalogue/helm/opentelemetry-collector.yaml:")
    );
    assert!(
        loaded
            .files
            .cite(traces.receivers.refs[0].span)
            .ends_with("c0.yaml:15")
    );
    let info = loaded.with(Code::DeployedConfig);
    assert_eq!(info.len(), 1);
    assert!(
        info[0].message.contains("version 0.170.0 assumed"),
        "{}",
        info[0].message
    );
    assert!(info[0].message.contains("`config` is merged over"));
}

#[test]
fn the_pods_address_and_fields_are_the_charts_environment() {
    let loaded = load_texts(&[VALUES], &[]);
    let c = loaded.graph();
    let otlp = c
        .component(Kind::Receiver, &ComponentId::parse("otlp").unwrap())
        .unwrap();
    let grpc = otlp.config.get("protocols").unwrap().get("grpc").unwrap();
    assert_eq!(
        grpc.get("endpoint").and_then(|e| e.as_str()),
        Some("pod-ip.invalid:4317")
    );
    assert!(
        loaded.with(Code::UnresolvedReference).is_empty(),
        "the chart sets every variable its defaults use: {:?}",
        loaded.diags
    );
    let runtime = loaded.with(Code::DeploymentValue);
    assert!(!runtime.is_empty());
    assert!(
        runtime
            .iter()
            .all(|d| d.message.contains("service.telemetry"))
    );
}

#[test]
fn extra_envs_are_the_collectors_environment() {
    let values = "mode: deployment\nextraEnvs:\n  - {name: BACKEND, value: https://eu.example.com}\n  - name: TOKEN\n    valueFrom: {secretKeyRef: {name: t, key: t}}\nconfig:\n  exporters:\n    otlphttp:\n      endpoint: ${env:BACKEND}\n      headers: {authorization: \"${env:TOKEN:-none}\"}\n  service:\n    pipelines:\n      logs: {exporters: [otlphttp]}\n";
    let loaded = load_texts(&[values], &[]);
    let c = loaded.graph();
    let e = c
        .component(Kind::Exporter, &ComponentId::parse("otlphttp").unwrap())
        .unwrap();
    assert_eq!(
        e.config.get("endpoint").and_then(|n| n.as_str()),
        Some("https://eu.example.com")
    );
    let auth = e
        .config
        .get("headers")
        .unwrap()
        .get("authorization")
        .unwrap();
    assert!(
        auth.is_unknown(),
        "set from a Secret: the default does not apply"
    );
}

#[test]
fn alternate_config_replaces_the_defaults_also_in_a_subchart() {
    let umbrella = "grafana:\n  enabled: true\nopentelemetry-collector:\n  mode: deployment\n  config:\n    exporters: {ignored: {}}\n  alternateConfig:\n    receivers:\n      otlp:\n        protocols: {grpc: {endpoint: 0.0.0.0:4317}}\n    exporters:\n      otlphttp: {endpoint: https://otlp.example.com}\n    service:\n      pipelines:\n        logs: {receivers: [otlp], exporters: [otlphttp]}\n";
    let loaded = load_texts(&[umbrella], &[]);
    let c = loaded.graph();
    let exporters: Vec<String> = c
        .of_kind(Kind::Exporter)
        .map(|r| r.id.to_string())
        .collect();
    assert_eq!(
        exporters,
        ["otlphttp"],
        "no default is merged, `config` is ignored"
    );
    assert_eq!(c.pipelines.len(), 1);
    let info = loaded.with(Code::DeployedConfig);
    assert!(info[0].message.contains("under `opentelemetry-collector:`"));
    assert!(
        info[0]
            .message
            .contains("`alternateConfig` is the configuration")
    );
    assert_eq!(info[0].span.map(|s| s.line), Some(7));
}

#[test]
fn a_subchart_keeps_a_default_set_to_null() {
    let umbrella = "opentelemetry-collector:\n  mode: deployment\n  config:\n    receivers:\n      jaeger: null\n";
    let loaded = load_texts(&[umbrella], &[]);
    let c = loaded.graph();
    assert!(
        c.component(Kind::Receiver, &ComponentId::parse("jaeger").unwrap())
            .is_some()
    );
    let notes: Vec<_> = loaded
        .with(Code::DeployedConfig)
        .into_iter()
        .filter(|d| d.message.contains("config.receivers.jaeger"))
        .collect();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].span.map(|s| s.line), Some(5));
}

#[test]
fn presets_add_their_components_with_unknown_settings() {
    let values = "mode: daemonset\npresets:\n  kubernetesAttributes:\n    enabled: true\n  logsCollection:\n    enabled: true\n  hostMetrics:\n    enabled: false\n";
    let loaded = load_texts(&[values], &[]);
    let c = loaded.graph();
    for p in &c.pipelines {
        assert_eq!(
            p.processors.refs[0].id.to_string(),
            "k8s_attributes",
            "{}",
            p.id
        );
    }
    let k8s = c
        .component(
            Kind::Processor,
            &ComponentId::parse("k8s_attributes").unwrap(),
        )
        .unwrap();
    assert!(k8s.config.is_unknown());
    assert_eq!(
        loaded.files.cite(k8s.span).rsplit('/').next(),
        Some("c0.yaml:4")
    );
    let logs = c
        .pipelines
        .iter()
        .find(|p| p.id.signal == Signal::Logs)
        .unwrap();
    assert_eq!(ids(&logs.receivers), ["otlp", "file_log"]);
    assert_eq!(loaded.with(Code::ChartPreset).len(), 2);
    assert!(
        c.component(Kind::Receiver, &ComponentId::parse("hostmetrics").unwrap())
            .is_none()
    );
}

#[test]
fn templated_values_and_existing_configmaps() {
    let values = "mode: deployment\nconfig:\n  exporters:\n    otlp:\n      endpoint: \"{{ .Release.Name }}-gateway:4317\"\n  service:\n    pipelines:\n      traces: {exporters: [otlp]}\n";
    let loaded = load_texts(&[values], &[]);
    let c = loaded.graph();
    let otlp = c
        .component(Kind::Exporter, &ComponentId::parse("otlp").unwrap())
        .unwrap();
    assert!(otlp.config.get("endpoint").unwrap().is_unknown());
    assert_eq!(
        loaded.with(Code::TemplateValue)[0].span.map(|s| s.line),
        Some(5)
    );
    let existing = "mode: deployment\nconfigMap:\n  create: false\n  existingName: my-config\nconfig:\n  receivers: {otlp: {}}\n";
    let loaded = load_texts(&[existing], &[]);
    assert!(loaded.collector.is_none());
    assert_eq!(loaded.codes(), [Code::NotCollectorConfig]);
    assert!(loaded.diags[0].message.contains("`my-config`"));
}

#[test]
fn several_collectors_in_umbrella_values_are_chosen_with_a_suffix() {
    let two = "a:\n  mode: deployment\n  alternateConfig: {receivers: {otlp: {}}, exporters: {debug: {}}, service: {pipelines: {logs: {receivers: [otlp], exporters: [debug]}}}}\nb:\n  mode: deployment\n  alternateConfig: {receivers: {otlp: {}}, exporters: {debug: {}}, service: {pipelines: {traces: {receivers: [otlp], exporters: [debug]}}}}\n";
    let loaded = load_files(&[("values.yaml", two)], &["values.yaml"], &[]);
    assert_eq!(loaded.codes(), [Code::CollectorChoice]);
    assert!(
        loaded.diags[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("values.yaml#b`")
    );
    let chosen = load_files(&[("values.yaml", two)], &["values.yaml#b"], &[]);
    assert_eq!(chosen.graph().pipelines[0].id.signal, Signal::Traces);
}
