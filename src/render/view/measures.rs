//! Measures the configuration itself shows: content gates switched off in the agent's
//! settings, and keys that arrive hashed, masked, truncated, as a placeholder, or not at
//! all because a collector removed them. Each comes with the lines that make it so.
//!
//! These are facts read from the inputs, unlike the measures `dpia.yaml` declares.

use std::collections::BTreeMap;

use serde::Serialize;

use super::cite::{Cite, tidy};
use super::items::{Form, Item};
use crate::analysis::map::DestinationOut;
use crate::files::Files;
use crate::sources::EffectiveSettings;

/// What a configuration measure does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureAction {
    /// A gate of the agent is off: it does not put the data in its telemetry.
    GateOff,
    /// A collector removes the key.
    Removed,
    /// The value is replaced by a hash.
    Hashed,
    /// The value is replaced by a constant.
    Placeholder,
    /// Parts of the value are removed by a pattern.
    Masked,
    /// The value is cut to a length.
    Truncated,
}

/// One measure found in the configuration.
#[derive(Debug, Clone, Serialize)]
pub struct ConfigMeasure {
    /// What it does.
    pub action: MeasureAction,
    /// The gate (a variable name) or the attribute key it applies to.
    pub subject: String,
    /// The plain items it protects.
    pub items: Vec<Item>,
    /// Destinations where it takes effect (empty for gates: all of them).
    pub destinations: Vec<String>,
    /// Whether managed settings fix it, so that employees and repositories cannot undo
    /// it (gates only; `None` for collector measures).
    pub fixed_by_policy: Option<bool>,
    /// The lines that make it so.
    pub evidence: Vec<Cite>,
}

/// Every configuration measure, sorted by action and subject.
pub fn config_measures(
    settings: &[EffectiveSettings],
    destinations: &[DestinationOut],
    files: &Files,
) -> Vec<ConfigMeasure> {
    let mut out: BTreeMap<(MeasureAction, String), ConfigMeasure> = BTreeMap::new();
    for s in settings {
        for g in s.gates.iter().filter(|g| !g.enabled) {
            let cite = Cite {
                at: g.provenance.span().map(|sp| files.cite(sp)),
                what: format!("{}={}", g.name, g.value),
            };
            out.entry((MeasureAction::GateOff, g.name.clone()))
                .or_insert_with(|| ConfigMeasure {
                    action: MeasureAction::GateOff,
                    subject: g.name.clone(),
                    items: Vec::new(),
                    destinations: Vec::new(),
                    fixed_by_policy: Some(g.fixed_by_policy),
                    evidence: Vec::new(),
                })
                .evidence
                .push(cite);
        }
    }
    for d in destinations {
        for r in &d.records {
            for rm in &r.removed {
                let m = entry(&mut out, MeasureAction::Removed, &rm.key);
                add(
                    m,
                    &d.id,
                    Item::of(rm.category),
                    rm.evidence.iter().map(Cite::from),
                );
            }
            for a in &r.attributes {
                let action = match Form::from(a.state) {
                    Form::Raw => continue,
                    Form::Hashed => MeasureAction::Hashed,
                    Form::Placeholder => MeasureAction::Placeholder,
                    Form::Masked => MeasureAction::Masked,
                    Form::Truncated => MeasureAction::Truncated,
                };
                let m = entry(&mut out, action, &a.key);
                add(
                    m,
                    &d.id,
                    Item::of(a.category),
                    a.evidence.iter().map(Cite::from),
                );
            }
        }
    }
    out.into_values()
        .map(|mut m| {
            m.evidence = tidy(m.evidence, 6);
            m
        })
        .collect()
}

fn entry<'a>(
    out: &'a mut BTreeMap<(MeasureAction, String), ConfigMeasure>,
    action: MeasureAction,
    key: &str,
) -> &'a mut ConfigMeasure {
    out.entry((action, key.to_string()))
        .or_insert_with(|| ConfigMeasure {
            action,
            subject: key.to_string(),
            items: Vec::new(),
            destinations: Vec::new(),
            fixed_by_policy: None,
            evidence: Vec::new(),
        })
}

fn add(m: &mut ConfigMeasure, dest: &str, items: &[Item], cites: impl Iterator<Item = Cite>) {
    for i in items {
        if !m.items.contains(i) {
            m.items.push(*i);
            m.items.sort();
        }
    }
    if !m.destinations.iter().any(|d| d == dest) {
        m.destinations.push(dest.to_string());
        m.destinations.sort();
    }
    m.evidence.extend(cites);
}
