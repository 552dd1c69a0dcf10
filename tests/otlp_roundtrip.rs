//! OTLP/JSON reading and writing on the real captures of the coding agents' exports
//! (`shared/{claude-code,codex,gemini-cli}/fixtures/*/*/raw/*.json`).

mod common;

use std::path::{Path, PathBuf};

use otel_dpia::otlp::{AnyValue, Telemetry, proto, read_capture, read_request, write_request};

fn raw_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = ["claude-code", "codex", "gemini-cli"]
        .iter()
        .map(|agent| dir.join(agent).join("fixtures"))
        .filter(|d| d.is_dir())
        .collect();
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("fixture folder readable") {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "json")
                && p.components().any(|c| c.as_os_str() == "raw")
                && p.file_name().is_some_and(|n| {
                    let n = n.to_string_lossy();
                    n.starts_with("logs-") || n.starts_with("metrics-") || n.starts_with("traces-")
                })
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_raw_capture_reads_writes_and_reads_back_identically() {
    let Some(dir) = common::shared_dir() else {
        return;
    };
    let files = raw_files(&dir);
    assert!(
        files.len() >= 90,
        "expected the raw captures, found {}",
        files.len()
    );
    let mut signals = [0usize; 3];
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let data = read_request(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        signals[match data {
            Telemetry::Logs(_) => 0,
            Telemetry::Metrics(_) => 1,
            Telemetry::Traces(_) => 2,
        }] += 1;
        let written = write_request(&data);
        let again = read_request(&written).unwrap();
        assert_eq!(
            again,
            data,
            "{}: the model changed through a write",
            f.display()
        );
        assert_eq!(
            write_request(&again),
            written,
            "{}: writing is not stable",
            f.display()
        );
    }
    println!(
        "raw captures: {} (logs {}, metrics {}, traces {})",
        files.len(),
        signals[0],
        signals[1],
        signals[2]
    );
    assert!(
        signals.iter().all(|n| *n > 0),
        "every signal is covered: {signals:?}"
    );
}

/// Every real capture, sent as protobuf (as the agents' OTLP exporters send it by default),
/// reads back as the same data, and its signal is told by content alone.
#[test]
fn every_raw_capture_reads_the_same_from_protobuf() {
    let Some(dir) = common::shared_dir() else {
        return;
    };
    for f in raw_files(&dir) {
        let data = read_request(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let bytes = proto::encode(&data).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        assert_eq!(
            proto::decode(proto::Signal::of(&data), &bytes).unwrap(),
            data,
            "{}: protobuf changed the data",
            f.display()
        );
        assert_eq!(
            read_capture(&bytes, "capture.pb").unwrap(),
            data,
            "{}: the signal was not told from the bytes",
            f.display()
        );
    }
}

#[test]
fn a_real_log_export_keeps_types_and_fields() {
    let Some(dir) = common::shared_dir() else {
        return;
    };
    let path = dir.join("claude-code/fixtures/2.1.197/vii_traces_beta/raw/logs-1.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let Telemetry::Logs(rls) = read_request(&text).unwrap() else {
        panic!("a logs export")
    };
    let resource = &rls[0].resource.attributes;
    assert_eq!(
        resource.get("service.name"),
        Some(&AnyValue::str("claude-code"))
    );
    let first = &rls[0].scope_logs[0].log_records[0];
    assert!(first.time_unix_nano > 1_700_000_000_000_000_000);
    assert!(matches!(first.body, AnyValue::Str(_)));
    // `event.sequence` is sent as a JSON number; it must stay an int, and be written as
    // the canonical int64 string.
    assert!(matches!(
        first.attributes.get("event.sequence"),
        Some(AnyValue::Int(_))
    ));
    let written = write_request(&Telemetry::Logs(rls.clone()));
    assert!(
        written.contains("\"intValue\": \""),
        "int64 written as a string"
    );
    // Every source attribute key is still in the output.
    let raw: serde_json::Value = serde_json::from_str(&text).unwrap();
    let keys = raw["resourceLogs"][0]["scopeLogs"][0]["logRecords"][0]["attributes"]
        .as_array()
        .unwrap();
    for k in keys {
        let k = k["key"].as_str().unwrap();
        assert!(
            written.contains(&format!("\"key\": \"{k}\"")),
            "{k} missing"
        );
    }
}

#[test]
fn a_real_trace_export_keeps_spans_events_and_arrays() {
    let Some(dir) = common::shared_dir() else {
        return;
    };
    let path = dir.join("claude-code/fixtures/2.1.197/vii_traces_beta/raw/traces-1.json");
    let Telemetry::Traces(rss) = read_request(&std::fs::read_to_string(&path).unwrap()).unwrap()
    else {
        panic!("a traces export")
    };
    let span = &rss[0].scope_spans[0].spans[0];
    assert_eq!(span.name, "claude_code.llm_request");
    assert_eq!(span.kind, 1);
    assert_eq!(span.trace_id.len(), 32);
    assert!(matches!(
        span.attributes.get("success"),
        Some(AnyValue::Bool(true))
    ));
    assert!(
        matches!(span.attributes.get("gen_ai.response.finish_reasons"), Some(AnyValue::Array(a)) if a.len() == 1)
    );
    assert_eq!(span.events[0].name, "gen_ai.request.attempt");
}

#[test]
fn bad_input_names_line_and_column() {
    let e = read_request("{\n  \"resourceLogs\": [\n    {\"resource\": 5}\n  ]\n}").unwrap_err();
    assert_eq!(e.line, 3, "{e}");
    assert!(e.column > 0);
    let e = read_request("{}").unwrap_err();
    assert!(e.message.contains("exactly one"), "{e}");
    let e = read_request(
        "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":{\"intValue\":\"x\"}}]}]}]}",
    )
    .unwrap_err();
    assert!(e.message.contains("not an int64"), "{e}");
}

#[test]
fn every_value_type_round_trips() {
    let text = r#"{"resourceSpans":[{"resource":{"attributes":[
        {"key":"s","value":{"stringValue":"x"}},
        {"key":"i","value":{"intValue":"-9007199254740993"}},
        {"key":"d","value":{"doubleValue":1.5}},
        {"key":"b","value":{"boolValue":false}},
        {"key":"y","value":{"bytesValue":"AAEC"}},
        {"key":"a","value":{"arrayValue":{"values":[{"intValue":1},{"stringValue":"t"}]}}},
        {"key":"m","value":{"kvlistValue":{"values":[{"key":"k","value":{"doubleValue":2}}]}}},
        {"key":"e","value":{}}
    ]},"scopeSpans":[]}]}"#;
    let data = read_request(text).unwrap();
    let Telemetry::Traces(rss) = &data else {
        panic!()
    };
    let a = &rss[0].resource.attributes;
    assert_eq!(a.get("i"), Some(&AnyValue::Int(-9_007_199_254_740_993)));
    assert_eq!(a.get("d"), Some(&AnyValue::Double(1.5)));
    assert_eq!(a.get("y"), Some(&AnyValue::Bytes(vec![0, 1, 2])));
    assert!(
        matches!(a.get("m"), Some(AnyValue::Map(m)) if m.get("k") == Some(&AnyValue::Double(2.0)))
    );
    assert_eq!(a.get("e"), Some(&AnyValue::Empty));
    assert_eq!(read_request(&write_request(&data)).unwrap(), data);
}
