//! The `dpia.yaml` skeleton that `otel-dpia init` writes: the inputs it was given, one entry
//! per destination found, and a visible TODO for every fact only a person can give.
//!
//! The text is written by hand rather than serialised, because the TODO comments are the
//! point: they tell the privacy officer what each missing fact means. Strings are written as
//! JSON strings, which are valid double-quoted YAML scalars, so no input can break the file.

use std::fmt::Write as _;

/// A place the data may be sent to, as found in the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundDestination {
    /// The id `analyze` uses for it (`otlphttp/vendor`, `gateway:otlphttp/vendor`,
    /// `direct:host:port`, `vendor:name`).
    pub id: String,
    /// Where it sends to, if known.
    pub endpoint: Option<String>,
    /// Where in the configuration it is defined (`file:line`), or a short note.
    pub found_at: String,
}

/// One collector as the skeleton lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkeletonCollector {
    /// Its name.
    pub name: String,
    /// Its files, relative to the project file.
    pub files: Vec<String>,
    /// `${env:X}` values given on the command line; secrets are left out.
    pub env: Vec<(String, String)>,
    /// Receiver endpoints seen in its configuration, as hints for `serves`.
    pub receiver_endpoints: Vec<String>,
    /// What it serves, when the command line said so (`--collector NAME@ADDR=FILE`).
    pub serves: Vec<String>,
}

/// The inputs as the skeleton lists them, paths relative to the project file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SkeletonInputs {
    /// `name@version` sources.
    pub sources: Vec<String>,
    /// Managed settings paths.
    pub managed_settings: Vec<String>,
    /// User settings path.
    pub user_settings: Option<String>,
    /// Claude Code project settings paths.
    pub project_settings: Vec<String>,
    /// The settings given are every one the agents read.
    pub no_other_settings: bool,
    /// Process environment values.
    pub env: Vec<(String, String)>,
    /// Environment files.
    pub env_files: Vec<String>,
    /// Collectors.
    pub collectors: Vec<SkeletonCollector>,
}

/// True for names whose values must never be written into a file that gets committed.
pub fn looks_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    [
        "KEY",
        "TOKEN",
        "SECRET",
        "PASSWORD",
        "PASSWD",
        "AUTH",
        "CREDENTIAL",
        "HEADERS",
        "COOKIE",
    ]
    .iter()
    .any(|w| upper.contains(w))
}

fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

/// The whole skeleton text.
pub fn skeleton(inputs: &SkeletonInputs, destinations: &[FoundDestination]) -> String {
    let mut out = String::new();
    out.push_str(HEADER);
    out.push_str(FACTS);
    out.push_str("destinations:\n");
    if destinations.is_empty() {
        out.push_str("  [] # no destination was found in the inputs given\n");
    }
    for d in destinations {
        let _ = writeln!(out, "  # found at {}", d.found_at);
        let _ = writeln!(out, "  - exporter: {}", q(&d.id));
        if let Some(endpoint) = &d.endpoint {
            let _ = writeln!(out, "    # sends to {endpoint}");
        }
        out.push_str(DESTINATION_FACTS);
    }
    out.push('\n');
    out.push_str(TAIL);
    write_inputs(&mut out, inputs);
    out
}

fn write_list(out: &mut String, indent: &str, key: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "{indent}{key}:");
    for item in items {
        let _ = writeln!(out, "{indent}  - {}", q(item));
    }
}

fn write_env(out: &mut String, indent: &str, env: &[(String, String)]) {
    if env.is_empty() {
        return;
    }
    let all_secret = env.iter().all(|(k, _)| looks_secret(k));
    let _ = writeln!(out, "{indent}env:{}", if all_secret { " {}" } else { "" });
    for (k, v) in env {
        if looks_secret(k) {
            let _ = writeln!(
                out,
                "{indent}  # {k}: not written here because it looks like a secret; give it at run time"
            );
        } else {
            let _ = writeln!(out, "{indent}  {}: {}", q(k), q(v));
        }
    }
}

fn write_inputs(out: &mut String, inputs: &SkeletonInputs) {
    out.push_str("inputs:\n");
    write_list(out, "  ", "sources", &inputs.sources);
    write_list(out, "  ", "managed_settings", &inputs.managed_settings);
    if let Some(user) = &inputs.user_settings {
        let _ = writeln!(out, "  user_settings: {}", q(user));
    }
    write_list(out, "  ", "project_settings", &inputs.project_settings);
    if inputs.no_other_settings {
        out.push_str(
            "  # the settings files above are every one the agents read (a lab machine)\n",
        );
        out.push_str("  no_other_settings: true\n");
    }
    write_env(out, "  ", &inputs.env);
    write_list(out, "  ", "env_files", &inputs.env_files);
    if !inputs.collectors.is_empty() {
        out.push_str("  collectors:\n");
    }
    for c in &inputs.collectors {
        let _ = writeln!(out, "    - name: {}", q(&c.name));
        write_list(out, "      ", "files", &c.files);
        write_env(out, "      ", &c.env);
        if !c.serves.is_empty() {
            let list: Vec<String> = c.serves.iter().map(|s| q(s)).collect();
            let _ = writeln!(out, "      serves: [{}]", list.join(", "));
            continue;
        }
        out.push_str("      # TODO: the endpoints employees' agents (or another collector) use to reach this collector,\n");
        out.push_str(
            "      # e.g. \"http://localhost:4318\" for an agent collector on the laptop.\n",
        );
        for e in &c.receiver_endpoints {
            let _ = writeln!(out, "      # its receivers listen on: {e}");
        }
        out.push_str("      serves: []\n");
    }
}

