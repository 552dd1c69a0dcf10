//! From the merged, substituted configuration tree to the typed [`Collector`], reporting
//! unknown keys, wrong shapes and malformed ids on the way. Component-internal keys are not
//! checked: every component type has its own schema, and we do not know them all.

use std::collections::HashSet;

use super::detect::TOP_LEVEL;
use super::id::{ComponentId, PipelineId};
use super::model::{Collector, Component, Kind, Pipeline, Ref, RefList, Unknown};
use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::files::{FileId, Span};
use crate::tree::{Entry, Node, Value};

const SERVICE_KEYS: [&str; 3] = ["extensions", "pipelines", "telemetry"];
const PIPELINE_KEYS: [&str; 3] = ["receivers", "processors", "exporters"];

/// Builds the graph of a configuration whose root is a mapping with collector sections.
pub fn build(name: &str, files: Vec<FileId>, root: &Node, diags: &mut Diagnostics) -> Collector {
    let mut collector = Collector::new(name, files, root.get("service").is_none());
    let entries = root.as_map().unwrap_or_default();
    for entry in entries {
        if !TOP_LEVEL.contains(&entry.key.as_str()) {
            diags.push(unknown_key(
                entry,
                &TOP_LEVEL,
                "at the top level of a collector configuration",
            ));
        }
    }
    for kind in Kind::ALL {
        if let Some(entry) = root.entry(kind.section()) {
            section(&mut collector, kind, entry, diags);
        }
    }
    if let Some(service) = root.entry("service") {
        self::service(&mut collector, service, diags);
    }
    collector
}

fn unknown_key(entry: &Entry, known: &[&str], place: &str) -> Diagnostic {
    let d = Diagnostic::new(
        Code::CollectorUnknownKey,
        format!("`{}` is not a key the collector knows {place}", entry.key),
    )
    .at(entry.key_span);
    match did_you_mean(&entry.key, known.iter().copied()) {
        Some(s) => d.hint(format!("did you mean `{s}`?")),
        None => d.hint(format!("the keys allowed here are {}", quoted_list(known))),
    }
}

fn quoted_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn wrong_shape(what: &str, expected: &str, node: &Node) -> Diagnostic {
    Diagnostic::new(
        Code::CollectorWrongShape,
        format!("{what} must be {expected}, but it is {}", node.kind_name()),
    )
    .at(node.span)
}

fn section(collector: &mut Collector, kind: Kind, entry: &Entry, diags: &mut Diagnostics) {
    let components = match &entry.value.value {
        Value::Null => return,
        Value::Unknown(reason) => {
            collector
                .unknown_sections
                .push((kind, unknown(reason, entry.value.span)));
            return;
        }
        Value::Map(components) => components,
        _ => {
            let d = wrong_shape(
                &format!("`{}`", kind.section()),
                "a mapping of component ids",
                &entry.value,
            );
            diags.push(d.hint(format!(
                "write `{}:` followed by indented `id:` entries",
                kind.section()
            )));
            return;
        }
    };
    // Ids defined so far in this section: a set, since a section may be large.
    let mut defined: HashSet<ComponentId> = collector.of_kind(kind).map(|c| c.id.clone()).collect();
    for c in components {
        let id = match ComponentId::parse(&c.key) {
            Ok(id) => id,
            Err(msg) => {
                diags.push(invalid_id(msg, c.key_span));
                continue;
            }
        };
        if !matches!(
            c.value.value,
            Value::Null | Value::Map(_) | Value::Unknown(_)
        ) {
            let what = format!("the configuration of {} `{id}`", kind.word());
            diags.push(wrong_shape(&what, "a mapping (or empty)", &c.value).hint(
                "indent the component's settings under its id, or leave it empty for the defaults",
            ));
        }
        if !defined.insert(id.clone()) {
            let msg = format!(
                "{} `{id}` is defined twice (ids are compared after trimming)",
                kind.word()
            );
            diags.push(
                Diagnostic::new(Code::InvalidComponentId, msg)
                    .at(c.key_span)
                    .hint("keep one of them"),
            );
            continue;
        }
        collector.add_component(Component {
            id,
            kind,
            config: c.value.clone(),
            span: c.key_span,
        });
    }
}

fn invalid_id(msg: String, span: Span) -> Diagnostic {
    Diagnostic::new(Code::InvalidComponentId, msg)
        .at(span)
        .hint("a component id is `type` or `type/name`, e.g. `otlp` or `otlphttp/vendor`")
}

fn unknown(reason: &str, span: Span) -> Unknown {
    Unknown {
        reason: reason.to_string(),
        span,
    }
}

