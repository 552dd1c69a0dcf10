//! Client versions such as `2.1.330`: dotted numbers, compared part by part.

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A dotted numeric version (`2.1.330`). Missing parts count as zero, so `2.1` == `2.1.0`.
#[derive(Debug, Clone, Eq)]
pub struct Version {
    parts: Vec<u64>,
    text: String,
}

impl Version {
    /// Parses `2.1.330`; a leading `v` is accepted. Pre-release or build suffixes are not.
    pub fn parse(text: &str) -> Result<Version, String> {
        let trimmed = text.trim();
        let digits = trimmed.strip_prefix('v').unwrap_or(trimmed);
        let parts: Result<Vec<u64>, _> = digits.split('.').map(str::parse::<u64>).collect();
        match parts {
            Ok(parts) if !parts.is_empty() => Ok(Version {
                parts,
                text: digits.to_string(),
            }),
            _ => Err(format!(
                "`{text}` is not a version of the form MAJOR.MINOR.PATCH (e.g. 2.1.330)"
            )),
        }
    }

    /// The version as written (without a leading `v`).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    fn part(&self, i: usize) -> u64 {
        self.parts.get(i).copied().unwrap_or(0)
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        let len = self.parts.len().max(other.parts.len());
        (0..len)
            .map(|i| self.part(i).cmp(&other.part(i)))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for Version {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Version::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A half-open range of versions: `since` inclusive, `until` exclusive (the first version
/// that no longer has the item). Either end may be open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VersionRange {
    /// First version with the item.
    pub since: Option<Version>,
    /// First version without it.
    pub until: Option<Version>,
}

impl VersionRange {
    /// True when `v` lies in the range.
    pub fn contains(&self, v: &Version) -> bool {
        self.since.as_ref().is_none_or(|s| v >= s) && self.until.as_ref().is_none_or(|u| v < u)
    }

    /// `all`, `>= 2.1.330`, `< 2.1.330` or `2.1.197 .. 2.1.330`, for tables.
    pub fn describe(&self) -> String {
        match (&self.since, &self.until) {
            (None, None) => "all".to_string(),
            (Some(s), None) => format!(">= {s}"),
            (None, Some(u)) => format!("< {u}"),
            (Some(s), Some(u)) => format!("{s} .. {u}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn compares_numerically_not_textually() {
        assert!(v("2.1.330") > v("2.1.197"));
        assert!(v("2.1.99") < v("2.1.100"));
        assert_eq!(v("2.1"), v("2.1.0"));
        assert_eq!(v("v2.1.3").as_str(), "2.1.3");
        assert!(Version::parse("2.1.x").is_err());
        assert!(Version::parse("").is_err());
        assert!(Version::parse("2.1.0-beta").is_err());
    }

    #[test]
    fn ranges_are_half_open() {
        let r = VersionRange {
            since: Some(v("2.1.200")),
            until: Some(v("2.1.330")),
        };
        assert!(!r.contains(&v("2.1.197")));
        assert!(r.contains(&v("2.1.200")));
        assert!(!r.contains(&v("2.1.330")));
        assert!(VersionRange::default().contains(&v("0.0.1")));
    }
}
