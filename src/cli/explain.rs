//! `otel-dpia explain`: what the coding agents on this machine send, in plain words for
//! the employee, in English, Dutch or German.
//!
//! Without input flags it reads what is installed, where the agents themselves read it
//! (see `explain::layout`), and the telemetry variables of the real environment; with
//! input flags (or a project file) it explains those inputs instead, like every other
//! command. The machine's paths are looked up under `--root` when given, so a copied disk
//! image or a test tree can be explained; the text names the paths the agents know, never
//! where they were found.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::Report;
use crate::analysis::run::analyze;
use crate::explain::{self, Discovery, Lang, Machine, Os, Root};

/// Arguments of `otel-dpia explain`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The language of the text.
    #[arg(long, value_enum, default_value_t)]
    pub lang: Lang,

    /// Look up every system path under this folder (a copied disk image, a test tree). A
    /// Windows path loses its drive: `C:\Program Files\ClaudeCode` is `DIR/Program Files/ClaudeCode`.
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,

    /// Which system's file layout to read. Default: the system this runs on.
    #[arg(long, value_enum)]
    pub os: Option<Os>,

    /// The home folder as the machine names it (under `--root` when given).
    /// Default: `$HOME` (`%USERPROFILE%` on Windows).
    #[arg(long, value_name = "DIR")]
    pub home: Option<String>,

    /// The project (repository) folder whose settings count. Default: the current folder.
    #[arg(long = "project", value_name = "DIR")]
    pub project_dir: Option<PathBuf>,

    /// Also name the settings and attributes behind each statement.
    #[arg(long)]
    pub details: bool,

    /// Explain these inputs instead of what is installed.
    #[command(flatten)]
    pub inputs: super::InputArgs,
}

/// Runs the command.
pub fn run(args: &Args) -> Report {
    let given = inputs_given(&args.inputs);
    let mut loaded = super::load_inputs(&args.inputs);
    let discovery = if given {
        Discovery {
            spec: loaded.spec.clone(),
            ..Discovery::default()
        }
    } else {
        let d = explain::discover(&machine(args));
        loaded.spec = d.spec.clone();
        d
    };
    let analysis = if given || !discovery.present.is_empty() {
        analyze(&loaded.spec, &mut loaded.files, &mut loaded.diagnostics)
    } else {
        None
    };
    let mut report = Report::default();
    if !loaded.diagnostics.has_errors() {
        let diags = loaded.diagnostics.clone().into_sorted();
        let explained = match &analysis {
            Some(a) => explain::explain(a, &loaded.files, &diags, &discovery),
            None => explain::Explained {
                agents: Vec::new(),
                absent: discovery.absent.clone(),
                env_keys: discovery.env_keys.clone(),
            },
        };
        report.output = explain::render(&explained, args.lang, args.details);
    }
    report.files = loaded.files;
    report.diagnostics = loaded.diagnostics;
    report
}

/// Whether any input flag or a project file was given.
fn inputs_given(i: &super::InputArgs) -> bool {
    i.project.is_some()
        || !i.sources.is_empty()
        || !i.managed_settings.is_empty()
        || i.user_settings.is_some()
        || !i.project_settings.is_empty()
        || i.no_other_settings
        || !i.env.is_empty()
        || !i.env_files.is_empty()
        || !i.collectors.is_empty()
        || !i.collector_env.is_empty()
        || !i.codex_config.is_empty()
        || !i.codex_flags.is_empty()
        || !i.gemini_settings.is_empty()
        || i.gemini_accounts.is_some()
}

/// The machine as this process sees it: the only place `explain` reads the real
/// environment and the current folder.
fn machine(args: &Args) -> Machine {
    let os = args.os.unwrap_or_else(Os::current);
    let env: BTreeMap<String, String> = std::env::vars().collect();
    let home_var = if os == Os::Windows {
        "USERPROFILE"
    } else {
        "HOME"
    };
    let home = args
        .home
        .clone()
        .or_else(|| env.get(home_var).or_else(|| env.get("HOME")).cloned());
    Machine {
        os,
        root: Root {
            dir: args.root.clone(),
        },
        home,
        project: args
            .project_dir
            .clone()
            .or_else(|| std::env::current_dir().ok()),
        env,
    }
}
