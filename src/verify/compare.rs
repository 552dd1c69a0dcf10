//! The comparison itself: every captured record and key against one destination of the map.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use schemars::JsonSchema;
use serde::Serialize;

use super::observe::{self, Seen};
use crate::analysis::map::{AttrOut, DestinationOut, EvidenceOut, RecordOut};
use crate::analysis::shape::{AttrState, Presence};
use crate::otlp::{AnyValue, Telemetry};

/// What a verification found.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Verification {
    /// The destination of the data map the captures were held against.
    pub destination: String,
    /// How many capture files (export requests) were read.
    pub captures: usize,
    /// How many records (resources, log records, metric data points, spans, span events)
    /// they held.
    pub records: usize,
    /// What arrived but the map says does not, or arrived more exposed: each fails `verify`.
    pub findings: Vec<Finding>,
    /// Keys the map cannot name but allows (an unknown key is covered by the map's
    /// "keys of unknown name"): information, listed so that they can be named.
    pub unnamed: Vec<Unnamed>,
    /// What the map allows but the captures never showed: information.
    pub not_seen: NotSeen,
}

/// How a record or key goes beyond the data map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// A record the map says never arrives at this destination.
    RecordNotInMap,
    /// A key the map does not list for the record (and the record has no keys of unknown
    /// name).
    KeyNotInMap,
    /// A key the map says is removed on the way.
    KeyRemovedInMap,
    /// A value more exposed than the map says: not the placeholder, or not a hash.
    MoreExposed,
}

/// One record or key that goes beyond the map, with how often and where it was first seen.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Finding {
    /// What kind of difference.
    pub kind: FindingKind,
    /// The record.
    pub record: RecordRef,
    /// The attribute key, unless the whole record is unexpected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// What the data map says, in words.
    pub map_says: String,
    /// The map's evidence for it (for a removed key: what removes it, and where).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<EvidenceOut>,
    /// How many records showed it.
    pub count: usize,
    /// The capture file it was first seen in.
    pub first_seen_in: String,
}

/// A record by signal and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
pub struct RecordRef {
    /// `logs`, `metrics` or `traces`.
    pub signal: String,
    /// For span events: the span.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// The name (metric, event, span, or `resource`). A log record with no name the map
    /// knows and no `event.name` is shown without one: its body may hold personal data.
    pub name: String,
}

/// A key covered only as one of the map's keys of unknown name.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Unnamed {
    /// The record.
    pub record: RecordRef,
    /// The key that arrived.
    pub key: String,
    /// Why the map cannot name its keys.
    pub reason: String,
}

/// What the map allows but the captures did not show.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct NotSeen {
    /// Records never seen, with the map's presence.
    pub records: Vec<RecordNotSeen>,
    /// Keys of seen records that never arrived, with the map's presence.
    pub keys: Vec<KeyRef>,
}

/// A record the captures did not show.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RecordNotSeen {
    /// The record.
    pub record: RecordRef,
    /// Whether the map says it arrives always or maybe.
    pub presence: Presence,
}

/// A key of a record.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct KeyRef {
    /// The record.
    pub record: RecordRef,
    /// The key.
    pub key: String,
    /// Whether the map says it arrives always or maybe.
    pub presence: Presence,
}

type Slot = (String, Option<String>, String);

/// Holds captures against one destination, one export request at a time.
pub struct Verifier<'m> {
    destination: &'m DestinationOut,
    index: HashMap<Slot, Vec<&'m RecordOut>>,
    findings: BTreeMap<(RecordRef, Option<String>, FindingKind), Finding>,
    unnamed: BTreeMap<(RecordRef, String), String>,
    seen_records: BTreeSet<Slot>,
    seen_keys: BTreeSet<(Slot, String)>,
    captures: usize,
    records: usize,
}

impl<'m> Verifier<'m> {
    /// Starts a verification against a destination of the data map.
    pub fn new(destination: &'m DestinationOut) -> Self {
        let mut index: HashMap<Slot, Vec<&'m RecordOut>> = HashMap::new();
        for r in &destination.records {
            index
                .entry((r.signal.clone(), r.parent.clone(), r.name.clone()))
                .or_default()
                .push(r);
        }
        Verifier {
            destination,
            index,
            findings: BTreeMap::new(),
            unnamed: BTreeMap::new(),
            seen_records: BTreeSet::new(),
            seen_keys: BTreeSet::new(),
            captures: 0,
            records: 0,
        }
    }

    /// Adds one export request, read from the file shown as `file`.
    pub fn add(&mut self, telemetry: &Telemetry, file: &str) {
        self.captures += 1;
        observe::each(telemetry, |seen| self.record(&seen, file));
    }

    fn record(&mut self, seen: &Seen<'_>, file: &str) {
        self.records += 1;
        let parent = seen.parent.map(str::to_string);
        let found = seen.names.iter().find_map(|name| {
            let slot = (seen.signal.to_string(), parent.clone(), name.to_string());
            self.index.get(&slot).map(|records| (slot, records.clone()))
        });
        let Some((slot, records)) = found else {
            let record = RecordRef {
                signal: seen.signal.to_string(),
                parent,
                name: seen.shown.map_or(
                    "(a log record without event.name)".to_string(),
                    str::to_string,
                ),
            };
            let map_says = format!(
                "no {} record of this name arrives at `{}`",
                seen.signal, self.destination.id
            );
            self.note(
                record,
                None,
                FindingKind::RecordNotInMap,
                map_says,
                Vec::new(),
                file,
            );
            return;
        };
        let record = RecordRef {
            signal: slot.0.clone(),
            parent: slot.1.clone(),
            name: slot.2.clone(),
        };
        for (key, value) in seen.attributes.iter() {
            self.seen_keys.insert((slot.clone(), key.to_string()));
            self.key(&record, &records, key, value, file);
        }
        self.seen_records.insert(slot);
    }

