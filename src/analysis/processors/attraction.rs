//! The action engine the `attributes` and `resource` processors share
//! (`internal/coreinternal/attraction`), run on one abstract attribute map
//! (SEMANTICS B.1).
//!
//! Actions run in order. A delete of a named key removes it for certain; a pattern removes
//! every named key it matches, while unnamed keys may survive. `hash` leaves a hash
//! (SHA-256 in the collector's code, whatever its README says); `insert`, `update` and
//! `upsert` write a constant, a copy of another attribute (with that attribute's data), or
//! request metadata (unknown data); `extract` creates the pattern's named groups with the
//! source's data; `convert` changes only the type.

use regex::Regex;

use super::Ctx;
use super::cfg::{self, Bad};
use super::common::{
    certainly_absent, configured, copy_as, derived, overwrite, protect, put, read,
    unknown_categories,
};
use crate::analysis::flow::{Attr, AttrMap, Step, join_attr};
use crate::analysis::shape::{AttrState, Presence};
use crate::files::Span;
use crate::taxonomy::Category;
use crate::tree::Node;

/// What an action does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verb {
    Insert,
    Update,
    Upsert,
    Delete,
    Hash,
    Extract,
    Convert,
}

/// Where a written value comes from.
#[derive(Debug, Clone)]
enum Source {
    Value(Node),
    Attribute(String),
    Context(String),
}

/// One configured action.
#[derive(Debug, Clone)]
pub struct Action {
    verb: Verb,
    key: Option<String>,
    pattern: Option<Regex>,
    source: Option<Source>,
    converted_type: Option<String>,
    span: Span,
}

/// Reads an `actions` (or resource `attributes`) list the way the collector validates it.
pub fn parse(list: &[Node]) -> Result<Vec<Action>, Bad> {
    list.iter().map(parse_one).collect()
}

fn parse_one(node: &Node) -> Result<Action, Bad> {
    let (name, name_span) = cfg::string(node, "action")?
        .ok_or_else(|| Bad::new(node.span, "an action needs `action`"))?;
    let verb = match name.to_ascii_lowercase().as_str() {
        "insert" => Verb::Insert,
        "update" => Verb::Update,
        "upsert" => Verb::Upsert,
        "delete" => Verb::Delete,
        "hash" => Verb::Hash,
        "extract" => Verb::Extract,
        "convert" => Verb::Convert,
        other => return Err(Bad::new(name_span, format!("unknown action `{other}`"))),
    };
    let key = cfg::string(node, "key")?.map(|(k, _)| k);
    let pattern = cfg::string(node, "pattern")?
        .map(|(p, s)| cfg::regex(&p, s))
        .transpose()?;
    let action = Action {
        verb,
        key,
        pattern,
        source: source(node)?,
        converted_type: cfg::string(node, "converted_type")?.map(|(t, _)| t),
        span: node.span,
    };
    action.check()?;
    Ok(action)
}

fn source(node: &Node) -> Result<Option<Source>, Bad> {
    let mut found = Vec::new();
    if let Some(v) = node.get("value") {
        found.push(Source::Value(v.clone()));
    }
    if let Some((k, _)) = cfg::string(node, "from_attribute")? {
        found.push(Source::Attribute(k));
    }
    if let Some((k, _)) = cfg::string(node, "from_context")? {
        found.push(Source::Context(k));
    }
    if found.len() > 1 {
        return Err(Bad::new(
            node.span,
            "only one of `value`, `from_attribute` and `from_context` may be given",
        ));
    }
    Ok(found.pop())
}

impl Action {
    /// The collector's own validation, so an action it would reject is not modelled as
    /// doing something.
    fn check(&self) -> Result<(), Bad> {
        let bad = |m: &str| Err(Bad::new(self.span, m.to_string()));
        let writes = matches!(self.verb, Verb::Insert | Verb::Update | Verb::Upsert);
        match self.verb {
            _ if writes && (self.key.is_none() || self.source.is_none()) => bad(
                "insert, update and upsert need `key` and one of `value`, `from_attribute`, `from_context`",
            ),
            _ if writes && self.pattern.is_some() => bad("`pattern` is not allowed here"),
            Verb::Delete | Verb::Hash if self.key.is_none() && self.pattern.is_none() => {
                bad("delete and hash need `key` or `pattern`")
            }
            Verb::Delete | Verb::Hash if self.source.is_some() => {
                bad("delete and hash take no value")
            }
            Verb::Extract => self.check_extract(),
            Verb::Convert
                if !matches!(
                    self.converted_type.as_deref(),
                    Some("int" | "double" | "string")
                ) =>
            {
                bad("convert needs `converted_type` int, double or string")
            }
            _ => Ok(()),
        }
    }

