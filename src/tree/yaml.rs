//! YAML into a [`Node`] tree with spans, through the event API of `saphyr-parser` (a YAML
//! 1.2 parser that reports the position of every event).
//!
//! Anchors and aliases are expanded, and `<<` merge keys are applied the way Go's yaml.v3
//! (used by the collector) applies them: merged keys never override keys written in the map.

use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span as YSpan, StrInput};

use super::{Entry, Node, Scalar, Value};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::files::{FileId, Files, Span};
use crate::limits::{self, describe_size};

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
/// rules are those of [`parse_yaml`]. A document past a limit (nesting, the length of one
/// value, what its aliases expand to; see [`crate::limits`]) is one located error and
/// `None`, like a syntax error.
pub fn parse_text(text: &str, at: Placement, diags: &mut Diagnostics) -> Option<Vec<Node>> {
    let mut reader = Reader {
        parser: Parser::new_from_str(text),
        text,
        at,
        anchors: HashMap::new(),
        diags,
        built: 0,
        expanded: 0,
        kept: 0,
        budget: limits::alias_budget(text.len()),
        reached: 0,
    };
    match reader.documents() {
        Ok(mut docs) => {
            if docs.is_empty() {
                docs.push(Node::new(Value::Null, at.span(1, 0, 1)));
            }
            Some(docs)
        }
        Err(Stop::Limit(d)) => {
            reader.diags.push(*d);
            None
        }
        // The parser's own bound on flow nesting (`[[[…`), met before ours when it scans ahead.
        Err(Stop::Syntax(err)) if err.info().contains("recursion limit") => {
            let m = err.marker();
            reader
                .diags
                .push(deeper_than_limit(at.span(m.line(), m.col(), 1)));
            None
        }
        Err(Stop::Syntax(err)) => {
            let m = err.marker();
            let span = at.span(m.line(), m.col(), 1);
            reader.diags.push(
                Diagnostic::new(Code::YamlSyntax, format!("invalid YAML: {}", err.info()))
                    .at(span)
                    .hint("fix the YAML syntax here (look for wrong indentation, a missing `:` or an unclosed quote)"),
            );
            None
        }
    }
}

/// Why reading stopped.
enum Stop {
    /// The text is not YAML.
    Syntax(ScanError),
    /// The document passes a limit; the diagnostic says which.
    Limit(Box<Diagnostic>),
}

impl From<ScanError> for Stop {
    fn from(err: ScanError) -> Self {
        Stop::Syntax(err)
    }
}

/// An anchored node, kept for its aliases with what copying it costs.
struct Anchored {
    node: Node,
    /// Nodes in it.
    size: usize,
    /// Levels below it (0 for a scalar).
    height: usize,
}

struct Reader<'a, 'd> {
    parser: Parser<'a, StrInput<'a>>,
    text: &'a str,
    at: Placement,
    anchors: HashMap<usize, Anchored>,
    diags: &'d mut Diagnostics,
    /// Nodes built so far, aliases' copies included.
    built: usize,
    /// Nodes added by aliases so far.
    expanded: usize,
    /// Nodes copied to keep anchored nodes so far.
    kept: usize,
    /// How many nodes aliases may add ([`limits::alias_budget`]).
    budget: usize,
    /// The deepest level reached in the node being built.
    reached: usize,
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

