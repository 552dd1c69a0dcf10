//! Merging several configuration files the way `otelcol --config a --config b` does.
//!
//! Maps merge key by key; anything else from the later file (a scalar, a list, an explicit
//! null) replaces what the earlier file had. So `processors:` with no value in an override
//! file deletes every processor the base file defined. The winning value keeps its own span,
//! so a diagnostic points at the file that set it.

use crate::tree::{Entry, Node, Value};

/// Merges `later` into `earlier` and returns the result.
pub fn merge(earlier: Node, later: Node) -> Node {
    match (earlier.value, later.value) {
        (Value::Map(mut entries), Value::Map(more)) => {
            for entry in more {
                merge_entry(&mut entries, entry);
            }
            Node::new(Value::Map(entries), later.span)
        }
        (_, value) => Node::new(value, later.span),
    }
}

fn merge_entry(entries: &mut Vec<Entry>, entry: Entry) {
    match entries.iter_mut().find(|e| e.key == entry.key) {
        Some(existing) => {
            let old =
                std::mem::replace(&mut existing.value, Node::new(Value::Null, entry.key_span));
            existing.value = merge(old, entry.value);
            existing.key_span = entry.key_span;
        }
        None => entries.push(entry),
    }
}

/// Merges a whole list of documents in order. An empty file (a null document) adds nothing,
/// as the collector treats it as an empty map.
pub fn merge_all(docs: impl IntoIterator<Item = Node>) -> Option<Node> {
    docs.into_iter().filter(|d| !d.is_null()).reduce(merge)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostics;
    use crate::files::Files;
    use crate::tree::parse_yaml;

    fn merged(texts: &[&str]) -> (Files, Node) {
        let mut files = Files::new();
        let mut diags = Diagnostics::new();
        let docs: Vec<Node> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let id = files.add(format!("f{i}.yaml"), *t);
                parse_yaml(&files, id, &mut diags).unwrap().remove(0)
            })
            .collect();
        assert!(diags.is_empty());
        (files, merge_all(docs).unwrap())
    }

    #[test]
    fn maps_merge_and_later_scalars_and_lists_win() {
        let (files, node) = merged(&[
            "exporters:\n  otlp:\n    endpoint: a:4317\n    tls: {insecure: true}\nservice:\n  pipelines:\n    logs:\n      exporters: [otlp, debug]\n",
            "exporters:\n  otlp:\n    endpoint: b:4317\nservice:\n  pipelines:\n    logs:\n      exporters: [otlp]\n",
        ]);
        assert_eq!(
            node.to_json(),
            serde_json::json!({
                "exporters": {"otlp": {"endpoint": "b:4317", "tls": {"insecure": true}}},
                "service": {"pipelines": {"logs": {"exporters": ["otlp"]}}}
            })
        );
        let otlp = node.get("exporters").unwrap().get("otlp").unwrap();
        let endpoint = otlp.get("endpoint").unwrap();
        assert_eq!(files.cite(endpoint.span), "f1.yaml:3");
        let insecure = otlp.get("tls").unwrap().get("insecure").unwrap();
        assert_eq!(files.cite(insecure.span), "f0.yaml:4");
    }

    #[test]
    fn explicit_null_in_a_later_file_wipes_the_subtree() {
        let (files, node) = merged(&[
            "processors:\n  batch:\n  attributes/strip:\n    actions: []\n",
            "processors:\n",
        ]);
        let processors = node.get("processors").unwrap();
        assert!(processors.is_null());
        assert_eq!(files.cite(processors.span), "f1.yaml:1");
    }

    #[test]
    fn empty_maps_and_empty_files_merge_harmlessly() {
        let (_, node) = merged(&["processors:\n  batch:\n", "processors: {}\n", ""]);
        assert_eq!(
            node.to_json(),
            serde_json::json!({"processors": {"batch": null}})
        );
    }

    #[test]
    fn a_later_map_replaces_an_earlier_scalar() {
        let (_, node) = merged(&["a: 1\n", "a: {b: 2}\n"]);
        assert_eq!(node.to_json(), serde_json::json!({"a": {"b": 2}}));
    }
}
