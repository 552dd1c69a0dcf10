//! The master switch and, per signal, what the client exports and where: exporters,
//! protocol, endpoint URL, header names and interval, read from the effective
//! environment with the catalogue's variable table.
//!
//! Soundness: where the client's outcome cannot be decided (no protocol with an OTLP
//! exporter, an exporter name it does not know) the export is assumed to happen.

use super::otlp::{endpoint, extra_endpoints, headers, interval, pick};
use crate::catalogue::{Kind, OtlpFacts, SettingsTable, Signal, Variable};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::sources::effective::{SignalExport, Telemetry, Valued};
use crate::sources::env::EnvTable;
use crate::sources::provenance::Provenance;

/// Whether the OpenTelemetry export is on at all.
pub fn telemetry(table: &SettingsTable, env: &EnvTable, diags: &mut Diagnostics) -> Telemetry {
    let name = table.master_switch.as_str();
    let provenance = env.provenance(name);
    let (enabled, reason) = match env.value(name) {
        Some(v) if table.is_truthy(v) => (true, format!("`{name}={v}` ({provenance})")),
        Some(v) => {
            unclear(table, name, v, &provenance, "off", diags);
            (
                false,
                format!("`{name}={v}` is not truthy, so the client exports nothing ({provenance})"),
            )
        }
        None => (
            false,
            format!("`{name}` is not set; the client exports nothing by default"),
        ),
    };
    Telemetry {
        enabled,
        reason,
        fixed_by_policy: provenance.is_managed(),
        provenance,
    }
}

/// Warns about a yes/no value that is neither truthy nor falsy.
pub fn unclear(
    table: &SettingsTable,
    name: &str,
    value: &str,
    provenance: &Provenance,
    reading: &str,
    diags: &mut Diagnostics,
) {
    if table.is_truthy(value) || table.is_falsy(value) {
        return;
    }
    diags.push(
        Diagnostic::new(
            Code::SwitchValueUnclear,
            format!(
                "`{name}={value}` is neither truthy nor falsy; the client reads it as {reading}"
            ),
        )
        .at_opt(provenance.span())
        .hint(format!(
            "write one of {} (on) or {} (off)",
            table.truthy.join("/"),
            table.falsy.join("/")
        )),
    );
}

/// The export of every signal, in the order metrics, logs, traces.
pub fn signals(
    table: &SettingsTable,
    env: &EnvTable,
    helper: Option<&Provenance>,
    telemetry_on: bool,
    diags: &mut Diagnostics,
) -> Vec<SignalExport> {
    Signal::ALL
        .iter()
        .filter_map(|&s| signal(table, env, helper, telemetry_on, s, diags))
        .collect()
}

fn signal(
    table: &SettingsTable,
    env: &EnvTable,
    helper: Option<&Provenance>,
    telemetry_on: bool,
    sig: Signal,
    diags: &mut Diagnostics,
) -> Option<SignalExport> {
    let selector = table.find(Kind::Selector, Some(sig))?;
    let selected_by = env.provenance(&selector.name);
    let exporters: Vec<String> = env
        .value(&selector.name)
        .unwrap_or_default()
        .split(',')
        .map(|e| e.trim().to_ascii_lowercase())
        .filter(|e| !e.is_empty())
        .collect();
    let unknown: Vec<&String> = exporters
        .iter()
        .filter(|e| !selector.values.contains(e))
        .collect();
    for e in &unknown {
        diags.push(unknown_exporter(selector, e, &selected_by));
    }
    let otlp_like = exporters.iter().any(|e| e == "otlp") || !unknown.is_empty();
    let leaving: Vec<&String> = exporters
        .iter()
        .filter(|e| !matches!(e.as_str(), "none" | "console"))
        .collect();
    let also_to = extra_endpoints(table, env, sig);
    let (mut exported, mut reason) = decide(
        table,
        env,
        telemetry_on,
        sig,
        selector,
        &exporters,
        &leaving,
    );
    if !also_to.is_empty() {
        exported = true;
        reason.push_str("; a separate tracing mode also sends to its own endpoint (see also_to)");
    }
    let otlp = &table.otlp;
    let protocol = pick(env, table, Kind::Protocol, sig);
    if otlp_like && exported && protocol.is_none() {
        diags.push(protocol_unset(sig, selector, &selected_by, otlp));
    }
    let protocol_text = protocol
        .as_ref()
        .map_or(otlp.assumed_protocol.clone(), |p| p.value.clone());
    if let Some(p) = &protocol
        && !otlp.protocols.contains(&p.value)
        && otlp_like
    {
        diags.push(unknown_protocol(p, otlp));
    }
    let switchable = if exported || !telemetry_on {
        Vec::new()
    } else {
        switchable(table, env, sig, selector)
    };
    Some(SignalExport {
        signal: sig,
        exported,
        reason,
        exporters,
        endpoint: (otlp_like || !switchable.is_empty())
            .then(|| endpoint(table, env, sig, &protocol_text)),
        selected_by,
        switchable,
        protocol,
        headers: headers(table, env, sig),
        dynamic_headers: helper.cloned(),
        interval_ms: interval(table, env, sig),
        also_to,
    })
}

