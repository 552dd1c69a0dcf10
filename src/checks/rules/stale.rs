//! DP012: a committed document (DPIA, notice, works-council pack) differs from what the
//! configuration now gives. The list of such documents comes from `render --check`; this
//! rule turns it into findings, so `check` can fail a pull request that changes the
//! configuration without regenerating the documents.

use super::super::{Context, Finding, Location, Rule};
use crate::diag::Severity;

/// The rule.
pub static RULE: Rule = Rule {
    code: "DP012",
    name: "documents-stale",
    summary: "A committed document (DPIA, employee notice, works-council pack) no longer matches the configuration.",
    help: "Employees and the works council rely on the documents as issued; when the configuration changes what leaves their machines, the documents must change with it (and the notice be re-issued before the change, GDPR Art. 13(3)). Run `otel-dpia render` and commit the result.",
    default_severity: Severity::Error,
    check,
};

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let Some(stale) = ctx.stale_documents else {
        return Vec::new();
    };
    stale
        .iter()
        .map(|s| {
            let at = match ctx.files.find(&s.path) {
                Some(id) => Location::of(ctx.files, crate::files::Files::whole(id)),
                None => Location {
                    file: s.path.clone(),
                    line: 1,
                    col: 1,
                    span: None,
                },
            };
            RULE.finding(
                format!("`{}` is stale: {}", s.path, s.reason),
                format!("document={}", s.path),
            )
            .at(Some(at))
            .hint("run `otel-dpia render` and commit the documents it writes")
        })
        .collect()
}
