//! The PDF stage against a bare `typst compile` of the same Typst source. The stage is
//! what `render --format md,pdf` costs beyond `render --format md` (writing the Typst
//! source and the picture, running typst, reading the PDF back); the floor is typst alone
//! on the same three documents with the same flags. Skipped when typst is not installed.

mod support;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use otel_dpia::render::typst::{TypstDoc, document};
use support::measure::{Counting, cost, runs_for, show};

#[global_allocator]
static ALLOC: Counting = Counting;

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn render(project: &str, out: &Path, formats: &str) {
    run(Command::new(env!("CARGO_BIN_EXE_otel-dpia"))
        .args(["render", project, "--out"])
        .arg(out)
        .args(["--format", formats, "--lang", "en", "--date", "2026-12-01"])
        .current_dir(support::repo()));
}

fn main() {
    let Ok(typst) = otel_dpia::render::pdf::locate(None) else {
        println!("typst not found: the PDF benchmark is skipped");
        return;
    };
    let project = "examples/dutch-employer/dpia.yaml";
    let tmp = tempfile::tempdir().unwrap();
    let md_dir = tmp.path().join("md");
    let pdf_dir = tmp.path().join("pdf");
    let once = cost(1, || render(project, &pdf_dir, "md,pdf"));
    let runs = runs_for(once.time, Duration::from_secs(20), 10);
    let md = cost(runs, || render(project, &md_dir, "md"));
    let with_pdf = cost(runs, || render(project, &pdf_dir, "md,pdf"));
    // The same Typst sources, compiled by typst alone.
    let work = tmp.path().join("bare");
    std::fs::create_dir_all(&work).unwrap();
    let svg = std::fs::read_to_string(md_dir.join("data-flow.svg")).unwrap_or_default();
    std::fs::write(work.join(otel_dpia::render::html::PICTURE), svg).unwrap();
    let docs = ["dpia", "notice", "works-council"];
    for doc in docs {
        let md_text = std::fs::read_to_string(md_dir.join(format!("en/{doc}.md"))).unwrap();
        let source = document(
            &md_text,
            &TypstDoc {
                lang: "en",
                date: Some((2026, 12, 1)),
            },
        );
        std::fs::write(work.join(format!("{doc}.typ")), source).unwrap();
    }
    let bare = cost(runs, || {
        for doc in docs {
            run(Command::new(&typst)
                .arg("compile")
                .arg("--root")
                .arg(&work)
                .arg("--ignore-system-fonts")
                .args(["--creation-timestamp", "1764547200"])
                .arg(work.join(format!("{doc}.typ")))
                .arg(work.join(format!("{doc}.pdf"))));
        }
    });
    let stage = with_pdf.time.saturating_sub(md.time);
    println!("PDF stage (three documents of {project}, en), median of {runs} runs:\n");
    println!("measure | time");
    println!("---|---");
    println!("render --format md | {}", show(md.time));
    println!("render --format md,pdf | {}", show(with_pdf.time));
    println!("PDF stage (the difference) | {}", show(stage));
    println!(
        "bare `typst compile` of the same sources | {}",
        show(bare.time)
    );
    println!(
        "PDF stage / bare typst | {:.2}",
        stage.as_secs_f64() / bare.time.as_secs_f64()
    );
}
