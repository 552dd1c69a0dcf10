//! `otel-dpia analyze`: the data map — per destination, which records and attributes may
//! arrive, of which category, in which state, and which input line made it so.

use std::fmt::Write as _;

use super::Report;
use crate::analysis::map::{AttrOut, DataMap, DestinationOut, EvidenceOut, RecordOut};
use crate::analysis::run::{analyze, with_diagnostics};

/// Arguments of `otel-dpia analyze`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The deployment to read.
    #[command(flatten)]
    pub inputs: super::InputArgs,

    /// How the data map is printed.
    #[arg(long, value_enum, default_value_t)]
    pub format: AnalyzeFormat,
}

/// Output formats of `otel-dpia analyze`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum AnalyzeFormat {
    /// Per destination, a readable table of what arrives.
    #[default]
    Human,
    /// The data map as JSON (see `schemas/analysis.schema.json`).
    Json,
}

/// Runs the command.
pub fn run(args: &Args) -> Report {
    let mut loaded = super::load_inputs(&args.inputs);
    let analysis = analyze(&loaded.spec, &mut loaded.files, &mut loaded.diagnostics);
    let mut report = Report::default();
    if let Some(a) = analysis {
        report.output = match args.format {
            AnalyzeFormat::Human => human(&a.map),
            AnalyzeFormat::Json => {
                let diags = loaded.diagnostics.clone().into_sorted();
                let map = with_diagnostics(a.map, &diags, &loaded.files);
                serde_json::to_string_pretty(&map).unwrap_or_default() + "\n"
            }
        };
    }
    report.files = loaded.files;
    report.diagnostics = loaded.diagnostics;
    report
}

/// The readable form.
pub fn human(map: &DataMap) -> String {
    let mut out = String::new();
    for s in &map.sources {
        let on = if s.telemetry_enabled { "on" } else { "off" };
        let _ = writeln!(out, "{} {} — OpenTelemetry export {on}", s.name, s.version);
    }
    out.push('\n');
    if map.destinations.is_empty() {
        out.push_str("No data reaches any destination.\n");
    }
    let several = map.sources.len() > 1;
    for d in &map.destinations {
        destination(&mut out, d, several);
    }
    out
}

fn destination(out: &mut String, d: &DestinationOut, several: bool) {
    let leaves = if d.leaves_device {
        "leaves the device"
    } else {
        "stays on the device"
    };
    let _ = writeln!(out, "== {}  [{}, {leaves}]", d.id, d.kind.as_str());
    if let Some(e) = &d.endpoint {
        let _ = writeln!(out, "   endpoint: {e}");
    }
    let _ = writeln!(out, "   route:    {}", d.route.join(" → "));
    for e in &d.evidence {
        let _ = writeln!(out, "   because:  {}", cite(e));
    }
    for r in &d.records {
        record(out, r, several);
    }
    out.push('\n');
}

/// One record; with several sources, prefixed by the agent that sends it.
fn record(out: &mut String, r: &RecordOut, several: bool) {
    let source = if several {
        format!("[{}] ", r.source)
    } else {
        String::new()
    };
    let parent = r
        .parent
        .as_ref()
        .map(|p| format!(" (in span {p})"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "\n   {source}{} {}{parent} — {}",
        r.signal,
        r.name,
        presence(r.presence)
    );
    let width = r
        .attributes
        .iter()
        .map(|a| a.key.chars().count())
        .max()
        .unwrap_or(0);
    for a in &r.attributes {
        attribute(out, a, width);
    }
    for u in &r.unknown_keys {
        let cats: Vec<&str> = u.categories.iter().map(|c| c.key()).collect();
        let _ = writeln!(
            out,
            "     {:width$}  may carry {} — {}",
            "(unknown keys)",
            cats.join(", "),
            u.reason,
            width = width.max(14)
        );
    }
    for rm in &r.removed {
        let why = rm.evidence.last().map(cite).unwrap_or_default();
        let _ = writeln!(
            out,
            "     {:width$}  removed — {why}",
            rm.key,
            width = width.max(14)
        );
    }
}

fn attribute(out: &mut String, a: &AttrOut, width: usize) {
    let state = serde_json::to_value(a.state)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let why = a.evidence.iter().map(cite).collect::<Vec<_>>().join("; ");
    let _ = writeln!(
        out,
        "     {:width$}  {:26} {:11} {:6} {why}",
        a.key,
        a.category.key(),
        state,
        presence(a.presence),
    );
}

fn presence(p: crate::analysis::shape::Presence) -> &'static str {
    match p {
        crate::analysis::shape::Presence::Always => "always",
        crate::analysis::shape::Presence::Maybe => "maybe",
    }
}

fn cite(e: &EvidenceOut) -> String {
    match (&e.file, e.line) {
        (Some(f), Some(l)) => format!("{f}:{l} {}", e.what),
        _ => e.what.clone(),
    }
}
