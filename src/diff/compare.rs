//! Comparing two analysed deployments: destinations, categories, forms and facts.

use std::collections::{BTreeMap, BTreeSet};

use super::model::*;
use super::{consequences, settings};
use crate::analysis::map::{DataMap, DestinationOut};
use crate::analysis::shape::AttrState;
use crate::project::{DestinationFacts, PolicyLevel, Project, Text, is_eea};
use crate::sources::EffectiveSettings;
use crate::taxonomy::Category;

/// One analysed deployment.
#[derive(Debug, Clone)]
pub struct Side {
    /// How it is named in the output (a file name, or `REF:path`).
    pub label: String,
    /// Its data map.
    pub map: DataMap,
    /// The coding agents' effective settings.
    pub settings: Vec<EffectiveSettings>,
    /// The project file, if any.
    pub project: Option<Project>,
    /// How `fix` would make this side meet its policy, when `check` fails on it (worked
    /// out for the head only: the base is history).
    pub fix: Option<FixHint>,
}

/// What differs between `base` and `head`, and what follows from it.
pub fn compare(base: &Side, head: &Side) -> Diff {
    let (added, removed, changed) = destinations(&base.map, &head.map);
    let (now_leaving, stopped) = categories(&base.map, &head.map);
    let mut diff = Diff {
        schema_version: SCHEMA_VERSION,
        base: base.label.clone(),
        head: head.label.clone(),
        direction: Direction::Unchanged,
        destinations_added: added,
        destinations_removed: removed,
        destinations_changed: changed,
        categories_now_leaving: now_leaving,
        categories_stopped: stopped,
        state_changes: states(&base.map, &head.map),
        settings: settings::changes(&base.settings, &head.settings),
        facts: facts(base.project.as_ref(), head.project.as_ref()),
        consequences: Vec::new(),
        fix: head.fix.clone(),
    };
    diff.direction = direction(&diff);
    let council = head
        .project
        .as_ref()
        .or(base.project.as_ref())
        .and_then(|p| p.works_council.clone());
    diff.consequences = consequences::of(&diff, council.as_ref());
    diff
}

/// Categories that may arrive at a destination as named attributes (placeholders carry
/// nothing), and with keys of unknown name as well.
fn named_and_possible(d: &DestinationOut) -> (BTreeSet<Category>, BTreeSet<Category>) {
    let mut named = BTreeSet::new();
    let mut possible = BTreeSet::new();
    for r in &d.records {
        for a in r
            .attributes
            .iter()
            .filter(|a| a.state != AttrState::Placeholder)
        {
            named.insert(a.category);
            named.extend(a.also.iter().copied());
        }
        for u in &r.unknown_keys {
            possible.extend(u.categories.iter().copied());
        }
    }
    possible.extend(named.iter().copied());
    (named, possible)
}

fn summary(d: &DestinationOut) -> DestinationSummary {
    DestinationSummary {
        id: d.id.clone(),
        kind: d.kind,
        endpoint: d.endpoint.clone(),
        leaves_device: d.leaves_device,
        categories: named_and_possible(d).1.into_iter().collect(),
    }
}

fn find<'a>(map: &'a DataMap, id: &str) -> Option<&'a DestinationOut> {
    map.destinations.iter().find(|d| d.id == id)
}

type DestinationDiff = (
    Vec<DestinationSummary>,
    Vec<DestinationSummary>,
    Vec<Change>,
);

fn destinations(base: &DataMap, head: &DataMap) -> DestinationDiff {
    let added = head
        .destinations
        .iter()
        .filter(|d| find(base, &d.id).is_none())
        .map(summary)
        .collect();
    let removed = base
        .destinations
        .iter()
        .filter(|d| find(head, &d.id).is_none())
        .map(summary)
        .collect();
    let mut changed = Vec::new();
    for h in &head.destinations {
        let Some(b) = find(base, &h.id) else { continue };
        if b.endpoint != h.endpoint {
            changed.push(Change {
                subject: h.id.clone(),
                field: "endpoint".into(),
                from: b.endpoint.clone(),
                to: h.endpoint.clone(),
                widening: Some(true),
                at: None,
            });
        }
        if b.leaves_device != h.leaves_device {
            changed.push(Change {
                subject: h.id.clone(),
                field: "leaves the device".into(),
                from: Some(b.leaves_device.to_string()),
                to: Some(h.leaves_device.to_string()),
                widening: Some(h.leaves_device),
                at: None,
            });
        }
    }
    (added, removed, changed)
}

/// Per (category, destination off the device): example attributes (empty for keys of
/// unknown name only).
type Reach = BTreeMap<(Category, String), Vec<String>>;

