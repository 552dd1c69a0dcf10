//! `otel-dpia diff`: compares two deployments, two project files or one project file with
//! its state at another commit (`--base REF`), and prints what changed and what that sets
//! in motion, as Markdown for a pull-request comment or as JSON.

use std::path::{Path, PathBuf};

use super::Report;
use crate::analysis::run::analyze;
use crate::checks;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::diff::{self, FixHint, Side};
use crate::files::Files;
use crate::inputs::InputSpec;
use crate::inputs::spec::FlagInputs;
use crate::project::PolicyLevel;

/// Arguments of `otel-dpia diff`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// `BASE.yaml HEAD.yaml`, or one project file with `--base`.
    #[arg(value_name = "DPIA_YAML", num_args = 1..=2, required = true)]
    pub projects: Vec<PathBuf>,

    /// Compare the project file with its state at this git commit, branch or tag.
    #[arg(long, value_name = "GIT_REF")]
    pub base: Option<String>,

    /// How the comparison is printed.
    #[arg(long, value_enum, default_value_t)]
    pub format: DiffFormat,

    /// File names in the output are relative to this folder (in CI: `--repo-root .` from
    /// the repository root). Default: the head project file's folder. Files of the base
    /// commit are named `REF:path` with their path in the repository.
    #[arg(long = "repo-root", value_name = "DIR")]
    pub repo_root: Option<PathBuf>,

    /// How large an input may be.
    #[command(flatten)]
    pub limits: super::LimitArgs,
}

/// Output formats of `otel-dpia diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum DiffFormat {
    /// A comment for a pull or merge request.
    #[default]
    Markdown,
    /// Every change as JSON.
    Json,
}

/// Runs the command.
pub fn run(args: &Args) -> Report {
    let mut report = Report::default();
    match (&args.base, args.projects.as_slice()) {
        (Some(rev), [project]) => against_commit(args, rev, project, &mut report),
        (None, [base, head]) => {
            let files = Files::with_limits(args.limits.limits())
                .with_naming(super::args::naming(args.repo_root.as_deref(), Some(head)));
            compare(args, base, head, files, &mut report);
        }
        _ => report.diagnostics.push(
            Diagnostic::new(Code::Usage, "`diff` takes two project files, or one with `--base`")
                .hint("`otel-dpia diff old/dpia.yaml new/dpia.yaml` or `otel-dpia diff dpia.yaml --base origin/main`"),
        ),
    }
    report
}

fn against_commit(args: &Args, rev: &str, project: &Path, report: &mut Report) {
    let checkout = match diff::git::checkout(project, rev) {
        Ok(c) => c,
        Err(d) => {
            report.diagnostics.push(d);
            return;
        }
    };
    let mut naming = super::args::naming(args.repo_root.as_deref(), Some(project));
    // The checkout sits in a temporary folder: its files are named `REF:path`, by their
    // path in the repository, in the output and in diagnostics alike.
    naming.label(&checkout.tree, format!("{rev}:"));
    let files = Files::with_limits(args.limits.limits()).with_naming(naming);
    compare(args, &checkout.project, project, files, report);
}

/// Analyses both sides into one file store and prints the comparison; each side is
/// labelled by its project file's name in the output.
fn compare(args: &Args, base: &Path, head: &Path, mut files: Files, report: &mut Report) {
    let labels = (files.shown(base), files.shown(head));
    let mut base_diags = Diagnostics::new();
    let b = side(base, labels.0, false, &mut files, &mut base_diags);
    // The base's warnings repeat the head's or are history; only its errors matter here.
    let mut diags = Diagnostics::new();
    diags.extend(base_diags.into_iter().filter(Diagnostic::is_error));
    let h = side(head, labels.1, true, &mut files, &mut diags);
    if let (Some(b), Some(h), false) = (b, h, diags.has_errors()) {
        let d = diff::compare(&b, &h);
        report.output = match args.format {
            DiffFormat::Markdown => diff::markdown(&d),
            DiffFormat::Json => serde_json::to_string_pretty(&d).unwrap_or_default() + "\n",
        };
    }
    report.files = files;
    report.diagnostics = diags;
}

/// One deployment, analysed; `is_head`: the side whose `check` may need the `fix` command.
fn side(
    path: &Path,
    label: String,
    is_head: bool,
    files: &mut Files,
    diags: &mut Diagnostics,
) -> Option<Side> {
    let project = crate::project::load(files, path, diags);
    let spec = InputSpec::build(project.as_ref(), &FlagInputs::default(), diags);
    let analysis = analyze(&spec, files, diags)?;
    let fix = is_head
        .then(|| fix_hint(&label, project.as_ref(), &analysis, files, diags))
        .flatten();
    Some(Side {
        label,
        map: analysis.map,
        settings: analysis.settings,
        project: project.map(|p| p.project),
        fix,
    })
}

/// The `fix` command for a side on which `check` (failing on errors, as by default) fails
/// with findings `fix` removes; `None` when it passes, or the policy allows content.
fn fix_hint(
    label: &str,
    project: Option<&crate::project::LoadedProject>,
    analysis: &crate::analysis::run::Analysis,
    files: &Files,
    diags: &Diagnostics,
) -> Option<FixHint> {
    let policy = match project?.project.policy.as_ref()?.allowed? {
        PolicyLevel::MetadataOnly => "metadata_only",
        PolicyLevel::Identifiers => "identifiers",
        PolicyLevel::Content => return None,
    };
    let diagnostics: Vec<Diagnostic> = diags.iter().cloned().collect();
    let ctx = checks::Context::new(files, project, analysis, &diagnostics);
    let findings = checks::run(&ctx);
    let mut rules: Vec<String> = findings
        .iter()
        .filter(|f| f.is_active() && checks::FailOn::Error.fails(f.severity))
        .map(|f| f.rule.code)
        .filter(|code| crate::fix::ADDRESSES.contains(code))
        .map(str::to_string)
        .collect();
    rules.sort();
    rules.dedup();
    (!rules.is_empty()).then(|| FixHint {
        rules,
        command: format!("otel-dpia fix {label} --policy {policy}"),
    })
}
