//! Following the client's exports through the supplied collectors to their destinations.
//!
//! Client endpoint → the collectors that receive it ([`super::reach`]: declared `serves`, a
//! local listener, or an assumed wildcard listener) → each pipeline of the signal that
//! lists a matching receiver → its processors in order → its exporters and connectors → a
//! further collector when an exporter's endpoint reaches one, else a destination. Whatever
//! cannot be decided keeps the data flowing, raw, to an `unknown` destination.

use super::destination::{DestinationKind, classify, kind_of_host};
use super::endpoint::HostPort;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::flow::{Item, Step, join_items};
use super::gather::Gathered;
use super::processors::{self, Ctx};
use super::reach::{self, How, Reached, Transport};
use super::shape::{Presence, RecordKind, Signal as ItemSignal};
use crate::collector::{Collector, Component, ComponentId, EdgeIndex, Kind, Signal};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::files::Files;
use crate::inputs::CollectorSpec;
use crate::taxonomy::Category;

/// A collector of the deployment with what the inputs say about it.
#[derive(Debug, Clone)]
pub struct LoadedCollector {
    /// The inputs entry (name, files, `serves`).
    pub spec: CollectorSpec,
    /// The resolved graph.
    pub graph: Collector,
    /// Its connector edges, grouped once so a walk finds them without rescanning.
    pub edges: EdgeIndex,
    /// The addresses its OTLP receivers listen on, read once.
    pub listeners: Vec<reach::Listener>,
    /// True when no connector leads from a pipeline back to itself (the configuration's
    /// validation reports such a cycle as an error): a route then cannot run a pipeline
    /// of this collector twice, and the walk need not remember which it ran.
    pub acyclic: bool,
}

/// Loads every collector of the inputs; those that cannot be read are left out (the
/// diagnostics say why).
pub fn load_collectors(
    specs: &[CollectorSpec],
    files: &mut Files,
    diags: &mut Diagnostics,
) -> Vec<LoadedCollector> {
    specs
        .iter()
        .filter_map(|c| {
            crate::collector::load(files, c, diags).map(|graph| LoadedCollector {
                spec: c.clone(),
                edges: graph.edge_index(),
                acyclic: acyclic(&graph),
                listeners: reach::listeners(&graph),
                graph,
            })
        })
        .collect()
}

/// True when the connector edges of a collector form no cycle (Kahn's algorithm: every
/// pipeline can be taken off once all that feed it are).
fn acyclic(graph: &Collector) -> bool {
    let edges = graph.connector_edges();
    let mut feeding = vec![0usize; graph.pipelines.len()];
    let mut next: Vec<Vec<usize>> = vec![Vec::new(); graph.pipelines.len()];
    for e in &edges {
        feeding[e.to] += 1;
        next[e.from].push(e.to);
    }
    let mut ready: Vec<usize> = (0..feeding.len()).filter(|&i| feeding[i] == 0).collect();
    let mut done = 0;
    while let Some(p) = ready.pop() {
        done += 1;
        for &q in &next[p] {
            feeding[q] -= 1;
            if feeding[q] == 0 {
                ready.push(q);
            }
        }
    }
    done == feeding.len()
}

/// What one exporter (or direct client export) receives along one route.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// Destination id: exporter id, `collector:exporter`, `direct:host:port`.
    pub id: String,
    /// Kind of destination.
    pub kind: DestinationKind,
    /// Endpoint as it may be shown.
    pub endpoint: Option<String>,
    /// True when the data may leave the employee's device.
    pub leaves_device: bool,
    /// The hops, e.g. `client → agent (otlp) → gateway:otlphttp/vendor`.
    pub route: Vec<String>,
    /// What arrives.
    pub items: Vec<Item>,
    /// Why the destination is what it is (e.g. the exporter's definition).
    pub steps: Vec<Step>,
}

