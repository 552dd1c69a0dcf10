//! The risk register, derived from the data map: a risk is listed only when what the map
//! shows triggers it, with the destinations, items and lines that do.
//!
//! Scales follow the ICO's DPIA template: likelihood remote / possible / probable,
//! severity minimal / significant / severe, each 1–3; their product gives the level
//! (1–2 low, 3–4 medium, 6–9 high). Residual risk lowers the likelihood one step for each
//! mitigation the project file or the configuration shows (a declared ban on performance
//! assessment, a minimum group size, restricted access, a processor contract, a transfer
//! instrument), never below remote. Measures the configuration already applies (gates off,
//! keys removed or hashed) are in the data map, so a risk they remove is not listed at all.

use std::collections::BTreeSet;

use serde::Serialize;

use super::cite::{Cite, tidy};
use super::destinations::{DestinationView, Scope};
use super::items::{Item, ItemStatus, Status};
use super::measures::ConfigMeasure;
use super::org::{PolicyView, external};
use crate::analysis::destination::DestinationKind;
use crate::taxonomy::Level;

/// How likely harm is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Likelihood {
    /// 1.
    Remote,
    /// 2.
    Possible,
    /// 3.
    Probable,
}

/// How bad harm would be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// 1.
    Minimal,
    /// 2.
    Significant,
    /// 3.
    Severe,
}

/// Likelihood × severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    /// Product 1–2.
    Low,
    /// Product 3–4.
    Medium,
    /// Product 6–9.
    High,
}

/// The risks the register knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskKey {
    /// Prompts or responses leave: the space to think aloud becomes observable.
    ThinkingAloud,
    /// Being observed makes people use the tool guardedly.
    ChillingEffect,
    /// Secrets or personal data pasted by accident reach an external party.
    SecretsToVendor,
    /// Identifiers with usage or timing allow ranking individuals.
    RankingIndividuals,
    /// Free text may hold third parties' data or special categories (Art. 9).
    IncidentalSensitiveData,
    /// Personal data kept outside the EEA, or where is not known.
    ThirdCountryTransfer,
    /// Files, logs or scrape endpoints create copies outside controlled storage.
    UncontrolledCopies,
    /// Parts of the flow cannot be analysed (unknown processors, destinations, keys).
    LossOfControl,
    /// No retention period, or a long one.
    ExcessiveRetention,
    /// The vendor's own telemetry and error reports go to the vendor for its purposes.
    VendorOwnUse,
    /// Unauthorised access to stored telemetry (breach, over-broad internal access).
    UnauthorisedAccess,
}

/// What lowers a risk's likelihood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mitigation {
    /// `policy.performance_evaluation: false`.
    PerformanceEvaluationExcluded,
    /// `policy.min_group_size` set.
    MinimumGroupSize,
    /// Every destination concerned names who can access it.
    AccessRestricted,
    /// Every external recipient concerned is a processor bound by Art. 28.
    ProcessorContract,
    /// Every destination concerned outside the EEA has a transfer instrument.
    TransferInstrument,
}

/// One entry of the register.
#[derive(Debug, Clone, Serialize)]
pub struct Risk {
    /// Which risk.
    pub key: RiskKey,
    /// Inherent likelihood.
    pub likelihood: Likelihood,
    /// Severity.
    pub severity: Severity,
    /// Inherent level.
    pub level: RiskLevel,
    /// What lowers it.
    pub mitigations: Vec<Mitigation>,
    /// Likelihood after the mitigations.
    pub residual_likelihood: Likelihood,
    /// Level after the mitigations.
    pub residual_level: RiskLevel,
    /// The plain items that trigger it.
    pub items: Vec<Item>,
    /// The destinations concerned.
    pub destinations: Vec<String>,
    /// Configuration measures that bear on it (indices into `measures.config`).
    pub config_measures: Vec<usize>,
    /// The lines that trigger it.
    pub evidence: Vec<Cite>,
}

/// What the register is derived from.
pub struct RiskInputs<'a> {
    /// Every destination, with facts.
    pub destinations: &'a [DestinationView],
    /// The organisation's policy.
    pub policy: &'a PolicyView,
    /// Measures in the configuration.
    pub measures: &'a [ConfigMeasure],
    /// Where the analysis had to assume the worst (OD5xx and unresolved references).
    pub assumptions: &'a [Cite],
}

