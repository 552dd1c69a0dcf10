//! Editors that write values: `set` (into a key, a whole map, the body, the name or
//! another field), `merge_maps` and `append`.

use super::{Exec, Extra, describe};
use crate::analysis::flow::{Item, Step, join_attr};
use crate::analysis::processors::attraction;
use crate::analysis::processors::common::{NAME_FROM_DATA, copy_as, overwrite, put};
use crate::analysis::processors::ottl::paths::{MapRef, Place, map_mut, place};
use crate::analysis::processors::ottl::value::{
    AVal, constant_attr, eval, map_categories, to_attr,
};
use crate::analysis::shape::Presence;
use crate::ottl::Expr;

impl Exec<'_, '_> {
    pub(super) fn set(
        &self,
        target: &Expr,
        value: &Expr,
        in_place: bool,
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
            Place::Key(m, k) if in_place => match map_mut(item, m) {
                Some(map) => attraction::hash_in_place(map, &k, to_attr(&v, &k, &step)),
                None => self.write_key(m, &k, &v, &step, item, extra),
            },
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

    pub(super) fn write_key(
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

    pub(super) fn write_inside(
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

    pub(super) fn replace_map(
        &self,
        m: MapRef,
        v: &AVal,
        step: &Step,
        item: &mut Item,
        extra: &mut Extra,
    ) {
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
    pub(super) fn side_write(
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

    pub(super) fn set_name(&self, v: &AVal, step: &Step, item: &mut Item) {
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

    pub(super) fn merge_maps(
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

    pub(super) fn append(
        &self,
        target: &Expr,
        rest: &[&Expr],
        item: &mut Item,
    ) -> Result<(), String> {
        let Expr::Path(p) = target else { return Ok(()) };
        let step = self.step("appended to (`append`)");
        let vals: Vec<AVal> = rest.iter().map(|e| eval(e, item, &step)).collect();
        let Place::Key(m, k) = place(p, item) else {
            return Err("`append` to something other than an attribute".into());
        };
        let Some(map) = map_mut(item, m) else {
            return Ok(());
        };
        let mut new = constant_attr(&k, None, &step);
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
