//! Helpers for the `render_*` integration tests: running `otel-dpia render` on the
//! bundled examples (or temp copies of them) and reading what it wrote.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The bundled examples.
pub const EXAMPLES: &[&str] = &["metadata-only", "content-to-us-saas", "dutch-employer"];

/// The crate root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary in the crate root.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_otel-dpia"))
        .args(args)
        .current_dir(repo())
        .env_remove("OTEL_DPIA_DIAGNOSTIC_FORMAT")
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("the binary runs")
}

/// Renders `project` in English into `out` with extra arguments; panics with stderr on
/// failure.
pub fn render(project: &Path, out: &Path, extra: &[&str]) -> Output {
    render_lang(project, out, "en", extra)
}

/// Renders `project` in the languages `lang` (e.g. `nl` or `en,de`) into `out` with extra
/// arguments; panics with stderr on failure.
pub fn render_lang(project: &Path, out: &Path, lang: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "render",
        project.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--lang",
        lang,
        "--date",
        "2026-07-01",
    ];
    args.extend_from_slice(extra);
    let o = run(&args);
    assert!(
        o.status.success(),
        "render of {} failed:\n{}",
        project.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// Every example folder holding a dpia.yaml, in name order (all of them, not only
/// [`EXAMPLES`]).
pub fn all_examples() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| example(n).is_file())
        .collect();
    names.sort();
    assert!(names.len() >= 4, "bundled examples missing: {names:?}");
    names
}

/// The example's project file.
pub fn example(name: &str) -> PathBuf {
    repo().join("examples").join(name).join("dpia.yaml")
}

/// Reads a rendered text file.
pub fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Collapses runs of whitespace, as YAML folded strings and Markdown line breaks differ.
pub fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text a reader sees in a Markdown file: the parser's text events, joined.
pub fn visible_md(md: &str) -> String {
    use pulldown_cmark::{Event, TagEnd};
    let mut out = String::new();
    for e in otel_dpia::render::markdown::events(md) {
        match e {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Strong | TagEnd::Emphasis | TagEnd::Link | TagEnd::Image) => {}
            Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    flat(&out)
}

/// A tool on the PATH (or `None`, with a printed notice).
pub fn tool(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file());
    if found.is_none() {
        eprintln!("notice: `{name}` not found; this check is skipped (`.ci/run` installs it)");
    }
    found
}

/// Copies an example folder into a temporary folder and returns it with its dpia.yaml.
pub fn copy_example(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let src = repo().join("examples").join(name);
    for entry in std::fs::read_dir(&src).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    let project = dir.path().join("dpia.yaml");
    (dir, project)
}

/// The text of a PDF through `pdftotext` (reading order).
pub fn pdf_text(pdftotext: &Path, pdf: &Path) -> String {
    let o = Command::new(pdftotext)
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(o.status.success(), "pdftotext failed on {}", pdf.display());
    // Inline code carries zero-width spaces as break opportunities.
    String::from_utf8_lossy(&o.stdout).replace('\u{200B}', "")
}

/// Every file under `dir` with its bytes, by relative name, sorted.
pub fn files_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}
