//! The `redaction` processor (SEMANTICS B.3, collector v0.124): an allow-list of keys on
//! the resource, record and span-event attributes, masks for keys and values that match
//! patterns, and summary attributes that name what it removed. Log bodies pass untouched
//! (they are redacted only from v0.126 on).
//!
//! Deletion is exact: with `allow_all_keys` false, a key survives iff it is allowed or
//! ignored, named or not. A key pattern masks the whole value. A value pattern removes
//! only what it matches, so the content may remain (`masked`, OD503). Whether a value is
//! exempted by `allowed_values` depends on the data, so then the less protected form is
//! kept.

use regex::Regex;

use super::Ctx;
use super::cfg::{self, Bad};
use super::common::{constant, derived, put, uncertain};
use crate::analysis::flow::{AttrMap, Item, Step};
use crate::analysis::shape::{AttrState, Presence};
use crate::diag::{Code, Diagnostic};
use crate::files::Span;
use crate::taxonomy::Category;

/// The configuration keys of v0.124; later ones (URL and database sanitisers, skip
/// conditions, body settings) are not modelled.
const KNOWN: &[&str] = &[
    "allow_all_keys",
    "allowed_keys",
    "ignored_keys",
    "blocked_key_patterns",
    "blocked_values",
    "allowed_values",
    "hash_function",
    "summary",
];

/// Summary keys written in `debug` mode (names and counts).
const DEBUG_SUMMARY: &[&str] = &[
    "redaction.redacted.keys",
    "redaction.redacted.count",
    "redaction.masked.keys",
    "redaction.masked.count",
    "redaction.allowed.keys",
    "redaction.allowed.count",
    "redaction.ignored.count",
];

/// Summary keys written in `info` mode (counts only).
const INFO_SUMMARY: &[&str] = &[
    "redaction.redacted.count",
    "redaction.masked.count",
    "redaction.allowed.count",
    "redaction.ignored.count",
];

/// The parsed configuration.
struct Config {
    allow_all: bool,
    allowed: Vec<String>,
    ignored: Vec<String>,
    blocked_keys: Vec<Regex>,
    blocked_values: Vec<Regex>,
    allowed_values: Vec<Regex>,
    hashed: bool,
    summary: &'static [&'static str],
    span: Span,
}

fn parse(node: &crate::tree::Node) -> Result<Config, Bad> {
    cfg::map_or_default(node)?;
    if let Some(e) = node
        .as_map()
        .and_then(|m| m.iter().find(|e| !KNOWN.contains(&e.key.as_str())))
    {
        return Err(Bad::new(
            e.key_span,
            format!("`{}` is not a redaction setting of collector v0.124", e.key),
        ));
    }
    let patterns = |key: &str| -> Result<Vec<Regex>, Bad> {
        cfg::strings(node, key)?
            .iter()
            .map(|(p, s)| cfg::regex(p, *s))
            .collect()
    };
    let hashed = match cfg::string(node, "hash_function")? {
        None => false,
        Some((f, s)) => match f.to_ascii_lowercase().as_str() {
            "" | "none" => false,
            "md5" | "sha1" | "sha3" => true,
            other => return Err(Bad::new(s, format!("unknown hash_function `{other}`"))),
        },
    };
    let summary = match cfg::string(node, "summary")?.map(|(s, sp)| (s.to_ascii_lowercase(), sp)) {
        None => &[][..],
        Some((s, _)) if s.is_empty() || s == "silent" => &[][..],
        Some((s, _)) if s == "info" => INFO_SUMMARY,
        Some((s, _)) if s == "debug" => DEBUG_SUMMARY,
        Some((s, sp)) => return Err(Bad::new(sp, format!("unknown summary `{s}`"))),
    };
    let names = |key: &str| -> Result<Vec<String>, Bad> {
        Ok(cfg::strings(node, key)?
            .into_iter()
            .map(|(s, _)| s)
            .collect())
    };
    Ok(Config {
        allow_all: cfg::boolean(node, "allow_all_keys", false)?,
        allowed: names("allowed_keys")?,
        ignored: names("ignored_keys")?,
        blocked_keys: patterns("blocked_key_patterns")?,
        blocked_values: patterns("blocked_values")?,
        allowed_values: patterns("allowed_values")?,
        hashed,
        summary,
        span: node.span,
    })
}

