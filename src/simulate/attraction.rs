//! The attribute action engine shared by the `attributes` processor (record attributes)
//! and the `resource` processor (resource attributes): insert, update, upsert, delete,
//! hash, extract, convert, applied in order to one attribute map.

use regex::Regex;

use super::config::{self, entries, to_any};
use super::error::ConfigError;
use super::hash::attribute_hash;
use crate::files::Span;
use crate::otlp::{AnyValue, Attributes};
use crate::tree::Node;

/// A validated list of actions.
#[derive(Debug, Clone)]
pub(crate) struct Actions(Vec<Action>);

#[derive(Debug, Clone)]
struct Action {
    key: String,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    Insert(Source),
    Update(Source),
    Upsert(Source),
    Delete(Option<Regex>),
    Hash(Option<Regex>),
    Extract(Regex),
    Convert(Target),
}

#[derive(Debug, Clone)]
enum Source {
    Value(AnyValue),
    Attribute(String),
    /// Client metadata (`from_context`). A simulation has no request, so the source is
    /// always missing and the action does nothing.
    Context,
}

#[derive(Debug, Clone, Copy)]
enum Target {
    Int,
    Double,
    String,
}

const KEYS: &[&str] = &[
    "key",
    "action",
    "value",
    "pattern",
    "from_attribute",
    "from_context",
    "converted_type",
];

impl Actions {
    /// Reads and validates an `actions:` (or the resource processor's `attributes:`)
    /// list, with the collector's rules and messages.
    pub fn parse(list: &Node) -> Result<Actions, ConfigError> {
        let items = list
            .as_seq()
            .ok_or_else(|| ConfigError::new(list.span, "expected a list of actions"))?;
        items
            .iter()
            .enumerate()
            .map(|(i, n)| parse_action(i, n))
            .collect::<Result<_, _>>()
            .map(Actions)
    }

    /// True when there is no action.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Applies every action in order.
    pub fn apply(&self, attrs: &mut Attributes) {
        for a in &self.0 {
            a.apply(attrs);
        }
    }
}

fn parse_action(i: usize, node: &Node) -> Result<Action, ConfigError> {
    config::check_keys(node, KEYS)?;
    let _ = entries(node)?;
    let text =
        |k: &str| config::opt_str(node, k).map(|o| o.map(|(s, _)| s).filter(|s| !s.is_empty()));
    let key = text("key")?.unwrap_or_default();
    let (action, action_span) = config::opt_str(node, "action")?
        .ok_or_else(|| ConfigError::new(node.span, format!("the {i}-th action has no `action`")))?;
    let action = action.to_lowercase();
    let pattern = config::opt_str(node, "pattern")?.filter(|(s, _)| !s.is_empty());
    let value = node.get("value").filter(|v| !v.is_null());
    let from_attribute = text("from_attribute")?;
    let from_context = text("from_context")?;
    let converted = config::opt_str(node, "converted_type")?.filter(|(s, _)| !s.is_empty());
    let sources = usize::from(value.is_some())
        + usize::from(from_attribute.is_some())
        + usize::from(from_context.is_some());
    let err = |m: String| ConfigError::new(node.span, format!("action {i}: {m}"));
    let needs_key = !matches!(action.as_str(), "delete" | "hash");
    if needs_key && key.is_empty() {
        return Err(err("missing required field `key`".into()));
    }
    if !needs_key && key.is_empty() && pattern.is_none() {
        return Err(err("at least one of `key` and `pattern` is required".into()));
    }
    if converted.is_some() && action != "convert" {
        return Err(err(format!(
            "action `{action}` does not use `converted_type`"
        )));
    }
    let kind = match action.as_str() {
        "insert" | "update" | "upsert" => {
            if sources != 1 {
                return Err(err(
                    "exactly one of `value`, `from_attribute`, `from_context` is required".into(),
                ));
            }
            if pattern.is_some() {
                return Err(err(format!("action `{action}` does not use `pattern`")));
            }
            let source = match (value, from_attribute) {
                (Some(v), _) => Source::Value(to_any(v)),
                (None, Some(a)) => Source::Attribute(a),
                (None, None) => Source::Context,
            };
            match action.as_str() {
                "insert" => Kind::Insert(source),
                "update" => Kind::Update(source),
                _ => Kind::Upsert(source),
            }
        }
        "delete" | "hash" => {
            if value.is_some() || from_attribute.is_some() {
                return Err(err(format!(
                    "action `{action}` does not use `value` or `from_attribute`"
                )));
            }
            let re = pattern.map(|(p, s)| config::regex(&p, s)).transpose()?;
            if action == "delete" {
                Kind::Delete(re)
            } else {
                Kind::Hash(re)
            }
        }
        "extract" => {
            if sources > 0 {
                return Err(err("action `extract` does not use a value source".into()));
            }
            let (p, s) = pattern.ok_or_else(|| err("action `extract` needs `pattern`".into()))?;
            Kind::Extract(extract_regex(&p, s, i)?)
        }
        "convert" => {
            if sources > 0 || pattern.is_some() {
                return Err(err(
                    "action `convert` does not use value sources or `pattern`".into(),
                ));
            }
            Kind::Convert(parse_target(converted, node.span, i)?)
        }
        other => {
            return Err(ConfigError::new(
                action_span,
                format!(
                    "unsupported action `{other}` (expected insert, update, upsert, delete, hash, extract or convert)"
                ),
            ));
        }
    };
    Ok(Action { key, kind })
}

