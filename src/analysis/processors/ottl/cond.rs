//! OTTL conditions (`where`, group `conditions`, filter conditions) decided for an
//! abstract item: certainly true, certainly false, or dependent on the data.
//!
//! Only what the configuration fixes is decided: a record's name, a body or attribute that
//! is a known constant, whether a key is certainly there. Comparisons never fail in OTTL
//! (values of different types are simply unequal), so a decided comparison is safe to use.

use super::paths::{Place, map_of, place};
use crate::analysis::flow::Item;
use crate::analysis::processors::common::{
    Known, Tri, certainly_absent, certainly_present, constant, known, known_name,
};
use crate::analysis::processors::matching::stringish;
use crate::limits::pattern;
use crate::ottl::{BoolExpr, Call, CompareOp, Expr};

/// A literal value.
#[derive(Debug, Clone, PartialEq)]
enum Lit {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
}

/// What a value in a condition certainly is.
///
/// Constants read from the data are strings only (see [`stringish`]): a constant whose
/// text could be a number may be typed either way, and OTTL never equates a string with
/// a number.
#[derive(Debug, Clone, PartialEq)]
enum Operand {
    Lit(Lit),
    Nil,
    /// Certainly present, value unknown.
    Present,
    Unknown,
}

/// Decides a condition for an item.
pub fn decide(e: &BoolExpr, item: &Item) -> Tri {
    match e {
        BoolExpr::Const(b) => Tri::of(*b),
        BoolExpr::Not(inner) => decide(inner, item).not(),
        BoolExpr::And(a, b) => decide(a, item).and(decide(b, item)),
        BoolExpr::Or(a, b) => decide(a, item).or(decide(b, item)),
        BoolExpr::Compare { left, op, right } => {
            compare(&operand(left, item), *op, &operand(right, item))
        }
        BoolExpr::Converter(call) => converter(call, item),
    }
}

fn operand(e: &Expr, item: &Item) -> Operand {
    match e {
        Expr::Nil => Operand::Nil,
        Expr::Bool(b) => Operand::Lit(Lit::Bool(*b)),
        Expr::Int(i) => Operand::Lit(Lit::Int(*i)),
        Expr::Float(f) => Operand::Lit(Lit::Float(*f)),
        Expr::String(s) => Operand::Lit(Lit::Str(s.clone())),
        Expr::Path(p) => path_operand(&place(p, item), item),
        _ => Operand::Unknown,
    }
}

fn path_operand(place: &Place, item: &Item) -> Operand {
    match place {
        Place::Key(m, k) => match map_of(item, *m) {
            Some(map) => match known(map, k) {
                Known::Absent => Operand::Nil,
                Known::Value(v) if stringish(&v) => Operand::Lit(Lit::Str(v)),
                _ if certainly_present(map, k) => Operand::Present,
                _ => Operand::Unknown,
            },
            None => Operand::Unknown,
        },
        Place::Inside(m, k) => match map_of(item, *m) {
            Some(map) if certainly_absent(map, k) => Operand::Nil,
            _ => Operand::Unknown,
        },
        Place::Body => match item.body.as_ref().and_then(constant) {
            Some(text) => Operand::Lit(Lit::Str(text.to_string())),
            None => Operand::Unknown,
        },
        Place::Name => {
            known_name(item).map_or(Operand::Unknown, |n| Operand::Lit(Lit::Str(n.to_string())))
        }
        _ => Operand::Unknown,
    }
}

fn compare(l: &Operand, op: CompareOp, r: &Operand) -> Tri {
    match op {
        CompareOp::Eq => equal(l, r),
        CompareOp::Ne => equal(l, r).not(),
        // Ordering with nil is false in OTTL.
        _ if *l == Operand::Nil || *r == Operand::Nil => Tri::No,
        _ => match (l, r) {
            (Operand::Lit(a), Operand::Lit(b)) => order(a, b).map_or(Tri::Maybe, |o| {
                Tri::of(match op {
                    CompareOp::Lt => o.is_lt(),
                    CompareOp::Le => o.is_le(),
                    CompareOp::Gt => o.is_gt(),
                    _ => o.is_ge(),
                })
            }),
            _ => Tri::Maybe,
        },
    }
}

