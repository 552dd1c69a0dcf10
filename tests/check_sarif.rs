//! The SARIF output validates against the SARIF 2.1.0 JSON Schema (shipped in `tests/data`)
//! and has what GitHub code scanning needs: a rule table with descriptions and help,
//! results with repository-relative locations, and fingerprints that survive line moves.

mod common;
#[path = "check/deployment.rs"]
mod deployment;

use std::path::Path;

use serde_json::Value;

fn sarif_of(dir: &Path, args: &[&str]) -> Value {
    let out = common::run_in(dir, args);
    let (stdout, stderr) = common::texts(&out);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{stderr}");
    serde_json::from_str(&stdout).expect("SARIF is JSON")
}

fn example_sarif() -> Value {
    sarif_of(
        &common::repo_dir(),
        &[
            "check",
            "examples/content-to-us-saas/dpia.yaml",
            "--format",
            "sarif",
            "--repo-root",
            ".",
        ],
    )
}

#[test]
fn sarif_validates_against_the_2_1_0_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(common::repo_dir().join("tests/data/sarif-schema-2.1.0.json"))
            .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft4::new(&schema).expect("the schema compiles");
    for log in [example_sarif(), silenced_sarif()] {
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
}

#[test]
fn sarif_has_what_code_scanning_needs() {
    let log = example_sarif();
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "otel-dpia");
    let rules = driver["rules"].as_array().unwrap();
    assert!(rules.len() >= 12);
    for r in rules {
        for key in ["id", "name"] {
            assert!(r[key].as_str().is_some_and(|s| !s.is_empty()), "{r:#}");
        }
        assert!(
            r["shortDescription"]["text"]
                .as_str()
                .unwrap()
                .ends_with('.')
        );
        assert!(!r["fullDescription"]["text"].as_str().unwrap().is_empty());
        assert!(r["help"]["text"].is_string() && r["help"]["markdown"].is_string());
        let level = r["defaultConfiguration"]["level"].as_str().unwrap();
        assert!(["error", "warning", "note"].contains(&level));
    }
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let id = r["ruleId"].as_str().unwrap();
        assert_eq!(ids[r["ruleIndex"].as_u64().unwrap() as usize], id);
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        assert!(!r["message"]["text"].as_str().unwrap().is_empty());
        let loc = &r["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri.starts_with("examples/content-to-us-saas/"), "{uri}");
        assert!(!uri.contains('\\') && !uri.starts_with('/'), "{uri}");
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(loc["region"]["startColumn"].as_u64().unwrap() >= 1);
        let fp = r["partialFingerprints"]["otelDpiaFinding/v1"]
            .as_str()
            .unwrap();
        assert_eq!(fp.len(), 32);
    }
    let mut fps: Vec<&str> = results
        .iter()
        .map(|r| {
            r["partialFingerprints"]["otelDpiaFinding/v1"]
                .as_str()
                .unwrap()
        })
        .collect();
    fps.sort_unstable();
    fps.dedup();
    assert_eq!(fps.len(), results.len(), "fingerprints are unique");
}

#[test]
fn locations_are_relative_to_the_repository_root() {
    let repo = common::repo_dir();
    let log = sarif_of(
        &repo.join("examples"),
        &[
            "check",
            "content-to-us-saas/dpia.yaml",
            "--format",
            "sarif",
            "--repo-root",
            "..",
        ],
    );
    let uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"]
        .as_str()
        .unwrap();
    assert!(uri.starts_with("examples/content-to-us-saas/"), "{uri}");
}

/// A deployment with a silenced rule and its SARIF log.
fn silenced_sarif() -> Value {
    let d = deployment::Deployment {
        env: vec![deployment::pair("CLAUDE_CODE_ENABLE_TELEMETRY", "0")],
        checks: "checks:\n  DP010:\n    severity: off\n    reason: Covered by DPIA section 4.\n"
            .into(),
        ..Default::default()
    };
    let dir = d.write();
    sarif_of(dir.path(), &["check", "dpia.yaml", "--format", "sarif"])
}

