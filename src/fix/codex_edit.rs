//! Pins Codex CLI's `[otel]` switches in `requirements.toml` (the layer that wins over every
//! other) by editing its TOML text: a value written differently is replaced, a missing key
//! goes after the table's last key, a missing table is added at the end.

use super::settings_edit::Pin;
use super::text_edit::{Edit, after_line, offset};
use crate::diag::Diagnostics;
use crate::files::Files;
use crate::tree::parse_toml;

/// The edits and the pins that change something; `None` when the text is not TOML the
/// fix can edit. Pins are `otel.KEY` with `0`/`1`, written as TOML booleans.
pub fn pin_otel(text: &str, pins: &[Pin]) -> Option<(Vec<Edit>, Vec<Pin>)> {
    let mut files = Files::new();
    let id = files.add("requirements.toml", text);
    let mut diags = Diagnostics::new();
    let root = parse_toml(&files, id, &mut diags)?;
    let table = root.get("otel");
    if table.is_some_and(|t| t.as_map().is_none()) {
        return None;
    }
    let mut edits = Vec::new();
    let mut changed = Vec::new();
    let mut added = Vec::new();
    for pin in pins {
        let Some(key) = pin.key.strip_prefix("otel.") else {
            continue;
        };
        let want = if pin.value == "1" { "true" } else { "false" };
        match table.and_then(|t| t.get(key)) {
            Some(node) if node.as_str() == Some(want) || node.as_bool() == Some(want == "true") => {
            }
            Some(node) => {
                edits.push(Edit {
                    at: offset(text, node.span.line, node.span.col)?,
                    remove: node.span.len as usize,
                    insert: want.to_string(),
                });
                changed.push(pin.clone());
            }
            None => {
                added.push(format!("{key} = {want}\n"));
                changed.push(pin.clone());
            }
        }
    }
    if !added.is_empty() {
        let lines: String = added.concat();
        let last = table.and_then(|t| t.as_map()).and_then(|m| m.last());
        edits.push(match last {
            Some(last) => Edit {
                at: after_line(
                    text,
                    offset(text, last.value.span.line, last.value.span.col)?,
                ),
                remove: 0,
                insert: lines,
            },
            None if table.is_some() => return None,
            None => {
                let sep = if text.is_empty() || text.ends_with('\n') {
                    ""
                } else {
                    "\n"
                };
                Edit {
                    at: text.len(),
                    remove: 0,
                    insert: format!("{sep}\n[otel]\n{lines}"),
                }
            }
        });
    }
    Some((edits, changed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::text_edit::apply;

    fn pin(k: &str, v: &str) -> Pin {
        Pin::new(k, v, "")
    }

    #[test]
    fn pins_keys_of_the_otel_table_keeping_comments() {
        let t = "# pinned\n[otel]\nlog_user_prompt = true # no\ntrace_exporter = \"none\"\n\n[other]\nx = 1\n";
        let (e, changed) = pin_otel(
            t,
            &[
                pin("otel.log_user_prompt", "0"),
                pin("otel.log_agent_responses", "0"),
            ],
        )
        .unwrap();
        assert_eq!(changed.len(), 2);
        assert_eq!(
            apply(t, &e),
            "# pinned\n[otel]\nlog_user_prompt = false # no\ntrace_exporter = \"none\"\nlog_agent_responses = false\n\n[other]\nx = 1\n"
        );
    }
}
