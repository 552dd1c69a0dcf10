//! `otel-dpia diff` on copies of the bundled metadata-only example: one line of the managed
//! settings turns `OTEL_LOG_USER_PROMPTS` on, and the comparison must name the new
//! category, the destination it reaches and what the change sets in motion.

mod common;

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// Copies the example into `dir/name`, optionally without its collector, with `edit`
/// applied to the managed settings and `facts` to the project file.
fn copy(
    dir: &Path,
    name: &str,
    collector: bool,
    edit: &dyn Fn(String) -> String,
    facts: &dyn Fn(String) -> String,
) {
    let from = common::repo_dir().join("examples/metadata-only");
    let to = dir.join(name);
    std::fs::create_dir_all(&to).unwrap();
    for f in ["managed-settings.json", "otelcol.yaml"] {
        std::fs::copy(from.join(f), to.join(f)).unwrap();
    }
    let settings = std::fs::read_to_string(to.join("managed-settings.json")).unwrap();
    std::fs::write(to.join("managed-settings.json"), edit(settings)).unwrap();
    let mut dpia = std::fs::read_to_string(from.join("dpia.yaml")).unwrap();
    if !collector {
        dpia.truncate(dpia.find("  collectors:").unwrap());
    }
    std::fs::write(to.join("dpia.yaml"), facts(dpia)).unwrap();
}

fn prompts_on(s: String) -> String {
    let on = s.replace(
        r#""OTEL_LOG_USER_PROMPTS": "0""#,
        r#""OTEL_LOG_USER_PROMPTS": "1""#,
    );
    assert_ne!(on, s, "the example sets the gate");
    on
}

fn same(s: String) -> String {
    s
}

fn diff(dir: &Path, args: &[&str]) -> (String, Option<i32>) {
    let mut all = vec!["diff"];
    all.extend_from_slice(args);
    let out = common::run_in(dir, &all);
    let (stdout, stderr) = common::texts(&out);
    assert!(
        out.status.code() != Some(2) || stdout.is_empty(),
        "errors leave stdout empty"
    );
    (
        if out.status.code() == Some(0) {
            stdout
        } else {
            stderr
        },
        out.status.code(),
    )
}

#[test]
fn prompts_turned_on_name_the_category_the_destination_and_the_consequences() {
    let dir = tempfile::tempdir().unwrap();
    copy(dir.path(), "base", false, &same, &same);
    copy(dir.path(), "head", false, &prompts_on, &same);
    let (md, code) = diff(dir.path(), &["base/dpia.yaml", "head/dpia.yaml"]);
    assert_eq!(code, Some(0), "{md}");
    assert!(md.contains("**This change widens**"), "{md}");
    assert!(md.contains("### Data that now leaves the device"), "{md}");
    let row = md
        .lines()
        .find(|l| l.starts_with("| Prompt text (`prompt_content`)"))
        .unwrap_or_else(|| panic!("{md}"));
    assert!(
        row.contains("`direct:otel.lumenwerk.example:4318`"),
        "{row}"
    );
    assert!(
        row.contains("`prompt` in `claude_code.user_prompt`"),
        "{row}"
    );
    assert!(
        md.contains("`OTEL_LOG_USER_PROMPTS`: `false` → `true` (`managed-settings.json:11"),
        "files are named relative to the head project's folder: {md}"
    );
    assert!(
        md.contains("Compared `../base/dpia.yaml` → `dpia.yaml`."),
        "{md}"
    );
    assert!(
        md.contains("GDPR Art. 13(3)") && md.contains("before the change takes effect"),
        "{md}"
    );
    assert!(md.contains("GDPR Art. 35(11)"), "{md}");
    assert!(
        md.contains("BetrVG §87(1) Nr. 6") && md.contains("GBV 2026/04"),
        "{md}"
    );
    assert!(
        !md.contains("WOR art. 27"),
        "the example's works council is German: {md}"
    );
    let (json, _) = diff(
        dir.path(),
        &["base/dpia.yaml", "head/dpia.yaml", "--format", "json"],
    );
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["direction"], "widening");
    let ids: Vec<&str> = v["consequences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["notice", "dpia", "works_council_de"]);
    let states = v["state_changes"].as_array().unwrap();
    assert!(
        states
            .iter()
            .any(|s| s["key"] == "prompt" && s["from"] == "placeholder" && s["to"] == "raw")
    );
}

#[test]
fn with_the_collector_the_gate_change_still_sets_everything_in_motion() {
    // Holds whether or not the collector's processors are modelled: the prompt leaves the
    // laptop for the gateway either way, and the setting is what changed.
    let dir = tempfile::tempdir().unwrap();
    copy(dir.path(), "base", true, &same, &same);
    copy(dir.path(), "head", true, &prompts_on, &same);
    let (md, code) = diff(dir.path(), &["base/dpia.yaml", "head/dpia.yaml"]);
    assert_eq!(code, Some(0), "{md}");
    assert!(
        md.contains("`OTEL_LOG_USER_PROMPTS`: `false` → `true`") && md.contains("— widens"),
        "{md}"
    );
    for law in ["GDPR Art. 13(3)", "GDPR Art. 35(11)", "BetrVG §87(1) Nr. 6"] {
        assert!(md.contains(law), "{law}: {md}");
    }
}

