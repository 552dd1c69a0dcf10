//! Loads every configuration of the shared corpus of real collector configurations (public
//! repositories, including the collector's own test data) and checks that none makes the
//! loader panic, that every full configuration gives a graph or says why not, and that every
//! component fragment is recognised as one (or says why not).

use std::collections::BTreeMap;
use std::path::Path;

use otel_dpia::collector::{self, Collector};
use otel_dpia::diag::{Code, Diagnostics, Severity};
use otel_dpia::files::Files;
use otel_dpia::inputs::{CollectorSpec, PathRef};

mod common;
use common::shared_dir;

/// How one corpus file came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    /// A runnable graph with at least one pipeline (or pipelines from an unknown value).
    Graph,
    /// Recognised as a fragment (no `service` section).
    Fragment,
    /// Rejected with at least one error.
    Error,
    /// None of the above and no diagnostics: must not happen.
    Silent,
}

struct Result {
    outcome: Outcome,
    codes: Vec<Code>,
}

/// Loads one file as a collector: the collector, if any, with the files and diagnostics.
fn load_one(path: &Path) -> (Option<Collector>, Files, Diagnostics) {
    let spec = CollectorSpec {
        name: "corpus".into(),
        files: vec![PathRef {
            path: path.to_path_buf(),
            named_at: None,
        }],
        env: Vec::new(),
        serves: Vec::new(),
        named_at: None,
    };
    let mut files = Files::new();
    let mut diags = Diagnostics::new();
    let collector = collector::load(&mut files, &spec, &mut diags);
    (collector, files, diags)
}

fn load(path: &Path) -> Result {
    let (collector, _, diags) = load_one(path);
    let outcome = match &collector {
        _ if diags.has_errors() => Outcome::Error,
        Some(Collector { fragment: true, .. }) => Outcome::Fragment,
        Some(c) if !c.pipelines.is_empty() || c.pipelines_unknown.is_some() => Outcome::Graph,
        _ => Outcome::Silent,
    };
    let codes = diags
        .iter()
        .filter(|d| d.severity >= Severity::Warning || d.code == Code::ConfigFragment)
        .map(|d| d.code)
        .collect();
    Result { outcome, codes }
}

