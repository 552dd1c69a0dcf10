//! Helm templates read without rendering them.

use crate::collector::testing::load_texts;
use crate::collector::{ComponentId, Kind, Signal};
use crate::diag::Code;

/// A templated ConfigMap in the style of a chart's `templates/`: templated metadata, an
/// exporter endpoint computed by an expression, an exporter and a processor that only some
/// renderings have, and a Deployment with templated structure.
pub const TEMPLATE: &str = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-otel
  labels:
    {{- include "chart.labels" . | nindent 4 }}
data:
  relay: |
    receivers:
      otlp:
        protocols:
          grpc:
            endpoint: 0.0.0.0:4317
    processors:
      batch:
      attributes/strip:
        actions:
          - key: user.email
            action: delete
    exporters:
      otlphttp/main:
        endpoint: https://{{ include "chart.backend" . }}/otlp
{{- if .Values.audit.enabled }}
      otlphttp/audit:
        endpoint: https://audit.example.com
{{- end }}
    service:
      pipelines:
        logs:
          receivers: [otlp]
          processors:
{{- if .Values.strip }}
            - attributes/strip
{{- end }}
            - batch
          exporters: [otlphttp/main{{ if .Values.audit.enabled }}, otlphttp/audit{{ end }}]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-otel
spec:
  template:
    spec:
      containers:
        - name: otel
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
      volumes:
        - name: config
          configMap:
            name: {{ .Release.Name }}-otel
"#;

#[test]
fn every_branch_is_read_and_conditional_entries_are_marked() {
    let loaded = load_texts(&[TEMPLATE], &[]);
    assert!(
        !loaded.diags.iter().any(|d| d.is_error()),
        "{:?}",
        loaded.diags
    );
    let c = loaded.graph();
    let logs = c
        .pipelines
        .iter()
        .find(|p| p.id.signal == Signal::Logs)
        .unwrap();
    let exporters: Vec<(String, bool)> = logs
        .exporters
        .refs
        .iter()
        .map(|r| (r.id.to_string(), r.condition.is_some()))
        .collect();
    assert_eq!(
        exporters,
        [
            ("otlphttp/main".to_string(), false),
            ("otlphttp/audit".to_string(), true)
        ]
    );
    let processors: Vec<(String, bool)> = logs
        .processors
        .refs
        .iter()
        .map(|r| (r.id.to_string(), r.condition.is_some()))
        .collect();
    assert_eq!(
        processors,
        [
            ("attributes/strip".to_string(), true),
            ("batch".to_string(), false)
        ]
    );
    // The condition is the `{{- if .Values.strip }}` line, the entry is two lines below.
    let strip = &logs.processors.refs[0];
    assert_eq!(strip.condition.map(|s| s.line), Some(32));
    assert_eq!((strip.span.line, strip.span.col), (33, 15));
    let note = loaded.with(Code::TemplateCondition);
    assert_eq!(note.len(), 1);
    assert_eq!(note[0].span.map(|s| s.line), Some(33));
    assert_eq!(note[0].related[0].span.line, 32);
    let audit = c
        .component(
            Kind::Exporter,
            &ComponentId::parse("otlphttp/audit").unwrap(),
        )
        .unwrap();
    assert_eq!(
        audit.config.get("endpoint").and_then(|e| e.as_str()),
        Some("https://audit.example.com"),
        "a component written wholly under a condition is read as it is"
    );
}

#[test]
fn a_computed_value_is_unknown_and_named_where_it_is_written() {
    let loaded = load_texts(&[TEMPLATE], &[]);
    let c = loaded.graph();
    let main = c
        .component(
            Kind::Exporter,
            &ComponentId::parse("otlphttp/main").unwrap(),
        )
        .unwrap();
    assert!(main.config.get("endpoint").unwrap().is_unknown());
    let d = loaded.with(Code::TemplateValue);
    assert_eq!(d.len(), 1, "{:?}", loaded.diags);
    assert!(
        d[0].message
            .contains("`exporters.otlphttp/main.endpoint` is computed by the template expression `{{ include \"chart.backend\" . }}`"),
        "{}",
        d[0].message
    );
    let at = d[0].span.unwrap();
    assert_eq!((at.line, at.col), (22, 27));
    assert_eq!(at.len, 31);
    assert!(d[0].hint.as_deref().unwrap().contains("helm template"));
    let info = loaded.with(Code::DeployedConfig);
    assert!(
        info[0]
            .message
            .contains("ConfigMap `{{ .Release.Name }}-otel`"),
        "names are shown as the template writes them: {}",
        info[0].message
    );
}

#[test]
fn settings_partly_under_a_condition_make_the_component_unknown() {
    let text = "receivers:\n  otlp:\nprocessors:\n  attributes/strip:\n    actions:\n{{- if .Values.strip }}\n      - {key: user.email, action: delete}\n{{- end }}\n      - {key: team, value: a, action: insert}\nexporters:\n  debug:\nservice:\n  pipelines:\n    logs: {receivers: [otlp], processors: [attributes/strip], exporters: [debug]}\n";
    let loaded = load_texts(&[text], &[]);
    let c = loaded.graph();
    let strip = c
        .component(
            Kind::Processor,
            &ComponentId::parse("attributes/strip").unwrap(),
        )
        .unwrap();
    assert!(strip.config.is_unknown(), "{:?}", strip.config);
    let d = loaded.with(Code::TemplateValue);
    assert_eq!(d[0].span.map(|s| s.line), Some(6));
    assert_eq!(d[0].related[0].span.line, 4);
}

#[test]
fn templates_that_need_rendering_say_so() {
    for (text, line, what) in [
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  relay: |\n    receivers:\n      {{- toYaml .Values.receivers | nindent 6 }}\n    service: {}\n",
            7,
            "writes YAML",
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  relay: |\n    receivers: {otlp: {}}\n    exporters:\n      {{ include \"exporters\" . }}\n    service: {}\n",
            8,
            "writes YAML",
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  relay: |\n    receivers: {otlp: {}}\n    exporters:\n      {{ .Values.name }}/x: {}\n    service: {}\n",
            8,
            "is computed by the template",
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  relay: |\n    receivers: {otlp: {}}\n    exporters:\n      otlp:\n{{- if .Values.tls }}\n        endpoint: https://a:4317\n{{- else }}\n        endpoint: http://a:4317\n{{- end }}\n    service: {}\n",
            12,
            "another branch",
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  relay: |\n{{- if .Values.x }}\n    receivers: {otlp: {}}\n    service: {}\n",
            6,
            "never closed",
        ),
    ] {
        let loaded = load_texts(&[text], &[]);
        assert!(loaded.collector.is_none(), "{text}");
        let d = loaded.with(Code::TemplateUnreadable);
        assert!(!d.is_empty(), "{text}: {:?}", loaded.diags);
        assert_eq!(d[0].span.map(|s| s.line), Some(line), "{text}: {:?}", d[0]);
        assert!(d[0].message.contains(what), "{}", d[0].message);
        assert!(d[0].hint.as_deref().unwrap().contains("helm template"));
    }
}

#[test]
fn a_template_of_the_configuration_itself_is_read_too() {
    let text = "receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: {{ .Values.listen | quote }}\nexporters:\n  debug: {}\nservice:\n  pipelines:\n    logs: {receivers: [otlp], exporters: [debug]}\n";
    let loaded = load_texts(&[text], &[]);
    let c = loaded.graph();
    assert_eq!(c.pipelines.len(), 1);
    assert_eq!(
        loaded.with(Code::TemplateValue)[0].span.map(|s| s.line),
        Some(5)
    );
}
