//! Include/exclude matching (`internal/filter/filterconfig` in the collector): decides
//! whether the attributes processor acts on an item, and what the legacy filter
//! configuration keeps.
//!
//! Every listed property must match (AND). For name lists (services, span names, log
//! bodies, severity texts, metric names) any entry may match (OR). Attribute, resource
//! and library entries must ALL match, as in the collector's code. `strict` compares
//! whole strings (and typed values for attributes); `regexp` searches unanchored.

use regex::Regex;

use super::config::{self, to_any};
use super::error::ConfigError;
use crate::otlp::{AnyValue, Attributes, Scope, enums};
use crate::tree::Node;

/// What an item offers to the matcher. Fields that do not apply to the signal are `None`.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Item<'a> {
    pub resource: Option<&'a Attributes>,
    pub scope: Option<&'a Scope>,
    pub attributes: Option<&'a Attributes>,
    pub span_name: Option<&'a str>,
    pub span_kind: Option<i32>,
    pub log_body: Option<&'a AnyValue>,
    pub severity_text: Option<&'a str>,
    pub severity_number: Option<i32>,
    pub metric_name: Option<&'a str>,
}

/// A string matcher: strict set or regex list.
#[derive(Debug, Clone)]
enum Strings {
    Strict(Vec<String>),
    Regexp(Vec<Regex>),
}

impl Strings {
    fn matches(&self, s: &str) -> bool {
        match self {
            Strings::Strict(list) => list.iter().any(|x| x == s),
            Strings::Regexp(list) => list.iter().any(|r| r.is_match(s)),
        }
    }
}

#[derive(Debug, Clone)]
enum AttrValue {
    /// Only the key must exist.
    Exists,
    Strict(AnyValue),
    Regexp(Regex),
}

#[derive(Debug, Clone)]
struct AttrMatch {
    key: String,
    value: AttrValue,
}

/// One `include` or `exclude` block.
#[derive(Debug, Clone, Default)]
pub(crate) struct MatchProperties {
    services: Option<Strings>,
    span_names: Option<Strings>,
    span_kinds: Option<Vec<String>>,
    log_bodies: Option<Strings>,
    severity_texts: Option<Strings>,
    severity_min: Option<(i32, bool)>,
    metric_names: Option<Strings>,
    resources: Vec<AttrMatch>,
    attributes: Vec<AttrMatch>,
    libraries: Vec<(Strings, Option<Strings>)>,
}

/// Key names of one configuration dialect: the attributes/span processors use
/// `resources`/`attributes`/`log_bodies`; the legacy filter logs config uses
/// `resource_attributes`/`record_attributes`/`bodies`.
pub(crate) struct Dialect {
    pub resources: &'static str,
    pub attributes: &'static str,
    pub bodies: &'static str,
    pub severity_texts: &'static str,
    pub severity_number: &'static str,
}

/// The attributes-processor dialect.
pub(crate) const PROCESSOR: Dialect = Dialect {
    resources: "resources",
    attributes: "attributes",
    bodies: "log_bodies",
    severity_texts: "log_severity_texts",
    severity_number: "log_severity_number",
};

/// The legacy filter-processor dialect (logs and metrics).
pub(crate) const FILTER: Dialect = Dialect {
    resources: "resource_attributes",
    attributes: "record_attributes",
    bodies: "bodies",
    severity_texts: "severity_texts",
    severity_number: "severity_number",
};

impl MatchProperties {
    /// Reads an `include` / `exclude` block.
    pub fn parse(node: &Node, d: &Dialect) -> Result<MatchProperties, ConfigError> {
        let known = [
            "match_type",
            "regexp",
            "services",
            "span_names",
            "span_kinds",
            d.resources,
            d.attributes,
            "libraries",
            d.bodies,
            d.severity_texts,
            d.severity_number,
            "metric_names",
            "expressions",
        ];
        config::check_keys(node, &known)?;
        if node.get("expressions").is_some() {
            return Err(ConfigError::not_modelled(
                node.span,
                "`expressions` (expr language) matching is not modelled",
            ));
        }
        let regexp = match config::opt_str(node, "match_type")? {
            Some((t, _)) if t == "regexp" => true,
            Some((t, _)) if t == "strict" => false,
            Some((t, s)) if t == "expr" => {
                return Err(ConfigError::not_modelled(
                    s,
                    format!("match_type `{t}` is not modelled"),
                ));
            }
            Some((t, s)) => {
                return Err(ConfigError::new(
                    s,
                    format!("unknown match_type `{t}` (expected strict or regexp)"),
                ));
            }
            None => {
                return Err(ConfigError::new(
                    node.span,
                    "`match_type` is required (strict or regexp)",
                ));
            }
        };
        let strings = |key: &str| -> Result<Option<Strings>, ConfigError> {
            let list = config::str_list(node, key)?;
            if list.is_empty() {
                return Ok(None);
            }
            string_matcher(&list, regexp).map(Some)
        };
        Ok(MatchProperties {
            services: strings("services")?,
            span_names: strings("span_names")?,
            span_kinds: Some(
                config::str_list(node, "span_kinds")?
                    .into_iter()
                    .map(|(s, _)| s)
                    .collect::<Vec<_>>(),
            )
            .filter(|v| !v.is_empty()),
            log_bodies: strings(d.bodies)?,
            severity_texts: strings(d.severity_texts)?,
            severity_min: node.get(d.severity_number).map(severity_min).transpose()?,
            metric_names: strings("metric_names")?,
            resources: attr_matches(node.get(d.resources), regexp)?,
            attributes: attr_matches(node.get(d.attributes), regexp)?,
            libraries: libraries(node.get("libraries"), regexp)?,
        })
    }

