//! The file format of a telemetry catalogue (`catalogue/<source>/telemetry.yaml`), exactly
//! as written. Nothing here is specific to one agent: Claude Code, Codex and Gemini CLI are
//! all described by records, attributes, gates on settings, and conditions.
//!
//! [`super::expand`] turns these raw records into the version-specific, set-expanded
//! [`super::Record`]s the analysis uses; [`super::validate`] checks every reference.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::Version;
use crate::taxonomy::Category;

/// A whole catalogue file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueFile {
    /// The source name used with `--source`, e.g. `claude-code`.
    pub source: String,
    /// A human name for documents.
    pub title: String,
    /// The client versions whose behaviour was checked, oldest first.
    pub versions: Vec<KnownVersion>,
    /// How the client reads on/off values of settings.
    pub booleans: Booleans,
    /// How log records name themselves: `{name}` is replaced by the event name.
    #[serde(default)]
    pub event_body: Option<String>,
    /// Instrumentation scope names per signal (informative).
    #[serde(default)]
    pub scopes: IndexMap<String, String>,
    /// Things no configuration decides (a login type, an error, a tool being used); an item
    /// that depends on one is `maybe`. Name → one-sentence description.
    #[serde(default)]
    pub conditions: IndexMap<String, String>,
    /// Named on/off switches read from settings.
    pub gates: IndexMap<String, GateSpec>,
    /// Which signals leave the client at all.
    pub export: ExportSpec,
    /// Reusable lists of attributes, included with `- use: NAME`.
    #[serde(default)]
    pub attribute_sets: IndexMap<String, Vec<AttrItem>>,
    /// Everything the client emits.
    pub records: Vec<RecordSpec>,
}

/// A client version the catalogue was checked against.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownVersion {
    /// The version.
    pub version: Version,
    /// How it was checked (captures, code reading).
    pub checked: String,
}

/// The words a client accepts as on and off (compared without case).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Booleans {
    /// Values read as on.
    pub truthy: Vec<String>,
    /// Values read as off.
    pub falsy: Vec<String>,
}

/// Whether a fact was seen in a capture of the real client or only found in its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// Present in a capture of real telemetry.
    Seen,
    /// Found only in the client's code or documentation; that path did not run.
    Code,
}

impl EvidenceKind {
    /// The lower-case word.
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Seen => "seen",
            EvidenceKind::Code => "code",
        }
    }
}

/// An on/off switch read from one setting (or several aliases: on if any is on).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GateSpec {
    /// The setting (environment variable or settings key) read.
    pub setting: String,
    /// Other names for the same switch.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// The value when the setting is absent.
    pub default: GateDefault,
    /// Values that switch it on; default `[truthy]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<Vec<Matcher>>,
    /// Values that switch it off; default `[falsy]`. Any other value is treated as on
    /// (the sound assumption), and the result is marked uncertain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub off: Option<Vec<Matcher>>,
    /// What the gate does, in one sentence.
    pub description: String,
    /// Where the default and the effect are known from.
    pub evidence: EvidenceKind,
}

/// A gate's value when its setting is absent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum GateDefault {
    /// A fixed value.
    Fixed(bool),
    /// The value of another gate (e.g. response logging follows prompt logging).
    SameAs {
        /// The other gate's name.
        same_as: String,
    },
}

/// A test on a setting's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Matcher {
    /// One of the catalogue's truthy words.
    Truthy,
    /// One of the catalogue's falsy words.
    Falsy,
    /// Any non-empty value.
    NonEmpty,
    /// The empty string.
    Empty,
    /// A value starting with this text (compared without case).
    Prefix(String),
}

impl TryFrom<String> for Matcher {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        match s.as_str() {
            "truthy" => Ok(Matcher::Truthy),
            "falsy" => Ok(Matcher::Falsy),
            "nonempty" => Ok(Matcher::NonEmpty),
            "empty" => Ok(Matcher::Empty),
            _ => match s.strip_prefix("prefix:") {
                Some(p) if !p.is_empty() => Ok(Matcher::Prefix(p.to_string())),
                _ => Err(format!(
                    "`{s}` is not a matcher (truthy, falsy, nonempty, empty, prefix:TEXT)"
                )),
            },
        }
    }
}

