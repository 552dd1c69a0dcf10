//! How cost grows with the configuration: generated collectors of 10, 100, 1 000 and
//! 10 000 pipeline pairs (`support::generate`), loaded (`graph`) and analysed (`analyze`,
//! with the JSON data map built), each with its wall time and peak memory, and the ratio
//! to the size ten times smaller. Linear growth shows as ratios near 10.
//!
//! `OTEL_DPIA_BENCH_MAX=1000` stops earlier (the largest size takes about half a minute).

mod support;

use std::path::Path;
use std::time::Duration;

use otel_dpia::analysis::run::analyze;
use otel_dpia::diag::Diagnostics;
use otel_dpia::files::Files;
use otel_dpia::inputs::InputSpec;
use otel_dpia::inputs::spec::FlagInputs;
use support::generate;
use support::measure::{Cost, Counting, cost, mb, runs_for, show};

#[global_allocator]
static ALLOC: Counting = Counting;

fn spec(dir: &Path) -> InputSpec {
    let flags = FlagInputs {
        managed_settings: vec![dir.join("managed-settings.json")],
        collectors: vec![format!("gateway={}", dir.join("otelcol.yaml").display())],
        ..FlagInputs::default()
    };
    InputSpec::build(None, &flags, &mut Diagnostics::new())
}

fn graph(spec: &InputSpec) -> usize {
    let mut files = Files::new();
    let mut diags = Diagnostics::new();
    let g = otel_dpia::collector::load(&mut files, &spec.collectors[0], &mut diags);
    g.map_or(0, |g| g.pipelines.len())
}

fn analysis(spec: &InputSpec) -> usize {
    let mut files = Files::new();
    let mut diags = Diagnostics::new();
    let a = analyze(spec, &mut files, &mut diags).expect("the generated deployment analyses");
    serde_json::to_string(&a.map).unwrap().len()
}

fn main() {
    let max: usize = std::env::var("OTEL_DPIA_BENCH_MAX")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("managed-settings.json"), generate::MANAGED).unwrap();
    println!(
        "size (pipelines) | graph | peak | ×time | ×peak | analyze | peak | ×time | ×peak | data map"
    );
    println!("---|---|---|---|---|---|---|---|---|---");
    let mut before: Option<(Cost, Cost)> = None;
    let mut n = 10;
    while n <= max {
        std::fs::write(tmp.path().join("otelcol.yaml"), generate::collector(n)).unwrap();
        let spec = spec(tmp.path());
        let first = cost(1, || graph(&spec));
        let g = cost(runs_for(first.time, Duration::from_secs(3), 20), || {
            graph(&spec)
        });
        let first = cost(1, || analysis(&spec));
        let a = cost(runs_for(first.time, Duration::from_secs(5), 10), || {
            analysis(&spec)
        });
        let json = analysis(&spec);
        let ratio = |now: f64, was: f64| format!("{:.1}", now / was);
        let (gt, gp, at, ap) = match before {
            Some((bg, ba)) => (
                ratio(g.time.as_secs_f64(), bg.time.as_secs_f64()),
                ratio(g.peak as f64, bg.peak as f64),
                ratio(a.time.as_secs_f64(), ba.time.as_secs_f64()),
                ratio(a.peak as f64, ba.peak as f64),
            ),
            None => Default::default(),
        };
        println!(
            "{} | {} | {} | {gt} | {gp} | {} | {} | {at} | {ap} | {}",
            2 * n,
            show(g.time),
            mb(g.peak),
            show(a.time),
            mb(a.peak),
            mb(json)
        );
        before = Some((g, a));
        n *= 10;
    }
}