#[test]
fn every_corpus_configuration_loads_or_says_why() {
    let Some(shared) = shared_dir() else {
        println!("skipped: shared material not found (set OTEL_DPIA_SHARED)");
        return;
    };
    let corpus = shared.join("collector/corpus");
    let index = std::fs::read_to_string(corpus.join("INDEX.tsv")).unwrap();
    let kinds: BTreeMap<String, String> = index
        .lines()
        .skip(1)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            Some((cols.first()?.to_string(), cols.get(3)?.to_string()))
        })
        .collect();
    let mut names: Vec<String> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "INDEX.tsv")
        .collect();
    names.sort();
    assert_eq!(
        names.len(),
        kinds.len(),
        "every corpus file is in INDEX.tsv"
    );

    let mut outcomes: BTreeMap<(String, Outcome), usize> = BTreeMap::new();
    let mut codes: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut errors = Vec::new();
    for name in &names {
        let kind = kinds
            .get(name)
            .unwrap_or_else(|| panic!("{name} is not in INDEX.tsv"));
        let result = load(&corpus.join(name));
        *outcomes.entry((kind.clone(), result.outcome)).or_default() += 1;
        for code in &result.codes {
            *codes.entry(code.as_str()).or_default() += 1;
        }
        let ok = match kind.as_str() {
            "full_config" => {
                matches!(result.outcome, Outcome::Graph | Outcome::Error)
                    || !result.codes.is_empty()
            }
            _ => {
                matches!(result.outcome, Outcome::Fragment | Outcome::Error)
                    || !result.codes.is_empty()
            }
        };
        if !ok {
            failures.push(format!("{name} ({kind}): {:?}", result.outcome));
        }
        if kind == "full_config" && result.outcome == Outcome::Error {
            let mut distinct = result.codes.clone();
            distinct.sort();
            distinct.dedup();
            errors.push(format!(
                "{name}: {}",
                distinct
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            ));
        }
    }
    println!("outcomes by INDEX kind: {outcomes:#?}");
    let mut top: Vec<(&str, usize)> = codes.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    println!("diagnostic codes (warnings, errors, fragments): {top:?}");
    println!(
        "full configurations with errors:\n  {}",
        errors.join("\n  ")
    );
    assert!(
        failures.is_empty(),
        "unexplained outcomes:\n{}",
        failures.join("\n")
    );

    let count = |kind: &str, outcome| {
        outcomes
            .get(&(kind.to_string(), outcome))
            .copied()
            .unwrap_or(0)
    };
    // The figures for this corpus; a change means the loader's behaviour changed.
    // 65 graphs: the 61 plain configurations, and 4 read where they are deployed (two
    // Kubernetes ConfigMap manifests, a Helm template of one, and an umbrella chart's
    // values with `opentelemetry-collector.alternateConfig`).
    assert_eq!(count("full_config", Outcome::Graph), 65);
    assert_eq!(count("full_config", Outcome::Error), 9);
    assert_eq!(count("component_fragment", Outcome::Fragment), 126);
    assert_eq!(count("component_fragment", Outcome::Error), 18);
    // Every full configuration that fails, and why it must.
    let expected = [
        // `${file:testdata/…}` names a file only present in the original repository layout.
        "confmap__internal__e2e__testdata__issue-10787-main.yaml: OD303",
        // Merge test scenarios (a list of cases), not a configuration.
        "confmap__testdata__merge-append-scenarios-featuregate-disabled.yaml: OD320",
        "confmap__testdata__merge-append-scenarios.yaml: OD320",
        // The collector's own invalid-configuration tests.
        "otelcol__testdata__otelcol-cyclic-connector.yaml: OD310",
        "otelcol__testdata__otelcol-invalid-components.yaml: OD305",
        "otelcol__testdata__otelcol-invalid-connector-unused-exp.yaml: OD309",
        "otelcol__testdata__otelcol-invalid-connector-unused-rec.yaml: OD309",
        "otelcol__testdata__otelcol-invalid.yaml: OD305",
        // Pipelines use receiver `nop`, which the file never defines.
        "processor__probabilisticsamplerprocessor__testdata__config.yaml: OD305",
    ];
    let mut expected = expected.to_vec();
    expected.sort_unstable();
    assert_eq!(errors, expected);
}

#[test]
fn configurations_read_where_they_are_deployed_give_their_graphs() {
    let Some(shared) = shared_dir() else { return };
    let corpus = shared.join("collector/corpus");
    for (name, exporters) in [
        (
            "cc__KB1SLN-Labs__claude-code-observability__k8s__otel-collector.yaml",
            &["prometheusremotewrite", "loki", "otlp/tempo"][..],
        ),
        (
            "cc__KB1SLN-Labs__claude-code-observability__helm__templates__otel-collector.yaml",
            &[
                "prometheusremotewrite",
                "loki",
                "otlp/tempo",
                "otlphttp/dynatrace",
            ][..],
        ),
        (
            "cc__KubeRocketCI__claude-code-telemetry__deploy-templates__values.yaml",
            &["prometheus", "otlphttp/loki", "debug"][..],
        ),
        ("examples__kubernetes__otel-collector.yaml", &["debug"][..]),
    ] {
        let (c, files, diags) = load_one(&corpus.join(name));
        let c = c.unwrap_or_else(|| panic!("{name}: {diags:?}"));
        assert!(!diags.has_errors(), "{name}: {diags:?}");
        let ids: Vec<String> = c
            .of_kind(collector::Kind::Exporter)
            .map(|e| e.id.to_string())
            .collect();
        assert_eq!(ids, exporters, "{name}");
        assert!(
            diags.iter().any(|d| d.code == Code::DeployedConfig),
            "{name} says which part it read"
        );
        // Every place cited is a line of the file passed (or of the chart defaults).
        for p in &c.pipelines {
            assert_eq!(files.get(p.span.file).path, corpus.join(name));
        }
    }
}