    fn documents(&mut self) -> Result<Vec<Node>, Stop> {
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
                    self.reached = 0;
                    docs.push(self.node(first, first_span, 0)?);
                    // Consume the DocumentEnd event.
                    self.next()?;
                }
                _ => {}
            }
        }
    }

    /// The node an event starts, at `depth` levels below the document's root.
    fn node(&mut self, event: Event<'a>, ys: YSpan, depth: usize) -> Result<Node, Stop> {
        let span = self.span(ys);
        if depth > limits::MAX_DEPTH {
            return Err(too_deep(span));
        }
        self.reached = self.reached.max(depth);
        let first = self.built;
        self.built += 1;
        let (node, anchor) = match event {
            Event::Scalar(text, style, anchor, tag) => {
                if text.len() > limits::MAX_SCALAR_LEN {
                    return Err(too_long(span, text.len()));
                }
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
                let reached = std::mem::replace(&mut self.reached, depth);
                let mut items = Vec::new();
                loop {
                    let (event, ys) = self.next()?;
                    if matches!(event, Event::SequenceEnd) {
                        break;
                    }
                    items.push(self.node(event, ys, depth + 1)?);
                }
                let node = Node::new(Value::Seq(items), span);
                let below = self.reached - depth;
                self.reached = self.reached.max(reached);
                return self.keep(node, anchor, first, below);
            }
            Event::MappingStart(anchor, _) => {
                let reached = std::mem::replace(&mut self.reached, depth);
                let node = self.mapping(span, depth)?;
                let below = self.reached - depth;
                self.reached = self.reached.max(reached);
                return self.keep(node, anchor, first, below);
            }
            Event::Alias(id) => {
                self.built -= 1;
                return self.alias(id, ys, span, depth);
            }
            _ => (Node::new(Value::Null, span), 0),
        };
        self.keep(node, anchor, first, 0)
    }

    /// Records a node under its anchor (if it has one) and returns it. Keeping it is a copy,
    /// charged to a budget of its own as large as the aliases': anchors nested in anchors
    /// would otherwise copy the same content once per level.
    fn keep(
        &mut self,
        node: Node,
        anchor: usize,
        first: usize,
        height: usize,
    ) -> Result<Node, Stop> {
        if anchor != 0 {
            let size = self.built - first;
            if self.kept + size > self.budget {
                let d = self.bomb("an anchor on this node", node.span);
                return Err(Stop::Limit(Box::new(d)));
            }
            self.kept += size;
            let kept = Anchored {
                node: node.clone(),
                size,
                height,
            };
            self.anchors.insert(anchor, kept);
        }
        Ok(node)
    }

    /// A copy of the anchored node, if the copy stays within the depth and alias limits.
    fn alias(&mut self, id: usize, ys: YSpan, span: Span, depth: usize) -> Result<Node, Stop> {
        let Some(anchored) = self.anchors.get(&id) else {
            return Ok(Node::new(Value::Null, span));
        };
        let (size, height) = (anchored.size, anchored.height);
        if depth + height > limits::MAX_DEPTH {
            return Err(too_deep(span));
        }
        if self.expanded + size > self.budget {
            let name: String = self
                .text
                .chars()
                .skip(ys.start.index())
                .take(ys.end.index().saturating_sub(ys.start.index()).min(80))
                .collect();
            let d = self.bomb(&format!("the alias `{}`", name.trim()), span);
            return Err(Stop::Limit(Box::new(d)));
        }
        let node = anchored.node.clone();
        self.expanded += size;
        self.built += size;
        self.reached = self.reached.max(depth + height);
        Ok(node)
    }

    fn bomb(&self, what: &str, span: Span) -> Diagnostic {
        Diagnostic::new(
            Code::AliasExpansion,
            format!(
                "{what} would copy more than {} nodes, the most the anchors and aliases of a document of {} may copy",
                self.budget,
                describe_size(self.text.len() as u64)
            ),
        )
        .at(span)
        .hint("aliases here copy aliases that copy aliases (a \"billion laughs\" bomb): write the values out, or use fewer levels of aliases")
    }

    fn mapping(&mut self, span: Span, depth: usize) -> Result<Node, Stop> {
        let mut entries: Vec<Entry> = Vec::new();
        let mut keys: HashSet<String> = HashSet::new();
        let mut merged: Vec<Entry> = Vec::new();
        loop {
            let (event, ys) = self.next()?;
            if matches!(event, Event::MappingEnd) {
                break;
            }
            let key = self.node(event, ys, depth + 1)?;
            let (value_event, value_span) = self.next()?;
            let value = self.node(value_event, value_span, depth + 1)?;
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
            if keys.contains(&key_text) {
                self.diags.push(
                    Diagnostic::new(
                        Code::DuplicateKey,
                        format!(
                            "key `{}` is already defined in this mapping",
                            shorten(&key_text)
                        ),
                    )
                    .at(key.span)
                    .hint("the collector refuses duplicate keys; keep one of them"),
                );
                continue;
            }
            keys.insert(key_text.clone());
            entries.push(Entry {
                key: key_text,
                key_span: key.span,
                value,
            });
        }
        for entry in merged {
            if keys.insert(entry.key.clone()) {
                entries.push(entry);
            }
        }
        Ok(Node::new(Value::Map(entries), span))
    }
}

fn too_deep(span: Span) -> Stop {
    Stop::Limit(Box::new(deeper_than_limit(span)))
}

fn deeper_than_limit(span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::NestingTooDeep,
        format!(
            "the document nests mappings and lists deeper than {} levels here",
            limits::MAX_DEPTH
        ),
    )
    .at(span)
    .hint("no collector or settings file nests this deep; check that this is the file meant")
}

fn too_long(span: Span, len: usize) -> Stop {
    Stop::Limit(Box::new(value_too_long(span, len)))
}

/// The error for a value or key longer than [`limits::MAX_SCALAR_LEN`].
pub(crate) fn value_too_long(span: Span, len: usize) -> Diagnostic {
    Diagnostic::new(
        Code::ValueTooLong,
        format!(
            "this value is {} long, more than the {} one value may have",
            describe_size(len as u64),
            describe_size(limits::MAX_SCALAR_LEN as u64)
        ),
    )
    .at(span)
    .hint("no setting takes a value this long; check that this is the file meant")
}

/// A key or value as quoted in a message: at most 80 characters.
pub fn shorten(text: &str) -> String {
    match text.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

/// Gathers the entries a `<<` merge key brings in: one mapping, or a list of mappings where
/// earlier ones take precedence.
fn collect_merge(value: &Node, into: &mut Vec<Entry>) {
    let mut seen: HashSet<String> = into.iter().map(|e| e.key.clone()).collect();
    gather(value, into, &mut seen);
}

fn gather(value: &Node, into: &mut Vec<Entry>, seen: &mut HashSet<String>) {
    match &value.value {
        Value::Map(entries) => {
            for e in entries {
                if seen.insert(e.key.clone()) {
                    into.push(e.clone());
                }
            }
        }
        Value::Seq(items) => items.iter().for_each(|item| gather(item, into, seen)),
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
