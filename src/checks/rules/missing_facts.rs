//! DP011: a fact only people can give (controller, DPO, purposes, retention, works
//! council, …) is missing from dpia.yaml; the documents show a TODO for it. A free-text
//! fact given per language that lacks one of the project's document languages is missing
//! in that language; those documents show another language's text with a marker.

use super::super::{Context, Finding, Location, Rule};
use crate::diag::Severity;
use crate::project::missing_facts;

/// The rule.
pub static RULE: Rule = Rule {
    code: "DP011",
    name: "missing-fact",
    summary: "A fact only the organisation can give is missing from dpia.yaml; the documents show a TODO in its place.",
    help: "No configuration shows the controller, the DPO, the purposes and their legal basis, recipients, retention, access or the works-council procedure; otel-dpia never invents them. Each missing one is a visible TODO in the DPIA, the notice and the works-council pack, and documents with TODOs are not ready to be issued. Add the value at the place the finding points to. A text given per language (`description: {en: …, nl: …}`) that lacks one of `documents.languages` is reported too: the documents in that language show the text of another, marked as only available in it, until the translation is added.",
    default_severity: Severity::Warning,
    check,
};

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let Some(lp) = ctx.project else {
        return Vec::new();
    };
    missing_facts(lp)
        .into_iter()
        .map(|d| {
            let mut f = RULE
                .finding(d.message.clone(), d.message.clone())
                .at(d.span.map(|s| Location::of(ctx.files, s)));
            if let Some(h) = d.hint {
                f = f.hint(h);
            }
            f
        })
        .collect()
}
