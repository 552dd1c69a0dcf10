//! What the client emits: the catalogue's records for one client version, evaluated
//! against the effective environment, as [`RecordShape`]s.
//!
//! A pure function: no files, no clock, no printing. Records of signals that are not
//! exported yield nothing; flows outside OpenTelemetry are evaluated regardless. Every
//! decision keeps the settings that made it ([`Evidence`]).

use serde::Serialize;

use super::env::EnvLookup;
use super::gate::{self, GateResult};
use super::openness;
use super::shape::{
    AttrShape, AttrState, DestinationShape, Evidence, Outcome, Presence, RecordShape, UnknownKeys,
    Withheld,
};
use super::signals::{ExportedSignals, SignalExport};
use crate::catalogue::telemetry::{
    Attr, AttrKey, Catalogue, OffSpec, Record, ResolvedVersion, model::DestinationSpec,
};

/// Everything one client exports under one environment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Emission {
    /// The source, e.g. `claude-code`.
    pub source: String,
    /// The version whose behaviour was used.
    pub version: String,
    /// The version asked for, when it differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requested_version: Option<String>,
    /// The records, in catalogue order.
    pub records: Vec<RecordShape>,
    /// Caveats the output must repeat (e.g. an unchecked client version).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Computes the record shapes `cat` says the client exports at `version`, given the
/// effective environment and which OTel signals are exported.
pub fn client_emits(
    cat: &Catalogue,
    version: &ResolvedVersion,
    env: &dyn EnvLookup,
    exported: &ExportedSignals,
) -> Emission {
    let all = cat.records(&version.used);
    let ctx = Ctx {
        cat,
        env,
        data_gates: openness::data_gates(cat, &all),
    };
    let records = all
        .iter()
        .filter_map(|r| ctx.record(r, exported.get(r.signal)))
        .collect();
    Emission {
        source: cat.source().to_string(),
        version: version.used.to_string(),
        requested_version: version.requested.clone().filter(|_| !version.exact),
        records,
        notes: version.note.iter().cloned().collect(),
    }
}

struct Ctx<'a> {
    cat: &'a Catalogue,
    env: &'a dyn EnvLookup,
    /// The gates a lower settings layer may flip to let data out (see [`openness`]).
    data_gates: std::collections::BTreeSet<String>,
}

/// Presence and evidence gathered while evaluating one item.
struct Decision {
    presence: Presence,
    evidence: Vec<Evidence>,
}

impl Decision {
    fn new(presence: Presence, condition: Option<&String>) -> Self {
        let presence = if condition.is_some() {
            Presence::Maybe
        } else {
            presence
        };
        Decision {
            presence,
            evidence: Vec::new(),
        }
    }

    /// Takes a gate result in; an uncertain result makes the item `maybe`.
    fn note(&mut self, r: GateResult) -> bool {
        if r.on && !r.certain {
            self.presence = Presence::Maybe;
        }
        self.evidence.extend(r.evidence);
        r.on
    }
}

/// The attributes, unknown keys and withheld keys of one record.
#[derive(Default)]
struct Attrs {
    shapes: Vec<AttrShape>,
    unknown: Vec<UnknownKeys>,
    withheld: Vec<Withheld>,
}