/// For a signal that is not exported although telemetry is on: the settings a settings
/// file below the managed tier would have to set to export it (the exporter selector and,
/// for traces, one of the switches), when managed settings pin none of them off. A
/// repository's `.claude/settings.json` may set all of these even before it is trusted;
/// the data then goes to the endpoint the managed settings give.
fn switchable(
    table: &SettingsTable,
    env: &EnvTable,
    sig: Signal,
    selector: &Variable,
) -> Vec<String> {
    let open = |name: &str| !env.provenance(name).is_managed();
    if !open(&selector.name) {
        return Vec::new();
    }
    let mut out = vec![selector.name.clone()];
    let switches: Vec<&Variable> = table
        .of_kind(Kind::Switch)
        .filter(|v| v.signal == Some(sig))
        .collect();
    let on = |v: &&Variable| env.value(&v.name).is_some_and(|x| table.is_truthy(x));
    if !switches.is_empty() && !switches.iter().any(on) {
        match switches.iter().find(|v| open(&v.name)) {
            Some(v) => out.push(v.name.clone()),
            None => return Vec::new(),
        }
    }
    out
}

/// Whether a signal leaves, and why, before extra destinations are considered.
fn decide(
    table: &SettingsTable,
    env: &EnvTable,
    telemetry_on: bool,
    sig: Signal,
    selector: &Variable,
    exporters: &[String],
    leaving: &[&String],
) -> (bool, String) {
    let switches: Vec<&Variable> = table
        .of_kind(Kind::Switch)
        .filter(|v| v.signal == Some(sig))
        .collect();
    let switched_on = switches.is_empty()
        || switches
            .iter()
            .any(|v| env.value(&v.name).is_some_and(|x| table.is_truthy(x)));
    let name = &selector.name;
    if !telemetry_on {
        return (
            false,
            format!("telemetry is off (`{}`)", table.master_switch),
        );
    }
    if !switched_on {
        let names: Vec<&str> = switches.iter().map(|v| v.name.as_str()).collect();
        return (
            false,
            format!(
                "{} also need one of {} to be truthy",
                sig.as_str(),
                names.join(", ")
            ),
        );
    }
    if exporters.is_empty() {
        return (
            false,
            format!("`{name}` is not set, so no exporter is configured"),
        );
    }
    if leaving.is_empty() {
        return (
            false,
            format!(
                "`{name}={}` exports nothing off the machine (console prints to the terminal)",
                exporters.join(",")
            ),
        );
    }
    let mut reason = format!("`{name}={}`", exporters.join(","));
    if leaving.iter().any(|e| *e == "prometheus") {
        reason.push_str(
            "; prometheus serves metrics on a local port and they leave when something scrapes it",
        );
    }
    if leaving.iter().any(|e| !selector.values.contains(e)) {
        reason.push_str("; an unknown exporter is assumed to export over OTLP");
    }
    (true, reason)
}

fn unknown_exporter(selector: &Variable, value: &str, at: &Provenance) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownExporterValue,
        format!(
            "`{}` names `{value}`, which is not one of {}; the export is assumed to happen",
            selector.name,
            selector.values.join(", ")
        ),
    )
    .at_opt(at.span())
    .hint(format!("use {}", selector.values.join(", ")))
}

fn protocol_unset(
    sig: Signal,
    selector: &Variable,
    at: &Provenance,
    otlp: &OtlpFacts,
) -> Diagnostic {
    Diagnostic::new(
        Code::ProtocolUnset,
        format!(
            "`{}` selects OTLP for {} but no protocol is set; the client reports an error, and the export is assumed to happen ({} is assumed for the URL)",
            selector.name,
            sig.as_str(),
            otlp.assumed_protocol
        ),
    )
    .at_opt(at.span())
    .hint(format!(
        "set OTEL_EXPORTER_OTLP_PROTOCOL to one of {}",
        otlp.protocols.join(", ")
    ))
}

fn unknown_protocol(p: &Valued, otlp: &OtlpFacts) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownProtocolValue,
        format!(
            "protocol `{}` is not one of {}; the export is assumed to happen",
            p.value,
            otlp.protocols.join(", ")
        ),
    )
    .at_opt(p.provenance.span())
    .hint(format!("use one of {}", otlp.protocols.join(", ")))
}
