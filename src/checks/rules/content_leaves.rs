//! DP001: content (prompts, responses, commands, tool input and output, file contents, or
//! values of unknown category) may reach a telemetry destination off the device.

use super::super::arrivals::{Class, arrivals, by_category, class, list};
use super::super::{Context, Finding, Rule};
use super::{named, why};
use crate::diag::Severity;

/// The rule.
pub static RULE: Rule = Rule {
    code: "DP001",
    name: "content-leaves-device",
    summary: "Content (prompts, responses, commands, file contents, tool input or output) may reach a telemetry destination off the employee's device.",
    help: "Content can hold anything an employee typed or worked on, including other people's data and special categories, so telemetry carrying it is a high-risk processing that the DPIA and the notice must cover. Turn the content gates off in managed settings (OTEL_LOG_USER_PROMPTS, OTEL_LOG_ASSISTANT_RESPONSES, OTEL_LOG_TOOL_DETAILS, OTEL_LOG_TOOL_CONTENT, OTEL_LOG_RAW_API_BODIES), or delete the attributes in a collector before export. Values of unknown category count as content until the configuration shows otherwise. The request to the model itself is the tool's function, not telemetry, and is not judged here; the vendor's own telemetry is rule DP010.",
    default_severity: Severity::Warning,
    check,
};

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for d in ctx.leaving().filter(|d| !ctx.is_vendor_flow(d)) {
        let content: Vec<_> = arrivals(d)
            .into_iter()
            .filter(|a| a.readable() && class(a.category) == Class::Content)
            .collect();
        if content.is_empty() {
            continue;
        }
        let message = format!(
            "content may reach {}, which is off the device: {}",
            named(d),
            list(&by_category(&content))
        );
        out.push(
            RULE.finding(message, format!("destination={}", d.id))
                .at(ctx.destination_at(d))
                .related(why(ctx, &content))
                .hint("turn the content gates off in managed settings, or delete these attributes in a collector before this exporter; if the content is intended, the DPIA and the notice must say so"),
        );
    }
    out
}
