//! Generated collector configurations of any size, for measuring how cost grows.
//!
//! The shape is a gateway as large deployments write it: every logs pipeline takes the
//! client's OTLP, runs an `attributes` processor (delete the prompt, hash the e-mail),
//! forwards through its own `forward` connector to a second pipeline that runs a
//! `transform` (one unconditional and one conditional statement), and that pipeline
//! exports to one of four backends. So `n` gives `2n` pipelines, `2n` processors and `n`
//! connectors, and every route ends at a shared exporter (the joins are exercised too).

use std::fmt::Write;

/// The collector configuration with `n` pipeline pairs.
pub fn collector(n: usize) -> String {
    let mut out = String::from(
        "receivers:\n  otlp:\n    protocols:\n      http:\n        endpoint: 127.0.0.1:4318\nprocessors:\n",
    );
    for i in 0..n {
        let _ = write!(
            out,
            "  attributes/a{i}:\n    actions:\n      - key: prompt\n        action: delete\n      - key: user.email\n        action: hash\n  transform/t{i}:\n    log_statements:\n      - context: log\n        statements:\n          - set(attributes[\"team\"], \"t{i}\")\n          - delete_key(attributes, \"tool_input\") where attributes[\"x\"] == \"{i}\"\n"
        );
    }
    out.push_str("connectors:\n");
    for i in 0..n {
        let _ = writeln!(out, "  forward/f{i}: {{}}");
    }
    out.push_str("exporters:\n");
    for j in 0..4 {
        let _ = write!(
            out,
            "  otlphttp/e{j}:\n    endpoint: https://backend{j}.example.com\n"
        );
    }
    out.push_str("service:\n  pipelines:\n");
    for i in 0..n {
        let _ = write!(
            out,
            "    logs/in{i}:\n      receivers: [otlp]\n      processors: [attributes/a{i}]\n      exporters: [forward/f{i}]\n    logs/out{i}:\n      receivers: [forward/f{i}]\n      processors: [transform/t{i}]\n      exporters: [otlphttp/e{}]\n",
            i % 4
        );
    }
    out
}

/// Managed settings that send logs and metrics to the generated collector, prompts on.
pub const MANAGED: &str = r#"{
  "env": {
    "CLAUDE_CODE_ENABLE_TELEMETRY": "1",
    "OTEL_LOGS_EXPORTER": "otlp",
    "OTEL_METRICS_EXPORTER": "otlp",
    "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
    "OTEL_EXPORTER_OTLP_ENDPOINT": "http://localhost:4318",
    "OTEL_LOG_USER_PROMPTS": "1"
  }
}
"#;
