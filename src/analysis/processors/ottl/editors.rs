//! OTTL editors applied abstractly to one item, as certainly happening (the caller makes
//! conditional statements uncertain). Each editor removes a key only when the statement
//! names it (or a literal pattern matches its name), raises a value's protection only
//! when the rewrite covers the whole value, and adds what it may copy.

use regex::Regex;

use super::paths::{MapRef, Place, map_mut, place};
use super::value::{AVal, eval, map_categories, to_attr};
use crate::analysis::flow::{AttrMap, Item, Step, join_attr};
use crate::analysis::processors::Ctx;
use crate::analysis::processors::attraction;
use crate::analysis::processors::common::{
    NAME_FROM_DATA, copy_as, keep_only, overwrite, protect, put,
};
use crate::analysis::shape::{AttrState, Presence, RecordKind};
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

/// One statement on one item.
pub struct Exec<'a, 'c> {
    /// The processor.
    pub ctx: &'a Ctx<'c>,
    /// Where the statement is written.
    pub span: Span,
}

impl Exec<'_, '_> {
    fn step(&self, what: &str) -> Step {
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
            ("set", [target, value]) => self.set(target, value, item, extra),
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

    fn set(
        &self,
        target: &Expr,
        value: &Expr,
        item: &mut Item,
        extra: &mut Extra,
    ) -> Result<(), String> {
        let Expr::Path(p) = target else {
            return Err("a `set` whose target is not a path".into());
        };
        let step = self.step(&format!("set to {}", describe(value)));
        let v = eval(value, item, &step);
        if v == AVal::Nil {
            return Ok(());
        }
        match place(p, item) {
            Place::Key(m, k) => self.write_key(m, &k, &v, &step, item, extra),
            Place::Inside(m, k) => self.write_inside(m, &k, &v, &step, item, extra),
            Place::Map(m) => self.replace_map(m, &v, &step, item, extra),
            Place::Dynamic(m) => {
                extra.computed_key = true;
                self.side_write(m, &v, &step, item, extra, "a key named from the data")
            }
            Place::Body => set_body(item, &v, &step, false),
            Place::InsideBody => set_body(item, &v, &step, true),
            Place::Name => self.set_name(&v, &step, item),
            Place::Cache => {}
            Place::Field(f) => self.side_write(
                MapRef::Record,
                &v,
                &step,
                item,
                extra,
                &format!("the `{f}` field"),
            ),
        }
        Ok(())
    }

    fn write_key(
        &self,
        m: MapRef,
        key: &str,
        v: &AVal,
        step: &Step,
        item: &mut Item,
        extra: &mut Extra,
    ) {
        let Some(map) = map_mut(item, m) else {
            return self.side_write(m, v, step, item, extra, "a map the data map does not show");
        };
        attraction::upsert(map, key, to_attr(v, key, step));
    }

    fn write_inside(
        &self,
        m: MapRef,
        key: &str,
        v: &AVal,
        step: &Step,
        item: &mut Item,
        extra: &mut Extra,
    ) {
        let Some(new) = to_attr(v, key, step) else {
            return;
        };
        let Some(map) = map_mut(item, m) else {
            return self.side_write(m, v, step, item, extra, "a map the data map does not show");
        };
        let mut merged = match map.get(key) {
            Some(old) => join_attr(old, &new),
            None => new,
        };
        merged.shape.placeholder = None;
        put(map, merged);
    }

    fn replace_map(&self, m: MapRef, v: &AVal, step: &Step, item: &mut Item, extra: &mut Extra) {
        let Some(map) = map_mut(item, m) else {
            return self.side_write(m, v, step, item, extra, "a map the data map does not show");
        };
        match v {
            AVal::Map(new) => {
                let old: Vec<String> = map.keys.iter().map(|a| a.key().to_string()).collect();
                for k in old.iter().filter(|k| new.get(k).is_none()) {
                    map.remove(k, step.clone());
                }
                map.unknown.clear();
                for a in &new.keys {
                    put(map, copy_as(a, a.key(), step.clone()));
                }
                map.unknown.extend(new.unknown.iter().cloned());
            }
            // A value that may be a map (or the setter fails and nothing changes).
            other => {
                let cats = map_categories(other, step);
                map.add_unknown(
                    cats,
                    "the whole map may be replaced by a value from the data",
                    vec![step.clone()],
                );
            }
        }
    }

    /// Data written where the data map has no named place for it: it still arrives, so
    /// the record (or the resource, for scope attributes) gains unknown keys.
    fn side_write(
        &self,
        m: MapRef,
        v: &AVal,
        step: &Step,
        item: &mut Item,
        extra: &mut Extra,
        place: &str,
    ) {
        let cats = match v {
            AVal::Const(_) | AVal::Nil => return,
            other => map_categories(other, step),
        };
        let reason = format!("data written into {place}");
        match m {
            MapRef::Parent => {
                if let Some(parent) = &item.parent {
                    extra.parent_writes.push((parent.clone(), cats));
                }
            }
            MapRef::Scope => item.resource.add_unknown(cats, reason, vec![step.clone()]),
            MapRef::Resource => item.resource.add_unknown(cats, reason, vec![step.clone()]),
            MapRef::Record => item
                .attributes
                .add_unknown(cats, reason, vec![step.clone()]),
        }
    }

    fn set_name(&self, v: &AVal, step: &Step, item: &mut Item) {
        match v {
            AVal::Const(Some(n)) => {
                item.name = n.clone();
                item.steps.push(step.clone());
            }
            other => {
                let cats = map_categories(other, step);
                if !cats.is_empty() {
                    item.attributes.add_unknown(
                        cats,
                        "data written into the name",
                        vec![step.clone()],
                    );
                }
                item.steps.push(Step {
                    what: format!("{NAME_FROM_DATA} ({})", step.what),
                    ..step.clone()
                });
            }
        }
    }

    fn target_map<'i>(&self, target: &Expr, item: &'i mut Item) -> Option<&'i mut AttrMap> {
        let Expr::Path(p) = target else { return None };
        match place(p, item) {
            Place::Map(m) => map_mut(item, m),
            _ => None,
        }
    }

    fn delete_key(
        &self,
        target: &Expr,
        key: &Expr,
        item: &mut Item,
        extra: &mut Extra,
    ) -> Result<(), String> {
        let step = self.step("deleted (`delete_key`)");
        let Expr::String(k) = key else {
            extra.computed_key = true;
            return Ok(());
        };
        if let Some(map) = self.target_map(target, item) {
            map.remove(k, step);
        }
        Ok(())
    }

    fn by_pattern(
        &self,
        target: &Expr,
        re: &Expr,
        item: &mut Item,
        keep: bool,
    ) -> Result<(), String> {
        let Expr::String(pattern) = re else {
            return Ok(());
        };
        let Ok(re) = Regex::new(pattern) else {
            return Ok(());
        };
        let what = if keep {
            format!("deleted (`keep_matching_keys`: the key does not match `{pattern}`)")
        } else {
            format!("deleted (`delete_matching_keys`: the key matches `{pattern}`)")
        };
        let step = self.step(&what);
        if let Some(map) = self.target_map(target, item) {
            let doomed: Vec<String> = map
                .keys
                .iter()
                .map(|a| a.key().to_string())
                .filter(|k| re.is_match(k) != keep)
                .collect();
            for k in doomed {
                map.remove(&k, step.clone());
            }
        }
        Ok(())
    }

    fn keep_keys(&self, target: &Expr, keys: &Expr, item: &mut Item) -> Result<(), String> {
        let Some(list) = strings(keys) else {
            return Ok(());
        };
        let step = self.step("deleted (not listed in `keep_keys`)");
        if let Some(map) = self.target_map(target, item) {
            keep_only(map, &list, &step);
        }
        Ok(())
    }

    fn limit(
        &self,
        target: &Expr,
        priority: Option<&&Expr>,
        item: &mut Item,
    ) -> Result<(), String> {
        let keep = priority.and_then(|p| strings(p)).unwrap_or_default();
        let step = self.step("may be dropped by `limit` (which keys it keeps is not fixed)");
        if let Some(map) = self.target_map(target, item) {
            let keys: Vec<String> = map.keys.iter().map(|a| a.key().to_string()).collect();
            for k in keys.iter().filter(|k| !keep.contains(k)) {
                map.weaken(k, step.clone());
            }
        }
        Ok(())
    }

    fn truncate_all(&self, target: &Expr, item: &mut Item) -> Result<(), String> {
        let step = self.step("truncated (`truncate_all`)");
        if let Some(map) = self.target_map(target, item) {
            for a in &mut map.keys {
                protect(a, AttrState::Truncated, step.clone());
            }
        }
        Ok(())
    }

    fn rewrite(
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

    fn rewrite_all(
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

    /// `replace_all_patterns(map, "key", …)`: renames keys. With a literal replacement the
    /// new names are computed; with a function they are not known.
    fn rename_keys(
        &self,
        target: &Expr,
        re: &Expr,
        repl: &Expr,
        rest: &[&Expr],
        item: &mut Item,
    ) -> Result<(), String> {
        let (Expr::String(pattern), Expr::String(replacement)) = (re, repl) else {
            return Err("`replace_all_patterns` in key mode with a computed pattern".into());
        };
        let Ok(re) = Regex::new(pattern) else {
            return Ok(());
        };
        let hashed = !rest.is_empty();
        let step = self.step(&format!(
            "renamed (key matches `{pattern}`, `replace_all_patterns`)"
        ));
        let Some(map) = self.target_map(target, item) else {
            return Ok(());
        };
        let matching: Vec<String> = map
            .keys
            .iter()
            .map(|a| a.key().to_string())
            .filter(|k| re.is_match(k))
            .collect();
        for old in matching {
            let Some(attr) = map.remove(&old, step.clone()) else {
                continue;
            };
            if hashed {
                map.add_unknown(
                    attr.categories(),
                    "keys renamed by a function of their names",
                    vec![step.clone()],
                );
            } else {
                let new = re.replace_all(&old, replacement.as_str()).into_owned();
                map.insert(copy_as(&attr, &new, step.clone()));
            }
        }
        Ok(())
    }

    fn merge_maps(
        &self,
        target: &Expr,
        source: &Expr,
        strategy: &Expr,
        item: &mut Item,
    ) -> Result<(), String> {
        let step = self.step(&format!("merged from {}", describe(source)));
        let v = eval(source, item, &step);
        let how = match strategy {
            Expr::String(s) => s.clone(),
            _ => "upsert".into(),
        };
        let Some(map) = self.target_map(target, item) else {
            return Ok(());
        };
        match &v {
            AVal::Map(src) => {
                for a in &src.keys {
                    let new = Some(copy_as(a, a.key(), step.clone()));
                    match how.as_str() {
                        "insert" => attraction::insert(map, a.key(), new),
                        "update" => attraction::update(map, a.key(), new),
                        _ => attraction::upsert(map, a.key(), new),
                    }
                }
                for u in &src.unknown {
                    map.add_unknown(u.categories.clone(), u.reason.clone(), vec![step.clone()]);
                }
            }
            AVal::Data(_) => {
                let cats = map_categories(&v, &step);
                map.add_unknown(
                    cats,
                    "keys merged from a value of the data",
                    vec![step.clone()],
                );
            }
            AVal::Nil | AVal::Const(_) => {}
        }
        Ok(())
    }

    fn flatten(&self, target: &Expr, item: &mut Item) -> Result<(), String> {
        let step = self.step("may be flattened into new keys (`flatten`)");
        if let Some(map) = self.target_map(target, item) {
            let cats = map.categories();
            let keys: Vec<String> = map.keys.iter().map(|a| a.key().to_string()).collect();
            for k in keys {
                map.weaken(&k, step.clone());
            }
            if !cats.is_empty() {
                map.add_unknown(
                    cats,
                    "keys made by `flatten` from nested values",
                    vec![step],
                );
            }
        }
        Ok(())
    }

    fn append(&self, target: &Expr, rest: &[&Expr], item: &mut Item) -> Result<(), String> {
        let Expr::Path(p) = target else { return Ok(()) };
        let step = self.step("appended to (`append`)");
        let vals: Vec<AVal> = rest.iter().map(|e| eval(e, item, &step)).collect();
        let Place::Key(m, k) = place(p, item) else {
            return Err("`append` to something other than an attribute".into());
        };
        let Some(map) = map_mut(item, m) else {
            return Ok(());
        };
        let mut new = super::value::constant_attr(&k, None, &step);
        for v in &vals {
            if let Some(a) = to_attr(v, &k, &step) {
                new = join_attr(&new, &a);
            }
        }
        new.shape.placeholder = None;
        new.shape.presence = Presence::Always;
        let merged = match map.get(&k) {
            Some(old) => {
                let mut j = join_attr(old, &new);
                j.shape.placeholder = None;
                j
            }
            None => new,
        };
        put(map, merged);
        Ok(())
    }

    fn aggregate(&self, keys: Option<&&Expr>, item: &mut Item) -> Result<(), String> {
        if item.kind != RecordKind::Metric {
            return Ok(());
        }
        let list = match keys {
            None => Vec::new(),
            Some(e) => match strings(e) {
                Some(l) => l,
                None => return Ok(()),
            },
        };
        let step = self.step("aggregated away (`aggregate_on_attributes`)");
        keep_only(&mut item.attributes, &list, &step);
        Ok(())
    }

    fn aggregate_value(&self, key: &Expr, value: &Expr, item: &mut Item) -> Result<(), String> {
        let Expr::String(k) = key else { return Ok(()) };
        let step = self.step("may be replaced (`aggregate_on_attribute_value`)");
        let v = eval(value, item, &step);
        if let (Some(old), Some(new)) = (item.attributes.get(k).cloned(), to_attr(&v, k, &step)) {
            let mut j = join_attr(&old, &overwrite(&old, &new));
            j.shape.presence = old.shape.presence;
            put(&mut item.attributes, j);
        }
        Ok(())
    }

    fn copy_metric(&self, args: &[&Expr], item: &Item, extra: &mut Extra) -> Result<(), String> {
        let name = args.first().and_then(|e| match e {
            Expr::String(s) => Some(s.clone()),
            _ => None,
        });
        let step = self.step("copied (`copy_metric`)");
        let mut copy = item.clone();
        match name {
            Some(n) => copy.name = n,
            None => copy.steps.push(Step {
                what: format!("{NAME_FROM_DATA} ({})", step.what),
                ..step.clone()
            }),
        }
        copy.steps.push(step);
        extra.new_items.push(copy);
        Ok(())
    }

    fn derive_metric(&self, item: &Item, extra: &mut Extra, suffix: &str) -> Result<(), String> {
        if item.kind != RecordKind::Metric {
            return Ok(());
        }
        let mut copy = item.clone();
        copy.name = format!("{}{suffix}", item.name);
        copy.presence = Presence::Maybe;
        copy.steps
            .push(self.step("derived metric with the same attributes"));
        extra.new_items.push(copy);
        Ok(())
    }
}

fn set_body(item: &mut Item, v: &AVal, step: &Step, partial: bool) {
    let Some(old) = item.body.clone() else { return };
    let Some(new) = to_attr(v, "body", step) else {
        return;
    };
    let body = if partial {
        let mut j = join_attr(&old, &new);
        j.shape.placeholder = None;
        j
    } else if new.shape.presence == Presence::Always {
        overwrite(&old, &new)
    } else {
        join_attr(&old, &overwrite(&old, &new))
    };
    item.body = Some(body);
}

/// A list of literal strings.
fn strings(e: &Expr) -> Option<Vec<String>> {
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
fn describe(e: &Expr) -> String {
    match e {
        Expr::Path(p) => format!("`{}`", p.to_text()),
        Expr::Converter(c) => format!("the result of `{}`", c.name),
        Expr::Map(_) => "a map".into(),
        _ => "a constant".into(),
    }
}

/// What a pattern rewrite leaves of a value.
struct Rewrite {
    state: AttrState,
}

impl Rewrite {
    fn describe(&self, editor: &str) -> String {
        match self.state {
            AttrState::Placeholder => format!("replaced whole by a constant (`{editor}`)"),
            AttrState::Hashed => format!("replaced whole by a hash (`{editor}`)"),
            _ => format!("masked where a pattern matches; other content may remain (`{editor}`)"),
        }
    }
}

/// `replace_pattern` / `replace_all_patterns`: the whole value is replaced only when the
/// pattern matches any string whole and the replacement takes nothing from the match.
fn pattern_mode(re: &Expr, repl: &Expr, rest: &[&Expr]) -> Rewrite {
    let whole = matches!(re, Expr::String(p) if MATCH_ALL.contains(&p.as_str()));
    replacement_mode(whole, repl, rest)
}

/// `replace_match` / `replace_all_matches`: a glob matches the whole string; only `*`
/// matches every string.
fn glob_mode(glob: &Expr, repl: &Expr, rest: &[&Expr]) -> Rewrite {
    let whole = matches!(glob, Expr::String(g) if g == "*");
    replacement_mode(whole, repl, rest)
}

fn replacement_mode(whole: bool, repl: &Expr, rest: &[&Expr]) -> Rewrite {
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
