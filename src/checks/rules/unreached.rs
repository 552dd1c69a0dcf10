//! DP013: a supplied collector receives nothing, so none of its processors and exporters
//! is in the data map: every document is silent about where that collector sends data.

use super::super::{Context, Finding, Rule};
use super::from_diagnostic;
use crate::diag::{Code, Severity};

/// The rule.
pub static RULE: Rule = Rule {
    code: "DP013",
    name: "collector-not-reached",
    summary: "A supplied collector receives nothing from the clients or the other collectors, so its destinations are missing from every document.",
    help: "otel-dpia follows the data from the address each client sends to. A collector is entered when its `serves` list names that address, when it listens on this machine for a local address, or (stated as an assumption) when its OTLP receiver listens on every interface on the same port and protocol. A collector that matches none of these is analysed alone and its exporters appear nowhere, which usually means the real recipient is hidden: a gateway reached by a DNS name, a port or protocol that differs (a gRPC client and an HTTP-only receiver), or a file given by mistake. Declare what it serves (`--collector NAME@HOST:PORT=FILE`, or `serves:` under `inputs.collectors` in dpia.yaml), correct the port or protocol, or remove it from the inputs.",
    default_severity: Severity::Error,
    check,
};

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    ctx.analysis
        .unreached
        .iter()
        .filter_map(|name| {
            let said = format!("collector `{name}` ");
            let d = ctx
                .diagnostics
                .iter()
                .find(|d| d.code == Code::CollectorNotReached && d.message.starts_with(&said))?;
            Some(from_diagnostic(
                &RULE,
                ctx,
                d,
                d.message.clone(),
                format!("collector={name}"),
            ))
        })
        .collect()
}
