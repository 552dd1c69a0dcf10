//! The typed collector graph: components by kind, pipelines with ordered references, and
//! what cannot be known statically, kept visible so the analysis can assume the worst.

use super::id::{ComponentId, PipelineId, normalised_exporter_type};
use std::collections::HashMap;

use crate::files::{FileId, Span};
use crate::tree::Node;

/// The five kinds of component, in the order sections are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Accepts telemetry from outside (for Claude Code: the `otlp` receiver).
    Receiver,
    /// Changes telemetry inside a pipeline.
    Processor,
    /// Sends telemetry somewhere: the destinations.
    Exporter,
    /// Joins pipelines: an exporter in one, a receiver in another.
    Connector,
    /// Auxiliary services (authenticators, health checks); no data flows through them.
    Extension,
}

impl Kind {
    /// Every kind, in section order.
    pub const ALL: [Kind; 5] = [
        Kind::Receiver,
        Kind::Processor,
        Kind::Exporter,
        Kind::Connector,
        Kind::Extension,
    ];

    /// The top-level section that defines components of this kind.
    pub fn section(self) -> &'static str {
        match self {
            Kind::Receiver => "receivers",
            Kind::Processor => "processors",
            Kind::Exporter => "exporters",
            Kind::Connector => "connectors",
            Kind::Extension => "extensions",
        }
    }

    /// The singular word for messages.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Receiver => "receiver",
            Kind::Processor => "processor",
            Kind::Exporter => "exporter",
            Kind::Connector => "connector",
            Kind::Extension => "extension",
        }
    }
}

/// A part of the configuration whose value cannot be known from the files.
#[derive(Debug, Clone, PartialEq)]
pub struct Unknown {
    /// Why, e.g. "${env:EXPORTERS} unset".
    pub reason: String,
    /// Where the unresolved value is written.
    pub span: Span,
}

/// One configured component.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    /// The id as written (parsed).
    pub id: ComponentId,
    /// Its kind (the section it is defined in).
    pub kind: Kind,
    /// Its configuration after merging and substitution; `Null` means factory defaults,
    /// `Unknown` means it cannot be known (treat the component as having no known effect).
    pub config: Node,
    /// Where its key is written.
    pub span: Span,
}

impl Component {
    /// The type with exporter aliases resolved (`otlp` → `otlp_grpc` for exporters only).
    pub fn normalised_type(&self) -> &str {
        match self.kind {
            Kind::Exporter => normalised_exporter_type(&self.id.type_),
            _ => &self.id.type_,
        }
    }
}

/// One entry of a pipeline list.
#[derive(Debug, Clone, PartialEq)]
pub struct Ref {
    /// The component named.
    pub id: ComponentId,
    /// Where the list item is written.
    pub span: Span,
    /// Where the template condition is written when the entry sits under one (`{{ if }}`,
    /// `with`, `range` of a Helm template) that does not also hold the pipeline: once the
    /// chart is rendered the entry may be missing, so the analysis must not count on what a
    /// processor listed like this removes. `None` for every configuration that is not a
    /// template.
    pub condition: Option<Span>,
}

/// A pipeline's list of receivers, processors or exporters. `unknown` is set when the list
/// (or one of its items) comes from a reference that could not be resolved: then any
/// component may be in it, in addition to `refs`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RefList {
    /// The known entries, in list order (for processors, the order they run in).
    pub refs: Vec<Ref>,
    /// Set when more entries may exist than `refs` shows.
    pub unknown: Option<Unknown>,
}

impl RefList {
    /// True when the list names `id` among its known entries.
    pub fn contains(&self, id: &ComponentId) -> bool {
        self.refs.iter().any(|r| &r.id == id)
    }

    /// True when nothing is known to be in the list and nothing unknown may be.
    pub fn is_empty(&self) -> bool {
        self.refs.is_empty() && self.unknown.is_none()
    }
}

/// One pipeline: receivers → processors in order → every exporter.
#[derive(Debug, Clone, PartialEq)]
pub struct Pipeline {
    /// `signal[/name]`.
    pub id: PipelineId,
    /// Receivers and connectors feeding the pipeline.
    pub receivers: RefList,
    /// Processors, in the order they run.
    pub processors: RefList,
    /// Exporters and connectors the pipeline fans out to.
    pub exporters: RefList,
    /// Where the pipeline's key is written.
    pub span: Span,
}

/// A connector joining two pipelines, with a signal pair the connector supports.
#[derive(Debug, Clone, PartialEq)]
pub struct ConnectorEdge {
    /// The connector.
    pub connector: ComponentId,
    /// Index into [`Collector::pipelines`] of the pipeline that exports to the connector.
    pub from: usize,
    /// Index of the pipeline that receives from it.
    pub to: usize,
}