/// Builds the register, in the order of [`RiskKey`].
pub fn register(inp: &RiskInputs<'_>) -> Vec<Risk> {
    let mut out = Vec::new();
    let rules: [fn(&RiskInputs<'_>) -> Option<Draft>; 11] = [
        thinking_aloud,
        chilling_effect,
        secrets_to_vendor,
        ranking,
        incidental_sensitive,
        third_country,
        uncontrolled_copies,
        loss_of_control,
        retention,
        vendor_own_use,
        unauthorised_access,
    ];
    for rule in rules {
        if let Some(d) = rule(inp) {
            out.push(d.finish(inp.measures));
        }
    }
    out
}

/// A risk before its level is computed.
struct Draft {
    key: RiskKey,
    likelihood: Likelihood,
    severity: Severity,
    mitigations: Vec<Mitigation>,
    items: BTreeSet<Item>,
    destinations: BTreeSet<String>,
    evidence: Vec<Cite>,
}

impl Draft {
    fn new(key: RiskKey, likelihood: Likelihood, severity: Severity, hits: &Hits) -> Draft {
        Draft {
            key,
            likelihood,
            severity,
            mitigations: Vec::new(),
            items: hits.items.clone(),
            destinations: hits.destinations.clone(),
            evidence: hits.evidence.clone(),
        }
    }

    fn mitigate(mut self, when: bool, m: Mitigation) -> Draft {
        if when {
            self.mitigations.push(m);
        }
        self
    }

    fn finish(self, measures: &[ConfigMeasure]) -> Risk {
        let mut residual = self.likelihood;
        for _ in &self.mitigations {
            residual = lower(residual);
        }
        let config_measures = measures
            .iter()
            .enumerate()
            .filter(|(_, m)| m.items.iter().any(|i| self.items.contains(i)))
            .map(|(i, _)| i)
            .collect();
        Risk {
            key: self.key,
            level: level(self.likelihood, self.severity),
            residual_level: level(residual, self.severity),
            likelihood: self.likelihood,
            severity: self.severity,
            residual_likelihood: residual,
            mitigations: self.mitigations,
            items: self.items.into_iter().collect(),
            destinations: self.destinations.into_iter().collect(),
            config_measures,
            evidence: tidy(self.evidence, 8),
        }
    }
}

/// Likelihood × severity → level.
pub fn level(l: Likelihood, s: Severity) -> RiskLevel {
    let n = (l as u8 + 1) * (s as u8 + 1);
    match n {
        0..=2 => RiskLevel::Low,
        3..=4 => RiskLevel::Medium,
        _ => RiskLevel::High,
    }
}

fn lower(l: Likelihood) -> Likelihood {
    match l {
        Likelihood::Probable => Likelihood::Possible,
        _ => Likelihood::Remote,
    }
}

/// Where some items arrive.
#[derive(Default)]
struct Hits {
    items: BTreeSet<Item>,
    destinations: BTreeSet<String>,
    evidence: Vec<Cite>,
    always: bool,
}

impl Hits {
    fn any(&self) -> bool {
        !self.items.is_empty()
    }

    fn likelihood(&self) -> Likelihood {
        if self.always {
            Likelihood::Probable
        } else {
            Likelihood::Possible
        }
    }
}

/// Items that may arrive at the destinations `keep` selects, in a readable form unless
/// `hashed_counts`.
fn hits(
    inp: &RiskInputs<'_>,
    keep: impl Fn(&DestinationView) -> bool,
    wanted: impl Fn(Item) -> bool,
    hashed_counts: bool,
) -> Hits {
    let mut h = Hits::default();
    for d in inp
        .destinations
        .iter()
        .filter(|d| d.leaves_device && keep(d))
    {
        for s in d.items.iter().filter(|s| wanted(s.item)) {
            if !arrives(s, hashed_counts) {
                continue;
            }
            h.items.insert(s.item);
            h.destinations.insert(d.id.clone());
            h.always |= s.status == Status::Sent;
            h.evidence.extend(s.evidence.iter().cloned());
        }
    }
    h
}

fn arrives(s: &ItemStatus, hashed_counts: bool) -> bool {
    s.status != Status::NotSent && (hashed_counts || !s.hashed_only)
}

fn telemetry(d: &DestinationView) -> bool {
    d.scope == Scope::Telemetry
}

fn eval_excluded(inp: &RiskInputs<'_>) -> bool {
    inp.policy.performance_evaluation.value == Some(false)
}

fn access_restricted(inp: &RiskInputs<'_>, h: &Hits) -> bool {
    concerned(inp, h).all(|d| d.access.value.is_some())
}

fn concerned<'a>(
    inp: &'a RiskInputs<'_>,
    h: &'a Hits,
) -> impl Iterator<Item = &'a DestinationView> {
    inp.destinations
        .iter()
        .filter(|d| h.destinations.contains(&d.id))
}

fn thinking_aloud(inp: &RiskInputs<'_>) -> Option<Draft> {
    let h = hits(
        inp,
        telemetry,
        |i| matches!(i, Item::Prompts | Item::Responses),
        false,
    );
    h.any().then(|| {
        let severity = if eval_excluded(inp) {
            Severity::Significant
        } else {
            Severity::Severe
        };
        Draft::new(RiskKey::ThinkingAloud, h.likelihood(), severity, &h)
            .mitigate(
                eval_excluded(inp),
                Mitigation::PerformanceEvaluationExcluded,
            )
            .mitigate(access_restricted(inp, &h), Mitigation::AccessRestricted)
    })
}

