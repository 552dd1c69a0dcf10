//! Each check rule triggered by a small deployment, and quiet on one that does not have
//! the problem. The deployments are written as real files and checked by the binary.

mod common;
#[path = "check/deployment.rs"]
mod deployment;

use deployment::{BACKEND_FACTS, Deployment, collector, findings, metrics_to, of, pair, set};

/// Metrics (and, with `logs`, events) sent straight to the internal backend.
fn direct(logs: bool) -> Deployment {
    let mut env = metrics_to("https://otel.acme.example");
    if logs {
        set(&mut env, "OTEL_LOGS_EXPORTER", "otlp");
    }
    Deployment {
        env,
        destinations: BACKEND_FACTS.to_string(),
        policy: "content",
        ..Deployment::default()
    }
}

/// Metrics through a collector at the gateway, with this collector configuration.
fn through(config: String) -> Deployment {
    let mut d = direct(false);
    d.env = metrics_to("https://gateway.acme.example:4318");
    d.collector = Some((config, "https://gateway.acme.example:4318".into()));
    d.destinations = BACKEND_FACTS.to_string();
    d
}

/// An exporter to the internal backend.
const BACKEND: &str = "  otlphttp/backend:\n    endpoint: https://otel.acme.example/otlp\n";

#[test]
fn a_compliant_deployment_has_no_findings() {
    let found = findings(&Deployment::default());
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn dp001_content_reaching_a_destination_off_the_device() {
    let mut d = direct(true);
    d.env.push(pair("OTEL_LOG_USER_PROMPTS", "1"));
    let found = of(&findings(&d), "DP001");
    assert_eq!(found.len(), 1, "{found:#?}");
    let msg = found[0]["message"].as_str().unwrap();
    assert!(msg.contains("direct:otel.acme.example:443"), "{msg}");
    assert!(
        msg.contains("prompt_content (") && msg.contains("`prompt` in `claude_code.user_prompt`"),
        "{msg}"
    );
    assert_eq!(found[0]["file"], "managed-settings.json");
    let related = found[0]["related"].as_array().unwrap();
    assert!(
        related.iter().any(|r| r["message"]
            .as_str()
            .unwrap()
            .contains("OTEL_LOG_USER_PROMPTS=1")),
        "the setting that turned prompts on is cited: {related:#?}"
    );
}

#[test]
fn dp001_is_quiet_for_metrics_and_for_content_kept_on_the_device() {
    assert!(of(&findings(&direct(false)), "DP001").is_empty());
    let mut local = direct(true);
    local.env = metrics_to("http://localhost:4318");
    set(&mut local.env, "OTEL_LOGS_EXPORTER", "otlp");
    local.env.push(pair("OTEL_LOG_USER_PROMPTS", "1"));
    // A file on the laptop stays on the device; a local network listener that no
    // supplied collector describes would count as leaving (it may forward anywhere).
    let config = collector(
        "  file/local:\n    path: /var/log/claude-telemetry.json\n",
        "file/local",
        "batch",
    )
    .replace("metrics:\n", "logs:\n");
    local.collector = Some((config, "http://localhost:4318".into()));
    let found = findings(&local);
    assert!(of(&found, "DP001").is_empty(), "{found:#?}");
}

#[test]
fn dp002_identifiers_beyond_a_metadata_only_policy() {
    let mut d = direct(false);
    d.policy = "metadata_only";
    let found = of(&findings(&d), "DP002");
    assert_eq!(found.len(), 1, "{found:#?}");
    let msg = found[0]["message"].as_str().unwrap();
    assert!(
        msg.contains("`metadata_only`") && msg.contains("direct_identifier"),
        "{msg}"
    );
    let related = found[0]["related"].as_array().unwrap();
    assert!(
        related.iter().any(|r| r["file"] == "dpia.yaml"),
        "{related:#?}"
    );
}

#[test]
fn dp002_is_quiet_when_the_policy_allows_identifiers() {
    let mut d = direct(false);
    d.policy = "identifiers";
    assert!(of(&findings(&d), "DP002").is_empty());
}

#[test]
fn dp003_a_destination_without_facts() {
    let mut d = direct(false);
    d.destinations = String::new();
    let found = of(&findings(&d), "DP003");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("direct:otel.acme.example:443")
    );
    let mut partial = direct(false);
    partial.destinations = BACKEND_FACTS.replace("    retention_days: 90\n", "");
    let found = of(&findings(&partial), "DP003");
    assert_eq!(found.len(), 1, "{found:#?}");
    let msg = found[0]["message"].as_str().unwrap();
    assert!(msg.contains("the retention"), "{msg}");
    assert_eq!(found[0]["file"], "dpia.yaml");
}

#[test]
fn dp003_is_quiet_when_every_destination_has_its_facts() {
    assert!(of(&findings(&direct(false)), "DP003").is_empty());
}

