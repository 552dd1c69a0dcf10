//! From the file as written to what one client version emits: records outside the
//! version's range dropped, attribute sets inlined, defaults filled in.

use serde::Serialize;

use super::model::{
    AlsoSpec, AttrItem, CatalogueFile, DestinationSpec, EvidenceKind, OffSpec, OffWord, Presence,
    RecordKind, RecordSpec, Signal, ValueKind,
};
use super::{Version, VersionRange};
use crate::taxonomy::Category;

/// How an attribute's key is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AttrKey {
    /// A fixed key.
    Key(String),
    /// Keys taken from a setting's `k=v,…` value.
    KeysFrom(String),
    /// Keys that cannot be listed; the text says why.
    UnknownKeys(String),
}

impl AttrKey {
    /// The key, the `keys_from` setting or the reason, for messages and tables.
    pub fn text(&self) -> String {
        match self {
            AttrKey::Key(k) => k.clone(),
            AttrKey::KeysFrom(s) => format!("<keys of {s}>"),
            AttrKey::UnknownKeys(_) => "<unknown keys>".to_string(),
        }
    }
}

/// One attribute of a record, for one client version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attr {
    /// The key (or where keys come from).
    #[serde(flatten)]
    pub key: AttrKey,
    /// The data category.
    pub category: Category,
    /// Further categories the value may hold.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<AlsoSpec>,
    /// The value kind.
    pub kind: ValueKind,
    /// The constant value, when the value never varies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub constant: Option<String>,
    /// The gate that controls the value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gate: Option<String>,
    /// Further gates that must be on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<String>,
    /// What the gate's off state does.
    pub off: OffSpec,
    /// Presence when the gates are on.
    pub presence: Presence,
    /// A condition that makes it `maybe`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// Resource attributes only: the signals that carry it; all when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub signals: Vec<Signal>,
    /// The versions it applies to.
    #[serde(serialize_with = "ser_range")]
    pub versions: VersionRange,
    /// Seen or code.
    pub evidence: EvidenceKind,
    /// A caveat.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One record, for one client version, with its attribute sets inlined.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Record {
    /// What sort of item.
    pub kind: RecordKind,
    /// The signal it travels in.
    pub signal: Signal,
    /// Its name.
    pub name: String,
    /// For span events: the span.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// For events: the log body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// What it is.
    pub description: String,
    /// A metric's unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The category of the record's own value (a metric's number).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Category>,
    /// Always or maybe.
    pub presence: Presence,
    /// A condition that makes it `maybe`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// Gates that must be on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<String>,
    /// Gates that switch it off.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub disabled_by: Vec<String>,
    /// The versions it applies to.
    #[serde(serialize_with = "ser_range")]
    pub versions: VersionRange,
    /// Seen or code.
    pub evidence: EvidenceKind,
    /// A caveat.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Attributes, in catalogue order.
    pub attributes: Vec<Attr>,
    /// For flows: where the data goes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub destinations: Vec<DestinationSpec>,
}

fn ser_range<S: serde::Serializer>(r: &VersionRange, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&r.describe())
}

fn range(since: &Option<Version>, until: &Option<Version>) -> VersionRange {
    VersionRange {
        since: since.clone(),
        until: until.clone(),
    }
}

/// The records of `file` that apply to `version`, in file order.
pub fn records(file: &CatalogueFile, version: &Version) -> Vec<Record> {
    file.records
        .iter()
        .filter(|r| range(&r.since, &r.until).contains(version))
        .map(|r| record(file, r, version))
        .collect()
}

fn record(file: &CatalogueFile, r: &RecordSpec, version: &Version) -> Record {
    let mut attributes = Vec::new();
    expand_items(file, &r.attributes, version, &mut attributes, 0);
    for a in &mut attributes {
        if let Some(c) = &mut a.constant {
            *c = c.replace("{name}", &r.name);
        }
    }
    let body = match (r.kind, &file.event_body) {
        (RecordKind::Event, Some(t)) => Some(t.replace("{name}", &r.name)),
        _ => None,
    };
    Record {
        kind: r.kind,
        signal: r.kind.signal(),
        name: r.name.clone(),
        parent: r.parent.clone(),
        body,
        description: r.description.clone(),
        unit: r.unit.clone(),
        value: r.value,
        presence: r.presence,
        condition: r.condition.clone(),
        requires: r.requires.clone(),
        disabled_by: r.disabled_by.clone(),
        versions: range(&r.since, &r.until),
        evidence: r.evidence,
        note: r.note.clone(),
        attributes,
        destinations: r.destinations.clone(),
    }
}

/// Sets may include sets; validation rejects cycles, the depth limit is a second guard.
const MAX_DEPTH: usize = 8;

fn expand_items(
    file: &CatalogueFile,
    items: &[AttrItem],
    version: &Version,
    out: &mut Vec<Attr>,
    depth: usize,
) {
    for item in items {
        if !range(&item.since, &item.until).contains(version) {
            continue;
        }
        if let Some(set) = &item.use_set {
            if let (Some(items), true) = (file.attribute_sets.get(set), depth < MAX_DEPTH) {
                expand_items(file, items, version, out, depth + 1);
            }
        } else if let Some(attr) = attr(item) {
            out.push(attr);
        }
    }
}

/// The attribute an item describes; `None` for malformed items (validation reports them).
pub(super) fn attr(item: &AttrItem) -> Option<Attr> {
    let key = match (&item.key, &item.keys_from, &item.unknown_keys) {
        (Some(k), None, None) => AttrKey::Key(k.clone()),
        (None, Some(s), None) => AttrKey::KeysFrom(s.clone()),
        (None, None, Some(r)) => AttrKey::UnknownKeys(r.clone()),
        _ => return None,
    };
    Some(Attr {
        key,
        category: item.category?,
        also: item.also.clone(),
        kind: item.kind?,
        constant: item.constant.clone(),
        gate: item.gate.clone(),
        requires: item.requires.clone(),
        off: item.off.clone().unwrap_or(OffSpec::Word(OffWord::Absent)),
        presence: item.presence.unwrap_or(Presence::Always),
        condition: item.condition.clone(),
        signals: item.signals.clone(),
        versions: range(&item.since, &item.until),
        evidence: item.evidence?,
        note: item.note.clone(),
    })
}
