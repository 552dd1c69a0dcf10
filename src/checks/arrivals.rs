//! What may arrive at a destination, flattened to one entry per (attribute or unknown-key
//! group) and category, so rules can ask "which content / identifiers arrive, in what form,
//! and which line made it so" without walking the data map themselves.

use crate::analysis::map::{DestinationOut, EvidenceOut};
use crate::analysis::shape::AttrState;
use crate::taxonomy::{Category, Level};

/// One category that may arrive at a destination.
#[derive(Debug, Clone)]
pub struct Arrival<'a> {
    /// The category.
    pub category: Category,
    /// The attribute key, or `None` for keys whose names cannot be known.
    pub key: Option<&'a str>,
    /// The record it arrives in (metric, event or span name, `resource`).
    pub record: &'a str,
    /// The form; keys of unknown name count as raw.
    pub state: AttrState,
    /// The lines that decided it.
    pub evidence: &'a [EvidenceOut],
}

impl Arrival<'_> {
    /// True when the original value may be read at the destination (not hashed, not a
    /// constant placeholder).
    pub fn readable(&self) -> bool {
        !matches!(self.state, AttrState::Hashed | AttrState::Placeholder)
    }

    /// `key` in `record`, or "keys of unknown name" in `record`.
    pub fn describe(&self) -> String {
        match self.key {
            Some(k) => format!("`{k}` in `{}`", self.record),
            None => format!("keys of unknown name in `{}`", self.record),
        }
    }
}

/// How a category is judged by the policy levels of `dpia.yaml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// Counts, times, technical details.
    Metadata,
    /// Keys that single out a person (pseudonymous or direct), e-mail, group membership.
    Identifier,
    /// What the employee wrote or worked on; also values of unknown category (worst case).
    Content,
}

/// The class of a category.
pub fn class(c: Category) -> Class {
    match c {
        Category::DirectIdentifier
        | Category::PseudonymousIdentifier
        | Category::ContactEmail
        | Category::OrganisationMembership => Class::Identifier,
        _ if c.level() == Level::Content => Class::Content,
        _ => Class::Metadata,
    }
}

/// Every category that may arrive at a destination, in data-map order.
pub fn arrivals(d: &DestinationOut) -> Vec<Arrival<'_>> {
    let mut out = Vec::new();
    for r in &d.records {
        for a in &r.attributes {
            for category in std::iter::once(a.category).chain(a.also.iter().copied()) {
                out.push(Arrival {
                    category,
                    key: Some(&a.key),
                    record: &r.name,
                    state: a.state,
                    evidence: &a.evidence,
                });
            }
        }
        for u in &r.unknown_keys {
            for &category in &u.categories {
                out.push(Arrival {
                    category,
                    key: None,
                    record: &r.name,
                    state: AttrState::Raw,
                    evidence: &u.evidence,
                });
            }
        }
    }
    out
}

/// Categories in first-seen order without repeats, with up to three examples each.
pub fn by_category<'a>(items: &[Arrival<'a>]) -> Vec<(Category, Vec<String>)> {
    let mut out: Vec<(Category, Vec<String>)> = Vec::new();
    for a in items {
        let example = a.describe();
        match out.iter_mut().find(|(c, _)| *c == a.category) {
            Some((_, examples)) => {
                if examples.len() < 3 && !examples.contains(&example) {
                    examples.push(example);
                }
            }
            None => out.push((a.category, vec![example])),
        }
    }
    out.sort_by_key(|(c, _)| *c);
    out
}

/// `prompt_content (`prompt` in `user_prompt`, …); response_content (…)`.
pub fn list(groups: &[(Category, Vec<String>)]) -> String {
    groups
        .iter()
        .map(|(c, ex)| format!("{} ({})", c.key(), ex.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}
