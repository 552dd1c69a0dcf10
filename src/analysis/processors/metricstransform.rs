//! The `metricstransform` processor (SEMANTICS B.12), on metric items: renames (`update`,
//! `combine`), copies (`insert`) and label operations. A renamed label is removed and
//! added under the new name with the same data; `aggregate_labels` keeps only the listed
//! labels; value rewrites of single label values depend on the data, so either value
//! may arrive. Which metrics a transform selects is decided from their known names.

use regex::Regex;

use super::Ctx;
use super::attraction;
use super::cfg::{self, Bad};
use super::common::{NAME_FROM_DATA, Tri, configured, copy_as, keep_only, known_name, put};
use super::ottl::either_item;
use crate::analysis::flow::{Item, Step, join_attr};
use crate::analysis::shape::{Presence, RecordKind};
use crate::files::Span;
use crate::tree::Node;

/// One `transforms` entry.
struct Transform {
    select: Select,
    labels_filter: bool,
    action: String,
    new_name: Option<String>,
    case_change: bool,
    operations: Vec<Node>,
    span: Span,
}

enum Select {
    Strict(String),
    Regexp(Regex),
}

const WHY: &str =
    "it applies only to data points with the labels it matches, which depends on the data";

/// Runs the transforms in order on the metric items.
pub fn apply(ctx: &mut Ctx<'_>, items: &mut Vec<Item>) -> Result<(), Bad> {
    let config = &ctx.component.config;
    cfg::map_or_default(config)?;
    let transforms = cfg::seq(config, "transforms")?
        .iter()
        .map(parse)
        .collect::<Result<Vec<_>, _>>()?;
    for t in &transforms {
        for op in &t.operations {
            check_operation(op)?;
        }
    }
    let mut undecided = Vec::new();
    for t in &transforms {
        let mut out = Vec::with_capacity(items.len());
        for item in items.drain(..) {
            let selected = if item.kind == RecordKind::Metric {
                select(t, &item)
            } else {
                Tri::No
            };
            if selected == Tri::No {
                out.push(item);
                continue;
            }
            let mut after = item.clone();
            transform(ctx, t, &mut after);
            let sure = selected == Tri::Yes;
            if !sure {
                undecided.push(item.name.clone());
            }
            match (t.action.as_str(), sure) {
                ("insert", _) => {
                    if !sure {
                        after.presence = Presence::Maybe;
                    }
                    out.push(item);
                    out.push(after);
                }
                (_, true) => out.push(after),
                (_, false) => out.extend(either_item(&item, after, WHY)),
            }
        }
        *items = out;
    }
    let at = config.entry("transforms").map(|e| e.key_span);
    ctx.undecided(at, "which data points a transform selects", &undecided);
    Ok(())
}

fn parse(node: &Node) -> Result<Transform, Bad> {
    let (include, span) = match cfg::string(node, "include")? {
        Some(i) => i,
        None => cfg::string(node, "metric_name")?
            .ok_or_else(|| Bad::new(node.span, "a transform needs `include`"))?,
    };
    let regexp = cfg::string(node, "match_type")?.is_some_and(|(m, _)| m == "regexp");
    let select = if regexp {
        Select::Regexp(cfg::regex(&include, span)?)
    } else {
        Select::Strict(include)
    };
    let (action, action_span) = cfg::string(node, "action")?
        .ok_or_else(|| Bad::new(node.span, "a transform needs `action`"))?;
    if !matches!(action.as_str(), "update" | "insert" | "combine") {
        return Err(Bad::new(action_span, format!("unknown action `{action}`")));
    }
    Ok(Transform {
        select,
        labels_filter: node.get("experimental_match_labels").is_some(),
        action,
        new_name: cfg::string(node, "new_name")?.map(|(n, _)| n),
        case_change: node.get("submatch_case").is_some(),
        operations: cfg::seq(node, "operations")?.to_vec(),
        span: node.span,
    })
}

fn check_operation(op: &Node) -> Result<(), Bad> {
    let (name, span) = cfg::string(op, "action")?
        .ok_or_else(|| Bad::new(op.span, "an operation needs `action`"))?;
    match name.as_str() {
        "add_label"
        | "update_label"
        | "delete_label_value"
        | "toggle_scalar_data_type"
        | "scale_value"
        | "experimental_scale_value"
        | "aggregate_labels"
        | "aggregate_label_values" => Ok(()),
        other => Err(Bad::new(span, format!("unknown operation `{other}`"))),
    }
}

