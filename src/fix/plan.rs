//! What the fix changes, chosen from the analysis's own data map: which destinations a
//! policy does not yet hold for, and — per collector — which keys of which record may
//! stay, which identifiers are hashed, and which pipelines carry the processor.
//!
//! The keep lists are taken from what the map says reaches each destination (so what the
//! collector's own processors already removed stays removed), keeping a key only where
//! every destination the collector feeds may receive it under the policy. Records the map
//! does not know (a newer client's events) lose every attribute, so the processor is
//! sound for them too.

use std::collections::BTreeMap;

use crate::analysis::map::{AttrOut, DestinationOut};
use crate::analysis::shape::{AttrState, Presence};
use crate::checks::Context;
use crate::checks::arrivals::{Arrival, Class, arrivals, class};
use crate::project::PolicyLevel;

/// A destination the policy does not hold for, and what arrives there beyond it.
#[derive(Debug)]
pub struct Breach<'a> {
    /// The destination.
    pub destination: &'a DestinationOut,
    /// What arrives beyond the policy.
    pub beyond: Vec<Arrival<'a>>,
}

/// Every destination off the device, other than the model request itself, where
/// something arrives that `policy` does not allow (the rule of DP002).
pub fn breaches<'a>(ctx: &Context<'a>, policy: PolicyLevel) -> Vec<Breach<'a>> {
    ctx.leaving()
        .filter(|d| !ctx.is_service(d))
        .filter_map(|d| {
            let beyond: Vec<Arrival<'a>> = arrivals(d)
                .into_iter()
                .filter(|a| !permitted(policy, a.category, a.state))
                .collect();
            (!beyond.is_empty()).then_some(Breach {
                destination: d,
                beyond,
            })
        })
        .collect()
}

/// Whether the policy allows a value of `category` in `state` to arrive.
pub fn permitted(
    policy: PolicyLevel,
    category: crate::taxonomy::Category,
    state: AttrState,
) -> bool {
    if matches!(state, AttrState::Hashed | AttrState::Placeholder) {
        return true;
    }
    match class(category) {
        Class::Metadata => true,
        Class::Identifier => policy >= PolicyLevel::Identifiers,
        Class::Content => policy >= PolicyLevel::Content,
    }
}

/// What happens to one key of one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum KeyFate {
    /// Kept as it is.
    Keep,
    /// Kept as a SHA-256 hash.
    Hash,
    /// Deleted.
    Drop,
}

/// The fate of an attribute under a policy.
pub fn fate(policy: PolicyLevel, a: &AttrOut) -> KeyFate {
    let cats = std::iter::once(a.category).chain(a.also.iter().copied());
    let worst = cats.map(class).max().unwrap_or(Class::Content);
    let ours = a
        .evidence
        .iter()
        .any(|e| e.what.contains(super::collector_edit::PROCESSOR_ID));
    if worst == Class::Content && a.state == AttrState::Placeholder {
        // The client sends a constant in its place today; the collector must not rely on
        // that (an unmanaged client, a changed default): content keys do not pass at all.
        KeyFate::Drop
    } else if a.state == AttrState::Hashed && ours {
        // Hashed by the fix's own processor on an earlier run: it must go on hashing, so
        // that a run on fixed inputs writes the same processor again.
        KeyFate::Hash
    } else if cats_ok(policy, a) {
        KeyFate::Keep
    } else if worst == Class::Identifier && policy == PolicyLevel::MetadataOnly {
        // Hashed where it is there (`… where attributes["k"] != nil`), absent where it
        // is not; a value that cannot be hashed stops the batch (see `processor`).
        KeyFate::Hash
    } else {
        KeyFate::Drop
    }
}

fn cats_ok(policy: PolicyLevel, a: &AttrOut) -> bool {
    std::iter::once(a.category)
        .chain(a.also.iter().copied())
        .all(|c| permitted(policy, c, a.state))
}

/// The keys of one record, by name, with their fate.
pub type RecordKeys = BTreeMap<String, KeyFate>;

/// The processor's content for one collector: per signal, per record name, the keys.
#[derive(Debug, Default)]
pub struct Statements {
    /// signal (`metrics`, `logs`, `traces`) → record name (`resource` for the resource)
    /// → key → fate.
    pub signals: BTreeMap<String, BTreeMap<String, RecordKeys>>,
    /// Log records → the constant `event.name` that tells them apart, where every
    /// destination sees one (`None` where one does not). Codex CLI and Gemini CLI events
    /// have no body that names them; Claude Code's have both.
    pub event_names: BTreeMap<String, Option<String>>,
}

impl Statements {
    /// Adds what reaches one destination. A key judged differently at two destinations
    /// gets the stricter fate.
    pub fn add(&mut self, d: &DestinationOut, policy: PolicyLevel) {
        for r in d.records.iter().filter(|r| r.parent.is_none()) {
            let keys = self
                .signals
                .entry(r.signal.clone())
                .or_default()
                .entry(r.name.clone())
                .or_default();
            for a in &r.attributes {
                let f = fate(policy, a);
                let slot = keys.entry(a.key.clone()).or_insert(f);
                *slot = (*slot).max(f);
            }
            if r.signal == "logs" && r.name != "resource" {
                let named = event_name(r);
                self.event_names
                    .entry(r.name.clone())
                    .and_modify(|e| {
                        if *e != named {
                            *e = None;
                        }
                    })
                    .or_insert(named);
            }
        }
    }
}

/// The record's `event.name` when it is certainly there with one constant value.
fn event_name(r: &crate::analysis::map::RecordOut) -> Option<String> {
    r.attributes
        .iter()
        .find(|a| a.key == "event.name")
        .filter(|a| a.state == AttrState::Placeholder && a.presence == Presence::Always)
        .and_then(|a| a.placeholder.clone())
}

/// The destination id's collector and exporter: `gateway:otlphttp/x` with several
/// collectors, `otlphttp/x` with one.
pub fn exporter_of<'a>(id: &'a str, collectors: &[String]) -> Option<(usize, &'a str)> {
    if collectors.len() == 1 {
        return (!id.contains("://") && !id.starts_with("vendor:") && !id.starts_with("direct:"))
            .then_some((0, id));
    }
    collectors.iter().enumerate().find_map(|(i, name)| {
        id.strip_prefix(name.as_str())
            .and_then(|rest| rest.strip_prefix(':'))
            .map(|e| (i, e))
    })
}