impl From<Matcher> for String {
    fn from(m: Matcher) -> String {
        match m {
            Matcher::Truthy => "truthy".into(),
            Matcher::Falsy => "falsy".into(),
            Matcher::NonEmpty => "nonempty".into(),
            Matcher::Empty => "empty".into(),
            Matcher::Prefix(p) => format!("prefix:{p}"),
        }
    }
}

/// Which signals the client exports.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportSpec {
    /// A gate that must be on for any OTel export (the master switch), if the client has one.
    #[serde(default)]
    pub master: Option<String>,
    /// Per signal (`metrics`, `logs`, `traces`): how its exporter is selected.
    pub signals: IndexMap<String, SignalExportSpec>,
}

/// How one signal's exporter is chosen.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignalExportSpec {
    /// The setting naming the exporter(s), a comma-separated list. Absent for a client
    /// that has no per-signal choice: the signal is exported whenever the master switch
    /// (and `requires`) is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setting: Option<String>,
    /// The value when the setting is absent.
    #[serde(default)]
    pub default: String,
    /// Values that mean "no exporter".
    #[serde(default)]
    pub none_values: Vec<String>,
    /// Exporter names the client knows; others are assumed to export, uncertainly.
    #[serde(default)]
    pub known_values: Vec<String>,
    /// Exporter values that send to the vendor's own service instead of an endpoint the
    /// organisation chooses (e.g. a built-in analytics exporter), and where that is. The
    /// data map shows such a signal at a `vendor:<id>` destination.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub vendor: IndexMap<String, DestinationSpec>,
    /// Further gates that must be on.
    #[serde(default)]
    pub requires: Vec<String>,
    /// Where this rule is known from.
    pub evidence: EvidenceKind,
}

/// The OpenTelemetry signal a record travels in; `other` for flows outside OpenTelemetry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    /// Log records.
    Logs,
    /// Metric data points.
    Metrics,
    /// Spans and span events.
    Traces,
    /// The resource sent with every export of any signal.
    Resource,
    /// Not OpenTelemetry: the model API call, the vendor's own telemetry.
    Other,
}

impl Signal {
    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Signal::Logs => "logs",
            Signal::Metrics => "metrics",
            Signal::Traces => "traces",
            Signal::Resource => "resource",
            Signal::Other => "other",
        }
    }
}

/// What sort of telemetry item a record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// The OTel resource sent with every export.
    Resource,
    /// A metric (its data points' attributes).
    Metric,
    /// A log record (an "event").
    Event,
    /// A span.
    Span,
    /// An event inside a span (`parent` names the span).
    SpanEvent,
    /// Data sent outside OpenTelemetry (the model API call, the vendor's own telemetry).
    Flow,
}

impl RecordKind {
    /// The signal records of this kind travel in.
    pub fn signal(self) -> Signal {
        match self {
            RecordKind::Resource => Signal::Resource,
            RecordKind::Metric => Signal::Metrics,
            RecordKind::Event => Signal::Logs,
            RecordKind::Span | RecordKind::SpanEvent => Signal::Traces,
            RecordKind::Flow => Signal::Other,
        }
    }

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Resource => "resource",
            RecordKind::Metric => "metric",
            RecordKind::Event => "event",
            RecordKind::Span => "span",
            RecordKind::SpanEvent => "span_event",
            RecordKind::Flow => "flow",
        }
    }
}

/// Whether an item arrives in every telemetry-on session or only sometimes.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// In every session in which the employee sends at least one prompt.
    Always,
    /// Only in some sessions, or only under a condition no configuration decides.
    Maybe,
}

/// What an attribute becomes when its gate is off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OffSpec {
    /// `absent`: the key is not sent.
    Word(OffWord),
    /// The key is sent with a constant instead of the value.
    Placeholder {
        /// The constant, e.g. `<REDACTED>`.
        placeholder: String,
    },
}

/// The one word [`OffSpec::Word`] takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OffWord {
    /// The key is not sent.
    Absent,
}

/// One more category an attribute may hold, always or under a condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlsoSpec {
    /// The category.
    pub category: Category,
    /// When it applies; always if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
}

/// The kind of value an attribute holds.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// Free text or data from the employee's work.
    Content,
    /// A key that identifies a person, installation, session or request.
    Identifier,
    /// Anything else: counts, durations, names of software, flags.
    Metadata,
}

