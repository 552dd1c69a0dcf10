//! The `logdedup` processor (SEMANTICS B.6): identical logs become one, with a count and
//! the first and last observed times added. `exclude_fields` entries on attributes are
//! removed from the emitted log, for certain only when every log is deduplicated (no
//! `conditions`, or conditions certainly true for the record).

use super::Ctx;
use super::cfg::{self, Bad};
use super::common::{Tri, derived, either, put};
use super::ottl::cond::decide;
use crate::analysis::flow::{AttrMap, Item, Step};
use crate::analysis::shape::{Presence, RecordKind, ValueKind};
use crate::diag::{Code, Diagnostic};
use crate::files::Span;
use crate::ottl::{BoolExpr, Context, condition_patterns, parse_condition, resolve_group};
use crate::taxonomy::Category;

const KNOWN: &[&str] = &[
    "interval",
    "log_count_attribute",
    "timezone",
    "exclude_fields",
    "include_fields",
    "conditions",
];

/// Deduplicates the log items.
pub fn apply(ctx: &mut Ctx<'_>, items: &mut [Item]) -> Result<(), Bad> {
    let config = &ctx.component.config;
    cfg::map_or_default(config)?;
    if let Some(e) = config
        .as_map()
        .and_then(|m| m.iter().find(|e| !KNOWN.contains(&e.key.as_str())))
    {
        return Err(Bad::new(
            e.key_span,
            format!("`{}` is not a logdedup setting", e.key),
        ));
    }
    let count_key = cfg::string(config, "log_count_attribute")?
        .map_or_else(|| "log_count".to_string(), |(k, _)| k);
    let excluded: Vec<(String, Span)> = cfg::strings(config, "exclude_fields")?
        .into_iter()
        .filter_map(|(f, s)| attribute_field(&f).map(|k| (k, s)))
        .collect();
    let conditions = conditions(config)?;
    let bad = conditions.iter().filter(|(c, _)| c.is_none()).count();
    let step = ctx.step("added by log deduplication");
    let mut undecided = Vec::new();
    for item in items.iter_mut().filter(|i| i.kind == RecordKind::Event) {
        let applies = if conditions.is_empty() {
            Tri::Yes
        } else {
            conditions
                .iter()
                .map(|(c, _)| c.as_ref().map_or(Tri::Maybe, |c| decide(c, item)))
                .fold(Tri::No, Tri::or)
        };
        let mut after = item.attributes.clone();
        dedup(ctx, &mut after, &count_key, &excluded, &step);
        match applies {
            Tri::No => {}
            Tri::Yes => item.attributes = after,
            Tri::Maybe => {
                undecided.push(item.name.clone());
                let why = "only logs its conditions match are deduplicated";
                item.attributes = either(&item.attributes, &after, why);
            }
        }
    }
    if bad > 0 {
        let at = conditions
            .iter()
            .find(|(c, _)| c.is_none())
            .map(|(_, s)| *s);
        ctx.diags.push(
            Diagnostic::new(
                Code::OttlNotUnderstood,
                format!(
                    "processor `{}` in collector `{}`: a condition could not be read; it may hold for any log",
                    ctx.component.id, ctx.collector
                ),
            )
            .at_opt(at),
        );
    }
    let at = config.entry("conditions").map(|e| e.key_span);
    ctx.undecided(at, "whether its conditions hold", &undecided);
    Ok(())
}

fn dedup(
    ctx: &Ctx<'_>,
    map: &mut AttrMap,
    count_key: &str,
    excluded: &[(String, Span)],
    step: &Step,
) {
    for (key, span) in excluded {
        map.remove(
            key,
            ctx.step_at("removed (exclude_fields of log deduplication)", *span),
        );
    }
    let added = [
        (count_key, Category::UsageAndCost),
        ("first_observed_timestamp", Category::Timing),
        ("last_observed_timestamp", Category::Timing),
    ];
    for (key, cat) in added {
        let mut a = derived(key, &[cat], Presence::Always, step.clone());
        a.shape.kind = ValueKind::Metadata;
        put(map, a);
    }
}

/// `attributes.a\.b` → `a.b`; body fields are not attribute keys.
fn attribute_field(field: &str) -> Option<String> {
    let rest = field.strip_prefix("attributes.")?;
    let mut out = String::new();
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'.') => {
                out.push('.');
                chars.next();
            }
            // A nested field: only part of the top-level value goes.
            '.' => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

fn conditions(config: &crate::tree::Node) -> Result<Vec<(Option<BoolExpr>, Span)>, Bad> {
    cfg::strings(config, "conditions")?
        .into_iter()
        .map(|(text, span)| {
            let parsed = match parse_condition(&text) {
                Ok(c) => Some(c),
                Err(e) if e.limit => return Err(cfg::ottl(span, e.message, true)),
                Err(_) => None,
            };
            if let Some(c) = &parsed {
                cfg::patterns_fit(condition_patterns(c).into_iter().map(|p| (p, span)))?;
            }
            let parsed = parsed.and_then(|c| {
                let mut conds = [c];
                resolve_group(
                    crate::ottl::Signal::Logs,
                    Some(Context::Log),
                    &mut [],
                    &mut conds,
                )
                .ok()
                .map(|_| conds.into_iter().next().expect("one"))
            });
            Ok((parsed, span))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::testing::{catalogue_items, log_item, run, state};
    use crate::analysis::shape::{AttrState, Presence};
    use crate::catalogue::telemetry::Signal as CatSignal;
    use crate::collector::Signal;

    #[test]
    fn adds_the_count_and_removes_excluded_attributes() {
        let yaml = "processors:\n  logdedup:\n    exclude_fields: [attributes.event\\.timestamp, body.x]\n";
        let r = run(
            yaml,
            "logdedup",
            Signal::Logs,
            catalogue_items(CatSignal::Logs, &[]),
        );
        let up = r.item("user_prompt");
        assert_eq!(
            state(&up.attributes, "log_count"),
            Some((AttrState::Raw, Presence::Always))
        );
        assert!(up.attributes.get("event.timestamp").is_none());
        assert!(up.attributes.get("last_observed_timestamp").is_some());
    }

    #[test]
    fn conditions_decide_or_make_it_maybe() {
        let yaml = r#"
processors:
  logdedup:
    exclude_fields: [attributes.event\.timestamp]
    conditions:
      - body == "claude_code.api_request"
      - attributes["prompt_length"] > 3
"#;
        let r = run(
            yaml,
            "logdedup",
            Signal::Logs,
            catalogue_items(CatSignal::Logs, &[]),
        );
        assert!(
            r.item("api_request")
                .attributes
                .get("event.timestamp")
                .is_none()
        );
        let up = r.item("user_prompt");
        assert_eq!(
            state(&up.attributes, "event.timestamp").map(|s| s.1),
            Some(Presence::Maybe)
        );
        assert_eq!(
            state(&up.attributes, "log_count").map(|s| s.1),
            Some(Presence::Maybe)
        );
        // Without the key, the second condition is certainly false.
        let item = log_item("claude_code.x", &[("event.timestamp", None)]);
        let r = run(yaml, "logdedup", Signal::Logs, vec![item]);
        let a = &r.items[0].attributes;
        assert_eq!(
            state(a, "event.timestamp").map(|s| s.1),
            Some(Presence::Always)
        );
        assert!(a.get("log_count").is_none());
    }
}
