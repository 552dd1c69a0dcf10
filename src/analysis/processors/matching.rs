//! `include` / `exclude` blocks (the collector's `filterconfig.MatchProperties`), decided
//! for an abstract item where the configuration allows: a metric or span name is known
//! exactly, a body or `service.name` when it is a known constant. Everything else (span
//! kinds, severities, scopes, values that depend on the data) is `Maybe`.
//!
//! As in the collector: every listed property must match (and); a list of names matches
//! on any entry (or); `resources` and `attributes` entries must all match. `strict`
//! compares whole strings; `regexp` searches unanchored.

use regex::Regex;

use super::cfg::{self, Bad};
use super::common::{Known, Tri, known};
use crate::analysis::flow::{AttrMap, Item};
use crate::analysis::shape::RecordKind;
use crate::tree::Node;

/// A strict list or a list of patterns.
#[derive(Debug, Clone)]
enum Names {
    Strict(Vec<String>),
    Regexp(Vec<Regex>),
}

impl Names {
    fn matches(&self, s: &str) -> bool {
        match self {
            Names::Strict(list) => list.iter().any(|x| x == s),
            Names::Regexp(list) => list.iter().any(|r| r.is_match(s)),
        }
    }
}

/// One `{key, value}` entry of `resources` / `attributes`.
#[derive(Debug, Clone)]
struct KeyValue {
    key: String,
    /// `None`: only the key must exist.
    value: Option<ValueMatch>,
}

#[derive(Debug, Clone)]
enum ValueMatch {
    /// The configured text, and whether the configuration typed it as a string.
    Strict(String, bool),
    Regexp(Regex),
}

/// Key names of one dialect: the attributes/span processors say `resources`,
/// `attributes`, `log_bodies`; the legacy filter configuration says `resource_attributes`,
/// `record_attributes`, `bodies`.
pub struct Dialect {
    /// Resource attribute entries.
    pub resources: &'static str,
    /// Record attribute entries.
    pub attributes: &'static str,
    /// Log bodies.
    pub bodies: &'static str,
    /// Properties whose match depends on data the items do not describe.
    pub undecidable: &'static [&'static str],
}

/// The attributes-processor dialect.
pub const PROCESSOR: Dialect = Dialect {
    resources: "resources",
    attributes: "attributes",
    bodies: "log_bodies",
    undecidable: &[
        "span_kinds",
        "libraries",
        "log_severity_texts",
        "log_severity_number",
    ],
};

/// The legacy filter-processor dialect (logs and metrics).
pub const FILTER: Dialect = Dialect {
    resources: "resource_attributes",
    attributes: "record_attributes",
    bodies: "bodies",
    undecidable: &["severity_texts", "severity_number", "expressions"],
};

/// One parsed `include` or `exclude` block.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    services: Option<Names>,
    span_names: Option<Names>,
    bodies: Option<Names>,
    metric_names: Option<Names>,
    resources: Vec<KeyValue>,
    attributes: Vec<KeyValue>,
    /// A property is set whose match the model cannot decide.
    undecidable: bool,
}

impl Matcher {
    /// Reads a block.
    pub fn parse(node: &Node, d: &Dialect) -> Result<Matcher, Bad> {
        let (match_type, span) = cfg::string(node, "match_type")?
            .ok_or_else(|| Bad::new(node.span, "`match_type` is required (strict or regexp)"))?;
        let regexp = match match_type.as_str() {
            "strict" => false,
            "regexp" => true,
            // `expr` (legacy metric filters) is a language of its own: undecidable.
            "expr" => return Ok(Matcher::undecidable()),
            other => return Err(Bad::new(span, format!("unknown match_type `{other}`"))),
        };
        let names = |key: &str| -> Result<Option<Names>, Bad> { names(node, key, regexp) };
        let undecidable = d.undecidable.iter().any(|k| node.get(k).is_some());
        Ok(Matcher {
            services: names("services")?,
            span_names: names("span_names")?,
            bodies: names(d.bodies)?,
            metric_names: names("metric_names")?,
            resources: key_values(node.get(d.resources), regexp)?,
            attributes: key_values(node.get(d.attributes), regexp)?,
            undecidable,
        })
    }

    fn undecidable() -> Matcher {
        Matcher {
            undecidable: true,
            ..Matcher::default()
        }
    }

    /// Whether the item has every listed property.
    pub fn decide(&self, item: &Item) -> Tri {
        let mut t = if self.undecidable {
            Tri::Maybe
        } else {
            Tri::Yes
        };
        if let Some(n) = &self.services {
            t = t.and(on_known(&known(&item.resource, "service.name"), n));
        }
        if let Some(n) = &self.span_names {
            t = t.and(on_name(item, RecordKind::Span, n));
        }
        if let Some(n) = &self.metric_names {
            t = t.and(on_name(item, RecordKind::Metric, n));
        }
        if let Some(n) = &self.bodies {
            t = t.and(on_body(item, n));
        }
        for kv in &self.resources {
            t = t.and(kv.decide(&item.resource));
        }
        for kv in &self.attributes {
            // For metrics the collector accepts only `metric_names` and `resources`; whether
            // record attributes match there is not known, so they never decide.
            let on_record = if item.kind == RecordKind::Metric {
                Tri::Maybe
            } else {
                kv.decide(&item.attributes)
            };
            t = t.and(on_record);
        }
        t
    }
}

