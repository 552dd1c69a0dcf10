//! Applying settings documents over the process environment, in the client's order:
//! user settings first, then the policy (managed) settings, each `env` block assigned
//! over what is there. So user settings beat the process environment and managed
//! settings beat everything.

use std::collections::BTreeMap;

use crate::catalogue::SettingsTable;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::files::{FileId, Files};
use crate::sources::env::EnvTable;
use crate::sources::provenance::{Cite, Provenance, Tier};
use crate::tree::{Entry, Node};

/// The provenance of a settings key at `path` (e.g. `env.X`).
pub fn settings_provenance(
    files: &Files,
    tiers: &BTreeMap<FileId, Tier>,
    entry: &Entry,
    path: String,
) -> Provenance {
    Provenance::SettingsFile {
        tier: tiers
            .get(&entry.key_span.file)
            .copied()
            .unwrap_or(Tier::User),
        at: Cite::new(files, entry.key_span),
        key: path,
    }
}

/// Assigns a document's `env` block over `env`. A process-environment value replaced by
/// a different one gets an `EnvShadowed` note at the settings key.
pub fn apply_env(
    files: &Files,
    tiers: &BTreeMap<FileId, Tier>,
    root: &Node,
    env: &mut EnvTable,
    diags: &mut Diagnostics,
) {
    let vars = root.get("env").and_then(Node::as_map).unwrap_or_default();
    for var in vars {
        let value = var.value.as_str().unwrap_or_default();
        let provenance = settings_provenance(files, tiers, var, format!("env.{}", var.key));
        if let Some(old) = env.get(&var.key)
            && matches!(old.provenance, Provenance::ProcessEnv { .. })
            && old.value != value
        {
            diags.push(
                Diagnostic::new(
                    Code::EnvShadowed,
                    format!(
                        "`{}` from the process environment ({}) is overridden by this setting",
                        var.key, old.provenance
                    ),
                )
                .at(var.key_span),
            );
        }
        env.set(&var.key, value, provenance);
    }
}

/// Where a top-level settings key is set in force: policy first, then user settings.
pub fn key_provenance(
    files: &Files,
    tiers: &BTreeMap<FileId, Tier>,
    key: Option<&str>,
    docs: &[Option<&Node>],
) -> Option<Provenance> {
    let key = key?;
    docs.iter().flatten().find_map(|root| {
        let entry = root.entry(key)?;
        Some(settings_provenance(files, tiers, entry, key.to_string()))
    })
}

/// Warns when the policy names a helper that computes managed settings at start-up.
pub fn warn_policy_helper(
    files: &Files,
    table: &SettingsTable,
    policy: Option<&Node>,
    diags: &mut Diagnostics,
) {
    let Some(key) = table.file_roles.policy_helper.as_deref() else {
        return;
    };
    if let Some(entry) = policy.and_then(|p| p.entry(key)) {
        diags.push(
            Diagnostic::new(
                Code::PolicyHelper,
                format!(
                    "`{key}` in {} names a program that computes managed settings when the client starts; they take the place of the settings read here",
                    files.get(entry.key_span.file).display
                ),
            )
            .at(entry.key_span)
            .hint("give the helper's output as a managed settings file (e.g. `--managed-settings helper-output.json`) so the analysis sees what is in force"),
        );
    }
}