/// Walks the deployment.
pub struct Walker<'a> {
    collectors: &'a [LoadedCollector],
    files: &'a Files,
    diags: &'a mut Diagnostics,
    /// Everything delivered so far, joined per destination.
    deliveries: Grouped,
    /// Pipelines still to run, the next on top.
    tasks: Vec<Task<'a>>,
    /// Every address something was sent to (for the report of a collector nothing
    /// reaches).
    pub sent_to: Vec<reach::Sent>,
    /// The collectors data entered, by index.
    pub entered: Vec<bool>,
}

/// Where a route is: which collector, reached how.
#[derive(Clone)]
struct At {
    collector: usize,
    on_device: bool,
    route: Vec<String>,
    /// The (collector, pipeline) pairs the route has run, newest first: shared between
    /// routes that fork, so a long chain of pipelines costs no copy per step.
    visited: Option<Rc<Visit>>,
    /// The assumptions that led here (which collector an address was taken to be); every
    /// destination reached through them repeats them as evidence.
    assumed: Vec<Step>,
    /// The collectors the route has passed through, this one last.
    through: Vec<usize>,
}

/// One (collector, pipeline) pair on a route, linked to the one before.
struct Visit {
    at: (usize, usize),
    before: Option<Rc<Visit>>,
}

/// True when the route has run this pipeline already (a loop through collectors).
fn has_visited(mut v: Option<&Rc<Visit>>, at: (usize, usize)) -> bool {
    while let Some(x) = v {
        if x.at == at {
            return true;
        }
        v = x.before.as_ref();
    }
    false
}

/// Work still to do on a route. The walk keeps these on a stack instead of recursing, so a
/// chain of pipelines as long as a configuration may hold neither exhausts the call stack
/// nor keeps a copy of the data per step; and a fan-out to many pipelines holds one copy
/// of the data, handing out the next only when the previous branch is done.
enum Task<'a> {
    /// A pipeline and what arrives at it.
    Run {
        at: At,
        pipeline: usize,
        items: Vec<Item>,
    },
    /// The same items going to several pipelines (from a pipeline of signal `from`),
    /// directly or through a connector; `rest` is in reverse order, the next at its end.
    Fan {
        at: At,
        from: Signal,
        items: Vec<Item>,
        rest: Vec<(Option<&'a Component>, usize)>,
    },
}

impl<'a> Walker<'a> {
    /// A walker over the collectors of a deployment.
    pub fn new(
        collectors: &'a [LoadedCollector],
        files: &'a Files,
        diags: &'a mut Diagnostics,
    ) -> Self {
        Walker {
            collectors,
            files,
            diags,
            deliveries: Grouped::default(),
            tasks: Vec::new(),
            sent_to: Vec::new(),
            entered: vec![false; collectors.len()],
        }
    }

    /// Follows the items of one signal from the client's export endpoint, sent with
    /// `transport` (`None` when the client's protocol is not known).
    pub fn from_client(
        &mut self,
        signal: Signal,
        url: &str,
        transport: Option<Transport>,
        items: Vec<Item>,
        why: Step,
    ) {
        let Some(hp) = HostPort::parse(url) else {
            self.deliver_unknown(
                "client",
                "the export endpoint cannot be read",
                items,
                vec![why],
            );
            return;
        };
        let found = self.collectors_for(&hp, transport, CLIENT, why.span, &[]);
        if found.is_empty() {
            let (kind, leaves) = if hp.is_loopback() {
                self.no_collector(&hp, &why);
                (DestinationKind::Unknown, true)
            } else {
                (kind_of_host(&hp), true)
            };
            self.deliveries.add(Delivery {
                id: format!("direct:{hp}"),
                kind,
                endpoint: Some(crate::collector::secrets::scrub_url(url).into_owned()),
                leaves_device: leaves,
                route: vec!["client".into(), format!("direct:{hp}")],
                items,
                steps: vec![why],
            });
            return;
        }
        for r in found {
            let at = At {
                collector: r.collector,
                on_device: hp.is_loopback(),
                route: vec!["client".into(), self.hop(&r, &hp)],
                visited: None,
                assumed: self.assumption_step(&r, &hp).into_iter().collect(),
                through: vec![r.collector],
            };
            self.enter(&at, signal, items.clone());
        }
        self.drain();
    }

