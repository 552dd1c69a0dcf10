//! Changes of the coding agents' effective settings: the master switch, which signals are
//! exported, and the content and identifier gates. Values shown are the interpreted ones
//! (`true`/`false`, `off`/`inline`), never raw values, so no secret can appear.

use super::model::Change;
use crate::sources::EffectiveSettings;
use crate::sources::effective::Gate;

/// The changes, source by source, in a fixed order.
pub fn changes(base: &[EffectiveSettings], head: &[EffectiveSettings]) -> Vec<Change> {
    let mut out = Vec::new();
    for h in head {
        let Some(b) = base.iter().find(|b| b.source == h.source) else {
            continue;
        };
        let subject = h.source.clone();
        if b.telemetry.enabled != h.telemetry.enabled {
            out.push(Change {
                subject: subject.clone(),
                field: "OpenTelemetry export".into(),
                from: Some(on(b.telemetry.enabled)),
                to: Some(on(h.telemetry.enabled)),
                widening: Some(h.telemetry.enabled),
                at: Some(h.telemetry.provenance.to_string()),
            });
        }
        for hs in &h.signals {
            let Some(bs) = b.signals.iter().find(|s| s.signal == hs.signal) else {
                continue;
            };
            if bs.exported != hs.exported {
                out.push(Change {
                    subject: subject.clone(),
                    field: format!("{} exported", hs.signal.as_str()),
                    from: Some(bs.exported.to_string()),
                    to: Some(hs.exported.to_string()),
                    widening: Some(hs.exported),
                    at: Some(hs.selected_by.to_string()),
                });
            }
        }
        gates(&subject, &b.gates, &h.gates, true, &mut out);
        gates(
            &subject,
            &b.vendor.switches,
            &h.vendor.switches,
            false,
            &mut out,
        );
    }
    out
}

fn on(b: bool) -> String {
    if b { "on" } else { "off" }.to_string()
}

/// Gate changes; for content and identifier gates (`judged`) switching on widens.
fn gates(subject: &str, base: &[Gate], head: &[Gate], judged: bool, out: &mut Vec<Change>) {
    for h in head {
        let Some(b) = base.iter().find(|g| g.name == h.name) else {
            continue;
        };
        if b.value == h.value && b.enabled == h.enabled {
            continue;
        }
        out.push(Change {
            subject: subject.to_string(),
            field: h.name.clone(),
            from: Some(b.value.clone()),
            to: Some(h.value.clone()),
            widening: (judged && b.enabled != h.enabled).then_some(h.enabled),
            at: Some(h.provenance.to_string()),
        });
    }
}