/// What one run found worth reporting.
#[derive(Default)]
struct Seen {
    masked_by_value: Vec<String>,
}

/// Runs the processor on the resource and attributes of every item.
pub fn apply(ctx: &mut Ctx<'_>, items: &mut [Item]) -> Result<(), Bad> {
    let c = parse(&ctx.component.config)?;
    let mut seen = Seen::default();
    for item in items.iter_mut() {
        redact(ctx, &c, &mut item.resource, &mut seen);
        redact(ctx, &c, &mut item.attributes, &mut seen);
    }
    report(ctx, &c, &seen);
    Ok(())
}

fn key_span(ctx: &Ctx<'_>, key: &str, fallback: Span) -> Span {
    ctx.component
        .config
        .entry(key)
        .map_or(fallback, |e| e.key_span)
}

fn redact(ctx: &Ctx<'_>, c: &Config, map: &mut AttrMap, seen: &mut Seen) {
    if !c.allow_all {
        allow_list(ctx, c, map);
    }
    let keys: Vec<String> = map.keys.iter().map(|a| a.key().to_string()).collect();
    for key in keys {
        if c.ignored.contains(&key) || is_summary(&key) {
            continue;
        }
        mask(ctx, c, map, &key, seen);
    }
    add_summary(ctx, c, map);
}

fn is_summary(key: &str) -> bool {
    DEBUG_SUMMARY.contains(&key)
}

/// Deletes every named key that is neither allowed nor ignored; unnamed keys survive
/// only under the allowed or ignored names, so they become those names (maybe present).
fn allow_list(ctx: &Ctx<'_>, c: &Config, map: &mut AttrMap) {
    let at = key_span(ctx, "allowed_keys", c.span);
    let step = ctx.step_at("deleted (not in allowed_keys)", at);
    let keep = |k: &str| c.allowed.iter().any(|a| a == k) || c.ignored.iter().any(|a| a == k);
    let doomed: Vec<String> = map
        .keys
        .iter()
        .map(|a| a.key().to_string())
        .filter(|k| !keep(k) && !is_summary(k))
        .collect();
    for k in doomed {
        map.remove(&k, step.clone());
    }
    if map.unknown.is_empty() {
        return;
    }
    let cats = super::common::unknown_categories(map);
    let from = ctx.step_at("an unnamed key may survive under this allowed name", at);
    for name in c.allowed.iter().chain(&c.ignored) {
        if map.get(name).is_none() {
            put(map, derived(name, &cats, Presence::Maybe, from.clone()));
        }
    }
    map.unknown.clear();
}

fn mask(ctx: &Ctx<'_>, c: &Config, map: &mut AttrMap, key: &str, seen: &mut Seen) {
    let Some(attr) = map.get(key) else { return };
    // The collector reads a non-string value as "", so only a string constant is known.
    let value = constant(attr)
        .filter(|v| super::matching::stringish(v))
        .map(str::to_string);
    // allowed_values exempt a value from masking; decidable only for a known constant.
    let exempt = match &value {
        Some(v) => {
            if c.allowed_values.iter().any(|r| r.is_match(v)) {
                return;
            }
            false
        }
        None => !c.allowed_values.is_empty(),
    };
    if c.blocked_keys.iter().any(|r| r.is_match(key)) {
        let at = key_span(ctx, "blocked_key_patterns", c.span);
        let (state, text, what) = if c.hashed {
            (
                AttrState::Hashed,
                None,
                "hashed (key matches blocked_key_patterns)",
            )
        } else {
            (
                AttrState::Placeholder,
                Some("****".to_string()),
                "masked as **** (key matches blocked_key_patterns)",
            )
        };
        change(map, key, state, text, ctx.step_at(what, at), exempt);
        return;
    }
    let matches_value = match &value {
        Some(v) => c.blocked_values.iter().any(|r| r.is_match(v)),
        None => !c.blocked_values.is_empty(),
    };
    if matches_value {
        let at = key_span(ctx, "blocked_values", c.span);
        let step = ctx.step_at("masked where the value matches blocked_values", at);
        change(map, key, AttrState::Masked, None, step, exempt);
        seen.masked_by_value.push(key.to_string());
    }
}

