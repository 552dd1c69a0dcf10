//! Strict JSON (the agents' settings files) into a [`Node`] tree with spans.

use std::collections::HashMap;

use jsonc_parser::errors::ParseErrorKind;
use jsonc_parser::{CollectOptions, ParseOptions, ast};

use super::{Entry, Node, Scalar, Value};
use crate::diag::{Code, Diagnostic, Diagnostics, Severity};
use crate::files::{FileId, Files, Span};
use crate::limits;

/// Parses a JSON file. Syntax errors become one diagnostic and `None`. A key given twice
/// is a warning and the last one wins, as in JavaScript's `JSON.parse`, which the coding
/// agents use.
pub fn parse_json(files: &Files, file: FileId, diags: &mut Diagnostics) -> Option<Node> {
    let text = &files.get(file).text;
    if text.starts_with('\u{FEFF}') {
        diags.push(
            Diagnostic::new(
                Code::JsonSyntax,
                format!(
                    "`{}` starts with a byte-order mark (BOM), which the coding agents' JSON reader (`JSON.parse`) refuses",
                    files.get(file).display
                ),
            )
            .at(Files::whole(file))
            .hint("save the file as UTF-8 without a BOM"),
        );
        return None;
    }
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
            Some(value) => match convert(files, file, value, 0, diags) {
                Ok(node) => Some(node),
                Err(limit) => {
                    diags.push(*limit);
                    None
                }
            },
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
        Err(err) if matches!(err.kind(), ParseErrorKind::NestingDepthExceeded) => {
            let range = err.range();
            diags.push(*too_deep(files.span_at(file, range.start, 1)));
            None
        }
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

/// Converts a parsed value at `depth` levels below the root; a value past a limit
/// (nesting, length) is the error.
fn convert(
    files: &Files,
    file: FileId,
    value: ast::Value<'_>,
    depth: usize,
    diags: &mut Diagnostics,
) -> Result<Node, Box<Diagnostic>> {
    let span_of = |r: jsonc_parser::common::Range| {
        files.span_at(file, r.start, r.end.saturating_sub(r.start))
    };
    if depth > limits::MAX_DEPTH {
        return Err(too_deep(span_of(value_range(&value))));
    }
    Ok(match value {
        ast::Value::StringLit(s) => {
            raw_controls(files, file, s.range)?;
            let span = span_of(s.range);
            Node::new(scalar(checked(s.value.into_owned(), span)?, true), span)
        }
        ast::Value::NumberLit(n) => {
            let span = span_of(n.range);
            Node::new(scalar(checked(n.value.to_string(), span)?, false), span)
        }
        ast::Value::BooleanLit(b) => {
            Node::new(scalar(b.value.to_string(), false), span_of(b.range))
        }
        ast::Value::NullKeyword(n) => Node::new(Value::Null, span_of(n.range)),
        ast::Value::Array(a) => {
            let span = span_of(a.range);
            let items = a
                .elements
                .into_iter()
                .map(|v| convert(files, file, v, depth + 1, diags))
                .collect::<Result<_, _>>()?;
            Node::new(Value::Seq(items), span)
        }
        ast::Value::Object(o) => {
            let span = span_of(o.range);
            let mut entries: Vec<Entry> = Vec::new();
            // Where each key is in `entries`: objects may be large.
            let mut index: HashMap<String, usize> = HashMap::new();
            for prop in o.properties {
                let key_range = match &prop.name {
                    ast::ObjectPropName::String(s) => s.range,
                    ast::ObjectPropName::Word(w) => w.range,
                };
                raw_controls(files, file, key_range)?;
                let key_span = span_of(key_range);
                let key = checked(prop.name.into_string(), key_span)?;
                let entry = Entry {
                    key,
                    key_span,
                    value: convert(files, file, prop.value, depth + 1, diags)?,
                };
                match index.get(&entry.key) {
                    // As `JSON.parse` does: the last value wins, in the first one's place.
                    Some(&pos) => {
                        diags.push(
                            Diagnostic::new(
                                Code::DuplicateKey,
                                format!(
                                    "key `{}` appears twice; the last one wins",
                                    super::yaml::shorten(&entry.key)
                                ),
                            )
                            .severity(Severity::Warning)
                            .at(entry.key_span)
                            .hint("remove one of the two so the file says one thing"),
                        );
                        entries[pos] = entry;
                    }
                    None => {
                        index.insert(entry.key.clone(), entries.len());
                        entries.push(entry);
                    }
                }
            }
            Node::new(Value::Map(entries), span)
        }
    })
}

/// Fails on a control character written raw inside a string: the parser lets it through,
/// but `JSON.parse`, which the agents use, refuses the file.
fn raw_controls(
    files: &Files,
    file: FileId,
    range: jsonc_parser::common::Range,
) -> Result<(), Box<Diagnostic>> {
    let text = &files.get(file).text[range.start..range.end];
    let Some(at) = text.find(|c: char| c < ' ') else {
        return Ok(());
    };
    let c = text[at..].chars().next().unwrap_or_default();
    Err(Box::new(
        Diagnostic::new(
            Code::JsonSyntax,
            format!(
                "invalid JSON: a string holds the control character U+{:04X} unescaped, which `JSON.parse` refuses",
                u32::from(c)
            ),
        )
        .at(files.span_at(file, range.start + at, 1))
        .hint("write it escaped (`\\n`, `\\t`, `\\u0000`), or remove it"),
    ))
}

/// The text of a value or key, if it is within [`limits::MAX_SCALAR_LEN`].
fn checked(text: String, span: Span) -> Result<String, Box<Diagnostic>> {
    if text.len() > limits::MAX_SCALAR_LEN {
        return Err(Box::new(super::yaml::value_too_long(span, text.len())));
    }
    Ok(text)
}

fn value_range(value: &ast::Value<'_>) -> jsonc_parser::common::Range {
    match value {
        ast::Value::StringLit(v) => v.range,
        ast::Value::NumberLit(v) => v.range,
        ast::Value::BooleanLit(v) => v.range,
        ast::Value::NullKeyword(v) => v.range,
        ast::Value::Array(v) => v.range,
        ast::Value::Object(v) => v.range,
    }
}

fn too_deep(span: Span) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::new(
            Code::NestingTooDeep,
            format!(
                "the document nests objects and arrays deeper than {} levels here",
                limits::MAX_DEPTH
            ),
        )
        .at(span)
        .hint("no settings file nests this deep; check that this is the file meant"),
    )
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
