//! Editors that rewrite values in place: `replace_pattern`, `replace_match`,
//! `replace_all_patterns` (value mode), `replace_all_matches` and `truncate_all`. A rewrite
//! protects a value only as far as it provably covers it.

use super::{Exec, Extra};
use crate::analysis::flow::Item;
use crate::analysis::processors::common::protect;
use crate::analysis::processors::ottl::paths::{Place, map_mut, place};
use crate::analysis::shape::AttrState;
use crate::ottl::Expr;

/// Patterns that match every string whole, so a replace-all leaves nothing of the input.
/// (`^.*$` is not one: without `(?s)` it does not match a value that spans lines.)
const MATCH_ALL: &[&str] = &[
    ".*",
    "(?s).*",
    "(?s)^.*$",
    "(?s)^.*",
    "^(?s).*$",
    "[\\s\\S]*",
    "^[\\s\\S]*$",
    "^[\\s\\S]*",
    "[\\s\\S]+",
    "(?s).+",
];

impl Exec<'_, '_> {
    pub(super) fn truncate_all(&self, target: &Expr, item: &mut Item) -> Result<(), String> {
        let step = self.step("truncated (`truncate_all`)");
        if let Some(map) = self.target_map(target, item) {
            for a in &mut map.keys {
                protect(a, AttrState::Truncated, step.clone());
            }
        }
        Ok(())
    }

    pub(super) fn rewrite(
        &self,
        target: &Expr,
        mode: Rewrite,
        item: &mut Item,
        extra: &mut Extra,
        editor: &str,
    ) -> Result<(), String> {
        let Expr::Path(p) = target else { return Ok(()) };
        let step = self.step(&mode.describe(editor));
        let attr = match place(p, item) {
            Place::Key(m, k) => map_mut(item, m).and_then(|map| map.get_mut(&k)),
            Place::Body => item.body.as_mut(),
            _ => None,
        };
        if let Some(a) = attr {
            if mode.state == AttrState::Masked {
                extra.masked.push(a.key().to_string());
            }
            protect(a, mode.state, step);
        }
        Ok(())
    }

    pub(super) fn rewrite_all(
        &self,
        target: &Expr,
        mode: Rewrite,
        item: &mut Item,
        extra: &mut Extra,
        editor: &str,
    ) -> Result<(), String> {
        let step = self.step(&mode.describe(editor));
        if let Some(map) = self.target_map(target, item) {
            for a in &mut map.keys {
                if mode.state == AttrState::Masked {
                    extra.masked.push(a.key().to_string());
                }
                protect(a, mode.state, step.clone());
            }
        }
        Ok(())
    }
}

/// What a pattern rewrite leaves of a value.
pub(super) struct Rewrite {
    state: AttrState,
}

impl Rewrite {
    pub(super) fn describe(&self, editor: &str) -> String {
        match self.state {
            AttrState::Placeholder => format!("replaced whole by a constant (`{editor}`)"),
            AttrState::Hashed => format!("replaced whole by a hash (`{editor}`)"),
            _ => format!("masked where a pattern matches; other content may remain (`{editor}`)"),
        }
    }
}

/// `replace_pattern` / `replace_all_patterns`: the whole value is replaced only when the
/// pattern matches any string whole and the replacement takes nothing from the match.
pub(super) fn pattern_mode(re: &Expr, repl: &Expr, rest: &[&Expr]) -> Rewrite {
    let whole = matches!(re, Expr::String(p) if MATCH_ALL.contains(&p.as_str()));
    replacement_mode(whole, repl, rest)
}

/// `replace_match` / `replace_all_matches`: a glob matches the whole string; only `*`
/// matches every string.
pub(super) fn glob_mode(glob: &Expr, repl: &Expr, rest: &[&Expr]) -> Rewrite {
    let whole = matches!(glob, Expr::String(g) if g == "*");
    replacement_mode(whole, repl, rest)
}

pub(super) fn replacement_mode(whole: bool, repl: &Expr, rest: &[&Expr]) -> Rewrite {
    let literal = matches!(repl, Expr::String(r) if !r.contains('$'));
    let hashed = rest.iter().any(|e| matches!(e, Expr::Symbol(_)));
    // A function is applied to the (expanded) replacement: a hash of a constant is a
    // constant, a hash of the matched text a hash.
    let state = match (whole, literal, hashed) {
        (true, true, _) => AttrState::Placeholder,
        (true, false, true) => AttrState::Hashed,
        _ => AttrState::Masked,
    };
    Rewrite { state }
}
