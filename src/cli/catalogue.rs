//! `otel-dpia catalogue`: prints what a telemetry source can emit at one client version,
//! every record and attribute with its category, kind, gate and default, the versions it
//! applies to and whether it was seen in a capture or only found in code.

use std::fmt::Write as _;

use indexmap::IndexMap;
use serde::Serialize;

use super::Report;
use crate::catalogue::telemetry::{
    self, Attr, AttrKey, Catalogue, GateDefault, GateSpec, KnownVersion, OffSpec, Presence, Record,
    ResolvedVersion, SignalExportSpec,
};
use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::taxonomy::{Category, CategoryInfo};

/// How the catalogue is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OutputFormat {
    /// Readable tables.
    #[default]
    Human,
    /// One JSON document with a stable shape.
    Json,
}

/// Arguments of `otel-dpia catalogue`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The telemetry source and client version, e.g. `claude-code@2.1.330`. Without a
    /// version, the newest version the catalogue was checked against.
    #[arg(long, value_name = "NAME[@VERSION]", default_value = "claude-code")]
    pub source: String,

    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}

/// Runs the command.
pub fn run(args: &Args) -> Report {
    let mut report = Report::default();
    let (name, version) = match args.source.split_once('@') {
        Some((n, v)) => (n.trim(), Some(v.trim())),
        None => (args.source.trim(), None),
    };
    let Some(cat) = load(name, &mut report) else {
        return report;
    };
    let resolved = match cat.resolve_version(version) {
        Ok(r) => r,
        Err(msg) => {
            report.diagnostics.push(
                Diagnostic::new(Code::Usage, format!("--source {}: {msg}", args.source))
                    .hint(format!("write it as `{name}@{}`", newest(&cat))),
            );
            return report;
        }
    };
    if let Some(note) = &resolved.note {
        report.diagnostics.push(
            Diagnostic::new(Code::UnknownSourceVersion, note.clone())
                .hint("add the version to the catalogue after checking its behaviour"),
        );
    }
    report.output = match args.format {
        OutputFormat::Human => human(&cat, &resolved),
        OutputFormat::Json => json(&cat, &resolved),
    };
    report
}

fn newest(cat: &Catalogue) -> String {
    cat.versions()
        .last()
        .map_or_else(String::new, |k| k.version.to_string())
}

fn load(name: &str, report: &mut Report) -> Option<Catalogue> {
    let known = telemetry::builtin_sources();
    match telemetry::builtin(name) {
        Some(Ok(cat)) => Some(cat),
        Some(Err(errs)) => {
            let msg = format!(
                "the built-in catalogue `{name}` is invalid (a defect of otel-dpia): {}",
                errs.join("; ")
            );
            report
                .diagnostics
                .push(Diagnostic::new(Code::UnknownSource, msg));
            None
        }
        None => {
            let hint = match did_you_mean(name, known.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("known sources: {}", known.join(", ")),
            };
            let msg = format!("`{name}` is not a telemetry source in the catalogue");
            report
                .diagnostics
                .push(Diagnostic::new(Code::UnknownSource, msg).hint(hint));
            None
        }
    }
}

// ------------------------------------------------------------------ JSON

/// The JSON document: stable field order, no maps with unordered keys.
#[derive(Serialize)]
struct JsonView<'a> {
    source: &'a str,
    title: &'a str,
    version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    requested_version: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<&'a str>,
    checked_versions: &'a [KnownVersion],
    categories: Vec<&'static CategoryInfo>,
    export: ExportView<'a>,
    gates: IndexMap<&'a str, &'a GateSpec>,
    conditions: IndexMap<&'a str, &'a str>,
    records: Vec<Record>,
}

#[derive(Serialize)]
struct ExportView<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    master: Option<&'a str>,
    signals: IndexMap<&'a str, &'a SignalExportSpec>,
}