#[test]
fn a_dutch_works_council_must_consent() {
    let dir = tempfile::tempdir().unwrap();
    let dutch = |s: String| {
        s.replace(
            "works_council:\n  country: DE",
            "works_council:\n  country: NL",
        )
    };
    copy(dir.path(), "base", false, &same, &dutch);
    copy(dir.path(), "head", false, &prompts_on, &dutch);
    let (md, _) = diff(dir.path(), &["base/dpia.yaml", "head/dpia.yaml"]);
    assert!(
        md.contains("WOR art. 27(1)") && md.contains("consent is needed before"),
        "{md}"
    );
    assert!(!md.contains("BetrVG"), "{md}");
    let (back, _) = diff(dir.path(), &["head/dpia.yaml", "base/dpia.yaml"]);
    assert!(back.contains("**This change narrows**"), "{back}");
    assert!(
        back.contains("### Data that no longer leaves the device"),
        "{back}"
    );
    assert!(
        back.contains("Update the employee notice") && !back.contains("Re-issue"),
        "{back}"
    );
    assert!(back.contains("inform it of the narrower scope"), "{back}");
}

#[test]
fn facts_changes_are_judged() {
    let dir = tempfile::tempdir().unwrap();
    copy(dir.path(), "base", false, &same, &same);
    let longer = |s: String| {
        s.replacen("retention_days: 30", "retention_days: 365", 1)
            .replacen("    country: DE\n    transfer_mechanism: not_applicable\n    retention_days: 395", "    country: US\n    transfer_mechanism: standard_contractual_clauses\n    retention_days: 395", 1)
    };
    copy(dir.path(), "head", false, &same, &longer);
    let (json, code) = diff(
        dir.path(),
        &["base/dpia.yaml", "head/dpia.yaml", "--format", "json"],
    );
    assert_eq!(code, Some(0), "{json}");
    let v: Value = serde_json::from_str(&json).unwrap();
    let facts = v["facts"].as_array().unwrap();
    let find = |field: &str| {
        facts
            .iter()
            .find(|f| f["field"] == field)
            .unwrap_or_else(|| panic!("{field}: {facts:#?}"))
    };
    assert_eq!(find("retention_days")["to"], "365");
    assert_eq!(find("retention_days")["widening"], true);
    assert_eq!(find("country")["to"], "US");
    assert_eq!(find("country")["widening"], true);
    assert_eq!(v["direction"], "widening");
}

#[test]
fn no_change_sets_nothing_in_motion_and_output_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    copy(dir.path(), "base", true, &same, &same);
    copy(dir.path(), "head", true, &same, &same);
    let (md, code) = diff(dir.path(), &["base/dpia.yaml", "head/dpia.yaml"]);
    assert_eq!(code, Some(0));
    assert!(
        md.contains("**No change**") && !md.contains("sets in motion"),
        "{md}"
    );
    let (a, _) = diff(
        dir.path(),
        &["base/dpia.yaml", "head/dpia.yaml", "--format", "json"],
    );
    let (b, _) = diff(
        dir.path(),
        &["base/dpia.yaml", "head/dpia.yaml", "--format", "json"],
    );
    assert_eq!(a, b);
    assert!(a.contains("\"direction\": \"unchanged\""), "{a}");
}

#[test]
fn wrong_arguments_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let (err, code) = diff(dir.path(), &["only.yaml"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("two project files, or one with `--base`"),
        "{err}"
    );
}

