//! `otel-dpia check`: runs the policy rules over one deployment and prints the findings as
//! text, JSON or SARIF. Exit code 1 when a finding is at or above `--fail-on`; 2 when the
//! inputs cannot be used (then nothing is printed on standard output).

use std::path::PathBuf;

use super::Report;
use crate::analysis::run::analyze;
use crate::checks::render::{self, Outcome};
use crate::checks::{self, Context, FailOn};
use crate::diag::{Code, Diagnostic, did_you_mean};

/// Arguments of `otel-dpia check`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The deployment to read.
    #[command(flatten)]
    pub inputs: super::InputArgs,

    /// How findings are printed.
    #[arg(long, value_enum, default_value_t)]
    pub format: CheckFormat,

    /// Exit with code 1 when a finding is at or above this severity.
    #[arg(long, value_enum, default_value_t)]
    pub fail_on: FailOn,

    /// Print what a rule means and how to change its severity, then exit.
    #[arg(long, value_name = "CODE")]
    pub explain: Option<String>,

    /// Print every rule with its default severity, then exit.
    #[arg(long)]
    pub list_rules: bool,

    /// The folder holding the committed documents (as `render --out` wrote them): rule
    /// DP012 fails when a render of this deployment would change them. Markdown and HTML
    /// are compared; give the `--date` they were rendered with.
    #[arg(long, value_name = "DIR")]
    pub documents: Option<PathBuf>,

    /// The date the committed documents carry (with `--documents`).
    #[arg(long, value_name = "YYYY-MM-DD", requires = "documents")]
    pub date: Option<String>,

    /// The languages of the committed documents (with `--documents`); default: the project
    /// file's `documents.languages`.
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "LANG",
        requires = "documents"
    )]
    pub lang: Vec<String>,
}

/// Output formats of `otel-dpia check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum CheckFormat {
    /// Findings with the offending line, and a summary.
    #[default]
    Human,
    /// One line per finding: `file:line:col: severity[code]: message`.
    Short,
    /// A JSON report with every finding (silenced ones included).
    Json,
    /// SARIF 2.1.0, for code-scanning services such as GitHub code scanning.
    Sarif,
}

/// Runs the command.
pub fn run(args: &Args) -> Report {
    if args.list_rules {
        return Report {
            output: render::list_rules(),
            ..Report::default()
        };
    }
    if let Some(code) = &args.explain {
        return explain(code);
    }
    let mut loaded = super::load_inputs(&args.inputs);
    let analysis = analyze(&loaded.spec, &mut loaded.files, &mut loaded.diagnostics);
    let mut report = Report::default();
    let stale = args.documents.as_ref().map(|dir| {
        let (stale, diags) = super::render::stale_documents(&super::render::Args {
            inputs: args.inputs.clone(),
            out: dir.clone(),
            format: vec![crate::render::Format::Md, crate::render::Format::Html],
            lang: args.lang.clone(),
            date: args.date.clone(),
            templates: None,
            typst: None,
            check: true,
        });
        loaded
            .diagnostics
            .extend(diags.into_iter().filter(crate::diag::Diagnostic::is_error));
        stale
    });
    if let Some(analysis) = analysis.filter(|_| !loaded.diagnostics.has_errors()) {
        let diagnostics: Vec<Diagnostic> = loaded.diagnostics.iter().cloned().collect();
        let mut ctx = Context::new(
            &loaded.files,
            loaded.project.as_ref(),
            &analysis,
            &diagnostics,
        );
        ctx.stale_documents = stale.as_deref();
        let mut findings = checks::run(&ctx);
        checks::apply_overrides(
            &mut findings,
            loaded.project.as_ref(),
            &loaded.files,
            &mut loaded.diagnostics,
        );
        let failed = checks::failed(&findings, args.fail_on);
        let outcome = Outcome {
            findings: &findings,
            fail_on: args.fail_on,
            failed,
        };
        report.output = print(args, &outcome, &loaded.files);
        report.failed = failed;
    }
    report.diagnostics = without_findings(loaded.diagnostics);
    report.files = loaded.files;
    report
}

/// The findings in the chosen format.
fn print(args: &Args, outcome: &Outcome<'_>, files: &crate::files::Files) -> String {
    let uri = render::artifact_uri;
    match args.format {
        CheckFormat::Human => render::human(outcome, files),
        CheckFormat::Short => render::short(outcome),
        CheckFormat::Json => render::json(outcome, &render::fingerprints(outcome.findings, uri)),
        CheckFormat::Sarif => {
            render::sarif(outcome, &render::fingerprints(outcome.findings, uri), &uri)
        }
    }
}

/// The run's diagnostics without the analysis assumptions that became findings (DP009),
/// so each is reported once.
fn without_findings(diags: crate::diag::Diagnostics) -> crate::diag::Diagnostics {
    let mut out = crate::diag::Diagnostics::new();
    out.extend(diags.into_iter().filter(|d| {
        d.is_error() || !checks::ASSUMPTIONS.contains(&d.code) || checks::hides_only_a_credential(d)
    }));
    out
}

fn explain(code: &str) -> Report {
    let mut report = Report::default();
    match checks::rule(code) {
        Some(rule) => report.output = render::explain(rule),
        None => {
            let codes = checks::RULES.iter().map(|r| r.code);
            let hint = match did_you_mean(code, codes) {
                Some(c) => {
                    format!("did you mean `{c}`? `otel-dpia check --list-rules` shows every rule")
                }
                None => "`otel-dpia check --list-rules` shows every rule".to_string(),
            };
            report.diagnostics.push(
                Diagnostic::new(Code::Usage, format!("no check rule has the code `{code}`"))
                    .hint(hint),
            );
        }
    }
    report
}