    fn check_extract(&self) -> Result<(), Bad> {
        let ok = self.key.is_some()
            && self.pattern.as_ref().is_some_and(|p| {
                let names: Vec<_> = p.capture_names().skip(1).collect();
                !names.is_empty() && names.iter().all(Option::is_some)
            });
        if ok {
            Ok(())
        } else {
            Err(Bad::new(
                self.span,
                "extract needs `key` and a `pattern` whose groups are all named",
            ))
        }
    }
}

/// Runs the actions, in order, on one map, as certainly happening.
pub fn run(ctx: &Ctx<'_>, actions: &[Action], map: &mut AttrMap) {
    for a in actions {
        a.run(ctx, map);
    }
}

impl Action {
    fn step(&self, ctx: &Ctx<'_>, what: &str) -> Step {
        ctx.step_at(what, self.span)
    }

    fn run(&self, ctx: &Ctx<'_>, map: &mut AttrMap) {
        let key = self.key.as_deref().unwrap_or_default();
        match self.verb {
            Verb::Insert => {
                let new = self.new_value(ctx, map, "inserted");
                insert(map, key, new);
            }
            Verb::Update => {
                let new = self.new_value(ctx, map, "updated");
                update(map, key, new);
            }
            Verb::Upsert => {
                let new = self.new_value(ctx, map, "upserted");
                upsert(map, key, new);
            }
            Verb::Delete => self.delete(ctx, map),
            Verb::Hash => self.hash(ctx, map),
            Verb::Extract => self.extract(ctx, map, key),
            Verb::Convert => {
                let to = self.converted_type.as_deref().unwrap_or_default();
                if let Some(a) = map.get_mut(key) {
                    a.steps
                        .push(self.step(ctx, &format!("converted to {to} (content unchanged)")));
                }
            }
        }
    }

    /// The value an insert/update/upsert writes, if its source may exist.
    fn new_value(&self, ctx: &Ctx<'_>, map: &AttrMap, verb: &str) -> Option<Attr> {
        let key = self.key.as_deref().unwrap_or_default();
        match self.source.as_ref()? {
            Source::Value(v) => Some(configured(
                key,
                v,
                ctx.files,
                self.step(ctx, &format!("{verb} with a configured value")),
            )),
            Source::Attribute(from) => {
                let step = self.step(ctx, &format!("{verb} with a copy of `{from}`"));
                read(map, from, &step).map(|src| copy_as(&src, key, step))
            }
            Source::Context(name) => Some(derived(
                key,
                &[Category::Unknown],
                Presence::Maybe,
                self.step(ctx, &format!("{verb} from request metadata `{name}`")),
            )),
        }
    }

    fn delete(&self, ctx: &Ctx<'_>, map: &mut AttrMap) {
        if let Some(k) = &self.key {
            map.remove(k, self.step(ctx, "deleted"));
        }
        if let Some(p) = &self.pattern {
            let step = self.step(ctx, &format!("deleted (key matches `{}`)", p.as_str()));
            for k in matching(map, p) {
                map.remove(&k, step.clone());
            }
        }
    }

    fn hash(&self, ctx: &Ctx<'_>, map: &mut AttrMap) {
        let mut keys: Vec<String> = self.key.iter().cloned().collect();
        if let Some(p) = &self.pattern {
            keys.extend(matching(map, p));
        }
        let step = self.step(ctx, "hashed with SHA-256");
        for k in keys {
            if let Some(a) = map.get_mut(&k) {
                protect(a, AttrState::Hashed, step.clone());
            }
        }
    }

