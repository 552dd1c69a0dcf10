//! The sound treatment of a processor nobody modelled, or whose configuration is unknown:
//! it removes nothing, and it may copy anything the item carries into keys we cannot name
//! (SEMANTICS B.13).

use super::{Applied, Ctx};
use crate::analysis::flow::Item;
use crate::diag::{Code, Diagnostic};

/// Leaves every key in place and adds unknown keys with the taint of the whole item.
pub fn apply(ctx: &mut Ctx<'_>, mut items: Vec<Item>, why: &str) -> Applied {
    let id = ctx.component.id.to_string();
    ctx.diags.push(
        Diagnostic::new(
            Code::UnmodelledProcessor,
            format!("processor `{id}` in collector `{}`: {why}; it is assumed to remove nothing and possibly copy any data into new attributes", ctx.collector),
        )
        .at(ctx.listed_at)
        .hint("the data map assumes the worst for it; if it strips or hashes data, express that with the attributes, redaction or transform processor"),
    );
    let step = ctx.step(&format!("may add or change anything ({why})"));
    for item in &mut items {
        let taint = item.categories();
        let reason = format!("processor {id} may add keys ({why})");
        item.attributes
            .add_unknown(taint.clone(), reason.clone(), vec![step.clone()]);
        item.resource
            .add_unknown(taint.clone(), reason, vec![step.clone()]);
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
    }
    Applied::items(items)
}
