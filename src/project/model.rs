//! The types of the project file `dpia.yaml`: the organisation facts no configuration can
//! show, and where the deployed inputs live.
//!
//! Every fact a person must give is optional here on purpose: a missing fact is not a
//! parse error but a visible TODO in the documents and a `check` finding. Nothing is ever
//! filled in by the tool. Where the law gives a closed list, the type is an enum.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use super::text::{ByLanguage, Shown, Text};

/// The project file: one deployment of coding-agent telemetry and the facts around it.
///
/// It holds what no configuration file can show (the employer, the purposes and their
/// legal basis, recipients, retention, the works council) and where the deployed
/// configuration files are. A missing fact becomes a visible TODO in the documents.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "otel-dpia project file (dpia.yaml)")]
pub struct Project {
    /// Version of this file format. Always 1 for now.
    pub schema_version: u32,
    /// The employer: the controller under GDPR Art. 4(7).
    #[serde(default)]
    pub organisation: Option<Organisation>,
    /// The data protection officer (GDPR Art. 37–39), if one is designated.
    #[serde(default)]
    pub dpo: Option<Contact>,
    /// Why the telemetry is collected, each purpose with its legal basis (Art. 6(1)).
    #[serde(default)]
    pub purposes: Vec<Purpose>,
    /// Facts about each place the data goes: recipient, country, retention, access.
    #[serde(default)]
    pub destinations: Vec<DestinationFacts>,
    /// The employee representation that must consent or co-determine.
    #[serde(default)]
    pub works_council: Option<WorksCouncil>,
    /// Technical and organisational measures that the configuration does not show
    /// (access control, deletion routines, agreements), declared by the organisation.
    #[serde(default)]
    pub measures: Vec<Measure>,
    /// What the organisation has decided may leave employees' machines.
    #[serde(default)]
    pub policy: Option<Policy>,
    /// Which documents to write and how.
    #[serde(default)]
    pub documents: Option<Documents>,
    /// Changes to the severity of `otel-dpia check` rules, keyed by rule code (`DP003`).
    /// Every change needs a reason, so the file records why a finding is accepted.
    #[serde(default)]
    #[schemars(extend("propertyNames" = { "pattern": "^DP[0-9]{3}$" }))]
    pub checks: IndexMap<String, CheckOverride>,
    /// Where the deployed configuration files are, relative to this file.
    #[serde(default)]
    pub inputs: Inputs,
}

/// The employer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// Legal name of the employing entity.
    #[serde(default)]
    pub name: Option<String>,
    /// Postal address.
    #[serde(default)]
    pub address: Option<String>,
    /// Country of establishment, ISO 3166-1 alpha-2 (e.g. `NL`, `DE`).
    #[serde(default)]
    #[schemars(regex(pattern = r"^[A-Z]{2}$"))]
    pub country: Option<String>,
    /// Where employees send privacy questions and requests (e-mail or web form).
    #[serde(default)]
    pub privacy_contact: Option<String>,
    /// The representative in the Union (Art. 27), for employers established outside it.
    #[serde(default)]
    pub eu_representative: Option<String>,
    /// The supervisory authority employees can complain to (Art. 13(2)(d)).
    #[serde(default)]
    pub supervisory_authority: Option<String>,
}

/// A person or office that can be contacted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Name of the person or office.
    #[serde(default)]
    pub name: Option<String>,
    /// E-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// Telephone number.
    #[serde(default)]
    pub phone: Option<String>,
}

/// One purpose of the processing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Purpose {
    /// Short identifier, referred to by destinations (e.g. `cost-control`).
    pub id: String,
    /// The purpose in a sentence employees understand; a string, or a text per language
    /// (`{en: …, nl: …}`).
    #[serde(default)]
    pub description: Option<Text>,
    /// The legal basis under GDPR Art. 6(1).
    #[serde(default)]
    pub legal_basis: Option<LegalBasis>,
    /// The legitimate interest pursued, required when the legal basis is Art. 6(1)(f); a
    /// string, or a text per language.
    #[serde(default)]
    pub legitimate_interest: Option<Text>,
}

/// The legal bases of GDPR Art. 6(1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LegalBasis {
    /// Art. 6(1)(a): consent (rarely valid between employer and employee).
    Consent,
    /// Art. 6(1)(b): performance of the employment contract.
    Contract,
    /// Art. 6(1)(c): a legal obligation of the employer.
    LegalObligation,
    /// Art. 6(1)(d): vital interests.
    VitalInterests,
    /// Art. 6(1)(e): a task in the public interest.
    PublicTask,
    /// Art. 6(1)(f): legitimate interests of the employer or a third party.
    LegitimateInterests,
}

