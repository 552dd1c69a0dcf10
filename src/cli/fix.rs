//! `otel-dpia fix`: changes the deployed configuration so that the data map satisfies a
//! policy at every telemetry destination, shows or writes the change, and proves it by
//! analysing the changed files again. Exit code 0 when the policy then holds, 1 when
//! something remains (the summary says what and why), 2 on bad input.

use std::path::{Path, PathBuf};

use super::Report;
use crate::analysis::run::analyze;
use crate::checks::Context;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::files::Files;
use crate::fix::{self, FixPlan, policy_word};
use crate::inputs::InputSpec;
use crate::project::PolicyLevel;

/// Arguments of `otel-dpia fix`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The deployment to read.
    #[command(flatten)]
    pub inputs: super::InputArgs,

    /// The policy to reach; default: `policy.allowed` of the project file.
    #[arg(long, value_enum)]
    pub policy: Option<FixPolicy>,

    /// Write each changed file under its base name into this folder, with `fix.diff`.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Change the input files in place (each written atomically).
    #[arg(long)]
    pub write: bool,

    /// Where a collector between Claude Code and a vendor it exports to directly will
    /// listen, e.g. `https://otel-gateway.corp.example:4318`: the fix writes that
    /// collector's configuration (`otelcol-gateway.yaml`, next to the managed settings) and
    /// points the managed settings at it. Without it, such an export is left as it is.
    #[arg(long, value_name = "URL")]
    pub gateway: Option<String>,
}

/// The policies `fix` can reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FixPolicy {
    /// Counts, durations, costs, technical details; identifiers only hashed.
    #[value(name = "metadata_only")]
    MetadataOnly,
    /// Also readable identifiers, no content.
    Identifiers,
}

impl FixPolicy {
    fn level(self) -> PolicyLevel {
        match self {
            FixPolicy::MetadataOnly => PolicyLevel::MetadataOnly,
            FixPolicy::Identifiers => PolicyLevel::Identifiers,
        }
    }
}

/// Runs the command.
pub fn run(args: &Args) -> Report {
    let mut loaded = super::load_inputs(&args.inputs);
    let analysis = analyze(&loaded.spec, &mut loaded.files, &mut loaded.diagnostics);
    let mut report = Report::default();
    let policy = args.policy.map(FixPolicy::level).or_else(|| {
        loaded
            .project
            .as_ref()
            .and_then(|p| p.project.policy.as_ref())
            .and_then(|p| p.allowed)
    });
    let policy = match policy {
        Some(PolicyLevel::Content) | None => {
            loaded.diagnostics.push(
                Diagnostic::new(
                    Code::Usage,
                    "`fix` needs a policy stricter than `content`: `--policy metadata_only` or `--policy identifiers`, or `policy.allowed` in dpia.yaml",
                )
                .hint("give `--policy metadata_only`"),
            );
            None
        }
        p => p,
    };
    if let (Some(analysis), Some(policy)) = (analysis, policy)
        && !loaded.diagnostics.has_errors()
    {
        let diagnostics: Vec<Diagnostic> = loaded.diagnostics.iter().cloned().collect();
        let ctx = Context::new(
            &loaded.files,
            loaded.project.as_ref(),
            &analysis,
            &diagnostics,
        );
        let mut plan = fix::plan(&loaded.spec, &analysis, &ctx, policy);
        let before = fix::effect::before(&fix::plan::breaches(&ctx, policy));
        let mut spec = loaded.spec.clone();
        if let Some(url) = &args.gateway {
            if !fix::gateway::valid(url) {
                loaded.diagnostics.push(
                    Diagnostic::new(
                        Code::Usage,
                        format!("`--gateway {url}` is not an address a collector can listen on"),
                    )
                    .hint("give it as `http(s)://HOST:PORT`, e.g. `https://otel-gateway.corp.example:4318`"),
                );
            } else if let Some(new) =
                fix::gateway::gateway(&loaded.spec, &analysis, &ctx, policy, url, &mut plan)
            {
                spec.collectors.push(crate::inputs::CollectorSpec {
                    name: gateway_name(&spec),
                    files: vec![crate::inputs::PathRef {
                        path: new.path,
                        named_at: None,
                    }],
                    env: Vec::new(),
                    serves: vec![new.serves],
                    named_at: None,
                });
                with_gateway(args, &spec, &mut plan, policy, &mut loaded.diagnostics);
            }
        }
        if loaded.diagnostics.has_errors() {
            report.diagnostics = only_errors(loaded.diagnostics);
            report.files = loaded.files;
            return report;
        }
        if let Some((output, failed)) = finish(
            args,
            &loaded.files,
            &spec,
            &plan,
            &before,
            policy,
            &mut loaded.diagnostics,
        ) {
            report.output = output;
            report.failed = failed;
        }
    }
    report.diagnostics = only_errors(loaded.diagnostics);
    report.files = loaded.files;
    report
}

