//! Each stage against the parse floor. On the collector corpus (every file read as the
//! collector behind a Claude Code client, as `tests/analysis_corpus.rs` does): reading the
//! YAML into `serde_norway::Value` (the floor), into the span-keeping tree, the graph, and
//! the whole analysis. On the bundled examples, through the binary: `analyze`, `check`,
//! and `render` to Markdown and to HTML.

mod support;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use otel_dpia::analysis::run::analyze;
use otel_dpia::diag::Diagnostics;
use otel_dpia::files::Files;
use otel_dpia::inputs::InputSpec;
use otel_dpia::inputs::spec::FlagInputs;
use support::measure::{Cost, Counting, cost, mb, runs_for, show};

#[global_allocator]
static ALLOC: Counting = Counting;

const CLIENT_ENV: &[&str] = &[
    "CLAUDE_CODE_ENABLE_TELEMETRY=1",
    "OTEL_METRICS_EXPORTER=otlp",
    "OTEL_LOGS_EXPORTER=otlp",
    "OTEL_EXPORTER_OTLP_PROTOCOL=grpc",
    "OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4317",
];

fn measured<T>(work: impl FnMut() -> T + Clone) -> Cost {
    let first = cost(1, work.clone());
    cost(runs_for(first.time, Duration::from_secs(4), 30), work)
}

fn spec_for(file: &Path) -> InputSpec {
    let flags = FlagInputs {
        env: CLIENT_ENV.iter().map(|s| s.to_string()).collect(),
        collectors: vec![format!("corpus={}", file.display())],
        ..FlagInputs::default()
    };
    let mut spec = InputSpec::build(None, &flags, &mut Diagnostics::new());
    spec.collectors[0].serves = vec!["http://localhost:4317".into()];
    spec
}

fn corpus() {
    let files = support::corpus();
    if files.is_empty() {
        return;
    }
    let texts: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    let specs: Vec<InputSpec> = files.iter().map(|f| spec_for(f)).collect();
    let floor = measured(|| {
        texts
            .iter()
            .filter(|t| serde_norway::from_str::<serde_norway::Value>(t).is_ok())
            .count()
    });
    let tree = measured(|| {
        texts
            .iter()
            .map(|t| {
                let mut store = Files::new();
                let id = store.add("c.yaml", t.as_str());
                otel_dpia::tree::parse_yaml(&store, id, &mut Diagnostics::new()).is_some()
            })
            .filter(|ok| *ok)
            .count()
    });
    let graph = measured(|| {
        specs
            .iter()
            .filter(|s| {
                let mut store = Files::new();
                otel_dpia::collector::load(&mut store, &s.collectors[0], &mut Diagnostics::new())
                    .is_some()
            })
            .count()
    });
    // The same client with no collector, once per corpus file: the part of the analysis
    // that does not depend on the configuration (settings, catalogue, what the client
    // emits, the data map of its direct export).
    let alone = {
        let mut spec = specs[0].clone();
        spec.collectors.clear();
        spec
    };
    let client = measured(|| {
        (0..specs.len())
            .filter(|_| {
                let mut store = Files::new();
                analyze(&alone, &mut store, &mut Diagnostics::new()).is_some()
            })
            .count()
    });
    let analysis = measured(|| {
        specs
            .iter()
            .filter(|s| {
                let mut store = Files::new();
                analyze(s, &mut store, &mut Diagnostics::new()).is_some()
            })
            .count()
    });
    println!(
        "\nThe collector corpus ({} files), all files per run:\n",
        files.len()
    );
    println!("stage | time | peak | × parse floor");
    println!("---|---|---|---");
    let row = |name: &str, c: Cost| {
        println!(
            "{name} | {} | {} | {:.2}",
            show(c.time),
            mb(c.peak),
            c.time.as_secs_f64() / floor.time.as_secs_f64()
        );
    };
    row("parse floor (`serde_norway::Value`)", floor);
    row("span-keeping tree", tree);
    row("graph (read, merge, substitute, validate)", graph);
    row("the client alone, as often (no collector)", client);
    row("analyze (settings, catalogue, walk, data map)", analysis);
    let collector_part = analysis.time.saturating_sub(client.time);
    println!(
        "analyze minus the client alone | {} | | {:.2}",
        show(collector_part),
        collector_part.as_secs_f64() / floor.time.as_secs_f64()
    );
}

fn binary(dir: &Path, args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_otel-dpia"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn examples() {
    println!("\nThe bundled examples, through the binary (process start included):\n");
    println!("example | analyze | check | render md | render html");
    println!("---|---|---|---|---");
    let out = tempfile::tempdir().unwrap();
    for project in support::examples() {
        let name = project
            .parent()
            .and_then(|p| p.file_name())
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let p = project.to_str().unwrap();
        let dir = support::repo();
        let docs = out.path().join(&name);
        let docs = docs.to_str().unwrap();
        let render = |format: &'static str| {
            let dir = dir.clone();
            move || {
                binary(
                    &dir,
                    &[
                        "render",
                        p,
                        "--out",
                        docs,
                        "--format",
                        format,
                        "--lang",
                        "en",
                        "--date",
                        "2026-12-01",
                    ],
                )
            }
        };
        let a = measured(|| binary(&dir, &["analyze", p, "--format", "json"]));
        let c = measured(|| binary(&dir, &["check", p, "--format", "json"]));
        let md = measured(render("md"));
        let html = measured(render("html"));
        println!(
            "{name} | {} | {} | {} | {}",
            show(a.time),
            show(c.time),
            show(md.time),
            show(html.time)
        );
    }
}

fn main() {
    corpus();
    examples();
}
