//! What each telemetry source (coding agent) can emit and how it reads its settings, as
//! data: `catalogue/<source>.yaml`, embedded in the binary at build time.
//!
//! Facts about a client change with its releases, and they are checked against captures
//! of the real client, so they live in data files that a reviewer can read and diff, not
//! in code. This loader reads only what it uses and ignores top-level keys it does not
//! know, so other parts of a catalogue (records, attributes) can grow next to `settings`.

pub mod config;
mod settings;
pub mod telemetry;
mod version;

use std::sync::OnceLock;

use serde::Deserialize;

pub use settings::{
    Behaviour, FileRoles, Kind, ModelApiRule, OtlpFacts, Param, Parse, SettingsTable, Signal,
    Variable, VendorFlowRule,
};
pub use version::{Version, VersionMatch, match_version};

/// The catalogue files compiled into the binary: source name and YAML text.
const EMBEDDED: &[(&str, &str)] = &[
    (
        "claude-code",
        include_str!("../../catalogue/claude-code/settings.yaml"),
    ),
    ("codex", include_str!("../../catalogue/codex/settings.yaml")),
    (
        "gemini-cli",
        include_str!("../../catalogue/gemini-cli/settings.yaml"),
    ),
];

/// A client version the catalogue was checked against.
#[derive(Debug, Clone, Deserialize)]
pub struct KnownVersion {
    /// The version.
    pub version: String,
    /// How it was checked.
    pub evidence: String,
}

/// One source's catalogue.
#[derive(Debug, Clone, Deserialize)]
pub struct Catalogue {
    /// The source name, e.g. `claude-code`.
    pub source: String,
    /// Human name, e.g. `Claude Code`.
    pub name: String,
    /// Checked client versions.
    pub versions: Vec<KnownVersion>,
    /// How the client's settings resolve, for an agent configured by environment
    /// variables (Claude Code).
    #[serde(default)]
    pub settings: Option<SettingsTable>,
    /// How the client's layered settings files resolve (Codex CLI, Gemini CLI).
    #[serde(default)]
    pub config: Option<config::ConfigTable>,
}

impl Catalogue {
    /// The checked versions, parsed.
    pub fn known_versions(&self) -> Vec<Version> {
        self.versions
            .iter()
            .filter_map(|v| Version::parse(&v.version))
            .collect()
    }

    /// The newest checked version.
    pub fn newest(&self) -> Option<Version> {
        self.known_versions().into_iter().max()
    }
}

/// Parses an embedded catalogue. The text is part of the binary and a unit test parses
/// every one, so a failure here is a build defect, not bad user input.
fn parse(text: &str) -> Catalogue {
    serde_norway::from_str(text).expect("embedded catalogue is valid (checked by a unit test)")
}

fn all() -> &'static [Catalogue] {
    static CATALOGUES: OnceLock<Vec<Catalogue>> = OnceLock::new();
    CATALOGUES.get_or_init(|| EMBEDDED.iter().map(|(_, text)| parse(text)).collect())
}

/// The catalogue of a source, by name.
pub fn get(source: &str) -> Option<&'static Catalogue> {
    all().iter().find(|c| c.source == source)
}

/// The names of every catalogued source, sorted.
pub fn source_names() -> Vec<&'static str> {
    let mut names: Vec<&str> = EMBEDDED.iter().map(|(name, _)| *name).collect();
    names.sort_unstable();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_catalogue_parses_and_is_consistent() {
        for (name, text) in EMBEDDED {
            let c: Catalogue = serde_norway::from_str(text).unwrap();
            assert_eq!(&c.source, name);
            assert_eq!(
                c.known_versions().len(),
                c.versions.len(),
                "{name}: bad version"
            );
            if let Some(t) = &c.config {
                for l in &t.layers {
                    for pin in &l.pins {
                        assert!(t.key(pin).is_some(), "{name}: pin {pin} is not a key");
                    }
                }
                continue;
            }
            let s = c.settings.as_ref().unwrap();
            for v in &s.variables {
                for other in v.default_from.iter().chain(&v.requires) {
                    assert!(s.variable(other).is_some(), "{}: unknown {other}", v.name);
                }
                assert!(
                    v.since
                        .as_deref()
                        .is_none_or(|x| Version::parse(x).is_some())
                );
            }
            for b in &s.behaviours {
                assert!(
                    b.since
                        .as_deref()
                        .is_none_or(|x| Version::parse(x).is_some())
                );
            }
        }
    }

    #[test]
    fn tolerates_other_top_level_keys() {
        let text = format!("{}\nrecords: [{{name: x}}]\n", EMBEDDED[0].1);
        let c: Catalogue = serde_norway::from_str(&text).unwrap();
        assert_eq!(c.source, "claude-code");
    }

    #[test]
    fn managed_dominance_starts_at_2_1_217() {
        let s = get("claude-code").unwrap().settings.as_ref().unwrap();
        let at = |v: &str| s.behaviour("managed-otlp-dominance", &Version::parse(v).unwrap());
        assert!(at("2.1.197").is_none());
        assert!(at("2.1.216").is_none());
        assert!(at("2.1.217").is_some());
        assert!(at("2.1.330").is_some());
    }
}