fn json(cat: &Catalogue, v: &ResolvedVersion) -> String {
    let view = JsonView {
        source: cat.source(),
        title: cat.title(),
        version: v.used.to_string(),
        requested_version: v.requested.as_deref().filter(|_| !v.exact),
        notes: v.note.iter().map(String::as_str).collect(),
        checked_versions: cat.versions(),
        categories: Category::ALL.iter().map(|c| c.info()).collect(),
        export: ExportView {
            master: cat.export_master(),
            signals: cat.export_signals().collect(),
        },
        gates: cat.gates().collect(),
        conditions: cat.conditions().collect(),
        records: cat.records(&v.used),
    };
    serde_json::to_string_pretty(&view).unwrap_or_default() + "\n"
}

// ------------------------------------------------------------------ human

fn human(cat: &Catalogue, v: &ResolvedVersion) -> String {
    let mut out = format!("{} — {} {}\n", cat.title(), cat.source(), v.used);
    if let Some(note) = &v.note {
        let _ = writeln!(out, "Note: {note}");
    }
    let checked: Vec<String> = cat
        .versions()
        .iter()
        .map(|k| k.version.to_string())
        .collect();
    let _ = writeln!(out, "Checked versions: {}", checked.join(", "));
    out.push_str(
        "Evidence: seen = in a capture of the real client; code = found only in its code.\n",
    );
    section(&mut out, "Signals", &signals_table(cat));
    section(
        &mut out,
        "Gates (settings that switch data on or off)",
        &gates_table(cat),
    );
    for r in cat.records(&v.used) {
        section(&mut out, &record_title(&r), &record_body(cat, &r));
    }
    section(
        &mut out,
        "Conditions (decided by no configuration; make items `maybe`)",
        &conditions_table(cat),
    );
    section(&mut out, "Data categories", &categories_table());
    out
}

fn section(out: &mut String, title: &str, body: &str) {
    let _ = write!(out, "\n{title}\n{body}");
}

fn signals_table(cat: &Catalogue) -> String {
    let master = cat
        .export_master()
        .and_then(|g| cat.gate(g))
        .map_or_else(|| "-".to_string(), |g| g.setting.clone());
    let rows = cat
        .export_signals()
        .map(|(name, s)| {
            let requires: Vec<String> = s.requires.iter().map(|g| setting_of(cat, g)).collect();
            vec![
                name.to_string(),
                s.setting.clone().unwrap_or_else(|| "-".to_string()),
                s.default.clone(),
                master.clone(),
                join_or_dash(&requires),
                s.evidence.as_str().to_string(),
            ]
        })
        .collect();
    table(
        &[
            "SIGNAL",
            "EXPORTER SETTING",
            "DEFAULT",
            "MASTER SWITCH",
            "ALSO NEEDS",
            "EVIDENCE",
        ],
        rows,
    )
}

fn gates_table(cat: &Catalogue) -> String {
    let rows = cat
        .gates()
        .map(|(name, g)| {
            let mut settings = vec![g.setting.clone()];
            settings.extend(g.aliases.iter().cloned());
            vec![
                name.to_string(),
                settings.join(" | "),
                default_text(cat, &g.default),
                g.evidence.as_str().to_string(),
                g.description.clone(),
            ]
        })
        .collect();
    table(&["GATE", "SETTING", "DEFAULT", "EVIDENCE", "EFFECT"], rows)
}

fn default_text(cat: &Catalogue, d: &GateDefault) -> String {
    match d {
        GateDefault::Fixed(true) => "on".into(),
        GateDefault::Fixed(false) => "off".into(),
        GateDefault::SameAs { same_as } => format!("= {}", setting_of(cat, same_as)),
    }
}

/// `OTEL_LOG_USER_PROMPTS (off)`.
fn gate_with_default(cat: &Catalogue, gate: &str) -> String {
    match cat.gate(gate) {
        Some(g) => format!("{} ({})", g.setting, default_text(cat, &g.default)),
        None => gate.to_string(),
    }
}

fn setting_of(cat: &Catalogue, gate: &str) -> String {
    cat.gate(gate)
        .map_or_else(|| gate.to_string(), |g| g.setting.clone())
}