    /// Runs pipelines until none is left.
    fn drain(&mut self) {
        while let Some(task) = self.tasks.pop() {
            match task {
                Task::Run {
                    at,
                    pipeline,
                    items,
                } => self.run_pipeline(at, pipeline, items),
                Task::Fan {
                    at,
                    from,
                    items,
                    mut rest,
                } => {
                    let Some((connector, to)) = rest.pop() else {
                        continue;
                    };
                    let (given, kept) = if rest.is_empty() {
                        (items, None)
                    } else {
                        (items.clone(), Some(items))
                    };
                    let items = match connector {
                        Some(connector) => {
                            let graph = &self.collectors[at.collector].graph;
                            let to_signal = graph.pipelines[to].id.signal;
                            through_connector(
                                connector, from, to_signal, given, self.files, self.diags,
                            )
                        }
                        None => given,
                    };
                    if let Some(kept) = kept {
                        self.tasks.push(Task::Fan {
                            at: at.clone(),
                            from,
                            items: kept,
                            rest,
                        });
                    }
                    self.tasks.push(Task::Run {
                        at,
                        pipeline: to,
                        items,
                    });
                }
            }
        }
    }

    /// Adds a delivery made outside the walk (a client export straight to the vendor).
    pub fn deliver(&mut self, d: Delivery) {
        self.deliveries.add(d);
    }

    /// Everything delivered, one entry per destination, sorted by id.
    pub fn finish(self) -> Vec<Delivery> {
        self.deliveries.finish()
    }

    /// `collector gw (host:port)`, marked when the collector was assumed.
    fn hop(&self, r: &Reached, hp: &HostPort) -> String {
        let name = &self.collectors[r.collector].spec.name;
        match r.how {
            How::Assumed(_) => format!("collector {name} ({hp}, assumed)"),
            How::Declared | How::Local => format!("collector {name} ({hp})"),
        }
    }

    /// The evidence line of an assumed collector, at the receiver that made it.
    fn assumption_step(&self, r: &Reached, hp: &HostPort) -> Option<Step> {
        let How::Assumed(l) = &r.how else {
            return None;
        };
        let name = &self.collectors[r.collector].spec.name;
        Some(Step::at(
            format!(
                "assumed: {hp} is collector `{name}` because {}; declare it to confirm",
                l.describe()
            ),
            l.span,
            self.files,
        ))
    }

    /// Items a client sends that no endpoint describes (e.g. a Prometheus scrape endpoint
    /// on the laptop): delivered to an `unknown` destination that may be reached from off
    /// the device.
    pub fn deliver_unknown(&mut self, id: &str, why: &str, items: Vec<Item>, steps: Vec<Step>) {
        let mut steps = steps;
        steps.push(Step::unplaced(why));
        self.deliveries.add(Delivery {
            id: id.to_string(),
            kind: DestinationKind::Unknown,
            endpoint: None,
            leaves_device: true,
            route: vec!["client".into(), id.to_string()],
            items,
            steps,
        });
    }

    fn no_collector(&mut self, hp: &HostPort, why: &Step) {
        self.diags.push(
            Diagnostic::new(Code::NoCollectorForEndpoint, format!("the client exports to {hp}, but no supplied collector serves it; whatever listens there is treated as sending the data anywhere"))
                .at_opt(why.span)
                .hint("add that collector's configuration (`--collector`, or `inputs.collectors` with `serves`) so its processors and exporters are analysed"),
        );
    }

