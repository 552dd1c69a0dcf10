//! The protobuf conversion against the OTLP/JSON reader: what protobuf says must read the
//! same as what OTLP/JSON says, bit for bit, and everything accepted must survive a write
//! as OTLP/JSON and a read back.

use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::common::v1 as pc;
use opentelemetry_proto::tonic::logs::v1 as pl;
use prost::Message as _;

use super::*;
use crate::otlp::{AnyValue, OtlpErrorKind, Telemetry, read_request, write_request};

fn kv(key: &str, value: pc::any_value::Value) -> pc::KeyValue {
    pc::KeyValue {
        key: key.to_string(),
        value: Some(pc::AnyValue { value: Some(value) }),
        ..Default::default()
    }
}

fn logs_with(attributes: Vec<pc::KeyValue>, record: pl::LogRecord) -> ExportLogsServiceRequest {
    ExportLogsServiceRequest {
        resource_logs: vec![pl::ResourceLogs {
            resource: Some(opentelemetry_proto::tonic::resource::v1::Resource {
                attributes: vec![kv(
                    "service.name",
                    pc::any_value::Value::StringValue("claude-code".into()),
                )],
                ..Default::default()
            }),
            scope_logs: vec![pl::ScopeLogs {
                scope: Some(pc::InstrumentationScope {
                    name: "com.anthropic.claude_code.events".into(),
                    version: "2.1.330".into(),
                    ..Default::default()
                }),
                log_records: vec![pl::LogRecord {
                    attributes,
                    ..record
                }],
                schema_url: String::new(),
            }],
            schema_url: String::new(),
        }],
    }
}

/// The same record as OTLP/JSON reads it.
const JSON_TWIN: &str = r#"{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"claude-code"}}]},
 "scopeLogs":[{"scope":{"name":"com.anthropic.claude_code.events","version":"2.1.330"},
 "logRecords":[{"timeUnixNano":"18446744073709551615","observedTimeUnixNano":"1","severityNumber":9,"severityText":"INFO",
   "body":{"stringValue":"claude_code.user_prompt"},
   "attributes":[{"key":"int","value":{"intValue":"-9223372036854775808"}},
                 {"key":"double","value":{"doubleValue":0.1}},
                 {"key":"bytes","value":{"bytesValue":"AP8="}},
                 {"key":"dup","value":{"stringValue":"first"}},
                 {"key":"list","value":{"arrayValue":{"values":[{"boolValue":true},{}]}}},
                 {"key":"map","value":{"kvlistValue":{"values":[{"key":"k","value":{"stringValue":"v"}}]}}}],
   "flags":1,"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","eventName":"user_prompt"}]}]}]}"#;

fn sample() -> ExportLogsServiceRequest {
    use pc::any_value::Value as V;
    logs_with(
        vec![
            kv("int", V::IntValue(i64::MIN)),
            kv("double", V::DoubleValue(0.1)),
            kv("bytes", V::BytesValue(vec![0, 255])),
            kv("dup", V::StringValue("first".into())),
            kv(
                "list",
                V::ArrayValue(pc::ArrayValue {
                    values: vec![
                        pc::AnyValue {
                            value: Some(V::BoolValue(true)),
                        },
                        pc::AnyValue { value: None },
                    ],
                }),
            ),
            kv(
                "map",
                V::KvlistValue(pc::KeyValueList {
                    values: vec![kv("k", V::StringValue("v".into()))],
                }),
            ),
        ],
        pl::LogRecord {
            time_unix_nano: u64::MAX,
            observed_time_unix_nano: 1,
            severity_number: 9,
            severity_text: "INFO".into(),
            body: Some(pc::AnyValue {
                value: Some(V::StringValue("claude_code.user_prompt".into())),
            }),
            flags: 1,
            trace_id: vec![
                0x0a, 0xf7, 0x65, 0x19, 0x16, 0xcd, 0x43, 0xdd, 0x84, 0x48, 0xeb, 0x21, 0x1c, 0x80,
                0x31, 0x9c,
            ],
            span_id: vec![0xb7, 0xad, 0x6b, 0x71, 0x69, 0x20, 0x33, 0x31],
            event_name: "user_prompt".into(),
            ..Default::default()
        },
    )
}

