//! The command line: argument definitions, dispatch, printing and exit codes.
//!
//! Commands return a [`Report`] (the text for standard output and the diagnostics); only
//! [`run`] prints, except `receive`, which prints the addresses it listens on while it runs. Exit codes: 0 fine, 1 a check failed, 2 bad input or usage. With errors
//! nothing is written to standard output, so no half result reaches a pipe or a file.

mod analyze;
mod args;
mod catalogue;
mod check;
mod diff;
mod explain;
mod fix;
mod graph;
mod init;
mod load;
mod receive;
mod render;
mod schema;
mod settings;
mod simulate;
mod verify;

use std::io::Write as _;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use args::{InputArgs, LimitArgs};
pub use load::{Loaded, load_inputs};

use crate::diag::{self, Diagnostics};
use crate::files::Files;

/// Derives a DPIA draft, an employee notice and a works-council pack from the telemetry
/// configuration deployed for AI coding assistants (Claude Code) and the OpenTelemetry
/// Collector behind them.
///
/// Most commands take the project file `dpia.yaml` as their first argument, or the inputs
/// as flags; flags given next to a project file add to or override what it says.
#[derive(Debug, Parser)]
#[command(name = "otel-dpia", version, max_term_width = 100)]
pub struct Cli {
    /// How problems in the inputs are printed (on standard error).
    #[arg(
        long,
        global = true,
        value_enum,
        default_value_t,
        env = "OTEL_DPIA_DIAGNOSTIC_FORMAT"
    )]
    pub diagnostic_format: diag::Format,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the effective telemetry settings every employee's coding agent runs with.
    Settings(settings::Args),
    /// Print the resolved collector graph: receivers, processors, exporters, connectors.
    Graph(graph::Args),
    /// Show which data reaches which destination, in what form, and which line made it so.
    Analyze(analyze::Args),
    /// Run the policy rules; exit 1 when a finding is at or above `--fail-on`.
    Check(check::Args),
    /// Write the DPIA draft, the employee notice and the works-council pack (Markdown, HTML, PDF).
    Render(render::Args),
    /// Tell the employee, in plain words, what the coding agents on this machine send.
    Explain(explain::Args),
    /// Compare two deployments and say what the change sets in motion (Markdown or JSON).
    Diff(diff::Args),
    /// Run captured OTLP (JSON, protobuf, folders) through the collectors: what arrives where.
    Simulate(simulate::Args),
    /// Hold captured OTLP against the data map; exit 1 when something arrived that it does not cover.
    Verify(verify::Args),
    /// Listen for OTLP (HTTP and gRPC) and store every export request as OTLP/JSON.
    Receive(receive::Args),
    /// Write the JSON Schemas of the project file (and other machine formats).
    Schema(schema::Args),
    /// Write a dpia.yaml skeleton for the inputs given, with TODOs for facts only people know.
    Init(init::Args),
    /// Print what a telemetry source can emit: records, attributes, categories, gates.
    Catalogue(catalogue::Args),
    /// Change the configuration so the data map satisfies a policy, and prove it by re-analysis.
    Fix(fix::Args),
}

/// What a command produced.
#[derive(Debug, Default)]
pub struct Report {
    /// Every file read, for rendering diagnostics.
    pub files: Files,
    /// Problems found.
    pub diagnostics: Diagnostics,
    /// Text for standard output (printed only when there are no errors).
    pub output: String,
    /// A check failed (exit code 1) although the inputs were fine.
    pub failed: bool,
}

/// Runs the command line and returns the process exit code.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let format = cli.diagnostic_format;
    let report = dispatch(cli.command);
    finish(report, format)
}

fn dispatch(command: Command) -> Report {
    match command {
        Command::Settings(args) => settings::run(&args),
        Command::Graph(args) => graph::run(&args),
        Command::Schema(args) => schema::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Analyze(args) => analyze::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Render(args) => render::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Simulate(args) => simulate::run(&args),
        Command::Verify(args) => verify::run(&args),
        Command::Receive(args) => receive::run(&args),
        Command::Catalogue(args) => catalogue::run(&args),
        Command::Fix(args) => fix::run(&args),
    }
}

fn finish(report: Report, format: diag::Format) -> ExitCode {
    let has_errors = report.diagnostics.has_errors();
    let diagnostics = report.diagnostics.into_sorted();
    let text = diag::render(format, &diagnostics, &report.files);
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(text.as_bytes());
    if has_errors {
        return ExitCode::from(2);
    }
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(report.output.as_bytes())
        .and_then(|()| stdout.flush())
        .is_err()
    {
        // A closed pipe (`| head`) is not a failure of the tool.
        return ExitCode::SUCCESS;
    }
    if report.failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