fn extract_regex(pattern: &str, span: Span, i: usize) -> Result<Regex, ConfigError> {
    let re = config::regex(pattern, span)?;
    let names: Vec<Option<&str>> = re.capture_names().skip(1).collect();
    if names.is_empty() {
        return Err(ConfigError::new(
            span,
            format!("action {i}: `pattern` has no named groups"),
        ));
    }
    if names.iter().any(Option::is_none) {
        return Err(ConfigError::new(
            span,
            format!("action {i}: `pattern` has an unnamed group; every group must be named"),
        ));
    }
    Ok(re)
}

fn parse_target(
    converted: Option<(String, Span)>,
    span: Span,
    i: usize,
) -> Result<Target, ConfigError> {
    match converted.as_ref().map(|(s, _)| s.as_str()) {
        Some("int") => Ok(Target::Int),
        Some("double") => Ok(Target::Double),
        Some("string") => Ok(Target::String),
        None => Err(ConfigError::new(
            span,
            format!("action {i}: `convert` needs `converted_type`"),
        )),
        Some(other) => Err(ConfigError::new(
            converted.as_ref().map_or(span, |(_, s)| *s),
            format!(
                "action {i}: invalid `converted_type` `{other}` (expected int, double or string)"
            ),
        )),
    }
}

impl Action {
    fn apply(&self, attrs: &mut Attributes) {
        match &self.kind {
            Kind::Insert(src) => {
                if let Some(v) = source(src, attrs)
                    && !attrs.contains(&self.key)
                {
                    attrs.put(self.key.clone(), v);
                }
            }
            Kind::Update(src) => {
                if let Some(v) = source(src, attrs)
                    && let Some(slot) = attrs.get_mut(&self.key)
                {
                    *slot = v;
                }
            }
            Kind::Upsert(src) => {
                if let Some(v) = source(src, attrs) {
                    attrs.put(self.key.clone(), v);
                }
            }
            Kind::Delete(re) => {
                attrs.remove(&self.key);
                if let Some(re) = re {
                    attrs.retain(|k, _| !re.is_match(k));
                }
            }
            Kind::Hash(re) => {
                // As in the collector: the literal key first, then every key matching the
                // pattern, so a key that is both is hashed twice.
                if let Some(v) = attrs.get_mut(&self.key) {
                    *v = attribute_hash(v);
                }
                if let Some(re) = re {
                    for (k, v) in attrs.iter_mut() {
                        if re.is_match(k) {
                            *v = attribute_hash(v);
                        }
                    }
                }
            }
            Kind::Extract(re) => extract(&self.key, re, attrs),
            Kind::Convert(t) => {
                if let Some(v) = attrs.get_mut(&self.key) {
                    convert(v, *t);
                }
            }
        }
    }
}

fn source(src: &Source, attrs: &Attributes) -> Option<AnyValue> {
    match src {
        Source::Value(v) => Some(v.clone()),
        Source::Attribute(k) => attrs.get(k).cloned(),
        Source::Context => None,
    }
}

fn extract(key: &str, re: &Regex, attrs: &mut Attributes) {
    let Some(AnyValue::Str(text)) = attrs.get(key).cloned() else {
        return;
    };
    let Some(caps) = re.captures(&text) else {
        return;
    };
    for (i, name) in re.capture_names().enumerate().skip(1) {
        let found = caps.get(i).map_or("", |m| m.as_str());
        attrs.put(name.unwrap_or_default(), AnyValue::str(found));
    }
}

/// The `convert` action: a value that cannot be converted is left unchanged.
fn convert(v: &mut AnyValue, target: Target) {
    let new = match (target, &*v) {
        (Target::String, AnyValue::Str(_)) => None,
        (Target::String, other) => Some(AnyValue::Str(other.as_string())),
        (Target::Int, AnyValue::Double(d)) => Some(AnyValue::Int(*d as i64)),
        (Target::Int, AnyValue::Bool(b)) => Some(AnyValue::Int(i64::from(*b))),
        (Target::Int, AnyValue::Str(s)) => s.parse::<i64>().ok().map(AnyValue::Int),
        (Target::Double, AnyValue::Int(i)) => Some(AnyValue::Double(*i as f64)),
        (Target::Double, AnyValue::Bool(b)) => Some(AnyValue::Double(f64::from(u8::from(*b)))),
        (Target::Double, AnyValue::Str(s)) => parse_go_float(s).map(AnyValue::Double),
        _ => None,
    };
    if let Some(n) = new {
        *v = n;
    }
}

/// `strconv.ParseFloat` accepts a few spellings Rust does not (`Inf`, `+Inf`); the
/// common decimal forms are the same.
fn parse_go_float(s: &str) -> Option<f64> {
    match s.to_ascii_lowercase().as_str() {
        "inf" | "+inf" | "infinity" | "+infinity" => Some(f64::INFINITY),
        "-inf" | "-infinity" => Some(f64::NEG_INFINITY),
        "nan" => Some(f64::NAN),
        _ => s.parse().ok(),
    }
}
