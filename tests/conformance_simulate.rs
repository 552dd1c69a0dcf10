//! The simulation engine on real Claude Code captures: each processor with a realistic
//! configuration, checked against what the collector's documented behaviour implies for
//! those exact records.

mod common;

use std::path::PathBuf;

use otel_dpia::files::Files;
use otel_dpia::otlp::*;
use otel_dpia::simulate::{ProcessorType, SimError, simulate_pipeline};
use otel_dpia::tree::{Node, parse_yaml};

fn fixture(name: &str) -> Option<Telemetry> {
    let dir: PathBuf = common::shared_dir()?;
    let path = dir.join("claude-code/fixtures/2.1.197").join(name);
    Some(
        read_request(&std::fs::read_to_string(path).expect("fixture readable"))
            .expect("fixture parses"),
    )
}

/// A processor config written as YAML, the way it appears in a collector file.
fn config(yaml: &str) -> Node {
    let mut files = Files::new();
    let id = files.add("otelcol.yaml", yaml);
    let mut diags = otel_dpia::diag::Diagnostics::new();
    parse_yaml(&files, id, &mut diags)
        .expect("test YAML parses")
        .remove(0)
}

fn run(kind: &str, yaml: &str, data: Telemetry) -> Result<Telemetry, SimError> {
    let node = config(yaml);
    simulate_pipeline(&[(ProcessorType::from_type_name(kind), &node)], data)
}

fn logs(t: &Telemetry) -> Vec<(&Resource, &LogRecord)> {
    let Telemetry::Logs(rls) = t else {
        panic!("logs expected")
    };
    rls.iter()
        .flat_map(|rl| {
            rl.scope_logs
                .iter()
                .flat_map(move |sl| sl.log_records.iter().map(move |lr| (&rl.resource, lr)))
        })
        .collect()
}

fn body(lr: &LogRecord) -> &str {
    lr.body.as_str().unwrap_or_default()
}

#[test]
fn transform_deletes_hashes_and_masks_prompt_content() {
    let Some(input) = fixture("ii_user_prompts/raw/logs-1.json") else {
        return;
    };
    let out = run(
        "transform",
        r#"
error_mode: ignore
log_statements:
  - delete_key(log.attributes, "prompt") where log.body == "claude_code.user_prompt"
  - set(log.attributes["user.id"], SHA256(log.attributes["user.id"]))
  - replace_pattern(log.attributes["response"], ".+", "REDACTED")
  - context: resource
    statements:
      - keep_keys(attributes, ["service.name"])
"#,
        input.clone(),
    )
    .unwrap();
    let before = logs(&input);
    let after = logs(&out);
    assert_eq!(before.len(), after.len());
    let prompts = after
        .iter()
        .filter(|(_, lr)| body(lr) == "claude_code.user_prompt")
        .count();
    assert!(prompts > 0, "the capture has user prompts");
    for ((_, b), (res, a)) in before.iter().zip(&after) {
        assert!(!a.attributes.contains("prompt"), "prompt removed");
        let raw = b
            .attributes
            .get("user.id")
            .and_then(AnyValue::as_str)
            .unwrap();
        let hashed = a
            .attributes
            .get("user.id")
            .and_then(AnyValue::as_str)
            .unwrap();
        assert_eq!(hashed.len(), 64);
        assert_ne!(hashed, raw);
        if b.attributes.contains("response") {
            assert_eq!(
                a.attributes.get("response"),
                Some(&AnyValue::str("REDACTED"))
            );
        }
        assert_eq!(
            res.attributes.keys().collect::<Vec<_>>(),
            vec!["service.name"]
        );
    }
}

