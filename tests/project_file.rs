//! The project file `dpia.yaml` through the binary (`otel-dpia settings <file>`) and through
//! `project::load`: every problem reported with file:line in one run, exit code 2 and no
//! output on errors, the shipped examples complete and clean.

use std::path::{Path, PathBuf};
use std::process::Command;

use otel_dpia::diag::{Code, Diagnostics};
use otel_dpia::files::Files;
use otel_dpia::project::{self, LoadedProject};
use otel_dpia::tree::{parse_json, parse_yaml};

const EXAMPLES: [&str; 3] = ["metadata-only", "content-to-us-saas", "dutch-employer"];

/// Output of one run of the binary.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn otel_dpia(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_otel-dpia"))
        .args(args)
        .env_remove("OTEL_DPIA_DIAGNOSTIC_FORMAT")
        .output()
        .expect("the binary runs");
    Run {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// Writes `text` as `dpia.yaml` in a fresh folder and runs `settings` on it, printing
/// diagnostics one per line.
fn settings_on(text: &str) -> (Run, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dpia.yaml");
    std::fs::write(&path, text).unwrap();
    let run = otel_dpia(&[
        "settings",
        path.to_str().unwrap(),
        "--diagnostic-format",
        "short",
    ]);
    (run, dir)
}

/// The diagnostic lines of a failed run, after checking the exit code and that nothing
/// reached standard output.
fn errors(run: &Run) -> Vec<&str> {
    assert_eq!(run.code, 2, "expected exit 2, stderr:\n{}", run.stderr);
    assert_eq!(
        run.stdout, "",
        "no output may be written when the input is bad"
    );
    run.stderr.lines().collect()
}

/// The one diagnostic line at `line` (as `dpia.yaml:LINE:`).
fn at_line<'a>(lines: &[&'a str], line: u32) -> &'a str {
    let tag = format!("dpia.yaml:{line}:");
    let found: Vec<&&str> = lines.iter().filter(|l| l.contains(&tag)).collect();
    assert_eq!(
        found.len(),
        1,
        "one problem expected on line {line}: {lines:#?}"
    );
    found[0]
}

#[test]
fn malformed_yaml_exits_2_naming_file_and_line() {
    let (run, _dir) = settings_on("schema_version: 1\norganisation:\n  name: [Acme\n");
    let lines = errors(&run);
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(lines[0].contains("dpia.yaml:4:"), "{}", lines[0]);
    assert!(lines[0].contains("error[OD103]"), "{}", lines[0]);
}

#[test]
fn unknown_key_names_line_and_suggests_the_known_one() {
    let (run, _dir) = settings_on("schema_version: 1\norgnisation:\n  name: Acme\n");
    let lines = errors(&run);
    let line = at_line(&lines, 2);
    assert!(line.contains("dpia.yaml:2:1: error[OD401]"), "{line}");
    assert!(line.contains("unknown key `orgnisation`"), "{line}");
    assert!(line.contains("did you mean `organisation`"), "{line}");
}

#[test]
fn unknown_key_without_a_close_match_lists_the_allowed_keys() {
    let (run, _dir) = settings_on("schema_version: 1\npolicy:\n  telemetry: off\n");
    let line = at_line(&errors(&run), 3);
    assert!(
        line.contains("unknown key `telemetry` in `policy`"),
        "{line}"
    );
    assert!(
        line.contains("`allowed`, `performance_evaluation`, `min_group_size`"),
        "{line}"
    );
}

#[test]
fn wrong_type_says_what_was_expected_and_what_was_found() {
    let (run, _dir) = settings_on(
        "schema_version: 1\npurposes:\n  id: cost\ndestinations:\n  - host: h\n    retention_days: \"30\"\n    access: all\n",
    );
    let lines = errors(&run);
    let purposes = at_line(&lines, 2);
    assert!(purposes.contains("error[OD402]"), "{purposes}");
    assert!(
        purposes.contains("`purposes`: expected a list, found a mapping"),
        "{purposes}"
    );
    let retention = at_line(&lines, 6);
    assert!(
        retention.contains("expected a whole number, found the text `30`"),
        "{retention}"
    );
    assert!(retention.contains("remove the quotes"), "{retention}");
    let access = at_line(&lines, 7);
    assert!(
        access.contains("`destinations[0].access`: expected a list, found the text `all`"),
        "{access}"
    );
}

