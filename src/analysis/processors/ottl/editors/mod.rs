//! OTTL editors applied abstractly to one item, as certainly happening (the caller makes
//! conditional statements uncertain). Each editor removes a key only when the statement
//! names it (or a literal pattern matches its name), raises a value's protection only
//! when the rewrite covers the whole value, and adds what it may copy.
//!
//! The editors are grouped by what they do: [`write`] (set, merge, append), [`keys`]
//! (delete, keep, limit, rename), [`rewrite`] (patterns, truncation) and [`metrics`].

mod keys;
mod metrics;
mod rewrite;
mod write;

use rewrite::{glob_mode, pattern_mode};

use super::paths::{Place, map_mut, place};
use crate::analysis::flow::{AttrMap, Item, Step};
use crate::analysis::processors::Ctx;
use crate::files::Span;
use crate::ottl::{Expr, Statement};
use crate::taxonomy::Category;

/// Effects beyond the item itself.
#[derive(Debug, Default)]
pub struct Extra {
    /// Items a statement creates (a copied or derived metric).
    pub new_items: Vec<Item>,
    /// Data written into a span's attributes from one of its events: (span name, categories).
    pub parent_writes: Vec<(String, Vec<Category>)>,
    /// Values rewritten by a pattern that may leave content (for OD503).
    pub masked: Vec<String>,
    /// A key computed from the data was written or deleted (for OD506): nothing is
    /// counted as removed, and what is written goes under unnamed keys.
    pub computed_key: bool,
}

/// Editors whose effect on attributes is nothing (metric conversions and scaling).
const NO_ATTRIBUTE_EFFECT: &[&str] = &[
    "convert_sum_to_gauge",
    "convert_gauge_to_sum",
    "convert_exponential_histogram_to_histogram",
    "scale_metric",
];

/// One statement on one item.
pub struct Exec<'a, 'c> {
    /// The processor.
    pub ctx: &'a Ctx<'c>,
    /// Where the statement is written.
    pub span: Span,
}

impl Exec<'_, '_> {
    pub(super) fn step(&self, what: &str) -> Step {
        self.ctx.step_at(what, self.span)
    }

    /// Applies the statement's editor. `Err` names what is not modelled.
    pub fn apply(
        &self,
        stmt: &Statement,
        item: &mut Item,
        extra: &mut Extra,
    ) -> Result<(), String> {
        let call = &stmt.editor;
        let args: Vec<&Expr> = call.args.iter().map(|a| &a.value).collect();
        let name = call.name.as_str();
        match (name, args.as_slice()) {
            ("set", [target, value]) => {
                let in_place = super::guard::rewrites_in_place(stmt);
                self.set(target, value, in_place, item, extra)
            }
            ("delete_key", [target, key]) => self.delete_key(target, key, item, extra),
            ("delete_matching_keys", [target, re]) => self.by_pattern(target, re, item, false),
            ("keep_matching_keys", [target, re]) => self.by_pattern(target, re, item, true),
            ("keep_keys", [target, keys]) => self.keep_keys(target, keys, item),
            ("limit", [target, _, rest @ ..]) => self.limit(target, rest.first(), item),
            ("truncate_all", [target, _]) => self.truncate_all(target, item),
            ("replace_pattern", [target, re, repl, rest @ ..]) => {
                let mode = pattern_mode(re, repl, rest);
                self.rewrite(target, mode, item, extra, name)
            }
            ("replace_match", [target, glob, repl, rest @ ..]) => {
                let mode = glob_mode(glob, repl, rest);
                self.rewrite(target, mode, item, extra, name)
            }
            ("replace_all_patterns", [target, Expr::String(m), re, repl, rest @ ..]) => {
                if m == "key" {
                    self.rename_keys(target, re, repl, rest, item)
                } else {
                    let mode = pattern_mode(re, repl, rest);
                    self.rewrite_all(target, mode, item, extra, name)
                }
            }
            ("replace_all_matches", [target, glob, repl, rest @ ..]) => {
                let mode = glob_mode(glob, repl, rest);
                self.rewrite_all(target, mode, item, extra, name)
            }
            ("merge_maps", [target, source, strategy]) => {
                self.merge_maps(target, source, strategy, item)
            }
            ("flatten", [target, ..]) => self.flatten(target, item),
            ("append", [target, rest @ ..]) => self.append(target, rest, item),
            ("aggregate_on_attributes", [_, rest @ ..]) => self.aggregate(rest.first(), item),
            ("aggregate_on_attribute_value", [_, key, _, value]) => {
                self.aggregate_value(key, value, item)
            }
            ("copy_metric", rest) => self.copy_metric(rest, item, extra),
            ("extract_sum_metric", _) => self.derive_metric(item, extra, "_sum"),
            ("extract_count_metric", _) => self.derive_metric(item, extra, "_count"),
            ("convert_summary_count_val_to_sum", _) => self.derive_metric(item, extra, "_count"),
            ("convert_summary_sum_val_to_sum", _) => self.derive_metric(item, extra, "_sum"),
            ("convert_summary_quantile_val_to_gauge", _) => {
                self.derive_metric(item, extra, "_quantiles")
            }
            (n, _) if NO_ATTRIBUTE_EFFECT.contains(&n) => Ok(()),
            _ => Err(format!(
                "the editor `{}` with {} arguments",
                call.name,
                args.len()
            )),
        }
    }

    pub(super) fn target_map<'i>(
        &self,
        target: &Expr,
        item: &'i mut Item,
    ) -> Option<&'i mut AttrMap> {
        let Expr::Path(p) = target else { return None };
        match place(p, item) {
            Place::Map(m) => map_mut(item, m),
            _ => None,
        }
    }
}

/// A list of literal strings.
pub(super) fn strings(e: &Expr) -> Option<Vec<String>> {
    match e {
        Expr::List(items) => items
            .iter()
            .map(|i| match i {
                Expr::String(s) => Some(s.clone()),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// A short description of a value for evidence: a path's text, a converter's name, or
/// "a constant" (literals are never quoted: they may be secrets).
pub(super) fn describe(e: &Expr) -> String {
    match e {
        Expr::Path(p) => format!("`{}`", p.to_text()),
        Expr::Converter(c) => format!("the result of `{}`", c.name),
        Expr::Map(_) => "a map".into(),
        _ => "a constant".into(),
    }
}
