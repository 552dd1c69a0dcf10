//! The fix's diff and summary text: a unified diff per changed file, named by base name so
//! no path of the machine that ran it appears, and the lines of what was done and what
//! configuration cannot do.

use std::path::Path;

use super::{FixPlan, base_name};
use crate::analysis::processors::unknown::MAY_CHANGE_ANYTHING;
use crate::checks::arrivals::Arrival;

/// The unified diff of every change. Lines of the original are shown through `shown`
/// (the file and the 1-based line number give the line as it may be shown, secrets such
/// as OTLP header values masked); lines the fix adds are its own text.
pub fn diff(plan: &FixPlan, shown: impl Fn(&Path, u32) -> Option<String>) -> String {
    let mut out = String::new();
    for c in &plan.changes {
        let name = base_name(&c.path);
        let d = similar::TextDiff::from_lines(&c.before, &c.after);
        if c.before.is_empty() {
            out.push_str(&format!("--- /dev/null\n+++ b/{name}\n"));
        } else {
            out.push_str(&format!("--- a/{name}\n+++ b/{name}\n"));
        }
        for hunk in d.unified_diff().context_radius(3).iter_hunks() {
            out.push_str(&format!("{}\n", hunk.header()));
            for change in hunk.iter_changes() {
                let sign = match change.tag() {
                    similar::ChangeTag::Delete => '-',
                    similar::ChangeTag::Insert => '+',
                    similar::ChangeTag::Equal => ' ',
                };
                let own = change.value().trim_end_matches(['\n', '\r']).to_string();
                let text = match change.old_index() {
                    Some(i) => u32::try_from(i + 1)
                        .ok()
                        .and_then(|n| shown(&c.path, n))
                        .unwrap_or_else(|| "****".to_string()),
                    None => own,
                };
                out.push(sign);
                out.push_str(&text);
                out.push('\n');
            }
        }
    }
    out
}

/// The summary: changes, what cannot be fixed, and the verdict of the re-analysis.
pub fn text(plan: &FixPlan, policy: &str, effects: &[String], remaining: &[String]) -> String {
    let mut out = format!("otel-dpia fix: policy `{policy}`\n");
    if plan.done.is_empty() {
        out.push_str("\nNo change needed.\n");
    } else {
        out.push_str("\nChanges:\n");
        for l in &plan.done {
            out.push_str(&format!("  - {l}\n"));
        }
    }
    if !effects.is_empty() {
        out.push_str("\nWhat arrives differently:\n");
        for l in effects {
            out.push_str(&format!("  - {l}\n"));
        }
    }
    if !plan.cannot.is_empty() {
        out.push_str("\nNot fixable by configuration:\n");
        for l in &plan.cannot {
            out.push_str(&format!("  - {l}\n"));
        }
    }
    let when = if plan.changes.is_empty() {
        "As deployed"
    } else {
        "After the changes"
    };
    if remaining.is_empty() {
        out.push_str(&format!(
            "\n{when} the policy `{policy}` holds at every telemetry destination.\n"
        ));
    } else {
        out.push_str(&format!(
            "\n{when} the policy `{policy}` still does not hold for:\n"
        ));
        for l in remaining {
            out.push_str(&format!("  - {l}\n"));
        }
    }
    out
}

/// Why configuration cannot fix what still arrives, when a processor the analysis does not
/// model stands between the fix's processor and the destination: whatever it does counts
/// as letting anything through, so nothing before it can be proven to hold. `name` shows
/// an evidence file as the user knows it, and whether it is the changed file.
pub fn behind_unmodelled(
    beyond: &[Arrival<'_>],
    name: impl Fn(&str) -> (String, bool),
) -> Option<String> {
    let e = beyond
        .iter()
        .flat_map(|a| a.evidence.iter())
        .find(|e| e.what.starts_with(MAY_CHANGE_ANYTHING))?;
    let who = e
        .what
        .rsplit_once(" by ")
        .map_or("a processor", |(_, by)| by);
    let at = match (&e.file, e.line) {
        (Some(f), Some(l)) => match name(f) {
            (n, true) => format!(" ({n}:{l} after the changes)"),
            (n, false) => format!(" ({n}:{l})"),
        },
        _ => String::new(),
    };
    Some(format!(
        "not fixable by configuration as deployed: it arrives behind `{who}`{at}, which the analysis does not model, so whatever it does counts as letting everything through; express what it does with the attributes, redaction or transform processor, or remove it from the path"
    ))
}
