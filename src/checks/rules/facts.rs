//! DP003: a destination off the device lacks the facts the documents need: recipient,
//! retention, country, and a purpose with its legal basis.

use super::super::{Context, Finding, Rule};
use super::named;
use crate::analysis::map::DestinationOut;
use crate::diag::Severity;
use crate::project::DestinationFacts;

/// The rule.
pub static RULE: Rule = Rule {
    code: "DP003",
    name: "destination-facts-missing",
    summary: "A destination off the device has no recipient, retention, country or purpose with a legal basis in dpia.yaml.",
    help: "The notice must tell employees who receives their data, for how long it is kept, whether it leaves the EEA and on which legal basis (GDPR Art. 13(1)(c),(e),(f), 13(2)(a)); the DPIA needs the same (Art. 35(7)). No configuration shows these facts, so they come from a `destinations` entry in dpia.yaml, matched by `exporter` (the destination id `analyze` prints) or by `host`. Add the entry or the missing fields.",
    default_severity: Severity::Error,
    check,
};

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for d in ctx.leaving() {
        let key = format!("destination={}", d.id);
        match ctx.facts_for(d) {
            None => out.push(
                RULE.finding(
                    format!(
                        "dpia.yaml has no facts about {}, which data may reach",
                        named(d)
                    ),
                    key,
                )
                .at(ctx.destination_at(d))
                .hint(entry_hint(d)),
            ),
            Some((i, facts)) => {
                let missing = missing(ctx, facts);
                if missing.is_empty() {
                    continue;
                }
                let index = i.to_string();
                out.push(
                    RULE.finding(
                        format!(
                            "the facts about {} lack {}",
                            named(d),
                            missing.join(", ")
                        ),
                        key,
                    )
                    .at(ctx.project_at(&["destinations", &index]))
                    .hint("add them to this `destinations` entry; the documents show a TODO for each until then"),
                );
            }
        }
    }
    out
}

/// The facts an entry lacks, in words.
fn missing(ctx: &Context<'_>, f: &DestinationFacts) -> Vec<String> {
    let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
    let blank_text = |v: &Option<crate::project::Text>| v.as_ref().is_none_or(|t| t.is_blank());
    let mut out = Vec::new();
    if blank_text(&f.recipient) {
        out.push("the recipient (`recipient`)".to_string());
    }
    if f.retention_days.is_none() && blank_text(&f.retention_note) {
        out.push("the retention (`retention_days` or `retention_note`)".to_string());
    }
    if blank(&f.country) {
        out.push("the country (`country`)".to_string());
    }
    if f.purposes.is_empty() {
        out.push("a purpose (`purposes`)".to_string());
    }
    let purposes = ctx
        .project
        .map(|lp| lp.project.purposes.as_slice())
        .unwrap_or_default();
    for id in &f.purposes {
        let basis = purposes
            .iter()
            .find(|p| &p.id == id)
            .and_then(|p| p.legal_basis);
        if basis.is_none() {
            out.push(format!("the legal basis of purpose `{id}`"));
        }
    }
    out
}

fn entry_hint(d: &DestinationOut) -> String {
    format!(
        "add to dpia.yaml `destinations:` an entry with `exporter: {}` (or `host:`), `recipient`, `role`, `country`, `retention_days` and `purposes`",
        d.id
    )
}
