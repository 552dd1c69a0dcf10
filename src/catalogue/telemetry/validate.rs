//! Checks a catalogue file beyond what serde checks: every gate, condition and set a record
//! names exists, items are well-formed, and for every known version record names and
//! attribute keys are unique. All problems are collected, not just the first.

use std::collections::HashSet;

use super::expand::{self, AttrKey};
use super::model::{AttrItem, CatalogueFile, GateDefault, RecordKind, RecordSpec};

/// Every problem found, as sentences naming the place in the file.
pub fn validate(file: &CatalogueFile) -> Vec<String> {
    let mut errs = Vec::new();
    versions(file, &mut errs);
    gates(file, &mut errs);
    export(file, &mut errs);
    for (name, items) in &file.attribute_sets {
        set_cycles(file, name, &mut Vec::new(), &mut errs);
        for item in items {
            item_refs(file, item, &format!("attribute set `{name}`"), &mut errs);
        }
    }
    for r in &file.records {
        record_refs(file, r, &mut errs);
    }
    for known in &file.versions {
        per_version(file, &known.version, &mut errs);
    }
    errs.sort();
    errs.dedup();
    errs
}

fn versions(file: &CatalogueFile, errs: &mut Vec<String>) {
    if file.versions.is_empty() {
        errs.push("`versions` is empty: name at least one checked client version".into());
    }
    for w in file.versions.windows(2) {
        if w[0].version >= w[1].version {
            errs.push(format!(
                "`versions` must be in ascending order without repeats: {} then {}",
                w[0].version, w[1].version
            ));
        }
    }
}

fn gates(file: &CatalogueFile, errs: &mut Vec<String>) {
    for (name, gate) in &file.gates {
        let mut seen = vec![name.as_str()];
        let mut current = &gate.default;
        while let GateDefault::SameAs { same_as } = current {
            match file.gates.get(same_as) {
                None => {
                    errs.push(format!(
                        "gate `{name}`: default follows unknown gate `{same_as}`"
                    ));
                    break;
                }
                Some(_) if seen.contains(&same_as.as_str()) => {
                    errs.push(format!(
                        "gate `{name}`: defaults follow each other in a cycle"
                    ));
                    break;
                }
                Some(next) => {
                    seen.push(same_as);
                    current = &next.default;
                }
            }
        }
    }
}

fn export(file: &CatalogueFile, errs: &mut Vec<String>) {
    if let Some(m) = &file.export.master {
        gate_ref(file, m, "export.master", errs);
    }
    for (signal, spec) in &file.export.signals {
        if !matches!(signal.as_str(), "metrics" | "logs" | "traces") {
            errs.push(format!(
                "export.signals: `{signal}` is not metrics, logs or traces"
            ));
        }
        for g in &spec.requires {
            gate_ref(file, g, &format!("export.signals.{signal}"), errs);
        }
        if spec.setting.is_none() && !(spec.vendor.is_empty() && spec.known_values.is_empty()) {
            errs.push(format!(
                "export.signals.{signal}: `known_values` and `vendor` need a `setting`"
            ));
        }
    }
}

fn gate_ref(file: &CatalogueFile, gate: &str, at: &str, errs: &mut Vec<String>) {
    if !file.gates.contains_key(gate) {
        errs.push(format!("{at}: unknown gate `{gate}`"));
    }
}

fn condition_ref(file: &CatalogueFile, c: &Option<String>, at: &str, errs: &mut Vec<String>) {
    if let Some(c) = c
        && !file.conditions.contains_key(c)
    {
        errs.push(format!("{at}: unknown condition `{c}`"));
    }
}

fn set_cycles(file: &CatalogueFile, name: &str, path: &mut Vec<String>, errs: &mut Vec<String>) {
    if path.iter().any(|p| p == name) {
        errs.push(format!("attribute set `{name}` includes itself"));
        return;
    }
    path.push(name.to_string());
    for item in file.attribute_sets.get(name).into_iter().flatten() {
        if let Some(inner) = &item.use_set {
            set_cycles(file, inner, path, errs);
        }
    }
    path.pop();
}

