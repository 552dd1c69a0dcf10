//! Joining everything one destination receives along many routes, in time and memory
//! linear in what the routes carry.
//!
//! A gateway that fans a thousand pipelines into one exporter delivers a thousand copies
//! of each record, each with the evidence of its own route. [`super::flow::join_items`]
//! joins two lists and removes repeated evidence as it goes, which is quadratic when it
//! is applied route after route. Here every copy is folded into the first one in place,
//! evidence is appended, and repeats are removed once at the end, so the result is the
//! same join (least-protected state, every category, `always` if any route is always,
//! every evidence line once, first occurrence first).

use std::collections::{HashMap, HashSet};

use super::flow::{Attr, AttrMap, Item, Step};
use super::shape::{Presence, RecordKind, Signal};

/// What makes two items the same record: signal, kind, span parent and name.
type Identity = (Signal, RecordKind, Option<String>, String);

/// The items of one destination, being gathered.
#[derive(Default)]
pub struct Gathered {
    items: Vec<Item>,
    at: HashMap<Identity, usize>,
}

impl Gathered {
    /// Folds the items of one more route in.
    pub fn add(&mut self, more: Vec<Item>) {
        for item in more {
            let id = (
                item.signal,
                item.kind,
                item.parent.clone(),
                item.name.clone(),
            );
            match self.at.get(&id) {
                Some(&i) => absorb_item(&mut self.items[i], item),
                None => {
                    self.at.insert(id, self.items.len());
                    self.items.push(item);
                }
            }
        }
    }

    /// The joined items, each evidence line once.
    pub fn finish(self) -> Vec<Item> {
        let mut items = self.items;
        for item in &mut items {
            tidy_item(item);
        }
        items
    }
}

/// The join of several attribute maps (the resources of a destination's records), each
/// evidence line once.
pub fn join_maps<'a>(maps: impl IntoIterator<Item = &'a AttrMap>) -> AttrMap {
    let mut out = AttrMap::default();
    for m in maps {
        absorb_map(&mut out, m.clone());
    }
    tidy_map(&mut out);
    out
}

fn absorb_item(into: &mut Item, more: Item) {
    absorb_map(&mut into.resource, more.resource);
    absorb_map(&mut into.attributes, more.attributes);
    into.body = match (into.body.take(), more.body) {
        (Some(mut a), Some(b)) => {
            absorb_attr(&mut a, b);
            Some(a)
        }
        (a, b) => a.or(b),
    };
    if more.presence == Presence::Always {
        into.presence = Presence::Always;
    }
    into.steps.extend(more.steps);
}

/// The in-place form of [`AttrMap::join`], without removing repeated evidence.
fn absorb_map(into: &mut AttrMap, more: AttrMap) {
    for a in more.keys {
        match into.keys.binary_search_by(|k| k.key().cmp(a.key())) {
            Ok(i) => absorb_attr(&mut into.keys[i], a),
            Err(i) => into.keys.insert(i, a),
        }
    }
    for u in more.unknown {
        let same = |x: &&mut super::flow::UnknownAttrs| {
            x.categories == u.categories && x.reason == u.reason
        };
        match into.unknown.iter_mut().find(same) {
            Some(x) => x.steps.extend(u.steps),
            None => into.unknown.push(u),
        }
    }
    for r in more.removed {
        if !into.removed.iter().any(|x| x.key == r.key) {
            into.removed.push(r);
        }
    }
    let keys = &into.keys;
    into.removed
        .retain(|r| keys.binary_search_by(|k| k.key().cmp(&r.key)).is_err());
}

/// The in-place form of [`super::flow::join_attr`], without removing repeated evidence.
fn absorb_attr(into: &mut Attr, more: Attr) {
    let placeholders_differ = into.shape.placeholder != more.shape.placeholder;
    let always = into.shape.presence == Presence::Always || more.shape.presence == Presence::Always;
    let mut categories = into.categories();
    categories.extend(more.categories());
    if more.shape.state < into.shape.state {
        let steps = std::mem::take(&mut into.steps);
        *into = more;
        into.steps.splice(0..0, steps);
    } else {
        into.steps.extend(more.steps);
    }
    if placeholders_differ {
        into.shape.placeholder = None;
    }
    if always {
        into.shape.presence = Presence::Always;
    }
    for c in categories {
        if c != into.shape.category && !into.shape.also.contains(&c) {
            into.shape.also.push(c);
        }
    }
}