#[test]
fn redaction_defaults_delete_every_attribute_but_not_bodies_or_scopes() {
    let Some(input) = fixture("ii_user_prompts/raw/logs-1.json") else {
        return;
    };
    let out = run("redaction", "null\n", input.clone()).unwrap();
    for ((_, b), (res, a)) in logs(&input).iter().zip(&logs(&out)) {
        assert!(
            res.attributes.is_empty(),
            "service.name and every resource attribute are deleted"
        );
        assert!(a.attributes.is_empty());
        assert_eq!(a.body, b.body, "v0.124 leaves the body alone");
    }
    let Telemetry::Logs(rls) = &out else {
        unreachable!()
    };
    assert_eq!(
        rls[0].scope_logs[0].scope.name,
        "com.anthropic.claude_code.events"
    );
}

#[test]
fn redaction_summary_names_the_deleted_keys() {
    let Some(input) = fixture("ii_user_prompts/raw/logs-1.json") else {
        return;
    };
    let out = run(
        "redaction",
        "allowed_keys: [event.name, session.id]\nsummary: debug\n",
        input,
    )
    .unwrap();
    let (_, prompt) = *logs(&out)
        .iter()
        .find(|(_, lr)| body(lr) == "claude_code.user_prompt")
        .unwrap();
    let names = prompt
        .attributes
        .get("redaction.redacted.keys")
        .and_then(AnyValue::as_str)
        .unwrap();
    assert!(
        names.split(',').any(|k| k == "prompt"),
        "the summary leaks the deleted key's name: {names}"
    );
    assert!(!prompt.attributes.contains("prompt"));
    assert!(prompt.attributes.contains("session.id"));
}

#[test]
fn filter_drops_matching_records_and_empty_containers() {
    let Some(input) = fixture("ii_user_prompts/raw/logs-1.json") else {
        return;
    };
    let total = logs(&input).len();
    let prompts = logs(&input)
        .iter()
        .filter(|(_, lr)| body(lr) == "claude_code.user_prompt")
        .count();
    let out = run(
        "filter",
        "logs:\n  log_record:\n    - body == \"claude_code.user_prompt\"\n",
        input.clone(),
    )
    .unwrap();
    assert_eq!(logs(&out).len(), total - prompts);
    assert!(
        logs(&out)
            .iter()
            .all(|(_, lr)| body(lr) != "claude_code.user_prompt")
    );
    // Legacy form, same effect.
    let legacy = run(
        "filter",
        "logs:\n  exclude:\n    match_type: strict\n    bodies: [claude_code.user_prompt]\n",
        input.clone(),
    )
    .unwrap();
    assert_eq!(legacy, out);
    // Dropping everything leaves nothing for the exporter.
    let all = run("filter", "logs:\n  log_record: ['true']\n", input).unwrap();
    assert!(all.is_empty());
}

#[test]
fn filter_metrics_by_name_and_datapoint_attribute() {
    let Some(input) = fixture("ii_user_prompts/raw/metrics-1.json") else {
        return;
    };
    let names = |t: &Telemetry| -> Vec<String> {
        let Telemetry::Metrics(rms) = t else { panic!() };
        rms.iter()
            .flat_map(|r| {
                r.scope_metrics
                    .iter()
                    .flat_map(|s| s.metrics.iter().map(|m| m.name.clone()))
            })
            .collect()
    };
    assert!(names(&input).contains(&"claude_code.session.count".to_string()));
    let out = run(
        "filter",
        "metrics:\n  metric:\n    - name == \"claude_code.session.count\"\n",
        input.clone(),
    )
    .unwrap();
    assert!(!names(&out).contains(&"claude_code.session.count".to_string()));
    assert_eq!(names(&out).len(), names(&input).len() - 1);
    // Every datapoint carries user.id, so dropping those drops every metric.
    let out = run(
        "filter",
        "metrics:\n  datapoint:\n    - attributes[\"user.id\"] != nil\n",
        input,
    )
    .unwrap();
    assert!(out.is_empty());
}

