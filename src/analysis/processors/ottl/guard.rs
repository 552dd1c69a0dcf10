//! `where` guards that change nothing, so a statement acts as if unconditional. The
//! corpus idiom `delete_key(attributes, "k") where attributes["k"] != nil` is one:
//! deleting an absent key does nothing anyway. So is the hashing idiom
//! `set(attributes["k"], SHA256(attributes["k"])) where attributes["k"] != nil`: on an
//! absent key the hash of nil is nil and setting nil does nothing.

use crate::ottl::{BoolExpr, CompareOp, Expr, Key, Statement};

/// True for `where X != nil` guards that change nothing: on `delete_key(M, "k")` with X
/// = `M["k"]` (deleting an absent key does nothing) and on `set(T, X)` (setting nil does
/// nothing; also `set(X, H(X))` with `H` a hash converter, whose result on nil is nil
/// in the data map's reading). Such a statement acts exactly as if unconditional.
pub fn guard_is_redundant(stmt: &Statement) -> bool {
    let Some(guarded) = nil_guarded(stmt) else {
        return false;
    };
    let args: Vec<&Expr> = stmt.editor.args.iter().map(|a| &a.value).collect();
    match (stmt.editor.name.as_str(), args.as_slice()) {
        ("set", [target, value]) => {
            same_path(value, guarded)
                || (same_path(target, guarded) && hash_of(value, guarded).is_some())
        }
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

/// Whether `stmt` replaces a value by its own hash where it is there and writes nothing
/// where it is not: `set(X, H(X))` (the hash of nil fails, so nothing is written), or
/// `set(X, H(Format("%v", [X]))) where X != nil` (unguarded, the text of nil is `<nil>`).
pub fn rewrites_in_place(stmt: &Statement) -> bool {
    let args: Vec<&Expr> = stmt.editor.args.iter().map(|a| &a.value).collect();
    let ("set", [target, value]) = (stmt.editor.name.as_str(), args.as_slice()) else {
        return false;
    };
    match hash_of(value, target) {
        Some(Hashed::Itself) => true,
        Some(Hashed::Text) => nil_guarded(stmt).is_some_and(|g| same_path(g, target)),
        None => false,
    }
}

/// The `X` of a `where X != nil` (or `nil != X`) clause.
fn nil_guarded(stmt: &Statement) -> Option<&Expr> {
    match &stmt.condition {
        Some(BoolExpr::Compare {
            left,
            op: CompareOp::Ne,
            right,
        }) => match (left, right) {
            (e, Expr::Nil) | (Expr::Nil, e) => Some(e),
            _ => None,
        },
        _ => None,
    }
}

/// What a hash converter is applied to.
enum Hashed {
    /// The value itself: `SHA256(attributes["k"])`.
    Itself,
    /// Its text: `SHA256(Format("%v", [attributes["k"]]))`, which hashes numbers too.
    Text,
}

/// How `value` hashes `of` alone, if it does.
fn hash_of(value: &Expr, of: &Expr) -> Option<Hashed> {
    let Expr::Converter(call) = value else {
        return None;
    };
    if !super::value::is_hash(&call.name) || call.args.len() != 1 || !call.keys.is_empty() {
        return None;
    }
    let arg = &call.args[0].value;
    if same_path(arg, of) {
        Some(Hashed::Itself)
    } else {
        text_of(arg, of).then_some(Hashed::Text)
    }
}

/// `Format("%v", [of])`: the value as text (`<nil>` where it is nil, so only a guard
/// keeps an absent key absent).
fn text_of(value: &Expr, of: &Expr) -> bool {
    let Expr::Converter(call) = value else {
        return false;
    };
    let args: Vec<&Expr> = call.args.iter().map(|a| &a.value).collect();
    call.name == "Format"
        && call.keys.is_empty()
        && matches!(args.as_slice(), [Expr::String(f), Expr::List(items)]
            if f == "%v" && items.len() == 1 && same_path(&items[0], of))
}

/// Two expressions are the same path (ignoring where they are written).
fn same_path(a: &Expr, b: &Expr) -> bool {
    match (a, b) {
        (Expr::Path(x), Expr::Path(y)) => x.context == y.context && x.fields == y.fields,
        _ => false,
    }
}