fn service(collector: &mut Collector, entry: &Entry, diags: &mut Diagnostics) {
    let node = &entry.value;
    match &node.value {
        Value::Map(_) => {}
        Value::Null => {
            diags.push(no_pipelines(entry.key_span));
            return;
        }
        Value::Unknown(reason) => {
            collector.pipelines_unknown = Some(unknown(reason, node.span));
            collector.service_extensions.unknown = Some(unknown(reason, node.span));
            return;
        }
        _ => {
            diags.push(wrong_shape("`service`", "a mapping", node));
            return;
        }
    }
    for e in node.as_map().unwrap_or_default() {
        if !SERVICE_KEYS.contains(&e.key.as_str()) {
            diags.push(unknown_key(e, &SERVICE_KEYS, "under `service`"));
        }
    }
    if let Some(ext) = node.get("extensions") {
        collector.service_extensions = ref_list(ext, "`service.extensions`", diags);
    }
    match node.entry("pipelines") {
        None => diags.push(no_pipelines(entry.key_span)),
        Some(p) => pipelines(collector, p, diags),
    }
}

fn no_pipelines(span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::NoPipelines,
        "the `service` section defines no pipelines",
    )
    .at(span)
    .hint("add `pipelines:` under `service`, e.g. `logs: {receivers: [otlp], exporters: [debug]}`")
}

fn pipelines(collector: &mut Collector, entry: &Entry, diags: &mut Diagnostics) {
    let node = &entry.value;
    let pipelines = match &node.value {
        Value::Map(p) if !p.is_empty() => p,
        Value::Null | Value::Map(_) => return diags.push(no_pipelines(entry.key_span)),
        Value::Unknown(reason) => {
            collector.pipelines_unknown = Some(unknown(reason, node.span));
            return;
        }
        _ => {
            return diags.push(wrong_shape(
                "`service.pipelines`",
                "a mapping of pipeline ids",
                node,
            ));
        }
    };
    for p in pipelines {
        match PipelineId::parse(&p.key) {
            Ok(id) => collector.pipelines.push(pipeline(id, p, diags)),
            Err(msg) => diags.push(
                Diagnostic::new(Code::InvalidPipelineId, msg)
                    .at(p.key_span)
                    .hint("name pipelines `traces`, `metrics`, `logs` or `profiles`, optionally followed by `/name`"),
            ),
        }
    }
}

fn pipeline(id: PipelineId, entry: &Entry, diags: &mut Diagnostics) -> Pipeline {
    let mut pipeline = Pipeline {
        id,
        receivers: RefList::default(),
        processors: RefList::default(),
        exporters: RefList::default(),
        span: entry.key_span,
    };
    match &entry.value.value {
        Value::Map(keys) => {
            for k in keys {
                let what = format!("`{}` of pipeline `{}`", k.key, pipeline.id);
                match k.key.as_str() {
                    "receivers" => pipeline.receivers = ref_list(&k.value, &what, diags),
                    "processors" => pipeline.processors = ref_list(&k.value, &what, diags),
                    "exporters" => pipeline.exporters = ref_list(&k.value, &what, diags),
                    _ => diags.push(unknown_key(k, &PIPELINE_KEYS, "in a pipeline")),
                }
            }
        }
        Value::Null => {}
        Value::Unknown(reason) => {
            let u = Some(unknown(reason, entry.value.span));
            pipeline.receivers.unknown = u.clone();
            pipeline.processors.unknown = u.clone();
            pipeline.exporters.unknown = u;
        }
        _ => diags.push(wrong_shape(
            &format!("pipeline `{}`", pipeline.id),
            "a mapping with `receivers`, `processors` and `exporters`",
            &entry.value,
        )),
    }
    pipeline
}

/// A list of component ids. The collector also accepts one string of comma-separated ids
/// (that is how `exporters: ${env:EXPORTERS}` with `otlp,debug` works).
fn ref_list(node: &Node, what: &str, diags: &mut Diagnostics) -> RefList {
    let mut list = RefList::default();
    match &node.value {
        Value::Null => {}
        Value::Unknown(reason) => list.unknown = Some(unknown(reason, node.span)),
        Value::Scalar(s) => {
            for part in s.text.split(',').filter(|p| !p.trim().is_empty()) {
                push_ref(&mut list, part, node.span, diags);
            }
        }
        Value::Seq(items) => {
            for item in items {
                match &item.value {
                    Value::Scalar(s) => push_ref(&mut list, &s.text, item.span, diags),
                    Value::Unknown(reason) => list.unknown = Some(unknown(reason, item.span)),
                    _ => diags.push(wrong_shape(
                        &format!("an entry of {what}"),
                        "a component id",
                        item,
                    )),
                }
            }
        }
        Value::Map(_) => diags.push(
            wrong_shape(what, "a list of component ids", node)
                .hint("write the ids as a list, e.g. `[otlp, debug]`"),
        ),
    }
    list
}

fn push_ref(list: &mut RefList, text: &str, span: Span, diags: &mut Diagnostics) {
    match ComponentId::parse(text) {
        Ok(id) => list.refs.push(Ref {
            id,
            span,
            condition: None,
        }),
        Err(msg) => diags.push(invalid_id(msg, span)),
    }
}

