//! Per destination, what the fix changes in what arrives, read from the two analyses (as
//! deployed, and with the changed files): what stops leaving and what now arrives only as
//! a hash. The summary says this rather than what the edits are, because it is what the
//! notice and the works council care about.

use super::plan::Breach;
use crate::analysis::endpoint::HostPort;
use crate::analysis::map::DataMap;
use crate::analysis::shape::AttrState;
use crate::taxonomy::Category;

/// What arrived beyond the policy at one destination as deployed.
#[derive(Debug, Clone)]
pub struct Before {
    /// The destination id.
    pub id: String,
    /// Category, key (none for keys of unknown name), record.
    pub items: Vec<(Category, Option<String>, String)>,
}

/// The owned form of the breaches as deployed.
pub fn before(breaches: &[Breach<'_>]) -> Vec<Before> {
    breaches
        .iter()
        .map(|b| Before {
            id: b.destination.id.clone(),
            items: b
                .beyond
                .iter()
                .map(|a| (a.category, a.key.map(str::to_string), a.record.to_string()))
                .collect(),
        })
        .collect()
}

#[derive(PartialEq)]
enum Now {
    Gone,
    Hashed,
    Stays,
}

/// Where a destination's data arrives after the fix: itself, or — for a client's direct
/// export the fix moved behind a new collector — that collector's exporters to the same
/// host and port.
fn successors<'a>(id: &str, after: &'a DataMap) -> Vec<&'a crate::analysis::map::DestinationOut> {
    if let Some(d) = after.destinations.iter().find(|d| d.id == id) {
        return vec![d];
    }
    let Some(hp) = id.strip_prefix("direct:") else {
        return Vec::new();
    };
    after
        .destinations
        .iter()
        .filter(|d| {
            d.endpoint
                .as_deref()
                .and_then(HostPort::parse)
                .is_some_and(|e| e.to_string() == hp)
        })
        .collect()
}

/// One line per destination where something changed.
pub fn effects(before: &[Before], after: &DataMap) -> Vec<String> {
    let mut out = Vec::new();
    for b in before {
        let next = successors(&b.id, after);
        let moved: Vec<String> = next
            .iter()
            .filter(|d| d.id != b.id)
            .map(|d| format!("`{}`", d.id))
            .collect();
        let mut gone: Vec<(Category, Vec<String>)> = Vec::new();
        let mut hashed: Vec<(Category, Vec<String>)> = Vec::new();
        for (cat, key, record) in &b.items {
            let rec = next
                .iter()
                .find_map(|d| d.records.iter().find(|r| &r.name == record));
            let now = match (rec, key) {
                (None, _) => Now::Gone,
                (Some(r), None) if r.unknown_keys.is_empty() => Now::Gone,
                (Some(_), None) => Now::Stays,
                (Some(r), Some(k)) => match r.attributes.iter().find(|a| &a.key == k) {
                    None => Now::Gone,
                    Some(a) if a.state == AttrState::Hashed => Now::Hashed,
                    Some(a) if a.state == AttrState::Placeholder => Now::Gone,
                    Some(_) => Now::Stays,
                },
            };
            let what = match key {
                Some(k) => format!("`{k}` in `{record}`"),
                None => format!("keys of unknown name in `{record}`"),
            };
            let list = match now {
                Now::Gone => &mut gone,
                Now::Hashed => &mut hashed,
                Now::Stays => continue,
            };
            match list.iter_mut().find(|(c, _)| c == cat) {
                Some((_, v)) => {
                    if !v.contains(&what) {
                        v.push(what);
                    }
                }
                None => list.push((*cat, vec![what])),
            }
        }
        let mut parts = Vec::new();
        if !gone.is_empty() {
            parts.push(format!("stops leaving: {}", groups(&gone)));
        }
        if !hashed.is_empty() {
            parts.push(format!(
                "leaves only as a SHA-256 hash: {}",
                groups(&hashed)
            ));
        }
        if !parts.is_empty() {
            let via = if moved.is_empty() {
                String::new()
            } else {
                format!(" (now through {})", moved.join(", "))
            };
            out.push(format!("`{}`{via}: {}", b.id, parts.join("; ")));
        }
    }
    out
}

fn groups(list: &[(Category, Vec<String>)]) -> String {
    list.iter()
        .map(|(c, v)| {
            let more = if v.len() > 3 {
                format!(" and {} more", v.len() - 3)
            } else {
                String::new()
            };
            let shown: Vec<&str> = v.iter().take(3).map(String::as_str).collect();
            format!("{} ({}{more})", c.key(), shown.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}