fn record_title(r: &Record) -> String {
    let mut title = format!("{} {}", r.kind.as_str(), r.name);
    if let Some(p) = &r.parent {
        let _ = write!(title, " (in span {p})");
    }
    let _ = write!(
        title,
        " — {} — {} — versions {} — {}",
        r.signal.as_str(),
        presence_text(r.presence, r.condition.as_deref()),
        r.versions.describe(),
        r.evidence.as_str()
    );
    title
}

fn record_body(cat: &Catalogue, r: &Record) -> String {
    let mut out = String::new();
    let mut line = |label: &str, text: String| {
        if !text.is_empty() {
            let _ = writeln!(out, "  {label}: {text}");
        }
    };
    line("about", r.description.clone());
    line("log body", r.body.clone().unwrap_or_default());
    line("unit", r.unit.clone().unwrap_or_default());
    line(
        "value",
        r.value.map(|c| c.key().to_string()).unwrap_or_default(),
    );
    let settings = |gates: &[String]| -> String {
        let list: Vec<String> = gates.iter().map(|g| gate_with_default(cat, g)).collect();
        list.join(", ")
    };
    line("needs", settings(&r.requires));
    line("stopped by", settings(&r.disabled_by));
    line("note", r.note.clone().unwrap_or_default());
    for d in &r.destinations {
        let host = d
            .host
            .clone()
            .or_else(|| d.host_from.as_ref().map(|s| format!("from {s}")));
        let when = d
            .when
            .as_ref()
            .map_or_else(|| "default".to_string(), |g| format!("when {g}"));
        line(
            "destination",
            format!(
                "{} ({}; {when})",
                d.label,
                host.unwrap_or_else(|| "host unknown".into())
            ),
        );
    }
    if !r.attributes.is_empty() {
        out.push_str(&attr_table(cat, &r.attributes));
    }
    for a in &r.attributes {
        let note = match &a.key {
            AttrKey::UnknownKeys(reason) => Some(reason),
            _ => a.note.as_ref(),
        };
        if let Some(note) = note {
            let _ = writeln!(out, "  - {}: {note}", a.key.text());
        }
    }
    out
}

fn attr_table(cat: &Catalogue, attrs: &[Attr]) -> String {
    let rows = attrs.iter().map(|a| attr_row(cat, a)).collect();
    table(
        &[
            "KEY",
            "CATEGORY",
            "KIND",
            "GATE (DEFAULT)",
            "WHEN OFF",
            "PRESENCE",
            "VERSIONS",
            "EVIDENCE",
        ],
        rows,
    )
}

fn attr_row(cat: &Catalogue, a: &Attr) -> Vec<String> {
    let mut category = a.category.key().to_string();
    for also in &a.also {
        let _ = write!(category, " +{}", also.category.key());
    }
    let gates: Vec<String> = a
        .gate
        .iter()
        .chain(&a.requires)
        .map(|g| gate_with_default(cat, g))
        .collect();
    let off = match (&a.gate, &a.off) {
        (None, _) => "-".to_string(),
        (Some(_), OffSpec::Word(_)) => "absent".to_string(),
        (Some(_), OffSpec::Placeholder { placeholder }) => format!("\"{placeholder}\""),
    };
    vec![
        a.key.text(),
        category,
        a.kind.as_str().to_string(),
        join_or_dash(&gates),
        off,
        presence_text(a.presence, a.condition.as_deref()),
        a.versions.describe(),
        a.evidence.as_str().to_string(),
    ]
}

fn presence_text(p: Presence, condition: Option<&str>) -> String {
    match (p, condition) {
        (_, Some(c)) => format!("maybe ({c})"),
        (Presence::Always, None) => "always".into(),
        (Presence::Maybe, None) => "maybe".into(),
    }
}

fn conditions_table(cat: &Catalogue) -> String {
    let rows = cat
        .conditions()
        .map(|(k, v)| vec![k.to_string(), v.to_string()])
        .collect();
    table(&["CONDITION", "MEANING"], rows)
}

