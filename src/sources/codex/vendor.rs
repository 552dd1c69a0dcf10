//! Codex CLI's traffic outside the organisation's OpenTelemetry endpoints: the model API,
//! metrics to the vendor's analytics endpoint, and the connections every captured run
//! attempted (git and the plugin marketplace on GitHub, the vendor's web service).

use super::signals::{STATSIG_URL, exporter_kind};
use crate::catalogue::config::ConfigTable;
use crate::sources::effective::{ModelApi, Vendor, VendorFlow};
use crate::sources::env::EnvTable;
use crate::sources::layered::Merged;
use crate::sources::provenance::Provenance;
use crate::sources::secret::redact_url;

/// The model API's default base URL.
const OPENAI_API: &str = "https://api.openai.com/v1";

/// The vendor section.
pub fn vendor(table: &ConfigTable, merged: &Merged, env: &EnvTable) -> Vendor {
    Vendor {
        switches: Vec::new(),
        model_api: vec![model_api(table, merged, env)],
        flows: flows(merged),
    }
}

/// `openai_base_url` from the configuration, else `OPENAI_BASE_URL`, else OpenAI.
fn model_api(table: &ConfigTable, merged: &Merged, env: &EnvTable) -> ModelApi {
    let key = table.key("openai_base_url");
    let from_env = key
        .into_iter()
        .flat_map(|k| k.env.iter())
        .find_map(|v| env.value(v).map(|x| (x.to_string(), env.provenance(v))));
    let (url, provenance) = match merged.get("openai_base_url") {
        Some(a) => (a.text(), a.provenance.clone()),
        None => from_env.unwrap_or_else(|| (OPENAI_API.to_string(), Provenance::Default)),
    };
    ModelApi {
        provider: "OpenAI".to_string(),
        url: redact_url(&url),
        provenance,
    }
}

fn flows(merged: &Merged) -> Vec<VendorFlow> {
    let (metrics, provenance) = exporter_kind(merged, "otel.metrics_exporter")
        .unwrap_or_else(|| ("statsig".to_string(), Provenance::Default));
    let statsig = metrics == "statsig";
    vec![
        VendorFlow {
            id: "metrics_to_vendor".to_string(),
            what: "every metric data point (the OpenTelemetry metrics), with a built-in key"
                .to_string(),
            destination: STATSIG_URL.to_string(),
            active: statsig,
            reason: if statsig {
                format!("`otel.metrics_exporter` is `statsig` ({provenance})")
            } else {
                format!("`otel.metrics_exporter` is `{metrics}` ({provenance})")
            },
        },
        VendorFlow {
            id: "github_plugin_sync".to_string(),
            what: "git and plugin-marketplace requests (contents not captured)".to_string(),
            destination: "https://github.com, https://api.github.com".to_string(),
            active: true,
            reason: "attempted in every captured run; no setting was seen to stop it".to_string(),
        },
        VendorFlow {
            id: "chatgpt_service".to_string(),
            what: "requests to the vendor's web service (contents not captured)".to_string(),
            destination: "https://chatgpt.com".to_string(),
            active: true,
            reason: "attempted in every captured run; no setting was seen to stop it".to_string(),
        },
    ]
}
