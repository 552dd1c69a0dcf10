//! Puts the fix's processor into a collector configuration by editing its YAML text: the
//! processor's definition goes in front of the first processor defined (or into a new
//! `processors:` section), and its id into each chosen pipeline's `processors` list right
//! before `batch` — so after `memory_limiter` and every processor already there, and
//! before batching — or at the end. Flow lists (`[a, batch]`) and block lists (`- a`) are
//! both edited in their own style; everything else of the file stays as written.

use super::text_edit::{Edit, after_line, line_start, offset};
use crate::diag::Diagnostics;
use crate::files::Files;
use crate::tree::{Node, Value, parse_yaml};

/// The id of the processor the fix writes.
pub const PROCESSOR_ID: &str = "transform/otel-dpia";

/// What was done to one collector file.
#[derive(Debug, Default)]
pub struct CollectorEdits {
    /// The text edits.
    pub edits: Vec<Edit>,
    /// The pipelines the processor was put into.
    pub pipelines: Vec<String>,
}

/// The pipelines of a file that export to one of `exporters`, by name.
pub fn pipelines_to(text: &str, exporters: &[String]) -> Vec<String> {
    let Some(root) = parse(text) else {
        return Vec::new();
    };
    let Some(pipes) = root.get("service").and_then(|s| s.get("pipelines")) else {
        return Vec::new();
    };
    pipes
        .as_map()
        .unwrap_or_default()
        .iter()
        .filter(|p| {
            p.value
                .get("exporters")
                .and_then(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .any(|e| e.as_str().is_some_and(|e| exporters.iter().any(|x| x == e)))
        })
        .map(|p| p.key.clone())
        .collect()
}

/// The text of the processor's definition when the file has one (written by an earlier
/// run).
pub fn existing_definition(text: &str) -> Option<String> {
    let root = parse(text)?;
    let old = root.get("processors")?.entry(PROCESSOR_ID)?;
    let edit = redefine(text, old, "")?;
    Some(text[edit.at..edit.at + edit.remove].to_string())
}

/// Edits that define the processor (`definition`: its YAML body lines, indented by two
/// spaces per level from zero) and put it into `pipelines`.
pub fn insert(text: &str, definition: &str, pipelines: &[String]) -> Option<CollectorEdits> {
    let root = parse(text)?;
    let mut out = CollectorEdits::default();
    match root.get("processors").and_then(|p| p.entry(PROCESSOR_ID)) {
        // Written by an earlier run for an older data map (a client update): replaced.
        Some(old) => out.edits.push(redefine(text, old, definition)?),
        None => out.edits.push(define(text, &root, definition)?),
    }
    let pipes = root.get("service")?.get("pipelines")?.as_map()?;
    for name in pipelines {
        let Some(entry) = pipes.iter().find(|p| &p.key == name) else {
            continue;
        };
        if let Some(edit) = into_pipeline(text, &entry.value) {
            out.edits.push(edit);
            out.pipelines.push(name.clone());
        }
    }
    Some(out)
}

fn parse(text: &str) -> Option<Node> {
    let mut files = Files::new();
    let id = files.add("collector.yaml", text);
    let mut diags = Diagnostics::new();
    parse_yaml(&files, id, &mut diags)?.into_iter().next()
}

/// The definition, in front of the first processor or as a new section at the end.
fn define(text: &str, root: &Node, definition: &str) -> Option<Edit> {
    let first = root
        .get("processors")
        .and_then(Node::as_map)
        .and_then(|m| m.first());
    match first {
        Some(first) => {
            let indent = first.key_span.col.saturating_sub(1) as usize;
            let at = line_start(text, first.key_span.line)?;
            Some(Edit {
                at,
                remove: 0,
                insert: format!("{}\n", indented(definition, indent)),
            })
        }
        None if root.get("processors").is_none() => {
            let sep = if text.ends_with('\n') { "" } else { "\n" };
            Some(Edit {
                at: text.len(),
                remove: 0,
                insert: format!("{sep}\nprocessors:\n{}", indented(definition, 2)),
            })
        }
        // `processors:` with nothing under it: its line is replaced by the full section.
        None => {
            let key = root.as_map()?.iter().find(|e| e.key == "processors")?;
            let at = line_start(text, key.key_span.line)?;
            let end = after_line(text, at);
            Some(Edit {
                at,
                remove: end - at,
                insert: format!("processors:\n{}", indented(definition, 2)),
            })
        }
    }
}

/// The edit that replaces an existing definition: from its key's line up to the next line
/// indented as little as the key (a sibling, or a comment that belongs to one), keeping
/// the blank lines in between.
fn redefine(text: &str, old: &crate::tree::Entry, definition: &str) -> Option<Edit> {
    let indent = old.key_span.col.saturating_sub(1) as usize;
    let at = line_start(text, old.key_span.line)?;
    let mut end = after_line(text, at);
    let mut kept_end = end;
    while end < text.len() {
        let next = after_line(text, end);
        let line = &text[end..next];
        let body = line.trim_end_matches(['\n', '\r']);
        if body.trim().is_empty() {
            end = next;
            continue;
        }
        let depth = body.len() - body.trim_start().len();
        if depth <= indent {
            break;
        }
        end = next;
        kept_end = next;
    }
    Some(Edit {
        at,
        remove: kept_end - at,
        insert: indented(definition, indent),
    })
}

fn indented(block: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    block
        .lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_string()
            } else {
                format!("{pad}{l}\n")
            }
        })
        .collect()
}

