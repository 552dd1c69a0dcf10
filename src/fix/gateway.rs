//! A collector between Claude Code and a vendor it exports to directly (`fix --gateway URL`).
//!
//! No setting of the client removes what it always sends (`user.id`, the session id), so
//! a policy stricter than the client's defaults needs a collector on the way. Given the
//! address where the organisation will run one, the fix writes that collector's
//! configuration — an OTLP receiver, `memory_limiter`, `batch`, and an exporter per vendor
//! endpoint the client used — and points the managed settings at it; the collector
//! planner then gives it the same `transform/otel-dpia` processor as any other collector.
//! The export headers (a vendor's API key) move from the managed settings into the
//! collector's environment: the file names the variables, never a value.

use std::path::PathBuf;

use super::settings_edit::{self, Pin};
use super::{FixPlan, base_name, plan, read, record, text_edit};
use crate::analysis::endpoint::HostPort;
use crate::analysis::run::Analysis;
use crate::checks::Context;
use crate::inputs::InputSpec;
use crate::project::PolicyLevel;
use crate::sources::effective::SignalExport;

/// The name of the new collector and of its file.
pub const NAME: &str = "gateway";
/// The file the new collector's configuration is written to.
pub const FILE: &str = "otelcol-gateway.yaml";

/// The collector the fix adds.
#[derive(Debug, Clone)]
pub struct NewCollector {
    /// Where its file goes (next to the managed settings).
    pub path: PathBuf,
    /// The address it serves.
    pub serves: String,
}

/// Whether `url` can be a gateway address: `http(s)://host:port`.
pub fn valid(url: &str) -> bool {
    let scheme_ok = url.starts_with("http://") || url.starts_with("https://");
    scheme_ok && HostPort::parse(url).is_some_and(|hp| !hp.host.is_empty())
}

/// Plans the gateway for the direct exports of Claude Code that break the policy; `None`
/// when there are none or they cannot be moved (the reason is in `out.cannot`).
pub fn gateway(
    spec: &InputSpec,
    analysis: &Analysis,
    ctx: &Context<'_>,
    policy: PolicyLevel,
    url: &str,
    out: &mut FixPlan,
) -> Option<NewCollector> {
    let direct: Vec<String> = plan::breaches(ctx, policy)
        .iter()
        .map(|b| b.destination.id.clone())
        .filter(|id| id.starts_with("direct:"))
        .collect();
    if direct.is_empty() {
        return None;
    }
    let target = HostPort::parse(url).map(|hp| format!("direct:{hp}"));
    if target.as_ref().is_some_and(|t| direct.contains(t)) {
        out.cannot.push(format!(
            "Claude Code already sends to {url}; declare the collector that listens there (`--collector {NAME}@{url}={FILE}`, or `inputs.collectors` in dpia.yaml) so its processors count"
        ));
        return None;
    }
    let settings = analysis
        .settings
        .iter()
        .find(|s| s.source == super::pins::SOURCE)?;
    let moved: Vec<&SignalExport> = settings
        .signals
        .iter()
        .filter(|s| s.exported)
        .filter(|s| {
            s.endpoint
                .as_ref()
                .and_then(|e| HostPort::parse(&e.url))
                .is_some_and(|hp| direct.contains(&format!("direct:{hp}")))
        })
        .collect();
    if moved.is_empty() {
        return None;
    }
    let Some(managed) = super::agents::managed_json(spec) else {
        out.cannot.push(format!(
            "`--gateway`: no managed-settings JSON file is given to point Claude Code at {url}"
        ));
        return None;
    };
    let path = managed.with_file_name(FILE);
    if path.exists() && !out.changes.iter().any(|c| c.path == path) {
        out.cannot.push(format!(
            "`--gateway`: {FILE} exists next to {} and is not one of the inputs; declare it (`--collector {NAME}@{url}={FILE}`) or move it away",
            base_name(&managed)
        ));
        return None;
    }
    let text = collector_text(url, &moved);
    record(out, path.clone(), String::new(), text);
    out.done.push(format!(
        "{FILE}: a new collector for {url}, between Claude Code and {}; run it there with the export headers' values in its environment ({}){}, and add it to dpia.yaml: `inputs.collectors: [{{name: {NAME}, files: [{FILE}], serves: [\"{url}\"]}}]`",
        direct
            .iter()
            .map(|d| format!("`{d}`"))
            .collect::<Vec<_>>()
            .join(", "),
        header_vars(&moved).join(", "),
        if url.starts_with("https://") {
            " and its certificate at /etc/otelcol/tls/server.crt and .key"
        } else {
            ""
        }
    ));
    repoint(&managed, url, &moved, out);
    Some(NewCollector {
        path,
        serves: url.to_string(),
    })
}