#[test]
fn silenced_findings_carry_a_suppression_with_the_reason() {
    let log = silenced_sarif();
    let results = log["runs"][0]["results"].as_array().unwrap();
    let (dp010, others): (Vec<&Value>, Vec<&Value>) =
        results.iter().partition(|r| r["ruleId"] == "DP010");
    assert!(!dp010.is_empty() && !others.is_empty());
    for r in dp010 {
        assert_eq!(r["suppressions"][0]["kind"], "external");
        assert_eq!(
            r["suppressions"][0]["justification"],
            "Covered by DPIA section 4."
        );
    }
    assert!(others.iter().all(|r| r.get("suppressions").is_none()));
}

#[test]
fn fingerprints_survive_lines_moving() {
    let d = deployment::Deployment {
        env: vec![deployment::pair("CLAUDE_CODE_ENABLE_TELEMETRY", "0")],
        drop_lines: vec!["  name: Acme B.V."],
        ..Default::default()
    };
    let dir = d.write();
    let before = sarif_of(dir.path(), &["check", "dpia.yaml", "--format", "sarif"]);
    let path = dir.path().join("dpia.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        format!("# reviewed by the DPO\n# second comment\n{text}"),
    )
    .unwrap();
    let settings = dir.path().join("managed-settings.json");
    let json = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(&settings, format!("\n\n{json}")).unwrap();
    let after = sarif_of(dir.path(), &["check", "dpia.yaml", "--format", "sarif"]);
    let view = |log: &Value| -> Vec<(String, String, u64)> {
        let mut v: Vec<_> = log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["ruleId"].as_str().unwrap().to_string(),
                    r["partialFingerprints"]["otelDpiaFinding/v1"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let (b, a) = (view(&before), view(&after));
    assert!(b.len() >= 2, "{b:?}");
    assert_eq!(
        b.iter().map(|x| (&x.0, &x.1)).collect::<Vec<_>>(),
        a.iter().map(|x| (&x.0, &x.1)).collect::<Vec<_>>(),
        "same findings, same fingerprints"
    );
    assert!(
        b.iter().zip(&a).all(|(x, y)| x.2 + 2 == y.2),
        "lines moved by two: {b:?} {a:?}"
    );
}

#[test]
fn a_diagnostics_second_place_becomes_a_related_location() {
    // A processor whose settings are partly under a Helm template condition: the analysis
    // treats it as unknown (OD321 at the condition, the definition as second place), which
    // DP009 reports with both places.
    let dir = tempfile::tempdir().unwrap();
    let manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: otel}\ndata:\n  relay: |\n    receivers:\n      otlp: {protocols: {grpc: {endpoint: 0.0.0.0:4317}}}\n    processors:\n      attributes/strip:\n        actions:\n{{- if .Values.strip }}\n          - {key: prompt, action: delete}\n{{- end }}\n          - {key: team, value: a, action: insert}\n    exporters:\n      otlphttp: {endpoint: https://otlp.example.com}\n    service:\n      pipelines:\n        logs: {receivers: [otlp], processors: [attributes/strip], exporters: [otlphttp]}\n";
    std::fs::write(dir.path().join("cm.yaml"), manifest).unwrap();
    let log = sarif_of(
        dir.path(),
        &[
            "check",
            "--collector",
            "cm.yaml",
            "--env",
            "CLAUDE_CODE_ENABLE_TELEMETRY=1",
            "--env",
            "OTEL_LOGS_EXPORTER=otlp",
            "--env",
            "OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4317",
            "--env",
            "OTEL_EXPORTER_OTLP_PROTOCOL=grpc",
            "--format",
            "sarif",
        ],
    );
    let results = log["runs"][0]["results"].as_array().unwrap();
    let template = results
        .iter()
        .find(|r| {
            r["ruleId"] == "DP009" && r["message"]["text"].as_str().unwrap().contains("OD321")
        })
        .unwrap_or_else(|| panic!("{results:#?}"));
    let at = &template["locations"][0]["physicalLocation"];
    assert_eq!(at["artifactLocation"]["uri"], "cm.yaml");
    assert_eq!(at["region"]["startLine"], 11);
    let related = &template["relatedLocations"][0];
    assert_eq!(related["physicalLocation"]["region"]["startLine"], 9);
    assert_eq!(related["message"]["text"], "the component is defined here");
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(common::repo_dir().join("tests/data/sarif-schema-2.1.0.json"))
            .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft4::new(&schema).expect("the schema compiles");
    assert!(validator.is_valid(&log));
}