/// Puts the id into one pipeline's `processors` list, before `batch` or at the end.
fn into_pipeline(text: &str, pipeline: &Node) -> Option<Edit> {
    let Some(list) = pipeline.get("processors") else {
        // No processors yet: a flow list in front of the `exporters` key.
        let key = pipeline.as_map()?.iter().find(|e| e.key == "exporters")?;
        let indent = " ".repeat(key.key_span.col.saturating_sub(1) as usize);
        return Some(Edit {
            at: line_start(text, key.key_span.line)?,
            remove: 0,
            insert: format!("{indent}processors: [{PROCESSOR_ID}]\n"),
        });
    };
    let items = match &list.value {
        Value::Seq(items) => items.as_slice(),
        _ => &[],
    };
    if items.iter().any(|i| i.as_str() == Some(PROCESSOR_ID)) {
        return None;
    }
    let start = offset(text, list.span.line, list.span.col)?;
    let flow = text[start..].starts_with('[');
    let batch = items.iter().find(|i| {
        i.as_str()
            .is_some_and(|s| s == "batch" || s.starts_with("batch/"))
    });
    if flow {
        return Some(match (batch, items.last()) {
            (Some(b), _) => Edit {
                at: offset(text, b.span.line, b.span.col)?,
                remove: 0,
                insert: format!("{PROCESSOR_ID}, "),
            },
            (None, Some(last)) => Edit {
                at: offset(text, last.span.line, last.span.col)? + last.span.len as usize,
                remove: 0,
                insert: format!(", {PROCESSOR_ID}"),
            },
            (None, None) => Edit {
                at: start + 1,
                remove: 0,
                insert: PROCESSOR_ID.to_string(),
            },
        });
    }
    // A block list: a new `- id` line shaped like its neighbour.
    let anchor = batch.or(items.last())?;
    let line_at = line_start(text, anchor.span.line)?;
    let item_at = offset(text, anchor.span.line, anchor.span.col)?;
    let prefix = &text[line_at..item_at];
    let line = format!("{prefix}{PROCESSOR_ID}\n");
    Some(if batch.is_some() {
        Edit {
            at: line_at,
            remove: 0,
            insert: line,
        }
    } else {
        let end = after_line(text, item_at);
        let nl = if text[..end].ends_with('\n') {
            ""
        } else {
            "\n"
        };
        Edit {
            at: end,
            remove: 0,
            insert: format!("{nl}{line}"),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::text_edit::apply;

    #[test]
    fn flow_and_block_lists_get_the_processor_before_batch() {
        let t = "# top\nprocessors:\n  batch: {}\nservice:\n  pipelines:\n    metrics:\n      receivers: [otlp]\n      processors: [memory_limiter, batch]\n      exporters: [x]\n    logs:\n      receivers: [otlp]\n      processors:\n        - memory_limiter\n        - batch\n      exporters: [x]\n";
        let e = insert(
            t,
            "transform/otel-dpia:\n  error_mode: ignore\n",
            &["metrics".into(), "logs".into()],
        )
        .unwrap();
        let out = apply(t, &e.edits);
        assert!(out.starts_with(
            "# top\nprocessors:\n  transform/otel-dpia:\n    error_mode: ignore\n\n  batch: {}\n"
        ));
        assert!(out.contains("processors: [memory_limiter, transform/otel-dpia, batch]"));
        assert!(out.contains(
            "        - memory_limiter\n        - transform/otel-dpia\n        - batch\n"
        ));
        // A later run replaces its own definition and leaves the lists alone.
        let again = insert(
            &out,
            "transform/otel-dpia:\n  error_mode: silent\n",
            &["metrics".into(), "logs".into()],
        )
        .unwrap();
        let twice = apply(&out, &again.edits);
        assert!(twice.starts_with(
            "# top\nprocessors:\n  transform/otel-dpia:\n    error_mode: silent\n\n  batch: {}\n"
        ));
        assert_eq!(twice.matches("transform/otel-dpia").count(), 3);
    }
}