/// The new collector's name: `gateway`, unless the deployment already has one so named.
fn gateway_name(spec: &InputSpec) -> String {
    let taken = |n: &str| spec.collectors.iter().any(|c| c.name == n);
    if taken(fix::gateway::NAME) {
        format!("otel-dpia-{}", fix::gateway::NAME)
    } else {
        fix::gateway::NAME.to_string()
    }
}

/// The second pass for `--gateway`: the deployment with the new collector in place is
/// analysed, and the collector planner gives the new collector its processor.
fn with_gateway(
    args: &Args,
    spec: &InputSpec,
    plan: &mut FixPlan,
    policy: PolicyLevel,
    diags: &mut Diagnostics,
) -> Option<()> {
    let changed = analyse_changed(args, spec, plan, diags)?;
    let list = changed.diagnostic_list();
    fix::add_collector_processors(spec, &changed.context(&list), policy, plan);
    Some(())
}

/// The plan with its "not fixable" lines kept only for destinations where the policy still
/// does not hold after the changes: a vendor flow a pinned switch stopped, or a direct
/// export moved behind `--gateway`'s collector, is no longer a problem to report.
fn settled(plan: &FixPlan, remaining: &[String]) -> FixPlan {
    let still = |line: &str| match line.strip_prefix('`').and_then(|r| r.split_once('`')) {
        Some((id, _)) => remaining.iter().any(|r| r.starts_with(&format!("`{id}`"))),
        None => true,
    };
    FixPlan {
        changes: plan.changes.clone(),
        done: plan.done.clone(),
        cannot: plan.cannot.iter().filter(|l| still(l)).cloned().collect(),
    }
}

/// A deployment analysed with the fix's changes in place.
struct Changed {
    /// Holds the changed files while they are read.
    _dir: tempfile::TempDir,
    files: Files,
    project: Option<crate::project::LoadedProject>,
    analysis: crate::analysis::run::Analysis,
    diagnostics: Diagnostics,
}

impl Changed {
    /// The diagnostics of the analysis, as the check context takes them.
    fn diagnostic_list(&self) -> Vec<Diagnostic> {
        self.diagnostics.iter().cloned().collect()
    }

    /// The check context over this analysis.
    fn context<'a>(&'a self, list: &'a [Diagnostic]) -> Context<'a> {
        Context::new(&self.files, self.project.as_ref(), &self.analysis, list)
    }
}

/// Re-analyses, writes, and returns the output text and whether something remains.
fn finish(
    args: &Args,
    files: &Files,
    spec: &InputSpec,
    plan: &FixPlan,
    before: &[fix::effect::Before],
    policy: PolicyLevel,
    diags: &mut Diagnostics,
) -> Option<(String, bool)> {
    let (remaining, effects) = reanalyse(args, spec, plan, before, policy, diags)?;
    let plan = &settled(plan, &remaining);
    let diff = fix::summary::diff(plan, |path, line| {
        let id = files.find(&path.to_string_lossy())?;
        files.get(id).shown_line(line)
    });
    let summary = fix::summary::text(plan, policy_word(policy), &effects, &remaining);
    if let Some(dir) = &args.out {
        if let Err(e) = std::fs::create_dir_all(dir) {
            diags.push(Diagnostic::new(
                Code::OutputUnwritable,
                format!("cannot create the output folder `{}` ({e})", dir.display()),
            ));
            return None;
        }
        for c in &plan.changes {
            write(&dir.join(fix::base_name(&c.path)), &c.after, diags)?;
        }
        write(&dir.join("fix.diff"), &diff, diags)?;
    }
    if args.write {
        for c in &plan.changes {
            write(&c.path, &c.after, diags)?;
        }
    }
    let output = if args.out.is_none() && !args.write {
        format!("{diff}{}{summary}", if diff.is_empty() { "" } else { "\n" })
    } else {
        summary
    };
    Some((output, !remaining.is_empty()))
}

