//! Test helpers: a processor configuration from YAML text, items from the real Claude
//! Code catalogue or made by hand, and a run of one processor over them.

use super::{Ctx, apply};
use crate::analysis::flow::{Attr, AttrMap, Item};
use crate::analysis::shape::{AttrShape, AttrState, EvidenceKind, Presence, RecordKind, ValueKind};
use crate::analysis::{MapEnv, client_emits, exported_signals};
use crate::catalogue::telemetry::{Signal as CatSignal, builtin};
use crate::collector::{Component, ComponentId, Kind, Signal};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::files::Files;
use crate::tree::parse_yaml;

/// What one processor run produced.
pub struct Run {
    pub items: Vec<Item>,
    pub extra: Vec<ComponentId>,
    pub dropped: Vec<Item>,
    pub diags: Vec<Diagnostic>,
}

impl Run {
    /// The item with a name; panics if it was dropped.
    pub fn item(&self, name: &str) -> &Item {
        self.items
            .iter()
            .find(|i| i.name == name)
            .unwrap_or_else(|| panic!("no item {name}"))
    }

    /// Whether an item with that name is still there.
    pub fn has(&self, name: &str) -> bool {
        self.items.iter().any(|i| i.name == name)
    }

    /// The codes of the diagnostics.
    pub fn codes(&self) -> Vec<Code> {
        self.diags.iter().map(|d| d.code).collect()
    }
}

/// Runs the processor `id` defined in `yaml` (a `processors:` section) on `items`.
pub fn run(yaml: &str, id: &str, signal: Signal, items: Vec<Item>) -> Run {
    let mut files = Files::new();
    let file = files.add("otelcol.yaml", yaml);
    let mut diags = Diagnostics::new();
    let doc = parse_yaml(&files, file, &mut diags)
        .expect("test yaml parses")
        .remove(0);
    let entry = doc
        .get("processors")
        .and_then(|p| p.entry(id))
        .unwrap_or_else(|| panic!("no processor {id}"));
    let component = Component {
        id: ComponentId::parse(id).unwrap(),
        kind: Kind::Processor,
        config: entry.value.clone(),
        span: entry.key_span,
    };
    let mut ctx = Ctx {
        collector: "test",
        component: &component,
        listed_at: entry.key_span,
        signal,
        files: &files,
        diags: &mut diags,
    };
    let applied = apply(&mut ctx, items);
    Run {
        items: applied.items,
        extra: applied.extra_exporters,
        dropped: applied.dropped,
        diags: diags.into_iter().collect(),
    }
}

/// The Claude Code items (newest catalogue version) of one signal under an environment,
/// with event bodies from the catalogue.
pub fn catalogue_items(signal: CatSignal, env: &[(&str, &str)]) -> Vec<Item> {
    let cat = builtin("claude-code").unwrap().unwrap();
    let version = cat.resolve_version(None).unwrap();
    let mut pairs = vec![
        ("CLAUDE_CODE_ENABLE_TELEMETRY", "1"),
        ("OTEL_METRICS_EXPORTER", "otlp"),
        ("OTEL_LOGS_EXPORTER", "otlp"),
        ("OTEL_TRACES_EXPORTER", "otlp"),
        ("CLAUDE_CODE_ENHANCED_TELEMETRY_BETA", "1"),
    ];
    pairs.extend_from_slice(env);
    let env = MapEnv::from_pairs(pairs, "test");
    let emission = client_emits(&cat, &version, &env, &exported_signals(&cat, &env));
    let mut items = Item::from_client(&emission.records);
    items.retain(|i| i.signal == signal);
    items
}

/// A hand-made attribute: raw, always present, unless a constant is given.
pub fn attr(key: &str, constant: Option<&str>) -> Attr {
    Attr {
        shape: AttrShape {
            key: key.to_string(),
            category: crate::taxonomy::Category::PromptContent,
            also: Vec::new(),
            kind: ValueKind::Content,
            state: if constant.is_some() {
                AttrState::Placeholder
            } else {
                AttrState::Raw
            },
            placeholder: constant.map(str::to_string),
            presence: Presence::Always,
            condition: None,
            signals: Vec::new(),
            evidence: Vec::new(),
            catalogue_evidence: EvidenceKind::Seen,
        },
        steps: Vec::new(),
    }
}

/// A map of hand-made attributes.
pub fn map(attrs: &[(&str, Option<&str>)]) -> AttrMap {
    let mut m = AttrMap::default();
    for (k, c) in attrs {
        m.insert(attr(k, *c));
    }
    m
}

/// A hand-made log item with a constant body.
pub fn log_item(body: &str, attrs: &[(&str, Option<&str>)]) -> Item {
    let mut body_attr = attr("body", Some(body));
    body_attr.shape.category = crate::taxonomy::Category::TechnicalMetadata;
    Item {
        signal: CatSignal::Logs,
        kind: RecordKind::Event,
        name: body.to_string(),
        parent: None,
        presence: Presence::Always,
        resource: map(&[("service.name", Some("claude-code"))]),
        attributes: map(attrs),
        body: Some(body_attr),
        steps: Vec::new(),
        origin: None,
    }
}

/// The state of a key in a map, or `None` when it is certainly gone.
pub fn state(m: &AttrMap, key: &str) -> Option<(AttrState, Presence)> {
    m.get(key).map(|a| (a.shape.state, a.shape.presence))
}
