//! TOML (Codex CLI's `config.toml` and `requirements.toml`) into a [`Node`] tree with
//! spans, through `toml_edit`, the parser behind the `toml` crate, which keeps the byte
//! range of every key and value.

use std::ops::Range;

use toml_edit::{ImDocument, Item, Key, Table, TableLike};

use super::{Entry, Node, Scalar, Value};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::files::{FileId, Files, Span};

/// Parses a TOML file. A syntax error becomes one diagnostic at its place and `None`.
pub fn parse_toml(files: &Files, file: FileId, diags: &mut Diagnostics) -> Option<Node> {
    let text = files.get(file).text.as_str();
    match ImDocument::parse(text) {
        Ok(doc) => {
            let root = table(files, file, doc.as_table(), Files::whole(file));
            if let Some((at, len)) = super::too_long(&root) {
                diags.push(super::yaml::value_too_long(at, len));
                return None;
            }
            Some(root)
        }
        Err(err) => {
            let at = err
                .span()
                .map_or(Files::whole(file), |r| span(files, file, Some(r)));
            // The parser stops at its own depth limit, lower than ours.
            if err.message().contains("recursion limit") {
                diags.push(
                    Diagnostic::new(
                        Code::NestingTooDeep,
                        "the document nests tables and arrays deeper than the TOML parser reads (80 levels)",
                    )
                    .at(at)
                    .hint("no settings file nests this deep; check that this is the file meant"),
                );
                return None;
            }
            diags.push(
                Diagnostic::new(
                    Code::TomlSyntax,
                    format!("invalid TOML: {}", err.message().trim()),
                )
                .at(at)
                .hint("fix the TOML syntax here; the agent refuses to start with this file"),
            );
            None
        }
    }
}

/// Parses the value of a `-c key=value` override as the client does: TOML if it parses,
/// else the raw text as a string. `file` holds the value text alone.
pub fn parse_toml_value(files: &Files, file: FileId) -> Node {
    let text = files.get(file).text.as_str();
    let whole = Files::whole(file);
    match format!("v = {text}").parse::<ImDocument<String>>() {
        Ok(doc) => match doc.as_table().get("v") {
            // Spans point into the wrapped text, so the value gets the whole file's span.
            Some(item) => relocate(item_node(files, file, item, whole), whole),
            None => Node::string(text, whole),
        },
        Err(_) => Node::string(text, whole),
    }
}

/// Gives every node of a tree the same span (for values parsed out of their file).
fn relocate(mut node: Node, at: Span) -> Node {
    node.span = at;
    match &mut node.value {
        Value::Map(entries) => {
            for e in entries.iter_mut() {
                e.key_span = at;
                e.value = relocate(e.value.clone(), at);
            }
        }
        Value::Seq(items) => {
            for i in items.iter_mut() {
                *i = relocate(i.clone(), at);
            }
        }
        _ => {}
    }
    node
}

fn span(files: &Files, file: FileId, range: Option<Range<usize>>) -> Span {
    match range {
        Some(r) => files.span_at(file, r.start, r.end.saturating_sub(r.start)),
        None => Files::whole(file),
    }
}

fn table(files: &Files, file: FileId, t: &Table, fallback: Span) -> Node {
    let at = t.span().map_or(fallback, |r| span(files, file, Some(r)));
    Node::new(Value::Map(entries(files, file, t, at)), at)
}

fn entries(files: &Files, file: FileId, t: &dyn TableLike, at: Span) -> Vec<Entry> {
    t.iter()
        .filter_map(|(name, _)| t.get_key_value(name))
        .map(|(key, item)| entry(files, file, key, item, at))
        .collect()
}

fn entry(files: &Files, file: FileId, key: &Key, item: &Item, parent: Span) -> Entry {
    let key_span = key.span().map_or(parent, |r| span(files, file, Some(r)));
    Entry {
        key: key.get().to_string(),
        key_span,
        value: item_node(files, file, item, key_span),
    }
}

fn item_node(files: &Files, file: FileId, item: &Item, fallback: Span) -> Node {
    let at = item.span().map_or(fallback, |r| span(files, file, Some(r)));
    match item {
        Item::None => Node::new(Value::Null, at),
        Item::Table(t) => table(files, file, t, fallback),
        Item::ArrayOfTables(a) => Node::new(
            Value::Seq(a.iter().map(|t| table(files, file, t, at)).collect()),
            at,
        ),
        Item::Value(v) => value_node(files, file, v, at),
    }
}

fn value_node(files: &Files, file: FileId, v: &toml_edit::Value, at: Span) -> Node {
    use toml_edit::Value as V;
    let plain = |text: String, quoted: bool| Node::new(Value::Scalar(Scalar { text, quoted }), at);
    match v {
        V::String(s) => plain(s.value().clone(), true),
        V::Integer(i) => plain(i.value().to_string(), false),
        V::Float(f) => plain(f.value().to_string(), false),
        V::Boolean(b) => plain(b.value().to_string(), false),
        V::Datetime(d) => plain(d.value().to_string(), true),
        V::Array(a) => Node::new(
            Value::Seq(
                a.iter()
                    .map(|x| {
                        let s = x.span().map_or(at, |r| span(files, file, Some(r)));
                        value_node(files, file, x, s)
                    })
                    .collect(),
            ),
            at,
        ),
        V::InlineTable(t) => Node::new(Value::Map(entries(files, file, t, at)), at),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values_keep_their_lines() {
        let mut files = Files::new();
        let id = files.add(
            "config.toml",
            "model = \"m\"\n\n[otel]\nlog_user_prompt = true\nexporter = { otlp-http = { endpoint = \"http://h:4318/v1/logs\", protocol = \"json\" } }\n",
        );
        let mut diags = Diagnostics::new();
        let root = parse_toml(&files, id, &mut diags).unwrap();
        let otel = root.get("otel").unwrap();
        let prompt = otel.entry("log_user_prompt").unwrap();
        assert_eq!(prompt.key_span.line, 4);
        assert_eq!(prompt.value.as_bool(), Some(true));
        let endpoint = otel
            .get("exporter")
            .and_then(|e| e.get("otlp-http"))
            .and_then(|e| e.entry("endpoint"))
            .unwrap();
        assert_eq!(endpoint.key_span.line, 5);
        assert_eq!(endpoint.value.as_str(), Some("http://h:4318/v1/logs"));
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let mut files = Files::new();
        let id = files.add("config.toml", "[otel]\nlog_user_prompt = \n");
        let mut diags = Diagnostics::new();
        assert!(parse_toml(&files, id, &mut diags).is_none());
        let d = diags.iter().next().unwrap();
        assert_eq!(d.code, Code::TomlSyntax);
        assert_eq!(d.span.unwrap().line, 2);
    }

    #[test]
    fn override_values_are_toml_or_strings() {
        let mut files = Files::new();
        let a = files.add("-c a", "{otlp-http={endpoint=\"http://h\"}}");
        let b = files.add("-c b", "cli");
        let c = files.add("-c c", "false");
        assert_eq!(
            parse_toml_value(&files, a).to_json(),
            serde_json::json!({"otlp-http": {"endpoint": "http://h"}})
        );
        assert_eq!(parse_toml_value(&files, b).as_str(), Some("cli"));
        assert_eq!(parse_toml_value(&files, c).as_bool(), Some(false));
    }
}
