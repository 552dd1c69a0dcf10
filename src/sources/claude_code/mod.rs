//! Claude Code: its settings files and environment, resolved exactly as the client
//! resolves them, into [`EffectiveSettings`].
//!
//! Steps: the process environment; the user settings; the managed tier in force; the
//! `env` blocks applied in the client's order (user, then policy); the per-version
//! managed-dominance drops; then the reading of switches, exporters, endpoints, gates and
//! vendor traffic with the catalogue's variable table.

mod dominance;
mod gates;
mod layers;
mod managed;
mod merge;
mod otlp;
mod plist_read;
mod profile;
mod settings_file;
mod signals;
mod vendor;

pub use otlp::{header_names, percent_decode};
pub use profile::PAYLOAD_TYPE;

use super::effective::EffectiveSettings;
use super::env::EnvTable;
use super::process_env::apply_process_env;
use super::provenance::{Provenance, Tier};
use crate::catalogue::{Catalogue, SettingsTable, VersionMatch};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::files::Files;
use crate::inputs::InputSpec;

/// The catalogue behaviour that drops lower-scope OTLP variables.
const DOMINANCE: &str = "managed-otlp-dominance";

/// Reads the managed settings in a macOS property list or configuration profile given as
/// bytes (XML or binary) and checks them, as `--managed-settings` does for a `.plist` file.
///
/// The reader is otherwise reached only through a file on disk, and a binary list is not
/// text the file store can hold; fuzzing and tests call this. `None` when the bytes hold no
/// usable settings object (the diagnostics say why, at the file `managed.plist`).
pub fn read_profile_bytes(
    bytes: &[u8],
    files: &mut Files,
    diags: &mut Diagnostics,
) -> Option<crate::tree::Node> {
    let table = crate::catalogue::get(crate::sources::DEFAULT_SOURCE)?
        .settings
        .as_ref()?;
    let (_, root) = profile::read_profile_bytes(files, "managed.plist", bytes, diags)?;
    settings_file::check(files, root, table, true, diags)
}

/// Resolves Claude Code's effective settings for a client version.
pub fn resolve(
    catalogue: &Catalogue,
    version: &VersionMatch,
    spec: &InputSpec,
    files: &mut Files,
    diags: &mut Diagnostics,
) -> Option<EffectiveSettings> {
    let table = catalogue.settings.as_ref()?;
    let mut env = EnvTable::new();
    apply_process_env(spec, files, diags, &mut env);
    let user = spec.user_settings.as_ref().and_then(|p| {
        settings_file::read_json(files, &p.path, p.named_at, Tier::User, table, diags)
    });
    let project = read_project(spec, files, table, diags);
    let policy = managed::read_policy(&spec.managed_settings, files, table, diags);
    let mut tiers = policy.tiers.clone();
    if let Some(u) = &user {
        tiers.insert(u.file, Tier::User);
    }
    for p in &project {
        tiers.insert(p.file, Tier::Project);
    }
    // The client's order: user, project, local project, then policy, each assigned over
    // what is there.
    let lower = user.iter().chain(&project).map(|d| &d.root);
    for root in lower.chain(policy.root.as_ref()) {
        layers::apply_env(files, &tiers, root, &mut env, diags);
    }
    let docs: Vec<Option<&crate::tree::Node>> = std::iter::once(policy.root.as_ref())
        .chain(project.iter().rev().map(|d| Some(&d.root)))
        .chain(std::iter::once(user.as_ref().map(|u| &u.root)))
        .collect();
    let helper = layers::key_provenance(
        files,
        &tiers,
        table.file_roles.dynamic_headers.as_deref(),
        &docs,
    );
    layers::warn_policy_helper(files, table, policy.root.as_ref(), diags);
    if let Some(rule) = table.behaviour(DOMINANCE, &version.requested) {
        let managed_helper = helper.as_ref().filter(|p| p.is_managed());
        dominance::apply(rule, &mut env, managed_helper, diags);
    }
    Some(interpret(
        catalogue,
        table,
        version,
        policy.tier,
        &env,
        helper,
        diags,
    ))
}

/// The project settings files, shared ones first and `settings.local.json` after them, as
/// the client applies them. Before the folder is trusted the client lets these files set
/// only an allow-list of variables, which holds every telemetry switch; they are applied
/// whole here (the worst case).
fn read_project(
    spec: &InputSpec,
    files: &mut Files,
    table: &SettingsTable,
    diags: &mut Diagnostics,
) -> Vec<settings_file::SettingsDoc> {
    let is_local = |p: &crate::inputs::PathRef| {
        p.path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().ends_with(".local.json"))
    };
    let (local, shared): (Vec<_>, Vec<_>) = spec.project_settings.iter().partition(|p| is_local(p));
    shared
        .into_iter()
        .chain(local)
        .filter_map(|p| {
            settings_file::read_json(files, &p.path, p.named_at, Tier::Project, table, diags)
        })
        .collect()
}

/// Reads the effective environment into the output structure.
fn interpret(
    catalogue: &Catalogue,
    table: &SettingsTable,
    version: &VersionMatch,
    policy_tier: Option<Tier>,
    env: &EnvTable,
    helper: Option<Provenance>,
    diags: &mut Diagnostics,
) -> EffectiveSettings {
    let telemetry = signals::telemetry(table, env, diags);
    let signals = signals::signals(table, env, helper.as_ref(), telemetry.enabled, diags);
    if let Some(at) = &helper
        && signals.iter().any(|s| s.exported && s.endpoint.is_some())
    {
        diags.push(dynamic_headers(at, table));
    }
    EffectiveSettings {
        source: catalogue.source.clone(),
        source_name: catalogue.name.clone(),
        version: version.requested.to_string(),
        version_known: version.known,
        assumed_version: version.assumed.to_string(),
        policy_tier,
        telemetry,
        signals,
        gates: gates::gates(table, env, &version.requested, diags),
        resource: gates::resource(table, env),
        vendor: vendor::vendor(table, env, diags),
        env: env.entries(),
        config: Vec::new(),
        dropped: env.dropped(),
        complete: false,
    }
}

fn dynamic_headers(at: &Provenance, table: &SettingsTable) -> Diagnostic {
    let key = table
        .file_roles
        .dynamic_headers
        .as_deref()
        .unwrap_or_default();
    Diagnostic::new(
        Code::DynamicHeaders,
        format!("`{key}` ({at}) supplies export headers at run time; their names and values cannot be known from the configuration"),
    )
    .at_opt(at.span())
    .hint("document what the helper returns (e.g. which credential or tenant header) in the project file's measures")
}