/// Facts about one destination found in the configuration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DestinationFacts {
    /// The destination id as `analyze` prints it (exporter id, `collector:exporter`,
    /// `direct:host:port` or `vendor:name`). Give this or `host`.
    #[serde(default)]
    pub exporter: Option<String>,
    /// The host name the data is sent to, matched against the destination's endpoint.
    #[serde(default)]
    pub host: Option<String>,
    /// Who receives the data (company or internal team); a string, or a text per language.
    #[serde(default)]
    pub recipient: Option<Text>,
    /// The recipient's role under the GDPR.
    #[serde(default)]
    pub role: Option<RecipientRole>,
    /// Country where the data is stored or accessed, ISO 3166-1 alpha-2.
    #[serde(default)]
    #[schemars(regex(pattern = r"^[A-Z]{2}$"))]
    pub country: Option<String>,
    /// Legal instrument for a transfer outside the EEA (GDPR Chapter V).
    #[serde(default)]
    pub transfer_mechanism: Option<TransferMechanism>,
    /// How long the data is kept, in days.
    #[serde(default)]
    pub retention_days: Option<u32>,
    /// How retention is decided when it is not a fixed number of days; a string, or a
    /// text per language.
    #[serde(default)]
    pub retention_note: Option<Text>,
    /// Roles or teams that can read the data here.
    #[serde(default)]
    pub access: Option<Vec<String>>,
    /// Ids of the purposes the data here serves.
    #[serde(default)]
    pub purposes: Vec<String>,
}

/// The recipient's role under the GDPR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecipientRole {
    /// A team or system of the employer itself.
    Internal,
    /// A processor acting on the employer's instructions (Art. 28).
    Processor,
    /// A separate controller (e.g. a vendor using the data for its own purposes).
    Controller,
    /// A joint controller (Art. 26).
    JointController,
}

/// Legal instruments for transfers to third countries (GDPR Chapter V).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransferMechanism {
    /// The data stays in the EEA: no transfer.
    NotApplicable,
    /// Art. 45 adequacy decision (other than the EU–US Data Privacy Framework).
    AdequacyDecision,
    /// Art. 45: the EU–US Data Privacy Framework, with a certified recipient.
    EuUsDataPrivacyFramework,
    /// Art. 46(2)(c): standard contractual clauses.
    StandardContractualClauses,
    /// Art. 47: binding corporate rules.
    BindingCorporateRules,
    /// Art. 49: a derogation for specific situations.
    Derogation,
}

/// The employee representation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorksCouncil {
    /// Which law applies: `NL` (WOR art. 27) or `DE` (BetrVG §87).
    #[serde(default)]
    pub country: Option<WorksCouncilLaw>,
    /// Name of the body (e.g. "Ondernemingsraad Acme B.V.", "Gesamtbetriebsrat").
    #[serde(default)]
    pub body: Option<String>,
    /// Where the consultation stands.
    #[serde(default)]
    pub status: Option<WorksCouncilStatus>,
    /// Reference of the works agreement or consent decision, once there is one.
    #[serde(default)]
    pub agreement_reference: Option<String>,
}

/// The works-council law that applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum WorksCouncilLaw {
    /// Netherlands: Wet op de ondernemingsraden, art. 27(1)(k) and (l).
    NL,
    /// Germany: Betriebsverfassungsgesetz §87(1) Nr. 6.
    DE,
}

/// Where the works-council procedure stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WorksCouncilStatus {
    /// Not yet involved.
    NotStarted,
    /// The request for consent or co-determination has been submitted.
    Requested,
    /// Consent given (NL) or agreement concluded (DE).
    Agreed,
    /// Consent refused or no agreement reached.
    Refused,
}

/// A measure declared by the organisation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    /// Short identifier.
    pub id: String,
    /// What is done, in a sentence; a string, or a text per language.
    #[serde(default)]
    pub description: Option<Text>,
    /// Technical or organisational.
    #[serde(default)]
    pub kind: Option<MeasureKind>,
}

/// Kinds of measures (GDPR Art. 32).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MeasureKind {
    /// Enforced by a system (encryption, access control, deletion jobs).
    Technical,
    /// Enforced by rules and people (policies, training, agreements).
    Organisational,
}

/// What the organisation has decided.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// The most that may leave an employee's machine.
    #[serde(default)]
    pub allowed: Option<PolicyLevel>,
    /// Whether the data may be used to assess the performance or behaviour of individuals.
    #[serde(default)]
    pub performance_evaluation: Option<bool>,
    /// Smallest group that reports may be about, if reports are aggregated.
    #[serde(default)]
    pub min_group_size: Option<u32>,
}

/// Levels of what may leave the machine, from least to most.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PolicyLevel {
    /// Counts, durations, costs and technical metadata only; identifiers hashed or absent.
    MetadataOnly,
    /// Metadata and pseudonymous identifiers, no content.
    Identifiers,
    /// Content (prompts, responses, commands, file contents) may leave.
    Content,
}

/// Which documents are written and how.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Documents {
    /// Languages to write the documents in.
    #[serde(default)]
    pub languages: Vec<Language>,
    /// Version label printed on the title page (e.g. `1.0`).
    #[serde(default)]
    pub version: Option<String>,
}

/// Document languages.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// English.
    En,
    /// Dutch.
    Nl,
    /// German.
    De,
}

impl Language {
    /// Every language, in the order the schema lists them.
    pub const ALL: [Language; 3] = [Language::En, Language::Nl, Language::De];

