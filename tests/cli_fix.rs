//! `otel-dpia fix` through the binary, on copies of the bundled examples and the real
//! captures: after the fix the re-analysis holds the policy, the collectors still load and
//! still deliver usage, comments survive, a second run changes nothing, and real captures
//! run through the fixed collector carry no content.

mod common;

use std::path::{Path, PathBuf};

use common::{repo_dir, run_in, shared_dir, texts};
use serde_json::Value;

/// Content categories: none may arrive readable under `metadata_only`.
const CONTENT: &[&str] = &[
    "prompt_content",
    "response_content",
    "tool_input",
    "tool_output",
    "file_paths",
    "file_contents",
    "commands",
    "unknown",
];

/// Copies an example into a fresh folder.
fn copy_example(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(repo_dir().join("examples").join(name)).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    let project = dir.path().join("dpia.yaml");
    (dir, project)
}

fn fix(dir: &Path, extra: &[&str]) -> (Option<i32>, String, String) {
    let mut args = vec!["fix", "dpia.yaml", "--policy", "metadata_only"];
    args.extend_from_slice(extra);
    let out = run_in(dir, &args);
    let (stdout, stderr) = texts(&out);
    (out.status.code(), stdout, stderr)
}

fn analyze(dir: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["analyze", "dpia.yaml", "--format", "json"];
    args.extend_from_slice(extra);
    let out = run_in(dir, &args);
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

fn readable(a: &Value) -> bool {
    !matches!(a["state"].as_str(), Some("hashed" | "placeholder"))
}

/// What a telemetry destination off the device (not a vendor flow) may receive against
/// `metadata_only`, for the records of `source`: one line per problem.
fn beyond_policy(map: &Value, source: &str) -> Vec<String> {
    let mut out = Vec::new();
    for d in map["destinations"].as_array().unwrap() {
        let id = d["id"].as_str().unwrap();
        if d["leaves_device"] != true || id.starts_with("vendor:") {
            continue;
        }
        for r in d["records"].as_array().unwrap() {
            if r["source"] != source {
                continue;
            }
            for a in r["attributes"].as_array().unwrap() {
                let cat = a["category"].as_str().unwrap();
                let direct = matches!(cat, "direct_identifier" | "contact_email");
                if readable(a) && (CONTENT.contains(&cat) || direct) {
                    out.push(format!("{id}: {} {} {cat}", r["name"], a["key"]));
                }
            }
            // Unnamed keys count when they may hold more than metadata.
            let metadata = [
                "technical_metadata",
                "timing",
                "usage_and_cost",
                "admin_resource_attributes",
            ];
            for u in r["unknown_keys"].as_array().unwrap() {
                let cats = u["categories"].as_array().unwrap();
                if cats
                    .iter()
                    .any(|c| !metadata.contains(&c.as_str().unwrap()))
                {
                    out.push(format!("{id}: {} keys of unknown name {cats:?}", r["name"]));
                }
            }
        }
    }
    out
}

fn comments(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| l.trim_start().starts_with('#'))
        .collect()
}

/// Where the collector `fix --gateway` writes for the example without one will listen.
const GATEWAY: &str = "https://otel-gateway.nordkante.example:4318";
/// That collector, declared for the commands that read the fixed deployment.
const DECLARED: &[&str] = &[
    "--collector",
    "gateway@https://otel-gateway.nordkante.example:4318=otelcol-gateway.yaml",
];

/// Every example, with what `fix` needs beyond the project file and what reading the
/// fixed deployment needs: the one without a collector gets one with `--gateway`.
fn examples() -> Vec<(&'static str, Vec<&'static str>, Vec<&'static str>)> {
    vec![
        ("metadata-only", vec![], vec![]),
        ("dutch-employer", vec![], vec![]),
        ("three-agents", vec![], vec![]),
        (
            "content-to-us-saas",
            vec!["--gateway", GATEWAY],
            DECLARED.to_vec(),
        ),
    ]
}