#[test]
fn bad_enum_value_lists_allowed_values_and_suggests_one() {
    let (run, _dir) = settings_on(
        "schema_version: 1\npurposes:\n  - id: cost\n    legal_basis: legitimate_interest\n    legitimate_interest: x\ndocuments:\n  languages: [en, fr]\n",
    );
    let lines = errors(&run);
    let basis = at_line(&lines, 4);
    assert!(basis.contains("error[OD403]"), "{basis}");
    assert!(
        basis.contains("`legitimate_interest` is not an allowed value"),
        "{basis}"
    );
    assert!(
        basis.contains("did you mean `legitimate_interests`?"),
        "{basis}"
    );
    assert!(
        basis.contains("`consent`, `contract`, `legal_obligation`, `vital_interests`, `public_task`, `legitimate_interests`"),
        "{basis}"
    );
    let language = at_line(&lines, 7);
    assert!(
        language.contains("`documents.languages[1]`: `fr` is not an allowed value"),
        "{language}"
    );
    assert!(
        language.contains("allowed values: `en`, `nl`, `de`"),
        "{language}"
    );
}

#[test]
fn missing_required_key_points_at_the_entry_that_lacks_it() {
    let (run, _dir) = settings_on(
        "purposes:\n  - description: Cost control\ninputs:\n  collectors:\n    - name: gw\n",
    );
    let lines = errors(&run);
    let top = at_line(&lines, 1);
    assert!(
        top.contains("error[OD404]: required key `schema_version` is missing at the top level"),
        "{top}"
    );
    let purpose = at_line(&lines, 2);
    assert!(
        purpose.contains("required key `id` is missing in `purposes[0]`"),
        "{purpose}"
    );
    let collector = at_line(&lines, 5);
    assert!(
        collector.contains("required key `files` is missing in `inputs.collectors[0]`"),
        "{collector}"
    );
}

#[test]
fn destination_with_neither_exporter_nor_host_is_refused() {
    let (run, _dir) = settings_on(
        "schema_version: 1\ndestinations:\n  - recipient: Vendor Inc.\n    country: US\n",
    );
    let line = at_line(&errors(&run), 3);
    assert!(line.contains("error[OD406]"), "{line}");
    assert!(
        line.contains("`destinations[0]` names neither `exporter` nor `host`"),
        "{line}"
    );
}

#[test]
fn semantic_rules_name_the_offending_value() {
    let (run, _dir) = settings_on(concat!(
        "schema_version: 2\n",
        "purposes:\n",
        "  - id: cost\n",
        "    legal_basis: legitimate_interests\n",
        "  - id: cost\n",
        "destinations:\n",
        "  - host: api.example.com\n",
        "    country: UK\n",
        "    transfer_mechanism: not_applicable\n",
        "    purposes: [costs]\n",
        "  - host: eu.example.com\n",
        "    country: us\n",
    ));
    let lines = errors(&run);
    assert_eq!(lines.len(), 6, "{lines:#?}");
    assert!(at_line(&lines, 1).contains("`schema_version` is 2"));
    assert!(at_line(&lines, 4).contains("no `legitimate_interest` says which interest"));
    assert!(at_line(&lines, 5).contains("the purpose `cost` is already defined on line 3"));
    assert!(at_line(&lines, 8).contains("the ISO 3166-1 code is `GB`"));
    // UK is not an ISO code, so "outside the EEA" cannot be decided for it: no second error.
    assert!(!run.stderr.contains("dpia.yaml:9:"));
    assert!(at_line(&lines, 10).contains("did you mean `cost`?"));
    assert!(at_line(&lines, 12).contains("write it as `US`"));
    assert!(
        lines.iter().all(|l| l.contains("error[OD406]")),
        "{lines:#?}"
    );
}