    /// The code as written in `dpia.yaml` and on the command line (`en`).
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Nl => "nl",
            Language::De => "de",
        }
    }

    /// The language of a code, if it is one of ours.
    pub fn from_code(code: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// A decision to change how `otel-dpia check` rates one rule's findings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckOverride {
    /// The severity the rule's findings get instead of the default; `off` silences them
    /// (they stay visible as silenced in JSON and SARIF output, with the reason).
    pub severity: CheckLevel,
    /// Why: who decided, on what grounds (e.g. a DPIA section or a works-agreement clause).
    #[schemars(length(min = 1))]
    pub reason: String,
}

/// Severities a project file can give a check rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CheckLevel {
    /// Fails `check` with the default `--fail-on error`.
    Error,
    /// Shown; fails only with `--fail-on warning` or `info`.
    Warning,
    /// Shown; fails only with `--fail-on info`.
    Info,
    /// Silenced: never fails, reported as silenced with the reason.
    Off,
}

/// Where the deployed inputs are. Paths are relative to the project file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Inputs {
    /// The telemetry sources deployed, as `name@version` (e.g. `claude-code@2.1.330`);
    /// without a version the newest the catalogue knows is assumed.
    #[serde(default)]
    pub sources: Vec<String>,
    /// Claude Code managed settings: `managed-settings.json`, a `managed-settings.d/`
    /// folder, a folder holding both, or a macOS `.plist` / `.mobileconfig`.
    #[serde(default)]
    pub managed_settings: Vec<String>,
    /// A user settings file (`~/.claude/settings.json` form), if one is part of the rollout.
    #[serde(default)]
    pub user_settings: Option<String>,
    /// Claude Code project settings files as a repository carries them:
    /// `.claude/settings.json`, and `.claude/settings.local.json` (applied after them).
    /// Their `env` blocks beat the user settings and the process environment.
    #[serde(default)]
    pub project_settings: Vec<String>,
    /// True when the settings files given here are every one the coding agents read (a
    /// lab machine, a capture). By default otel-dpia assumes that the user's own settings
    /// or any repository's settings can switch on what managed settings leave open.
    #[serde(default)]
    pub no_other_settings: bool,
    /// The process environment the agent starts with.
    #[serde(default)]
    pub env: IndexMap<String, String>,
    /// Files of `KEY=VALUE` lines adding to the process environment.
    #[serde(default)]
    pub env_files: Vec<String>,
    /// The collectors the telemetry passes through, in any order.
    #[serde(default)]
    pub collectors: Vec<CollectorInput>,
    /// OpenAI Codex CLI configuration files by layer: `system` (`/etc/codex/config.toml`),
    /// `user` (`~/.codex/config.toml`), `project` (a trusted project's
    /// `.codex/config.toml`), `managed` (`/etc/codex/managed_config.toml`) and
    /// `requirements` (`/etc/codex/requirements.toml`).
    #[serde(default)]
    pub codex_config: LayerFiles,
    /// Codex CLI command-line overrides as the `-c` flag takes them: `KEY=VALUE` with a
    /// dotted key, e.g. `otel.log_user_prompt=false`, in order.
    #[serde(default)]
    pub codex_flags: Vec<String>,
    /// Gemini CLI settings files by layer: `system-defaults`
    /// (`/etc/gemini-cli/system-defaults.json`), `user` (`~/.gemini/settings.json`),
    /// `workspace` (a trusted folder's `.gemini/settings.json`) and `system`
    /// (`/etc/gemini-cli/settings.json`).
    #[serde(default)]
    pub gemini_settings: LayerFiles,
    /// Gemini CLI's cached-accounts file (`~/.gemini/google_accounts.json`), which puts the
    /// signed-in account's e-mail address on the telemetry.
    #[serde(default)]
    pub gemini_accounts: Option<String>,
}

/// Settings files by layer: a mapping from layer to file, or a list of `{layer, file}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum LayerFiles {
    /// `{layer: file, ...}`.
    ByLayer(IndexMap<String, String>),
    /// `[{layer: ..., file: ...}, ...]`.
    List(Vec<LayerInput>),
}

impl Default for LayerFiles {
    fn default() -> Self {
        LayerFiles::ByLayer(IndexMap::new())
    }
}

/// One settings file and its layer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LayerInput {
    /// The layer, e.g. `managed` or `system`.
    pub layer: String,
    /// The file, relative to the project file.
    pub file: String,
}

/// One OpenTelemetry Collector.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CollectorInput {
    /// A short name, used in destination ids (`gateway:otlphttp/vendor`).
    pub name: String,
    /// Its configuration files, merged in order like `otelcol --config a --config b`.
    pub files: Vec<String>,
    /// Values for `${env:X}` references in its configuration.
    #[serde(default)]
    pub env: IndexMap<String, String>,
    /// The endpoints clients use to reach it (e.g. `http://localhost:4318`,
    /// `otel-gateway.example.com:4317`), so exporters pointing there are hops, not destinations.
    #[serde(default)]
    pub serves: Vec<String>,
}
