//! What every fuzz target checks once a reader has run: the promise that bad input gives a
//! located error, never a panic. A reader that gives up must have said why at a place in
//! the input; every place a diagnostic names must exist in its file; and printing the
//! diagnostics in every format, as the command line does, must work.
//!
//! A panic anywhere (in the reader or here) is what libFuzzer reports as a crash.

use otel_dpia::diag::{Diagnostics, Format, render};
use otel_dpia::files::{Files, Span};

/// Checks the diagnostics of one run. `gave_up` is true when the reader returned nothing.
pub fn check(files: &Files, diags: &Diagnostics, gave_up: bool) {
    let all: Vec<_> = diags.iter().cloned().collect();
    for format in [Format::Human, Format::Short, Format::Json] {
        render(format, &all, files);
    }
    if gave_up {
        assert!(
            diags.iter().any(|d| d.is_error() && d.span.is_some()),
            "the reader gave up without a located error: {diags:?}"
        );
    }
    for d in diags.iter() {
        let spans = d.span.iter().chain(d.related.iter().map(|l| &l.span));
        for span in spans {
            assert!(
                points_into(files, *span),
                "{span:?} is outside its file: {d:?}"
            );
        }
    }
}

/// True when a span names a line of its file, or the line after the last (where the YAML
/// parser reports what the input ends without). The column is not checked against the line's length: parsers report some
/// errors at the line break or past odd characters, and printing shows those at the end.
fn points_into(files: &Files, span: Span) -> bool {
    let file = files.get(span.file);
    if lone_carriage_return(&file.text) {
        // YAML counts a lone `\r` as a line break; the file store counts only `\n`, so
        // lines after one are numbered differently (known; such files are rare).
        return true;
    }
    let (line, col) = (span.line as usize, span.col as usize);
    let last_line = file.text.matches('\n').count() + 1;
    let after_end = line == last_line + 1;
    col >= 1 && (file.line_text(span.line).is_some() || after_end)
}

/// True when the text has a `\r` that does not start a `\r\n`.
fn lone_carriage_return(text: &str) -> bool {
    text.match_indices('\r')
        .any(|(i, _)| !text[i + 1..].starts_with('\n'))
}

/// Splits an input at its first NUL byte: the text before it, and `KEY=VALUE` pairs from
/// the lines after it (a variable environment for `${env:…}` and the like).
pub fn text_and_env(data: &str) -> (&str, Vec<(String, String)>) {
    let (text, env) = data.split_once('\0').unwrap_or((data, ""));
    (text, env_pairs(env))
}

/// `KEY=VALUE` pairs, one a line; other lines are skipped.
pub fn env_pairs(lines: &str) -> Vec<(String, String)> {
    lines
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A process environment that turns Claude Code's telemetry on for every signal with every
/// content gate open and a per-signal endpoint, so that there is much to carry, and
/// managed settings have lower-scope values to override or drop.
pub fn telemetry_env() -> Vec<otel_dpia::inputs::EnvVar> {
    [
        ("CLAUDE_CODE_ENABLE_TELEMETRY", "1"),
        ("OTEL_LOGS_EXPORTER", "otlp"),
        ("OTEL_METRICS_EXPORTER", "otlp"),
        ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4318"),
        (
            "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT",
            "http://localhost:4318/v1/logs",
        ),
        ("OTEL_TRACES_EXPORTER", "otlp"),
        ("CLAUDE_CODE_ENHANCED_TELEMETRY_BETA", "1"),
        ("OTEL_LOG_USER_PROMPTS", "1"),
        ("OTEL_LOG_TOOL_DETAILS", "1"),
        ("OTEL_LOG_TOOL_CONTENT", "1"),
        ("OTEL_LOG_ASSISTANT_RESPONSES", "1"),
        (
            "OTEL_RESOURCE_ATTRIBUTES",
            "team=platform,user.email=a@example.com",
        ),
    ]
    .into_iter()
    .map(|(key, value)| otel_dpia::inputs::EnvVar {
        key: key.to_string(),
        value: value.to_string(),
        origin: otel_dpia::inputs::EnvOrigin::Flag,
    })
    .collect()
}

/// A path naming a text already in the file store: the readers look a path up there before
/// they go to the disk, so inputs never touch the file system.
pub fn stored(files: &mut Files, name: &str, text: &str) -> otel_dpia::inputs::PathRef {
    files.add(name, text);
    otel_dpia::inputs::PathRef {
        path: name.into(),
        named_at: None,
    }
}
