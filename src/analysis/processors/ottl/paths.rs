//! What an OTTL path names on an abstract item: one of its attribute maps, one key of a
//! map, the log body, the record's name, or something the data map does not describe.

use crate::analysis::flow::{AttrMap, Item};
use crate::analysis::shape::RecordKind;
use crate::ottl::{Context, Key, Path};

/// An attribute map an OTTL path can reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapRef {
    /// `resource.attributes`.
    Resource,
    /// The item's own attributes (span, span event, log record or data point).
    Record,
    /// `scope.attributes`: not described by the data map.
    Scope,
    /// A span event's `span.attributes`: another item.
    Parent,
}

/// What a path names.
#[derive(Debug, Clone, PartialEq)]
pub enum Place {
    /// A whole attribute map.
    Map(MapRef),
    /// One key of a map.
    Key(MapRef, String),
    /// Something inside the value of a key (`attributes["a"]["b"]`).
    Inside(MapRef, String),
    /// A key whose name is computed from the data (`attributes[attributes["x"]]`).
    Dynamic(MapRef),
    /// The whole log body.
    Body,
    /// Something inside a map body (`body["k"]`).
    InsideBody,
    /// The span or metric name.
    Name,
    /// The transform processor's per-group `cache` map.
    Cache,
    /// Another field of the record (`severity_text`, `trace_id`, …), by name.
    Field(String),
}

/// The context whose `attributes` are an item's own.
pub fn own_context(kind: RecordKind) -> Option<Context> {
    match kind {
        RecordKind::Span => Some(Context::Span),
        RecordKind::SpanEvent => Some(Context::SpanEvent),
        RecordKind::Event => Some(Context::Log),
        RecordKind::Metric => Some(Context::DataPoint),
        _ => None,
    }
}

/// True when statements of a context run on this item (or on its resource or scope).
pub fn runs_on(context: Context, item: &Item) -> bool {
    match context {
        Context::Resource | Context::Scope => true,
        Context::Metric => item.kind == RecordKind::Metric,
        c => own_context(item.kind) == Some(c),
    }
}

/// What `path` (with its context filled in) names for `item`.
pub fn place(path: &Path, item: &Item) -> Place {
    let Some(first) = path.fields.first() else {
        return Place::Field(String::new());
    };
    let context = path.context;
    let map = match context {
        Some(Context::Resource) => Some(MapRef::Resource),
        Some(Context::Scope) => Some(MapRef::Scope),
        Some(Context::Span) if item.kind == RecordKind::SpanEvent => Some(MapRef::Parent),
        Some(c) if own_context(item.kind) == Some(c) => Some(MapRef::Record),
        _ => None,
    };
    match (first.name.as_str(), map) {
        ("attributes", Some(m)) => keyed(m, &first.keys),
        ("cache", _) => Place::Cache,
        ("body", Some(MapRef::Record)) if item.kind == RecordKind::Event => {
            if first.keys.is_empty() {
                Place::Body
            } else {
                Place::InsideBody
            }
        }
        ("name", Some(MapRef::Record)) if item.kind == RecordKind::Span => Place::Name,
        ("name", _) if context == Some(Context::Metric) && item.kind == RecordKind::Metric => {
            Place::Name
        }
        (name, _) => Place::Field(name.to_string()),
    }
}

fn keyed(m: MapRef, keys: &[Key]) -> Place {
    match keys {
        [] => Place::Map(m),
        [Key::String(k)] => Place::Key(m, k.clone()),
        [Key::String(k), ..] => Place::Inside(m, k.clone()),
        _ => Place::Dynamic(m),
    }
}

/// The map a reference names on the item, when the data map describes it.
pub fn map_of(item: &Item, m: MapRef) -> Option<&AttrMap> {
    match m {
        MapRef::Resource => Some(&item.resource),
        MapRef::Record => Some(&item.attributes),
        MapRef::Scope | MapRef::Parent => None,
    }
}

/// The map a reference names, to change it.
pub fn map_mut(item: &mut Item, m: MapRef) -> Option<&mut AttrMap> {
    match m {
        MapRef::Resource => Some(&mut item.resource),
        MapRef::Record => Some(&mut item.attributes),
        MapRef::Scope | MapRef::Parent => None,
    }
}
