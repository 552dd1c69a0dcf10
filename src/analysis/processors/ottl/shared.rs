//! Records of one batch share their resource: a statement that writes into the resource
//! while running on one record (a log, span or data point context) changes it for every
//! record of that resource. Items carry their own copy of the resource, so such changes
//! are passed on to every item, as maybe present.
//!
//! The collector also runs a group's statements record by record, so a record's conditions
//! see the resource (and scope) as the records before it left it. The abstract engine runs
//! statement by statement on every item against the resource as it came in; where a
//! processor writes the shared parts from a record ([`writes_shared`]), a condition of a
//! group running on records ([`on_records`]) that reads them ([`reads_shared`]) cannot be
//! decided from the item.

use crate::analysis::flow::{Attr, AttrMap, Item, UnknownAttrs, join_attr};
use crate::analysis::processors::common::put;
use crate::analysis::shape::Presence;
use crate::ottl::{BoolExpr, Context, Expr, StatementGroup};

fn is_shared(context: Option<Context>) -> bool {
    matches!(context, Some(Context::Resource | Context::Scope))
}

/// Whether a group runs on records (logs, spans, data points, …), not on the resources
/// or scopes they share.
pub fn on_records(g: &StatementGroup) -> bool {
    !is_shared(Some(g.context))
}

/// Whether a group running on records has a statement whose target, its first argument,
/// is in the resource or the scope.
pub fn writes_shared(g: &StatementGroup) -> bool {
    on_records(g)
        && g.statements.iter().any(|s| {
            matches!(s.editor.args.first().map(|a| &a.value), Some(Expr::Path(p)) if is_shared(p.context))
        })
}

/// Whether a condition reads the resource or the scope.
pub fn reads_shared(c: &BoolExpr) -> bool {
    let mut found = false;
    c.clone()
        .visit_paths_mut(&mut |p| found |= is_shared(p.context));
    found
}

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