/// Applies a new form to a key, or only notes it when an allowed value may exempt it.
fn change(
    map: &mut AttrMap,
    key: &str,
    state: AttrState,
    text: Option<String>,
    step: Step,
    exempt: bool,
) {
    let Some(a) = map.get_mut(key) else { return };
    if exempt {
        let why = "a value matching allowed_values is kept as it is";
        a.steps.push(uncertain(&step, why));
        return;
    }
    if a.shape.state < state {
        a.shape.state = state;
    } else if a.shape.state == AttrState::Placeholder && state == AttrState::Masked {
        // A constant with parts masked is still a constant, but not the known one.
        a.shape.placeholder = None;
        a.steps.push(step);
        return;
    }
    a.shape.placeholder = if state == AttrState::Placeholder {
        text
    } else {
        None
    };
    a.steps.push(step);
}

/// The summary keys: their values are key names and counts.
fn add_summary(ctx: &Ctx<'_>, c: &Config, map: &mut AttrMap) {
    if c.summary.is_empty() {
        return;
    }
    let at = key_span(ctx, "summary", c.span);
    let step = ctx.step_at("added (names or counts of redacted keys)", at);
    for key in c.summary {
        let mut a = derived(
            key,
            &[Category::TechnicalMetadata],
            Presence::Maybe,
            step.clone(),
        );
        a.shape.kind = crate::analysis::shape::ValueKind::Metadata;
        match map.get(key) {
            Some(old) => {
                let j = crate::analysis::flow::join_attr(old, &a);
                put(map, j);
            }
            None => put(map, a),
        }
    }
}

fn report(ctx: &mut Ctx<'_>, c: &Config, seen: &Seen) {
    if seen.masked_by_value.is_empty() {
        return;
    }
    let mut keys = seen.masked_by_value.clone();
    keys.sort();
    keys.dedup();
    let at = key_span(ctx, "blocked_values", c.span);
    ctx.diags.push(
        Diagnostic::new(
            Code::ValueMasking,
            format!(
                "processor `{}` in collector `{}` masks parts of values by pattern ({}); what the patterns do not match still arrives",
                ctx.component.id,
                ctx.collector,
                keys.join(", ")
            ),
        )
        .at(at)
        .hint("to remove a value for certain, delete the key or leave it out of allowed_keys"),
    );
}

#[cfg(test)]
mod tests {
    use super::super::testing::{catalogue_items, log_item, run, state};
    use crate::analysis::shape::{AttrState, Presence};
    use crate::catalogue::telemetry::Signal as CatSignal;
    use crate::collector::Signal;
    use crate::diag::Code;

    const YAML: &str = r#"
processors:
  redaction/defaults:
  redaction/allow:
    allowed_keys: [session.id, prompt, user.email, event.name, service.name, team]
    ignored_keys: [prompt.id]
    blocked_key_patterns: ['^user\.']
    blocked_values: ['[a-z]+@example\.com']
    summary: debug
  redaction/hash:
    allow_all_keys: true
    blocked_key_patterns: ['^prompt$']
    hash_function: sha3
  redaction/exempt:
    allow_all_keys: true
    blocked_key_patterns: ['^prompt$']
    allowed_values: ['^ok$']
"#;