fn select(t: &Transform, item: &Item) -> Tri {
    let Some(name) = known_name(item) else {
        return Tri::Maybe;
    };
    let hit = match &t.select {
        Select::Strict(s) => s == name,
        Select::Regexp(re) => re.is_match(name),
    };
    match (hit, t.labels_filter) {
        (false, _) => Tri::No,
        (true, true) => Tri::Maybe,
        (true, false) => Tri::Yes,
    }
}

/// The item after the transform's rename and operations.
fn transform(ctx: &Ctx<'_>, t: &Transform, item: &mut Item) {
    if let Some(new) = &t.new_name {
        let step = ctx.step_at("renamed", t.span);
        match (&t.select, new.contains('$'), t.case_change) {
            (Select::Regexp(_), true, true) => item.steps.push(Step {
                what: format!("{NAME_FROM_DATA} ({})", step.what),
                ..step
            }),
            (Select::Regexp(re), true, false) => {
                item.name = re.replace(&item.name, new.as_str()).into_owned();
                item.steps.push(step);
            }
            _ => {
                item.name = new.clone();
                item.steps.push(step);
            }
        }
    }
    for op in &t.operations {
        operation(ctx, op, item);
    }
}

fn operation(ctx: &Ctx<'_>, op: &Node, item: &mut Item) {
    let text = |k: &str| op.get(k).and_then(Node::as_str).map(str::to_string);
    let name = text("action").unwrap_or_default();
    let map = &mut item.attributes;
    match name.as_str() {
        "add_label" => {
            if let (Some(label), Some(value)) = (text("new_label"), op.get("new_value")) {
                let step = ctx.step_at("label added", op.span);
                attraction::insert(
                    map,
                    &label,
                    Some(configured(&label, value, ctx.files, step)),
                );
            }
        }
        "update_label" => {
            let Some(label) = text("label") else { return };
            for va in op
                .get("value_actions")
                .and_then(Node::as_seq)
                .unwrap_or_default()
            {
                if let Some(v) = va.get("new_value") {
                    may_become(ctx, map, &label, v, va.span);
                }
            }
            if let Some(new) = text("new_label") {
                let step = ctx.step_at(&format!("label renamed to `{new}`"), op.span);
                if let Some(old) = map.remove(&label, step.clone()) {
                    put(map, copy_as(&old, &new, step));
                }
            }
        }
        "aggregate_labels" => {
            let keep: Vec<String> = op
                .get("label_set")
                .and_then(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .filter_map(|n| n.as_str().map(str::to_string))
                .collect();
            let step = ctx.step_at("aggregated away (not in label_set)", op.span);
            keep_only(map, &keep, &step);
        }
        "aggregate_label_values" => {
            if let (Some(label), Some(v)) = (text("label"), op.get("new_value")) {
                may_become(ctx, map, &label, v, op.span);
            }
        }
        _ => {}
    }
}

/// A label value that may be replaced by a configured constant, depending on the value.
fn may_become(
    ctx: &Ctx<'_>,
    map: &mut crate::analysis::flow::AttrMap,
    label: &str,
    v: &Node,
    at: Span,
) {
    let Some(old) = map.get(label).cloned() else {
        return;
    };
    let step = ctx.step_at("some values replaced by a constant", at);
    let new = configured(label, v, ctx.files, step);
    let mut j = join_attr(&old, &super::common::overwrite(&old, &new));
    j.shape.presence = old.shape.presence;
    put(map, j);
}

#[cfg(test)]
mod tests {
    use super::super::testing::{catalogue_items, run};
    use crate::catalogue::telemetry::Signal as CatSignal;
    use crate::collector::Signal;

    #[test]
    fn renames_copies_and_label_operations() {
        let yaml = r#"
processors:
  metricstransform:
    transforms:
      - include: claude_code.token.usage
        action: update
        new_name: tokens
        operations:
          - action: update_label
            label: user.email
            new_label: email
          - action: aggregate_labels
            label_set: [email, model, type]
            aggregation_type: sum
      - include: ^claude_code\.(.*)\.count$
        match_type: regexp
        action: insert
        new_name: cc.${1}
"#;
        let r = run(
            yaml,
            "metricstransform",
            Signal::Metrics,
            catalogue_items(CatSignal::Metrics, &[]),
        );
        let t = r.item("tokens");
        assert!(t.attributes.get("user.email").is_none());
        assert_eq!(
            t.attributes.get("email").unwrap().shape.category,
            crate::taxonomy::Category::ContactEmail
        );
        assert!(t.attributes.get("session.id").is_none());
        assert!(t.attributes.unknown.is_empty());
        assert!(!r.has("claude_code.token.usage"));
        assert!(r.has("claude_code.session.count"));
        assert!(
            r.has("cc.session"),
            "{:?}",
            r.items.iter().map(|i| &i.name).collect::<Vec<_>>()
        );
    }
}
