//! What every rule sees: the data map and settings of one analysis, the project file, the
//! run's diagnostics, and what the catalogue says about the vendor's own flows. Helpers turn
//! the data map's evidence (`file`, `line`) back into locations rules can point at.

use crate::analysis::map::{DestinationOut, EvidenceOut};
use crate::analysis::run::Analysis;
use crate::analysis::shape::{Presence, RecordKind};
use crate::catalogue::telemetry;
use crate::diag::Diagnostic;
use crate::files::{Files, Span};
use crate::project::{DestinationFacts, LoadedProject};

use super::Location;

/// A document on disk that `render` would change: the input of the stale-documents rule.
/// `render --check` produces the list; `check` takes it when the two are wired together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleDocument {
    /// The document's path as shown to the user.
    pub path: String,
    /// Why it is stale, e.g. "differs from what the configuration gives".
    pub reason: String,
}

/// A flow outside OpenTelemetry, as the catalogue describes it.
#[derive(Debug, Clone)]
pub struct FlowInfo {
    /// The source that emits it.
    pub source: String,
    /// The record name (as the data map shows it).
    pub name: String,
    /// What it is.
    pub description: String,
    /// The settings any of which stops it.
    pub stopped_by: Vec<String>,
    /// True for the request that is the service itself (always sent, no setting stops it).
    pub service: bool,
}

/// Everything a rule may look at.
pub struct Context<'a> {
    /// Every file read.
    pub files: &'a Files,
    /// The project file, if one was given.
    pub project: Option<&'a LoadedProject>,
    /// The analysis.
    pub analysis: &'a Analysis,
    /// The diagnostics of the run (the analysis' assumptions among them).
    pub diagnostics: &'a [Diagnostic],
    /// Documents `render` would change; `None` when that was not computed.
    pub stale_documents: Option<&'a [StaleDocument]>,
    /// The catalogue's flows of every analysed source.
    pub flows: Vec<FlowInfo>,
}

impl<'a> Context<'a> {
    /// A context over one analysis.
    pub fn new(
        files: &'a Files,
        project: Option<&'a LoadedProject>,
        analysis: &'a Analysis,
        diagnostics: &'a [Diagnostic],
    ) -> Self {
        Context {
            files,
            project,
            analysis,
            diagnostics,
            stale_documents: None,
            flows: flows_of(analysis),
        }
    }

    /// The destinations data may leave the device for.
    pub fn leaving(&self) -> impl Iterator<Item = &'a DestinationOut> {
        self.analysis
            .map
            .destinations
            .iter()
            .filter(|d| d.leaves_device)
    }

    /// The catalogue's description of a flow record of a destination, if it is one.
    pub fn flow(&self, source: &str, name: &str) -> Option<&FlowInfo> {
        self.flows
            .iter()
            .find(|f| f.source == source && f.name == name)
    }

    /// True for a destination that receives only the vendor's own flows (`vendor:…`).
    pub fn is_vendor_flow(&self, d: &DestinationOut) -> bool {
        !d.records.is_empty()
            && d.records
                .iter()
                .all(|r| self.flow(&r.source, &r.name).is_some())
    }

    /// True for a destination that receives only the request that is the service itself
    /// (the prompt sent to the model). Telemetry rules leave it out: no setting can stop it,
    /// and the documents describe it as the tool's function, not as monitoring.
    pub fn is_service(&self, d: &DestinationOut) -> bool {
        self.is_vendor_flow(d)
            && d.records
                .iter()
                .all(|r| self.flow(&r.source, &r.name).is_some_and(|f| f.service))
    }

    /// The location of a data-map evidence line, when it names a file.
    pub fn evidence(&self, e: &EvidenceOut) -> Option<Location> {
        let (file, line) = (e.file.as_ref()?, e.line?);
        let Some(id) = self.files.find(file) else {
            return Some(Location {
                file: file.clone(),
                line,
                col: 1,
                span: None,
            });
        };
        let text = self.files.get(id).line_text(line).unwrap_or("");
        let indent = text.chars().take_while(|c| c.is_whitespace()).count();
        let len = text.trim().chars().count();
        let span = Span {
            file: id,
            line,
            col: u32::try_from(indent + 1).unwrap_or(1),
            len: u32::try_from(len.max(1)).unwrap_or(1),
        };
        Some(Location::of(self.files, span))
    }

    /// Where a destination is defined (the exporter, the endpoint setting), or else where
    /// the inputs are named.
    pub fn destination_at(&self, d: &DestinationOut) -> Option<Location> {
        d.evidence
            .iter()
            .find_map(|e| self.evidence(e))
            .or_else(|| self.project_at(&["destinations"]))
            .or_else(|| self.fallback())
    }

    /// The place of a value in the project file (or of the deepest part of it that exists).
    pub fn project_at(&self, path: &[&str]) -> Option<Location> {
        let lp = self.project?;
        Some(Location::of(self.files, lp.span_of(path)))
    }

    /// The last resort, so that SARIF viewers can show every finding: the project file's
    /// `inputs`, else the first file read.
    pub fn fallback(&self) -> Option<Location> {
        self.project_at(&["inputs"]).or_else(|| {
            self.files
                .find_first()
                .map(|id| Location::of(self.files, Files::whole(id)))
        })
    }

    /// The project file's facts about a destination: the entry whose `exporter` is the
    /// destination id (also written `collector:exporter` when there is one collector), or
    /// whose `host` is the endpoint's host.
    pub fn facts_for(&self, d: &DestinationOut) -> Option<(usize, &'a DestinationFacts)> {
        let lp = self.project?;
        let host = d
            .endpoint
            .as_deref()
            .and_then(crate::analysis::endpoint::HostPort::parse)
            .map(|h| h.host);
        let qualified = match self.analysis.collectors.as_slice() {
            [only] if !d.id.contains(':') => Some(format!("{}:{}", only.spec.name, d.id)),
            _ => None,
        };
        let by_exporter = lp.project.destinations.iter().position(|f| {
            f.exporter
                .as_deref()
                .is_some_and(|e| e == d.id || Some(e) == qualified.as_deref())
        });
        let by_host = || {
            lp.project.destinations.iter().position(|f| {
                f.exporter.is_none()
                    && f.host
                        .as_deref()
                        .is_some_and(|h| Some(h.to_ascii_lowercase()) == host)
            })
        };
        let by_host_any = || {
            lp.project.destinations.iter().position(|f| {
                f.host
                    .as_deref()
                    .is_some_and(|h| Some(h.to_ascii_lowercase()) == host)
            })
        };
        let i = by_exporter.or_else(by_host).or_else(by_host_any)?;
        Some((i, &lp.project.destinations[i]))
    }
}

/// The flows of every analysed source, from the catalogue.
fn flows_of(analysis: &Analysis) -> Vec<FlowInfo> {
    let mut out = Vec::new();
    for source in &analysis.map.sources {
        let Some(catalogue) = telemetry::cached(&source.name) else {
            continue;
        };
        let Ok(version) = catalogue.resolve_version(Some(&source.version)) else {
            continue;
        };
        for r in catalogue.records(&version.used) {
            if r.kind != RecordKind::Flow {
                continue;
            }
            let stopped_by = r
                .disabled_by
                .iter()
                .map(|g| catalogue.gate(g).map_or(g.clone(), |s| s.setting.clone()))
                .collect::<Vec<_>>();
            out.push(FlowInfo {
                source: source.name.clone(),
                service: stopped_by.is_empty() && r.presence == Presence::Always,
                name: r.name.clone(),
                description: r.description.clone(),
                stopped_by,
            });
        }
    }
    out
}