fn activity(i: Item) -> bool {
    i.is_content() || matches!(i, Item::UsageCost | Item::Timing)
}

/// Identifiers (readable or hashed: a hash still links records to one person) together
/// with activity data at the same destination.
fn per_person(inp: &RiskInputs<'_>) -> Hits {
    let ids = hits(inp, telemetry, Item::is_identifier, true);
    let mut h = Hits::default();
    for d in concerned(inp, &ids) {
        let act = hits(inp, |x| x.id == d.id, activity, true);
        if act.any() {
            let idd = hits(inp, |x| x.id == d.id, Item::is_identifier, true);
            h.items.extend(idd.items.iter().chain(act.items.iter()));
            h.destinations.insert(d.id.clone());
            h.always |= idd.always && act.always;
            h.evidence
                .extend(idd.evidence.into_iter().chain(act.evidence));
        }
    }
    h
}

fn chilling_effect(inp: &RiskInputs<'_>) -> Option<Draft> {
    let content = hits(inp, telemetry, Item::is_content, false);
    let person = per_person(inp);
    if !content.any() && !person.any() {
        return None;
    }
    let h = if content.any() { content } else { person };
    let likelihood = if h.items.iter().any(|i| i.is_content()) && h.always {
        Likelihood::Probable
    } else {
        Likelihood::Possible
    };
    Some(
        Draft::new(
            RiskKey::ChillingEffect,
            likelihood,
            Severity::Significant,
            &h,
        )
        .mitigate(
            eval_excluded(inp),
            Mitigation::PerformanceEvaluationExcluded,
        )
        .mitigate(
            inp.policy.min_group_size.is_some(),
            Mitigation::MinimumGroupSize,
        ),
    )
}

fn secrets_to_vendor(inp: &RiskInputs<'_>) -> Option<Draft> {
    let outside = |d: &DestinationView| {
        d.kind == DestinationKind::Vendor
            || external(d.role.value)
            || d.kind == DestinationKind::Unknown
    };
    let secretish = |i: Item| {
        matches!(
            i,
            Item::Prompts
                | Item::Commands
                | Item::Configuration
                | Item::ToolResults
                | Item::FileContents
        )
    };
    let h = hits(inp, outside, secretish, false);
    h.any().then(|| {
        let contract = concerned(inp, &h)
            .all(|d| d.role.value == Some(crate::project::RecipientRole::Processor));
        Draft::new(
            RiskKey::SecretsToVendor,
            h.likelihood(),
            Severity::Significant,
            &h,
        )
        .mitigate(contract, Mitigation::ProcessorContract)
    })
}

fn ranking(inp: &RiskInputs<'_>) -> Option<Draft> {
    let h = per_person(inp);
    h.any().then(|| {
        let (likelihood, severity) = match inp.policy.performance_evaluation.value {
            Some(true) => (Likelihood::Probable, Severity::Severe),
            Some(false) => (Likelihood::Possible, Severity::Significant),
            None => (Likelihood::Probable, Severity::Significant),
        };
        Draft::new(RiskKey::RankingIndividuals, likelihood, severity, &h)
            .mitigate(
                eval_excluded(inp),
                Mitigation::PerformanceEvaluationExcluded,
            )
            .mitigate(
                inp.policy.min_group_size.is_some(),
                Mitigation::MinimumGroupSize,
            )
    })
}

fn incidental_sensitive(inp: &RiskInputs<'_>) -> Option<Draft> {
    let h = hits(inp, |_| true, Item::is_content, false);
    h.any().then(|| {
        Draft::new(
            RiskKey::IncidentalSensitiveData,
            Likelihood::Possible,
            Severity::Severe,
            &h,
        )
        .mitigate(access_restricted(inp, &h), Mitigation::AccessRestricted)
    })
}

fn personal(d: &DestinationView) -> bool {
    d.max_level >= Level::Pseudonymous
}

fn third_country(inp: &RiskInputs<'_>) -> Option<Draft> {
    let abroad = |d: &DestinationView| personal(d) && d.in_eea != Some(true);
    let h = hits(inp, abroad, |i| i.level() >= Level::Pseudonymous, true);
    h.any().then(|| {
        let known = concerned(inp, &h).all(|d| d.in_eea == Some(false));
        let content = concerned(inp, &h).any(|d| d.carries_content);
        let likelihood = if known {
            Likelihood::Probable
        } else {
            Likelihood::Possible
        };
        let severity = if content {
            Severity::Significant
        } else {
            Severity::Minimal
        };
        let instrument = concerned(inp, &h).all(|d| d.transfer_mechanism.value.is_some());
        Draft::new(RiskKey::ThirdCountryTransfer, likelihood, severity, &h)
            .mitigate(instrument, Mitigation::TransferInstrument)
    })
}

