//! Every configuration of the collector corpus, analysed as the collector behind a Claude
//! Code client that sends everything it can (prompts, tool details, traces): no panic, a
//! data map whenever the configuration is a runnable collector, and the reasons the
//! analysis had to assume the worst, counted.

mod common;

use std::collections::BTreeMap;

use common::shared_dir;
use otel_dpia::analysis::run::analyze;
use otel_dpia::diag::Diagnostics;
use otel_dpia::files::Files;
use otel_dpia::inputs::InputSpec;
use otel_dpia::inputs::spec::FlagInputs;

const CLIENT_ENV: &[&str] = &[
    "CLAUDE_CODE_ENABLE_TELEMETRY=1",
    "OTEL_METRICS_EXPORTER=otlp",
    "OTEL_LOGS_EXPORTER=otlp",
    "OTEL_TRACES_EXPORTER=otlp",
    "CLAUDE_CODE_ENHANCED_TELEMETRY_BETA=1",
    "OTEL_EXPORTER_OTLP_PROTOCOL=grpc",
    "OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4317",
    "OTEL_LOG_USER_PROMPTS=1",
    "OTEL_LOG_TOOL_DETAILS=1",
];

/// The YAML files of the corpus folder, sorted.
fn corpus_names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml"))
        .collect();
    names.sort();
    names
}

#[test]
fn every_corpus_configuration_analyses_without_panic() {
    let Some(shared) = shared_dir() else { return };
    let dir = shared.join("collector/corpus");
    let names = corpus_names(&dir);
    let (mut maps, mut with_destinations, mut reaching_collector) = (0, 0, 0);
    let mut through_collector: Vec<&str> = Vec::new();
    let mut without_destinations: Vec<&str> = Vec::new();
    let mut codes: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut unmodelled: BTreeMap<String, usize> = BTreeMap::new();
    for name in &names {
        let flags = FlagInputs {
            env: CLIENT_ENV.iter().map(|s| s.to_string()).collect(),
            collectors: vec![format!("corpus={}", dir.join(name).display())],
            ..FlagInputs::default()
        };
        let mut diags = Diagnostics::new();
        let mut files = Files::new();
        let mut spec = InputSpec::build(None, &flags, &mut diags);
        spec.collectors[0].serves = vec![
            "http://localhost:4317".into(),
            "http://localhost:4318".into(),
        ];
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            analyze(&spec, &mut files, &mut diags)
        }));
        let analysis = result.unwrap_or_else(|_| panic!("analysis panicked on {name}"));
        let Some(a) = analysis else { continue };
        maps += 1;
        let otel: Vec<_> = a
            .map
            .destinations
            .iter()
            .filter(|d| !d.id.starts_with("vendor:"))
            .collect();
        if !otel.is_empty() {
            with_destinations += 1;
        } else {
            without_destinations.push(name);
        }
        if otel.iter().any(|d| !d.id.starts_with("direct:")) {
            reaching_collector += 1;
            through_collector.push(name);
        }
        for d in diags.iter() {
            if d.code.as_str().starts_with("OD5") {
                *codes.entry(d.code.as_str()).or_default() += 1;
            }
            if d.code.as_str() == "OD501" {
                let kind = d
                    .message
                    .split('`')
                    .nth(1)
                    .unwrap_or("")
                    .split('/')
                    .next()
                    .unwrap_or("")
                    .to_string();
                *unmodelled.entry(kind).or_default() += 1;
            }
        }
    }
    let mut top: Vec<(String, usize)> = unmodelled.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    top.truncate(12);
    eprintln!(
        "{} corpus files: {maps} data maps, {with_destinations} with OpenTelemetry destinations, {reaching_collector} through the collector; OD5xx {codes:?}; unmodelled processors {top:?}",
        names.len()
    );
    assert_eq!(names.len(), 218, "the corpus has 218 configurations");
    assert_eq!(
        maps,
        names.len(),
        "every file gives a data map (perhaps with unknowns)"
    );
    assert!(
        reaching_collector >= 50,
        "most runnable collectors receive the client's data: {reaching_collector}"
    );
    // Collectors read where they are deployed take the client's data to their exporters.
    for deployed in [
        "cc__KB1SLN-Labs__claude-code-observability__k8s__otel-collector.yaml",
        "cc__KB1SLN-Labs__claude-code-observability__helm__templates__otel-collector.yaml",
        "cc__KubeRocketCI__claude-code-telemetry__deploy-templates__values.yaml",
    ] {
        assert!(through_collector.contains(&deployed), "{deployed}");
    }
    // This ConfigMap's collector reads container log files only (`filelog`, no OTLP
    // receiver): the client's data enters none of its pipelines.
    assert!(without_destinations.contains(&"examples__kubernetes__otel-collector.yaml"));
}

