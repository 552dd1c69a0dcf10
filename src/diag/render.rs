//! The printers for diagnostics: `human` (with the source line and a caret), `short`
//! (one line each, for CI logs and editors) and `json`. Only the CLI edge calls them.

use std::fmt::Write as _;

use serde::Serialize;

use super::Diagnostic;
use crate::files::{Files, Span};

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
                .map(|d| JsonDiagnostic::on_terminal(d, files))
                .collect();
            serde_json::to_string_pretty(&items).unwrap_or_default() + "\n"
        }
    }
}

fn location(d: &Diagnostic, files: &Files) -> Option<String> {
    d.span
        .map(|s| format!("{}:{}:{}", files.get(s.file).local, s.line, s.col))
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
    for l in &d.related {
        let s = l.span;
        let _ = write!(
            out,
            " [{}: {}:{}:{}]",
            l.message,
            files.get(s.file).local,
            s.line,
            s.col
        );
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
    if let Some(span) = d.span {
        snippet(&mut out, span, files, "-->");
    }
    for l in &d.related {
        let _ = writeln!(out, "  = note: {}", l.message);
        snippet(&mut out, l.span, files, ":::");
    }
    if let Some(hint) = &d.hint {
        let _ = writeln!(out, "  = hint: {hint}");
    }
    out.push('\n');
    out
}

/// The longest source line quoted, in bytes. Minified JSON is one line of megabytes; quoting
/// it under every diagnostic would print the file again and again.
const MAX_SHOWN_LINE: usize = 500;

/// `--> file:line:col` (or `:::` for a secondary place), then the source line with carets
/// under the marked text.
fn snippet(out: &mut String, span: Span, files: &Files, arrow: &str) {
    let number = span.line.to_string();
    let pad = " ".repeat(number.len());
    let file = files.get(span.file);
    let _ = writeln!(
        out,
        "{pad}{arrow} {}:{}:{}",
        file.local, span.line, span.col
    );
    if let Some(long) = file
        .line_text(span.line)
        .filter(|t| t.len() > MAX_SHOWN_LINE)
    {
        // Masking secrets needs the whole line, and a long line is no help to read anyway.
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(
            out,
            "{number} | (a line of {} bytes, not shown)",
            long.len()
        );
    } else if let Some(text) = file.shown_line(span.line) {
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
    /// Other places that explain the problem.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<JsonLabel>,
}

/// The JSON form of a secondary place of a diagnostic.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct JsonLabel {
    /// What is there.
    pub message: String,
    /// File as named in the inputs.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

impl JsonDiagnostic {
    /// Converts a diagnostic for output data, resolving its file id to the file's output
    /// name.
    pub fn new(d: &Diagnostic, files: &Files) -> Self {
        Self::named(d, files, |f| f.display.clone())
    }

    /// Converts a diagnostic printed on the terminal: files named as they open from the
    /// current folder.
    pub fn on_terminal(d: &Diagnostic, files: &Files) -> Self {
        Self::named(d, files, |f| f.local.clone())
    }

    fn named(
        d: &Diagnostic,
        files: &Files,
        name: impl Fn(&crate::files::SourceFile) -> String,
    ) -> Self {
        JsonDiagnostic {
            code: d.code.as_str().to_string(),
            severity: d.severity,
            message: d.message.clone(),
            file: d.span.map(|s| name(files.get(s.file))),
            line: d.span.map(|s| s.line),
            column: d.span.map(|s| s.col),
            hint: d.hint.clone(),
            related: d
                .related
                .iter()
                .map(|l| JsonLabel {
                    message: l.message.clone(),
                    file: name(files.get(l.span.file)),
                    line: l.span.line,
                    column: l.span.col,
                })
                .collect(),
        }
    }
}
