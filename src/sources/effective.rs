//! The result of resolving one coding agent's settings, independent of which agent it is:
//! what is exported, where, with which content, and why.
//!
//! Everything here may be printed, so no secret is ever stored in it: environment values
//! of secret variables are masked, header values are not kept at all (only names), and
//! URLs lose their credentials. Lists are in a fixed order so output is deterministic.

use serde::Serialize;

use super::provenance::{Provenance, Tier};
use crate::catalogue::Signal;

/// A value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Valued {
    /// The value (already masked if secret).
    pub value: String,
    /// Where it came from.
    pub provenance: Provenance,
}

/// The effective settings of one source.
#[derive(Debug, Clone, Serialize)]
pub struct EffectiveSettings {
    /// Source id, e.g. `claude-code`.
    pub source: String,
    /// Human name of the source.
    pub source_name: String,
    /// The client version analysed.
    pub version: String,
    /// Whether the catalogue was checked against this exact version.
    pub version_known: bool,
    /// The checked version whose observed behaviour is assumed.
    pub assumed_version: String,
    /// The managed tier in force (the first non-empty one), if any.
    pub policy_tier: Option<Tier>,
    /// Whether the OpenTelemetry export is on at all.
    pub telemetry: Telemetry,
    /// Per signal, in the order metrics, logs, traces.
    pub signals: Vec<SignalExport>,
    /// Content and identifier gates, in catalogue order.
    pub gates: Vec<Gate>,
    /// Resource attributes the client adds.
    pub resource: Resource,
    /// Traffic to the vendor that the OpenTelemetry settings do not govern.
    pub vendor: Vendor,
    /// The effective environment, sorted by key.
    pub env: Vec<EnvEntry>,
    /// For agents configured by settings files rather than the environment (Codex CLI,
    /// Gemini CLI): the telemetry-relevant keys in force, by dotted path, sorted. Catalogue
    /// gates name these paths. Secret values are masked; header values are never kept.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub config: Vec<EnvEntry>,
    /// Variables removed before the client's SDK starts, sorted by key.
    pub dropped: Vec<DroppedEnv>,
    /// True when the inputs were declared to be every settings file the client reads
    /// (`--no-other-settings`): values below the managed tier then count as fixed.
    pub complete: bool,
}

/// The master switch.
#[derive(Debug, Clone, Serialize)]
pub struct Telemetry {
    /// On or off.
    pub enabled: bool,
    /// Why, in a sentence.
    pub reason: String,
    /// Where the deciding value came from.
    pub provenance: Provenance,
    /// True when managed settings set it (see [`Gate::fixed_by_policy`]).
    pub fixed_by_policy: bool,
}

/// One signal's export.
#[derive(Debug, Clone, Serialize)]
pub struct SignalExport {
    /// The signal.
    pub signal: Signal,
    /// Whether data of this signal leaves the client (assumed when undecidable).
    pub exported: bool,
    /// Why it is or is not exported.
    pub reason: String,
    /// Exporters selected, as written (lower case).
    pub exporters: Vec<String>,
    /// Where the selection came from.
    pub selected_by: Provenance,
    /// The OTLP endpoint URL as the client will use it, when an OTLP exporter is chosen.
    pub endpoint: Option<Endpoint>,
    /// The OTLP protocol; `None` when unset.
    pub protocol: Option<Valued>,
    /// Header names sent with each export (values are never kept).
    pub headers: Vec<Header>,
    /// Set when a helper script supplies headers at run time (names unknown).
    pub dynamic_headers: Option<Provenance>,
    /// Milliseconds between exports.
    pub interval_ms: Valued,
    /// Other destinations of this signal (e.g. a separate tracing mode).
    pub also_to: Vec<Endpoint>,
    /// For a signal not exported here: the settings, none pinned by managed settings, that
    /// the user's or a repository's settings file could set to export it (to `endpoint`).
    /// Empty when it is exported, or when managed settings keep it off.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub switchable: Vec<String>,
}

