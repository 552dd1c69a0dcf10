//! DP006: a debug, logging or file exporter writes personal data.

use super::super::arrivals::arrivals;
use super::super::{Context, Finding, Rule};
use super::why;
use crate::analysis::destination::DestinationKind;
use crate::analysis::shape::AttrState;
use crate::diag::Severity;
use crate::taxonomy::Level;

/// The rule.
pub static RULE: Rule = Rule {
    code: "DP006",
    name: "debug-exporter-personal-data",
    summary: "A debug, logging or file exporter is in a pipeline that carries personal data.",
    help: "A `debug` (or `logging`) exporter prints telemetry into the collector's own log, and a `file` exporter writes it to disk: copies of personal data outside the store the DPIA describes, kept as long as those logs or files are, readable by whoever reads them. Remove the exporter from pipelines that carry personal data, or put it behind processors that leave only metadata.",
    default_severity: Severity::Warning,
    check,
};

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for d in &ctx.analysis.map.destinations {
        if !matches!(d.kind, DestinationKind::Stdout | DestinationKind::File) {
            continue;
        }
        let personal: Vec<_> = arrivals(d)
            .into_iter()
            .filter(|a| {
                a.state != AttrState::Placeholder && a.category.level() >= Level::Pseudonymous
            })
            .collect();
        if personal.is_empty() {
            continue;
        }
        let mut categories: Vec<&str> = personal.iter().map(|a| a.category.key()).collect();
        categories.sort_unstable();
        categories.dedup();
        let what = match d.kind {
            DestinationKind::File => "writes to a file",
            _ => "prints to the collector's log",
        };
        out.push(
            RULE.finding(
                format!(
                    "exporter `{}` {what} personal data: {}",
                    d.id,
                    categories.join(", ")
                ),
                format!("destination={}", d.id),
            )
            .at(ctx.destination_at(d))
            .related(why(ctx, &personal))
            .hint("remove it from pipelines that carry personal data (it is meant for troubleshooting), or strip the data before it"),
        );
    }
    out
}
