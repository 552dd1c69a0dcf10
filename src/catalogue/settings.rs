//! The `settings:` part of a catalogue: which environment variables and settings-file keys
//! decide what a coding agent exports, their defaults, and the per-version behaviours of
//! the agent's own resolution. Source-independent in shape; the values are per source.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::version::Version;

/// A telemetry signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Signal {
    /// Metric data points.
    Metrics,
    /// Log records (events).
    Logs,
    /// Spans.
    Traces,
}

impl Signal {
    /// Every signal, in the order outputs list them.
    pub const ALL: [Signal; 3] = [Signal::Metrics, Signal::Logs, Signal::Traces];

    /// The lower-case name, as in `/v1/metrics`.
    pub fn as_str(self) -> &'static str {
        match self {
            Signal::Metrics => "metrics",
            Signal::Logs => "logs",
            Signal::Traces => "traces",
        }
    }
}

/// What a variable controls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Turns the export (or one signal's export, or a mode) on or off.
    Switch,
    /// Chooses exporters for a signal.
    Selector,
    /// The OTLP wire protocol.
    Protocol,
    /// Where an exporter sends.
    Endpoint,
    /// Headers sent with exports.
    Headers,
    /// Time between exports.
    Interval,
    /// Whether some content or identifier is included.
    Gate,
    /// Resource attributes.
    Resource,
    /// Traffic to the vendor outside the OpenTelemetry export.
    Vendor,
}

/// How a gate's value is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Parse {
    /// A yes/no value (truthy / falsy lists).
    #[default]
    Bool,
    /// Off, inline (a truthy value) or `file:<dir>`.
    InlineOrFile,
    /// A comma list of `key=value` pairs.
    Pairs,
}

/// One environment variable the catalogue knows.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variable {
    /// The variable name.
    pub name: String,
    /// What it controls.
    pub kind: Kind,
    /// The signal it is tied to, if any.
    #[serde(default)]
    pub signal: Option<Signal>,
    /// The value the client assumes when it is unset.
    #[serde(default)]
    pub default: Option<String>,
    /// When unset, the client uses this other variable's effective value.
    #[serde(default)]
    pub default_from: Option<String>,
    /// Allowed values (selectors).
    #[serde(default)]
    pub values: Vec<String>,
    /// Switches that must be truthy for this variable to take effect.
    #[serde(default)]
    pub requires: Vec<String>,
    /// How the value is read (gates).
    #[serde(default)]
    pub parse: Parse,
    /// First client version known to read it.
    #[serde(default)]
    pub since: Option<String>,
    /// Seen in a capture, found in code, or documented.
    pub evidence: String,
    /// One line on what it does.
    pub meaning: String,
}

/// A behaviour parameter: one string or a list.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Param {
    /// One value.
    One(String),
    /// Several values.
    Many(Vec<String>),
}

/// A per-version behaviour of the client's settings resolution.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Behaviour {
    /// Stable id the resolver asks for.
    pub id: String,
    /// First version that behaves so.
    #[serde(default)]
    pub since: Option<String>,
    /// First version that no longer does.
    #[serde(default)]
    pub until: Option<String>,
    /// Where the fact comes from.
    pub evidence: String,
    /// What happens, in a few sentences.
    pub meaning: String,
    /// Values the resolver needs (variable names, suffixes).
    #[serde(default)]
    pub params: BTreeMap<String, Param>,
}

impl Behaviour {
    /// True when `version` lies in `[since, until)`.
    pub fn applies_to(&self, version: &Version) -> bool {
        let bound = |b: &Option<String>| b.as_deref().and_then(Version::parse);
        bound(&self.since).is_none_or(|s| *version >= s)
            && bound(&self.until).is_none_or(|u| *version < u)
    }

    /// A list parameter (a single value counts as a list of one); empty when absent.
    pub fn list(&self, name: &str) -> Vec<&str> {
        match self.params.get(name) {
            Some(Param::One(s)) => vec![s.as_str()],
            Some(Param::Many(v)) => v.iter().map(String::as_str).collect(),
            None => Vec::new(),
        }
    }

