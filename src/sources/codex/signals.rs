//! Per signal, which exporter Codex CLI uses and where it sends: `none`, the vendor's
//! built-in `statsig` exporter, or an OTLP exporter (`otlp-http`, `otlp-grpc`) with its
//! endpoint, protocol and header names (values are never kept).
//!
//! Soundness: an exporter the client does not know is assumed to export somewhere the
//! configuration cannot tell.

use crate::catalogue::Signal;
use crate::catalogue::config::{ConfigTable, KeyKind};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::sources::claude_code::header_names;
use crate::sources::effective::{Endpoint, Header, SignalExport, Valued};
use crate::sources::env::EnvTable;
use crate::sources::layered::{self, Merged};
use crate::sources::provenance::Provenance;
use crate::sources::secret::redact_url;

/// Where the built-in `statsig` exporter sends (OTLP/HTTP JSON, with a built-in key).
pub const STATSIG_URL: &str = "https://ab.chatgpt.com/otlp";

/// The export of every signal, in the order metrics, logs, traces.
pub fn signals(
    table: &ConfigTable,
    merged: &Merged,
    env: &EnvTable,
    diags: &mut Diagnostics,
) -> Vec<SignalExport> {
    Signal::ALL
        .iter()
        .filter_map(|&sig| {
            let key = table
                .keys
                .iter()
                .find(|k| k.kind == KeyKind::Selector && k.signal == Some(sig))?;
            Some(signal(
                table,
                merged,
                env,
                sig,
                &key.key,
                key.default.as_deref(),
                diags,
            ))
        })
        .collect()
}

/// The exporter chosen at `path`: a string, or the name of the table's only key.
pub fn exporter_kind(merged: &Merged, path: &str) -> Option<(String, Provenance)> {
    if let Some(a) = merged.get(path) {
        return Some((a.text().to_ascii_lowercase(), a.provenance.clone()));
    }
    let (rest, a) = merged.children(path).next()?;
    let kind = rest.split('.').next().unwrap_or(rest);
    Some((kind.to_ascii_lowercase(), a.provenance.clone()))
}

fn signal(
    table: &ConfigTable,
    merged: &Merged,
    env: &EnvTable,
    sig: Signal,
    path: &str,
    default: Option<&str>,
    diags: &mut Diagnostics,
) -> SignalExport {
    let (kind, selected_by) = exporter_kind(merged, path)
        .unwrap_or_else(|| (default.unwrap_or("none").to_string(), Provenance::Default));
    let mut out = SignalExport {
        signal: sig,
        exported: kind != "none",
        reason: String::new(),
        exporters: vec![kind.clone()],
        selected_by: selected_by.clone(),
        endpoint: None,
        protocol: None,
        headers: Vec::new(),
        dynamic_headers: None,
        interval_ms: layered::interval(table, env, sig),
        also_to: Vec::new(),
        switchable: Vec::new(),
    };
    let set = if matches!(selected_by, Provenance::Default) {
        "default".to_string()
    } else {
        selected_by.to_string()
    };
    match kind.as_str() {
        "none" => out.reason = format!("`{path}` is `none` ({set})"),
        "statsig" => {
            out.reason = format!("`{path}` is `statsig` ({set}): the vendor's own endpoint");
            out.endpoint = Some(Endpoint {
                url: STATSIG_URL.to_string(),
                from: "statsig".to_string(),
                provenance: selected_by,
            });
            out.protocol = Some(Valued {
                value: "http/json".to_string(),
                provenance: Provenance::Default,
            });
        }
        "otlp-http" | "otlp-grpc" => otlp(&mut out, merged, env, path, &kind, table),
        other => {
            diags.push(
                Diagnostic::new(
                    Code::UnknownExporterValue,
                    format!("`{path}` is `{other}`, an exporter Codex does not know; an export to an unknown place is assumed"),
                )
                .at_opt(selected_by.span())
                .hint("use \"none\", \"statsig\", or a table { otlp-http = { endpoint = \"…\" } } / { otlp-grpc = { … } }"),
            );
            out.reason = format!("`{path}` is `{other}`, not known: assumed to export");
            out.endpoint = Some(Endpoint {
                url: String::new(),
                from: path.to_string(),
                provenance: selected_by,
            });
        }
    }
    out
}

/// An OTLP exporter's endpoint (used as written), protocol and header names: the
/// table's own headers, and `OTEL_EXPORTER_OTLP_HEADERS` for every signal.
fn otlp(
    out: &mut SignalExport,
    merged: &Merged,
    env: &EnvTable,
    path: &str,
    kind: &str,
    table: &ConfigTable,
) {
    let base = format!("{path}.{kind}");
    let grpc = kind == "otlp-grpc";
    let endpoint = merged.get(&format!("{base}.endpoint"));
    out.endpoint = Some(match endpoint {
        Some(a) => Endpoint {
            url: redact_url(&a.text()),
            from: format!("{base}.endpoint"),
            provenance: a.provenance.clone(),
        },
        None => Endpoint {
            url: if grpc {
                "http://localhost:4317".to_string()
            } else {
                format!("http://localhost:4318/v1/{}", out.signal.as_str())
            },
            from: "default".to_string(),
            provenance: Provenance::Default,
        },
    });
    let protocol = merged.get(&format!("{base}.protocol"));
    out.protocol = Some(Valued {
        value: match (grpc, protocol.map(|p| p.text())) {
            (true, _) => "grpc".to_string(),
            (false, Some(p)) if p == "json" => "http/json".to_string(),
            (false, _) => "http/protobuf".to_string(),
        },
        provenance: protocol.map_or(Provenance::Default, |p| p.provenance.clone()),
    });
    let header_path = format!("{base}.headers");
    for (name, a) in merged.children(&header_path) {
        out.headers.push(Header {
            name: name.to_string(),
            from: header_path.clone(),
            provenance: a.provenance.clone(),
        });
    }
    if let Some(var) = &table.headers_env
        && let Some(raw) = env.value(var)
    {
        for name in header_names(raw) {
            out.headers.retain(|h| !h.name.eq_ignore_ascii_case(&name));
            out.headers.push(Header {
                name,
                from: var.clone(),
                provenance: env.provenance(var),
            });
        }
    }
    out.headers.sort_by_key(|h| h.name.to_ascii_lowercase());
    let set = if matches!(out.selected_by, Provenance::Default) {
        "default".to_string()
    } else {
        out.selected_by.to_string()
    };
    out.reason = format!("`{path}` is `{kind}` ({set})");
}
