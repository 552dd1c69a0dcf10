//! DP007: telemetry travels without transport security to a host off the device: an
//! `http://` endpoint, or `tls.insecure` / `tls.insecure_skip_verify` on an exporter.

use super::super::{Context, Finding, Location, Rule};
use crate::analysis::endpoint::HostPort;
use crate::collector::{Collector, Component, Kind};
use crate::diag::Severity;
use crate::tree::{Node, Value};

/// The rule.
pub static RULE: Rule = Rule {
    code: "DP007",
    name: "plaintext-transport",
    summary: "Telemetry is sent to a host off the device without transport security (`http://`, `tls.insecure`, `tls.insecure_skip_verify`).",
    help: "Personal data sent over the network must be protected in transit (GDPR Art. 32): anyone on the path can read or change plaintext telemetry, and an exporter that skips certificate checks can be redirected. Use `https://` endpoints and leave `tls.insecure` and `tls.insecure_skip_verify` unset; plaintext is acceptable only to the same machine (`localhost`).",
    default_severity: Severity::Error,
    check,
};

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in &ctx.analysis.collectors {
        for e in used_exporters(&c.graph) {
            out.extend(exporter(ctx, &c.spec.name, e));
        }
    }
    out.extend(client(ctx));
    out
}

/// Exporters some pipeline sends to (unused ones send nothing).
fn used_exporters(graph: &Collector) -> impl Iterator<Item = &Component> {
    graph
        .of_kind(Kind::Exporter)
        .filter(|e| graph.pipelines.iter().any(|p| p.exporters.contains(&e.id)))
}

/// Endpoint-like values of an exporter's configuration, with their key paths.
fn endpoints(node: &Node, path: &mut Vec<String>, out: &mut Vec<(String, Node)>) {
    match &node.value {
        Value::Map(entries) => {
            for e in entries {
                path.push(e.key.clone());
                endpoints(&e.value, path, out);
                path.pop();
            }
        }
        Value::Seq(items) => {
            for item in items {
                endpoints(item, path, out);
            }
        }
        Value::Scalar(_) => {
            let key = path.last().map(String::as_str).unwrap_or("");
            if key.ends_with("endpoint") || key.ends_with("endpoints") || key.ends_with("url") {
                out.push((path.join("."), node.clone()));
            }
        }
        _ => {}
    }
}

fn off_device(text: &str) -> bool {
    HostPort::parse(text).is_none_or(|h| !h.is_loopback())
}

fn exporter(ctx: &Context<'_>, collector: &str, e: &Component) -> Vec<Finding> {
    let mut found = Vec::new();
    endpoints(&e.config, &mut Vec::new(), &mut found);
    let mut out = Vec::new();
    for (path, node) in &found {
        let text = node.as_str().unwrap_or("");
        if text.to_ascii_lowercase().starts_with("http://") && off_device(text) {
            out.push(finding(
                ctx,
                collector,
                e,
                path,
                node,
                "sends over plain `http://`",
            ));
        }
    }
    let remote = found.is_empty() || found.iter().any(|(_, n)| n.as_str().is_none_or(off_device));
    let tls = e.config.get("tls");
    for (flag, what) in [
        (
            "insecure",
            "turns transport security off (`tls.insecure: true`)",
        ),
        (
            "insecure_skip_verify",
            "does not check the server's certificate (`tls.insecure_skip_verify: true`)",
        ),
    ] {
        if let Some(node) = tls
            .and_then(|t| t.get(flag))
            .filter(|n| n.as_bool() == Some(true))
            && remote
        {
            out.push(finding(
                ctx,
                collector,
                e,
                &format!("tls.{flag}"),
                node,
                what,
            ));
        }
    }
    out
}

fn finding(
    ctx: &Context<'_>,
    collector: &str,
    e: &Component,
    path: &str,
    node: &Node,
    what: &str,
) -> Finding {
    RULE.finding(
        format!(
            "exporter `{}` of collector `{collector}` {what} to a host off the device",
            e.id
        ),
        format!("collector={collector} exporter={} setting={path}", e.id),
    )
    .at(Some(Location::of(ctx.files, node.span)))
    .hint("use an `https://` endpoint and remove `tls.insecure` / `tls.insecure_skip_verify`")
}

/// Client exports to `http://` URLs off the device.
fn client(ctx: &Context<'_>) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    for s in &ctx.analysis.settings {
        for export in s.signals.iter().filter(|x| x.exported) {
            for e in export.endpoint.iter().chain(export.also_to.iter()) {
                if !e.url.to_ascii_lowercase().starts_with("http://") || !off_device(&e.url) {
                    continue;
                }
                let key = format!("source={} setting={}", s.source, e.from);
                if out.iter().any(|f| f.key == key) {
                    continue;
                }
                let at = e
                    .provenance
                    .span()
                    .map(|span| Location::of(ctx.files, span))
                    .or_else(|| ctx.fallback());
                out.push(
                    RULE.finding(
                        format!(
                            "{} sends telemetry over plain `http://` to a host off the device (`{}`)",
                            s.source_name, e.from
                        ),
                        key,
                    )
                    .at(at)
                    .hint("use an `https://` endpoint for the client's OTLP export"),
                );
            }
        }
    }
    out
}
