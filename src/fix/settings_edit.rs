//! Pins Claude Code's telemetry switches in a managed-settings file's `env` block by
//! editing its JSON text in place: a value written differently is replaced, a missing key
//! is added after the last one, and nothing else of the file changes.

use super::text_edit::{Edit, offset};
use crate::diag::Diagnostics;
use crate::files::Files;
use crate::tree::{Node, Value, parse_json};

/// One setting to pin and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pin {
    /// The environment variable.
    pub key: String,
    /// The value it must have.
    pub value: String,
    /// Why, for the summary.
    pub why: String,
}

impl Pin {
    /// `key` pinned to `value`, for the reason `why`.
    pub fn new(key: &str, value: &str, why: impl Into<String>) -> Pin {
        Pin {
            key: key.to_string(),
            value: value.to_string(),
            why: why.into(),
        }
    }
}

/// The edits that give `env` the pinned values, and the pins that change something.
/// `None` when the text is not a JSON object (then nothing is changed).
pub fn pin_env(
    text: &str,
    pins: &[Pin],
    same: impl Fn(&str, &str) -> bool,
) -> Option<(Vec<Edit>, Vec<Pin>)> {
    pin_object(text, "env", pins, same, json_string)
}

/// The same for any top-level object (`env` of Claude Code, `telemetry` of Gemini CLI);
/// `literal` writes a pinned value as JSON.
pub fn pin_object(
    text: &str,
    object: &str,
    pins: &[Pin],
    same: impl Fn(&str, &str) -> bool,
    literal: fn(&str) -> String,
) -> Option<(Vec<Edit>, Vec<Pin>)> {
    let root = object_of(text)?;
    let Value::Map(top) = &root.value else {
        return None;
    };
    let mut edits = Vec::new();
    let mut changed = Vec::new();
    let mut added = String::new();
    let env = top.iter().find(|e| e.key == object).map(|e| &e.value);
    for pin in pins {
        let existing = env.and_then(|n| n.get(&pin.key));
        match existing {
            Some(node) if node.as_str().is_some_and(|v| same(v, &pin.value)) => {}
            Some(node) => {
                let at = offset(text, node.span.line, node.span.col)?;
                edits.push(Edit {
                    at,
                    remove: node.span.len as usize,
                    insert: literal(&pin.value),
                });
                changed.push(pin.clone());
            }
            None => {
                added.push_str(&format!(
                    "{}: {}",
                    json_string(&pin.key),
                    literal(&pin.value)
                ));
                added.push('\u{0}');
                changed.push(pin.clone());
            }
        }
    }
    if !added.is_empty() {
        let lines: Vec<&str> = added.trim_end_matches('\u{0}').split('\u{0}').collect();
        edits.push(insertion(text, &root, object, env, &lines)?);
    }
    Some((edits, changed))
}

/// A settings file's text read as JSON; `None` when it is not JSON.
fn object_of(text: &str) -> Option<Node> {
    let mut files = Files::new();
    let id = files.add("managed-settings.json", text);
    let mut diags = Diagnostics::new();
    parse_json(&files, id, &mut diags)
}

/// The edits that take `keys` out of the `env` object, with the keys that were there. The
/// commas around a removed member go with it, so the rest stays valid JSON as written.
pub fn remove_env(text: &str, keys: &[String]) -> Option<(Vec<Edit>, Vec<String>)> {
    let root = object_of(text)?;
    let Value::Map(top) = &root.value else {
        return None;
    };
    let Some(entries) = top
        .iter()
        .find(|e| e.key == "env")
        .and_then(|e| e.value.as_map())
    else {
        return Some((Vec::new(), Vec::new()));
    };
    let starts: Vec<usize> = entries
        .iter()
        .map(|e| offset(text, e.key_span.line, e.key_span.col))
        .collect::<Option<_>>()?;
    let ends: Vec<usize> = entries
        .iter()
        .map(|e| value_end(text, &e.value))
        .collect::<Option<_>>()?;
    let gone: Vec<bool> = entries.iter().map(|e| keys.contains(&e.key)).collect();
    let mut edits = Vec::new();
    let mut removed = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        if !gone[i] {
            continue;
        }
        removed.push(e.key.clone());
        // Up to the next kept member; the last kept member before a removed tail keeps
        // its place and loses the comma after it.
        let (from, to) = match (i + 1..entries.len()).find(|&j| !gone[j]) {
            Some(next) => (starts[i], starts[next]),
            None => match (0..i).rev().find(|&j| !gone[j]) {
                Some(prev) => (ends[prev], ends[i]),
                // Nothing is kept: everything from the first member to the last goes.
                None if i + 1 < entries.len() => (starts[i], starts[i + 1]),
                None => (starts[i], ends[i]),
            },
        };
        edits.push(Edit {
            at: from,
            remove: to - from,
            insert: String::new(),
        });
    }
    // Overlapping ranges (several removed in a row) are merged.
    edits.sort_by_key(|e| e.at);
    let mut merged: Vec<Edit> = Vec::new();
    for e in edits {
        match merged.last_mut() {
            Some(last) if e.at <= last.at + last.remove => {
                let end = (e.at + e.remove).max(last.at + last.remove);
                last.remove = end - last.at;
            }
            _ => merged.push(e),
        }
    }
    Some((merged, removed))
}

