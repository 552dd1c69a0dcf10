//! DP014: a content or identifier switch that managed settings leave open. The user's own
//! settings, or the settings file of any repository an employee opens, can switch it on,
//! and then content or a readable identifier reaches a destination off the device.
//!
//! The data map already treats such a switch as possibly on (see
//! [`crate::analysis::openness`]); this rule names each one once, with what it lets out,
//! where, and the managed setting that would pin it.

use std::collections::BTreeMap;

use super::super::arrivals::{Class, class};
use super::super::{Context, Finding, Location, Rule};
use crate::analysis::map::{DestinationOut, EvidenceOut, RecordOut};
use crate::analysis::openness::unpinned_setting;
use crate::analysis::shape::AttrState;
use crate::catalogue::telemetry::{self, Catalogue, GateSpec, Matcher};
use crate::diag::Severity;
use crate::taxonomy::Category;

/// The rule.
pub static RULE: Rule = Rule {
    code: "DP014",
    name: "content-switch-not-pinned",
    summary: "A switch that lets content or identifiers out is not pinned by managed settings, and what it lets out would leave the device.",
    help: "Claude Code applies the `env` blocks of the user's `~/.claude/settings.json` and of a repository's `.claude/settings.json` and `.claude/settings.local.json` over the process environment; only managed settings beat them, and a repository may set every `OTEL_LOG_*` and `OTEL_METRICS_*` switch even before the folder is trusted. A content switch the managed settings do not set is therefore on for any employee who, or whose repository, turns it on, and the telemetry then carries prompts, commands or file contents to the employer. Codex CLI's user and project `config.toml` work the same way below `requirements.toml` and `managed_config.toml`; Gemini CLI's `GEMINI_TELEMETRY_*` variables beat even its system settings. Pin each switch to its off value in managed settings (Codex: `requirements.toml`), or remove the content in a collector before it leaves; otherwise the documents must say that it may be sent.",
    default_severity: Severity::Warning,
    check,
};

/// What one open switch lets out: destination id → described arrivals.
type Reach = BTreeMap<String, Vec<String>>;

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let mut by_setting: BTreeMap<(String, String), Reach> = BTreeMap::new();
    for d in ctx.leaving().filter(|d| !ctx.is_service(d)) {
        for r in &d.records {
            collect(d, r, &mut by_setting);
        }
    }
    by_setting
        .into_iter()
        .map(|((source, setting), reach)| finding(ctx, &source, &setting, &reach))
        .collect()
}

/// Adds what an open switch lets out of a record: for a switch on the attribute itself,
/// readable content or identifiers; for a switch on the whole record, its content (the
/// identifiers every record carries leave anyway, so they are not the switch's doing).
fn collect(d: &DestinationOut, r: &RecordOut, out: &mut BTreeMap<(String, String), Reach>) {
    let opened_by = |evidence: &[EvidenceOut]| -> Vec<String> {
        evidence
            .iter()
            .filter_map(|e| unpinned_setting(&e.what).map(str::to_string))
            .collect()
    };
    let record_switches = opened_by(&r.evidence);
    for a in &r.attributes {
        if matches!(a.state, AttrState::Hashed | AttrState::Placeholder) {
            continue;
        }
        let categories = || std::iter::once(a.category).chain(a.also.iter().copied());
        let personal = categories().any(|c| class(c) != Class::Metadata);
        let content = categories().any(|c| class(c) == Class::Content && c != Category::Unknown);
        // A key with a switch of its own is that switch's doing, not the record's.
        let own = opened_by(&a.evidence);
        let mut switches = match (own.is_empty(), personal, content) {
            (false, true, _) => own,
            (true, _, true) => record_switches.clone(),
            _ => Vec::new(),
        };
        switches.sort();
        switches.dedup();
        for s in switches {
            let list = out
                .entry((r.source.clone(), s))
                .or_default()
                .entry(d.id.clone())
                .or_default();
            let what = format!("{} (`{}` in `{}`)", a.category.key(), a.key, r.name);
            if !list.contains(&what) {
                list.push(what);
            }
        }
    }
}

fn finding(ctx: &Context<'_>, source: &str, setting: &str, reach: &Reach) -> Finding {
    let places: Vec<String> = reach
        .iter()
        .map(|(dest, what)| {
            let shown: Vec<&str> = what.iter().take(3).map(String::as_str).collect();
            let more = if what.len() > shown.len() {
                format!(" and {} more", what.len() - shown.len())
            } else {
                String::new()
            };
            format!("`{dest}` receives {}{more}", shown.join(", "))
        })
        .collect();
    let message = format!(
        "`{setting}` ({source}) is not pinned by managed settings, so the user's or a repository's settings can switch it on; then {}",
        places.join("; ")
    );
    let catalogue = telemetry::cached(source);
    RULE.finding(message, format!("source={source} setting={setting}"))
        .at(where_to_pin(ctx, source))
        .hint(how_to_pin(source, setting, catalogue))
}

/// The managed setting that pins the switch off, in the source's own terms.
fn how_to_pin(source: &str, setting: &str, catalogue: Option<&Catalogue>) -> String {
    let gate: Option<&GateSpec> = catalogue.and_then(|c| {
        c.gates()
            .map(|(_, g)| g)
            .find(|g| g.setting == setting || g.aliases.iter().any(|a| a == setting))
    });
    let empty_is_off = gate
        .and_then(|g| g.off.as_ref())
        .is_some_and(|off| off.contains(&Matcher::Empty));
    match source {
        "claude-code" => {
            let off = if empty_is_off { "" } else { "0" };
            let aliases: Vec<&str> = gate
                .map(|g| {
                    std::iter::once(g.setting.as_str())
                        .chain(g.aliases.iter().map(String::as_str))
                        .filter(|s| *s != setting)
                        .collect()
                })
                .unwrap_or_default();
            let also = if aliases.is_empty() {
                String::new()
            } else {
                format!(" (and its other name{} {})", if aliases.len() > 1 { "s" } else { "" }, aliases.join(", "))
            };
            format!(
                "pin it in managed settings: add `\"{setting}\": \"{off}\"`{also} to the `env` block of managed-settings.json; or remove this content in a collector before it leaves"
            )
        }
        "codex" => {
            let (table, key) = setting.split_once('.').unwrap_or(("otel", setting));
            format!(
                "pin it in `requirements.toml` (`[{table}]` `{key} = false`), which overrides every configuration layer, or in `managed_config.toml`; or remove this content in a collector before it leaves"
            )
        }
        "gemini-cli" => format!(
            "no settings file pins it: the employee's `GEMINI_TELEMETRY_*` environment variables beat even the system settings. Set `{setting}` to false in the system settings (`/etc/gemini-cli/settings.json`) as the default, and remove this content in a collector before it leaves"
        ),
        _ => "pin it where the agent's managed settings are, or remove this content in a collector before it leaves".to_string(),
    }
}

/// Where the pin belongs: a line the managed settings of that source set, else the
/// project file's inputs.
fn where_to_pin(ctx: &Context<'_>, source: &str) -> Option<Location> {
    ctx.analysis
        .settings
        .iter()
        .filter(|s| s.source == source)
        .flat_map(|s| s.env.iter().chain(&s.config))
        .map(|e| &e.provenance)
        .filter(|p| p.is_managed())
        .find_map(|p| p.span())
        .map(|span| Location::of(ctx.files, span))
        .or_else(|| ctx.project_at(&["inputs", "managed_settings"]))
        .or_else(|| ctx.fallback())
}
