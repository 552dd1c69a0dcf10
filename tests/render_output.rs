//! `otel-dpia render` as a whole: byte-identical output for the same inputs, PDFs whose
//! text holds the key facts, an HTML notice that a real browser renders without console
//! errors, all-or-nothing writing, template overrides, and clear errors.

mod render_support;

use std::path::Path;
use std::process::Command;

use render_support::*;

/// Documents carry no trace of the machine: an absolute path to the project file (inside
/// the folder the command runs in) gives the same bytes as the relative one, and no
/// document names the machine's folders.
#[test]
fn an_absolute_project_path_renders_the_same_bytes_as_a_relative_one() {
    let root = repo().to_string_lossy().into_owned();
    for name in EXAMPLES {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let relative = Path::new("examples").join(name).join("dpia.yaml");
        render_lang(&relative, a.path(), "en,nl,de", &["--format", "md,html"]);
        render_lang(
            &example(name),
            b.path(),
            "en,nl,de",
            &["--format", "md,html"],
        );
        let (fa, fb) = (files_of(a.path()), files_of(b.path()));
        assert_eq!(fa.len(), fb.len(), "{name}");
        for ((pa, ba), (_, bb)) in fa.iter().zip(&fb) {
            assert!(
                ba == bb,
                "{name}: {pa} differs between a relative and an absolute path"
            );
            assert!(
                !String::from_utf8_lossy(ba).contains(&root),
                "{name}: {pa} names the machine's folder"
            );
        }
    }
}

#[test]
fn two_renders_are_byte_identical() {
    let formats = if tool("typst").is_some() {
        "md,html,pdf"
    } else {
        "md,html"
    };
    for name in EXAMPLES {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        render(&example(name), a.path(), &["--format", formats]);
        render(&example(name), b.path(), &["--format", formats]);
        let (fa, fb) = (files_of(a.path()), files_of(b.path()));
        let names: Vec<&str> = fa.iter().map(|(n, _)| n.as_str()).collect();
        assert!(
            names.contains(&"data-flow.svg") && names.contains(&"en/notice.html"),
            "{names:?}"
        );
        assert_eq!(fa.len(), fb.len());
        for ((na, ba), (nb, bb)) in fa.iter().zip(&fb) {
            assert_eq!(na, nb);
            assert!(ba == bb, "{name}: {na} differs between two renders");
        }
    }
}

#[test]
fn pdfs_hold_destinations_retention_and_legal_basis() {
    let (Some(_), Some(pdftotext)) = (tool("typst"), tool("pdftotext")) else {
        return;
    };
    for name in EXAMPLES {
        let out = tempfile::tempdir().unwrap();
        render(&example(name), out.path(), &["--format", "pdf"]);
        let text = std::fs::read_to_string(example(name)).unwrap();
        let project: otel_dpia::project::Project = serde_norway::from_str(&text).unwrap();
        let dpia = flat(&pdf_text(&pdftotext, &out.path().join("en/dpia.pdf")));
        let notice = flat(&pdf_text(&pdftotext, &out.path().join("en/notice.pdf")));
        assert!(
            dpia.contains("Data protection impact assessment"),
            "{name}: title"
        );
        assert!(dpia.contains("draft"), "{name}: status");
        assert!(dpia.contains("2026-07-01"), "{name}: date");
        for doc in [&dpia, &notice] {
            assert!(doc.contains("Art. 6(1)(f) GDPR"), "{name}: legal basis");
            for d in &project.destinations {
                let days = format!("{} days", d.retention_days.unwrap());
                assert!(doc.contains(&days), "{name}: retention {days}");
            }
        }
        for d in &project.destinations {
            let host = d.host.as_deref().unwrap();
            assert!(
                notice.contains(host),
                "{name}: destination host {host} in the notice"
            );
            if let Some(exporter) = d.exporter.as_deref() {
                let id = exporter.rsplit(':').next().unwrap();
                assert!(dpia.contains(id), "{name}: destination {id} in the DPIA");
            }
        }
        assert!(
            dpia.contains("vendor:anthropic_api"),
            "{name}: vendor destination"
        );
    }
}

