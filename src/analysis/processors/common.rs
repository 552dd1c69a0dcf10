//! What every processor model needs: three-valued decisions, what a map certainly says
//! about one key, the attributes a processor creates (literals, copies, derived values),
//! and the "may happen" join that makes a conditional effect sound.

use crate::analysis::flow::{Attr, AttrMap, Item, Step, join_attr};
use crate::analysis::shape::{AttrShape, AttrState, EvidenceKind, Presence, ValueKind};
use crate::files::Files;
use crate::taxonomy::Category;
use crate::tree::{Node, Value};

/// A decision that the configuration may not settle: a condition is certainly true,
/// certainly false, or depends on the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tri {
    /// True for every item of this kind.
    Yes,
    /// False for every item of this kind.
    No,
    /// Depends on the data.
    Maybe,
}

impl Tri {
    /// From a certain answer.
    pub fn of(b: bool) -> Tri {
        if b { Tri::Yes } else { Tri::No }
    }

    /// Three-valued `and`.
    pub fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::No, _) | (_, Tri::No) => Tri::No,
            (Tri::Yes, Tri::Yes) => Tri::Yes,
            _ => Tri::Maybe,
        }
    }

    /// Three-valued `or`.
    pub fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::Yes, _) | (_, Tri::Yes) => Tri::Yes,
            (Tri::No, Tri::No) => Tri::No,
            _ => Tri::Maybe,
        }
    }

    /// Three-valued `not`.
    pub fn not(self) -> Tri {
        match self {
            Tri::Yes => Tri::No,
            Tri::No => Tri::Yes,
            Tri::Maybe => Tri::Maybe,
        }
    }
}

/// What a map certainly says about the value under one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Known {
    /// The key is certainly not there.
    Absent,
    /// The key is certainly there with this constant string.
    Value(String),
    /// Anything else: present with an unknown value, or maybe present.
    Unknown,
}

/// The constant an attribute certainly holds, if any.
pub fn constant(attr: &Attr) -> Option<&str> {
    (attr.shape.state == AttrState::Placeholder && attr.shape.presence == Presence::Always)
        .then_some(())
        .and(attr.shape.placeholder.as_deref())
}

/// What `map` certainly says about `key`.
pub fn known(map: &AttrMap, key: &str) -> Known {
    match map.get(key) {
        Some(a) => constant(a).map_or(Known::Unknown, |c| Known::Value(c.to_string())),
        None if certainly_absent(map, key) => Known::Absent,
        None => Known::Unknown,
    }
}

/// True when no key of that name can be in the map: it is not among the named keys, and
/// either no unnamed keys may be present or the key was certainly removed after them.
pub fn certainly_absent(map: &AttrMap, key: &str) -> bool {
    map.get(key).is_none() && (map.unknown.is_empty() || map.removed.iter().any(|r| r.key == key))
}

/// True when the key is certainly present (whatever its value).
pub fn certainly_present(map: &AttrMap, key: &str) -> bool {
    map.get(key)
        .is_some_and(|a| a.shape.presence == Presence::Always)
}