/// Adds `lines` (already `"KEY": "VALUE"`) to the `env` object, or adds an `env` object.
fn insertion(
    text: &str,
    root: &Node,
    object: &str,
    env: Option<&Node>,
    lines: &[&str],
) -> Option<Edit> {
    match env {
        Some(env) => {
            let entries = env.as_map()?;
            if let Some(last) = entries.last() {
                let indent = " ".repeat(last.key_span.col.saturating_sub(1) as usize);
                let end = value_end(text, &last.value)?;
                let insert: String = lines.iter().map(|l| format!(",\n{indent}{l}")).collect();
                Some(Edit {
                    at: end,
                    remove: 0,
                    insert,
                })
            } else {
                let open = offset(text, env.span.line, env.span.col)? + 1;
                let insert = format!(" {} ", lines.join(", "));
                Some(Edit {
                    at: open,
                    remove: 0,
                    insert,
                })
            }
        }
        None => {
            let open = offset(text, root.span.line, root.span.col)? + 1;
            let first = root.as_map()?.first();
            let indent = first.map_or("  ".to_string(), |e| {
                " ".repeat(e.key_span.col.saturating_sub(1) as usize)
            });
            let inner: Vec<String> = lines
                .iter()
                .map(|l| format!("{indent}{indent}{l}"))
                .collect();
            let comma = if first.is_some() { "," } else { "" };
            Some(Edit {
                at: open,
                remove: 0,
                insert: format!(
                    "\n{indent}{}: {{\n{}\n{indent}}}{comma}",
                    json_string(object),
                    inner.join(",\n")
                ),
            })
        }
    }
}

/// The byte offset after a scalar value (objects and lists end at their closing bracket).
fn value_end(text: &str, node: &Node) -> Option<usize> {
    let start = offset(text, node.span.line, node.span.col)?;
    match &node.value {
        Value::Map(_) | Value::Seq(_) => {
            let (open, close) = if matches!(node.value, Value::Map(_)) {
                ('{', '}')
            } else {
                ('[', ']')
            };
            let mut depth = 0usize;
            let mut in_str = false;
            let mut escaped = false;
            for (i, c) in text[start..].char_indices() {
                if in_str {
                    match c {
                        _ if escaped => escaped = false,
                        '\\' => escaped = true,
                        '"' => in_str = false,
                        _ => {}
                    }
                    continue;
                }
                match c {
                    '"' => in_str = true,
                    c if c == open => depth += 1,
                    c if c == close => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(start + i + 1);
                        }
                    }
                    _ => {}
                }
            }
            None
        }
        _ => Some(start + node.span.len as usize),
    }
}

/// A JSON string literal.
pub fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::text_edit::apply;

    fn pin(k: &str, v: &str) -> Pin {
        Pin::new(k, v, "")
    }

    #[test]
    fn replaces_and_adds_keeping_the_rest() {
        let t =
            "{\n  \"model\": \"x\",\n  \"env\": {\n    \"A\": \"1\",\n    \"B\": \"x\"\n  }\n}\n";
        let (edits, changed) =
            pin_env(t, &[pin("A", "0"), pin("B", "x"), pin("C", "0")], |a, b| {
                a == b
            })
            .unwrap();
        assert_eq!(changed.len(), 2);
        assert_eq!(
            apply(t, &edits),
            "{\n  \"model\": \"x\",\n  \"env\": {\n    \"A\": \"0\",\n    \"B\": \"x\",\n    \"C\": \"0\"\n  }\n}\n"
        );
    }

    #[test]
    fn removing_members_keeps_the_json_valid_and_the_rest_as_written() {
        let t = "{\n  \"env\": {\n    \"A\": \"1\",\n    \"B\": \"2\",\n    \"C\": \"3\"\n  }\n}\n";
        for (gone, want) in [
            (
                &["A"][..],
                "{\n  \"env\": {\n    \"B\": \"2\",\n    \"C\": \"3\"\n  }\n}\n",
            ),
            (
                &["B"][..],
                "{\n  \"env\": {\n    \"A\": \"1\",\n    \"C\": \"3\"\n  }\n}\n",
            ),
            (
                &["C"][..],
                "{\n  \"env\": {\n    \"A\": \"1\",\n    \"B\": \"2\"\n  }\n}\n",
            ),
            (
                &["B", "C"][..],
                "{\n  \"env\": {\n    \"A\": \"1\"\n  }\n}\n",
            ),
            (&["A", "B", "C"][..], "{\n  \"env\": {\n    \n  }\n}\n"),
        ] {
            let keys: Vec<String> = gone.iter().map(|k| k.to_string()).collect();
            let (edits, removed) = remove_env(t, &keys).unwrap();
            assert_eq!(removed, keys);
            let after = apply(t, &edits);
            assert_eq!(after, want, "{gone:?}");
            assert!(serde_json::from_str::<serde_json::Value>(&after).is_ok());
        }
        let (edits, removed) = remove_env(t, &["Z".to_string()]).unwrap();
        assert!(edits.is_empty() && removed.is_empty());
    }
}
