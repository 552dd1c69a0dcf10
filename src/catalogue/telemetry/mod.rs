//! The telemetry catalogue: every resource attribute, metric, event, span and flow a
//! coding agent emits, with the category of each attribute, the setting (gate) that
//! controls it, its default, and the client versions it applies to.
//!
//! The catalogue is data (`catalogue/<source>/telemetry.yaml`, embedded in the binary), so
//! a new client version or a new agent is a reviewed data change, and every fact keeps its
//! evidence: `seen` in a capture of the real client, or `code` (found only in its code).

mod expand;
pub mod model;
mod validate;
mod version;

pub use expand::{Attr, AttrKey, Record};
pub use model::{
    Booleans, EvidenceKind, GateDefault, GateSpec, KnownVersion, Matcher, OffSpec, Presence,
    RecordKind, Signal, SignalExportSpec, ValueKind,
};
pub use version::{Version, VersionRange};

use model::CatalogueFile;

/// The catalogues built into the binary: source name and file text.
const BUILTIN: &[(&str, &str)] = &[
    (
        "claude-code",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/catalogue/claude-code/telemetry.yaml"
        )),
    ),
    (
        "codex",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/catalogue/codex/telemetry.yaml"
        )),
    ),
    (
        "gemini-cli",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/catalogue/gemini-cli/telemetry.yaml"
        )),
    ),
];

/// The names of the built-in sources, for messages and `--help`.
pub fn builtin_sources() -> Vec<&'static str> {
    BUILTIN.iter().map(|(name, _)| *name).collect()
}

/// Loads a built-in catalogue; `None` if the source is unknown. A built-in catalogue that
/// does not load is a defect of this program, caught by the unit tests.
pub fn builtin(source: &str) -> Option<Result<Catalogue, Vec<String>>> {
    BUILTIN
        .iter()
        .find(|(name, _)| *name == source)
        .map(|(_, text)| Catalogue::parse(text))
}

/// A built-in catalogue, parsed once per process: every analysis, check and document of a
/// run (and of a fleet of deployments analysed in one process) shares it.
pub fn cached(source: &str) -> Option<&'static Catalogue> {
    static PARSED: std::sync::OnceLock<Vec<(&'static str, Catalogue)>> = std::sync::OnceLock::new();
    PARSED
        .get_or_init(|| {
            BUILTIN
                .iter()
                .filter_map(|(name, text)| Catalogue::parse(text).ok().map(|c| (*name, c)))
                .collect()
        })
        .iter()
        .find(|(name, _)| *name == source)
        .map(|(_, c)| c)
}

/// A loaded and checked catalogue.
#[derive(Debug, Clone)]
pub struct Catalogue {
    file: CatalogueFile,
}

/// The client version an analysis uses, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedVersion {
    /// The version asked for, if any.
    pub requested: Option<String>,
    /// The known version whose behaviour is used.
    pub used: Version,
    /// True when `used` is exactly the version asked for (or none was asked for).
    pub exact: bool,
    /// Why another version's behaviour is used, for the output.
    pub note: Option<String>,
}

impl Catalogue {
    /// Parses and checks a catalogue file; on failure, every problem found.
    pub fn parse(text: &str) -> Result<Catalogue, Vec<String>> {
        let file: CatalogueFile = serde_norway::from_str(text).map_err(|e| vec![e.to_string()])?;
        let errs = validate::validate(&file);
        if errs.is_empty() {
            Ok(Catalogue { file })
        } else {
            Err(errs)
        }
    }

    /// The source name, e.g. `claude-code`.
    pub fn source(&self) -> &str {
        &self.file.source
    }

    /// The human name.
    pub fn title(&self) -> &str {
        &self.file.title
    }

    /// The versions the catalogue was checked against, oldest first.
    pub fn versions(&self) -> &[KnownVersion] {
        &self.file.versions
    }

    /// The on/off words.
    pub fn booleans(&self) -> &Booleans {
        &self.file.booleans
    }

    /// A gate by name.
    pub fn gate(&self, name: &str) -> Option<&GateSpec> {
        self.file.gates.get(name)
    }

    /// Every gate, in file order.
    pub fn gates(&self) -> impl Iterator<Item = (&str, &GateSpec)> {
        self.file.gates.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Every condition and its description, in file order.
    pub fn conditions(&self) -> impl Iterator<Item = (&str, &str)> {
        self.file
            .conditions
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// A condition's description.
    pub fn condition(&self, name: &str) -> Option<&str> {
        self.file.conditions.get(name).map(String::as_str)
    }

    /// The master switch gate, if the client has one.
    pub fn export_master(&self) -> Option<&str> {
        self.file.export.master.as_deref()
    }

    /// How each OTel signal's exporter is selected.
    pub fn export_signals(&self) -> impl Iterator<Item = (&str, &SignalExportSpec)> {
        self.file
            .export
            .signals
            .iter()
            .map(|(k, v)| (k.as_str(), v))
    }

    /// Instrumentation scope names per signal.
    pub fn scopes(&self) -> impl Iterator<Item = (&str, &str)> {
        self.file
            .scopes
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The records that apply to a version, with attribute sets inlined.
    pub fn records(&self, version: &Version) -> Vec<Record> {
        expand::records(&self.file, version)
    }

    /// Picks the known version to use for a requested one: the same version if known,
    /// else the nearest older known one (the oldest if the request is older than all).
    /// Without a request, the newest known version.
    pub fn resolve_version(&self, requested: Option<&str>) -> Result<ResolvedVersion, String> {
        let known: Vec<&Version> = self.file.versions.iter().map(|k| &k.version).collect();
        let newest = known.last().copied().cloned().ok_or("no known versions")?;
        let Some(text) = requested else {
            return Ok(ResolvedVersion {
                requested: None,
                used: newest,
                exact: true,
                note: None,
            });
        };
        let want = Version::parse(text)?;
        if let Some(v) = known.iter().find(|v| ***v == want) {
            return Ok(ResolvedVersion {
                requested: Some(text.to_string()),
                used: (*v).clone(),
                exact: true,
                note: None,
            });
        }
        Ok(self.nearest(&known, want, text))
    }

    /// The nearest older known version for an unchecked one, with the note that says so.
    fn nearest(&self, known: &[&Version], want: Version, text: &str) -> ResolvedVersion {
        let list: Vec<&str> = known.iter().map(|v| v.as_str()).collect();
        let (list, source) = (list.join(", "), &self.file.source);
        let (used, note) = match known.iter().rev().find(|v| ***v < want) {
            Some(v) => (
                (*v).clone(),
                format!(
                    "{source} {want} was not checked (checked: {list}); the behaviour of {v}, the nearest older checked version, is assumed"
                ),
            ),
            None => (
                known[0].clone(),
                format!(
                    "{source} {want} is older than every checked version ({list}); the behaviour of the oldest, {}, is assumed",
                    known[0]
                ),
            ),
        };
        ResolvedVersion {
            requested: Some(text.to_string()),
            used,
            exact: false,
            note: Some(note),
        }
    }
}

#[cfg(test)]
mod tests;