#[test]
fn protobuf_reads_as_its_json_twin() {
    let bytes = sample().encode_to_vec();
    let from_proto = decode(Signal::Logs, &bytes).unwrap();
    let from_json = read_request(JSON_TWIN).unwrap();
    assert_eq!(from_proto, from_json);
    // And back: the same protobuf message, and the same bytes.
    let ProtoRequest::Logs(again) = to_proto(&from_proto).unwrap() else {
        panic!("logs stay logs")
    };
    assert_eq!(again, sample());
    assert_eq!(encode(&from_json).unwrap(), bytes);
}

#[test]
fn a_repeated_key_keeps_its_first_place_and_last_value_as_in_json() {
    use pc::any_value::Value as V;
    let req = logs_with(
        vec![
            kv("a", V::IntValue(1)),
            kv("b", V::IntValue(2)),
            kv("a", V::IntValue(3)),
        ],
        pl::LogRecord::default(),
    );
    let Telemetry::Logs(r) = from_logs(req).unwrap() else {
        panic!()
    };
    let attrs = &r[0].scope_logs[0].log_records[0].attributes;
    let pairs: Vec<(&str, &AnyValue)> = attrs.iter().collect();
    assert_eq!(pairs, [("a", &AnyValue::Int(3)), ("b", &AnyValue::Int(2))]);
}

#[test]
fn special_doubles_and_profile_string_references_survive_json() {
    use pc::any_value::Value as V;
    let req = logs_with(
        vec![
            kv("nan", V::DoubleValue(f64::NAN)),
            kv("inf", V::DoubleValue(f64::NEG_INFINITY)),
            kv("neg0", V::DoubleValue(-0.0)),
            kv("ref", V::StringValueStrindex(7)),
        ],
        pl::LogRecord::default(),
    );
    let data = from_logs(req).unwrap();
    let back = read_request(&write_request(&data)).unwrap();
    let Telemetry::Logs(r) = back else { panic!() };
    let a = &r[0].scope_logs[0].log_records[0].attributes;
    assert!(matches!(a.get("nan"), Some(AnyValue::Double(x)) if x.is_nan()));
    assert_eq!(a.get("inf"), Some(&AnyValue::Double(f64::NEG_INFINITY)));
    assert!(
        matches!(a.get("neg0"), Some(AnyValue::Double(x)) if x.to_bits() == (-0.0f64).to_bits())
    );
    assert_eq!(a.get("ref"), Some(&AnyValue::Empty));
}

/// A log body nested `levels` maps deep.
fn nested(levels: usize) -> ExportLogsServiceRequest {
    use pc::any_value::Value as V;
    let mut v = pc::AnyValue {
        value: Some(V::StringValue("x".into())),
    };
    for _ in 0..levels {
        v = pc::AnyValue {
            value: Some(V::KvlistValue(pc::KeyValueList {
                values: vec![pc::KeyValue {
                    key: "k".into(),
                    value: Some(v),
                    ..Default::default()
                }],
            })),
        };
    }
    logs_with(
        Vec::new(),
        pl::LogRecord {
            body: Some(v),
            ..Default::default()
        },
    )
}

#[test]
fn what_is_accepted_reads_back_and_what_is_deeper_is_refused() {
    let mut deepest = None;
    for levels in 0..40 {
        match from_logs(nested(levels)) {
            Ok(data) => {
                let text = write_request(&data);
                assert_eq!(
                    read_request(&text).unwrap(),
                    data,
                    "{levels} levels were accepted but do not read back"
                );
                deepest = Some(levels);
            }
            Err(e) => {
                assert_eq!(e.kind, OtlpErrorKind::TooDeep, "{e}");
                break;
            }
        }
    }
    // The boundary is the JSON reader's: the OTLP/JSON form of one level more is refused
    // there too.
    let deepest = deepest.expect("shallow bodies are accepted");
    assert!(deepest > 20, "only {deepest} levels accepted");
    let json_body = |levels: usize| {
        format!(
            r#"{{"resourceLogs":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"claude-code"}}}}]}},"scopeLogs":[{{"scope":{{}},"logRecords":[{{"body":{}{{"stringValue":"x"}}{}}}]}}]}}]}}"#,
            r#"{"kvlistValue":{"values":[{"key":"k","value":"#.repeat(levels),
            "}]}}".repeat(levels)
        )
    };
    assert!(read_request(&json_body(deepest)).is_ok());
    assert_eq!(
        read_request(&json_body(deepest + 1)).unwrap_err().kind,
        OtlpErrorKind::TooDeep
    );
}

