//! Telling a collector configuration from the files people often pass instead. The forms
//! otel-dpia reads (ConfigMaps, operator resources, the opentelemetry-collector chart's
//! values, Helm templates of these) are handled by [`super::deployed`]; for anything else
//! that embeds a configuration (another chart's values, another resource kind) the
//! diagnostics say where it is, so the user can pass it on its own.

use super::id::ComponentId;
use super::model::Kind;
use crate::tree::{Node, Value};

/// The top-level keys of a collector configuration.
pub const TOP_LEVEL: [&str; 6] = [
    "receivers",
    "processors",
    "exporters",
    "connectors",
    "extensions",
    "service",
];

/// True when the document has at least one collector section at its top level.
pub fn looks_like_collector(root: &Node) -> bool {
    root.as_map()
        .is_some_and(|entries| entries.iter().any(|e| TOP_LEVEL.contains(&e.key.as_str())))
}

/// True for a mapping of component ids to their configurations with no section around
/// them, the shape of a component's own test data (`attributes/insert: {actions: …}`).
/// Every key must be a valid id and every value a mapping or empty, which keeps Helm values
/// files and Kubernetes manifests (with scalar settings at the top) out.
pub fn is_component_map(root: &Node) -> bool {
    root.as_map().is_some_and(|entries| {
        !entries.is_empty()
            && entries.iter().all(|e| {
                ComponentId::parse(&e.key).is_ok()
                    && matches!(e.value.value, Value::Map(_) | Value::Null)
            })
    })
}

/// Where a collector configuration sits inside another document, e.g.
/// `data.relay` of a ConfigMap, `spec.config` of an OpenTelemetryCollector resource or
/// `config` of a Helm values file: the key path and the value's line.
pub fn find_embedded(doc: &Node) -> Option<(String, u32)> {
    let mut path = Vec::new();
    search(doc, &mut path, 0)
}

fn search(node: &Node, path: &mut Vec<String>, depth: usize) -> Option<(String, u32)> {
    if depth >= 6 {
        return None;
    }
    match &node.value {
        Value::Map(entries) => entries.iter().find_map(|e| {
            path.push(e.key.clone());
            let found = if is_embedded_config(&e.value) {
                Some((path.join("."), e.key_span.line))
            } else {
                search(&e.value, path, depth + 1)
            };
            path.pop();
            found
        }),
        Value::Seq(items) => items.iter().enumerate().find_map(|(i, item)| {
            path.push(i.to_string());
            let found = search(item, path, depth + 1);
            path.pop();
            found
        }),
        _ => None,
    }
}

/// A mapping with a `service` section and one other collector section, or a block of text
/// that starts such a configuration.
fn is_embedded_config(node: &Node) -> bool {
    match &node.value {
        Value::Map(entries) => {
            let has = |k: &str| entries.iter().any(|e| e.key == k);
            has("service") && Kind::ALL.iter().any(|k| has(k.section()))
        }
        Value::Scalar(s) => {
            let starts = |k: &str| s.text.lines().any(|l| l.starts_with(&format!("{k}:")));
            starts("service") && (starts("receivers") || starts("exporters"))
        }
        _ => false,
    }
}

/// The 1-based line of the first `{{` in a text, for files that are templates.
pub fn template_line(text: &str) -> Option<u32> {
    let at = text.find("{{")?;
    Some(u32::try_from(text[..at].matches('\n').count() + 1).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostics;
    use crate::files::Files;
    use crate::tree::parse_yaml;

    fn doc(text: &str) -> Node {
        let mut files = Files::new();
        let id = files.add("t.yaml", text);
        parse_yaml(&files, id, &mut Diagnostics::new())
            .unwrap()
            .remove(0)
    }

    #[test]
    fn collector_sections_are_recognised() {
        assert!(looks_like_collector(&doc("processors:\n  batch:\n")));
        assert!(!looks_like_collector(&doc(
            "nameOverride: x\ningress: {}\n"
        )));
        assert!(!looks_like_collector(&doc("- a\n")));
        assert!(is_component_map(&doc(
            "attributes/insert:\n  actions: []\nbatch:\n"
        )));
        assert!(!is_component_map(&doc("nameOverride: \"\"\nimage: {}\n")));
        assert!(!is_component_map(&doc("\"not an id\": {}\n")));
    }

    #[test]
    fn embedded_configurations_are_found() {
        let configmap = "kind: ConfigMap\ndata:\n  relay: |\n    receivers:\n      otlp:\n    service:\n      pipelines: {}\n";
        assert_eq!(
            find_embedded(&doc(configmap)),
            Some(("data.relay".into(), 3))
        );
        let values = "image: x\nconfig:\n  receivers: {}\n  service: {}\n";
        assert_eq!(find_embedded(&doc(values)), Some(("config".into(), 2)));
        assert_eq!(find_embedded(&doc("a: {b: 1}\n")), None);
    }

    #[test]
    fn template_markers_are_located() {
        assert_eq!(template_line("a: 1\nb: {{ .Values.x }}\n"), Some(2));
        assert_eq!(template_line("a: 1\n"), None);
    }
}