#[test]
fn notice_html_renders_in_chromium_without_console_errors() {
    let Some(chromium) = tool("chromium").or_else(|| tool("chromium-browser")) else {
        return;
    };
    let out = tempfile::tempdir().unwrap();
    render(
        &example("dutch-employer"),
        out.path(),
        &["--format", "html"],
    );
    let profile = tempfile::tempdir().unwrap();
    let page = out.path().join("en/notice.html");
    let o = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&o.stdout);
    let log = String::from_utf8_lossy(&o.stderr);
    assert!(
        dom.contains("<th>What is collected</th>"),
        "the table is not in the DOM:\n{log}"
    );
    assert!(dom.contains("<svg"), "the picture is not in the DOM");
    assert!(dom.contains("lang=\"en\""), "no lang attribute");
    for line in log.lines() {
        let l = line.to_lowercase();
        let console = l.contains("console") && (l.contains("error") || l.contains("uncaught"));
        assert!(
            !console && !l.contains("refused to"),
            "browser reported: {line}"
        );
    }
}

#[test]
fn a_language_without_templates_is_a_clear_error_and_writes_nothing() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("docs");
    let o = run(&[
        "render",
        example("metadata-only").to_str().unwrap(),
        "--out",
        target.to_str().unwrap(),
        "--lang",
        "en,fr",
        "--format",
        "md",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("OD601") && err.contains("fr/dpia.md.j2"),
        "{err}"
    );
    assert!(!target.exists(), "nothing may be written");
    assert!(o.stdout.is_empty());
}

#[test]
fn a_failed_render_leaves_the_previous_outputs_untouched() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("docs");
    render(&example("metadata-only"), &target, &["--format", "md,html"]);
    let before = files_of(&target);
    let broken = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(broken.path().join("en")).unwrap();
    std::fs::write(
        broken.path().join("en/works-council.md.j2"),
        "# {{ no_such_field }}\n",
    )
    .unwrap();
    let o = run(&[
        "render",
        example("metadata-only").to_str().unwrap(),
        "--out",
        target.to_str().unwrap(),
        "--lang",
        "en",
        "--date",
        "2026-08-01",
        "--format",
        "md,html",
        "--templates",
        broken.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("OD602") && err.contains("en/works-council.md.j2"),
        "{err}"
    );
    assert_eq!(files_of(&target), before, "previous outputs changed");
    let leftovers: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers,
        vec![std::ffi::OsString::from("docs")],
        "staging folder left behind"
    );
}

#[test]
fn templates_are_overridable_file_by_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("en")).unwrap();
    std::fs::write(
        dir.path().join("en/notice.md.j2"),
        "# Notice of {{ organisation.name.value }}\n\nPrompts: {{ collected_by.prompts.status }}\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    render(
        &example("content-to-us-saas"),
        out.path(),
        &[
            "--format",
            "md",
            "--templates",
            dir.path().to_str().unwrap(),
        ],
    );
    assert_eq!(
        read(out.path(), "en/notice.md"),
        "# Notice of Nordkante Software GmbH\n\nPrompts: sent\n"
    );
    assert!(read(out.path(), "en/dpia.md").contains("# Data protection impact assessment"));
}

#[test]
fn missing_facts_are_todos_in_the_documents_and_warnings() {
    let (_dir, project) = copy_example("metadata-only");
    let text = std::fs::read_to_string(&project).unwrap();
    let start = text.find("organisation:").unwrap();
    let end = text.find("dpo:").unwrap();
    std::fs::write(&project, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = render(&project, out.path(), &["--format", "md"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("OD405") && err.contains("organisation.name"),
        "{err}"
    );
    let notice = read(out.path(), "en/notice.md");
    assert!(
        notice.contains("**TODO:** fill in `organisation.name` in dpia.yaml"),
        "{notice}"
    );
    assert!(notice.contains("**TODO:** fill in `organisation.supervisory_authority` in dpia.yaml"));
}

#[test]
fn pdf_without_typst_names_the_install_command() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("docs");
    let o = run(&[
        "render",
        example("metadata-only").to_str().unwrap(),
        "--out",
        target.to_str().unwrap(),
        "--lang",
        "en",
        "--format",
        "pdf",
        "--typst",
        "/nonexistent/typst",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("OD603") && err.contains("cargo install typst-cli --locked"),
        "{err}"
    );
    assert!(!target.exists());
}

#[test]
fn undated_without_date_or_source_date_epoch() {
    let out = tempfile::tempdir().unwrap();
    let o = run(&[
        "render",
        example("metadata-only").to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
        "--lang",
        "en",
        "--format",
        "md",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(read(out.path(), "en/dpia.md").contains("**Date:** undated"));
}
