//! Gemini CLI's traffic outside the OpenTelemetry export: the model API and the usage
//! statistics it sends to Google (Clearcut) whatever `telemetry.enabled` says.

use crate::catalogue::config::ConfigTable;
use crate::sources::effective::{ModelApi, Vendor, VendorFlow};
use crate::sources::env::EnvTable;
use crate::sources::layered::{self, Merged};
use crate::sources::provenance::Provenance;
use crate::sources::secret::redact_url;

/// Where usage statistics go.
pub const CLEARCUT_URL: &str = "https://play.googleapis.com/log";

/// The vendor section.
pub fn vendor(table: &ConfigTable, merged: &Merged, env: &EnvTable) -> Vendor {
    let usage = layered::gate(table, merged, "privacy.usageStatisticsEnabled");
    let flows = vec![VendorFlow {
        id: "usage_statistics".to_string(),
        what: "usage statistics: session, prompt and installation ids (or the signed-in e-mail address), system details, model, token counts, tool names, routing decisions and, with logPrompts, the routing classifier's reasoning".to_string(),
        destination: CLEARCUT_URL.to_string(),
        active: usage.enabled,
        reason: format!(
            "`privacy.usageStatisticsEnabled` is {} ({})",
            usage.value,
            match &usage.provenance {
                Provenance::Default => "default".to_string(),
                p => p.to_string(),
            }
        ),
    }];
    Vendor {
        switches: vec![usage],
        model_api: vec![model_api(env)],
        flows,
    }
}

/// Vertex AI when selected, else the Gemini API (or the base URL that replaces it).
fn model_api(env: &EnvTable) -> ModelApi {
    if env
        .value("GOOGLE_GENAI_USE_VERTEXAI")
        .is_some_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
    {
        let location = env
            .value("GOOGLE_CLOUD_LOCATION")
            .unwrap_or("<GOOGLE_CLOUD_LOCATION unset>");
        return ModelApi {
            provider: "Google Vertex AI".to_string(),
            url: format!("https://{location}-aiplatform.googleapis.com"),
            provenance: env.provenance("GOOGLE_GENAI_USE_VERTEXAI"),
        };
    }
    let (url, provenance) = match env.value("GOOGLE_GEMINI_BASE_URL") {
        Some(u) => (u.to_string(), env.provenance("GOOGLE_GEMINI_BASE_URL")),
        None => (
            "https://generativelanguage.googleapis.com".to_string(),
            Provenance::Default,
        ),
    };
    ModelApi {
        provider: "Google Gemini API".to_string(),
        url: redact_url(&url),
        provenance,
    }
}
