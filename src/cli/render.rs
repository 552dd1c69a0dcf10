//! `otel-dpia render`: the DPIA draft, the employee notice and the works-council pack,
//! per language, as Markdown, HTML and PDF, plus the data-flow picture.
//!
//! Writes `OUT/<lang>/{dpia,notice,works-council}.{md,html,pdf}` and `OUT/data-flow.svg`,
//! all or nothing. The date is `--date`, else `SOURCE_DATE_EPOCH`, else none (the
//! documents say "undated"); the clock is never read. Languages default to
//! `documents.languages` in `dpia.yaml`, else English.

use std::path::PathBuf;

use super::Report;
use crate::analysis::run::analyze;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::project::Language;
use crate::render::date::Date;
use crate::render::view::{self, View, ViewInputs};
use crate::render::{self, Format, Job, diagram, write::Staging};

/// Arguments of `otel-dpia render`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The deployment to read.
    #[command(flatten)]
    pub inputs: super::InputArgs,

    /// The output folder; `<lang>/` folders and `data-flow.svg` are written into it.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// Output formats (comma-separated).
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = [Format::Md, Format::Html, Format::Pdf])]
    pub format: Vec<Format>,

    /// Document languages (comma-separated); default: `documents.languages`, else `en`.
    #[arg(long, value_delimiter = ',', value_name = "LANG")]
    pub lang: Vec<String>,

    /// The document date, `YYYY-MM-DD`; default: `SOURCE_DATE_EPOCH`, else undated.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,

    /// A folder whose `<lang>/<name>.md.j2` files replace the built-in templates.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,

    /// The typst binary for PDF output; default: `OTEL_DPIA_TYPST`, else `typst` on the PATH.
    #[arg(long, value_name = "PATH")]
    pub typst: Option<PathBuf>,

    /// Write nothing; exit 1 and list the files in `--out` that a render would change (for
    /// CI: committed documents must match the deployed configuration).
    #[arg(long)]
    pub check: bool,
}

/// Runs the command.
pub fn run(args: &Args) -> Report {
    produce(args).0
}

/// The committed documents under `args.out` that a render of `args` would change (for the
/// `check` rule on stale documents); with the problems met on the way.
pub fn stale_documents(
    args: &Args,
) -> (Vec<crate::checks::StaleDocument>, crate::diag::Diagnostics) {
    let check = Args {
        check: true,
        ..args.clone()
    };
    let (report, outcome) = produce(&check);
    let stale = match outcome {
        Some(Outcome::Stale(s)) => s,
        _ => Vec::new(),
    };
    (stale, report.diagnostics)
}

fn produce(args: &Args) -> (Report, Option<Outcome>) {
    let mut outcome = None;
    let mut loaded = super::load_inputs(&args.inputs);
    let mut report = Report::default();
    let date = date(args, &mut loaded.diagnostics);
    let langs = languages(args, loaded.project.as_ref().map(|p| &p.project));
    check_usage(args, &langs, &mut loaded.diagnostics);
    let analysis = if loaded.diagnostics.has_errors() {
        None
    } else {
        analyze(&loaded.spec, &mut loaded.files, &mut loaded.diagnostics)
    };
    if let (Some(a), false) = (analysis, loaded.diagnostics.has_errors()) {
        let diags: Vec<Diagnostic> = loaded.diagnostics.iter().cloned().collect();
        let base = view::build(&ViewInputs {
            project: loaded.project.as_ref(),
            analysis: &a,
            files: &loaded.files,
            diagnostics: &diags,
            inputs: input_files(&loaded.spec, &loaded.files),
            lang: "en",
            date: date.map(Date::iso),
        });
        if let Some(lp) = &loaded.project {
            loaded.diagnostics.extend(crate::project::missing_facts(lp));
        }
        loaded
            .diagnostics
            .extend(view::undescribed_warnings(&base, loaded.project.as_ref()));
        let svg = diagram::svg(&a.map, &base);
        let result = write_all(args, &langs, date, &base, &svg);
        match &result {
            Ok(Outcome::Written(paths)) => {
                for p in paths {
                    report.output.push_str(&format!("{}\n", p.display()));
                }
            }
            Ok(Outcome::Stale(stale)) if stale.is_empty() => {
                report
                    .output
                    .push_str(&format!("{} is up to date\n", args.out.display()));
            }
            Ok(Outcome::Stale(stale)) => {
                report.failed = true;
                for s in stale {
                    report
                        .output
                        .push_str(&format!("would change: {} ({})\n", s.path, s.reason));
                }
            }
            Err(d) => loaded.diagnostics.push(d.clone()),
        }
        outcome = result.ok();
    }
    report.files = loaded.files;
    report.diagnostics = loaded.diagnostics;
    (report, outcome)
}

/// What a render did: wrote the files, or (with `--check`) found these out of date.
pub enum Outcome {
    /// The files written.
    Written(Vec<PathBuf>),
    /// The files that would change.
    Stale(Vec<crate::checks::StaleDocument>),
}