/// The collector's configuration: receivers, the vendor exporters, one pipeline per
/// signal. Header values come from `${env:…}`.
fn collector_text(url: &str, moved: &[&SignalExport]) -> String {
    let port = HostPort::parse(url).and_then(|hp| hp.port).unwrap_or(4318);
    let mut out = String::from(
        "# Written by `otel-dpia fix --gateway`: the collector between Claude Code and the\n\
         # vendor it exported to directly. It keeps what the policy allows (its last processor\n\
         # before `batch`) and forwards it. The export headers' values (a vendor API key) are\n\
         # given in its environment, never in this file.\n",
    );
    out.push_str(&format!(
        "receivers:\n  otlp:\n    protocols:\n      http:\n        endpoint: 0.0.0.0:{port}\n"
    ));
    if url.starts_with("https://") {
        // The agents were told `https://`: the receiver needs the gateway's certificate,
        // installed where the collector runs.
        out.push_str(
            "        tls:\n          cert_file: /etc/otelcol/tls/server.crt\n          key_file: /etc/otelcol/tls/server.key\n",
        );
    }
    out.push('\n');
    out.push_str(
        "processors:\n  memory_limiter:\n    check_interval: 1s\n    limit_percentage: 80\n    spike_limit_percentage: 25\n  batch: {}\n\n",
    );
    out.push_str("exporters:\n");
    for s in moved {
        let Some(endpoint) = &s.endpoint else {
            continue;
        };
        let id = exporter_id(s);
        if grpc(s) {
            out.push_str(&format!(
                "  {id}:\n    endpoint: {}\n",
                yaml_scalar(&endpoint.url)
            ));
        } else {
            out.push_str(&format!(
                "  {id}:\n    {}_endpoint: {}\n",
                s.signal.as_str(),
                yaml_scalar(&endpoint.url)
            ));
        }
        if !s.headers.is_empty() {
            out.push_str("    headers:\n");
            for h in &s.headers {
                out.push_str(&format!(
                    "      {}: ${{env:{}}}\n",
                    yaml_scalar(&h.name),
                    env_var(&h.name)
                ));
            }
        }
    }
    out.push_str("\nservice:\n  pipelines:\n");
    for s in moved {
        out.push_str(&format!(
            "    {}:\n      receivers: [otlp]\n      processors: [memory_limiter, batch]\n      exporters: [{}]\n",
            s.signal.as_str(),
            exporter_id(s)
        ));
    }
    out
}

/// Whether the client sent this signal over OTLP/gRPC.
fn grpc(s: &SignalExport) -> bool {
    s.protocol
        .as_ref()
        .is_some_and(|p| p.value.eq_ignore_ascii_case("grpc"))
}

/// The new collector's exporter for one signal: `otlp/vendor-logs` (gRPC) or
/// `otlphttp/vendor-logs`.
fn exporter_id(s: &SignalExport) -> String {
    let kind = if grpc(s) { "otlp" } else { "otlphttp" };
    format!("{kind}/vendor-{}", s.signal.as_str())
}

/// The environment variable that carries one header's value: `OTEL_DPIA_HEADER_X_API_KEY`.
fn env_var(header: &str) -> String {
    let name: String = header
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("OTEL_DPIA_HEADER_{name}")
}

fn header_vars(moved: &[&SignalExport]) -> Vec<String> {
    let mut vars: Vec<String> = moved
        .iter()
        .flat_map(|s| s.headers.iter().map(|h| format!("`{}`", env_var(&h.name))))
        .collect();
    vars.sort();
    vars.dedup();
    if vars.is_empty() {
        vars.push("none needed".to_string());
    }
    vars
}

/// A YAML scalar: plain where that is safe, double-quoted otherwise.
fn yaml_scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:".contains(c))
        && !s.ends_with(':');
    if plain {
        s.to_string()
    } else {
        settings_edit::json_string(s)
    }
}

/// Points the managed settings at the gateway: the generic endpoint and protocol, any
/// signal-specific endpoint the file sets, and the export headers taken out.
fn repoint(managed: &std::path::Path, url: &str, moved: &[&SignalExport], out: &mut FixPlan) {
    let Some(before) = read(managed, out) else {
        return;
    };
    let base = url.trim_end_matches('/');
    let mut pins = vec![
        pin("OTEL_EXPORTER_OTLP_ENDPOINT", base, url),
        pin("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf", url),
    ];
    let mut remove = vec!["OTEL_EXPORTER_OTLP_HEADERS".to_string()];
    for s in moved {
        let upper = s.signal.as_str().to_ascii_uppercase();
        let lower = s.signal.as_str();
        let endpoint = format!("OTEL_EXPORTER_OTLP_{upper}_ENDPOINT");
        if before.contains(&format!("\"{endpoint}\"")) {
            pins.push(pin(&endpoint, &format!("{base}/v1/{lower}"), url));
        }
        let protocol = format!("OTEL_EXPORTER_OTLP_{upper}_PROTOCOL");
        if before.contains(&format!("\"{protocol}\"")) {
            pins.push(pin(&protocol, "http/protobuf", url));
        }
        remove.push(format!("OTEL_EXPORTER_OTLP_{upper}_HEADERS"));
    }
    let Some((edits, changed)) = settings_edit::pin_env(&before, &pins, |a, b| a == b) else {
        return;
    };
    let pinned = text_edit::apply(&before, &edits);
    let Some(removal) = settings_edit::remove_env(&pinned, &remove) else {
        return;
    };
    let after = text_edit::apply(&pinned, &removal.0);
    for p in &changed {
        out.done.push(format!(
            "{}: `{}` = \"{}\" (to the new collector)",
            base_name(managed),
            p.key,
            p.value
        ));
    }
    for k in &removal.1 {
        out.done.push(format!(
            "{}: `{k}` removed (the headers now go from the collector; the value leaves the managed settings)",
            base_name(managed)
        ));
    }
    record(out, managed.to_path_buf(), before, after);
}

fn pin(key: &str, value: &str, url: &str) -> Pin {
    Pin::new(key, value, format!("send to the collector at {url}"))
}
