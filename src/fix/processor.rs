//! The YAML of the fix's `transform` processor, written from [`Statements`]: per signal a
//! `resource` group and a group for the record context, each record keeping only its
//! allowed keys (`keep_keys … where <its name>`), records of other names losing every
//! attribute, and identifiers replaced by their SHA-256 hash.
//!
//! Every condition tests what names a record and the configuration fixes — a metric's or
//! span's name, an event's constant `event.name` — so the analysis decides each statement
//! for each record instead of assuming the worst.

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
        // A log record is told apart by its constant `event.name`; one without (an event
        // standing for several names, a line with no attributes) gets no list of its own
        // and loses every attribute with the records of other names.
        let named: Vec<(&String, &RecordKeys)> = records
            .iter()
            .filter(|(n, _)| *n != "resource")
            .filter(|(n, _)| signal != "logs" || matches!(st.event_names.get(*n), Some(Some(_))))
            .collect();
        let ident = |record: &str, op: &str| match st.event_names.get(record) {
            Some(Some(event)) if signal == "logs" => {
                format!("attributes[\"event.name\"] {op} {}", ottl_string(event))
            }
            _ => format!("{name} {op} {}", ottl_string(record)),
        };
        for (record, keys) in &named {
            let cond = ident(record, "==");
            for s in keep_only(keys, Some(&cond)) {
                out.push_str(&format!("        - {}\n", quoted(&s)));
            }
        }
        let others = if named.is_empty() {
            "keep_keys(attributes, [])".to_string()
        } else {
            let conds: Vec<String> = named.iter().map(|(r, _)| ident(r, "!=")).collect();
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

/// The hash of one key where it is there. `SHA256` takes strings only and the group
/// fails closed, so a number (a process id) would stop the whole batch: `Format` turns any
/// value into its text first (a string stays as it is, so its hash is the usual one).
fn hash(key: &str) -> String {
    let k = ottl_string(key);
    format!(
        "set(attributes[{k}], SHA256(Format(\"%v\", [attributes[{k}]]))) where attributes[{k}] != nil"
    )
}

/// An OTTL string literal.
fn ottl_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A YAML single-quoted scalar.
fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}
