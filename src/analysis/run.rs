//! One analysis, end to end: settings → what the client emits → through the collectors →
//! the data map. The CLI's `analyze` (and later `check` and `render`) call [`analyze`].

use super::flow::{AttrMap, Item, Step};
use super::map::{DataMap, SCHEMA_VERSION, SourceOut, destination_out, merge_destinations};
use super::reach::{self, Transport};
use super::settings_link::exported_from;
use super::shape::{Presence, RecordKind, RecordShape, Signal as ItemSignal};
use super::walk::{Delivery, LoadedCollector, Walker, group, load_collectors};
use super::{client_emits, destination::DestinationKind};
use crate::catalogue::telemetry;
use crate::collector::Signal;
use crate::diag::{Code, Diagnostic, Diagnostics, JsonDiagnostic};
use crate::files::Files;
use crate::inputs::InputSpec;
use crate::sources::{self, EffectiveSettings};

/// Everything one analysis produced, for the commands that print or check it.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The resolved settings of each source, in the order given.
    pub settings: Vec<EffectiveSettings>,
    /// The collectors of the deployment.
    pub collectors: Vec<LoadedCollector>,
    /// The data map, without diagnostics (the caller adds them once all are known).
    pub map: DataMap,
    /// The names of the collectors no data reaches (OD513), in input order.
    pub unreached: Vec<String>,
}

/// Analyses every source of the deployment through the same collectors. `None` when the
/// inputs cannot be used (the diagnostics say why).
pub fn analyze(spec: &InputSpec, files: &mut Files, diags: &mut Diagnostics) -> Option<Analysis> {
    let collectors = load_collectors(&spec.collectors, files, diags);
    let mut all_settings = Vec::new();
    let mut summaries = Vec::new();
    let mut destinations = Vec::new();
    let mut reached = Reachability {
        entered: vec![false; collectors.len()],
        sent_to: Vec::new(),
    };
    for source in sources::sources_of(spec) {
        let Some((settings, summary, outs)) =
            analyze_source(&source, spec, &collectors, &mut reached, files, diags)
        else {
            continue;
        };
        all_settings.push(settings);
        summaries.push(summary);
        destinations.extend(outs);
    }
    let first = summaries.first()?.clone();
    diags.extend(reach::unreached(
        &collectors,
        &reached.entered,
        &reached.sent_to,
        files,
    ));
    let unreached = collectors
        .iter()
        .zip(&reached.entered)
        .filter(|(_, entered)| !**entered)
        .map(|(c, _)| c.spec.name.clone())
        .collect();
    let map = DataMap {
        schema_version: SCHEMA_VERSION,
        source: first,
        sources: summaries,
        destinations: merge_destinations(destinations),
        diagnostics: Vec::new(),
    };
    Some(Analysis {
        settings: all_settings,
        collectors,
        map,
        unreached,
    })
}

/// Which collectors data entered and where it was sent, over every source.
struct Reachability {
    entered: Vec<bool>,
    sent_to: Vec<reach::Sent>,
}

/// One source: its settings, what it emits, and where that goes.
fn analyze_source(
    source: &crate::inputs::SourceRef,
    spec: &InputSpec,
    collectors: &[LoadedCollector],
    reached: &mut Reachability,
    files: &mut Files,
    diags: &mut Diagnostics,
) -> Option<(
    EffectiveSettings,
    SourceOut,
    Vec<super::map::DestinationOut>,
)> {
    let settings = sources::resolve(source, spec, files, diags)?;
    let catalogue = match telemetry::cached(&source.name) {
        Some(c) => c,
        None => {
            diags.push(
                Diagnostic::new(
                    Code::UnknownSource,
                    format!("no telemetry catalogue for `{}`", source.name),
                )
                .at_opt(source.named_at),
            );
            return None;
        }
    };
    let version = catalogue.resolve_version(Some(&settings.version)).ok()?;
    let exported = exported_from(&settings);
    let emission = client_emits(catalogue, &version, &settings, &exported);
    let mut deliveries = {
        let mut walker = Walker::new(collectors, files, diags);
        follow_signals(&mut walker, catalogue, &settings, &emission.records, files);
        for (seen, now) in reached.entered.iter_mut().zip(&walker.entered) {
            *seen |= *now;
        }
        reached.sent_to.append(&mut walker.sent_to);
        walker.finish()
    };
    deliveries.extend(vendor_flows(&emission.records, files));
    let outs = group(deliveries)
        .iter()
        .map(|d| destination_out(&settings.source, d, files))
        .collect();
    let summary = SourceOut {
        name: settings.source.clone(),
        version: emission.version.clone(),
        telemetry_enabled: settings.telemetry.enabled,
    };
    Some((settings, summary, outs))
}

/// Adds the run's diagnostics to the map, as its JSON form carries them.
pub fn with_diagnostics(mut map: DataMap, diags: &[Diagnostic], files: &Files) -> DataMap {
    map.diagnostics = diags
        .iter()
        .map(|d| JsonDiagnostic::new(d, files))
        .collect();
    map
}

