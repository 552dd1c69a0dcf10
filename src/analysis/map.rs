//! The data map as output: per destination, which records and attributes may arrive, of
//! which category, in which state, and the input lines that made it so. Its JSON form is
//! documented by `schemas/analysis.schema.json` (generated from these types).
//!
//! An attribute that is not listed for a destination is a claim that it never arrives
//! there; everything in this module only ever reports what the walk kept.

use schemars::JsonSchema;
use serde::Serialize;

use super::destination::DestinationKind;
use super::flow::{Attr, AttrMap, Item, Step};
use super::shape::{AttrState, Presence, ValueKind};
use super::walk::Delivery;
use crate::diag::JsonDiagnostic;
use crate::taxonomy::Category;

/// The version of this output format.
pub const SCHEMA_VERSION: u32 = 1;

/// The whole data map of one deployment.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DataMap {
    /// Version of this format.
    pub schema_version: u32,
    /// The first telemetry source analysed (kept for readers of single-source maps).
    pub source: SourceOut,
    /// Every telemetry source of the deployment (coding agents), in the order given.
    pub sources: Vec<SourceOut>,
    /// Every place data may arrive, sorted by id.
    pub destinations: Vec<DestinationOut>,
    /// What the analysis had to assume, and problems in the inputs.
    pub diagnostics: Vec<JsonDiagnostic>,
}

/// The source and whether its telemetry is on.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SourceOut {
    /// Source name, e.g. `claude-code`.
    pub name: String,
    /// The client version whose behaviour was used.
    pub version: String,
    /// Whether OpenTelemetry export is switched on.
    pub telemetry_enabled: bool,
}

/// One destination.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DestinationOut {
    /// Exporter id; with several collectors `collector:exporter`; `direct:host:port` for a
    /// client export no collector handles; `vendor:name` for flows outside OpenTelemetry.
    pub id: String,
    /// Kind of destination.
    pub kind: DestinationKind,
    /// Where it sends to, without credentials; `null` when not known.
    pub endpoint: Option<String>,
    /// Whether the data may leave the employee's device.
    pub leaves_device: bool,
    /// The hops the data takes to get here.
    pub route: Vec<String>,
    /// Why this destination is what it is (the exporter's definition, the setting).
    pub evidence: Vec<EvidenceOut>,
    /// What may arrive.
    pub records: Vec<RecordOut>,
}

/// One kind of record arriving at a destination.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RecordOut {
    /// The source (coding agent) that emits it, e.g. `claude-code`.
    pub source: String,
    /// `logs`, `metrics`, `traces` or `other`.
    pub signal: String,
    /// Metric name, event name (the log body), span name, or `resource`.
    pub name: String,
    /// For span events: the span they belong to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Whether it arrives in every session, or only sometimes.
    pub presence: Presence,
    /// Attributes that may arrive, sorted by key.
    pub attributes: Vec<AttrOut>,
    /// Attributes that may arrive under names that cannot be known.
    pub unknown_keys: Vec<UnknownOut>,
    /// Attributes the catalogue knows but that certainly do not arrive here, and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<RemovedOut>,
    /// Record-level evidence (settings that made it exported, filters that may drop it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<EvidenceOut>,
}

/// One attribute that may arrive.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AttrOut {
    /// The attribute key.
    pub key: String,
    /// The data category.
    pub category: Category,
    /// Further categories the value may hold.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<Category>,
    /// Content, identifier or metadata.
    pub kind: ValueKind,
    /// The form in which the value arrives.
    pub state: AttrState,
    /// The constant that arrives instead of the value, when `state` is `placeholder`
    /// (`verify` holds captured values against it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
    /// Whether it arrives on every such record, or only sometimes.
    pub presence: Presence,
    /// Settings and configuration lines that decided state and presence.
    pub evidence: Vec<EvidenceOut>,
}

/// Keys of unknown name.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct UnknownOut {
    /// Categories the values may hold.
    pub categories: Vec<Category>,
    /// Why the names cannot be known.
    pub reason: String,
    /// Where that comes from.
    pub evidence: Vec<EvidenceOut>,
}

/// A key removed on the way.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RemovedOut {
    /// The key.
    pub key: String,
    /// What it would have carried.
    pub category: Category,
    /// What removed it.
    pub evidence: Vec<EvidenceOut>,
}

/// A line of evidence: what happened and where it is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct EvidenceOut {
    /// The file as named in the inputs; absent for a client default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The 1-based line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// What it did.
    pub what: String,
}

impl From<&Step> for EvidenceOut {
    fn from(s: &Step) -> Self {
        EvidenceOut {
            file: s.file.clone(),
            line: s.line,
            what: s.what.clone(),
        }
    }
}

fn settings_evidence(e: &super::shape::Evidence, files: &crate::files::Files) -> EvidenceOut {
    let mut what = match &e.value {
        Some(v) => format!("{}={v}", e.setting),
        None => e.setting.clone(),
    };
    if let Some(note) = &e.note {
        what.push_str(&format!(" ({note})"));
    } else if e.provenance == "default" {
        what.push_str(" (default)");
    }
    let (file, line) = match e.span {
        Some(span) => (Some(files.get(span.file).display.clone()), Some(span.line)),
        None => (None, None),
    };
    EvidenceOut { file, line, what }
}

