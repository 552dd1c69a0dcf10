//! The `groupbyattrs` processor (SEMANTICS B.7): the listed keys move from the record
//! attributes to the resource. The value still arrives, at resource level, in the same
//! form; span events follow their span's new resource.

use super::Ctx;
use super::cfg::{self, Bad};
use super::common::{copy_as, put, read};
use crate::analysis::flow::{Item, join_attr};
use crate::analysis::shape::{Presence, RecordKind};

/// Moves the keys of every item.
pub fn apply(ctx: &mut Ctx<'_>, items: &mut [Item]) -> Result<(), Bad> {
    let config = &ctx.component.config;
    cfg::map_or_default(config)?;
    let keys = cfg::strings(config, "keys")?;
    for (key, span) in &keys {
        let step = ctx.step_at("moved from the record to the resource", *span);
        for item in items.iter_mut().filter(|i| i.kind != RecordKind::SpanEvent) {
            let Some(moved) = read(&item.attributes, key, &step) else {
                continue;
            };
            item.attributes.remove(key, step.clone());
            let moved = copy_as(&moved, key, step.clone());
            let new = match item.resource.get(key) {
                _ if moved.shape.presence == Presence::Always => moved,
                Some(old) => join_attr(old, &moved),
                None => moved,
            };
            put(&mut item.resource, new);
        }
    }
    follow_spans(items);
    Ok(())
}

/// Span events belong to their span's resource.
fn follow_spans(items: &mut [Item]) {
    let spans: Vec<(String, crate::analysis::flow::AttrMap)> = items
        .iter()
        .filter(|i| i.kind == RecordKind::Span)
        .map(|i| (i.name.clone(), i.resource.clone()))
        .collect();
    for event in items.iter_mut().filter(|i| i.kind == RecordKind::SpanEvent) {
        let mut joined: Option<crate::analysis::flow::AttrMap> = None;
        for (_, r) in spans
            .iter()
            .filter(|(n, _)| Some(n) == event.parent.as_ref())
        {
            joined = Some(match joined {
                Some(j) => j.join(r),
                None => r.clone(),
            });
        }
        if let Some(r) = joined {
            event.resource = r;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{catalogue_items, run};
    use crate::catalogue::telemetry::Signal as CatSignal;
    use crate::collector::Signal;
    use crate::taxonomy::Category;

    #[test]
    fn listed_keys_move_to_the_resource() {
        let yaml = "processors:\n  groupbyattrs:\n    keys: [session.id, user.email]\n";
        let r = run(
            yaml,
            "groupbyattrs",
            Signal::Metrics,
            catalogue_items(CatSignal::Metrics, &[]),
        );
        let m = r.item("claude_code.session.count");
        assert!(m.attributes.get("session.id").is_none());
        let moved = m.resource.get("session.id").unwrap();
        assert_eq!(moved.shape.category, Category::PseudonymousIdentifier);
        assert_eq!(moved.steps.last().unwrap().line, Some(3));
        assert!(m.resource.get("user.email").is_some());
    }
}