fn reach(map: &DataMap, named_only: bool) -> Reach {
    let mut out: Reach = BTreeMap::new();
    for d in map.destinations.iter().filter(|d| d.leaves_device) {
        for r in &d.records {
            for a in r
                .attributes
                .iter()
                .filter(|a| a.state != AttrState::Placeholder)
            {
                for c in std::iter::once(a.category).chain(a.also.iter().copied()) {
                    let examples = out.entry((c, d.id.clone())).or_default();
                    let ex = format!("`{}` in `{}`", a.key, r.name);
                    if examples.len() < 3 && !examples.contains(&ex) {
                        examples.push(ex);
                    }
                }
            }
            if named_only {
                continue;
            }
            for u in &r.unknown_keys {
                for &c in &u.categories {
                    out.entry((c, d.id.clone())).or_default();
                }
            }
        }
    }
    out
}

/// Groups (category, destination) pairs by category.
fn flows<'a>(
    pairs: impl Iterator<Item = (&'a (Category, String), &'a Vec<String>)>,
    before: impl Fn(&(Category, String)) -> bool,
) -> Vec<CategoryFlow> {
    let mut out: Vec<CategoryFlow> = Vec::new();
    for (key, examples) in pairs {
        let (category, destination) = key;
        let i = match out.iter().position(|f| f.category == *category) {
            Some(i) => i,
            None => {
                out.push(CategoryFlow {
                    category: *category,
                    destinations: Vec::new(),
                    examples: Vec::new(),
                    before: None,
                });
                out.len() - 1
            }
        };
        let flow = &mut out[i];
        flow.destinations.push(destination.clone());
        for e in examples {
            if flow.examples.len() < 3 && !flow.examples.contains(e) {
                flow.examples.push(e.clone());
            }
        }
        if before(key) {
            flow.before = Some(format!(
                "could already arrive at {destination} under keys of unknown name"
            ));
        }
    }
    out
}

/// Categories that now reach a destination off the device they did not reach before (as
/// named attributes), and those that can no longer reach one they could.
fn categories(base: &DataMap, head: &DataMap) -> (Vec<CategoryFlow>, Vec<CategoryFlow>) {
    let (base_named, base_possible) = (reach(base, true), reach(base, false));
    let (head_named, head_possible) = (reach(head, true), reach(head, false));
    let now = flows(
        head_named
            .iter()
            .filter(|(k, _)| !base_named.contains_key(k)),
        |k| base_possible.contains_key(k),
    );
    let stopped = flows(
        base_possible
            .iter()
            .filter(|(k, _)| !head_possible.contains_key(k)),
        |_| false,
    );
    (now, stopped)
}

/// Per attribute key: its category and least protected form over all records.
fn forms(d: &DestinationOut) -> BTreeMap<String, (Category, AttrState)> {
    let mut out: BTreeMap<String, (Category, AttrState)> = BTreeMap::new();
    for a in d.records.iter().flat_map(|r| r.attributes.iter()) {
        let e = out.entry(a.key.clone()).or_insert((a.category, a.state));
        e.1 = e.1.min(a.state);
    }
    out
}

fn states(base: &DataMap, head: &DataMap) -> Vec<StateChange> {
    let mut out = Vec::new();
    for h in &head.destinations {
        let Some(b) = find(base, &h.id) else { continue };
        let before = forms(b);
        for (key, (category, to)) in forms(h) {
            let Some(&(_, from)) = before.get(&key) else {
                continue;
            };
            if from != to {
                out.push(StateChange {
                    destination: h.id.clone(),
                    key,
                    category,
                    from,
                    to,
                    widening: to < from,
                });
            }
        }
    }
    out
}

/// The key a destination's facts are matched by across the two project files.
fn fact_key(f: &DestinationFacts) -> String {
    f.exporter
        .clone()
        .or_else(|| f.host.clone())
        .unwrap_or_default()
}

fn text<T: serde::Serialize>(v: &Option<T>) -> Option<String> {
    v.as_ref().map(|x| match serde_json::to_value(x) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    })
}

fn change(
    subject: &str,
    field: &str,
    from: Option<String>,
    to: Option<String>,
    widening: Option<bool>,
) -> Option<Change> {
    (from != to).then(|| Change {
        subject: subject.to_string(),
        field: field.to_string(),
        from,
        to,
        widening,
        at: None,
    })
}

