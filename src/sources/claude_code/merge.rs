//! Deep merge of settings documents, as the client merges `managed-settings.json` and the
//! files of `managed-settings.d/`: objects merge key by key, lists are concatenated
//! without duplicates, any other value is replaced by the later one.
//!
//! Every merged value keeps the span of the file it came from, so provenance still names
//! the right file and line after merging.

use crate::tree::{Node, Value};

/// Merges `over` into `base`.
pub fn deep_merge(base: &mut Node, over: &Node) {
    match (&mut base.value, &over.value) {
        (Value::Map(entries), Value::Map(more)) => {
            for entry in more {
                match entries.iter_mut().find(|e| e.key == entry.key) {
                    Some(existing) if both_maps(&existing.value, &entry.value) => {
                        deep_merge(&mut existing.value, &entry.value);
                    }
                    Some(existing) if both_seqs(&existing.value, &entry.value) => {
                        existing.key_span = entry.key_span;
                        deep_merge(&mut existing.value, &entry.value);
                    }
                    Some(existing) => *existing = entry.clone(),
                    None => entries.push(entry.clone()),
                }
            }
        }
        (Value::Seq(items), Value::Seq(more)) => {
            for item in more {
                if !items.iter().any(|i| i.to_json() == item.to_json()) {
                    items.push(item.clone());
                }
            }
        }
        _ => *base = over.clone(),
    }
}

fn both_maps(a: &Node, b: &Node) -> bool {
    a.as_map().is_some() && b.as_map().is_some()
}

fn both_seqs(a: &Node, b: &Node) -> bool {
    a.as_seq().is_some() && b.as_seq().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostics;
    use crate::files::Files;
    use crate::tree::parse_json;

    #[test]
    fn objects_merge_lists_concatenate_scalars_replace() {
        let mut files = Files::new();
        let a = files.add(
            "a.json",
            r#"{"env": {"A": "1", "B": "1"}, "l": [1, 2], "m": "x"}"#,
        );
        let b = files.add(
            "b.json",
            r#"{"env": {"B": "2", "C": "2"}, "l": [2, 3], "m": {"k": 1}}"#,
        );
        let mut diags = Diagnostics::new();
        let mut base = parse_json(&files, a, &mut diags).unwrap();
        deep_merge(&mut base, &parse_json(&files, b, &mut diags).unwrap());
        assert_eq!(
            base.to_json(),
            serde_json::json!({"env": {"A": "1", "B": "2", "C": "2"}, "l": [1, 2, 3], "m": {"k": 1}})
        );
        let env = base.get("env").unwrap();
        assert_eq!(env.entry("A").unwrap().key_span.file, a);
        assert_eq!(env.entry("B").unwrap().key_span.file, b);
    }
}
