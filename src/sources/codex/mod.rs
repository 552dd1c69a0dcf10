//! OpenAI Codex CLI: its TOML configuration layers, `-c` overrides, `requirements.toml`
//! pins and environment, resolved as the client resolves them, into
//! [`EffectiveSettings`].
//!
//! Order (lowest first): `/etc/codex/config.toml`, the user's `config.toml`, a trusted
//! project's `.codex/config.toml`, `-c` overrides, `managed_config.toml`; then the `[otel]`
//! keys of `requirements.toml` pinned over all of them. Exporters come only from the
//! configuration: no variable turns telemetry on. Metrics go to the vendor unless
//! `metrics_exporter = "none"` or an OTLP exporter is chosen.

mod layers;
mod signals;
mod vendor;

use super::effective::{EffectiveSettings, Resource, ResourceAttribute, Telemetry, Valued};
use super::env::EnvTable;
use super::layered::{self, Merged};
use super::process_env::apply_process_env;
use super::provenance::Provenance;
use crate::catalogue::config::{ConfigTable, KeyKind};
use crate::catalogue::{Catalogue, VersionMatch};
use crate::diag::Diagnostics;
use crate::files::Files;
use crate::inputs::InputSpec;

/// Resolves Codex CLI's effective settings.
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
    let read = layers::read(table, spec, files, diags);
    let signals = signals::signals(table, &read.merged, &env, diags);
    let exported: Vec<String> = signals
        .iter()
        .filter(|s| s.exported)
        .map(|s| s.signal.as_str().to_string())
        .collect();
    let telemetry = Telemetry {
        enabled: !exported.is_empty(),
        reason: if exported.is_empty() {
            "every exporter is `none`".to_string()
        } else {
            format!(
                "exported: {} (see the signals; metrics go to the vendor unless `otel.metrics_exporter` says otherwise)",
                exported.join(", ")
            )
        },
        provenance: Provenance::Default,
        fixed_by_policy: signals.iter().all(|s| s.selected_by.is_managed()),
    };
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
        resource: resource(table, &read.merged, &env),
        vendor: vendor::vendor(table, &read.merged, &env),
        env: env.entries(),
        config: config_entries(table, &read.merged, &env),
        dropped: Vec::new(),
        complete: false,
    })
}

/// `service.name` (always the originator: `OTEL_SERVICE_NAME` is ignored), `env` and the
/// administrator's `OTEL_RESOURCE_ATTRIBUTES` pairs.
fn resource(table: &ConfigTable, merged: &Merged, env: &EnvTable) -> Resource {
    let mut attributes = Vec::new();
    let environment = layered::gate(table, merged, "otel.environment");
    attributes.push(ResourceAttribute {
        key: "env".to_string(),
        value: environment.value,
        provenance: environment.provenance,
    });
    if let Some(var) = &table.resource_attributes_env
        && let Some(raw) = env.value(var)
    {
        attributes.extend(
            pairs(raw)
                .into_iter()
                .map(|(key, value)| ResourceAttribute {
                    key,
                    value,
                    provenance: env.provenance(var),
                }),
        );
    }
    Resource {
        service_name: Valued {
            value: table.service_name_default.clone(),
            provenance: Provenance::Default,
        },
        attributes,
    }
}

/// `k=v,k2=v2` pairs, URL-decoded keys and values, empty keys skipped.
pub(crate) fn pairs(raw: &str) -> Vec<(String, String)> {
    raw.split(',')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (decode(k.trim()), decode(v.trim())))
        .filter(|(k, _)| !k.is_empty())
        .collect()
}

fn decode(text: &str) -> String {
    crate::sources::claude_code::percent_decode(text)
}

/// The settings the telemetry catalogue's gates read, by dotted path: each catalogued
/// key's effective value (an exporter as its kind, a table of attributes as `k=v` pairs),
/// and `OTEL_RESOURCE_ATTRIBUTES` for the resource.
fn config_entries(
    table: &ConfigTable,
    merged: &Merged,
    env: &EnvTable,
) -> Vec<super::effective::EnvEntry> {
    let mut values = Vec::new();
    for k in &table.keys {
        let found = match k.kind {
            KeyKind::Selector => signals::exporter_kind(merged, &k.key),
            _ if merged.get(&k.key).is_some() => {
                merged.get(&k.key).map(|a| (a.text(), a.provenance.clone()))
            }
            _ => table_pairs(merged, &k.key),
        };
        let found = found.or_else(|| {
            k.env
                .iter()
                .find_map(|v| env.value(v).map(|x| (x.to_string(), env.provenance(v))))
        });
        if let Some((value, provenance)) = found {
            values.push((k.key.clone(), value, provenance));
        }
    }
    layered::entries(&values)
}

/// A table of string values as `k=v,…` (for `keys_from` in the telemetry catalogue).
fn table_pairs(merged: &Merged, path: &str) -> Option<(String, Provenance)> {
    let children: Vec<(&str, &layered::Assigned)> = merged.children(path).collect();
    let first = children.first()?.1.provenance.clone();
    let text = children
        .iter()
        .map(|(k, a)| format!("{k}={}", a.text()))
        .collect::<Vec<_>>()
        .join(",");
    Some((text, first))
}
