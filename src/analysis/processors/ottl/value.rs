//! OTTL value expressions evaluated abstractly: what a `set` may write. A literal is a
//! constant with no personal data; a path is a copy of what the item carries there; a
//! converter's result can hold at most what its arguments hold (hash converters leave a
//! hash); a parser such as `ParseJSON` makes a map whose keys cannot be named.

use super::paths::{Place, map_of, place};
use crate::analysis::flow::{Attr, AttrMap, Item, Step, join_attr};
use crate::analysis::processors::common::{derived, known_name, read, unknown_categories};
use crate::analysis::shape::{AttrShape, AttrState, EvidenceKind, Presence, ValueKind};
use crate::ottl::{Call, Expr};
use crate::taxonomy::Category;

/// An abstract value.
#[derive(Debug, Clone, PartialEq)]
pub enum AVal {
    /// Certainly nil: `set` does nothing with it.
    Nil,
    /// A constant of the statement, with its text when it is a single value.
    Const(Option<String>),
    /// A value from the data, described as an attribute (presence `maybe`: may be nil).
    Data(Attr),
    /// A map value.
    Map(AttrMap),
}

/// Converters whose result is a hash of their first argument.
const HASHES: &[&str] = &[
    "SHA1",
    "SHA256",
    "SHA512",
    "MD5",
    "FNV",
    "Murmur3Hash",
    "Murmur3Hash128",
    "XXH3",
    "XXH128",
];

/// Whether a converter's result is a hash of its first argument.
pub fn is_hash(name: &str) -> bool {
    HASHES.contains(&name)
}

/// Converters that parse their argument into a map with data-dependent keys.
const MAP_MAKERS: &[&str] = &[
    "ParseJSON",
    "ParseKeyValue",
    "ParseCSV",
    "ParseXML",
    "ParseSimplifiedXML",
    "ExtractPatterns",
    "ExtractGrokPatterns",
    "URL",
    "UserAgent",
    "SliceToMap",
];

/// Converters whose result is a piece of their first argument.
const PIECES: &[&str] = &["Substring", "Split", "Trim", "TrimPrefix", "TrimSuffix"];

/// Evaluates an expression for an item; `step` marks what it produces.
pub fn eval(e: &Expr, item: &Item, step: &Step) -> AVal {
    match e {
        Expr::Nil => AVal::Nil,
        Expr::Bool(b) => AVal::Const(Some(b.to_string())),
        Expr::Int(i) => AVal::Const(Some(i.to_string())),
        Expr::Float(f) => AVal::Const(Some(f.to_string())),
        Expr::String(s) => AVal::Const(Some(s.clone())),
        Expr::Bytes(_) | Expr::Symbol(_) => AVal::Const(None),
        Expr::Path(p) => path_value(&place(p, item), item, step),
        Expr::List(items) => combine(items.iter().map(|i| eval(i, item, step)), step),
        Expr::Map(entries) => map_literal(entries, item, step),
        Expr::Math { left, right, .. } => combine(
            [eval(left, item, step), eval(right, item, step)].into_iter(),
            step,
        ),
        Expr::Converter(call) => converter(call, item, step),
    }
}

fn path_value(place: &Place, item: &Item, step: &Step) -> AVal {
    let anything = || {
        AVal::Data(derived(
            "",
            &item.categories(),
            Presence::Maybe,
            step.clone(),
        ))
    };
    match place {
        Place::Key(m, k) => match map_of(item, *m) {
            Some(map) => read(map, k, step).map_or(AVal::Nil, AVal::Data),
            None => unnamed(step),
        },
        Place::Inside(m, k) => match map_of(item, *m) {
            Some(map) => read(map, k, step).map_or(AVal::Nil, |mut a| {
                a.shape.presence = Presence::Maybe;
                a.shape.placeholder = None;
                AVal::Data(a)
            }),
            None => unnamed(step),
        },
        Place::Map(m) => match map_of(item, *m) {
            Some(map) => AVal::Map(map.clone()),
            None => unnamed(step),
        },
        Place::Dynamic(m) => match map_of(item, *m) {
            Some(map) => AVal::Data(derived(
                "",
                &map.categories(),
                Presence::Maybe,
                step.clone(),
            )),
            None => unnamed(step),
        },
        Place::Body => item.body.clone().map_or(AVal::Nil, AVal::Data),
        Place::InsideBody => item.body.clone().map_or(AVal::Nil, |mut b| {
            b.shape.presence = Presence::Maybe;
            b.shape.placeholder = None;
            AVal::Data(b)
        }),
        Place::Name => match known_name(item) {
            Some(n) => AVal::Const(Some(n.to_string())),
            None => anything(),
        },
        Place::Cache => anything(),
        Place::Field(name) => AVal::Data(derived(
            "",
            &[field_category(name)],
            Presence::Maybe,
            step.clone(),
        )),
    }
}

/// A value from a map the data map does not describe (scope, parent span).
fn unnamed(step: &Step) -> AVal {
    AVal::Data(derived(
        "",
        &[Category::Unknown],
        Presence::Maybe,
        step.clone(),
    ))
}

/// What a record field other than attributes, body and name may hold.
fn field_category(name: &str) -> Category {
    match name {
        "trace_id" | "span_id" | "parent_span_id" | "trace_state" => {
            Category::PseudonymousIdentifier
        }
        n if n.contains("time") || n.contains("duration") => Category::Timing,
        "severity_text"
        | "severity_number"
        | "kind"
        | "flags"
        | "description"
        | "unit"
        | "type"
        | "aggregation_temporality"
        | "is_monotonic"
        | "version"
        | "dropped_attributes_count"
        | "dropped_events_count"
        | "dropped_links_count" => Category::TechnicalMetadata,
        _ => Category::Unknown,
    }
}

