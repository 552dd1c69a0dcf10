//! OTTL interpreted abstractly, over the syntax tree of [`crate::ottl`]: conditions are
//! decided where the configuration fixes them ([`cond`]), values are described by what
//! they may hold ([`value`]), and editors change an item as certainly happening
//! ([`editors`]). A statement that may not run for an item (an undecided condition, a
//! statement that may fail under `error_mode: ignore`) is applied to a copy and joined
//! with the original ([`either_item`]).

pub mod cond;
pub mod editors;
pub mod guard;
pub mod paths;
pub mod shared;
pub mod value;

use crate::analysis::flow::{Item, join_attr};
use crate::analysis::processors::common::{either, uncertain};
use crate::analysis::shape::Presence;
use crate::collector::Signal;
use crate::ottl::{Call, Expr, Key, Statement};

/// The OTTL signal of a pipeline signal (profiles have no statements).
pub fn ottl_signal(s: Signal) -> Option<crate::ottl::Signal> {
    match s {
        Signal::Traces => Some(crate::ottl::Signal::Traces),
        Signal::Metrics => Some(crate::ottl::Signal::Metrics),
        Signal::Logs => Some(crate::ottl::Signal::Logs),
        Signal::Profiles => None,
    }
}

/// True when the statement can fail for some items because of the data's types: it calls
/// a converter, or indexes into a value (a nested key, a dynamic key, a map body).
pub fn may_error(stmt: &Statement) -> bool {
    let mut nested = false;
    stmt.visit_paths(&mut |p| {
        let indexes = p.fields.iter().map(|f| f.keys.len()).sum::<usize>();
        let body_index = p
            .fields
            .iter()
            .any(|f| f.name == "body" && !f.keys.is_empty());
        let dynamic = p
            .fields
            .iter()
            .flat_map(|f| &f.keys)
            .any(|k| matches!(k, Key::Dynamic(_)));
        nested |= indexes > 1 || body_index || dynamic;
    });
    nested || calls_converter(&stmt.editor)
}

fn calls_converter(call: &Call) -> bool {
    call.args.iter().any(|a| expr_converts(&a.value))
}

fn expr_converts(e: &Expr) -> bool {
    match e {
        Expr::Converter(_) => true,
        Expr::List(items) => items.iter().any(expr_converts),
        Expr::Map(entries) => entries.iter().any(|(_, v)| expr_converts(v)),
        Expr::Math { left, right, .. } => expr_converts(left) || expr_converts(right),
        _ => false,
    }
}

/// The items after an effect that may or may not have happened to `before`: the maps and
/// body joined; a renamed item becomes two items, each maybe present.
pub fn either_item(before: &Item, after: Item, why: &str) -> Vec<Item> {
    if after.name != before.name {
        let mut kept = before.clone();
        kept.presence = Presence::Maybe;
        let mut renamed = after;
        renamed.presence = Presence::Maybe;
        mark_new_steps(&mut renamed, before, why);
        return vec![kept, renamed];
    }
    let mut out = before.clone();
    out.resource = either(&before.resource, &after.resource, why);
    out.attributes = either(&before.attributes, &after.attributes, why);
    out.body = match (&before.body, &after.body) {
        (Some(b), Some(a)) if a != b => {
            let mut j = join_attr(b, a);
            j.steps = b.steps.clone();
            j.steps.extend(
                a.steps
                    .iter()
                    .filter(|s| !b.steps.contains(s))
                    .map(|s| uncertain(s, why)),
            );
            Some(j)
        }
        (b, _) => b.clone(),
    };
    for s in after.steps.iter().filter(|s| !before.steps.contains(s)) {
        out.steps.push(uncertain(s, why));
    }
    vec![out]
}

fn mark_new_steps(item: &mut Item, before: &Item, why: &str) {
    item.steps = item
        .steps
        .iter()
        .map(|s| {
            if before.steps.contains(s) {
                s.clone()
            } else {
                uncertain(s, why)
            }
        })
        .collect();
}