#[test]
fn every_example_meets_metadata_only_after_the_fix() {
    for (example, extra, declared) in examples() {
        let (dir, _) = copy_example(example);
        let originals: Vec<(PathBuf, String)> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.extension()
                    .is_some_and(|e| e == "yaml" || e == "json" || e == "toml")
            })
            .map(|p| {
                let t = std::fs::read_to_string(&p).unwrap();
                (p, t)
            })
            .collect();
        let mut first = vec!["--write"];
        first.extend_from_slice(&extra);
        let (code, stdout, stderr) = fix(dir.path(), &first);
        assert!(matches!(code, Some(0 | 1)), "{example}: {stderr}");
        // The metadata-only example's inputs are what `fix` wrote (its README says so).
        let expected = if example == "metadata-only" {
            "No change needed."
        } else {
            "transform/otel-dpia"
        };
        assert!(stdout.contains(expected), "{example}: {stdout}");

        let map = analyze(dir.path(), &declared);
        for source in ["claude-code", "codex", "gemini-cli"] {
            let left = beyond_policy(&map, source);
            assert!(left.is_empty(), "{example}, {source}: {left:#?}");
        }
        assert_eq!(code, Some(0), "{example}: the policy holds: {stdout}");

        // The collector still loads, and usage still arrives.
        let mut graph = vec!["graph", "dpia.yaml"];
        graph.extend_from_slice(&declared);
        let graph = run_in(dir.path(), &graph);
        assert_eq!(
            graph.status.code(),
            Some(0),
            "{example}: {}",
            texts(&graph).1
        );
        let usage = ["claude_code.token.usage", "claude_code.cost.usage"];
        for metric in usage {
            let arrives = map["destinations"].as_array().unwrap().iter().any(|d| {
                d["leaves_device"] == true
                    && d["records"].as_array().unwrap().iter().any(|r| {
                        r["name"] == metric
                            && r["attributes"]
                                .as_array()
                                .unwrap()
                                .iter()
                                .any(|a| a["key"] == "model")
                    })
            });
            assert!(arrives, "{example}: {metric} with its model still arrives");
        }
        let api = map["destinations"].as_array().unwrap().iter().any(|d| {
            d["records"].as_array().unwrap().iter().any(|r| {
                r["name"] == "claude_code.api_request"
                    && ["cost_usd", "duration_ms", "input_tokens"].iter().all(|k| {
                        r["attributes"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .any(|a| a["key"] == *k)
                    })
            })
        });
        assert!(
            api,
            "{example}: api_request keeps cost, duration and tokens"
        );

        // Comments of the original survive.
        for (path, before) in &originals {
            let after = std::fs::read_to_string(path).unwrap();
            for c in comments(before) {
                assert!(after.contains(c), "{example}: comment lost: {c}");
            }
        }

        // A second run changes nothing.
        let snapshot: Vec<String> = originals
            .iter()
            .map(|(p, _)| std::fs::read_to_string(p).unwrap())
            .collect();
        let mut second = first.clone();
        second.extend_from_slice(&declared);
        let (_, again, _) = fix(dir.path(), &second);
        assert!(again.contains("No change needed."), "{example}: {again}");
        let now: Vec<String> = originals
            .iter()
            .map(|(p, _)| std::fs::read_to_string(p).unwrap())
            .collect();
        assert_eq!(snapshot, now, "{example}: the second fix changed files");
    }
}