impl Ctx<'_> {
    fn gate(&self, name: &str) -> GateResult {
        gate::eval(self.cat, name, self.env)
    }

    /// A gate whose "on" lets data out: a data gate left open may be on.
    fn opens(&self, name: &str) -> GateResult {
        let r = self.gate(name);
        match self.cat.gate(name) {
            Some(g) if self.data_gates.contains(name) => openness::widen(r, &g.setting),
            _ => r,
        }
    }

    /// A gate whose "on" stops data: a data gate left open may be off.
    fn stops(&self, name: &str) -> GateResult {
        let r = self.gate(name);
        match self.cat.gate(name) {
            Some(g) if self.data_gates.contains(name) => openness::loosen(r, &g.setting),
            _ => r,
        }
    }

    fn record(&self, r: &Record, export: SignalExport) -> Option<RecordShape> {
        if !export.exported {
            return None;
        }
        let mut d = Decision::new(r.presence, r.condition.as_ref());
        d.note(GateResult {
            on: true,
            certain: export.certain,
            pinned: true,
            evidence: export.evidence,
        });
        for g in &r.requires {
            if !d.note(self.opens(g)) {
                return None;
            }
        }
        for g in &r.disabled_by {
            let res = self.stops(g);
            if res.on && res.certain {
                return None;
            }
            d.note(GateResult { on: true, ..res });
        }
        let mut attrs = Attrs::default();
        for a in &r.attributes {
            self.attr(a, &mut attrs);
        }
        Some(RecordShape {
            signal: r.signal,
            kind: r.kind,
            name: r.name.clone(),
            parent: r.parent.clone(),
            body: r.body.clone(),
            presence: d.presence,
            condition: r.condition.clone(),
            value: r.value,
            attributes: merge_duplicates(attrs.shapes),
            unknown_keys: attrs.unknown,
            withheld: attrs.withheld,
            destinations: self.destinations(&r.destinations),
            evidence: d.evidence,
            catalogue_evidence: r.evidence,
        })
    }

    fn attr(&self, a: &Attr, out: &mut Attrs) {
        let mut d = Decision::new(a.presence, a.condition.as_ref());
        let mut on = a.requires.iter().all(|g| d.note(self.opens(g)));
        let mut state = match &a.constant {
            Some(c) => (AttrState::Placeholder, Some(c.clone())),
            None => (AttrState::Raw, None),
        };
        if on && let Some(g) = &a.gate {
            on = d.note(self.opens(g));
            if let (false, OffSpec::Placeholder { placeholder }) = (on, &a.off) {
                state = (AttrState::Placeholder, Some(placeholder.clone()));
                on = true;
            }
        }
        let (keys, malformed) = self.keys(a, &mut d);
        if !on {
            out.withheld.extend(keys.into_iter().map(|key| Withheld {
                key,
                category: a.category,
                evidence: d.evidence.clone(),
            }));
            return;
        }
        if malformed {
            let reason = "an entry of the setting is not KEY=VALUE; what the client makes of it is not known";
            out.unknown
                .push(unknown(a, reason.to_string(), Presence::Maybe, &d.evidence));
        }
        if let AttrKey::UnknownKeys(reason) = &a.key {
            out.unknown
                .push(unknown(a, reason.clone(), d.presence, &d.evidence));
            return;
        }
        out.shapes.extend(keys.into_iter().map(|key| AttrShape {
            key,
            category: a.category,
            also: a.also.iter().map(|x| x.category).collect(),
            kind: a.kind,
            state: state.0,
            placeholder: state.1.clone(),
            presence: d.presence,
            condition: a.condition.clone(),
            signals: a.signals.clone(),
            evidence: d.evidence.clone(),
            catalogue_evidence: a.evidence,
        }));
    }

    /// The keys an attribute entry stands for under this environment, and whether the
    /// setting they come from had a malformed entry.
    fn keys(&self, a: &Attr, d: &mut Decision) -> (Vec<String>, bool) {
        match &a.key {
            AttrKey::Key(k) => (vec![k.clone()], false),
            AttrKey::UnknownKeys(_) => (Vec::new(), false),
            AttrKey::KeysFrom(setting) => {
                let Some(v) = self.env.get(setting) else {
                    return (Vec::new(), false);
                };
                d.evidence.push(Evidence {
                    setting: setting.clone(),
                    value: None,
                    provenance: v.provenance,
                    span: v.span,
                    outcome: Outcome::On,
                    note: Some("attribute keys taken from this value".to_string()),
                });
                pair_keys(&v.value)
            }
        }
    }

    fn destinations(&self, specs: &[DestinationSpec]) -> Vec<DestinationShape> {
        let chosen: Vec<Option<GateResult>> = specs
            .iter()
            .map(|d| d.when.as_ref().map(|g| self.gate(g)).filter(|r| r.on))
            .collect();
        let other_certain = chosen.iter().flatten().any(|r| r.certain);
        let any_other = chosen.iter().flatten().next().is_some();
        specs
            .iter()
            .zip(chosen)
            .filter_map(|(spec, res)| match (&spec.when, res) {
                (Some(_), Some(r)) => Some(self.destination(spec, r.certain, r.evidence)),
                (None, _) if !other_certain => Some(self.destination(spec, !any_other, Vec::new())),
                _ => None,
            })
            .collect()
    }

    fn destination(
        &self,
        spec: &DestinationSpec,
        certain: bool,
        evidence: Vec<Evidence>,
    ) -> DestinationShape {
        let from_setting = spec.host_from.as_ref().and_then(|s| self.env.get(s));
        DestinationShape {
            id: spec.id.clone(),
            label: spec.label.clone(),
            host: spec
                .host
                .clone()
                .or_else(|| from_setting.and_then(|v| host_of(&v.value))),
            path: spec.path.clone(),
            presence: if certain {
                Presence::Always
            } else {
                Presence::Maybe
            },
            evidence,
        }
    }
}

fn unknown(a: &Attr, reason: String, presence: Presence, evidence: &[Evidence]) -> UnknownKeys {
    let mut categories = vec![a.category];
    categories.extend(a.also.iter().map(|x| x.category));
    UnknownKeys {
        categories,
        reason,
        presence,
        evidence: evidence.to_vec(),
    }
}

/// The keys of a `k1=v1,k2=v2` value (OTEL_RESOURCE_ATTRIBUTES form), in order, and
/// whether some entry was malformed. Values are never returned.
pub fn pair_keys(value: &str) -> (Vec<String>, bool) {
    let mut keys: Vec<String> = Vec::new();
    let mut malformed = false;
    for entry in value.split(',').filter(|e| !e.trim().is_empty()) {
        match entry.split_once('=') {
            Some((k, _)) if !k.trim().is_empty() => {
                let k = k.trim().to_string();
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
            _ => malformed = true,
        }
    }
    (keys, malformed)
}

/// The host (and port) of a URL, without user info, path or query, lower-cased.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    (!host.trim().is_empty()).then(|| host.trim().to_lowercase())
}

/// The same key from two entries (a fixed key and an administrator's key of the same name)
/// becomes one attribute: the least protected state, the most personal category.
fn merge_duplicates(shapes: Vec<AttrShape>) -> Vec<AttrShape> {
    let mut out: Vec<AttrShape> = Vec::new();
    for s in shapes {
        match out.iter_mut().find(|o| o.key == s.key) {
            Some(o) => join(o, s),
            None => out.push(s),
        }
    }
    out
}

fn join(into: &mut AttrShape, other: AttrShape) {
    if other.state < into.state {
        into.state = other.state;
        into.placeholder = other.placeholder;
    }
    if other.presence < into.presence {
        into.presence = other.presence;
        into.condition = other.condition;
    }
    let (hi, lo) = if other.category.level() > into.category.level() {
        (other.category, into.category)
    } else {
        (into.category, other.category)
    };
    into.category = hi;
    for c in std::iter::once(lo).chain(other.also) {
        if c != hi && !into.also.contains(&c) {
            into.also.push(c);
        }
    }
    into.evidence.extend(other.evidence);
}

#[cfg(test)]
mod tests;
