//! Evidence as documents show it: the input line (`file:line`) and what it did there.
//!
//! Every data statement in a document points at one or more of these, so a reader can
//! open the configuration and check it. Lists of them are sorted and free of duplicates
//! so that two renders of the same inputs give the same bytes.

use serde::Serialize;

use crate::analysis::map::EvidenceOut;

/// One piece of evidence.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Cite {
    /// `file:line`, or `None` for a client default (no line in any input says it).
    pub at: Option<String>,
    /// What the line did, as the analysis words it (setting names, processor ids).
    pub what: String,
}

impl From<&EvidenceOut> for Cite {
    fn from(e: &EvidenceOut) -> Self {
        let at = match (&e.file, e.line) {
            (Some(f), Some(l)) => Some(format!("{f}:{l}")),
            (Some(f), None) => Some(f.clone()),
            _ => None,
        };
        Cite {
            at,
            what: e.what.clone(),
        }
    }
}

/// Sorts and de-duplicates, placed evidence first, and keeps at most `max` entries:
/// documents cite enough to be checked, not every repetition of the same line.
pub fn tidy(mut cites: Vec<Cite>, max: usize) -> Vec<Cite> {
    cites.sort_by(|a, b| (a.at.is_none(), &a.at, &a.what).cmp(&(b.at.is_none(), &b.at, &b.what)));
    cites.dedup();
    cites.truncate(max);
    cites
}
