//! Client versions: parsing, ordering, and matching against the versions a catalogue knows.
//!
//! Behaviour changes between releases (e.g. how managed settings treat endpoints), so every
//! derived statement depends on the version. Versions compare numerically part by part
//! (`2.1.97` < `2.1.197`), never as text.

use std::cmp::Ordering;
use std::fmt;

/// A dotted numeric version such as `2.1.330`. A pre-release or build suffix after `-` or
/// `+` is kept for display but ignored in comparisons (so `2.1` equals `2.1.0`).
#[derive(Debug, Clone)]
pub struct Version {
    parts: Vec<u64>,
    text: String,
}

impl Version {
    /// Parses `2.1.330` (or `v2.1.330`); `None` if a part is not a number.
    pub fn parse(text: &str) -> Option<Version> {
        let trimmed = text.trim();
        let core = trimmed.strip_prefix('v').unwrap_or(trimmed);
        let core = core.split(['-', '+']).next().unwrap_or_default();
        let parts: Option<Vec<u64>> = core.split('.').map(|p| p.parse().ok()).collect();
        let parts = parts.filter(|p| !p.is_empty())?;
        Some(Version {
            parts,
            text: trimmed.to_string(),
        })
    }

    /// The version as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        let len = self.parts.len().max(other.parts.len());
        (0..len)
            .map(|i| {
                let a = self.parts.get(i).copied().unwrap_or(0);
                let b = other.parts.get(i).copied().unwrap_or(0);
                a.cmp(&b)
            })
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Version {}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Which catalogued version stands in for the client version asked about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionMatch {
    /// The client version asked about.
    pub requested: Version,
    /// The catalogued version whose observed behaviour is assumed.
    pub assumed: Version,
    /// True when `requested` is itself catalogued.
    pub known: bool,
}

/// Picks the catalogued version for `requested`: itself when known, else the nearest older
/// one; a version older than all known ones gets the oldest (the only evidence there is).
pub fn match_version(requested: &Version, known: &[Version]) -> Option<VersionMatch> {
    let mut sorted: Vec<&Version> = known.iter().collect();
    sorted.sort();
    let exact = sorted.contains(&requested);
    let older = sorted.iter().rev().find(|k| **k <= requested);
    let assumed = older.or_else(|| sorted.first())?;
    Some(VersionMatch {
        requested: requested.clone(),
        assumed: (*assumed).clone(),
        known: exact,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn compares_numerically() {
        assert!(v("2.1.97") < v("2.1.197"));
        assert!(v("2.1.217") > v("2.1.197"));
        assert_eq!(v("2.1"), v("2.1.0"));
        assert!(Version::parse("latest").is_none());
        assert!(Version::parse("").is_none());
        assert_eq!(v("v2.1.330-beta.1").cmp(&v("2.1.330")), Ordering::Equal);
    }

    #[test]
    fn matches_nearest_older() {
        let known = [v("2.1.197"), v("2.1.330")];
        let m = match_version(&v("2.1.250"), &known).unwrap();
        assert_eq!((m.assumed.as_str(), m.known), ("2.1.197", false));
        let m = match_version(&v("2.1.330"), &known).unwrap();
        assert_eq!((m.assumed.as_str(), m.known), ("2.1.330", true));
        let m = match_version(&v("3.0.0"), &known).unwrap();
        assert_eq!(m.assumed.as_str(), "2.1.330");
        let m = match_version(&v("1.0.0"), &known).unwrap();
        assert_eq!((m.assumed.as_str(), m.known), ("2.1.197", false));
    }
}
