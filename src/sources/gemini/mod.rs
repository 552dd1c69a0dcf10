//! Google Gemini CLI: its JSON settings layers, the cached-accounts file and the
//! environment, resolved as the client resolves them, into [`EffectiveSettings`].
//!
//! Order (lowest first): defaults, `system-defaults.json`, the user's `settings.json`, a
//! trusted workspace's `.gemini/settings.json`, the system `settings.json`; then the
//! `GEMINI_TELEMETRY_*` variables, which beat every file, so an employee's environment can
//! switch telemetry on against the system file.

mod layers;
mod signals;
mod vendor;

use super::effective::{
    EffectiveSettings, EnvEntry, Resource, ResourceAttribute, Telemetry, Valued,
};
use super::env::EnvTable;
use super::layered::{self, Merged};
use super::process_env::apply_process_env;
use super::provenance::Provenance;
use crate::catalogue::config::ConfigTable;
use crate::catalogue::{Catalogue, VersionMatch};
use crate::diag::Diagnostics;
use crate::files::Files;
use crate::inputs::InputSpec;

/// Resolves Gemini CLI's effective settings.
pub fn resolve(
    catalogue: &Catalogue,
    version: &VersionMatch,
    spec: &InputSpec,
    files: &mut Files,
    diags: &mut Diagnostics,
) -> Option<EffectiveSettings> {
    let table = catalogue.config.as_ref()?;
    let mut env = EnvTable::new();
    apply_process_env(spec, files, diags, &mut env);
    let read = layers::read(table, spec, &env, files, diags);
    let telemetry = telemetry(table, &read.merged);
    let signals = signals::signals(table, &read.merged, &env, telemetry.enabled, diags);
    let gates = layered::gates(table, &read.merged);
    Some(EffectiveSettings {
        source: catalogue.source.clone(),
        source_name: catalogue.name.clone(),
        version: version.requested.to_string(),
        version_known: version.known,
        assumed_version: version.assumed.to_string(),
        policy_tier: read.policy_tier,
        telemetry,
        signals,
        gates,
        resource: resource(table, &env),
        vendor: vendor::vendor(table, &read.merged, &env),
        env: env.entries(),
        config: config_entries(table, &read.merged),
        dropped: Vec::new(),
        complete: false,
    })
}

/// The master switch, and the one combination that switches it off again.
fn telemetry(table: &ConfigTable, merged: &Merged) -> Telemetry {
    let enabled = layered::gate(table, merged, "telemetry.enabled");
    let collector = layered::gate(table, merged, "telemetry.useCollector");
    let cli_auth = layered::gate(table, merged, "telemetry.useCliAuth");
    let on = table.is_truthy(&enabled.value);
    let (on, reason) = if on && collector.enabled && cli_auth.enabled {
        (
            false,
            format!(
                "`telemetry.useCollector` ({}) with `telemetry.useCliAuth` ({}) switches telemetry off",
                collector.provenance, cli_auth.provenance
            ),
        )
    } else if on {
        (
            true,
            format!(
                "`telemetry.enabled` is {} ({})",
                enabled.value,
                shown(&enabled.provenance)
            ),
        )
    } else {
        (
            false,
            format!(
                "`telemetry.enabled` is {} ({}); only `true` or `1` switches it on",
                if enabled.value.is_empty() {
                    "unset"
                } else {
                    &enabled.value
                },
                shown(&enabled.provenance)
            ),
        )
    };
    Telemetry {
        enabled: on,
        reason,
        fixed_by_policy: enabled.fixed_by_policy,
        provenance: enabled.provenance,
    }
}

fn shown(p: &Provenance) -> String {
    match p {
        Provenance::Default => "default".to_string(),
        p => p.to_string(),
    }
}

/// `service.name` (replaced by `OTEL_SERVICE_NAME`) and the `OTEL_RESOURCE_ATTRIBUTES`
/// pairs.
fn resource(table: &ConfigTable, env: &EnvTable) -> Resource {
    let service_name = table
        .service_name_env
        .as_deref()
        .and_then(|v| env.value(v).map(|x| (x.to_string(), env.provenance(v))))
        .map_or_else(
            || Valued {
                value: table.service_name_default.clone(),
                provenance: Provenance::Default,
            },
            |(value, provenance)| Valued { value, provenance },
        );
    let attributes = table
        .resource_attributes_env
        .as_deref()
        .and_then(|v| env.value(v).map(|raw| (raw, env.provenance(v))))
        .map(|(raw, provenance)| {
            super::codex::pairs(raw)
                .into_iter()
                .map(|(key, value)| ResourceAttribute {
                    key,
                    value,
                    provenance: provenance.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    Resource {
        service_name,
        attributes,
    }
}

/// Every catalogued key in force, by dotted path, for the telemetry catalogue's gates.
fn config_entries(table: &ConfigTable, merged: &Merged) -> Vec<EnvEntry> {
    let values: Vec<(String, String, Provenance)> = table
        .keys
        .iter()
        .filter_map(|k| {
            let a = merged.get(&k.key)?;
            Some((k.key.clone(), a.text(), a.provenance.clone()))
        })
        .collect();
    layered::entries(&values)
}
