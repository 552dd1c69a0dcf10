//! Where Gemini CLI exports each signal: nowhere (telemetry off, or a local outfile), the
//! OTLP endpoint (HTTP: `<endpoint>/v1/<signal>`; gRPC: the origin only), or straight to
//! Google Cloud (`target: gcp` without a collector). All three signals go together: spans
//! are exported even when `telemetry.traces` is off.

use crate::catalogue::Signal;
use crate::catalogue::config::ConfigTable;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::sources::effective::{Endpoint, SignalExport, Valued};
use crate::sources::env::EnvTable;
use crate::sources::layered::{self, Merged};
use crate::sources::provenance::Provenance;
use crate::sources::secret::redact_url;

/// Google Cloud's ingest services per signal, for `target: gcp`.
fn gcp_url(sig: Signal) -> &'static str {
    match sig {
        Signal::Metrics => "https://monitoring.googleapis.com",
        Signal::Logs => "https://logging.googleapis.com",
        Signal::Traces => "https://cloudtrace.googleapis.com",
    }
}

/// The export of every signal, in the order metrics, logs, traces.
pub fn signals(
    table: &ConfigTable,
    merged: &Merged,
    env: &EnvTable,
    telemetry_on: bool,
    diags: &mut Diagnostics,
) -> Vec<SignalExport> {
    let target = layered::gate(table, merged, "telemetry.target");
    let protocol = layered::gate(table, merged, "telemetry.otlpProtocol");
    let endpoint = layered::gate(table, merged, "telemetry.otlpEndpoint");
    let outfile = layered::gate(table, merged, "telemetry.outfile");
    let collector = layered::gate(table, merged, "telemetry.useCollector");
    for (g, known) in [(&target, ["local", "gcp"]), (&protocol, ["grpc", "http"])] {
        if !known.contains(&g.value.as_str()) {
            diags.push(
                Diagnostic::new(
                    Code::UnknownExporterValue,
                    format!(
                        "`{}` is `{}`; Gemini CLI stops with an error for anything but {}",
                        g.name,
                        g.value,
                        known.join(" or ")
                    ),
                )
                .at_opt(g.provenance.span())
                .hint(format!("write {}", known.join(" or "))),
            );
        }
    }
    let grpc = protocol.value != "http";
    Signal::ALL
        .iter()
        .map(|&sig| {
            let mut out = SignalExport {
                signal: sig,
                exported: false,
                reason: String::new(),
                exporters: Vec::new(),
                selected_by: target.provenance.clone(),
                endpoint: None,
                protocol: None,
                headers: Vec::new(),
                dynamic_headers: None,
                interval_ms: layered::interval(table, env, sig),
                also_to: Vec::new(),
                switchable: Vec::new(),
            };
            if !telemetry_on {
                out.reason = "telemetry is off".to_string();
            } else if !outfile.value.is_empty() {
                out.exporters = vec!["file".to_string()];
                out.selected_by = outfile.provenance.clone();
                out.reason = format!(
                    "written to a local file instead ({}); nothing is sent",
                    outfile.provenance
                );
            } else if target.value == "gcp" && !collector.enabled {
                out.exported = true;
                out.exporters = vec!["gcp".to_string()];
                out.reason = format!(
                    "`telemetry.target` is gcp ({}): straight to Google Cloud",
                    target.provenance
                );
                out.endpoint = Some(Endpoint {
                    url: gcp_url(sig).to_string(),
                    from: "telemetry.target".to_string(),
                    provenance: target.provenance.clone(),
                });
            } else {
                out.exported = true;
                out.exporters = vec!["otlp".to_string()];
                out.selected_by = endpoint.provenance.clone();
                out.reason = "telemetry is on; every signal goes to the OTLP endpoint".to_string();
                out.protocol = Some(Valued {
                    value: if grpc { "grpc" } else { "http/json" }.to_string(),
                    provenance: protocol.provenance.clone(),
                });
                out.endpoint = Some(otlp_endpoint(
                    &endpoint.value,
                    grpc,
                    sig,
                    &endpoint.provenance,
                ));
            }
            out
        })
        .collect()
}

/// HTTP: the endpoint plus `/v1/<signal>`; gRPC: the origin (scheme, host, port) only.
fn otlp_endpoint(base: &str, grpc: bool, sig: Signal, provenance: &Provenance) -> Endpoint {
    let url = if grpc {
        origin(base)
    } else {
        format!("{}/v1/{}", base.trim_end_matches('/'), sig.as_str())
    };
    Endpoint {
        url: redact_url(&url),
        from: match provenance {
            Provenance::Default => "default".to_string(),
            _ => "telemetry.otlpEndpoint".to_string(),
        },
        provenance: provenance.clone(),
    }
}

fn origin(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
            format!("{scheme}://{authority}")
        }
        None => url.split(['/', '?', '#']).next().unwrap_or(url).to_string(),
    }
}