fn facts(base: Option<&Project>, head: Option<&Project>) -> Vec<Change> {
    let empty = Project::default();
    let (b, h) = (base.unwrap_or(&empty), head.unwrap_or(&empty));
    let mut out = Vec::new();
    let keys: BTreeSet<String> = b
        .destinations
        .iter()
        .chain(&h.destinations)
        .map(fact_key)
        .collect();
    for key in keys {
        let none = DestinationFacts::default();
        let bf = b
            .destinations
            .iter()
            .find(|f| fact_key(f) == key)
            .unwrap_or(&none);
        let hf = h
            .destinations
            .iter()
            .find(|f| fact_key(f) == key)
            .unwrap_or(&none);
        out.extend(destination_facts(&format!("destination `{key}`"), bf, hf));
    }
    let policy = |p: &Project| p.policy.as_ref().and_then(|x| x.allowed);
    let (bp, hp) = (policy(b), policy(h));
    let widening = match (bp, hp) {
        (Some(x), Some(y)) => Some(y > x),
        (None, Some(_)) => Some(false),
        (Some(_), None) => Some(true),
        _ => None,
    };
    out.extend(change(
        "policy",
        "allowed",
        text::<PolicyLevel>(&bp),
        text(&hp),
        widening,
    ));
    let evaluation = |p: &Project| p.policy.as_ref().and_then(|x| x.performance_evaluation);
    let (be, he) = (evaluation(b), evaluation(h));
    out.extend(change(
        "policy",
        "performance_evaluation",
        be.map(|x| x.to_string()),
        he.map(|x| x.to_string()),
        Some(he == Some(true)),
    ));
    let ids = |p: &Project| {
        p.purposes
            .iter()
            .map(|x| x.id.clone())
            .collect::<BTreeSet<_>>()
    };
    for id in ids(h).difference(&ids(b)) {
        out.extend(change(
            "purposes",
            "purpose",
            None,
            Some(id.clone()),
            Some(true),
        ));
    }
    for id in ids(b).difference(&ids(h)) {
        out.extend(change(
            "purposes",
            "purpose",
            Some(id.clone()),
            None,
            Some(false),
        ));
    }
    out
}

fn destination_facts(subject: &str, b: &DestinationFacts, h: &DestinationFacts) -> Vec<Change> {
    let mut out = Vec::new();
    // A recipient reworded or translated is not a new recipient: only a text that matches
    // in no language counts as widening.
    let new_recipient = match (&b.recipient, &h.recipient) {
        (Some(x), Some(y)) => !x.agrees_with(y),
        _ => true,
    };
    out.extend(change(
        subject,
        "recipient",
        b.recipient.as_ref().map(Text::summary),
        h.recipient.as_ref().map(Text::summary),
        Some(new_recipient),
    ));
    let country_widening = match (b.country.as_deref(), h.country.as_deref()) {
        (Some(x), Some(y)) if is_eea(x) && !is_eea(y) => Some(true),
        (Some(x), Some(y)) if !is_eea(x) && is_eea(y) => Some(false),
        _ => None,
    };
    out.extend(change(
        subject,
        "country",
        b.country.clone(),
        h.country.clone(),
        country_widening,
    ));
    out.extend(change(
        subject,
        "transfer_mechanism",
        text(&b.transfer_mechanism),
        text(&h.transfer_mechanism),
        None,
    ));
    let retention_widening = match (b.retention_days, h.retention_days) {
        (Some(x), Some(y)) => Some(y > x),
        _ => None,
    };
    out.extend(change(
        subject,
        "retention_days",
        b.retention_days.map(|d| d.to_string()),
        h.retention_days.map(|d| d.to_string()),
        retention_widening,
    ));
    out.extend(change(
        subject,
        "retention_note",
        b.retention_note.as_ref().map(Text::summary),
        h.retention_note.as_ref().map(Text::summary),
        None,
    ));
    let list = |v: &[String]| (!v.is_empty()).then(|| v.join(", "));
    out.extend(change(
        subject,
        "purposes",
        list(&b.purposes),
        list(&h.purposes),
        None,
    ));
    out.extend(change(
        subject,
        "access",
        b.access.as_deref().and_then(list),
        h.access.as_deref().and_then(list),
        None,
    ));
    out
}

/// The overall direction from every part of the diff.
fn direction(d: &Diff) -> Direction {
    let mut wider = d.destinations_added.iter().any(|x| x.leaves_device)
        || !d.categories_now_leaving.is_empty();
    let mut narrower =
        d.destinations_removed.iter().any(|x| x.leaves_device) || !d.categories_stopped.is_empty();
    let mut other = false;
    for s in &d.state_changes {
        if s.widening {
            wider = true
        } else {
            narrower = true
        }
    }
    for c in d
        .destinations_changed
        .iter()
        .chain(&d.settings)
        .chain(&d.facts)
    {
        match c.widening {
            Some(true) => wider = true,
            Some(false) => narrower = true,
            None => other = true,
        }
    }
    other |= !d.destinations_added.is_empty() || !d.destinations_removed.is_empty();
    match (wider, narrower) {
        (true, true) => Direction::Mixed,
        (true, false) => Direction::Widening,
        (false, true) => Direction::Narrowing,
        (false, false) if other => Direction::Changed,
        _ => Direction::Unchanged,
    }
}
