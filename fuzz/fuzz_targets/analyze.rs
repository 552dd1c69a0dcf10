//! The whole analysis on a fuzzed collector: Claude Code with every signal and content gate
//! on sends to the collector on the laptop port; its configuration is the input, and it may
//! forward to a gateway collector. The data map is built and serialised. This reaches the
//! abstract processors, the walk through pipelines and connectors, and the routing between
//! collectors with whatever configuration the fuzzer makes.
//!
//! Input: the collector's configuration; after a NUL byte, `KEY=VALUE` lines for its
//! `${env:…}`; after a second NUL byte, the gateway's configuration (a plain OTLP relay
//! when absent).
#![no_main]

use libfuzzer_sys::fuzz_target;
use otel_dpia::analysis::run::{analyze, with_diagnostics};
use otel_dpia::diag::Diagnostics;
use otel_dpia::files::Files;
use otel_dpia::inputs::{CollectorSpec, InputSpec};
use otel_dpia_fuzz::{env_pairs, stored, telemetry_env};

const GATEWAY: &str = "receivers:
  otlp:
    protocols:
      http:
        endpoint: 0.0.0.0:4318
exporters:
  otlphttp:
    endpoint: https://otlp.vendor.example
service:
  pipelines:
    logs: {receivers: [otlp], exporters: [otlphttp]}
    metrics: {receivers: [otlp], exporters: [otlphttp]}
    traces: {receivers: [otlp], exporters: [otlphttp]}
";

fuzz_target!(|data: &str| {
    let mut parts = data.splitn(3, '\0');
    let agent = parts.next().unwrap_or_default();
    let env = env_pairs(parts.next().unwrap_or_default());
    let gateway = parts.next().unwrap_or(GATEWAY);
    let mut files = Files::new();
    let mut diags = Diagnostics::new();
    let collector = |files: &mut Files, name: &str, text: &str, serves: &str| CollectorSpec {
        name: name.into(),
        files: vec![stored(files, &format!("{name}.yaml"), text)],
        env: env.clone(),
        serves: vec![serves.into()],
        named_at: None,
    };
    let spec = InputSpec {
        env: telemetry_env(),
        collectors: vec![
            collector(&mut files, "agent", agent, "localhost:4318"),
            collector(&mut files, "gateway", gateway, "gateway.example:4318"),
        ],
        ..InputSpec::default()
    };
    let analysis = analyze(&spec, &mut files, &mut diags);
    if let Some(analysis) = analysis {
        let all: Vec<_> = diags.iter().cloned().collect();
        let map = with_diagnostics(analysis.map, &all, &files);
        serde_json::to_string(&map).expect("the data map serialises");
    }
    otel_dpia_fuzz::check(&files, &diags, false);
});
