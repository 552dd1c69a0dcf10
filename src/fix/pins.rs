//! Which Claude Code settings the fix pins in the managed `env`, read from the catalogue
//! rather than a list in code: a gate is pinned off when an attribute or record it lets
//! through carries content the policy does not allow, or a direct identifier (an account
//! id, an address) — an identifier the client sends cannot be hashed before it leaves, and
//! a collector can only hash it on the way. A gate that switches a vendor flow off is
//! pinned on when that flow carries anything beyond the policy and is not the service
//! itself.

use super::plan::permitted;
use super::settings_edit::Pin;
use crate::analysis::shape::AttrState;
use crate::catalogue::telemetry::{Catalogue, Version};
use crate::checks::arrivals::{Class, class};
use crate::project::PolicyLevel;
use crate::taxonomy::Category;

/// The source the pins are for.
pub const SOURCE: &str = "claude-code";

/// The pins for one client version of Claude Code under a policy, in catalogue order.
pub fn claude_code(version: &Version, policy: PolicyLevel, flows: &[String]) -> Vec<Pin> {
    gates(SOURCE, version, policy, flows, switchable)
}

/// The pins for Codex CLI: its `[otel]` switches (pinned in `requirements.toml`).
pub fn codex(version: &Version, policy: PolicyLevel) -> Vec<Pin> {
    gates("codex", version, policy, &[], |s| s.starts_with("otel."))
}

/// The pins for Gemini CLI: its `telemetry.*` switches (pinned in the system settings).
pub fn gemini(version: &Version, policy: PolicyLevel) -> Vec<Pin> {
    gates("gemini-cli", version, policy, &[], |s| {
        s.starts_with("telemetry.") && s != "telemetry.enabled"
    })
}

/// The gates of a source's catalogue to pin, keeping only settings `usable` accepts.
fn gates(
    source: &str,
    version: &Version,
    policy: PolicyLevel,
    flows: &[String],
    usable: fn(&str) -> bool,
) -> Vec<Pin> {
    let Some(cat) = crate::catalogue::telemetry::cached(source) else {
        return Vec::new();
    };
    let mut off: Vec<(String, String)> = Vec::new();
    let mut on: Vec<(String, String)> = Vec::new();
    let push = |list: &mut Vec<(String, String)>, gate: &str, why: String| {
        if !list.iter().any(|(g, _)| g == gate) {
            list.push((gate.to_string(), why));
        }
    };
    for r in cat.records(version) {
        let needs_off = |c: Category| !permitted(policy, c, AttrState::Raw) && must_stop(c);
        let bad = r.attributes.iter().any(|a| {
            std::iter::once(a.category)
                .chain(a.also.iter().map(|x| x.category))
                .any(needs_off)
        });
        for a in &r.attributes {
            let cats = std::iter::once(a.category).chain(a.also.iter().map(|x| x.category));
            if let Some(g) = &a.gate
                && cats.clone().any(needs_off)
            {
                push(&mut off, g, format!("`{}` in `{}`", a.key.text(), r.name));
            }
        }
        if bad {
            for g in &r.requires {
                push(&mut off, g, format!("the record `{}`", r.name));
            }
            if !r.destinations.is_empty() && flows.contains(&r.name) {
                for g in &r.disabled_by {
                    push(&mut on, g, format!("the vendor flow `{}`", r.name));
                }
            }
        }
    }
    let mut pins = Vec::new();
    for (gate, why, value, verb) in off
        .iter()
        .map(|(g, w)| (g, w, "0", "off"))
        .chain(on.iter().map(|(g, w)| (g, w, "1", "on")))
    {
        let Some(spec) = cat.gate(gate) else { continue };
        // A setting whose value is what is sent (a list of paths) is off when empty: it is
        // pinned to the empty string, which no lower layer can then fill.
        let off_when_empty = verb == "off"
            && spec
                .off
                .as_ref()
                .is_some_and(|m| m.contains(&crate::catalogue::telemetry::Matcher::Empty));
        let value = if off_when_empty { "" } else { value };
        if !(usable(&spec.setting) || off_when_empty)
            || pins.iter().any(|p: &Pin| p.key == spec.setting)
        {
            continue;
        }
        let why = if verb == "on" {
            format!("pinned on: it stops {why}")
        } else {
            format!("pinned off: it lets {why} leave")
        };
        pins.push(Pin::new(&spec.setting, value, why));
    }
    pins
}

/// True for a variable that is an on/off switch (not an endpoint or a list), per the
/// settings catalogue.
fn switchable(name: &str) -> bool {
    use crate::catalogue::Kind;
    crate::catalogue::get(SOURCE)
        .and_then(|c| c.settings.as_ref())
        .and_then(|s| s.variable(name))
        .is_some_and(|v| matches!(v.kind, Kind::Gate | Kind::Switch | Kind::Vendor))
}

/// Content always; of identifiers only those that name a person directly.
fn must_stop(c: Category) -> bool {
    match class(c) {
        Class::Content => true,
        Class::Identifier => matches!(c, Category::DirectIdentifier | Category::ContactEmail),
        Class::Metadata => false,
    }
}

/// True when `have` already means `want` (`"false"` for `"0"`) to the client.
pub fn same_meaning(cat: &Catalogue, have: &str, want: &str) -> bool {
    let b = cat.booleans();
    let on = |v: &str| b.truthy.iter().any(|t| t.eq_ignore_ascii_case(v.trim()));
    let off = |v: &str| b.falsy.iter().any(|t| t.eq_ignore_ascii_case(v.trim()));
    have == want || (on(have) && on(want)) || (off(have) && off(want))
}
