//! `otel-dpia settings`: the effective telemetry settings every employee's coding agent
//! runs with, and where each value comes from.
//!
//! Two formats: `human` for reading and review, `json` (the `EffectiveSettings` of each
//! source, in a fixed key order) for scripts. Neither contains a secret: the structure
//! holds masked values only.

use std::fmt::Write as _;

use super::Report;
use crate::sources::effective::{Endpoint, Gate, SignalExport};
use crate::sources::{self, EffectiveSettings, Provenance, Tier};

/// How the settings are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OutputFormat {
    /// Sections for people: telemetry, signals, gates, vendor traffic, environment.
    #[default]
    Human,
    /// `{"sources": [EffectiveSettings, …]}`, stable key order.
    Json,
}

/// Arguments of `otel-dpia settings`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The deployment to read.
    #[command(flatten)]
    pub inputs: super::InputArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}

/// Runs the command.
pub fn run(args: &Args) -> Report {
    let mut loaded = super::load_inputs(&args.inputs);
    let results: Vec<EffectiveSettings> = sources::sources_of(&loaded.spec)
        .iter()
        .filter_map(|s| {
            sources::resolve(s, &loaded.spec, &mut loaded.files, &mut loaded.diagnostics)
        })
        .collect();
    let output = match args.format {
        OutputFormat::Human => results.iter().map(human).collect::<Vec<_>>().join("\n"),
        OutputFormat::Json => json(&results),
    };
    Report {
        files: loaded.files,
        diagnostics: loaded.diagnostics,
        output,
        failed: false,
    }
}

fn json(results: &[EffectiveSettings]) -> String {
    let doc = serde_json::json!({ "sources": results });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

/// The human report of one source.
fn human(s: &EffectiveSettings) -> String {
    let mut out = String::new();
    let checked = if s.version_known {
        "a checked version".to_string()
    } else {
        format!("not checked; behaves as {}", s.assumed_version)
    };
    let _ = writeln!(out, "{} {} ({checked})", s.source_name, s.version);
    let tier = match s.policy_tier {
        Some(Tier::MdmProfile) => "MDM profile",
        Some(t @ (Tier::SystemPolicy | Tier::Requirements)) => t.describe(),
        Some(_) => "managed settings files",
        None => "none",
    };
    let _ = writeln!(out, "Managed tier in force: {tier}");
    let on = if s.telemetry.enabled { "ON" } else { "OFF" };
    let _ = writeln!(out, "\nTelemetry: {on}: {}", s.telemetry.reason);
    out.push_str("\nSignals\n");
    for signal in &s.signals {
        signal_section(&mut out, signal);
    }
    out.push_str("\nContent and identifier gates (* = not fixed by managed settings: the user or a repository's project settings can change it)\n");
    gate_rows(&mut out, &s.gates);
    resource_section(&mut out, s);
    vendor_section(&mut out, s);
    config_section(&mut out, s);
    env_section(&mut out, s);
    out
}

/// For agents configured by settings files: the telemetry keys in force.
fn config_section(out: &mut String, s: &EffectiveSettings) {
    if s.config.is_empty() {
        return;
    }
    out.push_str("\nSettings in force\n");
    for e in &s.config {
        let _ = writeln!(out, "  {}={}  ({})", e.key, e.value, e.provenance);
    }
}

fn signal_section(out: &mut String, s: &SignalExport) {
    let state = if s.exported {
        "exported"
    } else {
        "not exported"
    };
    let _ = writeln!(out, "  {}: {state}: {}", s.signal.as_str(), s.reason);
    if !s.switchable.is_empty() {
        let _ = writeln!(
            out,
            "    * not pinned by managed settings: the user's or a repository's settings can export it by setting {}",
            s.switchable.join(" and ")
        );
    }
    if !s.exported && s.endpoint.is_none() {
        return;
    }
    if !s.exporters.is_empty() {
        row(out, "exporters", &s.exporters.join(", "), &s.selected_by);
    }
    if let Some(e) = &s.endpoint {
        endpoint_row(out, "endpoint", e);
    }
    if let Some(p) = &s.protocol {
        row(out, "protocol", &p.value, &p.provenance);
    } else if s.endpoint.is_some() {
        let _ = writeln!(out, "    {:<10} (not set)", "protocol");
    }
    for h in &s.headers {
        let text = format!("{}: {}", h.name, sources::secret::MASK);
        let _ = writeln!(
            out,
            "    {:<10} {text}  ({}, {})",
            "header", h.from, h.provenance
        );
    }
    if let Some(at) = &s.dynamic_headers {
        let _ = writeln!(
            out,
            "    {:<10} set at run time by a helper script ({at})",
            "headers"
        );
    }
    let interval = format!("{} ms", s.interval_ms.value);
    row(out, "interval", &interval, &s.interval_ms.provenance);
    for e in &s.also_to {
        endpoint_row(out, "also to", e);
    }
}

fn row(out: &mut String, label: &str, value: &str, provenance: &Provenance) {
    let _ = writeln!(out, "    {label:<10} {value}  ({provenance})");
}

fn endpoint_row(out: &mut String, label: &str, e: &Endpoint) {
    let source = if e.from == "default" {
        "SDK default".to_string()
    } else {
        format!("{}, {}", e.from, e.provenance)
    };
    let _ = writeln!(out, "    {label:<10} {}  ({source})", e.url);
}

fn gate_rows(out: &mut String, gates: &[Gate]) {
    let width = gates.iter().map(|g| g.name.len()).max().unwrap_or(0);
    for g in gates {
        let from = match &g.provenance {
            Provenance::Default => format!("default ({})", g.default),
            p => p.to_string(),
        };
        let mark = if g.fixed_by_policy { ' ' } else { '*' };
        let _ = writeln!(out, "  {:<width$} {mark} {:<7} {from}", g.name, g.value);
    }
}

fn resource_section(out: &mut String, s: &EffectiveSettings) {
    out.push_str("\nResource attributes\n");
    let name = &s.resource.service_name;
    let _ = writeln!(out, "  service.name={}  ({})", name.value, name.provenance);
    for a in &s.resource.attributes {
        let _ = writeln!(out, "  {}={}  ({})", a.key, a.value, a.provenance);
    }
}

fn vendor_section(out: &mut String, s: &EffectiveSettings) {
    out.push_str("\nVendor traffic (not governed by the OpenTelemetry settings)\n");
    gate_rows(out, &s.vendor.switches);
    for m in &s.vendor.model_api {
        let _ = writeln!(
            out,
            "  model API: {} at {}  ({})",
            m.provider, m.url, m.provenance
        );
    }
    for f in &s.vendor.flows {
        let state = if f.active { "runs" } else { "stopped" };
        let _ = writeln!(
            out,
            "  {}: {state}, to {}: {}",
            f.id, f.destination, f.reason
        );
    }
}

fn env_section(out: &mut String, s: &EffectiveSettings) {
    out.push_str("\nEffective environment\n");
    for e in &s.env {
        let _ = write!(out, "  {}={}  ({})", e.key, e.value, e.provenance);
        if !e.overrode.is_empty() {
            let earlier: Vec<String> = e
                .overrode
                .iter()
                .map(|v| format!("{} from {}", v.value, v.provenance))
                .collect();
            let _ = write!(out, "; overrides {}", earlier.join(", "));
        }
        out.push('\n');
    }
    if !s.dropped.is_empty() {
        out.push_str("\nDropped before the client starts\n");
        for d in &s.dropped {
            let _ = writeln!(
                out,
                "  {}={}  ({}): {}",
                d.key, d.value, d.provenance, d.reason
            );
        }
    }
}
