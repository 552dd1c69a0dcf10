//! Editors that remove or rename keys: `delete_key`, `delete_matching_keys`,
//! `keep_keys`, `keep_matching_keys`, `limit`, `flatten`, key-mode
//! `replace_all_patterns`, and the metric aggregations that drop labels.

use crate::limits::pattern;

use super::{Exec, Extra, strings};
use crate::analysis::flow::{Item, join_attr};
use crate::analysis::processors::common::{copy_as, keep_only, overwrite, put};
use crate::analysis::processors::ottl::paths::{MapRef, Place, place};
use crate::analysis::processors::ottl::value::{eval, to_attr};
use crate::analysis::shape::RecordKind;
use crate::ottl::Expr;

impl Exec<'_, '_> {
    pub(super) fn delete_key(
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

    pub(super) fn by_pattern(
        &self,
        target: &Expr,
        re: &Expr,
        item: &mut Item,
        keep: bool,
    ) -> Result<(), String> {
        let Expr::String(pattern) = re else {
            return Ok(());
        };
        let Ok(re) = pattern::compile(pattern) else {
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

    pub(super) fn keep_keys(
        &self,
        target: &Expr,
        keys: &Expr,
        item: &mut Item,
    ) -> Result<(), String> {
        let Some(list) = strings(keys) else {
            return Ok(());
        };
        let step = self.step("deleted (not listed in `keep_keys`)");
        if let Some(map) = self.target_map(target, item) {
            keep_only(map, &list, &step);
        }
        Ok(())
    }

    pub(super) fn limit(
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

    pub(super) fn flatten(&self, target: &Expr, item: &mut Item) -> Result<(), String> {
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

    /// `replace_all_patterns(map, "key", …)`: renames keys. With a literal replacement the
    /// new names are computed; with a function they are not known.
    pub(super) fn rename_keys(
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
        let Ok(re) = pattern::compile(pattern) else {
            return Ok(());
        };
        let hashed = !rest.is_empty();
        let on_resource =
            matches!(target, Expr::Path(p) if place(p, item) == Place::Map(MapRef::Resource));
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
                if on_resource && re.is_match(&new) {
                    // The records of a batch share their resource, and a statement of a
                    // record context runs once for each: a new name that matches again is
                    // renamed again, to names not computed here.
                    map.add_unknown(
                        attr.categories(),
                        "keys renamed again for each record that shares the resource",
                        vec![step.clone()],
                    );
                }
                map.insert(copy_as(&attr, &new, step.clone()));
            }
        }
        Ok(())
    }

    pub(super) fn aggregate(&self, keys: Option<&&Expr>, item: &mut Item) -> Result<(), String> {
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

    pub(super) fn aggregate_value(
        &self,
        key: &Expr,
        value: &Expr,
        item: &mut Item,
    ) -> Result<(), String> {
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
}
