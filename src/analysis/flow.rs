//! Abstract telemetry items as they travel from the client through collectors.
//!
//! An [`Item`] stands for every record of one kind (all `claude_code.user_prompt` events,
//! all points of one metric). Unlike a client [`RecordShape`], it carries the resource
//! attributes with it, because collectors read and move keys between the record and its
//! resource (filters test resource keys, `groupbyattrs` moves record keys up).
//!
//! Every operation here over-approximates what may arrive: keys are removed only when a
//! processor certainly removes them, and joins keep the least-protected state.

use std::collections::BTreeSet;

use serde::Serialize;

use super::shape::{AttrShape, AttrState, Presence, RecordKind, RecordShape, Signal, UnknownKeys};
use crate::files::{Files, Span};
use crate::taxonomy::Category;

/// One thing a configuration did to the data, with where it is written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Step {
    /// What happened, e.g. `deleted by processors.attributes/strip` or
    /// `OTEL_LOG_USER_PROMPTS=1`.
    pub what: String,
    /// The file as named in the inputs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The 1-based line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// The span, for diagnostics.
    #[serde(skip)]
    pub span: Option<Span>,
}

impl Step {
    /// A step at a place in an input file.
    pub fn at(what: impl Into<String>, span: Span, files: &Files) -> Step {
        Step {
            what: what.into(),
            file: Some(files.get(span.file).display.clone()),
            line: Some(span.line),
            span: Some(span),
        }
    }

    /// A step that no file line shows (a default of the client).
    pub fn unplaced(what: impl Into<String>) -> Step {
        Step {
            what: what.into(),
            file: None,
            line: None,
            span: None,
        }
    }
}

/// An attribute on its way: the client's shape plus what collectors did to it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attr {
    /// The client's description (category, kind, state, presence, settings evidence).
    pub shape: AttrShape,
    /// What collectors did to it, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
}

impl Attr {
    /// The key.
    pub fn key(&self) -> &str {
        &self.shape.key
    }

    /// Every category the value may hold.
    pub fn categories(&self) -> Vec<Category> {
        let mut out = vec![self.shape.category];
        out.extend(self.shape.also.iter().copied());
        out
    }
}

/// Keys that may be present without a known name, and what they may carry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnknownAttrs {
    /// The categories they may hold.
    pub categories: Vec<Category>,
    /// Why they cannot be named.
    pub reason: String,
    /// Where that comes from.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
}

/// A key that a collector removed, kept so documents can say what removed it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Removed {
    /// The key.
    pub key: String,
    /// What it would have carried.
    pub category: Category,
    /// What removed it.
    pub steps: Vec<Step>,
}

/// One attribute map (resource, record or span event) with known and unknown keys.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AttrMap {
    /// Keys that may be present, sorted by key.
    pub keys: Vec<Attr>,
    /// Keys that may be present but cannot be named.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<UnknownAttrs>,
    /// Keys certainly removed on the way, and by what.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<Removed>,
}

impl AttrMap {
    /// The attribute with this key, if it may be present.
    pub fn get(&self, key: &str) -> Option<&Attr> {
        self.keys.iter().find(|a| a.key() == key)
    }

    /// The attribute with this key, to change it.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Attr> {
        self.keys.iter_mut().find(|a| a.key() == key)
    }

    /// Adds an attribute, joining with one of the same key (least protection wins).
    pub fn insert(&mut self, attr: Attr) {
        let key = attr.key().to_string();
        match self.keys.binary_search_by(|a| a.key().cmp(&key)) {
            Ok(i) => self.keys[i] = join_attr(&self.keys[i], &attr),
            Err(i) => self.keys.insert(i, attr),
        }
        self.removed.retain(|r| r.key != key);
    }

    /// Removes a key that is certainly removed, recording what removed it.
    pub fn remove(&mut self, key: &str, step: Step) -> Option<Attr> {
        let pos = self.keys.iter().position(|a| a.key() == key)?;
        let attr = self.keys.remove(pos);
        let mut steps = attr.steps.clone();
        steps.push(step);
        self.removed.push(Removed {
            key: key.to_string(),
            category: attr.shape.category,
            steps,
        });
        Some(attr)
    }

    /// Marks a key as possibly absent (a removal that may not happen, or a conditional one).
    pub fn weaken(&mut self, key: &str, step: Step) {
        if let Some(a) = self.get_mut(key) {
            a.shape.presence = Presence::Maybe;
            a.steps.push(step);
        }
    }

    /// Adds keys that cannot be named.
    pub fn add_unknown(
        &mut self,
        categories: Vec<Category>,
        reason: impl Into<String>,
        steps: Vec<Step>,
    ) {
        let mut categories = categories;
        categories.sort();
        categories.dedup();
        self.unknown.push(UnknownAttrs {
            categories,
            reason: reason.into(),
            steps,
        });
    }

    /// Every category any key of the map may hold (the taint of the whole map).
    pub fn categories(&self) -> Vec<Category> {
        let mut set: BTreeSet<Category> = BTreeSet::new();
        for a in &self.keys {
            set.extend(a.categories());
        }
        for u in &self.unknown {
            set.extend(u.categories.iter().copied());
        }
        set.into_iter().collect()
    }

    /// The union of two maps as one destination receives both.
    pub fn join(&self, other: &AttrMap) -> AttrMap {
        let mut out = self.clone();
        for a in &other.keys {
            out.insert(a.clone());
        }
        for u in &other.unknown {
            if !out.unknown.contains(u) {
                out.unknown.push(u.clone());
            }
        }
        for r in &other.removed {
            if !out.removed.iter().any(|x| x.key == r.key) {
                out.removed.push(r.clone());
            }
        }
        let present: BTreeSet<String> = out.keys.iter().map(|a| a.key().to_string()).collect();
        out.removed.retain(|r| !present.contains(&r.key));
        out
    }
}

