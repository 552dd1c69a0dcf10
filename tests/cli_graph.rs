//! `otel-dpia graph` run as a user runs it: exit codes, where problems are reported, and
//! that secrets never reach standard output or standard error.

use std::path::Path;
use std::process::{Command, Output};

const GOOD: &str = "\
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 0.0.0.0:4317
processors:
  batch:
  attributes/strip:
    actions:
      - key: user.email
        action: delete
exporters:
  otlphttp/vendor:
    endpoint: https://otlp.example.com
  debug:
    verbosity: detailed
connectors:
  forward/audit:
service:
  pipelines:
    logs:
      receivers: [otlp]
      processors: [attributes/strip, batch]
      exporters: [otlphttp/vendor, forward/audit]
    logs/audit:
      receivers: [forward/audit]
      exporters: [debug]
    metrics:
      receivers: [otlp]
      exporters: [otlphttp/vendor]
";

/// Runs the binary in `dir` (so paths in the output are the relative ones given).
fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_otel-dpia"))
        .args(args)
        .current_dir(dir)
        .env_remove("OTEL_DPIA_DIAGNOSTIC_FORMAT")
        .output()
        .unwrap()
}

fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_good_configuration_prints_the_graph() {
    let dir = folder(&[("otelcol.yaml", GOOD)]);
    let out = run(dir.path(), &["graph", "--collector", "otelcol.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
    insta::assert_snapshot!(text(&out.stdout));
}

#[test]
fn output_is_identical_from_run_to_run() {
    let dir = folder(&[("otelcol.yaml", GOOD)]);
    for format in ["human", "json", "dot"] {
        let args = ["graph", "--collector", "otelcol.yaml", "--format", format];
        let (a, b) = (run(dir.path(), &args), run(dir.path(), &args));
        assert_eq!(a.stdout, b.stdout, "{format}");
        assert!(!a.stdout.is_empty(), "{format}");
    }
}

#[test]
fn json_output_keeps_order_and_places() {
    let dir = folder(&[("otelcol.yaml", GOOD)]);
    let out = run(
        dir.path(),
        &["graph", "--collector", "otelcol.yaml", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let c = &json["collectors"][0];
    assert_eq!(json["version"], 1);
    assert_eq!(c["files"][0], "otelcol.yaml");
    let logs = &c["pipelines"][0];
    assert_eq!(logs["id"], "logs");
    assert_eq!(logs["processors"]["refs"][0]["id"], "attributes/strip");
    assert_eq!(logs["processors"]["refs"][1]["id"], "batch");
    assert_eq!(logs["processors"]["refs"][0]["at"], "otelcol.yaml:23");
    assert_eq!(c["connector_edges"][0]["from"], "logs");
    assert_eq!(c["connector_edges"][0]["to"], "logs/audit");
    let vendor = c["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == "otlphttp/vendor")
        .unwrap();
    assert_eq!(vendor["normalised_type"], "otlp_http");
    assert_eq!(
        vendor["destination"][0]["value"],
        "https://otlp.example.com"
    );
}

#[test]
fn dot_output_is_a_digraph_with_the_pipeline_edges() {
    let dir = folder(&[("otelcol.yaml", GOOD)]);
    let out = run(
        dir.path(),
        &["graph", "--collector", "otelcol.yaml", "--format", "dot"],
    );
    let dot = text(&out.stdout);
    assert!(dot.starts_with("digraph \"otel-dpia\" {"));
    assert!(dot.contains(
        "\"0/logs/processor/attributes/strip\" -> \"0/logs/processor/batch\" [label=\"logs\"];"
    ));
    assert!(
        dot.contains(
            "\"0/connector/forward/audit\" -> \"0/exporter/debug\" [label=\"logs/audit\"];"
        )
    );
}

#[test]
fn an_undefined_reference_fails_with_its_place_and_no_output() {
    let dir = folder(&[(
        "otelcol.yaml",
        &GOOD.replace("[attributes/strip, batch]", "[attributes/strip, bacth]"),
    )]);
    let out = run(dir.path(), &["graph", "--collector", "otelcol.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = text(&out.stderr);
    assert!(err.contains("otelcol.yaml:23:"), "{err}");
    assert!(err.contains("did you mean `batch`?"), "{err}");
}

#[test]
fn a_connector_used_on_one_side_is_blamed_where_the_pipeline_lists_it() {
    let config = GOOD.replace(
        "    logs/audit:\n      receivers: [forward/audit]\n      exporters: [debug]\n",
        "",
    );
    let dir = folder(&[("otelcol.yaml", &config)]);
    let human = run(dir.path(), &["graph", "--collector", "otelcol.yaml"]);
    assert_eq!(human.status.code(), Some(2));
    let err = text(&human.stderr);
    assert!(err.contains("error[OD309]"), "{err}");
    // The pipeline entry (line 24) is the main place, the definition (line 18) the note.
    assert!(err.contains("--> otelcol.yaml:24:36"), "{err}");
    assert!(
        err.contains("= note: connector `forward/audit` is defined here"),
        "{err}"
    );
    assert!(err.contains("::: otelcol.yaml:18:3"), "{err}");
    assert!(err.contains("18 |   forward/audit:"), "{err}");
    let short = run(
        dir.path(),
        &[
            "graph",
            "--collector",
            "otelcol.yaml",
            "--diagnostic-format",
            "short",
        ],
    );
    let err = text(&short.stderr);
    assert!(
        err.contains("otelcol.yaml:24:36: error[OD309]")
            && err.contains("[connector `forward/audit` is defined here: otelcol.yaml:18:3]"),
        "{err}"
    );
    let json = run(
        dir.path(),
        &[
            "graph",
            "--collector",
            "otelcol.yaml",
            "--diagnostic-format",
            "json",
        ],
    );
    let diags: serde_json::Value = serde_json::from_slice(&json.stderr).unwrap();
    let d = diags
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "OD309")
        .unwrap();
    assert_eq!(d["line"], 24);
    assert_eq!(d["related"][0]["line"], 18);
    assert_eq!(d["related"][0]["file"], "otelcol.yaml");
    assert_eq!(
        d["related"][0]["message"],
        "connector `forward/audit` is defined here"
    );
}

#[test]
fn a_missing_file_reference_fails_naming_file_and_line() {
    let config = GOOD.replace(
        "    verbosity: detailed\n",
        "    verbosity: ${file:verbosity.txt}\n",
    );
    let dir = folder(&[("otelcol.yaml", &config)]);
    let out = run(dir.path(), &["graph", "--collector", "otelcol.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = text(&out.stderr);
    assert!(err.contains("error[OD303]"), "{err}");
    assert!(err.contains("verbosity.txt"), "{err}");
    assert!(err.contains("otelcol.yaml:16:"), "{err}");
    std::fs::write(dir.path().join("verbosity.txt"), "basic\n").unwrap();
    let out = run(dir.path(), &["graph", "--collector", "otelcol.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("verbosity: basic"));
}

#[test]
fn malformed_yaml_fails_with_the_line() {
    let dir = folder(&[("otelcol.yaml", "receivers:\n  otlp:\nexporters: [debug\n")]);
    let out = run(dir.path(), &["graph", "--collector", "otelcol.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = text(&out.stderr);
    assert!(
        err.contains("error[OD103]") && err.contains("otelcol.yaml:"),
        "{err}"
    );
}

#[test]
fn an_unset_variable_is_a_warning_naming_it() {
    let config = GOOD.replace(
        "https://otlp.example.com",
        "https://${env:VENDOR_HOST}/otlp",
    );
    let dir = folder(&[("otelcol.yaml", &config)]);
    let out = run(dir.path(), &["graph", "--collector", "otelcol.yaml"]);
    assert_eq!(out.status.code(), Some(0));
    let err = text(&out.stderr);
    assert!(
        err.contains("warning[OD301]") && err.contains("`VENDOR_HOST`"),
        "{err}"
    );
    assert!(err.contains("otelcol.yaml:14:"), "{err}");
    assert!(text(&out.stdout).contains("endpoint: <unknown: ${env:VENDOR_HOST} unset>"));
    let args = [
        "graph",
        "--collector",
        "otelcol.yaml",
        "--collector-env",
        "VENDOR_HOST=eu.example.com",
    ];
    let out = run(dir.path(), &args);
    assert_eq!(text(&out.stderr), "");
    assert!(text(&out.stdout).contains("endpoint: https://eu.example.com/otlp"));
}

#[test]
fn header_values_and_credentials_never_appear() {
    let config = GOOD.replace(
        "    endpoint: https://otlp.example.com\n",
        "    endpoint: https://user:PW-s3cr3t-1@${env:HOST}/?api_key=QK-s3cr3t-2\n    headers:\n      authorization: \"Bearer HV-s3cr3t-3 ${env:TOKEN}\"\n      x-team: HV-s3cr3t-4\n    api_key: AK-s3cr3t-5\n",
    );
    let dir = folder(&[("otelcol.yaml", &config)]);
    for format in ["human", "json", "dot"] {
        for diagnostics in ["human", "short", "json"] {
            let args = [
                "--diagnostic-format",
                diagnostics,
                "graph",
                "--collector",
                "otelcol.yaml",
                "--format",
                format,
            ];
            let out = run(dir.path(), &args);
            assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
            let all = text(&out.stdout) + &text(&out.stderr);
            assert!(
                !all.contains("s3cr3t"),
                "{format}/{diagnostics} leaks a secret:\n{all}"
            );
            let stderr = text(&out.stderr);
            assert!(
                stderr.contains("TOKEN") && stderr.contains("HOST"),
                "the warnings name the variables"
            );
        }
    }
}

#[test]
fn a_project_file_names_the_collector_and_its_variables() {
    let config = GOOD.replace("https://otlp.example.com", "${env:VENDOR}");
    let project = "schema_version: 1\ninputs:\n  collectors:\n    - name: gateway\n      files: [otelcol.yaml]\n      env:\n        VENDOR: https://vendor.example.com\n";
    let dir = folder(&[("otelcol.yaml", &config), ("dpia.yaml", project)]);
    let out = run(dir.path(), &["graph", "dpia.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("collector `gateway`"), "{stdout}");
    assert!(
        stdout.contains("endpoint: https://vendor.example.com"),
        "{stdout}"
    );
}

#[test]
fn without_a_collector_the_usage_is_explained() {
    let dir = folder(&[]);
    let out = run(dir.path(), &["graph"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = text(&out.stderr);
    assert!(
        err.contains("--collector") && err.contains("inputs.collectors"),
        "{err}"
    );
}
