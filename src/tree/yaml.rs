//! YAML into a [`Node`] tree with spans, through the event API of `saphyr-parser` (a YAML
//! 1.2 parser that reports the position of every event).
//!
//! Anchors and aliases are expanded, and `<<` merge keys are applied the way Go's yaml.v3
//! (used by the collector) applies them: merged keys never override keys written in the map.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span as YSpan, StrInput};

use super::{Entry, Node, Scalar, Value};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::files::{FileId, Files, Span};

/// Parses every document of a YAML file. A syntax error becomes one diagnostic and `None`;
/// duplicate keys are reported and the first one is kept. An empty file gives one null
/// document.
pub fn parse_yaml(files: &Files, file: FileId, diags: &mut Diagnostics) -> Option<Vec<Node>> {
    let text = &files.get(file).text;
    parse_text(text, Placement::offset(file, 0, 0), diags)
}

/// Where the text being parsed sits in a file of the store, so that every span (and every
/// syntax error) points at the place a user can open.
///
/// A collector configuration embedded in a Kubernetes manifest (`config.yaml: |`) is parsed
/// from the block's text, but cited in the manifest: a literal block keeps its lines, so
/// line `n` of the text is line `n + line` of the file and every column moves right by the
/// block's indentation. Text whose lines do not map (a quoted or folded string) is cited at
/// one place, the key that holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Line `l` and column `c` of the text are line `l + line` and column `c + col` of `file`.
    Offset {
        /// The file the text comes from.
        file: FileId,
        /// Lines before the text's first line.
        line: u32,
        /// Columns before the text's first column on every line.
        col: u32,
    },
    /// Every span of the text is this one.
    At(Span),
}

impl Placement {
    /// Text whose line 1 column 1 is line `line + 1` column `col + 1` of `file`.
    pub fn offset(file: FileId, line: u32, col: u32) -> Placement {
        Placement::Offset { file, line, col }
    }

    fn span(self, line: usize, col0: usize, len: usize) -> Span {
        match self {
            Placement::Offset {
                file,
                line: dl,
                col: dc,
            } => Span {
                file,
                line: to_u32(line.max(1)).saturating_add(dl),
                col: to_u32(col0 + 1).saturating_add(dc),
                len: to_u32(len.max(1)),
            },
            Placement::At(span) => span,
        }
    }
}

/// Parses every document of a text that sits in a file at `at` (see [`Placement`]); the
/// rules are those of [`parse_yaml`].
pub fn parse_text(text: &str, at: Placement, diags: &mut Diagnostics) -> Option<Vec<Node>> {
    let mut reader = Reader {
        parser: Parser::new_from_str(text),
        at,
        anchors: HashMap::new(),
        diags,
    };
    match reader.documents() {
        Ok(mut docs) => {
            if docs.is_empty() {
                docs.push(Node::new(Value::Null, at.span(1, 0, 1)));
            }
            Some(docs)
        }
        Err(err) => {
            let m = err.marker();
            let span = at.span(m.line(), m.col(), 1);
            diags.push(
                Diagnostic::new(Code::YamlSyntax, format!("invalid YAML: {}", err.info()))
                    .at(span)
                    .hint("fix the YAML syntax here (look for wrong indentation, a missing `:` or an unclosed quote)"),
            );
            None
        }
    }
}

struct Reader<'a, 'd> {
    parser: Parser<'a, StrInput<'a>>,
    at: Placement,
    anchors: HashMap<usize, Node>,
    diags: &'d mut Diagnostics,
}