    fn extract(&self, ctx: &Ctx<'_>, map: &mut AttrMap, key: &str) {
        let Some(p) = &self.pattern else { return };
        let step = self.step(ctx, &format!("extracted from `{key}` by a pattern"));
        let Some(src) = read(map, key, &step) else {
            return;
        };
        for group in p.capture_names().flatten() {
            let mut new = copy_as(&src, group, step.clone());
            new.shape.presence = Presence::Maybe;
            new.shape.placeholder = None;
            let merged = match map.get(group) {
                Some(old) => join_attr(old, &new),
                None => new,
            };
            put(map, merged);
        }
    }
}

/// The named keys a pattern matches (unanchored, as Go's `MatchString`).
fn matching(map: &AttrMap, p: &Regex) -> Vec<String> {
    map.keys
        .iter()
        .map(|a| a.key().to_string())
        .filter(|k| p.is_match(k))
        .collect()
}

/// What an unnamed key of this name would hold, when one may exist.
fn maybe_unnamed(map: &AttrMap, key: &str, step: &Step) -> Option<Attr> {
    (!certainly_absent(map, key))
        .then(|| derived(key, &unknown_categories(map), Presence::Maybe, step.clone()))
}

/// `insert`: writes only where the key is absent.
pub fn insert(map: &mut AttrMap, key: &str, new: Option<Attr>) {
    let Some(new) = new else { return };
    match map.get(key).cloned() {
        Some(old) if old.shape.presence == Presence::Always => {}
        // Present or not: either the old value stays or the new one is written.
        Some(old) => put(map, join_attr(&old, &new)),
        None if certainly_absent(map, key) => put(map, new),
        None => {
            // An unnamed key of this name may be there and keep its value.
            let step = new
                .steps
                .last()
                .cloned()
                .unwrap_or_else(|| Step::unplaced(""));
            let unnamed = derived(key, &unknown_categories(map), Presence::Maybe, step);
            put(map, join_attr(&unnamed, &new));
        }
    }
}

/// `update`: writes only where the key is present.
pub fn update(map: &mut AttrMap, key: &str, new: Option<Attr>) {
    let Some(new) = new else { return };
    match map.get(key).cloned() {
        Some(old) => {
            let written = overwrite(&old, &new);
            let sure =
                old.shape.presence == Presence::Always && new.shape.presence == Presence::Always;
            let result = if sure {
                written
            } else {
                let mut j = join_attr(&old, &written);
                j.shape.presence = old.shape.presence;
                j
            };
            put(map, result);
        }
        None => {
            // An unnamed key of this name may exist and now carry the new value.
            if let Some(s) = new.steps.last().cloned()
                && let Some(u) = maybe_unnamed(map, key, &s)
            {
                let mut j = join_attr(&u, &new);
                j.shape.presence = Presence::Maybe;
                put(map, j);
            }
        }
    }
}

/// A value replaced by a hash of itself (`set(x, SHA256(x))`): wherever the key is there
/// it now holds the hash, and where it is not nothing is written (the hash of a missing
/// value is missing), so its presence does not change. A value of a type the hash cannot
/// take is the caller's business (see the transform processor's error modes).
pub fn hash_in_place(map: &mut AttrMap, key: &str, new: Option<Attr>) {
    let Some(mut new) = new else { return };
    match map.get(key).cloned() {
        Some(old) => {
            let mut written = overwrite(&old, &new);
            written.shape.presence = old.shape.presence;
            put(map, written);
        }
        None if certainly_absent(map, key) => {}
        None => {
            // An unnamed key of this name may be there: if so, it is now hashed.
            new.shape.key = key.to_string();
            new.shape.presence = Presence::Maybe;
            put(map, new);
        }
    }
}

/// `upsert`: writes whenever the source exists.
pub fn upsert(map: &mut AttrMap, key: &str, new: Option<Attr>) {
    let Some(new) = new else { return };
    let old = map.get(key).cloned();
    let result = match (old, new.shape.presence) {
        (Some(old), Presence::Always) => overwrite(&old, &new),
        (None, _) => new,
        (Some(old), Presence::Maybe) => {
            let mut j = join_attr(&old, &overwrite(&old, &new));
            j.shape.presence = old.shape.presence;
            j
        }
    };
    put(map, result);
}
