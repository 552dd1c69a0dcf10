//! The `span` processor (SEMANTICS B.12), on spans: `name.from_attributes` renames a span
//! from attribute values (the name then carries that data); `name.to_attributes` turns
//! named groups of the span name into attributes, decided exactly for a known name.
//! `include` / `exclude` as in the attributes processor.

use super::Ctx;
use super::cfg::{self, Bad};
use super::common::{NAME_FROM_DATA, Tri, derived, known_name, put};
use super::matching::{self, PROCESSOR};
use super::ottl::either_item;
use super::ottl::value::constant_attr;
use crate::analysis::flow::{Item, Step};
use crate::analysis::shape::{Presence, RecordKind};
use crate::taxonomy::Category;
use regex::Regex;

struct Config {
    from: Vec<String>,
    rules: Vec<Regex>,
    break_after_match: bool,
    keep_original: bool,
}

const WHY: &str =
    "it applies only to spans its include/exclude blocks match, which depends on the data";

/// Runs the processor on span items.
pub fn apply(ctx: &mut Ctx<'_>, items: &mut Vec<Item>) -> Result<(), Bad> {
    let config = &ctx.component.config;
    cfg::map_or_default(config)?;
    let name = config.get("name");
    let to = name.and_then(|n| n.get("to_attributes"));
    let c = Config {
        from: name
            .map(|n| cfg::strings(n, "from_attributes"))
            .transpose()?
            .unwrap_or_default()
            .into_iter()
            .map(|(k, _)| k)
            .collect(),
        rules: to
            .map(|t| cfg::strings(t, "rules"))
            .transpose()?
            .unwrap_or_default()
            .iter()
            .map(|(r, s)| cfg::regex(r, *s))
            .collect::<Result<_, _>>()?,
        break_after_match: to.map_or(Ok(false), |t| cfg::boolean(t, "break_after_match", false))?,
        keep_original: to.map_or(Ok(false), |t| cfg::boolean(t, "keep_original_name", false))?,
    };
    let (include, exclude) = matching::blocks(config, &PROCESSOR)?;
    let at = name.map_or(ctx.listed_at, |n| n.span);
    let mut undecided = Vec::new();
    let mut out = Vec::with_capacity(items.len());
    for item in items.drain(..) {
        if item.kind != RecordKind::Span {
            out.push(item);
            continue;
        }
        let decision = matching::acts_on(include.as_ref(), exclude.as_ref(), &item);
        let mut after = item.clone();
        rename(ctx, &c, &mut after, at);
        match decision {
            Tri::No => out.push(item),
            Tri::Yes => out.push(after),
            Tri::Maybe => {
                undecided.push(item.name.clone());
                out.extend(either_item(&item, after, WHY));
            }
        }
    }
    *items = out;
    let at = ["include", "exclude"]
        .iter()
        .find_map(|k| ctx.component.config.entry(k).map(|e| e.key_span));
    ctx.undecided(at, "its include/exclude match", &undecided);
    Ok(())
}

fn rename(ctx: &Ctx<'_>, c: &Config, item: &mut Item, at: crate::files::Span) {
    if !c.from.is_empty() {
        let step = ctx.step_at("renamed from attribute values", at);
        let mut cats = Vec::new();
        for k in &c.from {
            match item.attributes.get(k) {
                Some(a) => cats.extend(a.categories()),
                // The rename needs every listed attribute.
                None if super::common::certainly_absent(&item.attributes, k) => return,
                None => cats.extend(super::common::unknown_categories(&item.attributes)),
            }
        }
        item.attributes
            .add_unknown(cats, "data copied into the span name", vec![step.clone()]);
        item.steps.push(Step {
            what: format!("{NAME_FROM_DATA} ({})", step.what),
            ..step
        });
    }
    for re in &c.rules {
        let step = ctx.step_at("extracted from the span name", at);
        match known_name(item).map(str::to_string) {
            Some(name) => {
                let Some(caps) = re.captures(&name) else {
                    continue;
                };
                for g in re.capture_names().flatten() {
                    if let Some(m) = caps.name(g) {
                        let mut a = constant_attr(g, Some(m.as_str().to_string()), &step);
                        a.shape.category = Category::TechnicalMetadata;
                        put(&mut item.attributes, a);
                    }
                }
                if !c.keep_original {
                    item.name = re
                        .replace(&name, |caps: &regex::Captures<'_>| {
                            placeholder_for(re, caps)
                        })
                        .into_owned();
                    item.steps.push(step);
                }
                if c.break_after_match {
                    break;
                }
            }
            None => {
                let cats = item.categories();
                for g in re.capture_names().flatten() {
                    put(
                        &mut item.attributes,
                        derived(g, &cats, Presence::Maybe, step.clone()),
                    );
                }
            }
        }
    }
}

/// The collector replaces each named group's text in the name by `{group}`.
fn placeholder_for(re: &Regex, caps: &regex::Captures<'_>) -> String {
    let whole = caps.get(0).expect("group 0");
    let mut out = String::new();
    let mut last = whole.start();
    let mut groups: Vec<(usize, usize, &str)> = re
        .capture_names()
        .flatten()
        .filter_map(|g| caps.name(g).map(|m| (m.start(), m.end(), g)))
        .collect();
    groups.sort();
    let text = caps.get(0).map(|m| m.as_str()).unwrap_or_default();
    let base = whole.start();
    for (s, e, g) in groups {
        out.push_str(&text[last - base..s - base]);
        out.push('{');
        out.push_str(g);
        out.push('}');
        last = e;
    }
    out.push_str(&text[last - base..]);
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::{catalogue_items, run};
    use crate::catalogue::telemetry::Signal as CatSignal;
    use crate::collector::Signal;

    #[test]
    fn to_attributes_on_a_known_name_and_from_attributes_taints_the_name() {
        let yaml = r#"
processors:
  span/to:
    name:
      to_attributes:
        rules: ['^claude_code\.(?P<stage>[a-z_]+)$']
  span/from:
    name:
      from_attributes: [user.email]
"#;
        let traces = catalogue_items(CatSignal::Traces, &[]);
        let r = run(yaml, "span/to", Signal::Traces, traces.clone());
        let i = r.item("claude_code.{stage}");
        let stage = i.attributes.get("stage").unwrap();
        assert_eq!(stage.shape.placeholder.as_deref(), Some("interaction"));
        let r = run(yaml, "span/from", Signal::Traces, traces);
        let span = r.item("claude_code.interaction");
        assert!(span.attributes.unknown.iter().any(|u| {
            u.categories
                .contains(&crate::taxonomy::Category::ContactEmail)
        }));
        assert!(super::super::common::known_name(span).is_none());
    }
}
