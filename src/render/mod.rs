//! Rendering: the view model through the templates to Markdown, and from that Markdown
//! to HTML and (through Typst) PDF, plus the data-flow picture.
//!
//! Pipeline: [`view::build`] → [`templates`] (Markdown, escaped) → [`html::page`] and
//! [`typst::document`] → [`pdf::compile`]; [`diagram::svg`] draws the picture both
//! embed. [`write::Staging`] makes the whole set of files appear at once or not at all.

pub mod date;
pub mod diagram;
pub mod escape;
pub mod html;
pub mod markdown;
pub mod pdf;
pub mod templates;
pub mod typst;
pub mod view;
pub mod write;

use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Format {
    /// Markdown, straight from the templates.
    Md,
    /// A standalone HTML page.
    Html,
    /// PDF through the typst CLI.
    Pdf,
}

impl Format {
    /// The file extension.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Html => "html",
            Format::Pdf => "pdf",
        }
    }
}

/// What to render.
pub struct Job<'a> {
    /// Formats, sorted.
    pub formats: &'a [Format],
    /// The `--templates` folder.
    pub templates: Option<&'a Path>,
    /// The typst binary, when PDF is wanted.
    pub typst: Option<PathBuf>,
    /// The PDF creation timestamp.
    pub timestamp: Option<i64>,
    /// The date for the PDF metadata.
    pub date: Option<date::Date>,
}

/// The template of a document in a language.
pub fn template_name(lang: &str, document: &str) -> String {
    format!("{lang}/{document}.md.j2")
}

/// The first template a language lacks, if any.
pub fn missing_template(lang: &str, dir: Option<&Path>) -> Option<String> {
    templates::DOCUMENTS
        .iter()
        .map(|d| template_name(lang, d))
        .find(|name| !templates::exists(dir, name))
}

/// The first template of a language in the override folder that is there but cannot be
/// read (a pipe, a file over the size limit, …), and why.
pub fn unreadable_template(lang: &str, dir: Option<&Path>) -> Option<(String, String)> {
    templates::DOCUMENTS.iter().find_map(|d| {
        let name = template_name(lang, d);
        templates::unreadable(dir, &name).map(|why| (name, why))
    })
}

/// Renders one language's three documents into the staging folder.
pub fn render_language(
    job: &Job<'_>,
    view: &view::View,
    svg: &str,
    staging: &mut write::Staging,
) -> Result<(), Diagnostic> {
    let env = templates::environment(job.templates);
    let lang = view.meta.lang.as_str();
    // Typst sources by output path, compiled together once the Markdown is done.
    let mut pdfs: Vec<(String, &str, String)> = Vec::new();
    for doc in templates::DOCUMENTS {
        let name = template_name(lang, doc);
        let md = env
            .get_template(&name)
            .and_then(|t| t.render(view))
            .map_err(|e| template_error(&name, &e))?;
        for format in job.formats {
            let rel = format!("{lang}/{doc}.{}", format.ext());
            match format {
                Format::Md => staging.put(&rel, md.as_bytes())?,
                Format::Html => staging.put(&rel, html::page(&md, lang, svg).as_bytes())?,
                Format::Pdf => {
                    let source = typst::document(
                        &md,
                        &typst::TypstDoc {
                            lang,
                            date: job.date.map(|d| (d.year, d.month, d.day)),
                        },
                    );
                    pdfs.push((rel, doc, source));
                }
            }
        }
    }
    compile_pdfs(job, &staging.work().join(lang), svg, &pdfs)?
        .into_iter()
        .zip(&pdfs)
        .try_for_each(|(pdf, (rel, _, _))| staging.put(rel, &pdf))
}

/// Compiles a language's documents with one typst process each, side by side: the stage
/// then takes about as long as its longest document, not the sum of them. Results come
/// back in the order given, so the output does not depend on which process ends first.
fn compile_pdfs(
    job: &Job<'_>,
    work: &Path,
    svg: &str,
    pdfs: &[(String, &str, String)],
) -> Result<Vec<Vec<u8>>, Diagnostic> {
    if pdfs.is_empty() {
        return Ok(Vec::new());
    }
    let typst_bin = job
        .typst
        .as_deref()
        .ok_or_else(|| Diagnostic::new(Code::TypstMissing, "no typst binary was located"))?;
    pdf::prepare(work, svg)?;
    std::thread::scope(|s| {
        let running: Vec<_> = pdfs
            .iter()
            .map(|(_, doc, source)| {
                s.spawn(move || pdf::compile(typst_bin, work, doc, source, job.timestamp))
            })
            .collect();
        running
            .into_iter()
            .map(|r| {
                r.join().unwrap_or_else(|_| {
                    Err(Diagnostic::new(
                        Code::TypstFailed,
                        "running typst failed unexpectedly",
                    ))
                })
            })
            .collect()
    })
}

fn template_error(name: &str, e: &minijinja::Error) -> Diagnostic {
    let mut text = format!("template `{name}` failed: {e}");
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(&format!("; {s}"));
        source = s.source();
    }
    let detail = e.display_debug_info().to_string();
    if !detail.trim().is_empty() {
        text.push('\n');
        text.push_str(detail.trim_end());
    }
    Diagnostic::new(Code::TemplateError, text).hint(
        "fix the template (an override from `--templates`, or report a bug for a built-in one)",
    )
}