#[cfg(test)]
mod tests {
    use crate::collector::testing::{GOOD, load_texts};
    use crate::diag::Code;

    #[test]
    fn unknown_keys_get_a_suggestion() {
        let loaded = load_texts(&[&format!("{GOOD}recievers:\n  otlp:\n")], &[]);
        let d = loaded.with(Code::CollectorUnknownKey);
        assert_eq!(d.len(), 1, "{:?}", loaded.diags);
        assert_eq!(d[0].hint.as_deref(), Some("did you mean `receivers`?"));
        assert_eq!(d[0].span.map(|s| (s.line, s.col)), Some((27, 1)));
        let service = GOOD.replace(
            "  extensions: [health_check]",
            "  extension: [health_check]\n  telemetry: {}",
        );
        let loaded = load_texts(&[&service], &[]);
        let d = loaded.with(Code::CollectorUnknownKey);
        assert_eq!(d.len(), 1, "{:?}", loaded.diags);
        assert_eq!(d[0].hint.as_deref(), Some("did you mean `extensions`?"));
        let pipeline = GOOD.replace(
            "      processors: [attributes/strip, batch]",
            "      procesors: [batch]",
        );
        assert_eq!(
            load_texts(&[&pipeline], &[])
                .with(Code::CollectorUnknownKey)
                .len(),
            1
        );
    }

    #[test]
    fn wrong_shapes_are_reported() {
        for (from, to) in [
            (
                "exporters:\n  otlphttp/vendor:",
                "exporters: [debug]\nx:\n  otlphttp/vendor:",
            ),
            ("  batch:\n", "  batch: 5\n"),
            (
                "      receivers: [otlp]\n      processors",
                "      receivers: {otlp: 1}\n      processors",
            ),
            (
                "    metrics:\n      receivers",
                "    metrics: [otlp]\n    m:\n      receivers",
            ),
            (
                "  extensions: [health_check]",
                "  extensions: [[health_check]]",
            ),
            ("service:\n", "service: [x]\nz:\n"),
        ] {
            let text = GOOD.replacen(from, to, 1);
            assert_ne!(text, GOOD, "{from}");
            let loaded = load_texts(&[&text], &[]);
            assert!(
                loaded.codes().contains(&Code::CollectorWrongShape),
                "{to}: {:?}",
                loaded.diags
            );
        }
    }

    #[test]
    fn bad_ids_are_reported_where_written() {
        let text = GOOD
            .replace("  debug:\n", "  debug:\n  otlp/:\n")
            .replace("[otlphttp/vendor, debug]", "[otlphttp/vendor, \"debug/ \"]");
        let loaded = load_texts(&[&text], &[]);
        let lines: Vec<u32> = loaded
            .with(Code::InvalidComponentId)
            .iter()
            .filter_map(|d| d.span)
            .map(|s| s.line)
            .collect();
        assert_eq!(lines, [15, 27], "{:?}", loaded.diags);
        let dup = GOOD.replace("  debug:\n", "  debug:\n  \"debug \":\n");
        assert_eq!(
            load_texts(&[&dup], &[])
                .with(Code::InvalidComponentId)
                .len(),
            1
        );
    }

    #[test]
    fn bad_pipeline_ids_and_missing_pipelines() {
        let loaded = load_texts(&[&GOOD.replace("    metrics:", "    metric:")], &[]);
        // The pipeline is left out of the graph, so `debug` is unused.
        assert_eq!(
            loaded.codes(),
            [Code::InvalidPipelineId, Code::UnusedComponent]
        );
        assert_eq!(loaded.diags[0].span.map(|s| s.line), Some(24));
        let no_pipelines =
            "receivers: {otlp: {}}\nexporters: {debug: {}}\nservice:\n  telemetry: {}\n";
        assert!(
            load_texts(&[no_pipelines], &[])
                .codes()
                .contains(&Code::NoPipelines)
        );
        let empty = "receivers: {otlp: {}}\nexporters: {debug: {}}\nservice:\n  pipelines: {}\n";
        assert!(
            load_texts(&[empty], &[])
                .codes()
                .contains(&Code::NoPipelines)
        );
        let null = "receivers: {otlp: {}}\nexporters: {debug: {}}\nservice:\n";
        assert!(
            load_texts(&[null], &[])
                .codes()
                .contains(&Code::NoPipelines)
        );
    }

    #[test]
    fn fragments_are_information_not_errors() {
        let loaded = load_texts(
            &["processors:\n  batch:\n  attributes/x:\n    actions: []\n"],
            &[],
        );
        assert_eq!(loaded.codes(), [Code::ConfigFragment]);
        let c = loaded.graph();
        assert!(c.fragment);
        assert_eq!(c.components.len(), 2);
    }
}