const HEADER: &str = "\
# yaml-language-server: $schema=dpia.schema.json
# Written by `otel-dpia init` (run `otel-dpia schema --out .` to get dpia.schema.json beside this file).
#
# Every `null` marked TODO is a fact only your organisation can give. Until it is filled in,
# the documents show a visible TODO and `otel-dpia check` reports it. Nothing is guessed.
schema_version: 1

";

const FACTS: &str = "\
organisation:
  name: null # TODO: legal name of the employing entity (the controller)
  address: null # TODO: postal address
  country: null # TODO: country of establishment, ISO code such as NL or DE
  privacy_contact: null # TODO: where employees send privacy questions and requests
  supervisory_authority: null # TODO: the data protection authority employees can complain to

dpo: # the data protection officer; remove this block if none is designated
  name: null # TODO
  email: null # TODO

purposes:
  - id: purpose-1 # a short name the destinations below refer to
    description: null # TODO: why the telemetry is collected, in one sentence employees understand
    legal_basis: null # TODO: consent, contract, legal_obligation, vital_interests, public_task or legitimate_interests
    legitimate_interest: null # TODO when legal_basis is legitimate_interests: the interest pursued

works_council:
  country: null # TODO: NL (WOR art. 27) or DE (BetrVG §87), or remove this block if there is none
  body: null # TODO: name of the works council
  status: null # TODO: not_started, requested, agreed or refused

measures: [] # measures the configuration does not show, e.g. {id: access-review, description: ..., kind: organisational}

policy:
  allowed: null # TODO: metadata_only, identifiers or content
  performance_evaluation: null # TODO: true if the data may be used to assess individual performance or behaviour

documents:
  languages: [en]
  version: \"0.1\"

";

const DESTINATION_FACTS: &str = "    recipient: null # TODO: who receives the data (company or internal team)
    role: null # TODO: internal, processor, controller or joint_controller
    country: null # TODO: where the data is stored or accessed, ISO code
    transfer_mechanism: null # TODO outside the EEA: adequacy_decision, eu_us_data_privacy_framework, standard_contractual_clauses, binding_corporate_rules or derogation; not_applicable inside
    retention_days: null # TODO: how many days the data is kept
    access: null # TODO: list of roles or teams that can read it
    purposes: [purpose-1]
";

const TAIL: &str = "\
# Where the deployed configuration is, relative to this file.
";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Code, Diagnostics};
    use crate::files::Files;

    fn sample() -> String {
        let inputs = SkeletonInputs {
            sources: vec!["claude-code@2.1.330".into()],
            managed_settings: vec!["managed-settings.json".into()],
            env: vec![(
                "OTEL_EXPORTER_OTLP_HEADERS".into(),
                "authorization=Bearer s3cr3t".into(),
            )],
            collectors: vec![SkeletonCollector {
                name: "gw \"quoted\"".into(),
                files: vec!["otelcol.yaml".into()],
                env: vec![
                    ("API_KEY".into(), "s3cr3t".into()),
                    ("HOST".into(), "h".into()),
                ],
                receiver_endpoints: vec!["otlp protocols.http.endpoint 0.0.0.0:4318".into()],
                serves: Vec::new(),
            }],
            ..SkeletonInputs::default()
        };
        let dest = FoundDestination {
            id: "otlphttp/vendor".into(),
            endpoint: Some("https://x".into()),
            found_at: "otelcol.yaml:9".into(),
        };
        skeleton(&inputs, &[dest])
    }

    #[test]
    fn skeleton_is_a_valid_project_with_every_fact_missing_and_no_secrets() {
        let text = sample();
        assert!(!text.contains("s3cr3t"), "{text}");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dpia.yaml");
        std::fs::write(&path, &text).unwrap();
        let mut files = Files::new();
        let mut diags = Diagnostics::new();
        let loaded = crate::project::load(&mut files, &path, &mut diags);
        let shown = crate::diag::render(
            crate::diag::Format::Short,
            &diags.clone().into_sorted(),
            &files,
        );
        let loaded = loaded.unwrap_or_else(|| panic!("the skeleton loads:\n{shown}\n{text}"));
        assert!(
            !diags.has_errors(),
            "{:?}",
            diags.iter().collect::<Vec<_>>()
        );
        assert_eq!(
            loaded.project.destinations[0].exporter.as_deref(),
            Some("otlphttp/vendor")
        );
        assert_eq!(loaded.project.inputs.collectors[0].name, "gw \"quoted\"");
        let missing = crate::project::missing_facts(&loaded);
        assert!(missing.iter().all(|d| d.code == Code::MissingFact));
        let said: String = missing.iter().map(|d| d.message.clone()).collect();
        for fact in ["recipient", "retention", "legal basis", "country"] {
            assert!(
                said.to_lowercase().contains(fact),
                "missing facts should name {fact}: {said}"
            );
        }
    }
}
