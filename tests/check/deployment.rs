//! Small deployments written into a temporary folder for the `check` tests: a complete
//! dpia.yaml, managed settings and, if wanted, one collector. Each test changes one thing
//! and looks at the findings of one rule.
#![allow(dead_code)]

use std::path::Path;
use std::process::Output;

use serde_json::Value;

/// The facts of a deployment that has none of the problems the rules look for; the
/// placeholders are filled by [`Deployment::write`].
const DPIA: &str = r#"schema_version: 1
organisation:
  name: Acme B.V.
  country: NL
  privacy_contact: privacy@acme.example
  supervisory_authority: Autoriteit Persoonsgegevens
dpo:
  email: dpo@acme.example
purposes:
  - id: cost
    description: Track token use and cost per team.
    legal_basis: legitimate_interests
    legitimate_interest: Keeping the cost of a metered tool under control.
destinations:
  - host: api.anthropic.com
    recipient: Anthropic PBC
    role: processor
    country: US
    transfer_mechanism: standard_contractual_clauses
    retention_days: 30
    access: [vendor-support]
    purposes: [cost]
__DESTINATIONS__works_council:
  country: NL
  body: Ondernemingsraad Acme B.V.
  status: agreed
policy:
  allowed: __POLICY__
  performance_evaluation: false
documents:
  languages: [en, nl]
__CHECKS__inputs:
  sources: [claude-code@2.1.197]
  managed_settings: [managed-settings.json]
__COLLECTORS__"#;

/// Facts for the internal telemetry backend, as a `destinations` entry.
pub const BACKEND_FACTS: &str = "  - host: otel.acme.example
    recipient: Acme B.V., platform team
    role: internal
    country: NL
    transfer_mechanism: not_applicable
    retention_days: 90
    access: [platform-team]
    purposes: [cost]
";

/// A collector that receives OTLP and exports metrics; `__EXPORTERS__` is its exporter
/// section body and `__LIST__` the pipeline's exporter list.
pub const COLLECTOR: &str = "receivers:
  otlp:
    protocols:
      http:
        endpoint: 0.0.0.0:4318
processors:
  batch:
  acmescrubber:
    mode: strict
exporters:
__EXPORTERS__service:
  pipelines:
    metrics:
      receivers: [otlp]
      processors: [__PROCESSORS__]
      exporters: [__LIST__]
";

/// One deployment to write.
pub struct Deployment {
    /// `policy.allowed`.
    pub policy: &'static str,
    /// Extra `destinations` entries.
    pub destinations: String,
    /// A `checks:` section.
    pub checks: String,
    /// Managed-settings environment.
    pub env: Vec<(String, String)>,
    /// The collector configuration, if any, and the endpoint clients reach it at.
    pub collector: Option<(String, String)>,
    /// Lines of the project file to drop (exact text).
    pub drop_lines: Vec<&'static str>,
}

impl Default for Deployment {
    fn default() -> Self {
        Deployment {
            policy: "metadata_only",
            destinations: String::new(),
            checks: String::new(),
            env: vec![pair("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1")],
            collector: None,
            drop_lines: Vec::new(),
        }
    }
}

/// A key and a value.
pub fn pair(k: &str, v: &str) -> (String, String) {
    (k.to_string(), v.to_string())
}

/// Managed settings that switch metrics export on, to `endpoint`, and pin the other two
/// signals off (otherwise a repository's settings could export them too).
pub fn metrics_to(endpoint: &str) -> Vec<(String, String)> {
    vec![
        pair("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1"),
        pair("CLAUDE_CODE_ENABLE_TELEMETRY", "1"),
        pair("OTEL_METRICS_EXPORTER", "otlp"),
        pair("OTEL_LOGS_EXPORTER", "none"),
        pair("OTEL_TRACES_EXPORTER", "none"),
        pair("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
        pair("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint),
    ]
}

/// Sets `key` in a managed `env` block, replacing an earlier value.
pub fn set(env: &mut Vec<(String, String)>, key: &str, value: &str) {
    env.retain(|(k, _)| k != key);
    env.push(pair(key, value));
}

/// A collector configuration from its exporters section, exporter list and processors.
pub fn collector(exporters: &str, list: &str, processors: &str) -> String {
    COLLECTOR
        .replace("__EXPORTERS__", exporters)
        .replace("__LIST__", list)
        .replace("__PROCESSORS__", processors)
}

impl Deployment {
    /// Writes the files into a new temporary folder.
    pub fn write(&self) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let collectors = match &self.collector {
            Some((_, serves)) => format!(
                "  collectors:\n    - name: gateway\n      files: [otelcol.yaml]\n      serves: [\"{serves}\"]\n"
            ),
            None => String::new(),
        };
        let mut dpia = DPIA
            .replace("__POLICY__", self.policy)
            .replace("__DESTINATIONS__", &self.destinations)
            .replace("__CHECKS__", &self.checks)
            .replace("__COLLECTORS__", &collectors);
        for line in &self.drop_lines {
            dpia = dpia.replace(&format!("{line}\n"), "");
        }
        std::fs::write(dir.path().join("dpia.yaml"), dpia).unwrap();
        let env: serde_json::Map<String, Value> = self
            .env
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        let settings = serde_json::json!({ "env": env });
        std::fs::write(
            dir.path().join("managed-settings.json"),
            serde_json::to_string_pretty(&settings).unwrap(),
        )
        .unwrap();
        if let Some((config, _)) = &self.collector {
            std::fs::write(dir.path().join("otelcol.yaml"), config).unwrap();
        }
        dir
    }
}

/// Runs `otel-dpia check dpia.yaml` with more arguments in a deployment's folder.
pub fn check(dir: &Path, more: &[&str]) -> Output {
    let mut args = vec!["check", "dpia.yaml"];
    args.extend_from_slice(more);
    super::common::run_in(dir, &args)
}

/// The findings of a deployment, as JSON objects (the run must succeed).
pub fn findings(d: &Deployment) -> Vec<Value> {
    let dir = d.write();
    let out = check(dir.path(), &["--format", "json", "--fail-on", "never"]);
    let (stdout, stderr) = super::common::texts(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    report["findings"].as_array().unwrap().clone()
}

/// The findings of one rule.
pub fn of(findings: &[Value], code: &str) -> Vec<Value> {
    findings
        .iter()
        .filter(|f| f["code"] == code)
        .cloned()
        .collect()
}