fn categories_table() -> String {
    let rows = Category::ALL
        .iter()
        .map(|c| {
            let i = c.info();
            vec![
                i.key.to_string(),
                i.level.key().to_string(),
                i.fideslang.to_string(),
                i.dpv.join(", "),
                i.label.to_string(),
            ]
        })
        .collect();
    table(
        &["CATEGORY", "LEVEL", "FIDESLANG", "W3C DPV", "LABEL"],
        rows,
    )
}

fn join_or_dash(items: &[String]) -> String {
    if items.is_empty() {
        "-".into()
    } else {
        items.join(", ")
    }
}

/// A plain-text table: columns padded to their widest cell, indented two spaces.
fn table(headers: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let header: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
    std::iter::once(&header)
        .chain(&rows)
        .map(|row| {
            let cells: Vec<String> = row
                .iter()
                .zip(&widths)
                .map(|(c, w)| format!("{c:<w$}"))
                .collect();
            format!("  {}\n", cells.join("  ").trim_end())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_with(source: &str, format: OutputFormat) -> Report {
        run(&Args {
            source: source.to_string(),
            format,
        })
    }

    #[test]
    fn human_output_lists_records_gates_and_evidence() {
        let r = run_with("claude-code@2.1.330", OutputFormat::Human);
        assert!(r.diagnostics.is_empty());
        for needle in [
            "Claude Code (Anthropic) — claude-code 2.1.330",
            "event user_prompt — logs — always",
            "OTEL_LOG_USER_PROMPTS",
            "\"<REDACTED>\"",
            "= OTEL_LOG_USER_PROMPTS",
            "prompt_text",
            "flow model_api_request",
            "user.unique_id.pseudonymous",
        ] {
            assert!(r.output.contains(needle), "missing {needle:?}");
        }
    }

    #[test]
    fn older_version_hides_newer_items() {
        let r = run_with("claude-code@2.1.197", OutputFormat::Human);
        assert!(!r.output.contains("prompt_text"));
        assert!(!r.output.contains("event managed_settings_resolved"));
        assert!(
            r.output
                .contains("event plugin_loaded — logs — maybe (plugin_present)")
        );
    }

    #[test]
    fn json_is_stable_and_parses() {
        let a = run_with("claude-code", OutputFormat::Json).output;
        let b = run_with("claude-code", OutputFormat::Json).output;
        assert_eq!(a, b);
        let v: serde_json::Value = serde_json::from_str(&a).unwrap();
        assert_eq!(v["version"], "2.1.337");
        assert_eq!(
            v["gates"]["log_assistant_responses"]["default"]["same_as"],
            "log_user_prompts"
        );
        let records = v["records"].as_array().unwrap();
        let prompt = records.iter().find(|r| r["name"] == "user_prompt").unwrap();
        let attr = prompt["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["key"] == "prompt")
            .unwrap();
        assert_eq!(attr["category"], "prompt_content");
        assert_eq!(attr["off"]["placeholder"], "<REDACTED>");
    }

    #[test]
    fn unknown_source_and_versions_are_reported() {
        let r = run_with("claude-cod", OutputFormat::Human);
        assert!(r.diagnostics.has_errors());
        let d = r.diagnostics.iter().next().unwrap();
        assert_eq!(d.code, Code::UnknownSource);
        assert_eq!(d.hint.as_deref(), Some("did you mean `claude-code`?"));
        let r = run_with("claude-code@2.1.250", OutputFormat::Human);
        assert!(!r.diagnostics.has_errors());
        assert_eq!(
            r.diagnostics.iter().next().unwrap().code,
            Code::UnknownSourceVersion
        );
        assert!(r.output.contains("claude-code 2.1.197"));
        let r = run_with("claude-code@latest", OutputFormat::Json);
        assert!(r.diagnostics.has_errors() && r.output.is_empty());
    }
}
