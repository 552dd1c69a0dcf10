//! The rules, one per file. The order here is the order of `--list-rules` and of the SARIF
//! rule table; codes are never reused.

mod conservative;
mod content_leaves;
mod debug_exporter;
mod facts;
mod identifiers;
mod missing_facts;
mod plaintext;
mod policy;
mod secrets;
mod stale;
mod transfer;
mod unpinned;
mod unreached;
mod vendor;

pub use conservative::{ASSUMPTIONS, hides_only_a_credential};

use super::arrivals::Arrival;
use super::{Context, Related, Rule};

/// Every rule.
pub static RULES: &[&Rule] = &[
    &content_leaves::RULE,
    &policy::RULE,
    &facts::RULE,
    &transfer::RULE,
    &identifiers::RULE,
    &debug_exporter::RULE,
    &plaintext::RULE,
    &secrets::RULE,
    &conservative::RULE,
    &vendor::RULE,
    &missing_facts::RULE,
    &stale::RULE,
    &unreached::RULE,
    &unpinned::RULE,
];

/// The input lines that made these arrivals what they are (settings that turned them on,
/// processors that let them through), at most five, in order.
fn why(ctx: &Context<'_>, items: &[Arrival<'_>]) -> Vec<Related> {
    let mut out: Vec<Related> = Vec::new();
    for a in items {
        for e in a.evidence {
            let Some(location) = ctx.evidence(e) else {
                continue;
            };
            if out.len() < 5 && !out.iter().any(|r| r.location == location) {
                out.push(Related {
                    location,
                    message: e.what.clone(),
                });
            }
        }
    }
    out
}

/// A finding that repeats a diagnostic of the analysis: at its line (or the fallback), with
/// its hint, and its secondary places as related locations.
fn from_diagnostic(
    rule: &'static Rule,
    ctx: &Context<'_>,
    d: &crate::diag::Diagnostic,
    message: String,
    key: String,
) -> super::Finding {
    let mut f = rule.finding(message, key).at(d
        .span
        .map(|s| super::Location::of(ctx.files, s))
        .or_else(|| ctx.fallback()));
    if let Some(h) = &d.hint {
        f = f.hint(h.clone());
    }
    f.related(d.related.iter().map(|l| Related {
        location: super::Location::of(ctx.files, l.span),
        message: l.message.clone(),
    }))
}

/// "`id` (kind, endpoint)" for messages.
fn named(d: &crate::analysis::map::DestinationOut) -> String {
    match &d.endpoint {
        Some(e) => format!("`{}` ({}, {e})", d.id, d.kind.as_str()),
        None => format!("`{}` ({})", d.id, d.kind.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::RULES;

    #[test]
    fn codes_are_unique_and_texts_are_sentences() {
        let mut seen = std::collections::HashSet::new();
        for r in RULES {
            assert!(seen.insert(r.code), "{} used twice", r.code);
            assert!(r.code.len() == 5 && r.code.starts_with("DP"), "{}", r.code);
            assert!(r.summary.ends_with('.'), "{}", r.code);
            assert!(r.help.ends_with('.'), "{}", r.code);
            assert!(
                r.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                r.name
            );
        }
    }
}