    /// True when the item has every listed property.
    pub fn matches(&self, item: &Item<'_>) -> bool {
        let names = |m: &Option<Strings>, s: Option<&str>| {
            m.as_ref().is_none_or(|m| s.is_some_and(|s| m.matches(s)))
        };
        let service = item
            .resource
            .and_then(|r| r.get("service.name"))
            .and_then(AnyValue::as_str);
        names(&self.services, service)
            && names(&self.span_names, item.span_name)
            && self.span_kinds.as_ref().is_none_or(|k| {
                item.span_kind
                    .is_some_and(|v| k.iter().any(|n| enums::value_of(n) == Some(i64::from(v))))
            })
            && names(
                &self.log_bodies,
                item.log_body.map(AnyValue::as_string).as_deref(),
            )
            && names(&self.severity_texts, item.severity_text)
            && self
                .severity_min
                .is_none_or(|(min, undefined)| match item.severity_number {
                    Some(0) => undefined,
                    Some(n) => n >= min,
                    None => false,
                })
            && names(&self.metric_names, item.metric_name)
            && self.libraries_match(item.scope)
            && (self.resources.is_empty()
                || item
                    .resource
                    .is_some_and(|r| attrs_match(&self.resources, r)))
            && (self.attributes.is_empty()
                || item
                    .attributes
                    .is_some_and(|a| attrs_match(&self.attributes, a)))
    }

    fn libraries_match(&self, scope: Option<&Scope>) -> bool {
        self.libraries.iter().all(|(name, version)| {
            scope.is_some_and(|s| {
                name.matches(&s.name) && version.as_ref().is_none_or(|v| v.matches(&s.version))
            })
        })
    }
}

fn string_matcher(
    list: &[(String, crate::files::Span)],
    regexp: bool,
) -> Result<Strings, ConfigError> {
    if regexp {
        list.iter()
            .map(|(p, s)| config::regex(p, *s))
            .collect::<Result<_, _>>()
            .map(Strings::Regexp)
    } else {
        Ok(Strings::Strict(
            list.iter().map(|(s, _)| s.clone()).collect(),
        ))
    }
}

fn attr_matches(node: Option<&Node>, regexp: bool) -> Result<Vec<AttrMatch>, ConfigError> {
    let Some(items) = node.and_then(Node::as_seq) else {
        return Ok(Vec::new());
    };
    items
        .iter()
        .map(|item| {
            config::check_keys(item, &["key", "value"])?;
            let (key, _) = config::opt_str(item, "key")?
                .filter(|(k, _)| !k.is_empty())
                .ok_or_else(|| {
                    ConfigError::new(item.span, "an attribute match needs a non-empty `key`")
                })?;
            let value = match item.get("value").filter(|v| !v.is_null()) {
                None => AttrValue::Exists,
                Some(v) if regexp => match to_any(v) {
                    AnyValue::Str(p) => AttrValue::Regexp(config::regex(&p, v.span)?),
                    _ => {
                        return Err(ConfigError::new(
                            v.span,
                            "match_type regexp only supports string values",
                        ));
                    }
                },
                Some(v) => AttrValue::Strict(to_any(v)),
            };
            Ok(AttrMatch { key, value })
        })
        .collect()
}

fn attrs_match(wanted: &[AttrMatch], attrs: &Attributes) -> bool {
    !attrs.is_empty()
        && wanted.iter().all(|w| match (attrs.get(&w.key), &w.value) {
            (None, _) => false,
            (Some(_), AttrValue::Exists) => true,
            (Some(v), AttrValue::Strict(want)) => v == want,
            (Some(v), AttrValue::Regexp(re)) => match v {
                AnyValue::Str(_) | AnyValue::Bool(_) | AnyValue::Int(_) | AnyValue::Double(_) => {
                    re.is_match(&v.as_string())
                }
                _ => false,
            },
        })
}

fn libraries(
    node: Option<&Node>,
    regexp: bool,
) -> Result<Vec<(Strings, Option<Strings>)>, ConfigError> {
    let Some(items) = node.and_then(Node::as_seq) else {
        return Ok(Vec::new());
    };
    items
        .iter()
        .map(|item| {
            config::check_keys(item, &["name", "version"])?;
            let name = config::opt_str(item, "name")?.unwrap_or((String::new(), item.span));
            let version = config::opt_str(item, "version")?;
            Ok((
                string_matcher(&[name], regexp)?,
                version.map(|v| string_matcher(&[v], regexp)).transpose()?,
            ))
        })
        .collect()
}

/// `log_severity_number: {min, match_undefined}`; `min` may be a number or a name
/// (`INFO`, `WARN2`, `SEVERITY_NUMBER_ERROR`).
fn severity_min(node: &Node) -> Result<(i32, bool), ConfigError> {
    config::check_keys(node, &["min", "match_undefined"])?;
    let undefined = config::bool_or(node, "match_undefined", false)?;
    let min = node
        .get("min")
        .and_then(Node::as_str)
        .and_then(|t| {
            t.parse::<i64>().ok().or_else(|| {
                let upper = t.to_ascii_uppercase();
                enums::value_of(&upper)
                    .or_else(|| enums::value_of(&format!("SEVERITY_NUMBER_{upper}")))
            })
        })
        .and_then(|v| i32::try_from(v).ok())
        .ok_or_else(|| {
            ConfigError::new(
                node.span,
                "`min` must be a severity number or name such as INFO",
            )
        })?;
    Ok((min, undefined))
}