impl<'a> Reader<'a, '_> {
    fn next(&mut self) -> Result<(Event<'a>, YSpan), ScanError> {
        match self.parser.next_event() {
            Some(result) => result,
            None => Ok((Event::StreamEnd, YSpan::default())),
        }
    }

    fn span(&self, s: YSpan) -> Span {
        let len = if s.start.line() == s.end.line() {
            s.end.index().saturating_sub(s.start.index())
        } else {
            1
        };
        self.at.span(s.start.line(), s.start.col(), len)
    }

    fn documents(&mut self) -> Result<Vec<Node>, ScanError> {
        let mut docs = Vec::new();
        loop {
            let (event, span) = self.next()?;
            match event {
                Event::StreamEnd => return Ok(docs),
                Event::DocumentStart(_) => {
                    let (first, first_span) = self.next()?;
                    if matches!(first, Event::DocumentEnd) {
                        docs.push(Node::new(Value::Null, self.span(span)));
                        continue;
                    }
                    docs.push(self.node(first, first_span)?);
                    // Consume the DocumentEnd event.
                    self.next()?;
                }
                _ => {}
            }
        }
    }

    fn node(&mut self, event: Event<'a>, ys: YSpan) -> Result<Node, ScanError> {
        let span = self.span(ys);
        let (node, anchor) = match event {
            Event::Scalar(text, style, anchor, tag) => {
                let tag = tag.map(|t| t.suffix.clone()).unwrap_or_default();
                let quoted = style != ScalarStyle::Plain || tag == "str";
                let value = if !quoted
                    && matches!(text.as_ref(), "" | "~" | "null" | "Null" | "NULL")
                    || tag == "null"
                {
                    Value::Null
                } else {
                    Value::Scalar(Scalar {
                        text: text.into_owned(),
                        quoted,
                    })
                };
                (Node::new(value, span), anchor)
            }
            Event::SequenceStart(anchor, _) => {
                let mut items = Vec::new();
                loop {
                    let (event, ys) = self.next()?;
                    if matches!(event, Event::SequenceEnd) {
                        break;
                    }
                    items.push(self.node(event, ys)?);
                }
                (Node::new(Value::Seq(items), span), anchor)
            }
            Event::MappingStart(anchor, _) => (self.mapping(span)?, anchor),
            Event::Alias(id) => {
                let node = self
                    .anchors
                    .get(&id)
                    .cloned()
                    .unwrap_or_else(|| Node::new(Value::Null, span));
                return Ok(node);
            }
            _ => (Node::new(Value::Null, span), 0),
        };
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        Ok(node)
    }

    fn mapping(&mut self, span: Span) -> Result<Node, ScanError> {
        let mut entries: Vec<Entry> = Vec::new();
        let mut merged: Vec<Entry> = Vec::new();
        loop {
            let (event, ys) = self.next()?;
            if matches!(event, Event::MappingEnd) {
                break;
            }
            let key = self.node(event, ys)?;
            let (value_event, value_span) = self.next()?;
            let value = self.node(value_event, value_span)?;
            let key_text = match &key.value {
                Value::Scalar(s) => s.text.clone(),
                Value::Null => String::new(),
                _ => {
                    self.diags.push(
                        Diagnostic::new(
                            Code::YamlSyntax,
                            "a mapping key must be a plain value, not a list or a mapping",
                        )
                        .at(key.span),
                    );
                    continue;
                }
            };
            if key_text == "<<" && matches!(&key.value, Value::Scalar(s) if !s.quoted) {
                collect_merge(&value, &mut merged);
                continue;
            }
            if entries.iter().any(|e| e.key == key_text) {
                self.diags.push(
                    Diagnostic::new(
                        Code::DuplicateKey,
                        format!("key `{key_text}` is already defined in this mapping"),
                    )
                    .at(key.span)
                    .hint("the collector refuses duplicate keys; keep one of them"),
                );
                continue;
            }
            entries.push(Entry {
                key: key_text,
                key_span: key.span,
                value,
            });
        }
        for entry in merged {
            if !entries.iter().any(|e| e.key == entry.key) {
                entries.push(entry);
            }
        }
        Ok(Node::new(Value::Map(entries), span))
    }
}

/// Gathers the entries a `<<` merge key brings in: one mapping, or a list of mappings where
/// earlier ones take precedence.
fn collect_merge(value: &Node, into: &mut Vec<Entry>) {
    match &value.value {
        Value::Map(entries) => {
            for e in entries {
                if !into.iter().any(|x| x.key == e.key) {
                    into.push(e.clone());
                }
            }
        }
        Value::Seq(items) => items.iter().for_each(|item| collect_merge(item, into)),
        _ => {}
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Option<Vec<Node>>, Diagnostics) {
        let mut files = Files::new();
        let id = files.add("t.yaml", text);
        let mut diags = Diagnostics::new();
        (parse_yaml(&files, id, &mut diags), diags)
    }

    #[test]
    fn keeps_positions_of_keys_and_values() {
        let (docs, _) = parse("receivers:\n  otlp:\n    protocols:\n      grpc:\n");
        let root = &docs.unwrap()[0];
        let otlp = root.get("receivers").unwrap().entry("otlp").unwrap();
        assert_eq!((otlp.key_span.line, otlp.key_span.col), (2, 3));
        assert!(
            otlp.value
                .get("protocols")
                .unwrap()
                .get("grpc")
                .unwrap()
                .is_null()
        );
    }

    #[test]
    fn anchors_and_merge_keys_expand() {
        let (docs, _) = parse("base: &b {a: 1, b: 2}\nx:\n  <<: *b\n  b: 3\n");
        let x = docs.unwrap()[0].get("x").unwrap().to_json();
        assert_eq!(x, serde_json::json!({"b": 3, "a": 1}));
    }

    #[test]
    fn syntax_errors_and_duplicates_are_reported_with_lines() {
        let (docs, diags) = parse("a: 1\nb: [1, 2\n");
        assert!(docs.is_none());
        assert_eq!(diags.iter().next().unwrap().code, Code::YamlSyntax);
        let (_, diags) = parse("a: 1\na: 2\n");
        let d = diags.iter().next().unwrap();
        assert_eq!((d.code, d.span.unwrap().line), (Code::DuplicateKey, 2));
    }
}
