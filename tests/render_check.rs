//! `render --check`: committed documents must match what the configuration gives; a stale
//! or missing file fails with exit 1 and is named, and nothing is written.

mod common;

use common::{repo_dir, run_in, texts};

#[test]
fn render_check_passes_on_fresh_documents_and_names_stale_ones() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("docs");
    let out_arg = out.to_str().unwrap();
    let base = [
        "render",
        "examples/metadata-only/dpia.yaml",
        "--out",
        out_arg,
        "--format",
        "md,html",
        "--lang",
        "en",
        "--date",
        "2026-11-23",
    ];
    let missing: Vec<&str> = base.iter().copied().chain(["--check"]).collect();
    let first = run_in(&repo_dir(), &missing);
    assert_eq!(
        first.status.code(),
        Some(1),
        "nothing rendered yet: {}",
        texts(&first).1
    );
    assert!(texts(&first).0.contains("missing"));
    assert!(!out.exists(), "--check writes nothing");

    assert_eq!(run_in(&repo_dir(), &base).status.code(), Some(0));
    let fresh = run_in(&repo_dir(), &missing);
    assert_eq!(fresh.status.code(), Some(0), "{}", texts(&fresh).0);

    let notice = out.join("en/notice.md");
    std::fs::write(&notice, "edited by hand\n").unwrap();
    let stale = run_in(&repo_dir(), &missing);
    let (stdout, _) = texts(&stale);
    assert_eq!(stale.status.code(), Some(1));
    assert!(
        stdout.contains("en/notice.md") && stdout.contains("would change"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("en/dpia.md"),
        "unchanged files are not listed: {stdout}"
    );
    assert_eq!(
        std::fs::read_to_string(&notice).unwrap(),
        "edited by hand\n",
        "--check leaves files alone"
    );
}

#[test]
fn check_reports_stale_committed_documents_as_dp012() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("docs");
    let out_arg = out.to_str().unwrap();
    let render = [
        "render",
        "examples/metadata-only/dpia.yaml",
        "--out",
        out_arg,
        "--format",
        "md,html",
        "--lang",
        "en",
        "--date",
        "2026-11-23",
    ];
    assert_eq!(run_in(&repo_dir(), &render).status.code(), Some(0));
    let check = [
        "check",
        "examples/metadata-only/dpia.yaml",
        "--documents",
        out_arg,
        "--date",
        "2026-11-23",
        "--lang",
        "en",
        "--format",
        "short",
        "--fail-on",
        "never",
    ];
    let fresh = run_in(&repo_dir(), &check);
    assert!(
        !texts(&fresh).0.contains("DP012"),
        "fresh documents are not stale: {}",
        texts(&fresh).0
    );
    std::fs::write(out.join("en/notice.html"), "<p>old</p>\n").unwrap();
    let stale = run_in(&repo_dir(), &check);
    let (stdout, _) = texts(&stale);
    assert!(
        stdout.contains("DP012") && stdout.contains("en/notice.html"),
        "{stdout}"
    );
}