impl ValueKind {
    /// The lower-case word.
    pub fn as_str(self) -> &'static str {
        match self {
            ValueKind::Content => "content",
            ValueKind::Identifier => "identifier",
            ValueKind::Metadata => "metadata",
        }
    }
}

/// One entry of an attribute list: exactly one of `use`, `key`, `keys_from`, `unknown_keys`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttrItem {
    /// Include an attribute set.
    #[serde(default, rename = "use")]
    pub use_set: Option<String>,
    /// A fixed attribute key.
    #[serde(default)]
    pub key: Option<String>,
    /// Keys taken from a setting's `k=v,k2=v2` value (e.g. `OTEL_RESOURCE_ATTRIBUTES`).
    #[serde(default)]
    pub keys_from: Option<String>,
    /// Keys that cannot be listed; the text says why.
    #[serde(default)]
    pub unknown_keys: Option<String>,
    /// The data category.
    #[serde(default)]
    pub category: Option<Category>,
    /// Further categories the value may hold.
    #[serde(default)]
    pub also: Vec<AlsoSpec>,
    /// The value kind.
    #[serde(default)]
    pub kind: Option<ValueKind>,
    /// The value is always this text (`{name}` stands for the record's name): a constant
    /// that carries no personal data, which collector conditions can be decided against.
    #[serde(default)]
    pub constant: Option<String>,
    /// The gate that controls the value.
    #[serde(default)]
    pub gate: Option<String>,
    /// Further gates that must all be on, else the key is absent.
    #[serde(default)]
    pub requires: Vec<String>,
    /// What happens when the gate is off; default `absent`.
    #[serde(default)]
    pub off: Option<OffSpec>,
    /// Presence when its gates are on; default `always`.
    #[serde(default)]
    pub presence: Option<Presence>,
    /// A condition that makes it `maybe`.
    #[serde(default)]
    pub condition: Option<String>,
    /// Resource attributes only: the signals whose exports carry it (some clients build
    /// one resource per signal); all signals when empty.
    #[serde(default)]
    pub signals: Vec<Signal>,
    /// First version with it.
    #[serde(default)]
    pub since: Option<Version>,
    /// First version without it.
    #[serde(default)]
    pub until: Option<Version>,
    /// Seen or code.
    #[serde(default)]
    pub evidence: Option<EvidenceKind>,
    /// An example or a caveat for readers.
    #[serde(default)]
    pub note: Option<String>,
}

/// Where a flow outside OpenTelemetry goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DestinationSpec {
    /// A stable id, e.g. `anthropic_api`.
    pub id: String,
    /// A readable name.
    pub label: String,
    /// The host, when fixed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// The path, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// A setting whose URL value gives the host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_from: Option<String>,
    /// The gate that selects this destination; without one, it is the default, used
    /// unless another destination is certainly selected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// Seen or code.
    pub evidence: EvidenceKind,
}

/// One record as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordSpec {
    /// Resource, metric, event, span, span event or flow.
    pub kind: RecordKind,
    /// The metric / event / span name (events: the `event.name` value).
    pub name: String,
    /// For span events: the span's name.
    #[serde(default)]
    pub parent: Option<String>,
    /// What it is, in one sentence.
    #[serde(default)]
    pub description: String,
    /// A metric's unit.
    #[serde(default)]
    pub unit: Option<String>,
    /// The category of what the record carries besides attributes (a metric's number).
    #[serde(default)]
    pub value: Option<Category>,
    /// Always or maybe.
    pub presence: Presence,
    /// A condition that makes it `maybe`.
    #[serde(default)]
    pub condition: Option<String>,
    /// Gates that must all be on.
    #[serde(default)]
    pub requires: Vec<String>,
    /// Gates any of which switches the record off.
    #[serde(default)]
    pub disabled_by: Vec<String>,
    /// First version with it.
    #[serde(default)]
    pub since: Option<Version>,
    /// First version without it.
    #[serde(default)]
    pub until: Option<Version>,
    /// Seen or code.
    pub evidence: EvidenceKind,
    /// A caveat for readers.
    #[serde(default)]
    pub note: Option<String>,
    /// Its attributes.
    #[serde(default)]
    pub attributes: Vec<AttrItem>,
    /// For flows: where the data goes.
    #[serde(default)]
    pub destinations: Vec<DestinationSpec>,
}