#[test]
fn error_mode_decides_between_dropping_the_batch_and_skipping_the_statement() {
    let Some(input) = fixture("ii_user_prompts/raw/logs-1.json") else {
        return;
    };
    // The body is a string, so indexing it fails on every record.
    let stmt = "log_statements:\n  - set(log.attributes[\"x\"], log.body[\"k\"])\n";
    let err = run("transform", stmt, input.clone()).unwrap_err();
    assert!(
        matches!(&err, SimError::Dropped { span: Some(s), .. } if s.line == 2),
        "{err}"
    );
    let out = run(
        "transform",
        &format!("error_mode: ignore\n{stmt}"),
        input.clone(),
    )
    .unwrap();
    assert_eq!(out, input, "the failing statement is skipped");
}

#[test]
fn set_with_a_missing_value_does_not_remove_the_target() {
    let Some(input) = fixture("ii_user_prompts/raw/logs-1.json") else {
        return;
    };
    let out = run(
        "transform",
        "log_statements:\n  - set(log.attributes[\"user.id\"], log.attributes[\"no.such.key\"])\n",
        input.clone(),
    )
    .unwrap();
    assert_eq!(out, input);
}

#[test]
fn groupbyattrs_moves_session_id_to_the_resource() {
    let Some(input) = fixture("ii_user_prompts/raw/logs-1.json") else {
        return;
    };
    let total = logs(&input).len();
    let out = run("groupbyattrs", "keys: [session.id]\n", input).unwrap();
    let after = logs(&out);
    assert_eq!(after.len(), total, "no record is lost");
    for (res, lr) in &after {
        assert!(!lr.attributes.contains("session.id"));
        assert!(res.attributes.contains("session.id"), "moved, not removed");
        assert!(res.attributes.contains("service.name"));
    }
}

#[test]
fn logdedup_collapses_identical_records_and_counts_them() {
    let Some(input) = fixture("ii_user_prompts/raw/logs-1.json") else {
        return;
    };
    let total = logs(&input).len() as i64;
    let yaml = "exclude_fields: [attributes.event\\.timestamp, attributes.event\\.sequence]\n";
    let out = run("logdedup", yaml, input.clone()).unwrap();
    let after = logs(&out);
    let counted: i64 = after
        .iter()
        .map(|(_, lr)| match lr.attributes.get("log_count") {
            Some(AnyValue::Int(n)) => *n,
            other => panic!("log_count missing: {other:?}"),
        })
        .sum();
    assert_eq!(counted, total, "every input record is counted once");
    assert!(
        after
            .iter()
            .all(|(_, lr)| !lr.attributes.contains("event.timestamp"))
    );
    assert!(
        after
            .iter()
            .all(|(_, lr)| lr.attributes.contains("first_observed_timestamp"))
    );
    // With a condition that matches nothing, records pass through unchanged.
    let none = run(
        "logdedup",
        "conditions: ['body == \"nothing\"']\n",
        input.clone(),
    )
    .unwrap();
    assert_eq!(none, input);
}

#[test]
fn transform_in_span_event_and_datapoint_contexts() {
    let Some(traces) = fixture("vii_traces_beta/raw/traces-1.json") else {
        return;
    };
    let out = run(
        "transform",
        "trace_statements:\n  - set(spanevent.attributes[\"span\"], span.name)\n  - set(span.attributes[\"svc\"], resource.attributes[\"service.name\"])\n",
        traces,
    )
    .unwrap();
    let Telemetry::Traces(rss) = &out else {
        panic!()
    };
    let span = &rss[0].scope_spans[0].spans[0];
    assert_eq!(
        span.attributes.get("svc"),
        Some(&AnyValue::str("claude-code"))
    );
    assert_eq!(
        span.events[0].attributes.get("span"),
        Some(&AnyValue::str(span.name.clone()))
    );
    let Some(metrics) = fixture("ii_user_prompts/raw/metrics-1.json") else {
        return;
    };
    let out = run(
        "transform",
        "metric_statements:\n  - delete_key(datapoint.attributes, \"user.id\")\n",
        metrics,
    )
    .unwrap();
    let Telemetry::Metrics(mut rms) = out else {
        panic!()
    };
    for m in rms.iter_mut().flat_map(|r| {
        r.scope_metrics
            .iter_mut()
            .flat_map(|s| s.metrics.iter_mut())
    }) {
        assert!(
            m.datapoint_attributes_mut()
                .iter()
                .all(|a| !a.contains("user.id"))
        );
    }
}

