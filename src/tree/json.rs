//! Strict JSON (the agents' settings files) into a [`Node`] tree with spans.

use jsonc_parser::{CollectOptions, ParseOptions, ast};

use super::{Entry, Node, Scalar, Value};
use crate::diag::{Code, Diagnostic, Diagnostics, Severity};
use crate::files::{FileId, Files};

/// Parses a JSON file. Syntax errors become one diagnostic and `None`. A key given twice
/// is a warning and the last one wins, as in JavaScript's `JSON.parse`, which the coding
/// agents use.
pub fn parse_json(files: &Files, file: FileId, diags: &mut Diagnostics) -> Option<Node> {
    let text = &files.get(file).text;
    let strict = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    match jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &strict) {
        Ok(result) => match result.value {
            Some(value) => Some(convert(files, file, value, diags)),
            None => {
                diags.push(
                    Diagnostic::new(
                        Code::JsonSyntax,
                        format!("`{}` is empty", files.get(file).display),
                    )
                    .at(Files::whole(file))
                    .hint("a settings file holds one JSON object, e.g. {\"env\": {}}"),
                );
                None
            }
        },
        Err(err) => {
            let range = err.range();
            diags.push(
                Diagnostic::new(Code::JsonSyntax, format!("invalid JSON: {}", err.kind()))
                    .at(files.span_at(file, range.start, range.end.saturating_sub(range.start)))
                    .hint("fix the JSON syntax here (settings files are strict JSON: no comments, no trailing commas)"),
            );
            None
        }
    }
}

fn convert(files: &Files, file: FileId, value: ast::Value<'_>, diags: &mut Diagnostics) -> Node {
    let span_of = |r: jsonc_parser::common::Range| {
        files.span_at(file, r.start, r.end.saturating_sub(r.start))
    };
    match value {
        ast::Value::StringLit(s) => Node::new(scalar(s.value.into_owned(), true), span_of(s.range)),
        ast::Value::NumberLit(n) => Node::new(scalar(n.value.to_string(), false), span_of(n.range)),
        ast::Value::BooleanLit(b) => {
            Node::new(scalar(b.value.to_string(), false), span_of(b.range))
        }
        ast::Value::NullKeyword(n) => Node::new(Value::Null, span_of(n.range)),
        ast::Value::Array(a) => {
            let span = span_of(a.range);
            let items = a
                .elements
                .into_iter()
                .map(|v| convert(files, file, v, diags))
                .collect();
            Node::new(Value::Seq(items), span)
        }
        ast::Value::Object(o) => {
            let span = span_of(o.range);
            let mut entries: Vec<Entry> = Vec::new();
            for prop in o.properties {
                let key_range = match &prop.name {
                    ast::ObjectPropName::String(s) => s.range,
                    ast::ObjectPropName::Word(w) => w.range,
                };
                let key = prop.name.into_string();
                let entry = Entry {
                    key,
                    key_span: span_of(key_range),
                    value: convert(files, file, prop.value, diags),
                };
                if let Some(pos) = entries.iter().position(|e| e.key == entry.key) {
                    diags.push(
                        Diagnostic::new(
                            Code::DuplicateKey,
                            format!("key `{}` appears twice; the last one wins", entry.key),
                        )
                        .severity(Severity::Warning)
                        .at(entry.key_span)
                        .hint("remove one of the two so the file says one thing"),
                    );
                    entries.remove(pos);
                }
                entries.push(entry);
            }
            Node::new(Value::Map(entries), span)
        }
    }
}

fn scalar(text: String, quoted: bool) -> Value {
    Value::Scalar(Scalar { text, quoted })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_and_errors_name_lines() {
        let mut files = Files::new();
        let ok = files.add("s.json", "{\n  \"env\": {\n    \"A\": \"1\"\n  }\n}\n");
        let bad = files.add("b.json", "{\n  \"env\": {\"A\": \"1\",}\n}\n");
        let mut diags = Diagnostics::new();
        let node = parse_json(&files, ok, &mut diags).unwrap();
        let a = node.get("env").unwrap().entry("A").unwrap();
        assert_eq!((a.key_span.line, a.key_span.col), (3, 5));
        assert!(parse_json(&files, bad, &mut diags).is_none());
        let d = diags.iter().next().unwrap();
        assert_eq!(d.code, Code::JsonSyntax);
        assert_eq!(d.span.unwrap().line, 2);
    }
}
