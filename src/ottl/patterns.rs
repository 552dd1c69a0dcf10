//! The regular expressions a statement or condition compiles when the collector loads it:
//! literal pattern arguments of the functions that take one (`IsMatch`, `replace_pattern`,
//! `delete_matching_keys`, …). Readers check them against the pattern limits once, where
//! the processor is read, instead of wherever an evaluation meets them.

use super::ast::{BoolExpr, Call, Expr, Key, Statement};

/// Functions that take a regular expression, with its position and parameter name.
const TAKES_PATTERN: &[(&str, usize, &str)] = &[
    ("IsMatch", 1, "pattern"),
    ("ExtractPatterns", 1, "pattern"),
    ("replace_pattern", 1, "regex"),
    ("replace_all_patterns", 2, "regex"),
    ("delete_matching_keys", 1, "pattern"),
    ("keep_matching_keys", 1, "pattern"),
];

/// Every literal regular expression in a statement, in the order written.
pub fn statement_patterns(statement: &Statement) -> Vec<&str> {
    let mut out = Vec::new();
    call(&statement.editor, &mut out);
    if let Some(c) = &statement.condition {
        condition(c, &mut out);
    }
    out
}

/// Every literal regular expression in a condition, in the order written.
pub fn condition_patterns(expr: &BoolExpr) -> Vec<&str> {
    let mut out = Vec::new();
    condition(expr, &mut out);
    out
}

fn call<'a>(c: &'a Call, out: &mut Vec<&'a str>) {
    if let Some((_, position, name)) = TAKES_PATTERN.iter().find(|(f, ..)| *f == c.name) {
        let named = c.args.iter().find(|a| a.name.as_deref() == Some(*name));
        let arg = named.or_else(|| c.args.get(*position).filter(|a| a.name.is_none()));
        if let Some(Expr::String(p)) = arg.map(|a| &a.value) {
            out.push(p);
        }
    }
    for a in &c.args {
        expr(&a.value, out);
    }
    for k in &c.keys {
        if let Key::Dynamic(e) = k {
            expr(e, out);
        }
    }
}

fn expr<'a>(e: &'a Expr, out: &mut Vec<&'a str>) {
    match e {
        Expr::Converter(c) => call(c, out),
        Expr::List(items) => items.iter().for_each(|i| expr(i, out)),
        Expr::Map(entries) => entries.iter().for_each(|(_, v)| expr(v, out)),
        Expr::Math { left, right, .. } => {
            expr(left, out);
            expr(right, out);
        }
        Expr::Path(p) => {
            for k in p.fields.iter().flat_map(|f| &f.keys) {
                if let Key::Dynamic(e) = k {
                    expr(e, out);
                }
            }
        }
        _ => {}
    }
}

fn condition<'a>(c: &'a BoolExpr, out: &mut Vec<&'a str>) {
    match c {
        BoolExpr::Const(_) => {}
        BoolExpr::Converter(call_) => call(call_, out),
        BoolExpr::Compare { left, right, .. } => {
            expr(left, out);
            expr(right, out);
        }
        BoolExpr::Not(inner) => condition(inner, out),
        BoolExpr::And(a, b) | BoolExpr::Or(a, b) => {
            condition(a, out);
            condition(b, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ottl::{parse_condition, parse_statement};

    #[test]
    fn finds_literal_patterns_by_position_and_name() {
        let s = parse_statement(
            r#"replace_pattern(attributes["k"], "a+", "b") where IsMatch(body, "^x")"#,
        )
        .unwrap();
        assert_eq!(statement_patterns(&s), ["a+", "^x"]);
        let s =
            parse_statement(r#"delete_matching_keys(attributes, pattern = "^tmp\\.")"#).unwrap();
        assert_eq!(statement_patterns(&s), ["^tmp\\."]);
        let c =
            parse_condition(r#"not IsMatch(Concat([body, "x"], ""), "y") or name == "z""#).unwrap();
        assert_eq!(condition_patterns(&c), ["y"]);
    }
}