fn git(dir: &Path, args: &[&str]) -> bool {
    Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A repository whose one commit holds the example deployment, with prompts then switched
/// on in the working tree; `None` (and a notice) without git.
fn committed_then_prompts_on() -> Option<tempfile::TempDir> {
    let dir = tempfile::tempdir().unwrap();
    copy(dir.path(), "deploy", true, &same, &same);
    if !git(dir.path(), &["init", "-q"]) {
        eprintln!("notice: git is not available; skipping");
        return None;
    }
    assert!(git(dir.path(), &["add", "-A"]));
    assert!(git(dir.path(), &["commit", "-q", "-m", "base"]));
    let settings = dir.path().join("deploy/managed-settings.json");
    let text = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(&settings, prompts_on(text)).unwrap();
    Some(dir)
}

#[test]
fn base_compares_with_the_project_at_another_commit() {
    let Some(dir) = committed_then_prompts_on() else {
        return;
    };
    let (md, code) = diff(
        dir.path(),
        &["deploy/dpia.yaml", "--base", "HEAD", "--repo-root", "."],
    );
    assert_eq!(code, Some(0), "{md}");
    assert!(
        md.contains("Compared `HEAD:deploy/dpia.yaml` → `deploy/dpia.yaml`."),
        "{md}"
    );
    let (own_folder, _) = diff(dir.path(), &["deploy/dpia.yaml", "--base", "HEAD"]);
    assert!(
        own_folder.contains("Compared `HEAD:deploy/dpia.yaml` → `dpia.yaml`."),
        "without --repo-root the head is named from its own folder: {own_folder}"
    );
    assert!(
        md.contains("**This change widens**") && md.contains("GDPR Art. 35(11)"),
        "{md}"
    );
    let tmp = std::env::temp_dir();
    assert!(
        !md.contains(tmp.to_str().unwrap()),
        "no temporary path: {md}"
    );
    let status = Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&status.stdout).trim(),
        "M deploy/managed-settings.json",
        "the repository is left as it was"
    );
    let (err, code) = diff(dir.path(), &["deploy/dpia.yaml", "--base", "no-such-ref"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("`no-such-ref` is not a commit"), "{err}");
}

/// `diff --base` checks the base out into a temporary folder; neither the comparison nor a
/// problem in the base names it, and an absolute project path from another folder gives
/// the same comparison as a relative one from inside.
#[test]
fn base_never_shows_the_temporary_checkout() {
    let Some(dir) = committed_then_prompts_on() else {
        return;
    };
    let tmp = std::env::temp_dir();
    let tmp = tmp.to_str().unwrap();
    let checkout_root = std::fs::canonicalize(std::env::temp_dir()).unwrap();
    let no_temp = |text: &str| {
        !text.contains(tmp)
            && !text.contains(checkout_root.to_str().unwrap())
            && !text.contains(".tmp")
    };
    let inside = diff(dir.path(), &["deploy/dpia.yaml", "--base", "HEAD"]);
    let absolute = dir.path().join("deploy/dpia.yaml");
    let elsewhere = diff(
        &common::repo_dir(),
        &[absolute.to_str().unwrap(), "--base", "HEAD"],
    );
    assert_eq!(inside.1, Some(0), "{}", inside.0);
    assert_eq!(
        inside, elsewhere,
        "absolute and relative paths compare alike"
    );
    assert!(no_temp(&inside.0), "{}", inside.0);
    for format in ["json", "markdown"] {
        let (out, _) = diff(
            dir.path(),
            &["deploy/dpia.yaml", "--base", "HEAD", "--format", format],
        );
        assert!(no_temp(&out), "{out}");
    }

    // A base whose collector configuration is broken: the error names the file by commit.
    let collector = dir.path().join("deploy/otelcol.yaml");
    let good = std::fs::read_to_string(&collector).unwrap();
    std::fs::write(&collector, "receivers: [\n").unwrap();
    assert!(git(dir.path(), &["commit", "-q", "-am", "broken"]));
    std::fs::write(&collector, good).unwrap();
    let (err, code) = diff(dir.path(), &["deploy/dpia.yaml", "--base", "HEAD"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("HEAD:deploy/otelcol.yaml:"), "{err}");
    assert!(no_temp(&err), "{err}");
}

/// A change after which `check` fails on the policy names the `fix` command that gets the
/// head back to it, in the comment and in the JSON; a head that passes names none.
#[test]
fn a_change_that_breaks_the_policy_names_the_fix_command() {
    let dir = tempfile::tempdir().unwrap();
    copy(dir.path(), "base", false, &same, &same);
    copy(dir.path(), "head", false, &prompts_on, &same);
    let (md, code) = diff(
        dir.path(),
        &["base/dpia.yaml", "head/dpia.yaml", "--repo-root", "."],
    );
    assert_eq!(code, Some(0), "{md}");
    assert!(
        md.contains("**`check` fails on this change** (DP002"),
        "{md}"
    );
    assert!(
        md.contains("`otel-dpia fix head/dpia.yaml --policy metadata_only`"),
        "{md}"
    );
    let (json, _) = diff(
        dir.path(),
        &[
            "base/dpia.yaml",
            "head/dpia.yaml",
            "--format",
            "json",
            "--repo-root",
            ".",
        ],
    );
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v["fix"]["command"],
        "otel-dpia fix head/dpia.yaml --policy metadata_only"
    );
    assert!(
        v["fix"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "DP002")
    );

    // The same project with a policy that allows content: nothing for `fix` to do.
    let allow = |s: String| s.replace("allowed: metadata_only", "allowed: content");
    copy(dir.path(), "open", false, &prompts_on, &allow);
    let (json, _) = diff(
        dir.path(),
        &["base/dpia.yaml", "open/dpia.yaml", "--format", "json"],
    );
    let v: Value = serde_json::from_str(&json).unwrap();
    assert!(v.get("fix").is_none(), "{v}");
}