/// A URL data is sent to.
#[derive(Debug, Clone, Serialize)]
pub struct Endpoint {
    /// The full URL (credentials masked).
    pub url: String,
    /// The variable it was built from, or `default`.
    pub from: String,
    /// Where that variable came from.
    pub provenance: Provenance,
}

/// One export header, by name.
#[derive(Debug, Clone, Serialize)]
pub struct Header {
    /// Header name, URL-decoded.
    pub name: String,
    /// The variable that sets it.
    pub from: String,
    /// Where that variable came from.
    pub provenance: Provenance,
}

/// A content or identifier gate.
#[derive(Debug, Clone, Serialize)]
pub struct Gate {
    /// Variable name.
    pub name: String,
    /// Whether the content or identifier is included.
    pub enabled: bool,
    /// The effective value as interpreted (`true`/`false`, or `off`/`inline`/`file:<dir>`).
    pub value: String,
    /// The client's default, e.g. `false` or `= OTEL_LOG_USER_PROMPTS`.
    pub default: String,
    /// Where the value came from (for a default that follows another variable: default).
    pub provenance: Provenance,
    /// True when managed settings set it. Otherwise the user, or a repository's project
    /// settings, can change it on a machine: the value shown is the deployed one, not a
    /// guarantee.
    pub fixed_by_policy: bool,
    /// What it controls.
    pub meaning: String,
}

/// Resource attributes.
#[derive(Debug, Clone, Serialize)]
pub struct Resource {
    /// `service.name`.
    pub service_name: Valued,
    /// Pairs from the resource-attributes variable, in the order written.
    pub attributes: Vec<ResourceAttribute>,
}

/// One admin-defined resource attribute. Values are shown: they are not secrets, but
/// they may be personal data, which is why they matter.
#[derive(Debug, Clone, Serialize)]
pub struct ResourceAttribute {
    /// Key, URL-decoded.
    pub key: String,
    /// Value, URL-decoded.
    pub value: String,
    /// Where the variable came from.
    pub provenance: Provenance,
}

/// Vendor traffic outside OpenTelemetry.
#[derive(Debug, Clone, Serialize)]
pub struct Vendor {
    /// The switches and their effective values.
    pub switches: Vec<Gate>,
    /// Where model requests go (several when more than one provider is selected).
    pub model_api: Vec<ModelApi>,
    /// The vendor's own flows and whether they run.
    pub flows: Vec<VendorFlow>,
}

/// A destination of model requests.
#[derive(Debug, Clone, Serialize)]
pub struct ModelApi {
    /// Who runs the API.
    pub provider: String,
    /// Base URL (credentials masked; `<VAR unset>` where a needed variable is unset).
    pub url: String,
    /// Where the selection or URL came from.
    pub provenance: Provenance,
}

/// One vendor flow.
#[derive(Debug, Clone, Serialize)]
pub struct VendorFlow {
    /// Stable id.
    pub id: String,
    /// What is sent.
    pub what: String,
    /// Where it goes.
    pub destination: String,
    /// Whether it runs.
    pub active: bool,
    /// Why.
    pub reason: String,
}

/// One variable of the effective environment.
#[derive(Debug, Clone, Serialize)]
pub struct EnvEntry {
    /// Name.
    pub key: String,
    /// Value, masked when secret.
    pub value: String,
    /// True when the value is masked.
    pub secret: bool,
    /// Where it came from.
    pub provenance: Provenance,
    /// Earlier values it replaced, oldest first.
    pub overrode: Vec<Valued>,
}

/// A variable removed before the SDK starts.
#[derive(Debug, Clone, Serialize)]
pub struct DroppedEnv {
    /// Name.
    pub key: String,
    /// Value, masked when secret.
    pub value: String,
    /// Where it came from.
    pub provenance: Provenance,
    /// Why it was removed.
    pub reason: String,
    /// The managed setting that caused it.
    pub dropped_by: Provenance,
}
