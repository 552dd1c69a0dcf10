//! The `config:` part of a catalogue, for agents configured by layered settings files
//! rather than environment variables (OpenAI Codex CLI, Google Gemini CLI): which layers
//! exist and in what order, which keys have a telemetry meaning, their defaults, and the
//! environment variables that override them. Source-independent in shape.

use serde::Deserialize;

use super::settings::Signal;
use crate::sources::Tier;

/// The `config:` section.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigTable {
    /// Values of an environment variable read as on (compared without case).
    pub truthy: Vec<String>,
    /// Values read as off.
    pub falsy: Vec<String>,
    /// The layers, lowest precedence first.
    pub layers: Vec<LayerSpec>,
    /// The keys with a telemetry meaning.
    pub keys: Vec<ConfigKey>,
    /// Export intervals per signal.
    #[serde(default)]
    pub intervals: Vec<IntervalRule>,
    /// The variable whose `k=v,…` pairs the SDK adds to the resource.
    #[serde(default)]
    pub resource_attributes_env: Option<String>,
    /// The variable whose `name=value,…` pairs are sent as headers with every export.
    #[serde(default)]
    pub headers_env: Option<String>,
    /// The variable that replaces `service.name`, if the client honours one.
    #[serde(default)]
    pub service_name_env: Option<String>,
    /// `service.name` when nothing replaces it.
    pub service_name_default: String,
}

/// How a layer's file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LayerFormat {
    /// A TOML file.
    Toml,
    /// A JSON file.
    Json,
    /// Command-line `KEY=VALUE` overrides.
    Overrides,
}

/// One settings layer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerSpec {
    /// The name used with `--codex-config LAYER=FILE` / `--gemini-settings LAYER=FILE`.
    pub id: String,
    /// Where the client reads it (for messages and documents).
    pub path: String,
    /// Its tier, for provenance and for what the user can change.
    pub tier: Tier,
    /// How it is written.
    pub format: LayerFormat,
    /// Read only for a folder the user trusts.
    #[serde(default)]
    pub trusted_only: bool,
    /// For a constraint layer: the keys it pins over every other layer.
    #[serde(default)]
    pub pins: Vec<String>,
    /// Seen or code.
    pub evidence: String,
    /// What it is.
    pub meaning: String,
}

/// What a key controls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyKind {
    /// Turns the export (or a mode) on or off.
    Switch,
    /// Chooses an exporter.
    Selector,
    /// Where an exporter sends.
    Endpoint,
    /// The OTLP protocol.
    Protocol,
    /// Whether some content or identifier is included.
    Gate,
    /// A resource or span attribute.
    Resource,
    /// Traffic to the vendor outside the OpenTelemetry export.
    Vendor,
}

/// One settings key.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigKey {
    /// The dotted path, e.g. `otel.log_user_prompt`.
    pub key: String,
    /// What it controls.
    pub kind: KeyKind,
    /// The signal it is tied to.
    #[serde(default)]
    pub signal: Option<Signal>,
    /// The value when no layer sets it.
    #[serde(default)]
    pub default: Option<String>,
    /// Values the client knows.
    #[serde(default)]
    pub values: Vec<String>,
    /// Environment variables that beat every file, the first set one winning.
    #[serde(default)]
    pub env: Vec<String>,
    /// Seen or code.
    pub evidence: String,
    /// One line on what it does.
    pub meaning: String,
}

/// The export interval of one signal.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntervalRule {
    /// The signal.
    pub signal: Signal,
    /// The variable that sets it, if the client reads one.
    #[serde(default)]
    pub env: Option<String>,
    /// Milliseconds when unset.
    pub default: String,
    /// Seen or code.
    pub evidence: String,
}

impl ConfigTable {
    /// The key with this path.
    pub fn key(&self, path: &str) -> Option<&ConfigKey> {
        self.keys.iter().find(|k| k.key == path)
    }

    /// The layer with this id.
    pub fn layer(&self, id: &str) -> Option<&LayerSpec> {
        self.layers.iter().find(|l| l.id == id)
    }

    /// True for a value read as on.
    pub fn is_truthy(&self, value: &str) -> bool {
        self.truthy
            .iter()
            .any(|t| t.eq_ignore_ascii_case(value.trim()))
    }

    /// True for a value read as off.
    pub fn is_falsy(&self, value: &str) -> bool {
        self.falsy
            .iter()
            .any(|t| t.eq_ignore_ascii_case(value.trim()))
    }
}
