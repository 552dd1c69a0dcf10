//! Abstract telemetry: which records a client exports and, per attribute, in what form the
//! value may travel, with the evidence that made it so.
//!
//! A shape over-approximates: `raw` means the original value may arrive, `maybe` means it
//! may or may not. Later stages (collector processors) only ever move an attribute towards
//! more protection when they can prove it, and join shapes at merge points.

use serde::Serialize;

pub use crate::catalogue::telemetry::{EvidenceKind, Presence, RecordKind, Signal, ValueKind};
use crate::files::Span;
use crate::taxonomy::Category;

/// The form an attribute's value has along a path, least protected first.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AttrState {
    /// The original value may arrive.
    Raw,
    /// Parts may have been removed by a pattern; content may remain.
    Masked,
    /// Cut to a length; the start of the value remains.
    Truncated,
    /// Replaced by a hash: linkable, not readable.
    Hashed,
    /// Replaced by a constant that carries no personal data.
    Placeholder,
}

/// How a setting decided something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The setting switched it on.
    On,
    /// The setting switched it off.
    Off,
    /// The value was not recognised, so it is treated as on (the sound assumption).
    AssumedOn,
    /// Managed settings do not pin it, so a lower settings layer can change it: taken as
    /// possibly on (or, for a switch that stops data, possibly off).
    Unpinned,
}

/// Why a record or attribute is in the form it is: one setting and where its value came from.
///
/// Setting values are shown only when they are one of the client's recognised on/off words
/// (or the recognised prefix of one), so a URL with a token or any other free value can
/// never reach an output through evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// The setting read, e.g. `OTEL_LOG_USER_PROMPTS`.
    pub setting: String,
    /// The value, when it is safe to show.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Where the value came from, or `default`.
    pub provenance: String,
    /// The place in an input file, if any.
    #[serde(skip)]
    pub span: Option<Span>,
    /// What the setting did.
    pub outcome: Outcome,
    /// A short explanation, e.g. `unset; follows OTEL_LOG_USER_PROMPTS`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One attribute of a record shape.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttrShape {
    /// The attribute key.
    pub key: String,
    /// The data category.
    pub category: Category,
    /// Further categories the value may hold.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<Category>,
    /// Content, identifier or metadata.
    pub kind: ValueKind,
    /// The form of the value.
    pub state: AttrState,
    /// The constant sent instead of the value, when `state` is `placeholder`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
    /// Always or maybe.
    pub presence: Presence,
    /// The condition that makes it `maybe`, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// Resource attributes only: the signals whose exports carry it; all when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub signals: Vec<Signal>,
    /// The settings that decided state and presence.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    /// Whether the catalogue knows this attribute from a capture or only from code.
    pub catalogue_evidence: EvidenceKind,
}

/// Keys that may be present but cannot be named, with the categories they may hold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnknownKeys {
    /// Categories the keys may hold.
    pub categories: Vec<Category>,
    /// Why they cannot be named.
    pub reason: String,
    /// Always or maybe.
    pub presence: Presence,
    /// The settings that decided it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
}

/// An attribute the client does not send under these settings, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Withheld {
    /// The key.
    pub key: String,
    /// Its category.
    pub category: Category,
    /// The settings that removed it.
    pub evidence: Vec<Evidence>,
}

/// Where a flow outside OpenTelemetry goes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DestinationShape {
    /// A stable id.
    pub id: String,
    /// A readable name.
    pub label: String,
    /// The host, when known (never with user info or path).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// The path, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Whether this destination is certainly the one used.
    pub presence: Presence,
    /// The settings that chose it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
}

/// One kind of record the client exports, with everything it may carry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordShape {
    /// The signal it travels in.
    pub signal: Signal,
    /// Resource, metric, event, span, span event or flow.
    pub kind: RecordKind,
    /// The metric / event / span name.
    pub name: String,
    /// For span events: the span.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// For events: the log record's body, a constant such as `claude_code.user_prompt`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Always or maybe.
    pub presence: Presence,
    /// The condition that makes it `maybe`, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// The category of the record's own value (a metric's number, a span's times).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Category>,
    /// Attributes that may be present.
    pub attributes: Vec<AttrShape>,
    /// Keys that may be present but cannot be named.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown_keys: Vec<UnknownKeys>,
    /// Attributes the catalogue knows but these settings keep back.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub withheld: Vec<Withheld>,
    /// For flows: where the data goes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub destinations: Vec<DestinationShape>,
    /// The settings that made the record exported.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    /// Whether the catalogue knows this record from a capture or only from code.
    pub catalogue_evidence: EvidenceKind,
}

impl RecordShape {
    /// The attribute with this key, if present.
    pub fn attribute(&self, key: &str) -> Option<&AttrShape> {
        self.attributes.iter().find(|a| a.key == key)
    }
}
