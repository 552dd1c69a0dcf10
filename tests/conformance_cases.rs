//! Runs the 96 conformance cases taken from the collector's own processor unit tests
//! (`shared/collector/cases/*.json`) through the simulation engine and compares the
//! result with what the collector's tests assert.
//!
//! Attribute-engine cases run four ways (log, span and datapoint attributes through the
//! `attributes` processor, and resource attributes through the `resource` processor),
//! because the collector shares one engine between them. Redaction cases on record
//! attributes run on spans, logs and datapoints.

mod common;

use std::path::Path;

use otel_dpia::files::Files;
use otel_dpia::otlp::*;
use otel_dpia::simulate::{ProcessorType, SimError, simulate_pipeline};
use otel_dpia::tree::{Node, parse_json};
use serde_json::Value as J;

/// Cases where this engine knowingly differs from the upstream assertion, with why.
/// None so far: every case must pass.
const EXPECTED_DEVIATIONS: &[&str] = &[];

fn load(dir: &Path, file: &str) -> Vec<J> {
    let text = std::fs::read_to_string(dir.join("collector/cases").join(file))
        .expect("case file readable");
    serde_json::from_str::<Vec<J>>(&text).expect("case file is a JSON list")
}

/// The case's `config` object as a spanned config tree, read the way collector configs
/// are read.
fn config_node(config: &J) -> Node {
    let mut files = Files::new();
    let id = files.add(
        "case-config.json",
        serde_json::to_string_pretty(config).unwrap(),
    );
    let mut diags = otel_dpia::diag::Diagnostics::new();
    parse_json(&files, id, &mut diags).expect("case config parses")
}

fn attrs(v: Option<&J>) -> Attributes {
    match v {
        Some(J::Object(m)) => Attributes::from_pairs(
            m.iter()
                .map(|(k, v)| (k.clone(), AnyValue::from_raw_json(v))),
        ),
        _ => Attributes::new(),
    }
}

fn sorted(a: &Attributes) -> Vec<(String, AnyValue)> {
    let mut v: Vec<(String, AnyValue)> =
        a.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
    v.sort_by(|x, y| x.0.cmp(&y.0));
    v
}

fn same(a: &Attributes, b: &Attributes) -> bool {
    sorted(a) == sorted(b)
}

fn logs_with(resource: Attributes, record: Attributes) -> Telemetry {
    Telemetry::Logs(vec![ResourceLogs {
        resource: Resource {
            attributes: resource,
            ..Default::default()
        },
        scope_logs: vec![ScopeLogs {
            log_records: vec![LogRecord {
                attributes: record,
                ..Default::default()
            }],
            ..Default::default()
        }],
        ..Default::default()
    }])
}