#[test]
fn every_problem_in_a_file_is_reported_in_one_run() {
    let text = concat!(
        "schema_version: 1\n",            // 1
        "orgnisation:\n",                 // 2  unknown key
        "  name: Acme\n",                 // 3
        "dpo: dpo@acme.example\n",        // 4  wrong type
        "purposes:\n",                    // 5
        "  - id: cost\n",                 // 6
        "    legal_basis: contrakt\n",    // 7  bad enum
        "  - description: no id\n",       // 8  missing id
        "destinations:\n",                // 9
        "  - recipient: X\n",             // 10 neither exporter nor host
        "    purposes: [cots]\n",         // 11 unknown purpose
        "    retention_days: -5\n",       // 12 out of range
        "works_council:\n",               // 13
        "  country: FR\n",                // 14 bad enum
        "policy:\n",                      // 15
        "  performance_evaluation: no\n", // 16 wrong type (YAML 1.2: `no` is text)
    );
    let (run, _dir) = settings_on(text);
    let lines = errors(&run);
    let problem_lines: Vec<u32> = lines
        .iter()
        .map(|l| {
            let rest = l.split_once("dpia.yaml:").unwrap().1;
            rest.split(':').next().unwrap().parse().unwrap()
        })
        .collect();
    assert_eq!(
        problem_lines,
        [2, 4, 7, 8, 10, 11, 12, 14, 16],
        "{lines:#?}"
    );
    let codes = [
        "OD401", "OD402", "OD403", "OD404", "OD406", "OD406", "OD406", "OD403", "OD402",
    ];
    for (line, code) in lines.iter().zip(codes) {
        assert!(
            line.contains(&format!("error[{code}]")),
            "{line} should be {code}"
        );
    }
}

#[test]
fn diagnostics_are_the_same_on_every_run() {
    let text = "schema_version: 1\norgnisation: {}\npolicy: {allowed: everything}\n";
    let (first, _a) = settings_on(text);
    let (second, _b) = settings_on(text);
    let strip = |s: &str| {
        s.lines()
            .map(|l| l.split_once("dpia.yaml").unwrap().1.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&first.stderr), strip(&second.stderr));
    assert_eq!(strip(&first.stderr).len(), 2);
}

#[test]
fn json_diagnostics_carry_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dpia.yaml");
    std::fs::write(
        &path,
        "schema_version: 1\ndocuments:\n  languages: [en, NL]\n",
    )
    .unwrap();
    let run = otel_dpia(&[
        "settings",
        path.to_str().unwrap(),
        "--diagnostic-format",
        "json",
    ]);
    assert_eq!(run.code, 2);
    let items: serde_json::Value = serde_json::from_str(&run.stderr).unwrap();
    let d = &items[0];
    assert_eq!(d["code"], "OD403");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(3), Some(19))
    );
    assert!(d["file"].as_str().unwrap().ends_with("dpia.yaml"));
    assert!(
        d["hint"]
            .as_str()
            .unwrap()
            .starts_with("did you mean `nl`?")
    );
}

fn example_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

fn load_example(name: &str) -> (LoadedProject, Files, Diagnostics) {
    let mut files = Files::new();
    let mut diags = Diagnostics::new();
    let path = example_dir(name).join("dpia.yaml");
    let loaded = project::load(&mut files, &path, &mut diags);
    let loaded = loaded.unwrap_or_else(|| panic!("{name}: {diags:#?}"));
    (loaded, files, diags)
}

#[test]
fn every_example_loads_without_any_diagnostic() {
    for name in EXAMPLES {
        let (loaded, _files, diags) = load_example(name);
        assert!(diags.is_empty(), "{name}: {diags:#?}");
        assert_eq!(loaded.project.schema_version, 1);
        let path = example_dir(name).join("dpia.yaml");
        let run = otel_dpia(&["settings", path.to_str().unwrap()]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        assert!(!run.stderr.contains("error["), "{name}: {}", run.stderr);
    }
}

#[test]
fn every_example_points_editors_at_the_schema() {
    for name in EXAMPLES {
        let text = std::fs::read_to_string(example_dir(name).join("dpia.yaml")).unwrap();
        assert!(
            text.starts_with("# yaml-language-server: $schema=../../schemas/dpia.schema.json\n"),
            "{name}"
        );
        assert!(example_dir(name).join("README.md").is_file(), "{name}");
    }
}

#[test]
fn every_example_names_input_files_that_exist_and_parse() {
    for name in EXAMPLES {
        let (loaded, mut files, _) = load_example(name);
        let inputs = &loaded.project.inputs;
        let mut diags = Diagnostics::new();
        for settings in &inputs.managed_settings {
            let id = files.read(&loaded.dir.join(settings), None).unwrap();
            assert!(
                parse_json(&files, id, &mut diags).is_some(),
                "{name}: {settings}"
            );
        }
        let collector_files = inputs.collectors.iter().flat_map(|c| &c.files);
        for file in collector_files {
            let id = files.read(&loaded.dir.join(file), None).unwrap();
            assert!(
                parse_yaml(&files, id, &mut diags).is_some(),
                "{name}: {file}"
            );
        }
        assert!(diags.is_empty(), "{name}: {diags:#?}");
    }
}

#[test]
fn examples_show_their_deployment_shape() {
    let (meta, _, _) = load_example("metadata-only");
    assert_eq!(
        meta.project.policy.as_ref().unwrap().allowed,
        Some(project::PolicyLevel::MetadataOnly)
    );
    let (saas, _, _) = load_example("content-to-us-saas");
    assert!(saas.project.inputs.collectors.is_empty());
    let us = &saas.project.destinations[0];
    assert_eq!(us.country.as_deref(), Some("US"));
    assert!(!project::is_eea("US") && us.transfer_mechanism.is_some());
    let (nl, _, _) = load_example("dutch-employer");
    let org = nl.project.organisation.as_ref().unwrap();
    assert_eq!(org.country.as_deref(), Some("NL"));
    let gateway = &nl.project.inputs.collectors[1];
    assert_eq!(gateway.files.len(), 2);
    assert!(
        nl.project
            .inputs
            .collectors
            .iter()
            .all(|c| !c.serves.is_empty())
    );
    assert_eq!(nl.project.destinations.len(), 2);
}

#[test]
fn examples_contain_no_literal_tokens() {
    for name in EXAMPLES {
        for entry in std::fs::read_dir(example_dir(name)).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            for line in text.lines() {
                let lower = line.to_lowercase();
                if lower.contains("bearer ") || lower.contains("authorization:") {
                    assert!(line.contains("${env:"), "{}: {line}", path.display());
                }
            }
        }
    }
}