/// The most common real topology, laptops sending to a central gateway by DNS name, with
/// nothing declaring which collector that is: each corpus configuration is either taken to
/// be the gateway (its OTLP receiver listens on every interface on that port and protocol,
/// OD511), or reported as reached by nothing (OD513) while the data goes straight to the
/// named host. Counted for a gRPC and an HTTP client.
#[test]
fn an_undeclared_gateway_is_matched_by_port_and_protocol_or_reported_unreached() {
    let Some(shared) = shared_dir() else { return };
    let dir = shared.join("collector/corpus");
    let names = corpus_names(&dir);
    let mut report = Vec::new();
    for (protocol, endpoint) in [
        ("grpc", "http://otel-gateway.corp.example:4317"),
        ("http/protobuf", "http://otel-gateway.corp.example:4318"),
    ] {
        let (mut assumed, mut unreached, mut elsewhere, mut neither) = (0, 0, 0, 0);
        for name in &names {
            let mut env: Vec<String> = CLIENT_ENV
                .iter()
                .filter(|s| !s.starts_with("OTEL_EXPORTER_OTLP_"))
                .map(|s| s.to_string())
                .collect();
            env.push(format!("OTEL_EXPORTER_OTLP_PROTOCOL={protocol}"));
            env.push(format!("OTEL_EXPORTER_OTLP_ENDPOINT={endpoint}"));
            let flags = FlagInputs {
                env,
                collectors: vec![format!("gw={}", dir.join(name).display())],
                ..FlagInputs::default()
            };
            let mut diags = Diagnostics::new();
            let mut files = Files::new();
            let spec = InputSpec::build(None, &flags, &mut diags);
            let Some(a) = analyze(&spec, &mut files, &mut diags) else {
                neither += 1;
                continue;
            };
            let has = |code: &str| diags.iter().any(|d| d.code.as_str() == code);
            let direct = a
                .map
                .destinations
                .iter()
                .any(|d| d.id.starts_with("direct:otel-gateway.corp.example"));
            match (has("OD511"), has("OD513")) {
                (true, false) => {
                    assumed += 1;
                    assert!(
                        !direct,
                        "{name}: assumed to be the gateway, yet sent past it"
                    );
                    let said = a
                        .map
                        .destinations
                        .iter()
                        .any(|d| d.evidence.iter().any(|e| e.what.starts_with("assumed: ")));
                    assert!(
                        said || a
                            .map
                            .destinations
                            .iter()
                            .all(|d| d.id.starts_with("vendor:")),
                        "{name}: the assumption is evidence at its destinations"
                    );
                }
                (false, true) => {
                    unreached += 1;
                    let listens = diags.iter().any(|d| {
                        d.code.as_str() == "OD513" && d.message.contains("its receivers listen on")
                    });
                    if listens {
                        elsewhere += 1;
                    }
                    assert!(
                        direct,
                        "{name}: unreached, so the data goes to the named host"
                    );
                }
                (false, false) => neither += 1,
                (true, true) => panic!("{name}: both assumed and unreached"),
            }
        }
        report.push(format!(
            "{protocol}: {assumed} assumed to be the gateway, {unreached} reached by nothing ({elsewhere} of them listening on another port, protocol or interface, the rest without an OTLP receiver), {neither} not loadable"
        ));
        assert!(assumed >= 20, "{protocol}: {assumed} assumed");
        assert!(
            elsewhere >= 3,
            "{protocol}: {elsewhere} listening elsewhere"
        );
    }
    eprintln!("{}", report.join("; "));
}
