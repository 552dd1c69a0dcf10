//! The sound treatment of a processor nobody modelled, or whose configuration is unknown:
//! it removes nothing, and it may copy anything the item carries into keys we cannot name
//! (SEMANTICS B.13).

use super::{Applied, Ctx};
use crate::analysis::flow::{Item, Step};
use crate::diag::{Code, Diagnostic};
use crate::files::Span;

/// How the evidence of an unmodelled processor's effect begins, so that a caller (the
/// fix's summary) can tell a destination it stands in front of.
pub const MAY_CHANGE_ANYTHING: &str = "may add or change anything";

/// Says why the processor is unknown (OD501 at `at`) and applies [`effect`].
pub fn apply(ctx: &mut Ctx<'_>, items: Vec<Item>, why: &str, at: Span) -> Applied {
    let id = ctx.component.id.to_string();
    ctx.diags.push(
        Diagnostic::new(
            Code::UnmodelledProcessor,
            format!("processor `{id}` in collector `{}`: {why}; it is assumed to remove nothing and possibly copy any data into new attributes", ctx.collector),
        )
        .at(at)
        .hint("the data map assumes the worst for it; if it strips or hashes data, express that with the attributes, redaction or transform processor"),
    );
    Applied::items(effect(ctx, items, why))
}

/// Leaves every key in place but raw (any value may have been rewritten, so no constant
/// or protection can be relied on), adds unknown keys with the taint of the whole item in
/// the resource and the record, and lets the body hold anything.
pub fn effect(ctx: &Ctx<'_>, mut items: Vec<Item>, why: &str) -> Vec<Item> {
    let id = ctx.component.id.to_string();
    let step = ctx.step(&format!("{MAY_CHANGE_ANYTHING} ({why})"));
    for item in &mut items {
        let taint = item.categories();
        let reason = format!("processor {id} may add keys ({why})");
        for map in [&mut item.attributes, &mut item.resource] {
            for a in &mut map.keys {
                // Any value may have been rewritten: no constant and no protection holds.
                a.shape.state = crate::analysis::shape::AttrState::Raw;
                a.shape.placeholder = None;
                a.steps.push(step.clone());
            }
            map.add_unknown(taint.clone(), reason.clone(), vec![step.clone()]);
        }
        if let Some(body) = &mut item.body {
            body.shape.state = crate::analysis::shape::AttrState::Raw;
            body.shape.placeholder = None;
            for c in taint {
                if c != body.shape.category && !body.shape.also.contains(&c) {
                    body.shape.also.push(c);
                }
            }
            body.steps.push(step.clone());
        }
        item.steps.push(step.clone());
        // It may also have renamed the record.
        item.steps.push(Step {
            what: format!("{} ({})", super::common::NAME_FROM_DATA, step.what),
            ..step.clone()
        });
    }
    items
}
