//! Traffic to the vendor that the OpenTelemetry settings do not govern: where model
//! requests go, and the vendor's own telemetry and error reporting with the switches that
//! stop them. A flow is reported as running unless a switch that stops it is truthy.

use super::gates::gate;
use crate::catalogue::{Kind, ModelApiRule, SettingsTable};
use crate::diag::Diagnostics;
use crate::sources::effective::{ModelApi, Vendor, VendorFlow};
use crate::sources::env::EnvTable;
use crate::sources::provenance::Provenance;
use crate::sources::secret::redact_url;

/// The vendor section.
pub fn vendor(table: &SettingsTable, env: &EnvTable, diags: &mut Diagnostics) -> Vendor {
    let switches = table
        .of_kind(Kind::Vendor)
        .filter(|v| v.default.is_some())
        .map(|v| gate(table, env, v, diags))
        .collect();
    Vendor {
        switches,
        model_api: model_api(table, env),
        flows: flows(table, env),
    }
}

fn truthy(table: &SettingsTable, env: &EnvTable, name: &str) -> bool {
    env.value(name).is_some_and(|v| table.is_truthy(v))
}

/// Every selected provider; the default one when none is selected. Several selections
/// are all listed: which one the client prefers is not shown by any capture.
fn model_api(table: &SettingsTable, env: &EnvTable) -> Vec<ModelApi> {
    let selected: Vec<&ModelApiRule> = table
        .model_api
        .iter()
        .filter(|r| {
            r.selected_by
                .as_deref()
                .is_some_and(|s| truthy(table, env, s))
        })
        .collect();
    let rules = if selected.is_empty() {
        table
            .model_api
            .iter()
            .filter(|r| r.selected_by.is_none())
            .collect()
    } else {
        selected
    };
    rules.into_iter().map(|r| destination(r, env)).collect()
}

fn destination(rule: &ModelApiRule, env: &EnvTable) -> ModelApi {
    let (url, provenance) = match env.value(&rule.base_url_from) {
        Some(url) => (url.to_string(), env.provenance(&rule.base_url_from)),
        None => (
            fill(&rule.default_url, env),
            rule.selected_by
                .as_deref()
                .map_or(Provenance::Default, |s| env.provenance(s)),
        ),
    };
    ModelApi {
        provider: rule.provider.clone(),
        url: redact_url(&url),
        provenance,
    }
}

/// Replaces `{VAR}` with the variable's value, or `<VAR unset>`.
fn fill(template: &str, env: &EnvTable) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let name = &rest[open + 1..open + close];
        out.push_str(&rest[..open]);
        match env.value(name) {
            Some(v) => out.push_str(v),
            None => out.push_str(&format!("<{name} unset>")),
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

fn flows(table: &SettingsTable, env: &EnvTable) -> Vec<VendorFlow> {
    table
        .vendor_flows
        .iter()
        .map(|f| {
            let stopper = f.stopped_by.iter().find(|s| truthy(table, env, s));
            let reason = match stopper {
                Some(s) => format!("stopped by `{s}` ({})", env.provenance(s)),
                None => format!("none of {} is truthy", f.stopped_by.join(", ")),
            };
            VendorFlow {
                id: f.id.clone(),
                what: f.what.clone(),
                destination: f.destination.clone(),
                active: stopper.is_none(),
                reason,
            }
        })
        .collect()
}
