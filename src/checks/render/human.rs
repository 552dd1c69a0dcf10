//! The readable forms: `human` (grouped, with the offending source line), `short` (one
//! line per finding), and the rule descriptions of `--explain` and `--list-rules`.

use std::fmt::Write as _;

use super::super::{Finding, RULES, Rule};
use super::{Outcome, Summary};
use crate::files::Files;

/// Findings with their source lines, then a summary line.
pub fn human(outcome: &Outcome<'_>, files: &Files) -> String {
    let mut out = String::new();
    for f in outcome.findings.iter().filter(|f| f.is_active()) {
        finding(&mut out, f, files);
    }
    let silenced: Vec<&Finding> = outcome.findings.iter().filter(|f| !f.is_active()).collect();
    if !silenced.is_empty() {
        out.push_str("Silenced by dpia.yaml `checks:`:\n");
        for f in silenced {
            let at = f.location.as_ref().map(|l| l.cite()).unwrap_or_default();
            let reason = f.silenced.as_ref().map_or("", |s| s.reason.as_str());
            let _ = writeln!(
                out,
                "  {} {at}: {} (reason: {reason})",
                f.rule.code, f.message
            );
        }
        out.push('\n');
    }
    out.push_str(&summary_line(outcome));
    out
}

fn finding(out: &mut String, f: &Finding, files: &Files) {
    let _ = writeln!(
        out,
        "{}[{}] {}: {}",
        f.severity.as_str(),
        f.rule.code,
        f.rule.name,
        f.message
    );
    if let Some(l) = &f.location {
        let number = l.line.to_string();
        let pad = " ".repeat(number.len());
        let _ = writeln!(out, "{pad}--> {}:{}:{}", l.file, l.line, l.col);
        let shown = l
            .span
            .filter(|_| !f.secret)
            .and_then(|s| files.get(s.file).shown_line(s.line));
        if let (Some(text), Some(span)) = (shown, l.span) {
            let text: String = text
                .chars()
                .map(|c| if c == '\t' { ' ' } else { c })
                .collect();
            let start = span.col.saturating_sub(1) as usize;
            let width = text.chars().count().saturating_sub(start).max(1);
            let carets = "^".repeat((span.len as usize).clamp(1, width));
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{number} | {text}");
            let _ = writeln!(out, "{pad} | {}{carets}", " ".repeat(start));
        }
    }
    for r in &f.related {
        let _ = writeln!(out, "  = because: {} {}", r.location.cite(), r.message);
    }
    if let Some(h) = &f.hint {
        let _ = writeln!(out, "  = hint: {h}");
    }
    if let Some(d) = &f.decided_at {
        let _ = writeln!(out, "  = severity set by {} (`checks`)", d.cite());
    }
    out.push('\n');
}

fn summary_line(outcome: &Outcome<'_>) -> String {
    let s = Summary::of(outcome.findings);
    let verdict = if outcome.failed { "failed" } else { "passed" };
    let silenced = if s.silenced > 0 {
        format!(", {} silenced", s.silenced)
    } else {
        String::new()
    };
    format!(
        "check {verdict}: {} error(s), {} warning(s), {} info{silenced} (fails on: {})\n",
        s.errors,
        s.warnings,
        s.infos,
        outcome.fail_on.as_str()
    )
}

/// One line per finding that is not silenced: `file:line:col: severity[code]: message`.
pub fn short(outcome: &Outcome<'_>) -> String {
    let mut out = String::new();
    for f in outcome.findings.iter().filter(|f| f.is_active()) {
        if let Some(l) = &f.location {
            let _ = write!(out, "{}:{}:{}: ", l.file, l.line, l.col);
        }
        let _ = writeln!(
            out,
            "{}[{}]: {}",
            f.severity.as_str(),
            f.rule.code,
            f.message
        );
    }
    out
}

/// Everything about one rule, for `check --explain CODE`.
pub fn explain(rule: &Rule) -> String {
    format!(
        "{} {} (default severity: {})\n\n{}\n\n{}\n\nChange its severity or silence it in dpia.yaml:\n\n  checks:\n    {}:\n      severity: warning   # error | warning | info | off\n      reason: \"why this is accepted, and who decided\"\n",
        rule.code,
        rule.name,
        rule.default_severity.as_str(),
        rule.summary,
        rule.help,
        rule.code
    )
}

/// A table of every rule, for `check --list-rules`.
pub fn list_rules() -> String {
    let mut out = String::new();
    for r in RULES {
        let _ = writeln!(
            out,
            "{}  {:8} {:30} {}",
            r.code,
            r.default_severity.as_str(),
            r.name,
            r.summary
        );
    }
    out
}