#[test]
fn dp004_a_third_country_without_a_transfer_mechanism() {
    let d = Deployment {
        drop_lines: vec!["    transfer_mechanism: standard_contractual_clauses"],
        ..Deployment::default()
    };
    let found = of(&findings(&d), "DP004");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("US, outside the EEA")
    );
    assert_eq!(found[0]["file"], "dpia.yaml");
    assert_eq!(found[0]["line"], 18, "points at the country line");
}

#[test]
fn dp004_is_quiet_with_a_mechanism_or_inside_the_eea() {
    assert!(of(&findings(&Deployment::default()), "DP004").is_empty());
    assert!(of(&findings(&direct(false)), "DP004").is_empty());
}

#[test]
fn dp005_direct_identifiers_leave_unhashed() {
    let found = of(&findings(&direct(false)), "DP005");
    assert_eq!(found.len(), 1, "{found:#?}");
    let msg = found[0]["message"].as_str().unwrap();
    assert!(msg.contains("contact_email (`user.email`"), "{msg}");
}

#[test]
fn dp005_is_quiet_when_identifiers_stay_on_the_device() {
    let mut d = direct(false);
    d.env = metrics_to("http://localhost:4318");
    // A file on the laptop stays on the device; a local network listener that no
    // supplied collector describes would count as leaving (it may forward anywhere).
    let config = collector(
        "  file/local:\n    path: /var/log/claude-telemetry.json\n",
        "file/local",
        "batch",
    );
    d.collector = Some((config, "http://localhost:4318".into()));
    let found = findings(&d);
    assert!(of(&found, "DP005").is_empty(), "{found:#?}");
}

#[test]
fn dp006_a_debug_exporter_in_a_pipeline_with_personal_data() {
    let exporters = format!("{BACKEND}  debug:\n    verbosity: detailed\n");
    let found = of(
        &findings(&through(collector(
            &exporters,
            "otlphttp/backend, debug",
            "batch",
        ))),
        "DP006",
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["file"], "otelcol.yaml");
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("exporter `debug`")
    );
}

#[test]
fn dp006_is_quiet_when_the_debug_exporter_is_not_in_a_pipeline() {
    let exporters = format!("{BACKEND}  debug:\n    verbosity: detailed\n");
    let found = findings(&through(collector(&exporters, "otlphttp/backend", "batch")));
    assert!(of(&found, "DP006").is_empty(), "{found:#?}");
}

#[test]
fn dp007_plaintext_or_unverified_transport_off_the_device() {
    let exporters = "  otlphttp/backend:\n    endpoint: http://otel.acme.example:4318\n  otlp/grpc:\n    endpoint: otel.acme.example:4317\n    tls:\n      insecure: true\n";
    let d = through(collector(exporters, "otlphttp/backend, otlp/grpc", "batch"));
    let found = of(&findings(&d), "DP007");
    let messages: Vec<&str> = found
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(found.len(), 2, "{messages:#?}");
    assert!(messages.iter().any(|m| m.contains("plain `http://`")));
    assert!(messages.iter().any(|m| m.contains("`tls.insecure: true`")));
    let mut client = direct(false);
    client.env = metrics_to("http://otel.acme.example:4318");
    let found = of(&findings(&client), "DP007");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["file"], "managed-settings.json");
}

#[test]
fn dp007_is_quiet_for_https_and_for_plaintext_on_the_same_machine() {
    let exporters = format!(
        "{BACKEND}  otlp/local:\n    endpoint: localhost:4317\n    tls:\n      insecure: true\n"
    );
    let found = findings(&through(collector(
        &exporters,
        "otlphttp/backend, otlp/local",
        "batch",
    )));
    assert!(of(&found, "DP007").is_empty(), "{found:#?}");
}

/// A credential that must never be printed.
const TOKEN: &str = "tok-3f9a7c0d-never-printed";

#[test]
fn dp008_literal_credentials_are_found_and_never_printed() {
    let exporters = format!(
        "  otlphttp/backend:\n    endpoint: https://otel.acme.example/otlp\n    headers:\n      Authorization: Bearer {TOKEN}\n      X-Scope-OrgID: devtools\n  datadog:\n    api:\n      key: {TOKEN}\n"
    );
    let mut d = through(collector(&exporters, "otlphttp/backend, datadog", "batch"));
    d.env.push(pair(
        "OTEL_EXPORTER_OTLP_HEADERS",
        &format!("x-api-key={TOKEN},x-dataset=claude"),
    ));
    let found = of(&findings(&d), "DP008");
    let keys: Vec<&str> = found
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(found.len(), 3, "{keys:#?}");
    assert!(keys.iter().any(|m| m.contains("headers.Authorization")));
    assert!(keys.iter().any(|m| m.contains("datadog.api.key")));
    assert!(
        keys.iter()
            .any(|m| m.contains("OTEL_EXPORTER_OTLP_HEADERS") && m.contains("x-api-key"))
    );
    assert!(!keys.iter().any(|m| m.contains("X-Scope-OrgID")));
    let dir = d.write();
    for format in ["human", "short", "json", "sarif"] {
        let out = deployment::check(dir.path(), &["--format", format]);
        let (stdout, stderr) = common::texts(&out);
        assert!(
            !stdout.contains(TOKEN) && !stderr.contains(TOKEN),
            "{format} leaks the token"
        );
    }
}