    fn key(
        &mut self,
        record: &RecordRef,
        records: &[&RecordOut],
        key: &str,
        value: &AnyValue,
        file: &str,
    ) {
        let listed: Vec<&AttrOut> = records
            .iter()
            .flat_map(|r| r.attributes.iter().filter(|a| a.key == key))
            .collect();
        if listed.is_empty() {
            // A key the map names as removed contradicts it even where unnamed keys may
            // arrive: the map says this very key does not.
            let removed = records
                .iter()
                .find_map(|r| r.removed.iter().find(|x| x.key == key));
            let unnamed = records.iter().find_map(|r| r.unknown_keys.first());
            if let (None, Some(u)) = (removed, unnamed) {
                self.unnamed
                    .entry((record.clone(), key.to_string()))
                    .or_insert_with(|| u.reason.clone());
                return;
            }
            let (kind, map_says, evidence) = match removed {
                Some(x) => (
                    FindingKind::KeyRemovedInMap,
                    "the data map says it is removed on the way".to_string(),
                    x.evidence.clone(),
                ),
                None => (
                    FindingKind::KeyNotInMap,
                    "the data map does not list this key for this record".to_string(),
                    Vec::new(),
                ),
            };
            self.note(record.clone(), Some(key), kind, map_says, evidence, file);
            return;
        }
        if listed.iter().any(|a| allows(a, value)) {
            return;
        }
        let a = listed[0];
        let map_says = match (&a.state, &a.placeholder) {
            (AttrState::Placeholder, Some(p)) => {
                format!(
                    "the data map says it arrives only as the placeholder `{p}`; other values arrived"
                )
            }
            _ => "the data map says it arrives hashed; values that are not hashes arrived"
                .to_string(),
        };
        self.note(
            record.clone(),
            Some(key),
            FindingKind::MoreExposed,
            map_says,
            a.evidence.clone(),
            file,
        );
    }

    fn note(
        &mut self,
        record: RecordRef,
        key: Option<&str>,
        kind: FindingKind,
        map_says: String,
        evidence: Vec<EvidenceOut>,
        file: &str,
    ) {
        let key = key.map(str::to_string);
        self.findings
            .entry((record.clone(), key.clone(), kind))
            .and_modify(|f| f.count += 1)
            .or_insert(Finding {
                kind,
                record,
                key,
                map_says,
                evidence,
                count: 1,
                first_seen_in: file.to_string(),
            });
    }

    /// The result: findings in a stable order, and what the map allows but never showed.
    pub fn finish(self) -> Verification {
        let as_ref = |slot: &Slot| RecordRef {
            signal: slot.0.clone(),
            parent: slot.1.clone(),
            name: slot.2.clone(),
        };
        let mut not_seen = NotSeen::default();
        let mut slots: Vec<(&Slot, &Vec<&RecordOut>)> = self.index.iter().collect();
        slots.sort_by(|a, b| a.0.cmp(b.0));
        for (slot, records) in slots {
            if !self.seen_records.contains(slot) {
                let presence = if records.iter().any(|r| r.presence == Presence::Always) {
                    Presence::Always
                } else {
                    Presence::Maybe
                };
                not_seen.records.push(RecordNotSeen {
                    record: as_ref(slot),
                    presence,
                });
                continue;
            }
            let mut keys: BTreeMap<&str, Presence> = BTreeMap::new();
            for a in records.iter().flat_map(|r| &r.attributes) {
                let p = keys.entry(a.key.as_str()).or_insert(a.presence);
                if a.presence == Presence::Always {
                    *p = Presence::Always;
                }
            }
            for (key, presence) in keys {
                if !self.seen_keys.contains(&(slot.clone(), key.to_string())) {
                    not_seen.keys.push(KeyRef {
                        record: as_ref(slot),
                        key: key.to_string(),
                        presence,
                    });
                }
            }
        }
        Verification {
            destination: self.destination.id.clone(),
            captures: self.captures,
            records: self.records,
            findings: self.findings.into_values().collect(),
            unnamed: self
                .unnamed
                .into_iter()
                .map(|((record, key), reason)| Unnamed {
                    record,
                    key,
                    reason,
                })
                .collect(),
            not_seen,
        }
    }
}

/// Whether the map's state for a key allows this value: a placeholder only itself, hashed
/// only what a hash function writes (hex digits, or an integer such as FNV's); every other
/// state (raw, masked, truncated) any value, since a value cannot show what was cut off.
fn allows(a: &AttrOut, value: &AnyValue) -> bool {
    match a.state {
        AttrState::Placeholder => match &a.placeholder {
            Some(p) => value.as_string() == *p,
            None => true,
        },
        AttrState::Hashed => match value {
            AnyValue::Int(_) => true,
            AnyValue::Str(s) => s.len() >= 8 && s.bytes().all(|b| b.is_ascii_hexdigit()),
            _ => false,
        },
        AttrState::Raw | AttrState::Masked | AttrState::Truncated => true,
    }
}

impl Verification {
    /// True when everything that arrived is covered by the map.
    pub fn passed(&self) -> bool {
        self.findings.is_empty()
    }
}