/// Turns the walk's deliveries of one source into the output form.
pub fn destination_out(source: &str, d: &Delivery, files: &crate::files::Files) -> DestinationOut {
    let mut records: Vec<RecordOut> = Vec::new();
    for signal in ["logs", "metrics", "traces", "other"] {
        let of_signal: Vec<&Item> = d
            .items
            .iter()
            .filter(|i| i.signal.as_str() == signal)
            .collect();
        if of_signal.is_empty() {
            continue;
        }
        let resource = super::gather::join_maps(of_signal.iter().map(|i| &i.resource));
        if signal != "other" {
            // The resource travels with the records: only as sure as the surest of them.
            let presence = if of_signal.iter().any(|i| i.presence == Presence::Always) {
                Presence::Always
            } else {
                Presence::Maybe
            };
            records.push(record_out(
                head(source, signal, "resource", None, presence, Vec::new()),
                &resource,
                files,
            ));
        }
        for i in of_signal {
            let name = i
                .body
                .as_ref()
                .and_then(|b| b.shape.placeholder.clone())
                .unwrap_or_else(|| i.name.clone());
            let mut evidence: Vec<EvidenceOut> = i
                .origin
                .iter()
                .flat_map(|o| o.evidence.iter().map(|e| settings_evidence(e, files)))
                .collect();
            evidence.extend(i.steps.iter().map(EvidenceOut::from));
            let h = head(
                source,
                signal,
                &name,
                i.parent.clone(),
                i.presence,
                evidence,
            );
            records.push(record_out(h, &i.attributes, files));
        }
    }
    records.sort_by(|a, b| {
        (
            &a.source,
            a.signal.as_str(),
            a.name != "resource",
            &a.parent,
            &a.name,
        )
            .cmp(&(
                &b.source,
                b.signal.as_str(),
                b.name != "resource",
                &b.parent,
                &b.name,
            ))
    });
    DestinationOut {
        id: d.id.clone(),
        kind: d.kind,
        endpoint: d.endpoint.clone(),
        leaves_device: d.leaves_device,
        route: d.route.clone(),
        evidence: d.steps.iter().map(EvidenceOut::from).collect(),
        records,
    }
}

/// A record without attributes yet.
fn head(
    source: &str,
    signal: &str,
    name: &str,
    parent: Option<String>,
    presence: Presence,
    evidence: Vec<EvidenceOut>,
) -> RecordOut {
    RecordOut {
        source: source.to_string(),
        signal: signal.to_string(),
        name: name.to_string(),
        parent,
        presence,
        attributes: Vec::new(),
        unknown_keys: Vec::new(),
        removed: Vec::new(),
        evidence,
    }
}

/// Fills a record's attributes from an attribute map.
fn record_out(head: RecordOut, map: &AttrMap, files: &crate::files::Files) -> RecordOut {
    RecordOut {
        attributes: map.keys.iter().map(|a| attr_out(a, files)).collect(),
        unknown_keys: map
            .unknown
            .iter()
            .map(|u| UnknownOut {
                categories: u.categories.clone(),
                reason: u.reason.clone(),
                evidence: u.steps.iter().map(EvidenceOut::from).collect(),
            })
            .collect(),
        removed: map
            .removed
            .iter()
            .map(|r| RemovedOut {
                key: r.key.clone(),
                category: r.category,
                evidence: r.steps.iter().map(EvidenceOut::from).collect(),
            })
            .collect(),
        ..head
    }
}

fn attr_out(a: &Attr, files: &crate::files::Files) -> AttrOut {
    let mut evidence: Vec<EvidenceOut> = a
        .shape
        .evidence
        .iter()
        .map(|e| settings_evidence(e, files))
        .collect();
    evidence.extend(a.steps.iter().map(EvidenceOut::from));
    AttrOut {
        key: a.shape.key.clone(),
        category: a.shape.category,
        also: a.shape.also.clone(),
        kind: a.shape.kind,
        state: a.shape.state,
        placeholder: match a.shape.state {
            AttrState::Placeholder => a.shape.placeholder.clone(),
            _ => None,
        },
        presence: a.shape.presence,
        evidence,
    }
}

/// Puts the destinations of several sources together: one entry per destination id, with
/// the records of every source that reaches it.
pub fn merge_destinations(all: Vec<DestinationOut>) -> Vec<DestinationOut> {
    let mut out: Vec<DestinationOut> = Vec::new();
    let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for d in all {
        match at.get(&d.id).map(|&i| &mut out[i]) {
            Some(o) => {
                o.leaves_device |= d.leaves_device;
                o.records.extend(d.records);
                for e in d.evidence {
                    if !o.evidence.contains(&e) {
                        o.evidence.push(e);
                    }
                }
                if o.route != d.route {
                    o.route.push(format!("| {}", d.route.join(" → ")));
                }
            }
            None => {
                at.insert(d.id.clone(), out.len());
                out.push(d);
            }
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}
