//! Each destination of the data map, joined with what `dpia.yaml` says about it.
//!
//! A data-map destination is matched to a `destinations` entry of the project file by its
//! id (`exporter`) or by the host of its endpoint (`host`). Facts the entry lacks, or a
//! destination with no entry at all, become TODOs naming the key to fill in.

use serde::Serialize;

use super::cite::{Cite, tidy};
use super::fact::{Fact, non_blank};
use super::items::{ItemStatus, Status, statuses};
use super::words::Words;
use crate::analysis::destination::DestinationKind;
use crate::analysis::map::DestinationOut;
use crate::project::{DestinationFacts, RecipientRole, TransferMechanism, is_eea};
use crate::taxonomy::Level;

/// Which flow a destination belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// OpenTelemetry export configured by the employer (via collectors or directly).
    Telemetry,
    /// Traffic to the assistant's vendor outside OpenTelemetry (the model request itself,
    /// the vendor's own product telemetry).
    Vendor,
}

/// The record name catalogues give the model API request (the assistant's own traffic).
pub const MODEL_REQUEST: &str = "model_api_request";

/// One destination with its facts.
#[derive(Debug, Clone, Serialize)]
pub struct DestinationView {
    /// The data map's id (e.g. `gateway:otlphttp/clickhouse`, `vendor:anthropic_api`).
    pub id: String,
    /// `vendor`, `self_hosted`, `file`, `stdout`, `pull` or `unknown`.
    pub kind: DestinationKind,
    /// Telemetry or vendor traffic.
    pub scope: Scope,
    /// Where the data is sent (no credentials), when known.
    pub endpoint: Option<String>,
    /// The host of the endpoint, when known.
    pub host: Option<String>,
    /// Whether the data leaves the employee's device.
    pub leaves_device: bool,
    /// Whether this is where the assistant's model requests go (the service itself).
    pub model_api: bool,
    /// The hops on the way.
    pub route: Vec<String>,
    /// Why the destination is what it is.
    pub evidence: Vec<Cite>,
    /// Whether a `dpia.yaml` entry describes it.
    pub described: bool,
    /// The `dpia.yaml` line of that entry.
    pub described_at: Option<String>,
    /// Who receives the data.
    pub recipient: Fact<Words>,
    /// The recipient's role (`internal`, `processor`, `controller`, `joint_controller`).
    pub role: Fact<RecipientRole>,
    /// Country (ISO code) where the data is kept.
    pub country: Fact<String>,
    /// `true` inside the EEA, `false` outside, `None` when the country is not given.
    pub in_eea: Option<bool>,
    /// The Chapter V instrument; a TODO only when the country is outside the EEA.
    pub transfer_mechanism: Fact<TransferMechanism>,
    /// Retention in days.
    pub retention_days: Option<u32>,
    /// How retention is decided, in the organisation's words.
    pub retention_note: Option<Words>,
    /// Set to the key to fill in when neither days nor a note is given.
    pub retention_todo: Option<String>,
    /// Roles or teams that can read the data.
    pub access: Fact<Vec<String>>,
    /// Ids of the purposes served here.
    pub purposes: Vec<String>,
    /// The most personal level of anything that may arrive here.
    pub max_level: Level,
    /// Whether content (prompts, responses, commands, file contents) may arrive.
    pub carries_content: bool,
    /// Per plain item, whether it arrives here.
    pub items: Vec<ItemStatus>,
}

/// Builds the view of every destination, in data-map order (sorted by id).
pub fn destinations(
    map: &[DestinationOut],
    facts: &[DestinationFacts],
    at: &super::Locate<'_>,
    lang: &str,
) -> Vec<DestinationView> {
    map.iter()
        .map(|d| destination(d, facts, at, lang))
        .collect()
}

fn destination(
    d: &DestinationOut,
    facts: &[DestinationFacts],
    at: &super::Locate<'_>,
    lang: &str,
) -> DestinationView {
    let host = d.endpoint.as_deref().and_then(host_of);
    let found = facts
        .iter()
        .position(|f| f.exporter.as_deref() == Some(d.id.as_str()))
        .or_else(|| {
            facts
                .iter()
                .position(|f| f.host.is_some() && f.host.as_deref() == host.as_deref())
        });
    let empty = DestinationFacts::default();
    let f = found.map(|i| &facts[i]).unwrap_or(&empty);
    let prefix = match found {
        Some(i) => format!("destinations[{i}]"),
        None => "destinations[+]".to_string(),
    };
    let key = |k: &str| format!("{prefix}.{k}");
    let country = non_blank(f.country.as_ref());
    let in_eea = country.as_deref().map(is_eea);
    let items = statuses(&[d], None);
    let max_level = items
        .iter()
        .filter(|s| s.status != Status::NotSent)
        .map(|s| s.level)
        .max()
        .unwrap_or(Level::None);
    let carries_content = items
        .iter()
        .any(|s| s.item.is_content() && s.status != Status::NotSent);
    let retention_missing = f.retention_days.is_none()
        && f.retention_note
            .as_ref()
            .is_none_or(crate::project::Text::is_blank);
    DestinationView {
        id: d.id.clone(),
        kind: d.kind,
        scope: if d.id.starts_with("vendor:") {
            Scope::Vendor
        } else {
            Scope::Telemetry
        },
        endpoint: d.endpoint.clone(),
        host,
        leaves_device: d.leaves_device,
        model_api: d.records.iter().any(|r| r.name == MODEL_REQUEST),
        route: d.route.clone(),
        evidence: tidy(d.evidence.iter().map(Cite::from).collect(), 12),
        described: found.is_some(),
        described_at: found.and_then(|i| at(&["destinations", &i.to_string()])),
        recipient: Fact::required(Words::new(f.recipient.as_ref(), lang), key("recipient")),
        role: Fact::required(f.role, key("role")),
        transfer_mechanism: if in_eea == Some(true) {
            Fact::optional(f.transfer_mechanism)
        } else {
            Fact::required(f.transfer_mechanism, key("transfer_mechanism"))
        },
        country: Fact::required(country, key("country")),
        in_eea,
        retention_days: f.retention_days,
        retention_note: Words::new(f.retention_note.as_ref(), lang),
        retention_todo: retention_missing.then(|| key("retention_days")),
        access: Fact::required(f.access.clone().filter(|a| !a.is_empty()), key("access")),
        purposes: f.purposes.clone(),
        max_level,
        carries_content,
        items,
    }
}

/// The host of a URL or `host:port`, without scheme, credentials, port or path.
pub fn host_of(endpoint: &str) -> Option<String> {
    let rest = endpoint.split_once("://").map_or(endpoint, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host_port.starts_with('[') {
        host_port.split(']').next().map(|h| format!("{h}]"))?
    } else {
        host_port.split(':').next()?.to_string()
    };
    (!host.is_empty()).then_some(host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::host_of;

    #[test]
    fn hosts_lose_scheme_port_path_and_credentials() {
        assert_eq!(
            host_of("https://u:p@api.honeycomb.io:443/v1/logs").as_deref(),
            Some("api.honeycomb.io")
        );
        assert_eq!(
            host_of("otel-gateway.example:4317").as_deref(),
            Some("otel-gateway.example")
        );
        assert_eq!(host_of("http://[::1]:4318").as_deref(), Some("[::1]"));
    }
}