    /// A single-value parameter.
    pub fn one(&self, name: &str) -> Option<&str> {
        match self.params.get(name) {
            Some(Param::One(s)) => Some(s),
            _ => None,
        }
    }
}

/// Settings-file keys with a meaning for telemetry.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileRoles {
    /// A key naming a script whose output becomes export headers.
    #[serde(default)]
    pub dynamic_headers: Option<String>,
    /// A key naming a program that computes managed settings at start-up.
    #[serde(default)]
    pub policy_helper: Option<String>,
}

/// OTLP exporter facts the client inherits from its OpenTelemetry SDK.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OtlpFacts {
    /// Protocol values the SDK accepts.
    pub protocols: Vec<String>,
    /// The protocol assumed for building URLs when none is set.
    pub assumed_protocol: String,
    /// Default base URL for HTTP protocols.
    pub default_endpoint_http: String,
    /// Default URL for gRPC.
    pub default_endpoint_grpc: String,
    /// Path added to a generic HTTP endpoint; `{signal}` is replaced.
    pub http_path: String,
}

/// One possible destination of model requests.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelApiRule {
    /// Who runs the API.
    pub provider: String,
    /// The switch that selects it; `None` for the default.
    #[serde(default)]
    pub selected_by: Option<String>,
    /// The variable that overrides the base URL.
    pub base_url_from: String,
    /// The URL used otherwise; `{VAR}` is filled from the environment.
    pub default_url: String,
}

/// Traffic to the vendor that the OpenTelemetry settings do not govern.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VendorFlowRule {
    /// Stable id.
    pub id: String,
    /// What is sent.
    pub what: String,
    /// Where it goes.
    pub destination: String,
    /// Variables any one of which (truthy) stops it.
    pub stopped_by: Vec<String>,
    /// Where the fact comes from.
    pub evidence: String,
}

/// The `settings:` section of a catalogue.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsTable {
    /// Values that switch a default-off variable on.
    pub truthy: Vec<String>,
    /// Values that switch a default-on variable off.
    pub falsy: Vec<String>,
    /// The variable without which nothing is exported.
    pub master_switch: String,
    /// Top-level settings-file keys the client knows.
    pub file_keys: Vec<String>,
    /// Settings-file keys with a telemetry meaning.
    #[serde(default)]
    pub file_roles: FileRoles,
    /// OTLP facts.
    pub otlp: OtlpFacts,
    /// Per-version behaviours.
    #[serde(default)]
    pub behaviours: Vec<Behaviour>,
    /// The variables.
    pub variables: Vec<Variable>,
    /// Model API destinations.
    #[serde(default)]
    pub model_api: Vec<ModelApiRule>,
    /// Vendor traffic outside OpenTelemetry.
    #[serde(default)]
    pub vendor_flows: Vec<VendorFlowRule>,
}

impl SettingsTable {
    /// True for a value in the truthy list (trimmed, any case).
    pub fn is_truthy(&self, value: &str) -> bool {
        contains_ci(&self.truthy, value)
    }

    /// True for a value in the falsy list (trimmed, any case).
    pub fn is_falsy(&self, value: &str) -> bool {
        contains_ci(&self.falsy, value)
    }

    /// The variable with this name.
    pub fn variable(&self, name: &str) -> Option<&Variable> {
        self.variables.iter().find(|v| v.name == name)
    }

    /// Variables of a kind, in catalogue order.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Variable> {
        self.variables.iter().filter(move |v| v.kind == kind)
    }

    /// The variable of a kind for a signal (`None`: the generic one), without `requires`.
    pub fn find(&self, kind: Kind, signal: Option<Signal>) -> Option<&Variable> {
        self.of_kind(kind)
            .find(|v| v.signal == signal && v.requires.is_empty())
    }

    /// The behaviour with this id if it applies to `version`.
    pub fn behaviour(&self, id: &str, version: &Version) -> Option<&Behaviour> {
        self.behaviours
            .iter()
            .find(|b| b.id == id && b.applies_to(version))
    }
}

fn contains_ci(list: &[String], value: &str) -> bool {
    let value = value.trim();
    list.iter().any(|t| t.eq_ignore_ascii_case(value))
}
