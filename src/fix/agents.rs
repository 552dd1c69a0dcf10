//! The agents' own settings files, each pinned where it wins over every other layer:
//! Claude Code's managed `env`, Codex CLI's `requirements.toml` `[otel]` table, Gemini CLI's
//! system `telemetry` object. Which settings, and to what, comes from [`super::pins`].

use std::path::PathBuf;

use super::settings_edit::Pin;
use super::text_edit::Edit;
use super::{FixPlan, base_name, codex_edit, pins, read, record, settings_edit, text_edit};
use crate::analysis::run::Analysis;
use crate::catalogue::telemetry::Version;
use crate::inputs::InputSpec;
use crate::project::PolicyLevel;

/// Claude Code's managed settings: the first managed-settings JSON file given.
pub(super) fn claude_code(
    spec: &InputSpec,
    analysis: &Analysis,
    policy: PolicyLevel,
    flows: &[String],
    out: &mut FixPlan,
) {
    let Some(version) = version_of(analysis, pins::SOURCE) else {
        return;
    };
    let Some(cat) = crate::catalogue::telemetry::cached(pins::SOURCE) else {
        return;
    };
    let wanted = pins::claude_code(&version, policy, flows);
    if wanted.is_empty() {
        return;
    }
    let Some(path) = managed_json(spec) else {
        out.cannot.push(format!(
            "Claude Code settings: no managed-settings JSON file is given; pin {} in the managed `env` by hand",
            listed(&wanted, |p| format!("`{}={}`", p.key, p.value))
        ));
        return;
    };
    let Some(before) = read(&path, out) else {
        return;
    };
    let Some((edits, changed)) =
        settings_edit::pin_env(&before, &wanted, |a, b| pins::same_meaning(cat, a, b))
    else {
        out.cannot.push(format!(
            "{}: not a JSON object; its settings are left as they are",
            base_name(&path)
        ));
        return;
    };
    apply(out, path, before, &edits, &changed, |p| {
        format!("`{}` = \"{}\"", p.key, p.value)
    });
}

/// The managed-settings JSON file the fix edits: the first given (the main file of a
/// folder). A plist or a `.mobileconfig` is not edited.
pub(super) fn managed_json(spec: &InputSpec) -> Option<PathBuf> {
    spec.managed_settings.iter().find_map(|p| {
        let path = if p.path.is_dir() {
            p.path.join("managed-settings.json")
        } else {
            p.path.clone()
        };
        (path.extension().is_some_and(|e| e == "json") && path.is_file()).then_some(path)
    })
}

/// Codex CLI: the `requirements` layer's `[otel]` table.
pub(super) fn codex(spec: &InputSpec, analysis: &Analysis, policy: PolicyLevel, out: &mut FixPlan) {
    let Some(version) = version_of(analysis, "codex") else {
        return;
    };
    let wanted = pins::codex(&version, policy);
    if wanted.is_empty() {
        return;
    }
    let Some(file) = spec.codex_config.iter().find(|l| l.layer == "requirements") else {
        out.cannot.push(format!(
            "Codex CLI settings: no `requirements` layer is given; pin {} in `requirements.toml` by hand",
            listed(&wanted, |p| format!("`{}`", p.key))
        ));
        return;
    };
    let path = file.file.path.clone();
    let Some(before) = read(&path, out) else {
        return;
    };
    let Some((edits, changed)) = codex_edit::pin_otel(&before, &wanted) else {
        out.cannot.push(format!(
            "{}: its `[otel]` table is not in a form the fix edits; pin {} by hand",
            base_name(&path),
            listed(&wanted, |p| format!("`{}`", p.key))
        ));
        return;
    };
    apply(out, path, before, &edits, &changed, |p| {
        format!("`{}` = {}", p.key, boolean(&p.value))
    });
}

/// Gemini CLI: the `system` layer's `telemetry` object (it wins over every other layer).
pub(super) fn gemini(
    spec: &InputSpec,
    analysis: &Analysis,
    policy: PolicyLevel,
    out: &mut FixPlan,
) {
    let Some(version) = version_of(analysis, "gemini-cli") else {
        return;
    };
    let wanted: Vec<Pin> = pins::gemini(&version, policy)
        .into_iter()
        .filter_map(|p| {
            Some(Pin {
                key: p.key.strip_prefix("telemetry.")?.to_string(),
                ..p
            })
        })
        .collect();
    if wanted.is_empty() {
        return;
    }
    let Some(file) = spec.gemini_settings.iter().find(|l| l.layer == "system") else {
        out.cannot.push(format!(
            "Gemini CLI settings: no `system` layer is given; pin {} in its `telemetry` object by hand",
            listed(&wanted, |p| format!("`telemetry.{}`", p.key))
        ));
        return;
    };
    let path = file.file.path.clone();
    let Some(before) = read(&path, out) else {
        return;
    };
    let same = |have: &str, want: &str| have == boolean(want);
    let Some((edits, changed)) =
        settings_edit::pin_object(&before, "telemetry", &wanted, same, boolean)
    else {
        out.cannot.push(format!(
            "{}: not a JSON object; its settings are left as they are",
            base_name(&path)
        ));
        return;
    };
    apply(out, path, before, &edits, &changed, |p| {
        format!("`telemetry.{}` = {}", p.key, boolean(&p.value))
    });
}

/// The version of a source the analysis ran with.
fn version_of(analysis: &Analysis, source: &str) -> Option<Version> {
    let s = analysis.map.sources.iter().find(|s| s.name == source)?;
    Version::parse(&s.version).ok()
}

/// Pins as the summary lists them, each shown by `show`.
fn listed(wanted: &[Pin], show: impl Fn(&Pin) -> String) -> String {
    wanted.iter().map(show).collect::<Vec<_>>().join(", ")
}

/// A boolean setting's value as TOML and JSON write it (pins are `"1"` or `"0"`).
fn boolean(value: &str) -> String {
    if value == "1" { "true" } else { "false" }.to_string()
}

/// Takes one file's edits into the plan: a summary line per pin that changes something
/// (`show` writes the setting and its new value), and the edited text.
fn apply(
    out: &mut FixPlan,
    path: PathBuf,
    before: String,
    edits: &[Edit],
    changed: &[Pin],
    show: impl Fn(&Pin) -> String,
) {
    for pin in changed {
        out.done
            .push(format!("{}: {} ({})", base_name(&path), show(pin), pin.why));
    }
    let after = text_edit::apply(&before, edits);
    record(out, path, before, after);
}
