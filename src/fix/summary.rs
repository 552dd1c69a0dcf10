//! The fix's diff and summary text: a unified diff per changed file, named by base name so
//! no path of the machine that ran it appears, and the lines of what was done and what
//! configuration cannot do.

use super::{FixPlan, base_name};

/// The unified diff of every change.
pub fn diff(plan: &FixPlan) -> String {
    let mut out = String::new();
    for c in &plan.changes {
        let name = base_name(&c.path);
        let d = similar::TextDiff::from_lines(&c.before, &c.after);
        out.push_str(
            &d.unified_diff()
                .context_radius(3)
                .header(&format!("a/{name}"), &format!("b/{name}"))
                .to_string(),
        );
    }
    out
}

/// The summary: changes, what cannot be fixed, and the verdict of the re-analysis.
pub fn text(plan: &FixPlan, policy: &str, remaining: &[String]) -> String {
    let mut out = format!("otel-dpia fix: policy `{policy}`\n");
    if plan.done.is_empty() {
        out.push_str("\nNo change needed.\n");
    } else {
        out.push_str("\nChanges:\n");
        for l in &plan.done {
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