fn write_all(
    args: &Args,
    langs: &[String],
    date: Option<Date>,
    base: &View,
    svg: &str,
) -> Result<Outcome, Diagnostic> {
    let mut formats = args.format.clone();
    formats.sort();
    formats.dedup();
    let typst = if formats.contains(&Format::Pdf) {
        Some(render::pdf::locate(args.typst.as_deref())?)
    } else {
        None
    };
    let job = Job {
        formats: &formats,
        templates: args.templates.as_deref(),
        typst,
        timestamp: date.map(Date::epoch),
        date,
    };
    let mut staging = Staging::new(&args.out)?;
    let result = (|| {
        for lang in langs {
            let v = base.in_language(lang);
            render::render_language(&job, &v, svg, &mut staging)?;
        }
        staging.put(render::html::PICTURE, svg.as_bytes())
    })();
    let _ = std::fs::remove_dir_all(staging.work());
    match result {
        Ok(()) if args.check => {
            let stale = staging.differences();
            staging.abandon();
            Ok(Outcome::Stale(stale))
        }
        Ok(()) => staging.commit().map(Outcome::Written),
        Err(d) => {
            staging.abandon();
            Err(d)
        }
    }
}

/// `--date`, else `SOURCE_DATE_EPOCH`, else none.
fn date(args: &Args, diags: &mut Diagnostics) -> Option<Date> {
    if let Some(text) = &args.date {
        let parsed = Date::parse(text);
        if parsed.is_none() {
            diags.push(
                Diagnostic::new(
                    Code::Usage,
                    format!("`--date {text}` is not a date of the form YYYY-MM-DD"),
                )
                .hint("e.g. `--date 2026-07-01`"),
            );
        }
        return parsed;
    }
    let epoch = std::env::var("SOURCE_DATE_EPOCH").ok()?;
    match epoch.trim().parse::<i64>() {
        Ok(s) => Some(Date::from_epoch(s)),
        Err(_) => {
            diags.push(
                Diagnostic::new(
                    Code::Usage,
                    format!("SOURCE_DATE_EPOCH=`{epoch}` is not a number of seconds"),
                )
                .hint("set it to a Unix timestamp, or pass `--date YYYY-MM-DD`"),
            );
            None
        }
    }
}

fn languages(args: &Args, project: Option<&crate::project::Project>) -> Vec<String> {
    let mut langs: Vec<String> = if !args.lang.is_empty() {
        args.lang
            .iter()
            .map(|l| l.trim().to_ascii_lowercase())
            .collect()
    } else {
        project
            .and_then(|p| p.documents.as_ref())
            .map(|d| {
                d.languages
                    .iter()
                    .map(|l| lang_code(*l).to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    if langs.is_empty() {
        langs.push("en".into());
    }
    let mut seen = Vec::new();
    langs.retain(|l| {
        let new = !seen.contains(l);
        seen.push(l.clone());
        new
    });
    langs
}

fn lang_code(l: Language) -> &'static str {
    match l {
        Language::En => "en",
        Language::Nl => "nl",
        Language::De => "de",
    }
}

fn check_usage(args: &Args, langs: &[String], diags: &mut Diagnostics) {
    if let Some(dir) = &args.templates
        && !dir.is_dir()
    {
        diags.push(
            Diagnostic::new(
                Code::Usage,
                format!("`--templates {}` is not a folder", dir.display()),
            )
            .hint("give a folder holding `<lang>/<name>.md.j2` files"),
        );
    }
    for lang in langs {
        let valid = lang.len() == 2 && lang.chars().all(|c| c.is_ascii_lowercase());
        if !valid {
            diags.push(
                Diagnostic::new(Code::Usage, format!("`{lang}` is not a language code"))
                    .hint("use two-letter codes such as `en`, `nl`, `de`"),
            );
            continue;
        }
        if let Some((name, why)) = render::unreadable_template(lang, args.templates.as_deref()) {
            diags.push(
                Diagnostic::new(
                    Code::TemplateError,
                    format!("the template `templates/{name}` cannot be used: {why}"),
                )
                .hint("replace it with a regular UTF-8 file, or remove it to use the built-in one"),
            );
        } else if let Some(name) = render::missing_template(lang, args.templates.as_deref()) {
            diags.push(
                Diagnostic::new(
                    Code::TemplateMissing,
                    format!("no template `templates/{name}` for language `{lang}`"),
                )
                .hint(format!(
                    "built-in templates exist for `en`; render with `--lang en`, or add `{name}` under a `--templates` folder"
                )),
            );
        }
    }
}

/// The configuration files that define the processing, as named in the inputs.
fn input_files(spec: &crate::inputs::InputSpec, files: &crate::files::Files) -> Vec<String> {
    let mut out: Vec<String> = spec
        .managed_settings
        .iter()
        .chain(spec.user_settings.iter())
        .chain(spec.env_files.iter())
        .chain(spec.collectors.iter().flat_map(|c| c.files.iter()))
        .map(|p| files.shown(&p.path))
        .collect();
    out.dedup();
    out
}
