//! OpenAI Codex CLI against its real captures. For every fixture the inputs are written out
//! as the files an employer deploys (`config.toml` of the user, `/etc/codex/config.toml`,
//! `managed_config.toml`, `-c` overrides, the process environment), the whole analysis
//! runs without and with a pass-through collector, and the data map is compared with what
//! the OTLP receiver got: every record and attribute key that arrived is predicted
//! (soundness), everything predicted `always` arrived (precision), content is raw or
//! `[REDACTED]` as observed, and every outside host the client tried to reach is a
//! `vendor:` destination.

mod common;

use common::agents::{
    self, Counts, compare, observed, otel_destinations, vendor_hosts, write_text,
};
use common::fixtures::{read_json, sorted_dirs};
use common::shared_dir;
use otel_dpia::inputs::spec::FlagInputs;
use otel_dpia::sources::EffectiveSettings;
use serde_json::Value;

/// The resolver's endpoints for signals exported over OTLP (not to the vendor).
fn otlp_endpoints(s: &EffectiveSettings) -> Vec<(String, String)> {
    s.signals
        .iter()
        .filter(|x| x.exported && x.exporters.iter().any(|e| e.starts_with("otlp")))
        .map(|x| {
            let url = x
                .endpoint
                .as_ref()
                .map(|e| e.url.clone())
                .unwrap_or_default();
            (x.signal.as_str().to_string(), url)
        })
        .collect()
}

#[test]
fn every_codex_capture_is_predicted_at_its_destination() {
    let Some(shared) = shared_dir() else { return };
    let dirs: Vec<_> = sorted_dirs(&shared.join("codex/fixtures"))
        .iter()
        .flat_map(|v| sorted_dirs(v))
        .collect();
    let mut problems = Vec::new();
    let mut counts = Counts::default();
    let mut vendor_checks = 0;
    for (index, dir) in dirs.iter().enumerate() {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let inputs = read_json(&dir.join("inputs.json"));
        let obs = read_json(&dir.join("observed.json"));
        let seen = observed(&obs, dir);
        for with_collector in [false, true] {
            let tmp = tempfile::tempdir().unwrap();
            let serves = ["http://127.0.0.1:4318"];
            let a = agents::run(
                agents::codex_flags(&inputs, index, tmp.path()),
                tmp.path(),
                with_collector.then_some(&serves[..]),
            );
            compare(&name, &a.map, &seen, &mut problems, &mut counts);
            let hit: Vec<(String, String)> = obs["endpoints_hit"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect();
            let mut predicted_hits = otlp_endpoints(&a.settings[0]);
            predicted_hits.sort();
            if predicted_hits != hit {
                problems.push(format!(
                    "{name}: endpoints predicted {:?}, hit {hit:?}",
                    otlp_endpoints(&a.settings[0])
                ));
            }
            let otel = otel_destinations(&a.map);
            let want: &[&str] = match (hit.is_empty(), with_collector) {
                (true, _) => &[],
                (false, true) => &["otlphttp/backend"],
                (false, false) => &["direct:127.0.0.1:4318"],
            };
            if otel != want {
                problems.push(format!(
                    "{name}: OpenTelemetry destinations {otel:?}, expected {want:?}"
                ));
            }
            let hosts = vendor_hosts(&a.map);
            let attempts: Vec<String> = obs["outside_connect_attempts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h.as_str().unwrap().to_string())
                .collect();
            for host in &attempts {
                vendor_checks += 1;
                if !hosts.contains_key(host) {
                    problems.push(format!("{name}: the client tried {host}, but no vendor: destination goes there ({hosts:?})"));
                }
            }
            let statsig = hosts.contains_key("ab.chatgpt.com:443");
            if statsig != attempts.iter().any(|h| h == "ab.chatgpt.com:443") {
                problems.push(format!(
                    "{name}: metrics to the vendor predicted {statsig}, observed otherwise"
                ));
            }
            headers(&name, &a.settings[0], &obs, &mut problems);
        }
    }
    eprintln!(
        "codex: {} fixtures twice: {} records, {} attribute keys, {} content states, {} outside hosts",
        dirs.len(),
        counts.records,
        counts.keys,
        counts.contents,
        vendor_checks
    );
    assert!(dirs.len() >= 10, "expected the 10 captured fixtures");
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Every header name predicted arrived (names only; values are never kept).
fn headers(name: &str, s: &EffectiveSettings, obs: &Value, problems: &mut Vec<String>) {
    let seen: Vec<String> = obs["headers_seen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap().to_ascii_lowercase())
        .collect();
    for x in s
        .signals
        .iter()
        .filter(|x| x.exported && x.exporters.iter().any(|e| e.starts_with("otlp")))
    {
        for h in &x.headers {
            if !seen.contains(&h.name.to_ascii_lowercase()) {
                problems.push(format!(
                    "{name}: header {} predicted for {}, not seen",
                    h.name,
                    x.signal.as_str()
                ));
            }
        }
    }
}

#[test]
fn layers_resolve_in_the_clients_order() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let system = write_text(
        &dir.join("system.toml"),
        "[otel]\nenvironment = \"system\"\nlog_user_prompt = true\n",
    );
    let user = write_text(
        &dir.join("user.toml"),
        "[otel]\nenvironment = \"user\"\nexporter = { otlp-http = { endpoint = \"http://127.0.0.1:4318/v1/logs\", protocol = \"json\" } }\n",
    );
    let managed = write_text(
        &dir.join("managed.toml"),
        "[otel]\nlog_agent_responses = true\n",
    );
    let req = write_text(
        &dir.join("req.toml"),
        "[otel]\nexporter = \"none\"\nmetrics_exporter = \"none\"\n",
    );
    let mut flags = FlagInputs {
        sources: vec!["codex@0.169.0".into()],
        codex_config: vec![
            format!("system={}", system.display()),
            format!("user={}", user.display()),
            format!("managed={}", managed.display()),
        ],
        codex_flags: vec![
            "otel.log_user_prompt=false".into(),
            "otel.environment=cli".into(),
        ],
        ..FlagInputs::default()
    };
    let a = agents::run(flags.clone(), dir, None);
    let s = &a.settings[0];
    let gate = |n: &str| s.gates.iter().find(|g| g.name == n).unwrap().clone();
    assert_eq!(
        gate("otel.log_user_prompt").value,
        "false",
        "-c beats the system file"
    );
    assert!(
        gate("otel.log_agent_responses").fixed_by_policy,
        "managed_config.toml is policy"
    );
    let env = s
        .resource
        .attributes
        .iter()
        .find(|r| r.key == "env")
        .unwrap();
    assert_eq!(env.value, "cli");
    let logs = s
        .signals
        .iter()
        .find(|x| x.signal.as_str() == "logs")
        .unwrap();
    assert!(logs.exported);
    assert!(
        s.signals.iter().any(|x| x.exporters == ["statsig"]),
        "metrics to the vendor by default"
    );
    flags
        .codex_config
        .push(format!("requirements={}", req.display()));
    let a = agents::run(flags, dir, None);
    let s = &a.settings[0];
    assert!(
        s.signals
            .iter()
            .all(|x| !x.exported || x.signal.as_str() == "traces")
    );
    assert!(!s.telemetry.enabled, "requirements pin every exporter off");
    assert!(
        a.map
            .destinations
            .iter()
            .all(|d| d.id != "vendor:openai_statsig")
    );
}