/// Removes repeated evidence lines everywhere in an item, keeping the first of each.
fn tidy_item(item: &mut Item) {
    dedup(&mut item.steps);
    tidy_map(&mut item.resource);
    tidy_map(&mut item.attributes);
    if let Some(b) = &mut item.body {
        dedup(&mut b.steps);
    }
}

fn tidy_map(map: &mut AttrMap) {
    for a in &mut map.keys {
        dedup(&mut a.steps);
    }
    for u in &mut map.unknown {
        dedup(&mut u.steps);
    }
}

fn dedup(steps: &mut Vec<Step>) {
    if steps.len() < 2 {
        return;
    }
    let mut seen: HashSet<Step> = HashSet::with_capacity(steps.len());
    steps.retain(|s| seen.insert(s.clone()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::flow::join_items;
    use crate::analysis::shape::{AttrShape, AttrState, ValueKind};
    use crate::taxonomy::Category;

    fn attr(key: &str, state: AttrState, presence: Presence, step: &str) -> Attr {
        Attr {
            shape: AttrShape {
                key: key.into(),
                category: Category::PromptContent,
                also: Vec::new(),
                kind: ValueKind::Content,
                state,
                placeholder: None,
                presence,
                condition: None,
                signals: Vec::new(),
                evidence: Vec::new(),
                catalogue_evidence: crate::catalogue::telemetry::EvidenceKind::Seen,
            },
            steps: vec![Step::unplaced(step), Step::unplaced("shared")],
        }
    }

    fn item(route: usize) -> Item {
        let mut attributes = AttrMap::default();
        let state = if route.is_multiple_of(2) {
            AttrState::Hashed
        } else {
            AttrState::Raw
        };
        let presence = if route == 3 {
            Presence::Always
        } else {
            Presence::Maybe
        };
        attributes.insert(attr("prompt", state, presence, &format!("route {route}")));
        attributes.insert(attr(
            &format!("only.{route}"),
            AttrState::Raw,
            Presence::Maybe,
            "own",
        ));
        Item {
            signal: Signal::Logs,
            kind: RecordKind::Event,
            name: "claude_code.user_prompt".into(),
            parent: None,
            presence: Presence::Maybe,
            resource: AttrMap::default(),
            attributes,
            body: None,
            steps: vec![Step::unplaced(format!("route {route}"))],
            origin: None,
        }
    }

    #[test]
    fn gathering_gives_the_same_join_as_joining_route_after_route() {
        let mut pairwise: Vec<Item> = Vec::new();
        let mut gathered = Gathered::default();
        for route in 0..6 {
            join_items(&mut pairwise, vec![item(route)]);
            gathered.add(vec![item(route)]);
        }
        let gathered = gathered.finish();
        assert_eq!(gathered.len(), 1);
        let (a, b) = (&pairwise[0], &gathered[0]);
        let keys = |i: &Item| -> Vec<String> {
            i.attributes
                .keys
                .iter()
                .map(|a| a.key().to_string())
                .collect()
        };
        assert_eq!(keys(a), keys(b));
        for (x, y) in a.attributes.keys.iter().zip(&b.attributes.keys) {
            assert_eq!(x.shape.state, y.shape.state, "{}", x.key());
            assert_eq!(x.shape.presence, y.shape.presence, "{}", x.key());
            let mut sx = x.steps.clone();
            let mut sy = y.steps.clone();
            sx.sort();
            sy.sort();
            assert_eq!(sx, sy, "the same evidence, once each: {}", x.key());
        }
        let prompt = b.attributes.get("prompt").unwrap();
        assert_eq!(prompt.shape.state, AttrState::Raw);
        assert_eq!(prompt.shape.presence, Presence::Always);
        assert_eq!(prompt.steps.len(), 7, "six routes and the shared line once");
        assert_eq!(b.steps.len(), 6);
    }
}
