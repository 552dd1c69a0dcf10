//! Content and identifier gates (prompt text, tool details, raw API bodies, session id,
//! …) and the resource attributes, read from the effective environment.

use super::otlp::percent_decode;
use super::signals::unclear;
use crate::catalogue::{Kind, Parse, SettingsTable, Variable, Version};
use crate::diag::Diagnostics;
use crate::sources::effective::{Gate, Resource, ResourceAttribute, Valued};
use crate::sources::env::EnvTable;
use crate::sources::provenance::Provenance;

/// Every gate the client version reads (or that is set), in catalogue order.
pub fn gates(
    table: &SettingsTable,
    env: &EnvTable,
    version: &Version,
    diags: &mut Diagnostics,
) -> Vec<Gate> {
    table
        .of_kind(Kind::Gate)
        .filter(|v| applies(v, version) || env.value(&v.name).is_some())
        .map(|v| gate(table, env, v, diags))
        .collect()
}

/// A variable applies from its `since` version on (unknown start: always).
fn applies(var: &Variable, version: &Version) -> bool {
    var.since
        .as_deref()
        .and_then(Version::parse)
        .is_none_or(|since| *version >= since)
}

/// One gate's effective reading.
pub fn gate(
    table: &SettingsTable,
    env: &EnvTable,
    var: &Variable,
    diags: &mut Diagnostics,
) -> Gate {
    let provenance = env.provenance(&var.name);
    let raw = env.value(&var.name);
    let (enabled, value, default) = match var.parse {
        Parse::Bool => {
            let (default_on, default) = default_of(table, env, var);
            let enabled = match raw {
                Some(v) if default_on => {
                    unclear(table, &var.name, v, &provenance, "on", diags);
                    !table.is_falsy(v)
                }
                Some(v) => {
                    unclear(table, &var.name, v, &provenance, "off", diags);
                    table.is_truthy(v)
                }
                None => default_on,
            };
            (enabled, enabled.to_string(), default)
        }
        Parse::InlineOrFile | Parse::Pairs => {
            let (enabled, value) = inline_or_file(table, &var.name, raw, &provenance, diags);
            (enabled, value, var.default.clone().unwrap_or_default())
        }
    };
    Gate {
        name: var.name.clone(),
        enabled,
        value,
        default,
        fixed_by_policy: provenance.is_managed(),
        provenance,
        meaning: var.meaning.clone(),
    }
}

/// Whether a yes/no gate is on when unset, and the default as shown.
fn default_of(table: &SettingsTable, env: &EnvTable, var: &Variable) -> (bool, String) {
    if let Some(other) = var.default_from.as_deref().and_then(|n| table.variable(n)) {
        // The followed gate reports its own problems where it is listed.
        let followed = gate(table, env, other, &mut Diagnostics::new());
        return (followed.enabled, format!("= {}", other.name));
    }
    let default = var.default.clone().unwrap_or_else(|| "false".to_string());
    (table.is_truthy(&default), default)
}

/// `1`/truthy → inline, `file:<dir>` → file, falsy or unset → off. Anything else is
/// assumed inline (the worst case) with a warning.
fn inline_or_file(
    table: &SettingsTable,
    name: &str,
    raw: Option<&str>,
    provenance: &Provenance,
    diags: &mut Diagnostics,
) -> (bool, String) {
    match raw {
        None => (false, "off".to_string()),
        Some(v) if v.starts_with("file:") => (true, v.to_string()),
        Some(v) if table.is_falsy(v) => (false, "off".to_string()),
        Some(v) => {
            unclear(
                table,
                name,
                v,
                provenance,
                "inline (assumed: the worst case)",
                diags,
            );
            (true, "inline".to_string())
        }
    }
}

/// `service.name` and the admin-defined resource attributes.
pub fn resource(table: &SettingsTable, env: &EnvTable) -> Resource {
    let (attrs_var, name_var): (Vec<&Variable>, Vec<&Variable>) = table
        .of_kind(Kind::Resource)
        .partition(|v| v.parse == Parse::Pairs);
    let service_name = name_var.first().map_or_else(
        || Valued {
            value: String::new(),
            provenance: Provenance::Default,
        },
        |v| Valued {
            value: env
                .value(&v.name)
                .map(str::to_string)
                .or_else(|| v.default.clone())
                .unwrap_or_default(),
            provenance: env.provenance(&v.name),
        },
    );
    let attributes = attrs_var
        .first()
        .and_then(|v| Some((env.value(&v.name)?, env.provenance(&v.name))))
        .map(|(raw, provenance)| {
            raw.split(',')
                .filter_map(|pair| pair.split_once('='))
                .map(|(k, v)| ResourceAttribute {
                    key: percent_decode(k.trim()),
                    value: percent_decode(v.trim()),
                    provenance: provenance.clone(),
                })
                .filter(|a| !a.key.is_empty())
                .collect()
        })
        .unwrap_or_default();
    Resource {
        service_name,
        attributes,
    }
}
