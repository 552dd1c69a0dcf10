//! `otel-dpia graph`.

use super::Report;

/// Arguments of `otel-dpia graph`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The deployment to read.
    #[command(flatten)]
    pub inputs: super::InputArgs,
}

/// Runs the command.
pub fn run(args: &Args) -> Report {
    let loaded = super::load_inputs(&args.inputs);
    Report {
        files: loaded.files,
        diagnostics: loaded.diagnostics,
        ..Report::default()
    }
}
