//! DP010: the vendor's own telemetry or error reporting is left on. These flows leave the
//! device whatever the OpenTelemetry settings say; only their own switches stop them.

use super::super::arrivals::arrivals;
use super::super::{Context, Finding, Location, Rule};
use crate::analysis::map::DestinationOut;
use crate::diag::Severity;
use crate::sources::EffectiveSettings;

/// The rule.
pub static RULE: Rule = Rule {
    code: "DP010",
    name: "vendor-telemetry-on",
    summary: "The coding agent's own product telemetry or error reporting to its vendor is left on.",
    help: "Besides the OpenTelemetry export the employer configures, the agent sends its vendor product telemetry and error reports, under the vendor's terms, with contents the employer does not control and that were not all captured. Unless the DPIA covers them, switch them off in managed settings (for Claude Code: CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1, or DISABLE_TELEMETRY=1 and DISABLE_ERROR_REPORTING=1). Flows no setting can stop are reported too, so the DPIA can record them.",
    default_severity: Severity::Warning,
    check,
};

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for d in ctx
        .leaving()
        .filter(|d| ctx.is_vendor_flow(d) && !ctx.is_service(d))
    {
        let mut stoppers: Vec<String> = Vec::new();
        let mut what: Vec<String> = Vec::new();
        for r in &d.records {
            if let Some(f) = ctx.flow(&r.source, &r.name) {
                what.push(f.description.trim_end_matches('.').to_string());
                stoppers.extend(f.stopped_by.iter().cloned());
            }
        }
        stoppers.sort();
        stoppers.dedup();
        let mut categories: Vec<&str> = arrivals(d)
            .iter()
            .map(|a| match a.category {
                crate::taxonomy::Category::Unknown => "values of unknown category",
                c => c.key(),
            })
            .collect();
        categories.sort_unstable();
        categories.dedup();
        let carries = if categories.is_empty() {
            String::new()
        } else {
            format!("; it may carry {}", categories.join(", "))
        };
        let (message, hint) = if stoppers.is_empty() {
            (
                format!("{} runs ({}) and no setting stops it{carries}", d.id, what.join("; ")),
                "record it in the DPIA as a vendor flow the employer cannot switch off, or silence this finding in `checks:` with the reason".to_string(),
            )
        } else {
            (
                format!("{} runs ({}){carries}", d.id, what.join("; ")),
                format!(
                    "set one of {} to a true value in managed settings, so no user can turn it back on",
                    stoppers.join(", ")
                ),
            )
        };
        out.push(
            RULE.finding(message, format!("destination={}", d.id))
                .at(where_to_switch(ctx, d))
                .hint(hint),
        );
    }
    out
}

/// Where the switch belongs: the managed settings that set the telemetry master switch,
/// else any setting from a settings file, else the project file's inputs.
fn where_to_switch(ctx: &Context<'_>, d: &DestinationOut) -> Option<Location> {
    let source = d.records.first().map(|r| r.source.as_str());
    let settings: Vec<&EffectiveSettings> = ctx
        .analysis
        .settings
        .iter()
        .filter(|s| Some(s.source.as_str()) == source)
        .collect();
    let managed = settings.iter().find_map(|s| {
        s.vendor
            .switches
            .iter()
            .map(|g| &g.provenance)
            .chain(std::iter::once(&s.telemetry.provenance))
            .chain(s.env.iter().map(|e| &e.provenance))
            .filter(|p| p.is_managed())
            .find_map(|p| p.span())
    });
    managed
        .map(|span| Location::of(ctx.files, span))
        .or_else(|| ctx.project_at(&["inputs", "managed_settings"]))
        .or_else(|| ctx.fallback())
}