    /// The collectors that receive what `sender` sends to `hp`, with the diagnostics an
    /// assumed or ambiguous match needs (at `sent_at`, the setting or exporter that names
    /// the address). `through` are the collectors the data has passed already (the sender
    /// last): none of them receives it again, since a route that turns back is a loop, not
    /// a deployment (the exporter is then a destination of its own, which over-states).
    fn collectors_for(
        &mut self,
        hp: &HostPort,
        transport: Option<Transport>,
        sender: &str,
        sent_at: Option<crate::files::Span>,
        through: &[usize],
    ) -> Vec<Reached> {
        self.sent_to.push(reach::Sent {
            by_client: sent_at_client(sender),
            to: hp.clone(),
            transport,
        });
        let found: Vec<Reached> = reach::collectors_for(self.collectors, hp, transport)
            .into_iter()
            .filter(|r| !through.contains(&r.collector))
            .collect();
        let names: Vec<String> = found
            .iter()
            .map(|r| format!("`{}`", self.collectors[r.collector].spec.name))
            .collect();
        for r in &found {
            if let How::Assumed(l) = &r.how {
                let c = &self.collectors[r.collector].spec;
                self.diags.push(
                    Diagnostic::new(
                        Code::AssumedCollector,
                        format!(
                            "{sender} sends to {hp}, which nothing declares; it is taken to be collector `{}` because {}",
                            c.name,
                            l.describe()
                        ),
                    )
                    .at_opt(sent_at.or(Some(l.span)))
                    .hint(serves_hint(&c.name, hp)),
                );
            }
        }
        if found.len() > 1 {
            self.diags.push(
                Diagnostic::new(
                    Code::SeveralCollectorsMatch,
                    format!(
                        "{sender} sends to {hp}, and {} could each be the collector there; the data is followed through all of them",
                        names.join(" and ")
                    ),
                )
                .at_opt(sent_at)
                .hint("declare which collector serves the address (`--collector NAME@ADDRESS=FILE`, or `serves:` in dpia.yaml) so only that one is analysed"),
            );
        }
        found
    }

    fn enter(&mut self, at: &At, signal: Signal, items: Vec<Item>) {
        self.entered[at.collector] = true;
        let graph = &self.collectors[at.collector].graph;
        if graph.pipelines_unknown.is_some() || graph.fragment {
            let why = graph.pipelines_unknown.as_ref().map_or(
                "the collector configuration is a fragment".to_string(),
                |u| u.reason.clone(),
            );
            let name = self.collectors[at.collector].spec.name.clone();
            self.deliver_unknown(
                &format!("{name}:unknown"),
                &format!("its pipelines are not known ({why})"),
                items,
                Vec::new(),
            );
            return;
        }
        // Reversed: the first pipeline runs first.
        let rest: Vec<(Option<&Component>, usize)> = entry_pipelines(graph, signal)
            .into_iter()
            .rev()
            .map(|pi| (None, pi))
            .collect();
        self.tasks.push(Task::Fan {
            at: at.clone(),
            from: signal,
            items,
            rest,
        });
    }

    fn run_pipeline(&mut self, mut at: At, pi: usize, mut items: Vec<Item>) {
        if !self.collectors[at.collector].acyclic {
            if has_visited(at.visited.as_ref(), (at.collector, pi)) {
                return;
            }
            at.visited = Some(Rc::new(Visit {
                at: (at.collector, pi),
                before: at.visited.take(),
            }));
        }
        let collectors = self.collectors;
        let c = &collectors[at.collector];
        let pipeline = &c.graph.pipelines[pi];
        let mut extra: Vec<ComponentId> = Vec::new();
        for r in &pipeline.processors.refs {
            let Some(component) = c.graph.component(Kind::Processor, &r.id) else {
                continue;
            };
            let mut ctx = Ctx {
                collector: &c.spec.name,
                component,
                listed_at: r.span,
                signal: pipeline.id.signal,
                files: self.files,
                diags: self.diags,
            };
            let applied = apply_listed(&mut ctx, r.condition.is_some(), items);
            items = applied.items;
            extra.extend(applied.extra_exporters);
        }
        if let Some(u) = &pipeline.processors.unknown {
            taint_unknown(
                &mut items,
                &Step::at(
                    format!("processor list not known: {}", u.reason),
                    u.span,
                    self.files,
                ),
            );
        }
        let mut exporters: Vec<ComponentId> = pipeline
            .exporters
            .refs
            .iter()
            .map(|r| r.id.clone())
            .collect();
        exporters.extend(extra);
        if pipeline.exporters.unknown.is_some() {
            exporters.extend(c.graph.of_kind(Kind::Exporter).map(|e| e.id.clone()));
            self.deliver_unknown(
                &format!("{}:unknown", c.spec.name),
                "the pipeline's exporter list is not known",
                items.clone(),
                Vec::new(),
            );
        }
        exporters.sort();
        exporters.dedup();
        // Exporters first, each with a copy; then the connectors' pipelines, which take
        // the items themselves (one at a time, see [`Task::Fan`]).
        let mut fan: Vec<(Option<&Component>, usize)> = Vec::new();
        for id in &exporters {
            if let Some(connector) = c.graph.component(Kind::Connector, id) {
                fan.extend(
                    c.edges
                        .targets(id, pi)
                        .iter()
                        .map(|&to| (Some(connector), to)),
                );
            } else if let Some(exporter) = c.graph.component(Kind::Exporter, id) {
                self.export(&at, exporter, pipeline.id.signal, items.clone());
            }
        }
        if !fan.is_empty() {
            fan.reverse();
            self.tasks.push(Task::Fan {
                at,
                from: pipeline.id.signal,
                items,
                rest: fan,
            });
        }
    }

