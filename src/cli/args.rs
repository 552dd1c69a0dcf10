//! Flags shared by every command that reads a deployment. Their names are a public
//! interface: scripts and CI jobs depend on them.

use std::path::{Path, PathBuf};

use crate::files::Naming;

use crate::inputs::spec::FlagInputs;
use crate::limits::{Limits, parse_size};

/// The deployment to read: a project file and/or the inputs as flags.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct InputArgs {
    /// The project file (dpia.yaml). Its `inputs` section names the deployed files.
    #[arg(value_name = "DPIA_YAML")]
    pub project: Option<PathBuf>,

    /// A telemetry source and client version, e.g. `claude-code@2.1.330` (repeatable).
    /// Without a version, the newest the catalogue knows is assumed.
    #[arg(long = "source", value_name = "NAME[@VERSION]")]
    pub sources: Vec<String>,

    /// Claude Code managed settings: `managed-settings.json`, a `managed-settings.d/`
    /// folder, a folder holding both, or a macOS `.plist`/`.mobileconfig` (repeatable).
    #[arg(long = "managed-settings", value_name = "FILE|DIR")]
    pub managed_settings: Vec<PathBuf>,

    /// A user settings file in the `~/.claude/settings.json` form.
    #[arg(long = "user-settings", value_name = "FILE")]
    pub user_settings: Option<PathBuf>,

    /// A Claude Code project settings file as a repository carries it:
    /// `.claude/settings.json`, or `.claude/settings.local.json` (applied after it)
    /// (repeatable).
    #[arg(long = "project-settings", value_name = "FILE")]
    pub project_settings: Vec<PathBuf>,

    /// The settings files given are every one the coding agents read (a lab machine, a
    /// capture). Without it, a setting that managed settings leave open is treated as
    /// possibly switched on, since the user's own or a repository's settings can do so.
    #[arg(long = "no-other-settings")]
    pub no_other_settings: bool,

    /// A variable of the process environment the agent starts with (repeatable).
    #[arg(long = "env", value_name = "KEY=VALUE")]
    pub env: Vec<String>,

    /// A file of `KEY=VALUE` lines for the process environment (repeatable).
    #[arg(long = "env-file", value_name = "FILE")]
    pub env_files: Vec<PathBuf>,

    /// One collector: its configuration files, merged in order like
    /// `otelcol --config a --config b`. Repeat the flag for another collector.
    ///
    /// `NAME@ADDRESS[,ADDRESS...]=FILE` also says which addresses clients and other
    /// collectors send to when they mean this collector, e.g.
    /// `gateway@otel-gateway.corp.example:4318=gw.yaml,gw.prod.yaml`. Without that, a
    /// collector whose OTLP receiver listens on every interface on the same port and
    /// protocol is assumed to be the one (and the output says so).
    #[arg(long = "collector", value_name = "[NAME[@ADDR,...]=]FILE[,FILE...]")]
    pub collectors: Vec<String>,

    /// A value for `${env:KEY}` references in collector configurations (repeatable).
    #[arg(long = "collector-env", value_name = "KEY=VALUE")]
    pub collector_env: Vec<String>,

    /// An OpenAI Codex CLI configuration file and its layer (repeatable). LAYER is
    /// `system` (/etc/codex/config.toml), `user` (~/.codex/config.toml), `project` (a
    /// trusted project's .codex/config.toml), `managed` (/etc/codex/managed_config.toml)
    /// or `requirements` (/etc/codex/requirements.toml).
    #[arg(long = "codex-config", value_name = "LAYER=FILE")]
    pub codex_config: Vec<String>,

    /// A Codex CLI command-line override as `-c` takes it, e.g.
    /// `otel.log_user_prompt=false` (repeatable, in order).
    #[arg(long = "codex-flag", value_name = "KEY=VALUE")]
    pub codex_flags: Vec<String>,

    /// A Gemini CLI settings file and its layer (repeatable). LAYER is `system-defaults`
    /// (/etc/gemini-cli/system-defaults.json), `user` (~/.gemini/settings.json),
    /// `workspace` (a trusted folder's .gemini/settings.json) or `system`
    /// (/etc/gemini-cli/settings.json).
    #[arg(long = "gemini-settings", value_name = "LAYER=FILE")]
    pub gemini_settings: Vec<String>,

    /// Gemini CLI's cached-accounts file (~/.gemini/google_accounts.json).
    #[arg(long = "gemini-accounts", value_name = "FILE")]
    pub gemini_accounts: Option<PathBuf>,

    /// File names in the output are relative to this folder (in CI: `--repo-root .` from
    /// the repository root, so names match the repository and code scanning). Default:
    /// the project file's folder, or without one the current folder.
    #[arg(long = "repo-root", value_name = "DIR")]
    pub repo_root: Option<PathBuf>,

    /// How large an input may be.
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// The limit a user may change.
#[derive(Debug, Clone, Copy, Default, clap::Args)]
pub struct LimitArgs {
    /// The largest input file read, in bytes or with a unit (`KiB`, `MiB`, `GiB`); a larger
    /// file is an error (OD111). Default: 16MiB.
    #[arg(
        long = "max-input-size",
        value_name = "BYTES",
        env = "OTEL_DPIA_MAX_INPUT_SIZE",
        value_parser = parse_size
    )]
    pub max_input_size: Option<u64>,
}

impl LimitArgs {
    /// The limits of this run.
    pub fn limits(&self) -> Limits {
        let mut limits = Limits::default();
        if let Some(n) = self.max_input_size {
            limits.max_input_size = n;
        }
        limits
    }
}

impl InputArgs {
    /// How the files of this run are named in output: relative to `--repo-root`, else to
    /// the project file's folder, else to the current folder.
    pub fn naming(&self) -> Naming {
        naming(self.repo_root.as_deref(), self.project.as_deref())
    }

    /// The flags, detached from clap.
    pub fn flag_inputs(&self) -> FlagInputs {
        FlagInputs {
            sources: self.sources.clone(),
            managed_settings: self.managed_settings.clone(),
            user_settings: self.user_settings.clone(),
            project_settings: self.project_settings.clone(),
            no_other_settings: self.no_other_settings,
            env: self.env.clone(),
            env_files: self.env_files.clone(),
            collectors: self.collectors.clone(),
            collector_env: self.collector_env.clone(),
            codex_config: self.codex_config.clone(),
            codex_flags: self.codex_flags.clone(),
            gemini_settings: self.gemini_settings.clone(),
            gemini_accounts: self.gemini_accounts.clone(),
        }
    }
}

/// The naming rule behind `--repo-root`, for commands that read a project file without
/// the other input flags (`diff`).
pub fn naming(repo_root: Option<&Path>, project: Option<&Path>) -> Naming {
    match (repo_root, project) {
        (Some(root), _) => Naming::relative_to(root),
        (None, Some(project)) => {
            Naming::relative_to(project.parent().unwrap_or_else(|| Path::new(".")))
        }
        (None, None) => Naming::default(),
    }
}