#[test]
fn examples_are_complete_no_fact_is_missing() {
    for name in EXAMPLES {
        let (loaded, _, _) = load_example(name);
        let facts = project::missing_facts(&loaded);
        assert!(facts.is_empty(), "{name}: {facts:#?}");
    }
}

#[test]
fn missing_facts_of_a_near_empty_project_are_listed_where_they_belong() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dpia.yaml");
    std::fs::write(
        &path,
        "schema_version: 1\norganisation:\n  name: Acme B.V.\ndestinations:\n  - exporter: gateway:otlphttp/vendor\n    country: NL\n",
    )
    .unwrap();
    let mut files = Files::new();
    let mut diags = Diagnostics::new();
    let loaded = project::load(&mut files, &path, &mut diags).expect("valid");
    let facts = project::missing_facts(&loaded);
    assert!(
        facts
            .iter()
            .all(|d| d.code == Code::MissingFact && !d.is_error())
    );
    let listed: Vec<(u32, String)> = facts
        .iter()
        .map(|d| {
            let key = d
                .message
                .rsplit_once("(`")
                .unwrap()
                .1
                .trim_end_matches("`)");
            (d.span.unwrap().line, key.to_string())
        })
        .collect();
    let expected = [
        (2, "organisation.country"),
        (2, "organisation.privacy_contact"),
        (2, "organisation.supervisory_authority"),
        (1, "dpo.email"),
        (1, "purposes"),
        (5, "destinations[0].recipient"),
        (5, "destinations[0].role"),
        (5, "destinations[0].retention_days"),
        (5, "destinations[0].access"),
        (1, "works_council.country"),
        (1, "works_council.body"),
        (1, "works_council.status"),
        (1, "policy.performance_evaluation"),
        (1, "documents.languages"),
    ];
    let expected: Vec<(u32, String)> = expected.iter().map(|(l, k)| (*l, k.to_string())).collect();
    assert_eq!(listed, expected);
    // NL is in the EEA, so no transfer mechanism is asked for.
    assert!(
        !listed
            .iter()
            .any(|(_, k)| k.ends_with("transfer_mechanism"))
    );
}

#[test]
fn values_under_env_are_never_quoted_back() {
    let token = "Authorization=Bearer sk-not-real-0123456789";
    let text = format!(
        "schema_version: 1\ninputs:\n  env: \"OTEL_EXPORTER_OTLP_HEADERS={token}\"\n  collectors:\n    - name: gw\n      files: [a.yaml]\n      env: [\"{token}\"]\n"
    );
    let (run, _dir) = settings_on(&text);
    let lines = errors(&run);
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert!(at_line(&lines, 3).contains("`inputs.env`: expected a mapping, found a text value"));
    assert!(at_line(&lines, 7).contains("found a list"));
    assert!(!run.stderr.contains("sk-not-real"), "{}", run.stderr);
}