/// The keys a source's catalogue knows as content. None may arrive, not even as the
/// constant a client sends in its place when its gate is off.
fn content_keys(source: &str) -> Vec<String> {
    let out = run_in(
        &repo_dir(),
        &["catalogue", "--source", source, "--format", "json"],
    );
    let c: Value = serde_json::from_str(&texts(&out).0).unwrap();
    let mut keys: Vec<String> = c["records"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["attributes"].as_array().unwrap().iter())
        .filter(|a| a["kind"] == "content")
        .filter_map(|a| a["key"].as_str().map(str::to_string))
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Every attribute (key and OTLP value) anywhere in an OTLP/JSON value.
fn attributes(v: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    match v {
        Value::Object(m) => {
            if let (Some(Value::String(k)), Some(value)) = (m.get("key"), m.get("value")) {
                out.push((k.clone(), value.clone()));
            }
            for x in m.values() {
                out.extend(attributes(x));
            }
        }
        Value::Array(a) => a.iter().for_each(|x| out.extend(attributes(x))),
        _ => {}
    }
    out
}

/// Every OTLP capture of a source's fixtures: JSON files named by their signal.
fn captures(shared: &Path, source: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(versions) = std::fs::read_dir(shared.join(source).join("fixtures")) else {
        return out;
    };
    for v in versions {
        let Ok(scenarios) = std::fs::read_dir(v.unwrap().path()) else {
            continue;
        };
        for s in scenarios {
            let Ok(files) = std::fs::read_dir(s.unwrap().path().join("raw")) else {
                continue;
            };
            for f in files {
                let f = f.unwrap().path();
                let name = f.file_name().unwrap().to_string_lossy().into_owned();
                let otlp = ["logs-", "metrics-", "traces-"]
                    .iter()
                    .any(|p| name.starts_with(p));
                if otlp && f.extension().is_some_and(|e| e == "json") {
                    out.push(f);
                }
            }
        }
    }
    out.sort();
    out
}

/// The number of records (data points, log records, spans) in an OTLP/JSON value.
fn records_in(v: &Value) -> usize {
    match v {
        Value::Object(m) => m
            .iter()
            .map(|(k, x)| match (k.as_str(), x) {
                ("dataPoints" | "logRecords" | "spans", Value::Array(a)) => a.len(),
                _ => records_in(x),
            })
            .sum(),
        Value::Array(a) => a.iter().map(records_in).sum(),
        _ => 0,
    }
}

#[test]
fn real_captures_through_each_fixed_collector_carry_no_content_and_still_arrive() {
    let Some(shared) = shared_dir() else { return };
    let mut seen = 0;
    for (example, extra, declared) in examples() {
        let sources: &[&str] = if example == "three-agents" {
            &["claude-code", "codex", "gemini-cli"]
        } else {
            &["claude-code"]
        };
        let (before, _) = copy_example(example);
        let (dir, _) = copy_example(example);
        let mut first = vec!["--write"];
        first.extend_from_slice(&extra);
        let (code, stdout, stderr) = fix(dir.path(), &first);
        assert_eq!(code, Some(0), "{example}: {stdout}{stderr}");
        for source in sources {
            let keys = content_keys(source);
            assert!(keys.len() > 3, "{source}: content keys found");
            for c in captures(&shared, source) {
                let simulate = |at: &Path, more: &[&str]| {
                    let mut args = vec!["simulate", "dpia.yaml", "--otlp", c.to_str().unwrap()];
                    args.extend_from_slice(more);
                    let out = run_in(at, &args);
                    let (stdout, stderr) = texts(&out);
                    match out.status.code() {
                        Some(0) => Some(serde_json::from_str::<Value>(&stdout).unwrap()),
                        // A signal the deployment does not export (traces, mostly).
                        Some(2) if stderr.contains("nothing receives") => None,
                        _ => panic!("{}: {stderr}", c.display()),
                    }
                };
                let (v, unfixed) = match (
                    simulate(dir.path(), &declared),
                    simulate(before.path(), &[]),
                ) {
                    (None, None) => continue,
                    // Not received on one side: nothing arrives there.
                    (v, u) => {
                        let none = || serde_json::json!({ "destinations": [] });
                        (v.unwrap_or_else(none), u.unwrap_or_else(none))
                    }
                };
                let mut arrived = 0;
                for d in v["destinations"].as_array().unwrap() {
                    for (k, value) in attributes(&d["otlp"]) {
                        assert!(
                            !keys.contains(&k),
                            "{example}: {}: `{k}` reaches {} as {value}",
                            c.display(),
                            d["id"]
                        );
                    }
                    arrived += records_in(&d["otlp"]);
                }
                // No over-deletion: what arrived before the fix still arrives (a batch the
                // hashes could not take would be dropped whole).
                if records_in(&unfixed["destinations"]) > 0 {
                    assert!(arrived > 0, "{example}: nothing of {} arrives", c.display());
                }
                seen += 1;
            }
        }
    }
    assert!(seen > 40, "the captures were found ({seen})");
}

#[test]
fn out_writes_the_files_and_a_diff_without_paths_or_secrets() {
    let (dir, _) = copy_example("content-to-us-saas");
    let out = dir.path().join("fixed");
    let (code, stdout, stderr) = fix(dir.path(), &["--out", out.to_str().unwrap()]);
    // The client sends straight to the vendor: no collector to fix, so something remains.
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stdout.contains("Not fixable by configuration"), "{stdout}");
    let diff = std::fs::read_to_string(out.join("fix.diff")).unwrap();
    assert!(diff.starts_with("--- a/managed-settings.json\n"), "{diff}");
    assert!(
        diff.contains("+    \"OTEL_LOG_USER_PROMPTS\": \"0\","),
        "{diff}"
    );
    for text in [&diff, &stdout] {
        assert!(!text.contains("PLACEHOLDER-NOT-A-REAL-KEY"), "{text}");
        assert!(!text.contains(dir.path().to_str().unwrap()), "{text}");
    }
    let fixed = std::fs::read_to_string(out.join("managed-settings.json")).unwrap();
    let v: Value = serde_json::from_str(&fixed).unwrap();
    assert_eq!(v["env"]["OTEL_LOG_TOOL_DETAILS"], "0");
    // The original is untouched without --write.
    let original = std::fs::read_to_string(dir.path().join("managed-settings.json")).unwrap();
    assert!(original.contains("\"OTEL_LOG_USER_PROMPTS\": \"1\""));
}

