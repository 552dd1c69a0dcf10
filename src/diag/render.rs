//! The printers for diagnostics: `human` (with the source line and a caret), `short`
//! (one line each, for CI logs and editors) and `json`. Only the CLI edge calls them.

use std::fmt::Write as _;

use serde::Serialize;

use super::Diagnostic;
use crate::files::Files;

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Readable blocks with the offending source line.
    #[default]
    Human,
    /// One line per diagnostic: `file:line:col: severity[code]: message`.
    Short,
    /// A JSON array of objects.
    Json,
}

/// Renders diagnostics as text in the given format. Returns an empty string for none
/// (except json, which prints `[]`).
pub fn render(format: Format, diagnostics: &[Diagnostic], files: &Files) -> String {
    match format {
        Format::Human => diagnostics.iter().map(|d| human(d, files)).collect(),
        Format::Short => diagnostics.iter().map(|d| short(d, files) + "\n").collect(),
        Format::Json => {
            let items: Vec<JsonDiagnostic> = diagnostics
                .iter()
                .map(|d| JsonDiagnostic::new(d, files))
                .collect();
            serde_json::to_string_pretty(&items).unwrap_or_default() + "\n"
        }
    }
}

fn location(d: &Diagnostic, files: &Files) -> Option<String> {
    d.span
        .map(|s| format!("{}:{}:{}", files.get(s.file).display, s.line, s.col))
}

fn short(d: &Diagnostic, files: &Files) -> String {
    let mut out = String::new();
    if let Some(loc) = location(d, files) {
        out.push_str(&loc);
        out.push_str(": ");
    }
    let _ = write!(
        out,
        "{}[{}]: {}",
        d.severity.as_str(),
        d.code.as_str(),
        d.message
    );
    if let Some(hint) = &d.hint {
        let _ = write!(out, " (hint: {hint})");
    }
    out
}

fn human(d: &Diagnostic, files: &Files) -> String {
    let mut out = format!(
        "{}[{}]: {}\n",
        d.severity.as_str(),
        d.code.as_str(),
        d.message
    );
    if let (Some(span), Some(loc)) = (d.span, location(d, files)) {
        let number = span.line.to_string();
        let pad = " ".repeat(number.len());
        let _ = writeln!(out, "{pad}--> {loc}");
        if let Some(text) = files.get(span.file).shown_line(span.line) {
            let shown: String = text
                .chars()
                .map(|c| if c == '\t' { ' ' } else { c })
                .collect();
            let caret_pad = " ".repeat(span.col.saturating_sub(1) as usize);
            let width = shown
                .chars()
                .count()
                .saturating_sub(span.col.saturating_sub(1) as usize);
            let carets = "^".repeat((span.len as usize).clamp(1, width.max(1)));
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{number} | {shown}");
            let _ = writeln!(out, "{pad} | {caret_pad}{carets}");
        }
    }
    if let Some(hint) = &d.hint {
        let _ = writeln!(out, "  = hint: {hint}");
    }
    out.push('\n');
    out
}

/// The JSON form of one diagnostic; also used inside the analysis JSON.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct JsonDiagnostic {
    /// Stable code, e.g. `OD305`.
    pub code: String,
    /// `error`, `warning` or `info`.
    pub severity: super::Severity,
    /// What is wrong.
    pub message: String,
    /// File as named in the inputs, if the problem sits in a file.
    pub file: Option<String>,
    /// 1-based line.
    pub line: Option<u32>,
    /// 1-based column.
    pub column: Option<u32>,
    /// What to do about it.
    pub hint: Option<String>,
}

impl JsonDiagnostic {
    /// Converts a diagnostic, resolving its file id to the file's display name.
    pub fn new(d: &Diagnostic, files: &Files) -> Self {
        JsonDiagnostic {
            code: d.code.as_str().to_string(),
            severity: d.severity,
            message: d.message.clone(),
            file: d.span.map(|s| files.get(s.file).display.clone()),
            line: d.span.map(|s| s.line),
            column: d.span.map(|s| s.col),
            hint: d.hint.clone(),
        }
    }
}