fn map_literal(entries: &[(String, Expr)], item: &Item, step: &Step) -> AVal {
    let mut map = AttrMap::default();
    for (k, v) in entries {
        if let Some(a) = to_attr(&eval(v, item, step), k, step) {
            map.insert(a);
        }
    }
    AVal::Map(map)
}

fn converter(call: &Call, item: &Item, step: &Step) -> AVal {
    let args: Vec<AVal> = call
        .args
        .iter()
        .map(|a| eval(&a.value, item, step))
        .collect();
    let name = call.name.as_str();
    if HASHES.contains(&name) {
        return match args.first() {
            Some(AVal::Nil) | None => AVal::Nil,
            Some(AVal::Const(_)) => AVal::Const(None),
            Some(v) => protected(v, AState::Hashed, step),
        };
    }
    if MAP_MAKERS.contains(&name) {
        let taint = combine(args.into_iter(), step);
        let mut map = AttrMap::default();
        if let Some(a) = to_attr(&taint, "", step) {
            map.add_unknown(
                a.categories(),
                format!("keys parsed from the data by {name}"),
                vec![step.clone()],
            );
        }
        return AVal::Map(map);
    }
    if PIECES.contains(&name) {
        return match args.first() {
            Some(v @ (AVal::Data(_) | AVal::Map(_))) => protected(v, AState::Masked, step),
            _ => combine(args.into_iter(), step),
        };
    }
    if call.name == "Len" {
        return AVal::Data(derived(
            "",
            &[Category::UsageAndCost],
            Presence::Maybe,
            step.clone(),
        ));
    }
    combine(args.into_iter(), step)
}

/// Protection levels a converter can give its result.
#[derive(Clone, Copy)]
enum AState {
    Hashed,
    Masked,
}

fn protected(v: &AVal, s: AState, step: &Step) -> AVal {
    let Some(mut a) = to_attr(v, "", step) else {
        return AVal::Nil;
    };
    let state = match s {
        AState::Hashed => AttrState::Hashed,
        AState::Masked => AttrState::Masked,
    };
    if a.shape.state < state {
        a.shape.state = state;
    }
    // Present wherever the argument is (a failure on a wrong type drops the batch, or
    // under error_mode ignore makes the statement uncertain: the caller handles that).
    a.shape.placeholder = None;
    AVal::Data(a)
}

/// A value computed from several: at most what they hold together, in the least
/// protected form among them; a constant when they all are.
fn combine(vals: impl Iterator<Item = AVal>, step: &Step) -> AVal {
    let mut out: Option<Attr> = None;
    let mut all_const = true;
    let mut always = true;
    for v in vals {
        if matches!(v, AVal::Const(_) | AVal::Nil) {
            always &= !matches!(v, AVal::Nil);
            continue;
        }
        all_const = false;
        if let Some(a) = to_attr(&v, "", step) {
            always &= a.shape.presence == Presence::Always;
            out = Some(match out {
                Some(o) => join_attr(&o, &a),
                None => a,
            });
        }
    }
    match out {
        Some(mut a) => {
            a.shape.placeholder = None;
            a.shape.presence = if always {
                Presence::Always
            } else {
                Presence::Maybe
            };
            AVal::Data(a)
        }
        None if all_const => AVal::Const(None),
        None => AVal::Nil,
    }
}

/// The attribute a value makes under `key`; `None` for nil.
pub fn to_attr(v: &AVal, key: &str, step: &Step) -> Option<Attr> {
    match v {
        AVal::Nil => None,
        AVal::Const(text) => {
            // A constant written under a secret-looking key is never shown.
            let shown = text
                .clone()
                .filter(|_| !crate::collector::secrets::is_secret_key(key));
            Some(constant_attr(key, shown, step))
        }
        AVal::Data(a) => {
            let mut a = a.clone();
            a.shape.key = key.to_string();
            if !a.steps.contains(step) {
                a.steps.push(step.clone());
            }
            Some(a)
        }
        AVal::Map(m) if m.keys.is_empty() && m.unknown.is_empty() => {
            Some(constant_attr(key, None, step))
        }
        AVal::Map(m) => {
            let mut cats = m.categories();
            if cats.is_empty() {
                cats.push(Category::TechnicalMetadata);
            }
            let mut a = derived(key, &cats, Presence::Always, step.clone());
            a.shape.state = m
                .keys
                .iter()
                .map(|k| k.shape.state)
                .min()
                .filter(|_| m.unknown.is_empty())
                .unwrap_or(AttrState::Raw);
            Some(a)
        }
    }
}

/// A constant written by a statement: no personal data.
pub fn constant_attr(key: &str, text: Option<String>, step: &Step) -> Attr {
    Attr {
        shape: AttrShape {
            key: key.to_string(),
            category: Category::AdminResourceAttributes,
            also: Vec::new(),
            kind: ValueKind::Metadata,
            state: AttrState::Placeholder,
            placeholder: text,
            presence: Presence::Always,
            condition: None,
            signals: Vec::new(),
            evidence: Vec::new(),
            catalogue_evidence: EvidenceKind::Seen,
        },
        steps: vec![step.clone()],
    }
}

/// The categories a map value holds, for unknown keys made from it.
pub fn map_categories(v: &AVal, step: &Step) -> Vec<Category> {
    match v {
        AVal::Map(m) => {
            let mut c = m.categories();
            c.extend(unknown_categories(m));
            c.sort();
            c.dedup();
            c
        }
        other => to_attr(other, "", step)
            .map(|a| a.categories())
            .unwrap_or_default(),
    }
}
