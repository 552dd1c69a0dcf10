//! Managed dominance over OTLP exporter variables (a per-version behaviour, described
//! by the catalogue's `managed-otlp-dominance` entry).
//!
//! Since some client version, before its SDK starts, a generic `OTEL_EXPORTER_OTLP_<X>`
//! set by managed settings deletes the per-signal `OTEL_EXPORTER_OTLP_<SIGNAL>_<X>` that
//! came from a lower scope (user settings or the process environment); some `<X>` also
//! delete the lower-scope per-signal endpoints; a managed header helper deletes every
//! lower-scope endpoint. Without this, a user could redirect one signal elsewhere.

use crate::catalogue::Behaviour;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::sources::env::EnvTable;
use crate::sources::provenance::Provenance;

/// Applies the behaviour to `env`. `managed_helper` is the header helper, if set by
/// managed settings.
pub fn apply(
    rule: &Behaviour,
    env: &mut EnvTable,
    managed_helper: Option<&Provenance>,
    diags: &mut Diagnostics,
) {
    let prefix = rule.one("prefix").unwrap_or("OTEL_EXPORTER_OTLP_");
    let signals = rule.list("signals");
    let keep = rule.list("keep_per_key");
    let claimers = rule.list("endpoint_claimers");
    let generics: Vec<(String, String, Provenance)> = env
        .keys()
        .filter_map(|key| {
            let suffix = key.strip_prefix(prefix)?;
            let per_signal = signals.iter().any(|s| suffix.starts_with(&format!("{s}_")));
            let managed = env.get(key)?.provenance.is_managed();
            (managed && !per_signal && !keep.contains(&suffix))
                .then(|| (key.to_string(), suffix.to_string(), env.provenance(key)))
        })
        .collect();
    for (generic, suffix, by) in &generics {
        for signal in &signals {
            let why = format!("managed settings set `{generic}`");
            drop_lower(env, &format!("{prefix}{signal}_{suffix}"), &why, by, diags);
            if claimers.contains(&suffix.as_str()) {
                drop_lower(env, &format!("{prefix}{signal}_ENDPOINT"), &why, by, diags);
            }
        }
    }
    if let Some(by) = managed_helper {
        let why = "managed settings name a header helper".to_string();
        let endpoints = std::iter::once(format!("{prefix}ENDPOINT"))
            .chain(signals.iter().map(|s| format!("{prefix}{s}_ENDPOINT")))
            .chain(
                rule.list("helper_drops_also")
                    .into_iter()
                    .map(str::to_string),
            );
        for key in endpoints {
            drop_lower(env, &key, &why, by, diags);
        }
    }
}

/// Drops `key` if its effective value comes from below the managed tier.
fn drop_lower(env: &mut EnvTable, key: &str, why: &str, by: &Provenance, diags: &mut Diagnostics) {
    let Some(current) = env.get(key) else {
        return;
    };
    if current.provenance.is_managed() {
        return;
    }
    let from = current.provenance.clone();
    let reason = format!("{why}, so lower scopes cannot redirect this export");
    env.drop_var(key, reason.clone(), by.clone());
    diags.push(
        Diagnostic::new(
            Code::DroppedByManaged,
            format!("`{key}` ({from}) is dropped before the client starts: {reason}"),
        )
        .at_opt(from.span().or(by.span())),
    );
}