#[test]
fn without_a_policy_or_with_bad_input_it_exits_2() {
    let out = run_in(
        &repo_dir(),
        &["fix", "--collector", "examples/metadata-only/otelcol.yaml"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(texts(&out).0.is_empty());
    let out = run_in(
        &repo_dir(),
        &[
            "fix",
            "--policy",
            "metadata_only",
            "--collector",
            "missing.yaml",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn codex_requirements_get_their_otel_gates_pinned() {
    let (dir, _) = copy_example("three-agents");
    let req = dir.path().join("codex-requirements.toml");
    let text = std::fs::read_to_string(&req).unwrap();
    let opened = text
        .replace("log_user_prompt = false", "log_user_prompt = true")
        .replace("log_agent_responses = false\n", "");
    std::fs::write(&req, &opened).unwrap();
    let (code, _, stderr) = fix(dir.path(), &["--write"]);
    assert!(matches!(code, Some(0 | 1)), "{stderr}");
    let fixed = std::fs::read_to_string(&req).unwrap();
    assert!(fixed.contains("log_user_prompt = false\n"), "{fixed}");
    assert!(fixed.contains("log_agent_responses = false\n"), "{fixed}");
    assert!(
        fixed.starts_with("# /etc/codex/requirements.toml"),
        "{fixed}"
    );
}

#[test]
fn the_reanalysis_reads_the_changed_file_of_a_managed_settings_folder() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("claude-code");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(
        repo_dir().join("examples/content-to-us-saas/managed-settings.json"),
        folder.join("managed-settings.json"),
    )
    .unwrap();
    let out = run_in(
        dir.path(),
        &[
            "fix",
            "--managed-settings",
            "claude-code",
            "--policy",
            "metadata_only",
        ],
    );
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let remains = stdout.split("still does not hold for:").nth(1).unwrap();
    assert!(!remains.contains("prompt_content"), "{remains}");
    assert!(remains.contains("direct_identifier"), "{remains}");
}

#[test]
fn gemini_system_settings_get_their_telemetry_gates_pinned() {
    let (dir, _) = copy_example("three-agents");
    let settings = dir.path().join("gemini-system-settings.json");
    let text = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(
        &settings,
        text.replace("\"logPrompts\": false", "\"logPrompts\": true"),
    )
    .unwrap();
    let (code, stdout, stderr) = fix(dir.path(), &["--write"]);
    assert!(matches!(code, Some(0 | 1)), "{stderr}");
    assert!(
        stdout.contains("`telemetry.logPrompts` = false"),
        "{stdout}"
    );
    let fixed = std::fs::read_to_string(&settings).unwrap();
    assert_eq!(fixed, text, "only the one value changes back");
}

/// A folder with the metadata-only example's managed settings, which send to
/// `https://otel.lumenwerk.example:4318`.
fn with_managed_settings() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        repo_dir().join("examples/metadata-only/managed-settings.json"),
        dir.path().join("managed-settings.json"),
    )
    .unwrap();
    dir
}

#[test]
fn a_processor_the_analysis_does_not_model_after_the_fix_is_named_as_the_reason() {
    let dir = with_managed_settings();
    let collector = "\
receivers:
  otlp:
    protocols:
      http:
        endpoint: 0.0.0.0:4318
processors:
  batch: {}
  acme/scrubber:
    mode: strict
exporters:
  otlphttp/backend:
    endpoint: https://backend.example
service:
  pipelines:
    logs:
      receivers: [otlp]
      processors: [batch, acme/scrubber]
      exporters: [otlphttp/backend]
";
    std::fs::write(dir.path().join("otelcol.yaml"), collector).unwrap();
    let out = run_in(
        dir.path(),
        &[
            "fix",
            "--managed-settings",
            "managed-settings.json",
            "--collector",
            "gw@https://otel.lumenwerk.example:4318=otelcol.yaml",
            "--policy",
            "metadata_only",
        ],
    );
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let remains = stdout.split("still does not hold for:").nth(1).unwrap();
    assert!(
        remains.contains("behind `processors.acme/scrubber` (otelcol.yaml:27 after the changes)"),
        "{remains}"
    );
    assert!(remains.contains("does not model"), "{remains}");
    // The changed file was read from a temporary folder; no trace of it is shown.
    assert!(!stdout.contains(&std::env::temp_dir().to_string_lossy().to_string()));
    assert!(!stdout.contains("0-otelcol.yaml"), "{stdout}");
}

#[test]
fn gateway_puts_a_collector_between_the_client_and_the_vendor_and_moves_the_key_out() {
    let (dir, _) = copy_example("content-to-us-saas");
    let (code, stdout, stderr) = fix(dir.path(), &["--write", "--gateway", GATEWAY]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    let collector = std::fs::read_to_string(dir.path().join("otelcol-gateway.yaml")).unwrap();
    let settings = std::fs::read_to_string(dir.path().join("managed-settings.json")).unwrap();
    for text in [&collector, &settings, &stdout] {
        assert!(!text.contains("PLACEHOLDER-NOT-A-REAL-KEY"), "{text}");
    }
    assert!(
        collector.contains("x-honeycomb-team: ${env:OTEL_DPIA_HEADER_X_HONEYCOMB_TEAM}"),
        "{collector}"
    );
    assert!(collector.contains("logs_endpoint: https://api.honeycomb.io/v1/logs"));
    let v: Value = serde_json::from_str(&settings).unwrap();
    assert_eq!(v["env"]["OTEL_EXPORTER_OTLP_ENDPOINT"], GATEWAY);
    assert!(
        v["env"].get("OTEL_EXPORTER_OTLP_HEADERS").is_none(),
        "{settings}"
    );
    assert!(
        stdout.contains("now through `otlphttp/vendor-logs`"),
        "{stdout}"
    );
    assert!(!stdout.contains("Not fixable by configuration"), "{stdout}");

    // With the new collector declared, `check` no longer finds the written-out key, and
    // the destinations are the collector's exporters.
    let mut args = vec!["check", "dpia.yaml", "--format", "short"];
    args.extend_from_slice(DECLARED);
    let out = run_in(dir.path(), &args);
    let (_, err) = texts(&out);
    assert!(!err.contains("DP008"), "{err}");
    assert!(!err.contains("direct:api.honeycomb.io"), "{err}");

    // The client already sending to the address, and an address that is none.
    let (code, stdout, _) = fix(dir.path(), &["--gateway", GATEWAY]);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(
        stdout.contains("declare the collector that listens there"),
        "{stdout}"
    );
    let (code, _, stderr) = fix(dir.path(), &["--gateway", "otel-gateway"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("http(s)://HOST:PORT"), "{stderr}");
}

/// `fix` on a collector deployed as a Kubernetes manifest: the processor goes into the
/// configuration where the manifest holds it, the rest of the manifest stays as written,
/// the policy holds, and a second run changes nothing.
fn fixes_a_manifest(dir: &Path, file: &str, choice: &str) -> String {
    let original = std::fs::read_to_string(dir.join(file)).unwrap();
    let collector = format!("gw@https://otel.lumenwerk.example:4318={file}{choice}");
    let args = [
        "fix",
        "--managed-settings",
        "managed-settings.json",
        "--collector",
        collector.as_str(),
        "--policy",
        "metadata_only",
        "--write",
    ];
    let out = run_in(dir, &args);
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("transform/otel-dpia"), "{stdout}");
    let fixed = std::fs::read_to_string(dir.join(file)).unwrap();
    for c in comments(&original) {
        assert!(fixed.contains(c), "comment lost: {c}");
    }
    let graph = run_in(dir, &["graph", "--collector", &format!("{file}{choice}")]);
    assert_eq!(graph.status.code(), Some(0), "{}", texts(&graph).1);
    let again = run_in(dir, &args);
    assert!(
        texts(&again).0.contains("No change needed."),
        "{}",
        texts(&again).0
    );
    fixed
}

#[test]
fn collectors_deployed_as_a_configmap_or_an_operator_resource_are_fixed_in_place() {
    let dir = with_managed_settings();
    let cr = "\
# The gateway, run by the OpenTelemetry Operator.
apiVersion: opentelemetry.io/v1beta1
kind: OpenTelemetryCollector
metadata:
  name: gateway
spec:
  mode: deployment
  config:
    receivers:
      otlp:
        protocols:
          http:
            endpoint: 0.0.0.0:4318
    processors:
      batch: {}
    exporters:
      otlphttp/backend:
        endpoint: https://backend.example # the vendor
    service:
      pipelines:
        logs:
          receivers: [otlp]
          processors: [batch]
          exporters: [otlphttp/backend]
  replicas: 2
";
    std::fs::write(dir.path().join("collector.yaml"), cr).unwrap();
    let fixed = fixes_a_manifest(dir.path(), "collector.yaml", "");
    assert!(
        fixed.ends_with("          exporters: [otlphttp/backend]\n  replicas: 2\n"),
        "{fixed}"
    );
    assert!(
        fixed.contains("          processors: [transform/otel-dpia, batch]\n"),
        "{fixed}"
    );

    // A real ConfigMap from the reference corpus, chosen by `FILE#NAME/KEY` too.
    let Some(shared) = shared_dir() else { return };
    let name = "cc__KB1SLN-Labs__claude-code-observability__k8s__otel-collector.yaml";
    std::fs::copy(
        shared.join("collector/corpus").join(name),
        dir.path().join("configmap.yaml"),
    )
    .unwrap();
    let fixed = fixes_a_manifest(
        dir.path(),
        "configmap.yaml",
        "#otel-collector-config/config.yaml",
    );
    assert!(
        fixed.contains("    processors:\n      transform/otel-dpia:\n"),
        "{fixed}"
    );
    assert!(
        fixed.starts_with("---\napiVersion: v1\nkind: ConfigMap\n"),
        "{fixed}"
    );
}