    #[test]
    fn defaults_delete_every_attribute_including_the_resource() {
        let items = catalogue_items(CatSignal::Traces, &[("OTEL_LOG_TOOL_CONTENT", "1")]);
        let r = run(YAML, "redaction/defaults", Signal::Traces, items);
        assert!(!r.items.is_empty());
        for item in &r.items {
            assert!(item.attributes.keys.is_empty(), "{}", item.name);
            assert!(item.attributes.unknown.is_empty(), "{}", item.name);
            assert!(item.resource.get("service.name").is_none());
        }
        let removed = &r.item("claude_code.interaction").resource.removed;
        assert!(removed.iter().any(|x| x.key == "service.name"));
        // Span events are redacted too.
        assert!(r.items.iter().any(|i| i.parent.is_some()));
    }

    #[test]
    fn allow_list_masks_and_summary() {
        let items = catalogue_items(
            CatSignal::Logs,
            &[
                ("OTEL_LOG_USER_PROMPTS", "1"),
                ("OTEL_RESOURCE_ATTRIBUTES", "team=a"),
            ],
        );
        let r = run(YAML, "redaction/allow", Signal::Logs, items);
        let up = r.item("user_prompt");
        assert!(up.attributes.get("prompt_length").is_none());
        assert_eq!(
            state(&up.attributes, "prompt"),
            Some((AttrState::Masked, Presence::Always))
        );
        let email = up.attributes.get("user.email").unwrap();
        assert_eq!(email.shape.state, AttrState::Placeholder);
        assert_eq!(email.shape.placeholder.as_deref(), Some("****"));
        assert_eq!(
            state(&up.attributes, "prompt.id"),
            Some((AttrState::Raw, Presence::Always))
        );
        assert!(up.attributes.get("redaction.redacted.keys").is_some());
        assert_eq!(
            up.attributes
                .get("redaction.redacted.keys")
                .unwrap()
                .shape
                .category,
            crate::taxonomy::Category::TechnicalMetadata
        );
        assert!(r.codes().contains(&Code::ValueMasking));
    }

    #[test]
    fn unnamed_keys_survive_only_under_allowed_names() {
        let mut item = log_item("claude_code.user_prompt", &[("prompt", None)]);
        item.attributes.add_unknown(
            vec![crate::taxonomy::Category::ToolInput],
            "test",
            Vec::new(),
        );
        let r = run(YAML, "redaction/allow", Signal::Logs, vec![item]);
        let a = &r.items[0].attributes;
        assert!(a.unknown.is_empty());
        let team = a.get("team").unwrap();
        assert_eq!(team.shape.presence, Presence::Maybe);
        assert_eq!(team.shape.category, crate::taxonomy::Category::ToolInput);
    }

    #[test]
    fn hash_function_hashes_and_allowed_values_keep_the_weaker_form() {
        let items = || catalogue_items(CatSignal::Logs, &[("OTEL_LOG_USER_PROMPTS", "1")]);
        let r = run(YAML, "redaction/hash", Signal::Logs, items());
        assert_eq!(
            state(&r.item("user_prompt").attributes, "prompt"),
            Some((AttrState::Hashed, Presence::Always))
        );
        let r = run(YAML, "redaction/exempt", Signal::Logs, items());
        assert_eq!(
            state(&r.item("user_prompt").attributes, "prompt"),
            Some((AttrState::Raw, Presence::Always))
        );
        // A known constant is decided: `ok` is exempt, anything else masked.
        let ok = log_item("a", &[("prompt", Some("ok"))]);
        let no = log_item("b", &[("prompt", Some("secret"))]);
        let r = run(YAML, "redaction/exempt", Signal::Logs, vec![ok, no]);
        let p = |n: &str| r.item(n).attributes.get("prompt").unwrap().shape.clone();
        assert_eq!(p("a").placeholder.as_deref(), Some("ok"));
        assert_eq!(p("b").placeholder.as_deref(), Some("****"));
    }

    #[test]
    fn bodies_are_not_redacted_before_v0_126() {
        let items = catalogue_items(CatSignal::Logs, &[]);
        let r = run(YAML, "redaction/defaults", Signal::Logs, items);
        assert!(r.item("user_prompt").body.is_some());
    }
}
