//! Merging a values file's `config:` over the chart's default `config:` the way Helm
//! coalesces values: maps merge key by key, a scalar or list from the values replaces the
//! default (lists are never appended), and `null` deletes a default key.
//!
//! One exception is made for soundness: when the chart is a *subchart* (its values under a
//! key of an umbrella chart's values), Helm versions differ on whether `null` deletes the
//! subchart's default — the chart itself documents that it does not (helm/helm#12879) and
//! offers `alternateConfig` for that reason. The default is then kept, with a note: a kept
//! default can only add components and pipelines (more data flows), never hide one.

use crate::files::Span;
use crate::tree::{Entry, Node, Value};

/// What merging noticed, for the note the caller gives.
#[derive(Debug, Default)]
pub struct Merged {
    /// Keys set to `null` over a subchart default that were kept, with where the `null` is.
    pub kept_defaults: Vec<(String, Span)>,
}

/// Merges `values` over `defaults`; the result keeps each value's own span (defaults
/// point into the chart's data, values into the values file).
pub fn merge(defaults: Node, values: Node, subchart: bool, merged: &mut Merged) -> Node {
    let mut path = Vec::new();
    coalesce(defaults, values, subchart, merged, &mut path)
}

fn coalesce(
    defaults: Node,
    values: Node,
    subchart: bool,
    merged: &mut Merged,
    path: &mut Vec<String>,
) -> Node {
    match (defaults.value, values.value) {
        (Value::Map(mut entries), Value::Map(more)) => {
            for e in more {
                path.push(e.key.clone());
                let existing = entries.iter().position(|x| x.key == e.key);
                match (existing, e.value.is_null()) {
                    (Some(_), true) if subchart => {
                        merged.kept_defaults.push((path.join("."), e.key_span));
                    }
                    (Some(i), true) => {
                        entries.remove(i);
                    }
                    (Some(i), false) => {
                        let old = std::mem::replace(
                            &mut entries[i].value,
                            Node::new(Value::Null, e.key_span),
                        );
                        entries[i].value = coalesce(old, e.value, subchart, merged, path);
                        entries[i].key_span = e.key_span;
                    }
                    // A key the defaults do not have keeps its value, `null` included:
                    // for the collector an empty component means its factory defaults.
                    (None, _) => entries.push(Entry {
                        key: e.key,
                        key_span: e.key_span,
                        value: e.value,
                    }),
                }
                path.pop();
            }
            Node::new(Value::Map(entries), values.span)
        }
        (_, value) => Node::new(value, values.span),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostics;
    use crate::files::Files;
    use crate::tree::parse_yaml;

    fn node(files: &mut Files, name: &str, text: &str) -> Node {
        let id = files.add(name, text);
        parse_yaml(files, id, &mut Diagnostics::new())
            .unwrap()
            .remove(0)
    }

    const DEFAULTS: &str = "receivers:\n  otlp: {protocols: {grpc: {}, http: {}}}\n  jaeger: {}\nexporters:\n  debug: {}\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp, jaeger]\n      exporters: [debug]\n";

    #[test]
    fn maps_merge_lists_replace_and_null_deletes() {
        let mut files = Files::new();
        let d = node(&mut files, "defaults.yaml", DEFAULTS);
        let v = node(
            &mut files,
            "values.yaml",
            "receivers:\n  jaeger: null\nexporters:\n  otlphttp: {endpoint: https://x}\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n",
        );
        let mut m = Merged::default();
        let out = merge(d, v, false, &mut m);
        assert_eq!(
            out.to_json(),
            serde_json::json!({
                "receivers": {"otlp": {"protocols": {"grpc": {}, "http": {}}}},
                "exporters": {"debug": {}, "otlphttp": {"endpoint": "https://x"}},
                "service": {"pipelines": {"traces": {"receivers": ["otlp"], "exporters": ["debug"]}}}
            })
        );
        let receivers = out
            .get("service")
            .and_then(|s| s.get("pipelines"))
            .and_then(|p| p.get("traces"))
            .and_then(|t| t.get("receivers"))
            .unwrap();
        assert!(files.cite(receivers.span).starts_with("values.yaml:"));
        let debug = out.get("exporters").and_then(|e| e.entry("debug")).unwrap();
        assert!(files.cite(debug.key_span).starts_with("defaults.yaml:"));
        assert!(m.kept_defaults.is_empty());
    }

    #[test]
    fn a_subchart_keeps_a_default_set_to_null() {
        let mut files = Files::new();
        let d = node(&mut files, "defaults.yaml", DEFAULTS);
        let v = node(&mut files, "values.yaml", "receivers:\n  jaeger: null\n");
        let mut m = Merged::default();
        let out = merge(d, v, true, &mut m);
        assert!(out.get("receivers").unwrap().get("jaeger").is_some());
        assert_eq!(m.kept_defaults.len(), 1);
        assert_eq!(m.kept_defaults[0].0, "receivers.jaeger");
    }
}
