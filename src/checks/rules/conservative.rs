//! DP009: part of the configuration cannot be modelled (an unknown processor, exporter or
//! connector, an unresolved `${env:…}`, an OTTL statement), so the analysis assumed the
//! worst there. Each such assumption is one finding at its line.

use super::super::{Context, Finding, Rule};
use super::from_diagnostic;
use crate::diag::{Code, Severity};

/// The rule.
pub static RULE: Rule = Rule {
    code: "DP009",
    name: "analysis-conservative",
    summary: "Part of the configuration cannot be modelled, so the analysis assumes data passes it unchanged and may go anywhere.",
    help: "otel-dpia never guesses in the employer's favour: a processor type it does not model is assumed to remove nothing and possibly copy anything, an unknown exporter or an unresolved `${env:…}` is assumed to send everything off the device. The data map and the documents are then correct but broader than reality. Supply the missing values (`--collector-env`, `inputs.collectors[].env`) or express the processing with modelled processors (attributes, resource, redaction, filter, transform).",
    default_severity: Severity::Warning,
    check,
};

/// The diagnostics that mark an assumption of the worst about where data goes or what it
/// holds. An unresolved `${env:…}` counts unless it only hides a credential (a header
/// value, a token): that changes nothing about the data.
pub const ASSUMPTIONS: &[Code] = &[
    Code::UnresolvedReference,
    Code::UnknownValue,
    Code::UnmodelledProcessor,
    Code::UndecidableCondition,
    Code::ValueMasking,
    Code::NoCollectorForEndpoint,
    Code::UnknownDestination,
    Code::OttlNotUnderstood,
    Code::UnmodelledExporter,
    Code::UnmodelledConnector,
    Code::SeveralCollectorsMatch,
    Code::TemplateValue,
];

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    ctx.diagnostics
        .iter()
        .filter(|d| ASSUMPTIONS.contains(&d.code) && !hides_only_a_credential(d))
        .map(|d| {
            from_diagnostic(
                &RULE,
                ctx,
                d,
                format!("{} ({})", d.message, d.code.as_str()),
                format!("{}: {}", d.code.as_str(), d.message),
            )
        })
        .collect()
}

/// True for an unresolved reference whose value is a credential: the message names the
/// key path (`` so `exporters.x.headers.authorization` is treated as unknown ``).
pub fn hides_only_a_credential(d: &crate::diag::Diagnostic) -> bool {
    if d.code != Code::UnresolvedReference {
        return false;
    }
    let path = d
        .message
        .split_once("so `")
        .and_then(|(_, rest)| rest.split_once('`'))
        .map(|(path, _)| path);
    path.is_some_and(|p| {
        crate::collector::secrets::is_secret_path(&p.split('.').collect::<Vec<_>>())
    })
}
