//! A configuration document as a tree whose every node remembers where it was written.
//!
//! YAML (collector configs, `dpia.yaml`), JSON and TOML (agent settings) are all read into this
//! one [`Node`] type, so merging, `${...}` substitution, validation and provenance work the
//! same for every input and every message can name `file:line:col`.

mod json;
mod toml;
mod yaml;

pub use json::parse_json;
pub use toml::{parse_toml, parse_toml_value};
pub use yaml::{Placement, parse_text, parse_yaml, shorten};

use crate::files::Span;

/// One value of a configuration document and the place it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where the value is written (for a substituted value: where the reference is).
    pub span: Span,
}

/// The value of a [`Node`].
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// An explicit null: `~`, `null`, or nothing after `key:`.
    Null,
    /// A scalar, kept as written; typing happens where the value is used, as in the
    /// collector (which decodes strings into the type each field wants).
    Scalar(Scalar),
    /// A mapping with string keys, in document order.
    Map(Vec<Entry>),
    /// A sequence.
    Seq(Vec<Node>),
    /// A value that cannot be known from the files (an unresolved `${env:X}`, a remote
    /// `${https:...}`). The text says why; consumers must assume the worst.
    Unknown(String),
}

/// A scalar as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    /// The text after unescaping.
    pub text: String,
    /// Whether the text was quoted (YAML quoted/block styles, JSON strings): a quoted `true`
    /// is the string "true", not a boolean.
    pub quoted: bool,
}

/// One `key: value` pair of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key text.
    pub key: String,
    /// Where the key is written.
    pub key_span: Span,
    /// The value.
    pub value: Node,
}

impl Node {
    /// A node with a value at a span.
    pub fn new(value: Value, span: Span) -> Self {
        Node { value, span }
    }

    /// A string scalar node.
    pub fn string(text: impl Into<String>, span: Span) -> Self {
        Node::new(
            Value::Scalar(Scalar {
                text: text.into(),
                quoted: true,
            }),
            span,
        )
    }

    /// The entries, if this is a mapping.
    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The items, if this is a sequence.
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The scalar text, if this is a scalar (of any YAML type).
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(s) => Some(&s.text),
            _ => None,
        }
    }

    /// The boolean, if this is a plain `true`/`false` (any case), or a string the
    /// collector's weak decoding accepts as one (`"true"`, `"1"`, …).
    pub fn as_bool(&self) -> Option<bool> {
        match self.as_str()?.to_ascii_lowercase().as_str() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        }
    }

    /// True for an explicit null (and for an empty plain scalar).
    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// True when the value could not be determined statically.
    pub fn is_unknown(&self) -> bool {
        matches!(self.value, Value::Unknown(_))
    }

    /// The entry for `key`, if this is a mapping that has it.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().find(|e| e.key == key)
    }

    /// The value for `key`, if this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// A short word for the kind of value, for messages ("a mapping", "a list", …).
    pub fn kind_name(&self) -> &'static str {
        match &self.value {
            Value::Null => "null",
            Value::Scalar(_) => "a scalar",
            Value::Map(_) => "a mapping",
            Value::Seq(_) => "a list",
            Value::Unknown(_) => "an unknown value",
        }
    }

    /// Converts to JSON with YAML 1.2 core-schema typing of plain scalars, for serde
    /// deserialisation of typed documents. Unknown values become null.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null | Value::Unknown(_) => J::Null,
            Value::Scalar(s) if s.quoted => J::String(s.text.clone()),
            Value::Scalar(s) => plain_to_json(&s.text),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.value.to_json()))
                    .collect(),
            ),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
        }
    }
}

/// The first value or key longer than [`crate::limits::MAX_SCALAR_LEN`], with its length,
/// for readers whose parser does not hand values over one by one.
fn too_long(node: &Node) -> Option<(Span, usize)> {
    let max = crate::limits::MAX_SCALAR_LEN;
    match &node.value {
        Value::Scalar(s) if s.text.len() > max => Some((node.span, s.text.len())),
        Value::Map(entries) => entries.iter().find_map(|e| {
            if e.key.len() > max {
                Some((e.key_span, e.key.len()))
            } else {
                too_long(&e.value)
            }
        }),
        Value::Seq(items) => items.iter().find_map(too_long),
        _ => None,
    }
}

/// Types a plain YAML scalar the way the YAML 1.2 core schema does.
fn plain_to_json(text: &str) -> serde_json::Value {
    use serde_json::Value as J;
    match text {
        "true" | "True" | "TRUE" => return J::Bool(true),
        "false" | "False" | "FALSE" => return J::Bool(false),
        "" | "~" | "null" | "Null" | "NULL" => return J::Null,
        _ => {}
    }
    if let Ok(i) = text.parse::<i64>() {
        return J::from(i);
    }
    let looks_numeric = text
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.'));
    if looks_numeric
        && let Ok(f) = text.parse::<f64>()
        && f.is_finite()
    {
        return J::from(f);
    }
    J::String(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::Files;

    #[test]
    fn plain_scalars_are_typed_quoted_ones_are_not() {
        let mut files = Files::new();
        let id = files.add(
            "t.yaml",
            "a: 1\nb: '1'\nc: true\nd: \"true\"\ne:\nf: 1.5\ng: text\n",
        );
        let mut diags = crate::diag::Diagnostics::new();
        let node = parse_yaml(&files, id, &mut diags).unwrap().remove(0);
        assert_eq!(
            node.to_json(),
            serde_json::json!({"a": 1, "b": "1", "c": true, "d": "true", "e": null, "f": 1.5, "g": "text"})
        );
    }
}
