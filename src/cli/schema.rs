//! `otel-dpia schema`: writes the JSON Schema of `dpia.yaml`, or checks that the copy on
//! disk is current (for CI, so that editors never validate against a stale schema).

use std::path::{Path, PathBuf};

use super::Report;
use crate::diag::{Code, Diagnostic};
use crate::files::Span;

/// Arguments of `otel-dpia schema`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The folder to write `dpia.schema.json` into.
    #[arg(long, value_name = "DIR", default_value = "schemas")]
    pub out: PathBuf,

    /// Write nothing; exit 1 if the file in DIR differs from what this version generates.
    #[arg(long)]
    pub check: bool,
}

/// Runs the command.
pub fn run(args: &Args) -> Report {
    let mut report = Report::default();
    for (name, text) in crate::schemas::all() {
        let path = args.out.join(name);
        let one = if args.check {
            check(&path, &text)
        } else {
            write(&path, &text, name)
        };
        report.output.push_str(&one.output);
        report.failed |= one.failed;
        for d in one.diagnostics {
            let d = match d.span {
                Some(s) => {
                    let text = one.files.get(s.file).text.clone();
                    let file = report
                        .files
                        .add(one.files.get(s.file).display.clone(), text);
                    crate::diag::Diagnostic {
                        span: Some(Span { file, ..s }),
                        ..d
                    }
                }
                None => d,
            };
            report.diagnostics.push(d);
        }
    }
    report
}

/// Compares the file on disk with the generated text; a difference fails the run and the
/// warning points at the first line that differs.
fn check(path: &Path, text: &str) -> Report {
    let mut report = Report::default();
    let shown = path.display().to_string();
    let on_disk = std::fs::read_to_string(path).ok();
    if on_disk.as_deref() == Some(text) {
        report.output = format!("{shown} is up to date\n");
        return report;
    }
    report.failed = true;
    let (message, span) = match on_disk {
        None => (format!("`{shown}` does not exist or cannot be read"), None),
        Some(old) => {
            let line = first_difference(&old, text);
            let file = report.files.add(shown.clone(), old);
            let span = Span {
                file,
                line,
                col: 1,
                len: 1,
            };
            (
                format!("`{shown}` is stale: it differs from the schema this version generates"),
                Some(span),
            )
        }
    };
    report.diagnostics.push(
        Diagnostic::new(Code::SchemaStale, message)
            .at_opt(span)
            .hint(format!(
                "run `otel-dpia schema --out {}` (in this repository: `cargo run -- schema`) and commit the result",
                path.parent().unwrap_or(Path::new(".")).display()
            )),
    );
    report
}

/// The 1-based line where two texts first differ.
fn first_difference(old: &str, new: &str) -> u32 {
    let mut new_lines = new.lines();
    let mut line = 1;
    for old_line in old.lines() {
        if new_lines.next() != Some(old_line) {
            break;
        }
        line += 1;
    }
    line
}

/// Writes the schema through a temporary file and a rename, so no reader ever sees half a
/// file; an unchanged file is left alone.
fn write(path: &Path, text: &str, name: &str) -> Report {
    let mut report = Report::default();
    let shown = path.display().to_string();
    if std::fs::read_to_string(path).ok().as_deref() == Some(text) {
        report.output = format!("{shown} is up to date\n");
        return report;
    }
    let result = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| {
            let tmp = path.with_file_name(format!(".{name}.tmp"));
            std::fs::write(&tmp, text).and_then(|()| std::fs::rename(&tmp, path))
        });
    match result {
        Ok(()) => report.output = format!("wrote {shown}\n"),
        Err(err) => report.diagnostics.push(
            Diagnostic::new(Code::Usage, format!("cannot write `{shown}`: {err}"))
                .hint("choose a folder you can write to with `--out DIR`"),
        ),
    }
    report
}

#[cfg(test)]
mod tests {
    use super::first_difference;

    #[test]
    fn first_difference_counts_from_one() {
        assert_eq!(first_difference("a\nb\nc\n", "a\nx\nc\n"), 2);
        assert_eq!(first_difference("a\n", "a\nb\n"), 2);
        assert_eq!(first_difference("", "a\n"), 1);
    }
}