#[test]
fn dp008_is_quiet_for_references_and_non_secret_headers() {
    let exporters = "  otlphttp/backend:\n    endpoint: https://otel.acme.example/otlp\n    headers:\n      Authorization: ${env:BACKEND_TOKEN}\n      X-Scope-OrgID: devtools\n";
    let found = findings(&through(collector(exporters, "otlphttp/backend", "batch")));
    assert!(of(&found, "DP008").is_empty(), "{found:#?}");
}

#[test]
fn dp009_an_unmodelled_processor_makes_the_analysis_conservative() {
    let d = through(collector(
        BACKEND,
        "otlphttp/backend",
        "batch, acmescrubber",
    ));
    let found = of(&findings(&d), "DP009");
    assert!(!found.is_empty());
    assert!(found.iter().all(|f| f["file"] == "otelcol.yaml"));
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("acmescrubber")
    );
}

#[test]
fn dp009_an_unresolved_endpoint_makes_the_analysis_conservative() {
    let exporters = "  otlphttp/backend:\n    endpoint: ${env:BACKEND_URL}\n";
    let found = of(
        &findings(&through(collector(exporters, "otlphttp/backend", "batch"))),
        "DP009",
    );
    assert!(
        found
            .iter()
            .any(|f| f["message"].as_str().unwrap().contains("BACKEND_URL")),
        "{found:#?}"
    );
}

#[test]
fn dp009_is_quiet_when_every_component_is_modelled() {
    let found = findings(&through(collector(BACKEND, "otlphttp/backend", "batch")));
    assert!(of(&found, "DP009").is_empty(), "{found:#?}");
    let unresolved_token = "  otlphttp/backend:\n    endpoint: https://otel.acme.example/otlp\n    headers:\n      Authorization: ${env:BACKEND_TOKEN}\n";
    let d = through(collector(unresolved_token, "otlphttp/backend", "batch"));
    let found = findings(&d);
    assert!(
        of(&found, "DP009").is_empty(),
        "an unset credential changes nothing about the data: {found:#?}"
    );
}

#[test]
fn dp010_vendor_telemetry_and_error_reporting_left_on() {
    let d = Deployment {
        env: vec![pair("DISABLE_TELEMETRY", "1")],
        ..Deployment::default()
    };
    let found = of(&findings(&d), "DP010");
    let ids: Vec<&str> = found
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(found.len(), 1, "only error reporting still runs: {ids:#?}");
    assert!(
        ids[0].starts_with("vendor:vendor_error_reporting"),
        "{ids:#?}"
    );
    assert!(
        found[0]["hint"]
            .as_str()
            .unwrap()
            .contains("DISABLE_ERROR_REPORTING")
    );
    assert_eq!(found[0]["file"], "managed-settings.json");
}

#[test]
fn dp010_is_quiet_when_non_essential_traffic_is_off() {
    assert!(of(&findings(&Deployment::default()), "DP010").is_empty());
}

#[test]
fn dp011_a_missing_fact_points_at_its_place() {
    let d = Deployment {
        drop_lines: vec!["  name: Acme B.V."],
        ..Deployment::default()
    };
    let found = of(&findings(&d), "DP011");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("organisation.name")
    );
    assert_eq!(found[0]["line"], 2);
}

#[test]
fn dp011_is_quiet_when_every_fact_is_given() {
    assert!(of(&findings(&Deployment::default()), "DP011").is_empty());
}

#[test]
fn codes_are_listed_and_explained() {
    let dir = Deployment::default().write();
    let out = common::run_in(dir.path(), &["check", "--list-rules"]);
    let (list, _) = common::texts(&out);
    for code in ["DP001", "DP006", "DP012"] {
        assert!(list.contains(code), "{list}");
    }
    let out = common::run_in(dir.path(), &["check", "--explain", "dp004"]);
    let (text, _) = common::texts(&out);
    assert!(
        text.starts_with("DP004 third-country-transfer (default severity: error)"),
        "{text}"
    );
    assert!(text.contains("checks:\n    DP004:"), "{text}");
    let out = common::run_in(dir.path(), &["check", "--explain", "DP04"]);
    let (_, err) = common::texts(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("did you mean"), "{err}");
}

#[test]
fn a_local_listener_no_collector_describes_counts_as_leaving() {
    let mut d = direct(false);
    d.env = metrics_to("http://localhost:4318");
    let config = collector(
        "  otlphttp/local:\n    endpoint: http://127.0.0.1:9000\n",
        "otlphttp/local",
        "batch",
    );
    d.collector = Some((config, "http://localhost:4318".into()));
    let found = findings(&d);
    assert!(
        !of(&found, "DP005").is_empty(),
        "unhashed identifiers may leave through the unknown listener: {found:#?}"
    );
}
