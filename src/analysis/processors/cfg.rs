//! Reading processor configurations: small typed accessors that say where a value is
//! wrong. A value the model cannot read makes the whole processor unknown (the sound
//! default), so these return [`Bad`] instead of guessing.

use regex::Regex;

use crate::diag::Code;
use crate::files::Span;
use crate::limits::pattern::{self, PatternError};
use crate::tree::shorten;
use crate::tree::{Node, Value};

/// A configuration value the model cannot read, and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Bad {
    /// Where the value is written.
    pub span: Span,
    /// What is wrong with it.
    pub message: String,
    /// The code when the value is past a limit of this tool (a pattern or an OTTL statement
    /// too large to read) rather than unreadable (OD510).
    pub limit: Option<Code>,
}

impl Bad {
    /// A problem at a place.
    pub fn new(span: Span, message: impl Into<String>) -> Bad {
        Bad {
            span,
            message: message.into(),
            limit: None,
        }
    }

    /// A value past a limit, reported with the limit's code.
    pub fn limit(span: Span, message: impl Into<String>, code: Code) -> Bad {
        Bad {
            limit: Some(code),
            ..Bad::new(span, message)
        }
    }
}

/// The first value in `node` that substitution could not resolve, if any.
pub fn first_unknown(node: &Node) -> Option<&Node> {
    match &node.value {
        Value::Unknown(_) => Some(node),
        Value::Map(entries) => entries.iter().find_map(|e| first_unknown(&e.value)),
        Value::Seq(items) => items.iter().find_map(first_unknown),
        Value::Null | Value::Scalar(_) => None,
    }
}

/// The items of the list at `key`; none when the key is missing or null.
pub fn seq<'a>(node: &'a Node, key: &str) -> Result<&'a [Node], Bad> {
    match node.get(key).map(|n| (&n.value, n)) {
        None | Some((Value::Null, _)) => Ok(&[]),
        Some((Value::Seq(items), _)) => Ok(items),
        Some((_, n)) => Err(Bad::new(n.span, format!("`{key}` must be a list"))),
    }
}

/// The scalar text at `key`, with where it is written.
pub fn string(node: &Node, key: &str) -> Result<Option<(String, Span)>, Bad> {
    match node.get(key) {
        None => Ok(None),
        Some(n) if n.is_null() => Ok(None),
        Some(n) => n
            .as_str()
            .map(|s| Some((s.to_string(), n.span)))
            .ok_or_else(|| Bad::new(n.span, format!("`{key}` must be a single value"))),
    }
}

/// A list of scalars at `key` (a single scalar counts as a list of one).
pub fn strings(node: &Node, key: &str) -> Result<Vec<(String, Span)>, Bad> {
    match node.get(key) {
        None => Ok(Vec::new()),
        Some(n) => match &n.value {
            Value::Null => Ok(Vec::new()),
            Value::Scalar(s) => Ok(vec![(s.text.clone(), n.span)]),
            Value::Seq(items) => items
                .iter()
                .map(|i| {
                    i.as_str()
                        .map(|s| (s.to_string(), i.span))
                        .ok_or_else(|| Bad::new(i.span, format!("`{key}` must list values")))
                })
                .collect(),
            _ => Err(Bad::new(n.span, format!("`{key}` must be a list"))),
        },
    }
}

/// A boolean at `key`, with a default.
pub fn boolean(node: &Node, key: &str, default: bool) -> Result<bool, Bad> {
    match node.get(key) {
        None => Ok(default),
        Some(n) if n.is_null() => Ok(default),
        Some(n) => n
            .as_bool()
            .ok_or_else(|| Bad::new(n.span, format!("`{key}` must be true or false"))),
    }
}

/// Compiles a Go RE2 pattern within the limits, with Go's ASCII meaning of the Perl
/// classes ([`pattern::compile`]). A pattern that fails or is too large makes the processor
/// unknown, which is sound.
pub fn regex(text: &str, span: Span) -> Result<Regex, Bad> {
    pattern::compile(text).map_err(|e| {
        let shown = shorten(text);
        match e {
            PatternError::Syntax(why) => {
                Bad::new(span, format!("the pattern `{shown}` cannot be read: {why}"))
            }
            PatternError::TooLarge(why) => Bad::limit(
                span,
                format!("the pattern `{shown}` is not compiled: {why}"),
                Code::PatternTooLarge,
            ),
        }
    })
}

/// Fails (OD332) on the first of the literal patterns of OTTL statements or conditions
/// that is past the pattern limits; the processor is then not understood. A pattern that
/// does not compile is left to where it is used, which handles it soundly.
pub fn patterns_fit<'a>(found: impl IntoIterator<Item = (&'a str, Span)>) -> Result<(), Bad> {
    for (text, span) in found {
        if let Err(e) = pattern::compile(text)
            && e.is_limit()
        {
            return Err(Bad::limit(
                span,
                format!("the pattern `{}` is not compiled: {e}", shorten(text)),
                Code::PatternTooLarge,
            ));
        }
    }
    Ok(())
}

/// The OTTL parse error as a [`Bad`]: past a limit it keeps its own code (OD331).
pub fn ottl(span: Span, message: String, limit: bool) -> Bad {
    if limit {
        Bad::limit(span, message, Code::OttlTooLarge)
    } else {
        Bad::new(span, message)
    }
}

/// The configuration as a mapping (null means the factory defaults: an empty mapping).
pub fn map_or_default(node: &Node) -> Result<(), Bad> {
    match &node.value {
        Value::Map(_) | Value::Null => Ok(()),
        _ => Err(Bad::new(node.span, "the configuration must be a mapping")),
    }
}
