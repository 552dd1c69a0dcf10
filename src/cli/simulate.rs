//! `otel-dpia simulate`: captured OTLP (e.g. a fixture's `raw/logs-1.json`, a protobuf
//! request as an exporter sent it, or a folder `receive` wrote) run through the
//! deployment's collectors, printing what each destination would receive. It shows on real
//! records what `analyze` states for every possible record.

use std::path::PathBuf;

use super::Report;
use crate::analysis::endpoint::HostPort;
use crate::analysis::reach::{Transport, collectors_for};
use crate::analysis::walk::load_collectors;
use crate::diag::{Code, Diagnostic};
use crate::otlp::{load_captures, write_request};
use crate::simulate::route::{Received, route};
use crate::sources;

/// Arguments of `otel-dpia simulate`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The deployment to read.
    #[command(flatten)]
    pub inputs: super::InputArgs,

    /// An OTLP export request to send through the deployment: OTLP/JSON or protobuf, or a
    /// folder of them (every `*.json`, `*.pb`, `*.binpb`, `*.protobuf`, in name order, such
    /// as `receive --out` writes) (repeatable).
    #[arg(long = "otlp", value_name = "FILE|DIR", required = true)]
    pub otlp: Vec<PathBuf>,

    /// Write one `<destination>.<signal>.json` per destination into this folder instead of
    /// printing.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Runs the command.
pub fn run(args: &Args) -> Report {
    let mut loaded = super::load_inputs(&args.inputs);
    let (files, diags) = (&mut loaded.files, &mut loaded.diagnostics);
    let collectors = load_collectors(&loaded.spec.collectors, files, diags);
    let settings = sources::sources_of(&loaded.spec)
        .first()
        .and_then(|s| sources::resolve(s, &loaded.spec, files, diags));
    let mut received: Vec<Received> = Vec::new();
    for capture in load_captures(&args.otlp, files, diags) {
        let data = capture.data;
        let shown = files.get(capture.file).display.clone();
        let export = settings.as_ref().and_then(|s| {
            s.signals
                .iter()
                .find(|x| x.signal.as_str() == data.signal() && x.exported)
        });
        let endpoint = export
            .and_then(|x| x.endpoint.as_ref())
            .map(|e| e.url.clone());
        let transport = export
            .and_then(|x| x.protocol.as_ref())
            .and_then(|p| Transport::of_protocol(&p.value));
        let hp = endpoint.as_deref().and_then(HostPort::parse);
        let mut entry: Vec<usize> = hp
            .as_ref()
            .map(|h| collectors_for(&collectors, h, transport))
            .unwrap_or_default()
            .into_iter()
            .map(|r| r.collector)
            .collect();
        if hp.is_none() && !collectors.is_empty() {
            entry.push(0);
        }
        match (entry.is_empty(), hp) {
            (false, _) => {
                for ci in entry {
                    received.extend(route(&collectors, ci, data.clone(), diags));
                }
            }
            (true, Some(hp)) => received.push(Received {
                id: format!("direct:{hp}"),
                route: vec![format!("direct:{hp}")],
                data,
            }),
            (true, None) => diags.push(
                Diagnostic::new(
                    Code::Usage,
                    format!("nothing receives the {} of `{shown}`", data.signal()),
                )
                .hint("give the collector (`--collector`) or the settings that export this signal"),
            ),
        }
    }
    let mut report = Report::default();
    if !loaded.diagnostics.has_errors() {
        report.output = match &args.out {
            Some(dir) => write_all(dir, &received, &mut loaded.diagnostics),
            None => print_all(&received),
        };
    }
    report.files = loaded.files;
    report.diagnostics = loaded.diagnostics;
    report
}

fn print_all(received: &[Received]) -> String {
    let items: Vec<serde_json::Value> = received
        .iter()
        .map(|r| {
            let otlp: serde_json::Value = serde_json::from_str(&write_request(&r.data)).unwrap_or_default();
            serde_json::json!({ "id": r.id, "signal": r.data.signal(), "route": r.route, "otlp": otlp })
        })
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({ "destinations": items })).unwrap_or_default()
        + "\n"
}

fn write_all(
    dir: &std::path::Path,
    received: &[Received],
    diags: &mut crate::diag::Diagnostics,
) -> String {
    let mut out = String::new();
    for r in received {
        let safe: String =
            r.id.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
        let path = dir.join(format!("{safe}.{}.json", r.data.signal()));
        match crate::output::write_atomic(&path, write_request(&r.data).as_bytes()) {
            Ok(()) => out.push_str(&format!("{}: wrote {}\n", r.id, path.display())),
            Err(d) => diags.push(d),
        }
    }
    out
}