fn follow_signals(
    walker: &mut Walker<'_>,
    catalogue: &telemetry::Catalogue,
    settings: &EffectiveSettings,
    records: &[RecordShape],
    files: &Files,
) {
    let items = Item::from_client(records);
    for export in settings
        .signals
        .iter()
        .filter(|s| s.exported || super::settings_link::opened(settings, s))
    {
        let name = export.signal.as_str();
        let Some(signal) = Signal::parse(name) else {
            continue;
        };
        let of_signal: Vec<Item> = items
            .iter()
            .filter(|i| i.signal.as_str() == name)
            .cloned()
            .collect();
        if of_signal.is_empty() {
            continue;
        }
        let why = |what: String, p: &crate::sources::Provenance| match p.span() {
            Some(span) => Step::at(what, span, files),
            None => Step::unplaced(what),
        };
        if let Some(d) = vendor_export(catalogue, name, export, &of_signal, files) {
            walker.deliver(d);
            continue;
        }
        let mut endpoints: Vec<&crate::sources::effective::Endpoint> =
            export.endpoint.iter().collect();
        endpoints.extend(export.also_to.iter());
        let transport = export
            .protocol
            .as_ref()
            .and_then(|p| Transport::of_protocol(&p.value));
        for e in &endpoints {
            walker.from_client(
                signal,
                &e.url,
                transport,
                of_signal.clone(),
                why(
                    format!("{name} exported to {} ({})", e.url, e.from),
                    &e.provenance,
                ),
            );
        }
        if export.exporters.iter().any(|x| x == "prometheus") {
            let step = why(
                format!("{name} exposed for scraping by the prometheus exporter"),
                &export.selected_by,
            );
            walker.deliver_unknown("direct:prometheus", "a Prometheus scrape endpoint on the employee's machine; who scrapes it is not in the configuration", of_signal.clone(), vec![step]);
        }
    }
}

/// A signal whose exporter sends to the vendor's own service (the catalogue's export
/// rule names it): delivered straight to a `vendor:<id>` destination, with the URL the
/// settings give, or the catalogue's host and path.
fn vendor_export(
    catalogue: &telemetry::Catalogue,
    signal: &str,
    export: &crate::sources::effective::SignalExport,
    items: &[Item],
    files: &Files,
) -> Option<Delivery> {
    let (_, spec) = catalogue.export_signals().find(|(n, _)| *n == signal)?;
    let (exporter, dest) = export
        .exporters
        .iter()
        .find_map(|e| spec.vendor.get(e).map(|d| (e, d)))?;
    let endpoint = export.endpoint.as_ref().map(|e| e.url.clone()).or_else(|| {
        dest.host
            .as_ref()
            .map(|h| format!("https://{h}{}", dest.path.as_deref().unwrap_or("")))
    });
    let what = format!(
        "{signal} exported by the `{exporter}` exporter to {}",
        dest.label
    );
    let step = match export.selected_by.span() {
        Some(span) => Step::at(format!("{what} ({})", export.selected_by), span, files),
        None => Step::unplaced(format!("{what} ({})", export.selected_by)),
    };
    Some(Delivery {
        id: format!("vendor:{}", dest.id),
        kind: DestinationKind::Vendor,
        endpoint,
        leaves_device: true,
        route: vec![
            "client".into(),
            format!("vendor:{} ({})", dest.id, dest.label),
        ],
        items: items.to_vec(),
        steps: vec![step],
    })
}

/// Deliveries for the flows outside OpenTelemetry (the model API request, the vendor's own
/// telemetry): one destination `vendor:<id>` per place the catalogue names.
fn vendor_flows(records: &[RecordShape], files: &Files) -> Vec<Delivery> {
    let mut out = Vec::new();
    for r in records.iter().filter(|r| r.kind == RecordKind::Flow) {
        for d in &r.destinations {
            let mut attributes = AttrMap::default();
            for a in &r.attributes {
                attributes.insert(super::flow::Attr {
                    shape: a.clone(),
                    steps: Vec::new(),
                });
            }
            for u in &r.unknown_keys {
                attributes.add_unknown(u.categories.clone(), u.reason.clone(), Vec::new());
            }
            let presence = if d.presence == Presence::Maybe {
                Presence::Maybe
            } else {
                r.presence
            };
            let item = Item {
                signal: ItemSignal::Other,
                kind: RecordKind::Flow,
                name: r.name.clone(),
                parent: None,
                presence,
                resource: AttrMap::default(),
                attributes,
                body: None,
                steps: Vec::new(),
                origin: Some(r.clone()),
            };
            let endpoint = match (&d.host, &d.path) {
                (Some(h), Some(p)) => Some(format!("https://{h}{p}")),
                (Some(h), None) => Some(format!("https://{h}")),
                _ => None,
            };
            let steps = d.evidence.iter().map(|e| match e.span {
                Some(span) => Step::at(format!("{} ({})", e.setting, e.provenance), span, files),
                None => Step::unplaced(format!("{} ({})", e.setting, e.provenance)),
            });
            out.push(Delivery {
                id: format!("vendor:{}", d.id),
                kind: DestinationKind::Vendor,
                endpoint,
                leaves_device: true,
                route: vec!["client".into(), format!("vendor:{} ({})", d.id, d.label)],
                items: vec![item],
                steps: steps.collect(),
            });
        }
    }
    out
}