#[test]
fn long_values_are_refused_as_the_json_reader_refuses_them() {
    use pc::any_value::Value as V;
    let long = "x".repeat(crate::limits::MAX_SCALAR_LEN + 1);
    for attr in [
        kv("k", V::StringValue(long.clone())),
        kv(&long, V::BoolValue(true)),
        kv(
            "b",
            V::BytesValue(vec![0; crate::limits::MAX_SCALAR_LEN / 4 * 3 + 1]),
        ),
    ] {
        let e = from_logs(logs_with(vec![attr], pl::LogRecord::default())).unwrap_err();
        assert_eq!(e.kind, OtlpErrorKind::TooLong, "{e}");
    }
    let fits = kv(
        "b",
        V::BytesValue(vec![0; crate::limits::MAX_SCALAR_LEN / 4 * 3]),
    );
    let data = from_logs(logs_with(vec![fits], pl::LogRecord::default())).unwrap();
    assert_eq!(read_request(&write_request(&data)).unwrap(), data);
}

#[test]
fn garbage_is_a_protobuf_error_naming_the_message() {
    let e = decode(Signal::Metrics, b"\x0a\xff\xff\xff").unwrap_err();
    assert_eq!(e.kind, OtlpErrorKind::Protobuf);
    assert!(e.message.contains("ExportMetricsServiceRequest"), "{e}");
}

#[test]
fn ids_that_are_not_hex_have_no_protobuf_form() {
    let mut data = read_request(JSON_TWIN).unwrap();
    if let Telemetry::Logs(r) = &mut data {
        r[0].scope_logs[0].log_records[0].span_id = "xyz".into();
    }
    assert!(encode(&data).unwrap_err().message.contains("`xyz`"));
}

#[test]
fn datapoint_doubles_that_json_numbers_cannot_hold_survive_a_write() {
    use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
    use opentelemetry_proto::tonic::metrics::v1 as pm;
    let point = |x: f64| pm::NumberDataPoint {
        value: Some(pm::number_data_point::Value::AsDouble(x)),
        ..Default::default()
    };
    let req = ExportMetricsServiceRequest {
        resource_metrics: vec![pm::ResourceMetrics {
            resource: Some(Default::default()),
            scope_metrics: vec![pm::ScopeMetrics {
                metrics: vec![
                    pm::Metric {
                        name: "g".into(),
                        data: Some(pm::metric::Data::Gauge(pm::Gauge {
                            data_points: vec![point(f64::NAN), point(f64::INFINITY)],
                        })),
                        ..Default::default()
                    },
                    pm::Metric {
                        name: "h".into(),
                        data: Some(pm::metric::Data::Histogram(pm::Histogram {
                            data_points: vec![pm::HistogramDataPoint {
                                explicit_bounds: vec![1.0, f64::INFINITY],
                                max: Some(f64::NEG_INFINITY),
                                ..Default::default()
                            }],
                            aggregation_temporality: 2,
                        })),
                        ..Default::default()
                    },
                ],
                scope: Some(Default::default()),
                ..Default::default()
            }],
            ..Default::default()
        }],
    };
    let data = from_metrics(req.clone()).unwrap();
    let written = write_request(&data);
    assert!(
        written.contains("\"NaN\"") && written.contains("\"-Infinity\""),
        "{written}"
    );
    let again = read_request(&written).unwrap();
    assert_eq!(write_request(&again), written);
    let ProtoRequest::Metrics(back) = to_proto(&again).unwrap() else {
        panic!("metrics stay metrics")
    };
    assert_eq!(back.encode_to_vec(), req.encode_to_vec(), "the same bits");
}
