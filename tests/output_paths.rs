//! Outputs carry no trace of the machine: file names in the documents, the data map and
//! `check` output are relative to the project file's folder (or `--repo-root`), so the same
//! deployment gives the same bytes whether the tool is called from inside the repository
//! with a relative path or from anywhere else with an absolute one, and a project in a
//! temporary folder never names that folder. Diagnostics on the terminal name files as
//! they open from the current folder, so an editor can jump to them.

mod common;
mod render_support;

use std::path::{Path, PathBuf};

use render_support::{copy_example, files_of, tool};

/// Runs the binary in `cwd`; the standard output, which must be there (exit 0 or 1).
fn stdout_in(cwd: &Path, args: &[&str]) -> String {
    let out = common::run_in(cwd, args);
    let (stdout, stderr) = common::texts(&out);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{args:?}: {stderr}"
    );
    stdout
}

/// What the tool writes for one project path run in one folder: the rendered documents
/// (md and html in every language, PDF in English when typst is there), the data map as
/// JSON, and `check` as JSON and SARIF.
fn everything(cwd: &Path, project: &str, extra: &[&str]) -> Vec<(String, Vec<u8>)> {
    let out = tempfile::tempdir().unwrap();
    let mut formats = "md,html";
    let mut render = vec![
        "render",
        project,
        "--out",
        out.path().to_str().unwrap(),
        "--lang",
        "en,nl,de",
        "--date",
        "2026-07-01",
    ];
    render.extend_from_slice(extra);
    render.extend_from_slice(&["--format", formats]);
    stdout_in(cwd, &render);
    let mut all = files_of(out.path());
    if tool("typst").is_some() {
        formats = "pdf";
        let pdf = tempfile::tempdir().unwrap();
        let mut args = vec![
            "render",
            project,
            "--out",
            pdf.path().to_str().unwrap(),
            "--lang",
            "en",
            "--date",
            "2026-07-01",
            "--format",
            formats,
        ];
        args.extend_from_slice(extra);
        stdout_in(cwd, &args);
        all.extend(files_of(pdf.path()));
    }
    for (name, args) in [
        ("analyze.json", vec!["analyze", project, "--format", "json"]),
        ("check.json", vec!["check", project, "--format", "json"]),
        ("check.sarif", vec!["check", project, "--format", "sarif"]),
        ("check.txt", vec!["check", project, "--format", "short"]),
    ] {
        let mut args = args;
        args.extend_from_slice(extra);
        all.push((name.to_string(), stdout_in(cwd, &args).into_bytes()));
    }
    all
}

fn assert_same(a: &[(String, Vec<u8>)], b: &[(String, Vec<u8>)], what: &str) {
    let names = |v: &[(String, Vec<u8>)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(a), names(b), "{what}");
    for ((name, x), (_, y)) in a.iter().zip(b) {
        assert!(
            x == y,
            "{what}: {name} differs:\n{}\n---\n{}",
            String::from_utf8_lossy(x),
            String::from_utf8_lossy(y)
        );
    }
}

fn assert_no_trace(all: &[(String, Vec<u8>)], folders: &[&Path]) {
    for (name, bytes) in all {
        let text = String::from_utf8_lossy(bytes);
        for f in folders {
            let f = f.to_string_lossy();
            assert!(!text.contains(f.as_ref()), "{name} names `{f}`:\n{text}");
        }
    }
}

#[test]
fn an_absolute_path_from_elsewhere_gives_the_same_bytes_as_a_relative_one_from_inside() {
    let repo = common::repo_dir();
    let elsewhere = tempfile::tempdir().unwrap();
    for name in ["dutch-employer", "three-agents"] {
        let relative = format!("examples/{name}/dpia.yaml");
        let absolute = repo.join(&relative);
        let inside = everything(&repo, &relative, &[]);
        let outside = everything(elsewhere.path(), absolute.to_str().unwrap(), &[]);
        assert_same(&inside, &outside, name);
        assert_no_trace(&outside, &[&repo, elsewhere.path()]);
        let sarif =
            String::from_utf8_lossy(&inside.iter().find(|(n, _)| n == "check.sarif").unwrap().1)
                .into_owned();
        assert!(
            !sarif.contains("examples/"),
            "without --repo-root, names are relative to the project's folder: {sarif}"
        );

        // With --repo-root, names are relative to it, from wherever the tool runs.
        let root = repo.to_str().unwrap();
        let inside = everything(&repo, &relative, &["--repo-root", "."]);
        let outside = everything(
            elsewhere.path(),
            absolute.to_str().unwrap(),
            &["--repo-root", root],
        );
        assert_same(&inside, &outside, name);
        assert_no_trace(&outside, &[&repo, elsewhere.path()]);
        let sarif =
            String::from_utf8_lossy(&inside.iter().find(|(n, _)| n == "check.sarif").unwrap().1)
                .into_owned();
        assert!(sarif.contains(&format!("\"examples/{name}/")), "{sarif}");
    }
}

#[test]
fn a_project_in_a_temporary_folder_never_names_it() {
    let (dir, project) = copy_example("metadata-only");
    let canonical: PathBuf = std::fs::canonicalize(dir.path()).unwrap();
    let all = everything(&common::repo_dir(), project.to_str().unwrap(), &[]);
    assert_no_trace(&all, &[dir.path(), &canonical, &std::env::temp_dir()]);
    let md = String::from_utf8_lossy(&all.iter().find(|(n, _)| n == "en/dpia.md").unwrap().1)
        .into_owned();
    assert!(md.contains("`otelcol.yaml"), "{md}");
}

/// A problem printed on the terminal names the file as it opens from the current folder
/// (an editor jumps to `file:line:col`), not relative to the project's folder.
#[test]
fn terminal_diagnostics_name_files_from_the_current_folder() {
    let (dir, _) = copy_example("metadata-only");
    let sub = dir.path().join("deploy");
    std::fs::create_dir(&sub).unwrap();
    for f in ["dpia.yaml", "managed-settings.json", "otelcol.yaml"] {
        std::fs::rename(dir.path().join(f), sub.join(f)).unwrap();
    }
    std::fs::write(sub.join("otelcol.yaml"), "receivers: [\n").unwrap();
    for format in ["human", "short", "json"] {
        let out = common::run_in(
            dir.path(),
            &["check", "deploy/dpia.yaml", "--diagnostic-format", format],
        );
        let (stdout, stderr) = common::texts(&out);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stdout.is_empty());
        assert!(stderr.contains("deploy/otelcol.yaml"), "{format}: {stderr}");
    }
}
