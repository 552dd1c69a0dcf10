//! DP002: a category reaches a destination off the device that the project file's policy
//! (`policy.allowed`) does not allow.

use super::super::arrivals::{Arrival, Class, arrivals, by_category, class, list};
use super::super::{Context, Finding, Related, Rule};
use super::{named, why};
use crate::diag::Severity;
use crate::project::PolicyLevel;

/// The rule.
pub static RULE: Rule = Rule {
    code: "DP002",
    name: "policy-not-allowed",
    summary: "Data leaves the device that the policy in dpia.yaml (`policy.allowed`) does not allow.",
    help: "`policy.allowed` states the most that may leave an employee's machine: `metadata_only` (counts, durations, costs, technical details; identifiers only hashed), `identifiers` (also readable identifiers, no content) or `content`. A finding means the configuration does not keep that promise for one destination: change the settings or the collector, or change the policy (and then the DPIA, the notice and the works-council agreement). Hashed values and constant placeholders count as removed. The request to the model itself is not judged here.",
    default_severity: Severity::Error,
    check,
};

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let Some(allowed) = ctx
        .project
        .and_then(|lp| lp.project.policy.as_ref())
        .and_then(|p| p.allowed)
    else {
        return Vec::new();
    };
    let policy_at = ctx.project_at(&["policy", "allowed"]);
    let mut out = Vec::new();
    for d in ctx.leaving().filter(|d| !ctx.is_service(d)) {
        let beyond: Vec<Arrival<'_>> = arrivals(d)
            .into_iter()
            .filter(|a| !permitted(allowed, a))
            .collect();
        if beyond.is_empty() {
            continue;
        }
        let word = policy_word(allowed);
        let message = format!(
            "the policy `{word}` does not allow what may reach {}: {}",
            named(d),
            list(&by_category(&beyond))
        );
        let policy = policy_at.clone().map(|location| Related {
            location,
            message: format!("the policy: `allowed: {word}`"),
        });
        out.push(
            RULE.finding(message, format!("destination={}", d.id))
                .at(ctx.destination_at(d))
                .related(policy)
                .related(why(ctx, &beyond))
                .hint("remove or hash these values before they leave (managed settings or collector processors), or widen `policy.allowed` together with the DPIA, the notice and the works-council agreement"),
        );
    }
    out
}

/// Whether the policy allows one arrival.
fn permitted(allowed: PolicyLevel, a: &Arrival<'_>) -> bool {
    if !a.readable() {
        return true;
    }
    match class(a.category) {
        Class::Metadata => true,
        Class::Identifier => allowed >= PolicyLevel::Identifiers,
        Class::Content => allowed >= PolicyLevel::Content,
    }
}

fn policy_word(p: PolicyLevel) -> &'static str {
    match p {
        PolicyLevel::MetadataOnly => "metadata_only",
        PolicyLevel::Identifiers => "identifiers",
        PolicyLevel::Content => "content",
    }
}