    fn export(&mut self, at: &At, exporter: &Component, signal: Signal, items: Vec<Item>) {
        let c = &self.collectors[at.collector];
        let target = classify(
            exporter.normalised_type(),
            &exporter.config,
            signal.as_str(),
        );
        if target.discards {
            return;
        }
        let defined = Step::at(
            format!(
                "exported by exporters.{} of collector {}",
                exporter.id, c.spec.name
            ),
            exporter.span,
            self.files,
        );
        if let Some(hp) = &target.host {
            let sender = format!("exporter `{}` of collector `{}`", exporter.id, c.spec.name);
            let transport = Transport::of_exporter(exporter.normalised_type());
            let next: Vec<Reached> =
                self.collectors_for(hp, transport, &sender, Some(exporter.span), &at.through);
            if !next.is_empty() {
                for r in next {
                    let mut route = at.route.clone();
                    route.push(format!("{}:{}", c.spec.name, exporter.id));
                    route.push(self.hop(&r, hp));
                    let mut assumed = at.assumed.clone();
                    assumed.extend(self.assumption_step(&r, hp));
                    let mut through = at.through.clone();
                    through.push(r.collector);
                    let next_at = At {
                        collector: r.collector,
                        on_device: at.on_device && hp.is_loopback(),
                        route,
                        visited: at.visited.clone(),
                        assumed,
                        through,
                    };
                    self.enter(&next_at, signal, items.clone());
                }
                return;
            }
        }
        if let Some(why) = &target.unknown {
            let code = if target.kind == DestinationKind::Unknown
                && why.contains("not known")
                && why.starts_with("exporter type")
            {
                Code::UnmodelledExporter
            } else {
                Code::UnknownDestination
            };
            self.diags.push(
                Diagnostic::new(code, format!("exporter `{}` of collector `{}`: {why}; the data is treated as leaving the device to an unknown recipient", exporter.id, c.spec.name))
                    .at(exporter.span)
                    .hint("give the missing value (e.g. with `--collector-env`), or name the destination's facts in dpia.yaml"),
            );
        }
        let leaves_device = match target.kind {
            DestinationKind::File | DestinationKind::Stdout => !at.on_device,
            DestinationKind::Pull => {
                !(at.on_device && target.host.as_ref().is_some_and(HostPort::is_loopback))
            }
            // A network exporter to a local address that no supplied collector serves:
            // whatever listens there may forward the data anywhere (as for the client).
            _ => {
                if let Some(hp) = target.host.as_ref().filter(|h| h.is_loopback()) {
                    let why = Step::at(
                        format!("exported by exporters.{} to {hp}", exporter.id),
                        exporter.span,
                        self.files,
                    );
                    self.no_collector(hp, &why);
                }
                true
            }
        };
        let several = self.collectors.len() > 1;
        let id = if several {
            format!("{}:{}", c.spec.name, exporter.id)
        } else {
            exporter.id.to_string()
        };
        let mut route = at.route.clone();
        route.push(id.clone());
        let mut steps = at.assumed.clone();
        steps.push(defined);
        self.deliveries.add(Delivery {
            id,
            kind: target.kind,
            endpoint: target.endpoint,
            leaves_device,
            route,
            items,
            steps,
        });
    }
}