#[test]
fn attributes_processor_on_selected_metrics_only() {
    let Some(input) = fixture("ii_user_prompts/raw/metrics-1.json") else {
        return;
    };
    let yaml = "include:\n  match_type: regexp\n  metric_names: ['^claude_code\\.token\\.']\nactions:\n  - key: user.id\n    action: delete\n";
    let Telemetry::Metrics(mut rms) = run("attributes", yaml, input).unwrap() else {
        panic!()
    };
    let mut seen = (0, 0);
    for m in rms.iter_mut().flat_map(|r| {
        r.scope_metrics
            .iter_mut()
            .flat_map(|s| s.metrics.iter_mut())
    }) {
        let token = m.name.starts_with("claude_code.token.");
        let has = m
            .datapoint_attributes_mut()
            .iter()
            .all(|a| a.contains("user.id"));
        assert_eq!(has, !token, "{}", m.name);
        if token { seen.0 += 1 } else { seen.1 += 1 }
    }
    assert!(seen.0 > 0 && seen.1 > 0, "both kinds present: {seen:?}");
}

#[test]
fn a_pipeline_is_deterministic_and_runs_in_order() {
    let Some(input) = fixture("vi_all_content/raw/logs-1.json") else {
        return;
    };
    let a = config("actions:\n  - {key: prompt, action: hash}\n  - {key: body, action: delete}\n");
    let b = config("allowed_keys: [prompt, event.name]\nsummary: info\n");
    let batch = config("null\n");
    let pipeline = [
        (ProcessorType::from_type_name("batch"), &batch),
        (ProcessorType::from_type_name("attributes"), &a),
        (ProcessorType::from_type_name("redaction"), &b),
    ];
    let first = simulate_pipeline(&pipeline, input.clone()).unwrap();
    let second = simulate_pipeline(&pipeline, input).unwrap();
    assert_eq!(write_request(&first), write_request(&second));
    for (_, lr) in logs(&first) {
        if let Some(p) = lr.attributes.get("prompt") {
            assert_eq!(
                p.as_str().map(str::len),
                Some(64),
                "hashed before redaction kept it"
            );
        }
        assert!(!lr.attributes.contains("body"));
    }
}

#[test]
fn unknown_processors_and_bad_configs_are_errors_not_identity() {
    let Some(input) = fixture("ii_user_prompts/raw/logs-1.json") else {
        return;
    };
    let err = run("k8sattributes", "null\n", input.clone()).unwrap_err();
    assert!(matches!(err, SimError::NotModelled { .. }), "{err}");
    let err = run(
        "attributes",
        "actions:\n  - key: x\n    action: explode\n",
        input.clone(),
    )
    .unwrap_err();
    assert!(
        matches!(&err, SimError::Config { span, .. } if span.line == 3),
        "{err}"
    );
    let err = run(
        "transform",
        "log_statements:\n  - frobnicate(log.attributes)\n",
        input.clone(),
    )
    .unwrap_err();
    assert!(matches!(err, SimError::NotModelled { .. }), "{err}");
    let err = run(
        "transform",
        "log_statements:\n  - set(log.attributes[\"x\"] 1)\n",
        input.clone(),
    )
    .unwrap_err();
    assert!(
        matches!(&err, SimError::Config { message, .. } if message.contains("column")),
        "{err}"
    );
    let err = run(
        "redaction",
        "allowed_keys: [a]\nurl_sanitization: {enabled: true}\n",
        input,
    )
    .unwrap_err();
    assert!(matches!(err, SimError::NotModelled { .. }), "{err}");
}
