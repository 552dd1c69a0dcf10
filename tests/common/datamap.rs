//! Reading the data map and diagnostics that `otel-dpia analyze --format json` prints, for
//! the tests that run the binary on a deployment written into a temporary folder.

use std::path::Path;

use serde_json::Value;

use super::{run_in, texts};

/// Runs `analyze --format json` with `args` in `dir`; it must exit 0.
pub fn analyze_json(dir: &Path, args: &[&str]) -> Value {
    command_json(dir, "analyze", args, 0)
}

/// Runs `COMMAND --format json ARGS` in `dir`, expecting exit code `code`.
pub fn command_json(dir: &Path, command: &str, args: &[&str], code: i32) -> Value {
    let mut all = vec![command, "--format", "json"];
    all.extend_from_slice(args);
    let out = run_in(dir, &all);
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(code), "{stdout}{stderr}");
    serde_json::from_str(&stdout).expect("JSON on standard output")
}

/// The destination ids, in map order.
pub fn ids(map: &Value) -> Vec<String> {
    map["destinations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect()
}

/// The destination `id`; the test fails when there is none.
pub fn destination<'a>(map: &'a Value, id: &str) -> &'a Value {
    map["destinations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == id)
        .unwrap_or_else(|| panic!("no destination {id}: {:?}", ids(map)))
}

/// The attribute `key` of record `record` at a destination.
pub fn attribute<'a>(dest: &'a Value, record: &str, key: &str) -> Option<&'a Value> {
    dest["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == record)?["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["key"] == key)
}

/// The diagnostic codes the map carries.
pub fn codes(map: &Value) -> Vec<String> {
    map["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

/// The first diagnostic with `code`; the test fails when there is none.
pub fn diagnostic<'a>(map: &'a Value, code: &str) -> &'a Value {
    map["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code}: {:?}", codes(map)))
}

/// Writes a `dpia.yaml` skeleton for the inputs `init_args` name, then renders Markdown in
/// `langs` into `dir/docs`.
pub fn init_and_render(dir: &Path, init_args: &[&str], langs: &str) {
    let mut init = vec!["init"];
    init.extend_from_slice(init_args);
    let out = run_in(dir, &init);
    assert_eq!(out.status.code(), Some(0), "{}", texts(&out).1);
    let args = [
        "render",
        "dpia.yaml",
        "--out",
        "docs",
        "--format",
        "md",
        "--lang",
        langs,
        "--date",
        "2026-12-01",
    ];
    let out = run_in(dir, &args);
    assert_eq!(out.status.code(), Some(0), "{}", texts(&out).1);
}