fn equal(l: &Operand, r: &Operand) -> Tri {
    match (l, r) {
        (Operand::Nil, Operand::Nil) => Tri::Yes,
        (Operand::Nil, Operand::Lit(_) | Operand::Present)
        | (Operand::Lit(_) | Operand::Present, Operand::Nil) => Tri::No,
        // An int against a float: left undecided rather than guess OTTL's conversion.
        (Operand::Lit(Lit::Int(_)), Operand::Lit(Lit::Float(_)))
        | (Operand::Lit(Lit::Float(_)), Operand::Lit(Lit::Int(_))) => Tri::Maybe,
        (Operand::Lit(a), Operand::Lit(b)) => Tri::of(a == b),
        _ => Tri::Maybe,
    }
}

fn order(a: &Lit, b: &Lit) -> Option<std::cmp::Ordering> {
    let num = |l: &Lit| match l {
        Lit::Float(f) => Some(*f),
        _ => None,
    };
    match (a, b) {
        (Lit::Str(x), Lit::Str(y)) => Some(x.cmp(y)),
        (Lit::Int(x), Lit::Int(y)) => Some(x.cmp(y)),
        (Lit::Float(_), Lit::Float(_)) => num(a)?.partial_cmp(&num(b)?),
        _ => None,
    }
}

/// Boolean converters: `IsMatch` on a known constant, the filter's datapoint attribute
/// tests on a metric whose attributes are known; anything else depends on the data.
fn converter(call: &Call, item: &Item) -> Tri {
    let args: Vec<&Expr> = call.args.iter().map(|a| &a.value).collect();
    match (call.name.as_str(), args.as_slice()) {
        ("IsMatch", [target, Expr::String(pattern)]) => match operand(target, item) {
            Operand::Lit(Lit::Str(s)) => {
                pattern::compile(pattern).map_or(Tri::Maybe, |re| Tri::of(re.is_match(&s)))
            }
            _ => Tri::Maybe,
        },
        ("HasAttrKeyOnDatapoint", [Expr::String(key)]) => datapoint_key(item, key, None),
        ("HasAttrOnDatapoint", [Expr::String(key), Expr::String(value)]) => {
            datapoint_key(item, key, Some(value))
        }
        _ => Tri::Maybe,
    }
}

fn datapoint_key(item: &Item, key: &str, value: Option<&str>) -> Tri {
    if item.kind != crate::analysis::shape::RecordKind::Metric {
        return Tri::Maybe;
    }
    match (known(&item.attributes, key), value) {
        (Known::Absent, _) => Tri::No,
        (Known::Value(v), Some(want)) if stringish(&v) => Tri::of(v == want),
        (_, None) if certainly_present(&item.attributes, key) => Tri::Yes,
        _ => Tri::Maybe,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::processors::testing::log_item;
    use crate::ottl::{Context, Signal, parse_condition, resolve_group};

    fn on(text: &str, item: &Item) -> Tri {
        let mut c = [parse_condition(text).unwrap()];
        resolve_group(Signal::Logs, Some(Context::Log), &mut [], &mut c).unwrap();
        decide(&c[0], item)
    }

    #[test]
    fn decides_only_what_the_configuration_fixes() {
        let item = log_item(
            "claude_code.user_prompt",
            &[
                ("event.name", Some("user_prompt")),
                ("n", Some("5")),
                ("prompt", None),
            ],
        );
        assert_eq!(on(r#"body == "claude_code.user_prompt""#, &item), Tri::Yes);
        assert_eq!(
            on(r#"attributes["event.name"] != "user_prompt""#, &item),
            Tri::No
        );
        assert_eq!(on(r#"attributes["missing"] == nil"#, &item), Tri::Yes);
        assert_eq!(on(r#"attributes["prompt"] != nil"#, &item), Tri::Yes);
        assert_eq!(on(r#"attributes["prompt"] == "x""#, &item), Tri::Maybe);
        // "5" may be the string or the int: undecided either way.
        assert_eq!(on(r#"attributes["n"] == 5"#, &item), Tri::Maybe);
        assert_eq!(on(r#"attributes["n"] == "5""#, &item), Tri::Maybe);
        assert_eq!(on(r#"attributes["missing"] > 3"#, &item), Tri::No);
        assert_eq!(on(r#"IsMatch(body, "user_.*")"#, &item), Tri::Yes);
        assert_eq!(on(r#"1 == 1.0"#, &item), Tri::Maybe);
        assert_eq!(
            on(
                r#"body == "x" or resource.attributes["service.name"] == "claude-code""#,
                &item
            ),
            Tri::Yes
        );
    }
}
