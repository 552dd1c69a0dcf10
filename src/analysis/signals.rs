//! Which OpenTelemetry signals the client exports at all, from the catalogue's `export`
//! rules: the master switch, each signal's exporter selector, and any further gates (Claude
//! Code exports spans only with its beta switch).
//!
//! [`super::client_emits`] takes the answer as a parameter, so the settings resolver's own
//! answer can replace this helper without touching the emission logic.

use serde::Serialize;

use super::env::EnvLookup;
use super::gate::{self, GateResult};
use super::shape::{Evidence, Outcome, Signal};
use crate::catalogue::telemetry::{Catalogue, SignalExportSpec};

/// Whether one signal is exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignalExport {
    /// Exported (or assumed exported).
    pub exported: bool,
    /// False when a value was not recognised and `exported` is an assumption.
    pub certain: bool,
    /// The settings that decided it.
    pub evidence: Vec<Evidence>,
}

impl SignalExport {
    /// Certainly exported, with no setting involved (flows outside OpenTelemetry).
    pub fn unconditional() -> Self {
        SignalExport {
            exported: true,
            certain: true,
            evidence: Vec::new(),
        }
    }

    fn off() -> Self {
        SignalExport {
            exported: false,
            certain: true,
            evidence: Vec::new(),
        }
    }
}

/// Export decisions for the three OTel signals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedSignals {
    /// Metrics.
    pub metrics: SignalExport,
    /// Logs (events).
    pub logs: SignalExport,
    /// Traces (spans).
    pub traces: SignalExport,
}

impl ExportedSignals {
    /// Nothing exported (telemetry off).
    pub fn none() -> Self {
        ExportedSignals {
            metrics: SignalExport::off(),
            logs: SignalExport::off(),
            traces: SignalExport::off(),
        }
    }

    /// The decision for a signal. The resource travels with any exported signal; flows
    /// outside OpenTelemetry are not decided here.
    pub fn get(&self, signal: Signal) -> SignalExport {
        match signal {
            Signal::Metrics => self.metrics.clone(),
            Signal::Logs => self.logs.clone(),
            Signal::Traces => self.traces.clone(),
            Signal::Resource => self.any(),
            Signal::Other => SignalExport::unconditional(),
        }
    }

    fn any(&self) -> SignalExport {
        let all = [&self.metrics, &self.logs, &self.traces];
        let exported: Vec<&SignalExport> = all.into_iter().filter(|s| s.exported).collect();
        SignalExport {
            exported: !exported.is_empty(),
            certain: exported.is_empty() || exported.iter().any(|s| s.certain),
            evidence: exported.iter().flat_map(|s| s.evidence.clone()).collect(),
        }
    }
}

/// Decides, from the catalogue's rules, which signals the client exports.
pub fn exported_signals(cat: &Catalogue, env: &dyn EnvLookup) -> ExportedSignals {
    let master = cat.export_master().map(|g| gate::eval(cat, g, env));
    let one = |name: &str| {
        cat.export_signals()
            .find(|(n, _)| *n == name)
            .map_or_else(SignalExport::off, |(_, spec)| {
                signal(cat, spec, master.as_ref(), env)
            })
    };
    ExportedSignals {
        metrics: one("metrics"),
        logs: one("logs"),
        traces: one("traces"),
    }
}

fn signal(
    cat: &Catalogue,
    spec: &SignalExportSpec,
    master: Option<&GateResult>,
    env: &dyn EnvLookup,
) -> SignalExport {
    let mut parts: Vec<GateResult> = master.into_iter().cloned().collect();
    parts.push(exporter(spec, env));
    parts.extend(spec.requires.iter().map(|g| gate::eval(cat, g, env)));
    let evidence = parts.iter().flat_map(|p| p.evidence.clone()).collect();
    if parts.iter().any(|p| !p.on) {
        // Off results are always certain: one is enough to stop the signal.
        return SignalExport {
            exported: false,
            certain: true,
            evidence,
        };
    }
    SignalExport {
        exported: true,
        certain: parts.iter().all(|p| p.certain),
        evidence,
    }
}

