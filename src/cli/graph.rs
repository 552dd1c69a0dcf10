//! `otel-dpia graph`: the resolved collector graph, for a person checking what the
//! configuration says before any analysis, or a tool reading the JSON.

use super::Report;
use crate::collector::{self, Collector};
use crate::diag::{Code, Diagnostic};

/// Arguments of `otel-dpia graph`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The deployment to read.
    #[command(flatten)]
    pub inputs: super::InputArgs,

    /// How the graph is printed.
    #[arg(long, value_enum, default_value_t)]
    pub format: GraphFormat,
}

/// Output formats of `otel-dpia graph`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum GraphFormat {
    /// Pipelines, connectors and exporter destinations as readable text.
    #[default]
    Human,
    /// A stable JSON structure (documented in `collector::render::json`).
    Json,
    /// A Graphviz digraph (`dot -Tsvg`).
    Dot,
}

/// Runs the command.
pub fn run(args: &Args) -> Report {
    let mut loaded = super::load_inputs(&args.inputs);
    let mut report = Report::default();
    if loaded.spec.collectors.is_empty() {
        loaded.diagnostics.push(
            Diagnostic::new(Code::Usage, "`otel-dpia graph` needs a collector configuration")
                .hint("pass `--collector otelcol.yaml`, or a project file whose `inputs.collectors` names one"),
        );
    }
    let collectors: Vec<Collector> = loaded
        .spec
        .collectors
        .iter()
        .filter_map(|spec| collector::load(&mut loaded.files, spec, &mut loaded.diagnostics))
        .collect();
    report.output = match args.format {
        GraphFormat::Human => collector::render::human(&collectors, &loaded.files),
        GraphFormat::Json => collector::render::json(&collectors, &loaded.files),
        GraphFormat::Dot => collector::render::dot(&collectors),
    };
    report.files = loaded.files;
    report.diagnostics = loaded.diagnostics;
    report
}
