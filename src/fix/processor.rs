//! The YAML of the fix's `transform` processor, written from [`Statements`]: per signal a
//! `resource` group and a group for the record context, each record keeping only its
//! allowed keys (`keep_keys … where <its name>`), records of other names losing every
//! attribute, and identifiers replaced by their SHA-256 hash.
//!
//! Every condition tests a record's name or event body, which the configuration fixes, so
//! the analysis decides each statement for each record instead of assuming the worst.

use super::collector_edit::PROCESSOR_ID;
use super::plan::{KeyFate, RecordKeys, Statements};

/// The processor definition (the id line and its body), indented from column zero.
pub fn definition(st: &Statements, policy_word: &str) -> String {
    let mut out = format!("{PROCESSOR_ID}:\n");
    out.push_str(&format!(
        "  # Written by `otel-dpia fix` for the policy `{policy_word}`: each record keeps only the\n  # keys listed for it, identifiers leave as SHA-256 hashes, records of other names lose\n  # every attribute. After a client update, run `otel-dpia fix` again.\n"
    ));
    out.push_str("  error_mode: ignore\n");
    for (signal, group, ctx, name) in [
        ("metrics", "metric_statements", "datapoint", "metric.name"),
        ("logs", "log_statements", "log", "body"),
        ("traces", "trace_statements", "span", "name"),
    ] {
        let Some(records) = st.signals.get(signal) else {
            continue;
        };
        out.push_str(&format!("  {group}:\n"));
        let empty = RecordKeys::new();
        let resource = records.get("resource").unwrap_or(&empty);
        out.push_str("    - context: resource\n      statements:\n");
        for s in keep_only(resource, None) {
            out.push_str(&format!("        - {}\n", quoted(&s)));
        }
        hash_group(&mut out, "resource", hashed_keys([resource].into_iter()));
        out.push_str(&format!("    - context: {ctx}\n      statements:\n"));
        let named: Vec<(&String, &RecordKeys)> =
            records.iter().filter(|(n, _)| *n != "resource").collect();
        for (record, keys) in &named {
            let cond = format!("{name} == {}", ottl_string(record));
            for s in keep_only(keys, Some(&cond)) {
                out.push_str(&format!("        - {}\n", quoted(&s)));
            }
        }
        let others = if named.is_empty() {
            "keep_keys(attributes, [])".to_string()
        } else {
            let conds: Vec<String> = named
                .iter()
                .map(|(r, _)| format!("{name} != {}", ottl_string(r)))
                .collect();
            format!("keep_keys(attributes, []) where {}", conds.join(" and "))
        };
        out.push_str(&format!("        - {}\n", quoted(&others)));
        hash_group(&mut out, ctx, hashed_keys(named.iter().map(|(_, k)| *k)));
        if signal == "traces" {
            out.push_str("    - context: spanevent\n      statements:\n");
            out.push_str(&format!(
                "        - {}\n",
                quoted("keep_keys(attributes, [])")
            ));
        }
    }
    out
}

/// The keys to hash, sorted, once each.
fn hashed_keys<'a>(records: impl Iterator<Item = &'a RecordKeys>) -> Vec<&'a String> {
    let mut out: Vec<&String> = records
        .flat_map(|keys| keys.iter().filter(|(_, f)| **f == KeyFate::Hash))
        .map(|(k, _)| k)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The hashes, in a group of their own that fails closed: a value that cannot be hashed
/// (not a string) stops the batch instead of passing raw. Each runs only where the key is
/// there, which for the records it is meant for the configuration decides.
fn hash_group(out: &mut String, ctx: &str, keys: Vec<&String>) {
    if keys.is_empty() {
        return;
    }
    out.push_str(&format!(
        "    - context: {ctx}\n      error_mode: propagate\n      statements:\n"
    ));
    for k in keys {
        out.push_str(&format!("        - {}\n", quoted(&hash(k))));
    }
}

fn keep_only(keys: &RecordKeys, cond: Option<&str>) -> Vec<String> {
    let kept: Vec<String> = keys
        .iter()
        .filter(|(_, f)| **f != KeyFate::Drop)
        .map(|(k, _)| ottl_string(k))
        .collect();
    let stmt = format!("keep_keys(attributes, [{}])", kept.join(", "));
    vec![match cond {
        Some(c) => format!("{stmt} where {c}"),
        None => stmt,
    }]
}

fn hash(key: &str) -> String {
    let k = ottl_string(key);
    format!("set(attributes[{k}], SHA256(attributes[{k}])) where attributes[{k}] != nil")
}

/// An OTTL string literal.
fn ottl_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A YAML single-quoted scalar.
fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}
