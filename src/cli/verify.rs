//! `otel-dpia verify`: captured OTLP held against the data map of one destination. Exit 0
//! when everything that arrived is covered, 1 when something arrived that the map (and so
//! the documents) say does not, or arrived more exposed.

use std::path::PathBuf;

use super::Report;
use crate::analysis::map::DestinationOut;
use crate::analysis::run::analyze;
use crate::diag::{Code, Diagnostic};
use crate::otlp::load_captures;
use crate::verify::{Verifier, human};

/// The `--destination` that means "what the client sends, before any collector".
const CLIENT: &str = "client";

/// Arguments of `otel-dpia verify`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The deployment to read.
    #[command(flatten)]
    pub inputs: super::InputArgs,

    /// A captured OTLP export request (JSON or protobuf), or a folder of them such as
    /// `receive` writes (repeatable).
    #[arg(long = "otlp", value_name = "FILE|DIR", required = true)]
    pub otlp: Vec<PathBuf>,

    /// The destination of the data map the captures were taken at (an id as `analyze`
    /// prints it), or `client` for what the coding agent sends before any collector.
    /// Default: the one the client sends to directly, else the only one.
    #[arg(long, value_name = "ID")]
    pub destination: Option<String>,

    /// How the result is printed.
    #[arg(long, value_enum, default_value_t)]
    pub format: VerifyFormat,
}

/// Output formats of `otel-dpia verify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum VerifyFormat {
    /// A readable report.
    #[default]
    Human,
    /// The result as JSON.
    Json,
}

/// Runs the command.
pub fn run(args: &Args) -> Report {
    let mut loaded = super::load_inputs(&args.inputs);
    if args.destination.as_deref() == Some(CLIENT) {
        // What the client sends is what the map says arrives when no collector is between.
        loaded.spec.collectors.clear();
    }
    let analysis = analyze(&loaded.spec, &mut loaded.files, &mut loaded.diagnostics);
    let captures = load_captures(&args.otlp, &mut loaded.files, &mut loaded.diagnostics);
    let mut report = Report::default();
    if let Some(a) = analysis {
        let wanted = args.destination.as_deref().filter(|d| *d != CLIENT);
        match pick(&a.map.destinations, wanted) {
            Ok(dest) => {
                let mut verifier = Verifier::new(dest);
                for c in &captures {
                    verifier.add(&c.data, &loaded.files.get(c.file).display);
                }
                let v = verifier.finish();
                report.failed = !v.passed();
                report.output = match args.format {
                    VerifyFormat::Human => human(&v),
                    VerifyFormat::Json => {
                        serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
                    }
                };
            }
            Err(d) => loaded.diagnostics.push(d),
        }
    }
    report.files = loaded.files;
    report.diagnostics = loaded.diagnostics;
    report
}

/// The destination asked for, or the one the client sends to directly, or the only
/// OpenTelemetry destination; otherwise a usage error naming the choices.
fn pick<'m>(
    all: &'m [DestinationOut],
    wanted: Option<&str>,
) -> Result<&'m DestinationOut, Diagnostic> {
    let otel: Vec<&DestinationOut> = all
        .iter()
        .filter(|d| !d.id.starts_with("vendor:"))
        .collect();
    let ids = || {
        let mut ids: Vec<String> = otel.iter().map(|d| format!("`{}`", d.id)).collect();
        ids.push(format!("`{CLIENT}`"));
        ids.join(", ")
    };
    if let Some(w) = wanted {
        return all.iter().find(|d| d.id == w).ok_or_else(|| {
            Diagnostic::new(
                Code::Usage,
                format!("the data map has no destination `{w}`"),
            )
            .hint(format!("choose one of {}", ids()))
        });
    }
    let direct: Vec<&DestinationOut> = otel
        .iter()
        .copied()
        .filter(|d| d.id.starts_with("direct:"))
        .collect();
    match (direct.as_slice(), otel.as_slice()) {
        ([one], _) | ([], [one]) => Ok(one),
        ([], []) => Err(Diagnostic::new(
            Code::Usage,
            "no OpenTelemetry data reaches any destination under these inputs, so nothing can be verified".to_string(),
        )
        .hint("check that the inputs switch telemetry on, or give `--destination client`")),
        _ => Err(Diagnostic::new(
            Code::Usage,
            "the data map has several destinations; say which one the captures were taken at".to_string(),
        )
        .hint(format!("add `--destination` with one of {}", ids()))),
    }
}
