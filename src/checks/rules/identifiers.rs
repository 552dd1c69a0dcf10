//! DP005: direct identifiers (account ids, e-mail addresses) leave the device in readable
//! form.

use super::super::arrivals::{arrivals, by_category, list};
use super::super::{Context, Finding, Rule};
use super::{named, why};
use crate::diag::Severity;
use crate::taxonomy::Category;

/// The rule.
pub static RULE: Rule = Rule {
    code: "DP005",
    name: "identifier-unhashed",
    summary: "Direct identifiers (account ids, e-mail addresses) leave the device unhashed.",
    help: "An e-mail address or account id names the employee outright; with it every record becomes a statement about a known person, which is what monitoring rules are about. Leave them out (e.g. OTEL_METRICS_INCLUDE_ACCOUNT_UUID=false) or hash them in a collector (`attributes`/`resource` processor, action `hash`) before they leave; hashed identifiers are still pseudonymous personal data but cannot be read. The request to the model itself is not judged here.",
    default_severity: Severity::Warning,
    check,
};

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for d in ctx.leaving().filter(|d| !ctx.is_service(d)) {
        let direct: Vec<_> = arrivals(d)
            .into_iter()
            .filter(|a| {
                a.readable()
                    && matches!(
                        a.category,
                        Category::DirectIdentifier | Category::ContactEmail
                    )
            })
            .collect();
        if direct.is_empty() {
            continue;
        }
        out.push(
            RULE.finding(
                format!(
                    "direct identifiers may reach {} in readable form: {}",
                    named(d),
                    list(&by_category(&direct))
                ),
                format!("destination={}", d.id),
            )
            .at(ctx.destination_at(d))
            .related(why(ctx, &direct))
            .hint("leave them out in managed settings, or hash them in a collector before this exporter"),
        );
    }
    out
}