/// True for the sender label of a client export.
fn sent_at_client(sender: &str) -> bool {
    sender == CLIENT
}

/// The sender label of a client export, in messages.
const CLIENT: &str = "the client";

/// How to declare that a collector serves an address.
fn serves_hint(name: &str, hp: &HostPort) -> String {
    format!(
        "declare it to confirm: `--collector {name}@{hp}=FILE`, or `serves: [\"{hp}\"]` under this collector in dpia.yaml"
    )
}

/// The pipelines of a signal that take data arriving over the network (an OTLP receiver,
/// or a receiver we cannot rule out), in order.
pub fn entry_pipelines(graph: &Collector, signal: Signal) -> Vec<usize> {
    graph
        .pipelines
        .iter()
        .enumerate()
        .filter(|(_, p)| p.id.signal == signal)
        .filter(|(_, p)| {
            p.receivers.unknown.is_some()
                || p.receivers
                    .refs
                    .iter()
                    .any(|r| is_otlp_receiver(graph, &r.id))
        })
        .map(|(i, _)| i)
        .collect()
}

/// True for receivers that accept OTLP from a client or another collector, and for
/// receivers whose type is unknown to us (sound: they might).
fn is_otlp_receiver(graph: &Collector, id: &ComponentId) -> bool {
    match graph.component(Kind::Receiver, id) {
        Some(r) => {
            matches!(
                r.normalised_type(),
                "otlp" | "otelarrow" | "kafka" | "googlecloudpubsub" | "loadbalancing"
            ) || !KNOWN_NON_OTLP_RECEIVERS.contains(&r.normalised_type())
        }
        None => graph.component(Kind::Connector, id).is_none(),
    }
}

/// Receivers that never accept OTLP data from a client: they scrape or read other sources.
const KNOWN_NON_OTLP_RECEIVERS: &[&str] = &[
    "prometheus",
    "hostmetrics",
    "filelog",
    "kubeletstats",
    "k8s_cluster",
    "k8s_events",
    "k8sobjects",
    "journald",
    "docker_stats",
    "statsd",
    "syslog",
    "tcplog",
    "udplog",
    "jaeger",
    "zipkin",
    "fluentforward",
    "nop",
    "httpcheck",
    "postgresql",
    "mysql",
    "redis",
    "windowseventlog",
    "sqlquery",
    "awscloudwatch",
    "azureeventhub",
    "carbon",
    "collectd",
    "influxdb",
    "opencensus",
    "skywalking",
    "splunk_hec",
    "sapm",
    "signalfx",
    "datadog",
    "expvar",
];

