//! The committed `schemas/dpia.schema.json` is what this version generates, and
//! `otel-dpia schema` writes it deterministically and `--check` catches a stale copy.

use std::path::Path;
use std::process::Command;

use otel_dpia::project::{SCHEMA_FILE_NAME, schema_text};

fn otel_dpia(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_otel-dpia"))
        .args(args)
        .args(["--diagnostic-format", "short"])
        .output()
        .expect("the binary runs");
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn committed_schema_is_fresh() {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schemas")
        .join(SCHEMA_FILE_NAME);
    let on_disk = std::fs::read_to_string(&committed).unwrap_or_default();
    assert!(
        on_disk == schema_text(),
        "schemas/{SCHEMA_FILE_NAME} is stale or missing: run `cargo run -- schema` and commit the result"
    );
}

#[test]
fn schema_command_writes_the_same_bytes_every_time() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("nested").join("schemas");
    let out_arg = out.to_str().unwrap();
    let (code, stdout, stderr) = otel_dpia(&["schema", "--out", out_arg]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("wrote "), "{stdout}");
    let first = std::fs::read_to_string(out.join(SCHEMA_FILE_NAME)).unwrap();
    assert_eq!(first, schema_text());
    let (code, stdout, _) = otel_dpia(&["schema", "--out", out_arg]);
    assert_eq!(code, 0);
    assert!(stdout.ends_with("is up to date\n"), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(out.join(SCHEMA_FILE_NAME)).unwrap(),
        first
    );
    let leftovers: Vec<_> = std::fs::read_dir(&out).unwrap().collect();
    assert_eq!(
        leftovers.len(),
        otel_dpia::schemas::all().len(),
        "only the schema files are left behind"
    );
}

#[test]
fn check_passes_on_a_fresh_file_and_fails_naming_a_stale_one() {
    let dir = tempfile::tempdir().unwrap();
    let out_arg = dir.path().to_str().unwrap();
    let file = dir.path().join(SCHEMA_FILE_NAME);
    for (name, text) in otel_dpia::schemas::all() {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let (code, _, stderr) = otel_dpia(&["schema", "--out", out_arg, "--check"]);
    assert_eq!(code, 0, "{stderr}");

    let stale = schema_text().replacen("\"title\": \"", "\"title\": \"old ", 1);
    std::fs::write(&file, &stale).unwrap();
    let (code, stdout, stderr) = otel_dpia(&["schema", "--out", out_arg, "--check"]);
    assert_eq!(code, 1, "a stale schema fails the check: {stderr}");
    assert!(!stdout.contains(SCHEMA_FILE_NAME), "{stdout}");
    let shown = format!("{}:3:1: warning[OD407]", file.display());
    assert!(stderr.contains(&shown), "{stderr}");
    assert!(stderr.contains("otel-dpia schema"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        stale,
        "--check writes nothing"
    );
}

#[test]
fn check_fails_when_the_file_is_missing_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("schemas");
    let (code, _, stderr) = otel_dpia(&["schema", "--out", out.to_str().unwrap(), "--check"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("does not exist"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn every_published_schema_is_fresh() {
    for (name, text) in otel_dpia::schemas::all() {
        let committed = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("schemas")
            .join(name);
        let on_disk = std::fs::read_to_string(&committed).unwrap_or_default();
        assert!(
            on_disk == text,
            "schemas/{name} is stale or missing: run `cargo run -- schema` and commit the result"
        );
    }
}
