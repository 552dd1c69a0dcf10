//! `otel-dpia check` as CI uses it: exit codes by `--fail-on`, the project file's `checks:`
//! decisions (with their mandatory reason), deterministic output, and the stale-documents
//! rule fed through the library.

mod common;
#[path = "check/deployment.rs"]
mod deployment;

use deployment::{Deployment, check, findings, of, pair};
use otel_dpia::checks::{self, Context, StaleDocument};

/// Facts for the vendor's error reporting, which has no host to match.
const ERROR_REPORTING_FACTS: &str = "  - exporter: vendor:vendor_error_reporting
    recipient: Anthropic PBC
    role: controller
    country: US
    transfer_mechanism: eu_us_data_privacy_framework
    retention_days: 90
    access: [vendor]
    purposes: [cost]
";

/// A deployment whose only findings are DP010 warnings (vendor telemetry left on).
fn vendor_on() -> Deployment {
    Deployment {
        env: vec![pair("CLAUDE_CODE_ENABLE_TELEMETRY", "0")],
        destinations: ERROR_REPORTING_FACTS.to_string(),
        policy: "content",
        ..Deployment::default()
    }
}

#[test]
fn exit_codes_follow_fail_on() {
    let dir = vendor_on().write();
    let code = |more: &[&str]| check(dir.path(), more).status.code();
    let (text, _) = common::texts(&check(dir.path(), &[]));
    assert_eq!(
        code(&[]),
        Some(0),
        "warnings do not fail by default: {text}"
    );
    assert_eq!(code(&["--fail-on", "warning"]), Some(1));
    assert_eq!(code(&["--fail-on", "info"]), Some(1));
    assert_eq!(code(&["--fail-on", "never"]), Some(0));
    let clean = Deployment::default().write();
    assert_eq!(
        check(clean.path(), &["--fail-on", "info"]).status.code(),
        Some(0)
    );
    let out = check(dir.path(), &["--fail-on", "warning"]);
    let (stdout, _) = common::texts(&out);
    assert!(
        stdout.contains("warning[DP010] vendor-telemetry-on"),
        "{stdout}"
    );
    assert!(stdout.ends_with("(fails on: warning)\n"), "{stdout}");
}

#[test]
fn the_project_file_can_raise_or_silence_a_rule_with_a_reason() {
    let mut raised = vendor_on();
    raised.checks = "checks:\n  DP010:\n    severity: error\n    reason: Vendor telemetry is not covered by the DPIA.\n".into();
    let dir = raised.write();
    assert_eq!(check(dir.path(), &[]).status.code(), Some(1));
    let found = findings(&raised);
    assert!(of(&found, "DP010").iter().all(|f| f["severity"] == "error"));
    let raised_dp010 = of(&found, "DP010");
    assert!(
        raised_dp010
            .iter()
            .all(|f| f["decided_at"] == "dpia.yaml:41"),
        "the `checks.DP010` line is cited: {raised_dp010:#?}"
    );

    let mut silenced = vendor_on();
    silenced.checks = "checks:\n  DP010:\n    severity: off\n    reason: Covered in DPIA section 4.2 (DPO, 2026-03).\n".into();
    let dir = silenced.write();
    let out = check(dir.path(), &["--fail-on", "info"]);
    let (stdout, _) = common::texts(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("Silenced by dpia.yaml") && stdout.contains("DPIA section 4.2"),
        "{stdout}"
    );
    let found = findings(&silenced);
    let dp010 = of(&found, "DP010");
    assert!(!dp010.is_empty());
    assert!(
        dp010
            .iter()
            .all(|f| f["silenced"]["reason"] == "Covered in DPIA section 4.2 (DPO, 2026-03).")
    );
}

#[test]
fn a_decision_without_reason_or_for_an_unknown_rule_is_bad_input() {
    let unknown = Deployment {
        checks: "checks:\n  DP100:\n    severity: off\n    reason: x\n".into(),
        ..Deployment::default()
    };
    let dir = unknown.write();
    let out = check(dir.path(), &[]);
    let (stdout, stderr) = common::texts(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("error[OD403]: `checks.DP100`") && stderr.contains("did you mean `DP010`"),
        "{stderr}"
    );

    let no_reason = Deployment {
        checks: "checks:\n  DP010:\n    severity: off\n".into(),
        ..Deployment::default()
    };
    let dir = no_reason.write();
    let out = check(dir.path(), &[]);
    let (_, stderr) = common::texts(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("reason"), "{stderr}");

    let blank = Deployment {
        checks: "checks:\n  DP010:\n    severity: warning\n    reason: \"  \"\n".into(),
        ..Deployment::default()
    };
    let dir = blank.write();
    let out = check(dir.path(), &[]);
    let (_, stderr) = common::texts(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("`checks.DP010.reason` is empty"),
        "{stderr}"
    );
}

#[test]
fn output_is_byte_identical_across_runs() {
    let repo = common::repo_dir();
    for format in ["human", "short", "json", "sarif"] {
        let args = [
            "check",
            "examples/content-to-us-saas/dpia.yaml",
            "--format",
            format,
        ];
        let a = common::run_in(&repo, &args);
        let b = common::run_in(&repo, &args);
        assert_eq!(a.status.code(), Some(1), "the example has errors");
        assert_eq!(a.stdout, b.stdout, "{format}");
        let text = String::from_utf8_lossy(&a.stdout);
        assert!(
            !text.contains(repo.to_str().unwrap()),
            "{format} shows an absolute path"
        );
        assert!(
            !text.contains("PLACEHOLDER-NOT-A-REAL-KEY"),
            "{format} shows a header value"
        );
    }
}

#[test]
fn stale_documents_become_findings_when_render_provides_them() {
    let dir = Deployment::default().write();
    let args = otel_dpia::cli::InputArgs {
        project: Some(dir.path().join("dpia.yaml")),
        ..Default::default()
    };
    let mut loaded = otel_dpia::cli::load_inputs(&args);
    let analysis =
        otel_dpia::analysis::run::analyze(&loaded.spec, &mut loaded.files, &mut loaded.diagnostics)
            .expect("the deployment analyses");
    let diags: Vec<_> = loaded.diagnostics.iter().cloned().collect();
    let mut ctx = Context::new(&loaded.files, loaded.project.as_ref(), &analysis, &diags);
    let quiet = checks::run(&ctx);
    assert!(
        quiet.iter().all(|f| f.rule.code != "DP012"),
        "no list, no finding"
    );
    let stale = [StaleDocument {
        path: "documents/notice.en.md".into(),
        reason: "differs from what the configuration gives".into(),
    }];
    ctx.stale_documents = Some(&stale);
    let found: Vec<_> = checks::run(&ctx)
        .into_iter()
        .filter(|f| f.rule.code == "DP012")
        .collect();
    assert_eq!(found.len(), 1);
    let at = found[0].location.as_ref().unwrap();
    assert_eq!((at.file.as_str(), at.line), ("documents/notice.en.md", 1));
    ctx.stale_documents = Some(&[]);
    assert!(checks::run(&ctx).iter().all(|f| f.rule.code != "DP012"));
}