/// What comes out of a connector into the next pipeline. Copying connectors pass the items
/// on; connectors that derive new telemetry produce one item whose keys cannot be named but
/// may carry anything the input carried (SEMANTICS A.3).
fn through_connector(
    connector: &Component,
    from: Signal,
    to: Signal,
    items: Vec<Item>,
    files: &Files,
    diags: &mut Diagnostics,
) -> Vec<Item> {
    let kind = connector.normalised_type();
    let step = Step::at(
        format!("passed through connectors.{}", connector.id),
        connector.span,
        files,
    );
    if matches!(kind, "forward" | "routing" | "failover" | "roundrobin") && from == to {
        return items
            .into_iter()
            .map(|mut i| {
                i.steps.push(step.clone());
                if kind != "forward" {
                    i.presence = Presence::Maybe;
                }
                i
            })
            .collect();
    }
    const DERIVING: &[&str] = &[
        "spanmetrics",
        "count",
        "sum",
        "signaltometrics",
        "servicegraph",
        "exceptions",
        "datadog",
        "grafanacloud",
        "otlpjson",
    ];
    if !DERIVING.contains(&kind) {
        diags.push(
            Diagnostic::new(Code::UnmodelledConnector, format!("connector `{}` is not modelled; what it emits is treated as carrying anything its input carries", connector.id))
                .at(connector.span),
        );
    }
    let mut taint: Vec<Category> = items.iter().flat_map(Item::categories).collect();
    taint.sort();
    taint.dedup();
    if taint.is_empty() {
        return Vec::new();
    }
    let mut resource = super::flow::AttrMap::default();
    for i in items {
        resource = resource.join(&i.resource);
    }
    let mut attributes = super::flow::AttrMap::default();
    attributes.add_unknown(
        taint,
        format!("derived by connector {}", connector.id),
        vec![step.clone()],
    );
    let (signal, kind_out) = match to {
        Signal::Metrics => (ItemSignal::Metrics, RecordKind::Metric),
        Signal::Logs => (ItemSignal::Logs, RecordKind::Event),
        _ => (ItemSignal::Traces, RecordKind::Span),
    };
    vec![Item {
        signal,
        kind: kind_out,
        name: format!("(output of connector {})", connector.id),
        parent: None,
        presence: Presence::Maybe,
        resource,
        attributes,
        body: None,
        steps: vec![step],
        origin: None,
    }]
}

/// Runs one processor of a pipeline. A processor listed only under a template condition
/// (`{{ if }}` of a Helm template) may be absent once the chart is rendered, so what comes
/// out is the join of its output and its input: nothing it removes or drops is counted as
/// removed, while whatever it adds may arrive.
fn apply_listed(ctx: &mut Ctx<'_>, conditional: bool, items: Vec<Item>) -> processors::Applied {
    if !conditional {
        return processors::apply(ctx, items);
    }
    let skipped = items.clone();
    let mut applied = processors::apply(ctx, items);
    join_items(&mut applied.items, skipped);
    applied.dropped.clear();
    applied
}

/// Adds keys of unknown name, carrying anything, to every item.
fn taint_unknown(items: &mut [Item], step: &Step) {
    for item in items {
        let taint = item.categories();
        item.attributes
            .add_unknown(taint.clone(), step.what.clone(), vec![step.clone()]);
        item.resource
            .add_unknown(taint, step.what.clone(), vec![step.clone()]);
    }
}

/// Joins the deliveries of the same destination reached along several routes, in time
/// linear in what they carry ([`super::gather`]).
pub fn group(deliveries: Vec<Delivery>) -> Vec<Delivery> {
    let mut grouped = Grouped::default();
    for d in deliveries {
        grouped.add(d);
    }
    grouped.finish()
}

/// Deliveries joined per destination as they arrive, so a walk never holds a copy per
/// route of what one destination receives.
#[derive(Default)]
pub struct Grouped {
    out: Vec<(Delivery, Gathered, HashSet<Step>)>,
    at: HashMap<String, usize>,
}

impl Grouped {
    /// Folds one delivery in.
    pub fn add(&mut self, mut d: Delivery) {
        let items = std::mem::take(&mut d.items);
        match self.at.get(&d.id) {
            Some(&i) => {
                let (o, gathered, seen) = &mut self.out[i];
                gathered.add(items);
                o.leaves_device |= d.leaves_device;
                for s in d.steps {
                    if seen.insert(s.clone()) {
                        o.steps.push(s);
                    }
                }
                if o.route != d.route {
                    o.route.push(format!("| {}", d.route.join(" → ")));
                }
            }
            None => {
                self.at.insert(d.id.clone(), self.out.len());
                let mut gathered = Gathered::default();
                gathered.add(items);
                let seen = d.steps.iter().cloned().collect();
                self.out.push((d, gathered, seen));
            }
        }
    }

    /// One delivery per destination, sorted by id.
    pub fn finish(self) -> Vec<Delivery> {
        let mut out: Vec<Delivery> = self
            .out
            .into_iter()
            .map(|(mut d, gathered, _)| {
                d.items = gathered.finish();
                d
            })
            .collect();
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
    }
}
