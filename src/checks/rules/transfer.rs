//! DP004: a destination off the device is in a country outside the EEA and dpia.yaml names
//! no transfer mechanism for it.

use super::super::{Context, Finding, Rule};
use super::named;
use crate::diag::Severity;
use crate::project::{TransferMechanism, is_eea};

/// The rule.
pub static RULE: Rule = Rule {
    code: "DP004",
    name: "third-country-transfer",
    summary: "Data goes to a country outside the EEA and dpia.yaml names no transfer mechanism.",
    help: "A transfer outside the EEA needs a legal instrument under GDPR Chapter V (an adequacy decision, the EU-US Data Privacy Framework for a certified recipient, standard contractual clauses, binding corporate rules, or a derogation), and employees must be told which (Art. 13(1)(f)). Set `transfer_mechanism` on the destination's entry in dpia.yaml; `not_applicable` is only right for a country in the EEA.",
    default_severity: Severity::Error,
    check,
};

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for d in ctx.leaving() {
        let Some((i, facts)) = ctx.facts_for(d) else {
            continue;
        };
        let Some(country) = facts.country.as_deref().filter(|c| !is_eea(c)) else {
            continue;
        };
        let mechanism = facts.transfer_mechanism;
        if !matches!(mechanism, None | Some(TransferMechanism::NotApplicable)) {
            continue;
        }
        let index = i.to_string();
        let what = if mechanism.is_some() {
            "says `not_applicable`"
        } else {
            "names none"
        };
        out.push(
            RULE.finding(
                format!(
                    "{} is in {country}, outside the EEA, and dpia.yaml {what} for the transfer mechanism",
                    named(d)
                ),
                format!("destination={}", d.id),
            )
            .at(ctx.project_at(&["destinations", &index, "country"]))
            .hint("set `transfer_mechanism` (e.g. `standard_contractual_clauses`, `eu_us_data_privacy_framework`) on this entry"),
        );
    }
    out
}
