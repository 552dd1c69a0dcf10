//! Reading processor settings from a config subtree, with the collector's decoding rules
//! (mapstructure: strict keys, weakly typed scalars).

use regex::Regex;

use super::error::ConfigError;
use crate::files::Span;
use crate::limits::pattern::{self, PatternError};
use crate::otlp::AnyValue;
use crate::tree::{Node, Value};

/// The settings map of a component. `null` (the key written with no value) means all
/// defaults, as in the collector.
pub(crate) fn entries(node: &Node) -> Result<&[crate::tree::Entry], ConfigError> {
    match &node.value {
        Value::Map(e) => Ok(e),
        Value::Null => Ok(&[]),
        Value::Unknown(why) => Err(ConfigError::not_modelled(
            node.span,
            format!("the configuration is not known: {why}"),
        )),
        _ => Err(ConfigError::new(
            node.span,
            format!("expected a mapping of settings, found {}", node.kind_name()),
        )),
    }
}

/// Fails on the first key not in `known`, as the collector's strict decoding does.
pub(crate) fn check_keys(node: &Node, known: &[&str]) -> Result<(), ConfigError> {
    for e in entries(node)? {
        if !known.contains(&e.key.as_str()) {
            return Err(ConfigError::new(
                e.key_span,
                format!(
                    "unknown setting `{}` (expected one of: {})",
                    e.key,
                    known.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// Fails when any value below is unknown (an unresolved `${env:X}`): the processor's
/// effect cannot be simulated then.
pub(crate) fn require_known(node: &Node) -> Result<(), ConfigError> {
    match &node.value {
        Value::Unknown(why) => Err(ConfigError::not_modelled(
            node.span,
            format!("setting not known: {why}"),
        )),
        Value::Map(entries) => entries.iter().try_for_each(|e| require_known(&e.value)),
        Value::Seq(items) => items.iter().try_for_each(require_known),
        _ => Ok(()),
    }
}

/// A string setting; `null` or absent gives `None`.
pub(crate) fn opt_str(node: &Node, key: &str) -> Result<Option<(String, Span)>, ConfigError> {
    match node.get(key) {
        None => Ok(None),
        Some(v) if v.is_null() => Ok(None),
        Some(v) => match v.as_str() {
            Some(s) => Ok(Some((s.to_string(), v.span))),
            None => Err(ConfigError::new(
                v.span,
                format!("`{key}` must be a string, found {}", v.kind_name()),
            )),
        },
    }
}

/// A list-of-strings setting; absent gives an empty list.
pub(crate) fn str_list(node: &Node, key: &str) -> Result<Vec<(String, Span)>, ConfigError> {
    match node.get(key) {
        None => Ok(Vec::new()),
        Some(v) => match &v.value {
            Value::Null => Ok(Vec::new()),
            Value::Seq(items) => items
                .iter()
                .map(|i| {
                    i.as_str().map(|s| (s.to_string(), i.span)).ok_or_else(|| {
                        ConfigError::new(i.span, format!("`{key}` must list strings"))
                    })
                })
                .collect(),
            _ => Err(ConfigError::new(
                v.span,
                format!("`{key}` must be a list of strings"),
            )),
        },
    }
}

/// A boolean setting with a default.
pub(crate) fn bool_or(node: &Node, key: &str, default: bool) -> Result<bool, ConfigError> {
    match node.get(key) {
        None => Ok(default),
        Some(v) if v.is_null() => Ok(default),
        Some(v) => v
            .as_bool()
            .ok_or_else(|| ConfigError::new(v.span, format!("`{key}` must be true or false"))),
    }
}

/// A config value as an attribute value, typed the way the collector's YAML decoding
/// types it (`pcommon.Value.FromRaw`): plain `123` is an int, `1.5` a double, `true` a
/// bool, quoted text a string, lists and maps as such.
pub(crate) fn to_any(node: &Node) -> AnyValue {
    AnyValue::from_raw_json(&node.to_json())
}

/// Compiles a Go RE2 pattern within the limits (same syntax for what configs use). One
/// past the limits is valid for the collector, so it is not modelled rather than invalid.
pub(crate) fn regex(text: &str, span: Span) -> Result<Regex, ConfigError> {
    let shown = crate::tree::shorten(text);
    pattern::compile(text).map_err(|e| match e {
        PatternError::Syntax(why) => {
            ConfigError::new(span, format!("invalid regular expression `{shown}`: {why}"))
        }
        PatternError::TooLarge(why) => ConfigError::not_modelled(
            span,
            format!("the pattern `{shown}` is not compiled: {why}"),
        ),
    })
}
