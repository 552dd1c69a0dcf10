//! Records of one batch share their resource: a statement that writes into the resource
//! while running on one record (a log, span or data point context) changes it for every
//! record of that resource. Items carry their own copy of the resource, so such changes
//! are passed on to every item, as maybe present.

use crate::analysis::flow::{Attr, AttrMap, Item, UnknownAttrs, join_attr};
use crate::analysis::processors::common::put;
use crate::analysis::shape::Presence;

/// What a statement added to or changed in an item's resource.
pub enum Change {
    Key(Attr),
    Unnamed(UnknownAttrs),
}

pub fn resource_changes(before: &AttrMap, after: &AttrMap) -> Vec<Change> {
    let mut out: Vec<Change> = after
        .keys
        .iter()
        .filter(|a| before.get(a.key()) != Some(*a))
        .map(|a| Change::Key(a.clone()))
        .collect();
    out.extend(
        after
            .unknown
            .iter()
            .filter(|u| !before.unknown.contains(u))
            .map(|u| Change::Unnamed(u.clone())),
    );
    out
}

/// Records of one batch share their resource: what a statement writes into the resource
/// while running on one record may arrive with every other record too.
pub fn share_resource_changes(items: &mut [Item], changes: Vec<Change>) {
    for change in &changes {
        for item in items.iter_mut() {
            match change {
                Change::Key(a) => {
                    let mut a = a.clone();
                    a.shape.presence = Presence::Maybe;
                    let merged = match item.resource.get(a.key()) {
                        Some(old) if *old == a => continue,
                        Some(old) => join_attr(old, &a),
                        None => a,
                    };
                    put(&mut item.resource, merged);
                }
                Change::Unnamed(u) => {
                    if !item.resource.unknown.contains(u) {
                        item.resource.unknown.push(u.clone());
                    }
                }
            }
        }
    }
}