/// The categories unnamed keys of the map may hold.
pub fn unknown_categories(map: &AttrMap) -> Vec<Category> {
    let mut out: Vec<Category> = map
        .unknown
        .iter()
        .flat_map(|u| u.categories.iter().copied())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// An attribute that may hold any of `categories`, in the original form: what a key
/// carries when it comes from data the analysis cannot see (an unnamed key, request
/// metadata, a parsed body).
pub fn derived(key: &str, categories: &[Category], presence: Presence, step: Step) -> Attr {
    let mut cats = categories.to_vec();
    cats.sort();
    cats.dedup();
    let category = cats.first().copied().unwrap_or(Category::Unknown);
    Attr {
        shape: AttrShape {
            key: key.to_string(),
            category,
            also: cats.into_iter().skip(1).collect(),
            kind: ValueKind::Content,
            state: AttrState::Raw,
            placeholder: None,
            presence,
            condition: None,
            signals: Vec::new(),
            evidence: Vec::new(),
            catalogue_evidence: EvidenceKind::Seen,
        },
        steps: vec![step],
    }
}

/// The attribute `key` as it may be read from `map`: the named one, or one of the
/// unnamed keys (then raw, with their categories, maybe present), or nothing.
pub fn read(map: &AttrMap, key: &str, step: &Step) -> Option<Attr> {
    if let Some(a) = map.get(key) {
        return Some(a.clone());
    }
    if certainly_absent(map, key) {
        return None;
    }
    Some(derived(
        key,
        &unknown_categories(map),
        Presence::Maybe,
        step.clone(),
    ))
}

/// A copy of `src` under another key: same categories and form, the copy's step added.
pub fn copy_as(src: &Attr, key: &str, step: Step) -> Attr {
    let mut out = src.clone();
    out.shape.key = key.to_string();
    out.steps.push(step);
    out
}

/// The text of a configured scalar when it is written literally in the file (not the
/// result of a `${...}` reference), so it is a constant the administrator chose.
pub fn literal_text(node: &Node, files: &Files) -> Option<String> {
    let Value::Scalar(s) = &node.value else {
        return None;
    };
    let line = files.get(node.span.file).line_text(node.span.line)?;
    let rest: String = line
        .chars()
        .skip(node.span.col.saturating_sub(1) as usize)
        .collect();
    let unquoted = rest.trim_start_matches(['"', '\'']);
    let first = s.text.lines().next().unwrap_or("");
    (!rest.contains("${") && unquoted.starts_with(first)).then(|| s.text.clone())
}

/// The attribute a configured value makes: written literally, a constant that carries no
/// personal data (its text is kept unless the key names a secret); from a `${...}`
/// reference, a value the administrator supplies at run time, treated as raw.
pub fn configured(key: &str, value: &Node, files: &Files, step: Step) -> Attr {
    let is_literal = match &value.value {
        Value::Scalar(_) => literal_text(value, files).is_some(),
        Value::Map(_) | Value::Seq(_) => !contains_reference(value, files),
        Value::Null => true,
        Value::Unknown(_) => false,
    };
    let secret = crate::collector::secrets::is_secret_key(key);
    let placeholder = if is_literal && !secret {
        literal_text(value, files)
    } else {
        None
    };
    let state = if is_literal {
        AttrState::Placeholder
    } else {
        AttrState::Raw
    };
    Attr {
        shape: AttrShape {
            key: key.to_string(),
            category: Category::AdminResourceAttributes,
            also: Vec::new(),
            kind: ValueKind::Metadata,
            state,
            placeholder,
            presence: Presence::Always,
            condition: None,
            signals: Vec::new(),
            evidence: Vec::new(),
            catalogue_evidence: EvidenceKind::Seen,
        },
        steps: vec![step],
    }
}

fn contains_reference(node: &Node, files: &Files) -> bool {
    match &node.value {
        Value::Scalar(_) => literal_text(node, files).is_none(),
        Value::Map(entries) => entries.iter().any(|e| contains_reference(&e.value, files)),
        Value::Seq(items) => items.iter().any(|i| contains_reference(i, files)),
        Value::Null => false,
        Value::Unknown(_) => true,
    }
}

/// Overwrites the value of an existing attribute with `new` while keeping what the key
/// was known to carry when the new value is a constant (a placeholder keeps the
/// category, so documents can say "the prompt is replaced by a constant").
pub fn overwrite(old: &Attr, new: &Attr) -> Attr {
    let mut out = new.clone();
    if new.shape.state == AttrState::Placeholder {
        out.shape.category = old.shape.category;
        out.shape.also = old.shape.also.clone();
        out.shape.kind = old.shape.kind;
    }
    out.shape.key = old.shape.key.clone();
    let mut steps = old.steps.clone();
    steps.extend(new.steps.iter().cloned());
    out.steps = steps;
    out
}

/// Puts `attr` under its key, replacing whatever was there.
pub fn put(map: &mut AttrMap, attr: Attr) {
    let key = attr.key().to_string();
    match map.get_mut(&key) {
        Some(slot) => *slot = attr,
        None => map.insert(attr),
    }
    map.removed.retain(|r| r.key != key);
}

/// Adds a key a processor may set from outside the telemetry (a detected host name, a
/// Kubernetes label): raw, maybe present; where the key exists, either value may arrive.
pub fn add_maybe(map: &mut AttrMap, key: &str, category: Category, step: &Step) {
    let mut new = derived(key, &[category], Presence::Maybe, step.clone());
    new.shape.kind = ValueKind::Metadata;
    let merged = match map.get(key) {
        Some(old) => join_attr(old, &new),
        None => new,
    };
    put(map, merged);
}

/// Keeps only the listed named keys; unnamed keys survive only under those names.
pub fn keep_only(map: &mut AttrMap, keep: &[String], step: &Step) {
    let doomed: Vec<String> = map
        .keys
        .iter()
        .map(|a| a.key().to_string())
        .filter(|k| !keep.contains(k))
        .collect();
    for k in doomed {
        map.remove(&k, step.clone());
    }
    if map.unknown.is_empty() {
        return;
    }
    let cats = unknown_categories(map);
    for k in keep {
        if map.get(k).is_none() {
            put(map, derived(k, &cats, Presence::Maybe, step.clone()));
        }
    }
    map.unknown.clear();
}

/// Moves an attribute's state to at least `state` (hashing, truncating, masking never
/// make a value less protected), records the step, and forgets the constant text when
/// the value changed.
pub fn protect(attr: &mut Attr, state: AttrState, step: Step) {
    if attr.shape.state < state {
        attr.shape.state = state;
    }
    attr.shape.placeholder = None;
    attr.steps.push(step);
}

/// The result of an effect that may or may not happen: every key either version may
/// hold, in the least protected form, present for sure only when both say so. Steps the
/// effect added are marked as uncertain with `why`.
pub fn either(before: &AttrMap, after: &AttrMap, why: &str) -> AttrMap {
    let mut out = AttrMap {
        keys: Vec::new(),
        unknown: before.unknown.clone(),
        removed: Vec::new(),
    };
    for a in &after.keys {
        let attr = match before.get(a.key()) {
            Some(b) if b == a => a.clone(),
            Some(b) => {
                let mut j = join_attr(b, a);
                j.shape.presence = both_always(b, a);
                j.steps = merged_steps(b, a, why);
                j
            }
            None => {
                let mut j = a.clone();
                j.shape.presence = Presence::Maybe;
                j.steps = merged_steps(&empty_like(a), a, why);
                j
            }
        };
        out.keys.push(attr);
    }
    for b in &before.keys {
        if after.get(b.key()).is_some() {
            continue;
        }
        let mut kept = b.clone();
        kept.shape.presence = Presence::Maybe;
        if let Some(r) = after.removed.iter().find(|r| r.key == b.key())
            && let Some(s) = r.steps.last()
        {
            kept.steps.push(uncertain(s, why));
        }
        out.keys.push(kept);
    }
    out.keys.sort_by(|x, y| x.key().cmp(y.key()));
    for u in &after.unknown {
        if !out.unknown.contains(u) {
            out.unknown.push(u.clone());
        }
    }
    out.removed = before
        .removed
        .iter()
        .filter(|r| out.get(&r.key).is_none())
        .cloned()
        .collect();
    out
}

fn both_always(a: &Attr, b: &Attr) -> Presence {
    if a.shape.presence == Presence::Always && b.shape.presence == Presence::Always {
        Presence::Always
    } else {
        Presence::Maybe
    }
}

fn empty_like(a: &Attr) -> Attr {
    Attr {
        shape: a.shape.clone(),
        steps: Vec::new(),
    }
}

/// The steps of `before`, then those `after` added, marked uncertain.
fn merged_steps(before: &Attr, after: &Attr, why: &str) -> Vec<Step> {
    let mut steps = before.steps.clone();
    for s in &after.steps {
        if !before.steps.contains(s) {
            steps.push(uncertain(s, why));
        }
    }
    steps
}

/// The start of the step text that marks an item whose name may have been set from the
/// data: from then on no condition on the name can be decided.
pub const NAME_FROM_DATA: &str = "its name may be set from the data";

/// The item's name, when it is certainly its name (not rewritten from the data).
pub fn known_name(item: &Item) -> Option<&str> {
    (!item
        .steps
        .iter()
        .any(|s| s.what.starts_with(NAME_FROM_DATA)))
    .then_some(item.name.as_str())
}

/// A step that may not have happened, saying why.
pub fn uncertain(step: &Step, why: &str) -> Step {
    Step {
        what: format!("{}; may not happen: {why}", step.what),
        ..step.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_valued_logic() {
        assert_eq!(Tri::Yes.and(Tri::Maybe), Tri::Maybe);
        assert_eq!(Tri::No.and(Tri::Maybe), Tri::No);
        assert_eq!(Tri::Yes.or(Tri::Maybe), Tri::Yes);
        assert_eq!(Tri::No.or(Tri::Maybe), Tri::Maybe);
        assert_eq!(Tri::Maybe.not(), Tri::Maybe);
        assert_eq!(Tri::of(true).not(), Tri::No);
    }
}
