//! The project file's `checks:` section: per rule code, another severity or `off`, always
//! with a reason. Applied after the rules ran, so a silenced finding is still reported
//! (as silenced, with the reason) and the decision stays visible in CI output.

use super::{Finding, Location, Silenced};
use crate::diag::{Code, Diagnostic, Diagnostics, Severity, did_you_mean};
use crate::files::Files;
use crate::project::{CheckLevel, LoadedProject};

/// Applies the decisions to the findings. Entries naming no rule, or with an empty reason,
/// are errors in the project file (pushed to `diags`).
pub fn apply_overrides(
    findings: &mut [Finding],
    project: Option<&LoadedProject>,
    files: &Files,
    diags: &mut Diagnostics,
) {
    let Some(lp) = project else { return };
    for (code, decision) in &lp.project.checks {
        let at = lp.span_of(&["checks", code]);
        let Some(rule) = super::rule(code) else {
            let codes = super::RULES.iter().map(|r| r.code);
            let hint = match did_you_mean(code, codes) {
                Some(c) => {
                    format!("did you mean `{c}`? `otel-dpia check --list-rules` shows every rule")
                }
                None => "`otel-dpia check --list-rules` shows every rule".to_string(),
            };
            diags.push(
                Diagnostic::new(
                    Code::ProjectBadValue,
                    format!("`checks.{code}`: no check rule has this code"),
                )
                .at(at)
                .hint(hint),
            );
            continue;
        };
        if decision.reason.trim().is_empty() {
            diags.push(
                Diagnostic::new(
                    Code::ProjectInvalid,
                    format!("`checks.{code}.reason` is empty"),
                )
                .at(lp.span_of(&["checks", code, "reason"]))
                .hint("say who decided and why (e.g. the DPIA section or works-agreement clause); a changed severity must be defensible"),
            );
            continue;
        }
        let decided_at = Location::of(files, at);
        for f in findings.iter_mut().filter(|f| f.rule.code == rule.code) {
            f.decided_at = Some(decided_at.clone());
            match decision.severity {
                CheckLevel::Off => {
                    f.silenced = Some(Silenced {
                        reason: decision.reason.trim().to_string(),
                    });
                }
                CheckLevel::Error => f.severity = Severity::Error,
                CheckLevel::Warning => f.severity = Severity::Warning,
                CheckLevel::Info => f.severity = Severity::Info,
            }
        }
    }
}