/// Reads the exporter selector: a comma-separated list; exported when any entry is not a
/// "none" value. Unknown entries or an empty value count as exported, uncertainly.
fn exporter(spec: &SignalExportSpec, env: &dyn EnvLookup) -> GateResult {
    let Some(setting) = &spec.setting else {
        // No per-signal choice: the master switch alone decides.
        return GateResult {
            on: true,
            certain: true,
            pinned: true,
            evidence: Vec::new(),
        };
    };
    let found = env.get(setting);
    let (raw, provenance, span) = match &found {
        Some(v) => (v.value.as_str(), v.provenance.clone(), v.span),
        None => (spec.default.as_str(), "default".to_string(), None),
    };
    let entries: Vec<String> = raw
        .split(',')
        .map(|e| e.trim().to_lowercase())
        .filter(|e| !e.is_empty())
        .collect();
    let is_none = |e: &String| spec.none_values.iter().any(|n| n.eq_ignore_ascii_case(e));
    let is_known =
        |e: &String| is_none(e) || spec.known_values.iter().any(|k| k.eq_ignore_ascii_case(e));
    let all_known = !entries.is_empty() && entries.iter().all(is_known);
    let on = !all_known || entries.iter().any(|e| !is_none(e));
    let outcome = match (on, all_known) {
        (false, _) => Outcome::Off,
        (true, true) => Outcome::On,
        (true, false) => Outcome::AssumedOn,
    };
    let evidence = Evidence {
        setting: setting.clone(),
        value: all_known.then(|| entries.join(",")),
        provenance,
        span,
        outcome,
        note: (!all_known).then(|| "not a recognised exporter; assumed to export".to_string()),
    };
    GateResult {
        on,
        certain: all_known,
        pinned: env.pinned(setting),
        evidence: vec![evidence],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::env::MapEnv;
    use crate::catalogue::telemetry::builtin;

    fn decide(pairs: &[(&str, &str)]) -> ExportedSignals {
        let cat = builtin("claude-code").unwrap().unwrap();
        exported_signals(&cat, &MapEnv::from_pairs(pairs.iter().copied(), "test"))
    }

    const ON: (&str, &str) = ("CLAUDE_CODE_ENABLE_TELEMETRY", "1");

    #[test]
    fn nothing_is_exported_without_the_master_switch_or_an_exporter() {
        assert!(!decide(&[]).logs.exported);
        assert!(!decide(&[("OTEL_LOGS_EXPORTER", "otlp")]).logs.exported);
        assert!(!decide(&[ON]).logs.exported, "no exporter selected");
        let off = decide(&[
            ("CLAUDE_CODE_ENABLE_TELEMETRY", "0"),
            ("OTEL_LOGS_EXPORTER", "otlp"),
        ]);
        assert!(!off.logs.exported && off.logs.certain);
    }

    #[test]
    fn exporters_select_signals() {
        let s = decide(&[
            ON,
            ("OTEL_LOGS_EXPORTER", "otlp"),
            ("OTEL_METRICS_EXPORTER", "none"),
        ]);
        assert!(s.logs.exported && s.logs.certain);
        assert!(!s.metrics.exported);
        assert!(
            decide(&[ON, ("OTEL_METRICS_EXPORTER", "console,otlp")])
                .metrics
                .exported
        );
        assert!(
            !decide(&[ON, ("OTEL_METRICS_EXPORTER", "none, NONE")])
                .metrics
                .exported
        );
    }

    #[test]
    fn traces_need_the_beta_switch() {
        let no_beta = decide(&[ON, ("OTEL_TRACES_EXPORTER", "otlp")]);
        assert!(!no_beta.traces.exported && no_beta.traces.certain);
        let beta = decide(&[
            ON,
            ("OTEL_TRACES_EXPORTER", "otlp"),
            ("CLAUDE_CODE_ENHANCED_TELEMETRY_BETA", "1"),
        ]);
        assert!(beta.traces.exported && beta.traces.certain);
    }

    #[test]
    fn unrecognised_values_export_uncertainly() {
        let odd = decide(&[ON, ("OTEL_LOGS_EXPORTER", "zipkin")]);
        assert!(odd.logs.exported && !odd.logs.certain);
        assert!(
            odd.logs
                .evidence
                .iter()
                .all(|e| e.value.as_deref() != Some("zipkin"))
        );
        let empty = decide(&[ON, ("OTEL_LOGS_EXPORTER", "")]);
        assert!(empty.logs.exported && !empty.logs.certain);
        let maybe_on = decide(&[
            ("CLAUDE_CODE_ENABLE_TELEMETRY", "enabled"),
            ("OTEL_LOGS_EXPORTER", "otlp"),
        ]);
        assert!(maybe_on.logs.exported && !maybe_on.logs.certain);
    }

    #[test]
    fn the_resource_travels_with_any_signal() {
        assert!(!decide(&[ON]).get(Signal::Resource).exported);
        let s = decide(&[ON, ("OTEL_METRICS_EXPORTER", "prometheus")]);
        assert!(s.get(Signal::Resource).exported && s.get(Signal::Resource).certain);
        assert!(decide(&[]).get(Signal::Other).exported);
    }
}