fn item_refs(file: &CatalogueFile, item: &AttrItem, at: &str, errs: &mut Vec<String>) {
    if let Some(set) = &item.use_set {
        let extra = item.key.is_some()
            || item.keys_from.is_some()
            || item.unknown_keys.is_some()
            || item.category.is_some()
            || item.gate.is_some()
            || item.condition.is_some();
        if extra {
            errs.push(format!("{at}: `use: {set}` takes only since/until"));
        }
        if !file.attribute_sets.contains_key(set) {
            errs.push(format!("{at}: unknown attribute set `{set}`"));
        }
        return;
    }
    let Some(attr) = expand::attr(item) else {
        errs.push(format!(
            "{at}: an attribute needs exactly one of key, keys_from, unknown_keys, plus category, kind and evidence (near {:?})",
            item.key.as_deref().or(item.keys_from.as_deref()).unwrap_or("?")
        ));
        return;
    };
    let at = format!("{at}, attribute `{}`", attr.key.text());
    for g in attr.gate.iter().chain(&attr.requires) {
        gate_ref(file, g, &at, errs);
    }
    if item.off.is_some() && item.gate.is_none() {
        errs.push(format!("{at}: `off` without a `gate`"));
    }
    condition_ref(file, &attr.condition, &at, errs);
    for also in &attr.also {
        condition_ref(file, &also.condition, &at, errs);
    }
}

fn record_refs(file: &CatalogueFile, r: &RecordSpec, errs: &mut Vec<String>) {
    let at = format!("record {} `{}`", r.kind.as_str(), r.name);
    match (r.kind, &r.parent) {
        (RecordKind::SpanEvent, None) => errs.push(format!("{at}: a span event needs `parent`")),
        (RecordKind::SpanEvent, Some(_)) | (_, None) => {}
        (_, Some(_)) => errs.push(format!("{at}: only span events have a `parent`")),
    }
    match (r.kind, r.destinations.is_empty()) {
        (RecordKind::Flow, true) => errs.push(format!("{at}: a flow needs `destinations`")),
        (RecordKind::Flow, false) | (_, true) => {}
        (_, false) => errs.push(format!("{at}: only flows have `destinations`")),
    }
    for g in r.requires.iter().chain(&r.disabled_by) {
        gate_ref(file, g, &at, errs);
    }
    for d in &r.destinations {
        if let Some(g) = &d.when {
            gate_ref(file, g, &format!("{at}, destination `{}`", d.id), errs);
        }
    }
    condition_ref(file, &r.condition, &at, errs);
    for item in &r.attributes {
        item_refs(file, item, &at, errs);
        if !item.signals.is_empty() && r.kind != RecordKind::Resource {
            errs.push(format!(
                "{at}: only resource attributes name `signals` (near {:?})",
                item.key.as_deref().unwrap_or("?")
            ));
        }
    }
}

fn per_version(file: &CatalogueFile, version: &super::Version, errs: &mut Vec<String>) {
    let records = expand::records(file, version);
    let mut names = HashSet::new();
    for r in &records {
        let id = (r.kind, r.parent.clone(), r.name.clone());
        if !names.insert(id) {
            errs.push(format!(
                "version {version}: record {} `{}` is defined twice",
                r.kind.as_str(),
                r.name
            ));
        }
        let mut keys = HashSet::new();
        for a in &r.attributes {
            if let AttrKey::Key(k) = &a.key
                && !keys.insert(k.as_str())
            {
                errs.push(format!(
                    "version {version}: record `{}` has attribute `{k}` twice",
                    r.name
                ));
            }
        }
    }
    for r in records.iter().filter(|r| r.kind == RecordKind::SpanEvent) {
        let parent = r.parent.as_deref().unwrap_or_default();
        if !records
            .iter()
            .any(|s| s.kind == RecordKind::Span && s.name == parent)
        {
            errs.push(format!(
                "version {version}: span event `{}` names unknown span `{parent}`",
                r.name
            ));
        }
    }
}