/// One collector after loading, merging, substitution and validation.
#[derive(Debug, Clone, PartialEq)]
pub struct Collector {
    /// The name from the project file or `--collector NAME=`.
    pub name: String,
    /// The configuration files, in merge order.
    pub files: Vec<FileId>,
    /// True when the configuration has no `service` section: a fragment, not runnable.
    pub fragment: bool,
    /// Every component, grouped by kind in [`Kind::ALL`] order, each group in document order.
    pub components: Vec<Component>,
    /// Sections whose whole value is unknown (any component of that kind may exist).
    pub unknown_sections: Vec<(Kind, Unknown)>,
    /// `service.extensions`.
    pub service_extensions: RefList,
    /// The pipelines with a valid id, in document order.
    pub pipelines: Vec<Pipeline>,
    /// Set when `service.pipelines` itself is unknown: any pipeline may exist.
    pub pipelines_unknown: Option<Unknown>,
    /// Where each id stands in `components`, by kind: lookups stay constant-time however
    /// many components a configuration has. Kept by [`Collector::add_component`].
    index: HashMap<ComponentId, Vec<(Kind, usize)>>,
}

impl Collector {
    /// A collector with no components and no pipelines yet.
    pub fn new(name: &str, files: Vec<FileId>, fragment: bool) -> Collector {
        Collector {
            name: name.to_string(),
            files,
            fragment,
            components: Vec::new(),
            unknown_sections: Vec::new(),
            service_extensions: RefList::default(),
            pipelines: Vec::new(),
            pipelines_unknown: None,
            index: HashMap::new(),
        }
    }

    /// Adds a component (the only way components are added, so the index stays whole).
    pub fn add_component(&mut self, component: Component) {
        self.index
            .entry(component.id.clone())
            .or_default()
            .push((component.kind, self.components.len()));
        self.components.push(component);
    }

    /// The components of one kind, in document order.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Component> {
        self.components.iter().filter(move |c| c.kind == kind)
    }

    /// The component of a kind with an id.
    pub fn component(&self, kind: Kind, id: &ComponentId) -> Option<&Component> {
        let (_, i) = self.index.get(id)?.iter().find(|(k, _)| *k == kind)?;
        self.components.get(*i)
    }

    /// Whether a whole section is unknown.
    pub fn section_unknown(&self, kind: Kind) -> Option<&Unknown> {
        self.unknown_sections
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, u)| u)
    }

    /// The pipelines that list `id` among their exporters.
    pub fn pipelines_exporting_to(&self, id: &ComponentId) -> impl Iterator<Item = &Pipeline> {
        self.pipelines
            .iter()
            .filter(move |p| p.exporters.contains(id))
    }

    /// The pipelines that list `id` among their receivers.
    pub fn pipelines_receiving_from(&self, id: &ComponentId) -> impl Iterator<Item = &Pipeline> {
        self.pipelines
            .iter()
            .filter(move |p| p.receivers.contains(id))
    }

    /// Every pipeline-to-pipeline link through a connector, for supported signal pairs, in
    /// connector order then pipeline order. Linear in the pipeline lists plus the edges.
    pub fn connector_edges(&self) -> Vec<ConnectorEdge> {
        let mut feeds: HashMap<&ComponentId, (Vec<usize>, Vec<usize>)> = self
            .of_kind(Kind::Connector)
            .map(|c| (&c.id, (Vec::new(), Vec::new())))
            .collect();
        for (i, p) in self.pipelines.iter().enumerate() {
            for r in &p.exporters.refs {
                if let Some((from, _)) = feeds.get_mut(&r.id) {
                    from.push(i);
                }
            }
            for r in &p.receivers.refs {
                if let Some((_, to)) = feeds.get_mut(&r.id) {
                    to.push(i);
                }
            }
        }
        let mut edges = Vec::new();
        for connector in self.of_kind(Kind::Connector) {
            let (from, to) = &feeds[&connector.id];
            for &f in dedup(from) {
                for &t in dedup(to) {
                    let (a, b) = (self.pipelines[f].id.signal, self.pipelines[t].id.signal);
                    if super::connectors::supports(&connector.id.type_, a, b) {
                        edges.push(ConnectorEdge {
                            connector: connector.id.clone(),
                            from: f,
                            to: t,
                        });
                    }
                }
            }
        }
        edges
    }

    /// The connector edges, grouped for walks that ask "where does this connector lead
    /// from this pipeline" once per pipeline and exporter.
    pub fn edge_index(&self) -> EdgeIndex {
        EdgeIndex::new(self.connector_edges())
    }
}

/// A pipeline list names each entry once (a second one is an error the validation
/// reports); indices pushed in order, so neighbours are enough to drop repeats.
fn dedup(list: &[usize]) -> impl Iterator<Item = &usize> {
    list.iter()
        .enumerate()
        .filter(move |(i, v)| *i == 0 || list[i - 1] != **v)
        .map(|(_, v)| v)
}

/// Connector edges grouped by (connector, from-pipeline), for walks that ask once per
/// pipeline and exporter.
#[derive(Debug, Clone, Default)]
pub struct EdgeIndex {
    by_source: HashMap<(ComponentId, usize), Vec<usize>>,
}

impl EdgeIndex {
    /// Groups edges.
    pub fn new(edges: Vec<ConnectorEdge>) -> Self {
        let mut by_source: HashMap<(ComponentId, usize), Vec<usize>> = HashMap::new();
        for e in edges {
            by_source
                .entry((e.connector, e.from))
                .or_default()
                .push(e.to);
        }
        EdgeIndex { by_source }
    }

    /// The pipelines `connector` feeds when pipeline `from` exports to it, in order.
    pub fn targets(&self, connector: &ComponentId, from: usize) -> &[usize] {
        self.by_source
            .get(&(connector.clone(), from))
            .map_or(&[], Vec::as_slice)
    }
}