fn spans_with(resource: Attributes, record: Attributes, event: Attributes) -> Telemetry {
    Telemetry::Traces(vec![ResourceSpans {
        resource: Resource {
            attributes: resource,
            ..Default::default()
        },
        scope_spans: vec![ScopeSpans {
            spans: vec![Span {
                name: "span".into(),
                attributes: record,
                events: vec![SpanEvent {
                    name: "event".into(),
                    attributes: event,
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        }],
        ..Default::default()
    }])
}

fn metrics_with(resource: Attributes, record: Attributes) -> Telemetry {
    Telemetry::Metrics(vec![ResourceMetrics {
        resource: Resource {
            attributes: resource,
            ..Default::default()
        },
        scope_metrics: vec![ScopeMetrics {
            metrics: vec![Metric {
                name: "metric".into(),
                gauge: Some(Gauge {
                    data_points: vec![NumberDataPoint {
                        attributes: record,
                        as_int: Some(1),
                        ..Default::default()
                    }],
                }),
                ..Default::default()
            }],
            ..Default::default()
        }],
        ..Default::default()
    }])
}

/// The first record's attributes (log, span or datapoint).
fn record_attrs(t: &Telemetry) -> Attributes {
    match t {
        Telemetry::Logs(r) => r[0].scope_logs[0].log_records[0].attributes.clone(),
        Telemetry::Traces(r) => r[0].scope_spans[0].spans[0].attributes.clone(),
        Telemetry::Metrics(r) => r[0].scope_metrics[0].metrics[0]
            .gauge
            .as_ref()
            .unwrap()
            .data_points[0]
            .attributes
            .clone(),
    }
}

fn resource_attrs(t: &Telemetry) -> Attributes {
    match t {
        Telemetry::Logs(r) => r[0].resource.attributes.clone(),
        Telemetry::Traces(r) => r[0].resource.attributes.clone(),
        Telemetry::Metrics(r) => r[0].resource.attributes.clone(),
    }
}

fn event_attrs(t: &Telemetry) -> Attributes {
    match t {
        Telemetry::Traces(r) => r[0].scope_spans[0].spans[0].events[0].attributes.clone(),
        _ => unreachable!(),
    }
}

fn run(kind: &str, config: &Node, data: Telemetry) -> Result<Telemetry, SimError> {
    simulate_pipeline(&[(ProcessorType::from_type_name(kind), config)], data)
}

/// Checks a partial assertion: listed keys present with their values, others absent,
/// and the attribute count when given.
fn check_partial(got: &Attributes, expected: &J) -> Result<(), String> {
    for (k, v) in expected["present_with_value"]
        .as_object()
        .into_iter()
        .flatten()
    {
        let want = AnyValue::from_raw_json(v);
        if got.get(k) != Some(&want) {
            return Err(format!("`{k}`: expected {want:?}, got {:?}", got.get(k)));
        }
    }
    for k in expected["absent"].as_array().into_iter().flatten() {
        let k = k.as_str().unwrap();
        if got.contains(k) {
            return Err(format!("`{k}` should be absent, got {:?}", got.get(k)));
        }
    }
    if let Some(n) = expected["attribute_count"].as_u64()
        && got.len() as u64 != n
    {
        return Err(format!(
            "expected {n} attributes, got {}: {:?}",
            got.len(),
            sorted(got)
        ));
    }
    Ok(())
}

fn case_name(case: &J) -> String {
    case["source"]
        .as_str()
        .unwrap()
        .rsplit(".go:")
        .next()
        .unwrap()
        .to_string()
}

fn attraction_case(case: &J) -> Result<(), String> {
    let config = config_node(&case["config"]);
    let input = attrs(case["input"].get("attributes"));
    let want = attrs(case["expected"].get("attributes"));
    let variants: Vec<(&str, Telemetry)> = vec![
        ("logs", logs_with(Attributes::new(), input.clone())),
        (
            "traces",
            spans_with(Attributes::new(), input.clone(), Attributes::new()),
        ),
        ("metrics", metrics_with(Attributes::new(), input.clone())),
    ];
    for (signal, data) in variants {
        let out = run("attributes", &config, data).map_err(|e| format!("{signal}: {e}"))?;
        let got = record_attrs(&out);
        if !same(&got, &want) {
            return Err(format!(
                "{signal}: expected {:?}, got {:?}",
                sorted(&want),
                sorted(&got)
            ));
        }
    }
    // The resource processor runs the same engine on resource attributes.
    let resource_config =
        config_node(&serde_json::json!({ "attributes": case["config"]["actions"] }));
    let out = run(
        "resource",
        &resource_config,
        logs_with(input, Attributes::new()),
    )
    .map_err(|e| format!("resource: {e}"))?;
    let got = resource_attrs(&out);
    if !same(&got, &want) {
        return Err(format!(
            "resource: expected {:?}, got {:?}",
            sorted(&want),
            sorted(&got)
        ));
    }
    Ok(())
}

fn attributes_logs_case(case: &J) -> Result<(), String> {
    let config = config_node(&case["config"]);
    let data = logs_with(
        attrs(case["input"].get("resource_attributes")),
        attrs(case["input"].get("attributes")),
    );
    let out = run("attributes", &config, data).map_err(|e| e.to_string())?;
    let (got, want) = (
        record_attrs(&out),
        attrs(case["expected"].get("attributes")),
    );
    if !same(&got, &want) {
        return Err(format!(
            "attributes: expected {:?}, got {:?}",
            sorted(&want),
            sorted(&got)
        ));
    }
    let (got, want) = (
        resource_attrs(&out),
        attrs(case["expected"].get("resource_attributes")),
    );
    if !same(&got, &want) {
        return Err(format!(
            "resource: expected {:?}, got {:?}",
            sorted(&want),
            sorted(&got)
        ));
    }
    Ok(())
}

fn redaction_resource_case(case: &J) -> Result<(), String> {
    let config = config_node(&case["config"]);
    let input = &case["input"];
    let expected = &case["expected"];
    if case["processor"] == "resource" {
        let data = logs_with(attrs(input.get("resource_attributes")), Attributes::new());
        let out = run("resource", &config, data).map_err(|e| e.to_string())?;
        let (got, want) = (
            resource_attrs(&out),
            attrs(expected.get("resource_attributes")),
        );
        return if same(&got, &want) {
            Ok(())
        } else {
            Err(format!(
                "expected {:?}, got {:?}",
                sorted(&want),
                sorted(&got)
            ))
        };
    }
    if let Some(ev) = input.get("span_event_attributes") {
        let out = run(
            "redaction",
            &config,
            spans_with(Attributes::new(), Attributes::new(), attrs(Some(ev))),
        )
        .map_err(|e| e.to_string())?;
        return check_partial(&event_attrs(&out), expected);
    }
    let record = attrs(input.get("attributes"));
    for data in [
        spans_with(Attributes::new(), record.clone(), Attributes::new()),
        logs_with(Attributes::new(), record.clone()),
        metrics_with(Attributes::new(), record.clone()),
    ] {
        let signal = data.signal();
        let out = run("redaction", &config, data).map_err(|e| format!("{signal}: {e}"))?;
        check_partial(&record_attrs(&out), expected).map_err(|e| format!("{signal}: {e}"))?;
    }
    Ok(())
}

fn log_record(j: &J) -> LogRecord {
    LogRecord {
        body: j
            .get("body")
            .map(AnyValue::from_raw_json)
            .unwrap_or_default(),
        severity_number: j.get("severity_number").and_then(J::as_i64).unwrap_or(0) as i32,
        dropped_attributes_count: j
            .get("dropped_attributes_count")
            .and_then(J::as_u64)
            .unwrap_or(0) as u32,
        flags: j.get("flags").and_then(J::as_u64).unwrap_or(0) as u32,
        attributes: attrs(j.get("attributes")),
        ..Default::default()
    }
}

fn transform_case(case: &J) -> Result<(), String> {
    let config = config_node(&case["config"]);
    let input = &case["input"];
    let records: Vec<LogRecord> = input["logs"]
        .as_array()
        .unwrap()
        .iter()
        .map(log_record)
        .collect();
    let data = Telemetry::Logs(vec![ResourceLogs {
        resource: Resource {
            attributes: attrs(input.get("resource_attributes")),
            ..Default::default()
        },
        scope_logs: vec![ScopeLogs {
            log_records: records,
            ..Default::default()
        }],
        ..Default::default()
    }]);
    let out = run("transform", &config, data).map_err(|e| e.to_string())?;
    let Telemetry::Logs(rls) = &out else {
        unreachable!()
    };
    let want_resource = attrs(case["expected"].get("resource_attributes"));
    if !same(&rls[0].resource.attributes, &want_resource) {
        return Err("resource attributes differ".into());
    }
    let want: Vec<LogRecord> = case["expected"]["logs"]
        .as_array()
        .unwrap()
        .iter()
        .map(log_record)
        .collect();
    let got = &rls[0].scope_logs[0].log_records;
    if got.len() != want.len() {
        return Err(format!(
            "expected {} records, got {}",
            want.len(),
            got.len()
        ));
    }
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        let mut g2 = g.clone();
        g2.attributes = Attributes::new();
        let mut w2 = w.clone();
        w2.attributes = Attributes::new();
        if g2 != w2 || !same(&g.attributes, &w.attributes) {
            return Err(format!("record {i}: expected {w:?}, got {g:?}"));
        }
    }
    Ok(())
}

fn run_file(
    dir: &Path,
    file: &str,
    check: fn(&J) -> Result<(), String>,
    expected_count: usize,
) -> Vec<String> {
    let cases = load(dir, file);
    assert_eq!(cases.len(), expected_count, "{file} case count");
    let mut failures = Vec::new();
    let mut passed = 0;
    for case in &cases {
        let name = case_name(case);
        match check(case) {
            Ok(()) if EXPECTED_DEVIATIONS.contains(&name.as_str()) => {
                failures.push(format!(
                    "{file}: {name}: listed as a deviation but passes; remove it from the list"
                ));
            }
            Ok(()) => passed += 1,
            Err(_) if EXPECTED_DEVIATIONS.contains(&name.as_str()) => {}
            Err(e) => failures.push(format!("{file}: {name}: {e}")),
        }
    }
    println!("{file}: {passed}/{} passed", cases.len());
    failures
}

#[test]
fn all_conformance_cases_pass() {
    let Some(dir) = common::shared_dir() else {
        return;
    };
    let mut failures = Vec::new();
    failures.extend(run_file(
        &dir,
        "attraction_engine.json",
        attraction_case,
        48,
    ));
    failures.extend(run_file(
        &dir,
        "attributes_logs_include_exclude.json",
        attributes_logs_case,
        24,
    ));
    failures.extend(run_file(
        &dir,
        "redaction_resource.json",
        redaction_resource_case,
        15,
    ));
    failures.extend(run_file(
        &dir,
        "transform_logs_sample.json",
        transform_case,
        9,
    ));
    assert!(
        failures.is_empty(),
        "{} failing case(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