fn uncontrolled_copies(inp: &RiskInputs<'_>) -> Option<Draft> {
    let copies = |d: &DestinationView| {
        matches!(
            d.kind,
            DestinationKind::File | DestinationKind::Stdout | DestinationKind::Pull
        )
    };
    let mut h = Hits::default();
    for d in inp.destinations.iter().filter(|d| copies(d) && personal(d)) {
        h.destinations.insert(d.id.clone());
        h.items
            .extend(d.items.iter().filter(|s| arrives(s, true)).map(|s| s.item));
        h.evidence.extend(d.evidence.iter().cloned());
        h.always = true;
    }
    h.any().then(|| {
        let content = concerned(inp, &h).any(|d| d.carries_content);
        let severity = if content {
            Severity::Significant
        } else {
            Severity::Minimal
        };
        Draft::new(
            RiskKey::UncontrolledCopies,
            Likelihood::Probable,
            severity,
            &h,
        )
    })
}

fn loss_of_control(inp: &RiskInputs<'_>) -> Option<Draft> {
    let mut h = Hits::default();
    for d in inp.destinations.iter().filter(|d| d.leaves_device) {
        let unknown_keys = d
            .items
            .iter()
            .any(|s| s.keys.iter().any(|k| k == "(unknown keys)"));
        if d.kind == DestinationKind::Unknown || unknown_keys {
            h.destinations.insert(d.id.clone());
            for s in d
                .items
                .iter()
                .filter(|s| s.keys.iter().any(|k| k == "(unknown keys)"))
            {
                h.items.insert(s.item);
            }
        }
    }
    h.evidence.extend(inp.assumptions.iter().cloned());
    (h.any() || !h.destinations.is_empty() || !inp.assumptions.is_empty()).then(|| {
        let content = h.items.iter().any(|i| i.is_content());
        let severity = if content {
            Severity::Significant
        } else {
            Severity::Minimal
        };
        Draft::new(RiskKey::LossOfControl, Likelihood::Possible, severity, &h)
    })
}

/// More than this many days of personal data is called long.
pub const LONG_RETENTION_DAYS: u32 = 365;

fn retention(inp: &RiskInputs<'_>) -> Option<Draft> {
    let long = |d: &DestinationView| {
        personal(d)
            && (d.retention_todo.is_some()
                || d.retention_days.is_some_and(|n| n > LONG_RETENTION_DAYS))
    };
    let h = hits(inp, long, |i| i.level() >= Level::Pseudonymous, true);
    h.any().then(|| {
        let content = concerned(inp, &h).any(|d| d.carries_content);
        let severity = if content {
            Severity::Significant
        } else {
            Severity::Minimal
        };
        Draft::new(
            RiskKey::ExcessiveRetention,
            Likelihood::Possible,
            severity,
            &h,
        )
    })
}

fn vendor_own_use(inp: &RiskInputs<'_>) -> Option<Draft> {
    let own = |d: &DestinationView| d.scope == Scope::Vendor && !d.model_api;
    let h = hits(inp, own, |_| true, true);
    h.any().then(|| {
        let unknown = h.items.contains(&Item::OtherValues);
        let severity = if unknown {
            Severity::Significant
        } else {
            Severity::Minimal
        };
        Draft::new(RiskKey::VendorOwnUse, h.likelihood(), severity, &h)
    })
}

fn unauthorised_access(inp: &RiskInputs<'_>) -> Option<Draft> {
    let h = hits(inp, telemetry, |i| i.level() >= Level::Pseudonymous, true);
    h.any().then(|| {
        let top = concerned(inp, &h)
            .map(|d| d.max_level)
            .max()
            .unwrap_or(Level::None);
        let severity = match top {
            Level::Content => Severity::Severe,
            Level::Personal => Severity::Significant,
            _ => Severity::Minimal,
        };
        Draft::new(
            RiskKey::UnauthorisedAccess,
            Likelihood::Possible,
            severity,
            &h,
        )
        .mitigate(access_restricted(inp, &h), Mitigation::AccessRestricted)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_follow_the_product_of_the_scales() {
        assert_eq!(
            level(Likelihood::Remote, Severity::Severe),
            RiskLevel::Medium
        );
        assert_eq!(
            level(Likelihood::Remote, Severity::Significant),
            RiskLevel::Low
        );
        assert_eq!(
            level(Likelihood::Possible, Severity::Significant),
            RiskLevel::Medium
        );
        assert_eq!(
            level(Likelihood::Probable, Severity::Significant),
            RiskLevel::High
        );
        assert_eq!(lower(lower(Likelihood::Probable)), Likelihood::Remote);
    }
}
