//! Where an effective value came from: the client's default, the process environment
//! (a flag, an env-file line, the project file) or a settings file of some tier.
//!
//! Every statement about data must trace back to an input line, so each value the
//! resolver produces carries one of these, with `file:line` and the key path.

use std::fmt;

use serde::Serialize;

use crate::files::{Files, Span};

/// A place in an input file, shown as `path:line`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Cite {
    /// `path:line`.
    pub text: String,
    /// The span, for diagnostics.
    #[serde(skip)]
    pub span: Span,
}

impl Cite {
    /// Cites a span of a file.
    pub fn new(files: &Files, span: Span) -> Self {
        Cite {
            text: files.cite(span),
            span,
        }
    }
}

/// How a process-environment variable was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EnvVia {
    /// `--env KEY=VALUE`.
    Flag,
    /// A line of an environment file.
    EnvFile,
    /// The project file's `inputs.env`.
    ProjectFile,
}

/// The tier of a settings file, highest policy first.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// A macOS configuration profile or managed-preferences property list.
    MdmProfile,
    /// The main managed settings file.
    ManagedFile,
    /// A file of the managed drop-in folder.
    ManagedDropIn,
    /// The user's own settings file.
    User,
    /// A system-wide file below the user's (Codex `/etc/codex/config.toml`, Gemini
    /// `system-defaults.json`): the administrator's default, which the user can change.
    SystemDefaults,
    /// A trusted project's or workspace's settings file (from the repository worked in).
    Project,
    /// A system-wide file above the user's (Codex `managed_config.toml`, Gemini's system
    /// `settings.json`).
    SystemPolicy,
    /// Codex `requirements.toml`: pins values over every configuration layer.
    Requirements,
    /// Overrides on the client's command line (Codex `-c key=value`).
    CommandLine,
}

impl Tier {
    /// True for the tiers that hold policy over the user's own settings.
    pub fn is_managed(self) -> bool {
        !matches!(
            self,
            Tier::User | Tier::SystemDefaults | Tier::Project | Tier::CommandLine
        )
    }

    /// A few words for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Tier::MdmProfile => "the MDM profile",
            Tier::ManagedFile => "the managed settings file",
            Tier::ManagedDropIn => "a managed drop-in file",
            Tier::User => "the user settings",
            Tier::SystemDefaults => "the system-wide defaults",
            Tier::Project => "the project (workspace) settings",
            Tier::SystemPolicy => "the system-wide policy file",
            Tier::Requirements => "the requirements file",
            Tier::CommandLine => "the command line",
        }
    }
}

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Provenance {
    /// Set nowhere: the client's default.
    Default,
    /// The process environment the client starts with.
    ProcessEnv {
        /// How it was given.
        via: EnvVia,
        /// Where, when given in a file.
        #[serde(skip_serializing_if = "Option::is_none")]
        at: Option<Cite>,
    },
    /// An environment variable that overrides a settings-file key (Gemini CLI's
    /// `GEMINI_TELEMETRY_*`), given in the process environment.
    EnvOverride {
        /// The variable.
        var: String,
        /// How it was given.
        via: EnvVia,
        /// Where, when given in a file.
        #[serde(skip_serializing_if = "Option::is_none")]
        at: Option<Cite>,
    },
    /// A command-line override of the client (Codex `-c key=value`).
    CommandLine {
        /// The key path.
        key: String,
        /// Where the project file gives it; absent for a flag.
        #[serde(skip_serializing_if = "Option::is_none")]
        at: Option<Cite>,
    },
    /// A settings file.
    SettingsFile {
        /// Its tier.
        tier: Tier,
        /// The line of the key.
        at: Cite,
        /// The key path, e.g. `env.OTEL_LOG_USER_PROMPTS`.
        key: String,
    },
}

impl Provenance {
    /// True for values set by managed (policy) settings.
    pub fn is_managed(&self) -> bool {
        matches!(self, Provenance::SettingsFile { tier, .. } if tier.is_managed())
    }

    /// The span of the value's key, when it sits in a file.
    pub fn span(&self) -> Option<Span> {
        match self {
            Provenance::Default => None,
            Provenance::ProcessEnv { at, .. }
            | Provenance::EnvOverride { at, .. }
            | Provenance::CommandLine { at, .. } => at.as_ref().map(|c| c.span),
            Provenance::SettingsFile { at, .. } => Some(at.span),
        }
    }
}

impl fmt::Display for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Provenance::Default => f.write_str("default"),
            Provenance::ProcessEnv { via, at } => match (via, at) {
                (EnvVia::Flag, _) | (_, None) => f.write_str("--env"),
                (EnvVia::EnvFile, Some(at)) => write!(f, "env file {}", at.text),
                (EnvVia::ProjectFile, Some(at)) => write!(f, "{} inputs.env", at.text),
            },
            Provenance::EnvOverride { var, via, at } => {
                let shown = Provenance::ProcessEnv {
                    via: *via,
                    at: at.clone(),
                };
                write!(f, "{var} ({shown})")
            }
            Provenance::CommandLine { key, at } => match at {
                Some(at) => write!(f, "{} inputs.codex_flags {key}", at.text),
                None => write!(f, "-c {key}"),
            },
            Provenance::SettingsFile { at, key, .. } => write!(f, "{} {key}", at.text),
        }
    }
}