fn write(path: &Path, text: &str, diags: &mut Diagnostics) -> Option<()> {
    match crate::output::write_atomic(path, text.as_bytes()) {
        Ok(()) => Some(()),
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

/// Analyses the inputs with the changed files in their place; the destinations where the
/// policy still does not hold, one line each, and per destination what changed.
fn reanalyse(
    args: &Args,
    spec: &InputSpec,
    plan: &FixPlan,
    before: &[fix::effect::Before],
    policy: PolicyLevel,
    diags: &mut Diagnostics,
) -> Option<(Vec<String>, Vec<String>)> {
    let changed = analyse_changed(args, spec, plan, diags)?;
    let dir = changed._dir.path();
    let list = changed.diagnostic_list();
    let ctx = changed.context(&list);
    let effects = if plan.changes.is_empty() {
        Vec::new()
    } else {
        fix::effect::effects(before, &changed.analysis.map)
    };
    let remaining = fix::plan::breaches(&ctx, policy)
        .iter()
        .map(|b| {
            let groups = crate::checks::arrivals::by_category(&b.beyond);
            let behind = fix::summary::behind_unmodelled(&b.beyond, |file| {
                // The re-analysis read changed files from a temporary folder (as
                // `N-name`): name them as the user knows them.
                let path = changed
                    .files
                    .find(file)
                    .map(|id| changed.files.get(id).path.clone());
                match path.filter(|p| p.starts_with(dir)) {
                    Some(p) => {
                        let base = fix::base_name(&p);
                        let name = base.split_once('-').map_or(base.as_str(), |(_, n)| n);
                        (name.to_string(), true)
                    }
                    None => (file.to_string(), false),
                }
            });
            format!(
                "`{}`: {}{}",
                b.destination.id,
                crate::checks::arrivals::list(&groups),
                behind.map(|w| format!(" — {w}")).unwrap_or_default()
            )
        })
        .collect();
    Some((remaining, effects))
}

/// The deployment analysed with the changed files in their place (written to a temporary
/// folder, which the result holds).
fn analyse_changed(
    args: &Args,
    spec: &InputSpec,
    plan: &FixPlan,
    diags: &mut Diagnostics,
) -> Option<Changed> {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => {
            diags.push(Diagnostic::new(
                Code::OutputUnwritable,
                format!("cannot make a folder for the re-analysis ({e})"),
            ));
            return None;
        }
    };
    let mut spec = spec.clone();
    for (i, c) in plan.changes.iter().enumerate() {
        let moved = dir.path().join(format!("{i}-{}", fix::base_name(&c.path)));
        write(&moved, &c.after, diags)?;
        let swap = |p: &mut PathBuf| {
            if *p == c.path {
                *p = moved.clone();
            }
        };
        spec.managed_settings
            .iter_mut()
            .for_each(|p| swap(&mut p.path));
        spec.codex_config
            .iter_mut()
            .for_each(|l| swap(&mut l.file.path));
        spec.gemini_settings
            .iter_mut()
            .for_each(|l| swap(&mut l.file.path));
        // A managed-settings folder whose main file changed: the folder is copied with it.
        for p in &mut spec.managed_settings {
            if p.path.is_dir() && p.path.join("managed-settings.json") == c.path {
                let copy = dir.path().join(format!("{i}-managed"));
                copy_folder(&p.path, &copy, diags)?;
                write(&copy.join("managed-settings.json"), &c.after, diags)?;
                p.path = copy;
            }
        }
        for col in &mut spec.collectors {
            for f in &mut col.files {
                // `FILE#NAME/KEY` keeps its choice on the moved file.
                let (file, choice) = crate::collector::deployed::split_choice(&f.path);
                if file == c.path {
                    f.path = match choice {
                        Some(choice) => PathBuf::from(format!("{}#{choice}", moved.display())),
                        None => moved.clone(),
                    };
                }
            }
        }
    }
    let loaded = super::load_inputs(&args.inputs);
    let mut files = Files::with_limits(args.inputs.limits.limits());
    let mut again = Diagnostics::new();
    let Some(analysis) = analyze(&spec, &mut files, &mut again) else {
        diags.push(Diagnostic::new(
            Code::Usage,
            "the changed configuration could not be analysed again; nothing was written",
        ));
        return None;
    };
    Some(Changed {
        _dir: dir,
        files,
        project: loaded.project,
        analysis,
        diagnostics: again,
    })
}

/// Copies a managed-settings folder (its files and the files of `managed-settings.d/`).
fn copy_folder(from: &Path, to: &Path, diags: &mut Diagnostics) -> Option<()> {
    let copy = |from: &Path, to: &Path| -> std::io::Result<()> {
        std::fs::create_dir_all(to)?;
        for entry in std::fs::read_dir(from)? {
            let entry = entry?;
            if entry.file_type()?.is_file() {
                std::fs::copy(entry.path(), to.join(entry.file_name()))?;
            }
        }
        Ok(())
    };
    let dropins = from.join("managed-settings.d");
    let result = copy(from, to).and_then(|()| {
        if dropins.is_dir() {
            copy(&dropins, &to.join("managed-settings.d"))
        } else {
            Ok(())
        }
    });
    match result {
        Ok(()) => Some(()),
        Err(e) => {
            diags.push(Diagnostic::new(
                Code::OutputUnwritable,
                format!("cannot copy the managed-settings folder for the re-analysis ({e})"),
            ));
            None
        }
    }
}

/// The run's errors; the analysis's assumptions are `analyze`'s and `check`'s to report.
fn only_errors(diags: Diagnostics) -> Diagnostics {
    let mut out = Diagnostics::new();
    out.extend(diags.into_iter().filter(Diagnostic::is_error));
    out
}