/// The least-protected combination of two versions of the same attribute: the weaker
/// state, every category either may hold, and `always` if either is always present.
pub fn join_attr(a: &Attr, b: &Attr) -> Attr {
    let (weaker, other) = if a.shape.state <= b.shape.state {
        (a, b)
    } else {
        (b, a)
    };
    let mut out = weaker.clone();
    if a.shape.placeholder != b.shape.placeholder {
        // Two different constants: the value is one of them, so neither can be claimed.
        out.shape.placeholder = None;
    }
    if a.shape.presence == Presence::Always || b.shape.presence == Presence::Always {
        out.shape.presence = Presence::Always;
    }
    for c in other.categories() {
        if c != out.shape.category && !out.shape.also.contains(&c) {
            out.shape.also.push(c);
        }
    }
    for s in &other.steps {
        if !out.steps.contains(s) {
            out.steps.push(s.clone());
        }
    }
    out
}

/// One kind of record on its way through collectors.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    /// The signal.
    pub signal: Signal,
    /// Metric, event, span or span event.
    pub kind: RecordKind,
    /// The metric, event or span name as the catalogue names it (for events, the body is
    /// in [`Item::body`]).
    pub name: String,
    /// For span events: the span.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Whether every session sends it, as far as the configuration shows.
    pub presence: Presence,
    /// Resource attributes sent with it.
    pub resource: AttrMap,
    /// Its own attributes (data point, log record, span or span-event attributes).
    pub attributes: AttrMap,
    /// For log records: the body, described as an attribute with key `body`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<Attr>,
    /// Record-level steps (e.g. a filter that may drop it), in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
    /// The client's record, for its settings evidence and condition.
    #[serde(skip)]
    pub origin: Option<RecordShape>,
}

impl Item {
    /// The record's stable identity: signal, kind, parent and name.
    pub fn identity(&self) -> (Signal, RecordKind, Option<&str>, &str) {
        (self.signal, self.kind, self.parent.as_deref(), &self.name)
    }

    /// Every category the item may carry, anywhere.
    pub fn categories(&self) -> Vec<Category> {
        let mut set: BTreeSet<Category> = self.resource.categories().into_iter().collect();
        set.extend(self.attributes.categories());
        if let Some(b) = &self.body {
            set.extend(b.categories());
        }
        set.into_iter().collect()
    }

    /// Items from the client's records: every record of an exported signal, with the
    /// resource of its signal attached. Resource and flow records are not items themselves.
    pub fn from_client(records: &[RecordShape]) -> Vec<Item> {
        let resource = records.iter().find(|r| r.kind == RecordKind::Resource);
        let resource_of = |signal: Signal| {
            resource
                .map(|r| {
                    let attrs: Vec<AttrShape> = r
                        .attributes
                        .iter()
                        .filter(|a| a.signals.is_empty() || a.signals.contains(&signal))
                        .cloned()
                        .collect();
                    map_from(&attrs, &r.unknown_keys)
                })
                .unwrap_or_default()
        };
        records
            .iter()
            .filter(|r| !matches!(r.kind, RecordKind::Resource | RecordKind::Flow))
            .map(|r| {
                let attributes = map_from(&r.attributes, &r.unknown_keys);
                let body = body_of(r);
                Item {
                    signal: r.signal,
                    kind: r.kind,
                    name: r.name.clone(),
                    parent: r.parent.clone(),
                    presence: r.presence,
                    resource: resource_of(r.signal),
                    attributes,
                    body,
                    steps: Vec::new(),
                    origin: Some(r.clone()),
                }
            })
            .collect()
    }
}

fn map_from(attrs: &[AttrShape], unknown: &[UnknownKeys]) -> AttrMap {
    let mut map = AttrMap::default();
    for a in attrs {
        map.insert(Attr {
            shape: a.clone(),
            steps: Vec::new(),
        });
    }
    for u in unknown {
        map.unknown.push(UnknownAttrs {
            categories: u.categories.clone(),
            reason: u.reason.clone(),
            steps: Vec::new(),
        });
    }
    map
}

/// The body of a client event: a constant naming the event (Claude Code sends
/// `claude_code.<event>`), which carries no personal data. `None` when the catalogue gives
/// no body for the record.
fn body_of(r: &RecordShape) -> Option<Attr> {
    let text = r.body.clone()?;
    let shape = AttrShape {
        key: "body".to_string(),
        category: Category::TechnicalMetadata,
        also: Vec::new(),
        kind: super::shape::ValueKind::Metadata,
        state: AttrState::Placeholder,
        placeholder: Some(text),
        presence: Presence::Always,
        condition: None,
        signals: Vec::new(),
        evidence: Vec::new(),
        catalogue_evidence: r.catalogue_evidence,
    };
    Some(Attr {
        shape,
        steps: Vec::new(),
    })
}

/// Joins the items two paths deliver to one destination: union of records; for the same
/// record, the union of keys with the least protection.
pub fn join_items(into: &mut Vec<Item>, more: Vec<Item>) {
    for item in more {
        match into.iter_mut().find(|i| i.identity() == item.identity()) {
            Some(existing) => {
                existing.resource = existing.resource.join(&item.resource);
                existing.attributes = existing.attributes.join(&item.attributes);
                existing.body = match (&existing.body, &item.body) {
                    (Some(a), Some(b)) => Some(join_attr(a, b)),
                    (a, b) => a.clone().or_else(|| b.clone()),
                };
                if item.presence == Presence::Always {
                    existing.presence = Presence::Always;
                }
                for s in item.steps {
                    if !existing.steps.contains(&s) {
                        existing.steps.push(s);
                    }
                }
            }
            None => into.push(item),
        }
    }
}