fn names(node: &Node, key: &str, regexp: bool) -> Result<Option<Names>, Bad> {
    let list = cfg::strings(node, key)?;
    if list.is_empty() {
        return Ok(None);
    }
    if regexp {
        let res = list
            .iter()
            .map(|(p, s)| cfg::regex(p, *s))
            .collect::<Result<_, _>>()?;
        Ok(Some(Names::Regexp(res)))
    } else {
        Ok(Some(Names::Strict(
            list.into_iter().map(|(s, _)| s).collect(),
        )))
    }
}

fn key_values(node: Option<&Node>, regexp: bool) -> Result<Vec<KeyValue>, Bad> {
    let Some(node) = node.filter(|n| !n.is_null()) else {
        return Ok(Vec::new());
    };
    let items = node
        .as_seq()
        .ok_or_else(|| Bad::new(node.span, "expected a list of `{key, value}` entries"))?;
    items.iter().map(|i| key_value(i, regexp)).collect()
}

fn key_value(item: &Node, regexp: bool) -> Result<KeyValue, Bad> {
    let (key, _) =
        cfg::string(item, "key")?.ok_or_else(|| Bad::new(item.span, "an entry needs a `key`"))?;
    let value = match item.get("value").filter(|v| !v.is_null()) {
        None => None,
        Some(v) => {
            let text = v
                .as_str()
                .ok_or_else(|| Bad::new(v.span, "only single values can be matched"))?;
            Some(if regexp {
                ValueMatch::Regexp(cfg::regex(text, v.span)?)
            } else {
                ValueMatch::Strict(text.to_string(), v.to_json().is_string())
            })
        }
    };
    Ok(KeyValue { key, value })
}

impl KeyValue {
    fn decide(&self, map: &AttrMap) -> Tri {
        let k = known(map, &self.key);
        match (&self.value, &k) {
            (_, Known::Absent) => Tri::No,
            (None, _) if super::common::certainly_present(map, &self.key) => Tri::Yes,
            (None, _) | (Some(_), Known::Unknown) => Tri::Maybe,
            (Some(ValueMatch::Strict(want, is_str)), Known::Value(have)) => {
                if want != have {
                    Tri::No
                } else if *is_str && stringish(have) {
                    Tri::Yes
                } else {
                    // Same text, but the types may differ (int 1 versus string "1").
                    Tri::Maybe
                }
            }
            (Some(ValueMatch::Regexp(re)), Known::Value(have)) if stringish(have) => {
                Tri::of(re.is_match(have))
            }
            (Some(ValueMatch::Regexp(_)), Known::Value(_)) => Tri::Maybe,
        }
    }
}

/// True when a constant's text cannot be a number or a boolean, so it is a string value.
pub fn stringish(text: &str) -> bool {
    !(text.parse::<f64>().is_ok() || matches!(text, "true" | "false"))
}

fn on_known(k: &Known, n: &Names) -> Tri {
    match k {
        Known::Absent => Tri::No,
        Known::Value(v) => Tri::of(n.matches(v)),
        Known::Unknown => Tri::Maybe,
    }
}

fn on_name(item: &Item, kind: RecordKind, n: &Names) -> Tri {
    match super::common::known_name(item) {
        Some(name) if item.kind == kind => Tri::of(n.matches(name)),
        _ => Tri::Maybe,
    }
}

fn on_body(item: &Item, n: &Names) -> Tri {
    match item.body.as_ref().and_then(super::common::constant) {
        Some(text) => Tri::of(n.matches(text)),
        None => Tri::Maybe,
    }
}

/// Whether a processor with these blocks acts on the item: it matches `include` (when
/// given) and does not match `exclude` (when given).
pub fn acts_on(include: Option<&Matcher>, exclude: Option<&Matcher>, item: &Item) -> Tri {
    let inc = include.map_or(Tri::Yes, |m| m.decide(item));
    let exc = exclude.map_or(Tri::No, |m| m.decide(item));
    inc.and(exc.not())
}

/// Reads the optional `include` and `exclude` blocks of a configuration.
pub fn blocks(node: &Node, d: &Dialect) -> Result<(Option<Matcher>, Option<Matcher>), Bad> {
    let read = |key: &str| -> Result<Option<Matcher>, Bad> {
        node.get(key)
            .filter(|n| !n.is_null())
            .map(|n| Matcher::parse(n, d))
            .transpose()
    };
    Ok((read("include")?, read("exclude")?))
}
