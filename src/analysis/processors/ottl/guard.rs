//! `where` guards that change nothing, so a statement acts as if unconditional. The
//! corpus idiom `delete_key(attributes, "k") where attributes["k"] != nil` is one:
//! deleting an absent key does nothing anyway.

use crate::ottl::{BoolExpr, CompareOp, Expr, Key, Statement};

/// True for `where X != nil` guards that change nothing: on `delete_key(M, "k")` with X
/// = `M["k"]` (deleting an absent key does nothing) and on `set(T, X)` (setting nil does
/// nothing). Such a statement acts exactly as if unconditional.
pub fn guard_is_redundant(stmt: &Statement) -> bool {
    let Some(BoolExpr::Compare { left, op, right }) = &stmt.condition else {
        return false;
    };
    let guarded = match (left, op, right) {
        (e, CompareOp::Ne, Expr::Nil) | (Expr::Nil, CompareOp::Ne, e) => e,
        _ => return false,
    };
    let args: Vec<&Expr> = stmt.editor.args.iter().map(|a| &a.value).collect();
    match (stmt.editor.name.as_str(), args.as_slice()) {
        ("set", [_, value]) => same_path(value, guarded),
        ("delete_key", [Expr::Path(map), Expr::String(k)]) => match guarded {
            Expr::Path(p) => {
                let mut expected = map.clone();
                if let Some(last) = expected.fields.last_mut() {
                    last.keys.push(Key::String(k.clone()));
                }
                p.context == expected.context && p.fields == expected.fields
            }
            _ => false,
        },
        _ => false,
    }
}

/// Two expressions are the same path (ignoring where they are written).
fn same_path(a: &Expr, b: &Expr) -> bool {
    match (a, b) {
        (Expr::Path(x), Expr::Path(y)) => x.context == y.context && x.fields == y.fields,
        _ => false,
    }
}
