//! A collector configuration held as text inside another YAML document (a ConfigMap's
//! `data.relay: |`, an operator resource's `spec.config: |`), parsed so that every span
//! points at the line of the outer file.
//!
//! A literal block keeps its lines: line `n` of the text is line `key + n` of the file, each
//! column moved right by the block's indentation. That is checked against the file, line by
//! line, before it is relied on; a string whose lines do not map (quoted, folded, or a
//! block with an odd indentation) is cited at its key instead, so a citation is never a
//! wrong line.

use crate::diag::Diagnostics;
use crate::files::FileId;
use crate::tree::{Entry, Node, Placement, parse_text};

/// The configuration held by the string value of `entry`, parsed where it sits in `file`,
/// whose text (as parsed, e.g. a template's neutral text) is `source`, and how its spans
/// were placed. `None` after a syntax error (reported at its line).
pub fn parse(
    file: FileId,
    source: &str,
    entry: &Entry,
    text: &str,
    diags: &mut Diagnostics,
) -> (Option<Node>, Placement) {
    let at = placement(file, source, entry, text);
    // A second document inside a ConfigMap value is not read by the collector either
    // (it reads the first); keep the first, as it does.
    let node = parse_text(text, at, diags).map(|mut docs| docs.swap_remove(0));
    (node, at)
}

/// Where the text sits: an exact line and column mapping for a literal block that the file
/// confirms, else the key.
pub fn placement(file: FileId, source: &str, entry: &Entry, text: &str) -> Placement {
    let header = entry.key_span.line;
    let lines: Vec<&str> = source.split('\n').collect();
    let after = |n: u32| lines.get(header as usize + n as usize - 1).copied();
    let indent = (1..)
        .map_while(after)
        .find(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len());
    let Some(indent) = indent.filter(|i| *i > 0) else {
        return Placement::At(entry.key_span);
    };
    let mut text_lines: Vec<&str> = text.split('\n').collect();
    if text_lines.last() == Some(&"") {
        text_lines.pop();
    }
    let maps = !text_lines.is_empty()
        && text_lines.iter().zip(1..).all(|(t, n)| match after(n) {
            Some(line) if t.is_empty() => line.trim().is_empty(),
            Some(line) => {
                line.len() >= indent
                    && line[..indent].bytes().all(|b| b == b' ')
                    && &line[indent..] == *t
            }
            None => false,
        });
    if maps {
        Placement::offset(file, header, u32::try_from(indent).unwrap_or(0))
    } else {
        Placement::At(entry.key_span)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::Files;
    use crate::tree::parse_yaml;

    fn entry_of(text: &str, key: &str) -> (Files, FileId, Entry) {
        let mut files = Files::new();
        let id = files.add("m.yaml", text);
        let doc = parse_yaml(&files, id, &mut Diagnostics::new())
            .unwrap()
            .remove(0);
        let e = doc.get("data").unwrap().entry(key).unwrap().clone();
        (files, id, e)
    }

    #[test]
    fn a_literal_block_maps_line_by_line() {
        let text = "kind: ConfigMap\ndata:\n  relay: |\n    receivers:\n\n      otlp:\n        protocols: {grpc: {}}\n";
        let (files, id, e) = entry_of(text, "relay");
        let inner = e.value.as_str().unwrap().to_string();
        let mut diags = Diagnostics::new();
        let node = parse(id, &files.get(id).text, &e, &inner, &mut diags)
            .0
            .unwrap();
        let otlp = node.get("receivers").unwrap().entry("otlp").unwrap();
        assert_eq!((otlp.key_span.line, otlp.key_span.col), (6, 7));
        let grpc = otlp.value.get("protocols").unwrap().entry("grpc").unwrap();
        assert_eq!((grpc.key_span.line, grpc.key_span.col), (7, 21));
    }

    #[test]
    fn syntax_errors_point_at_the_manifest_line() {
        let text = "data:\n  relay: |\n    receivers:\n      otlp: [\n";
        let (files, id, e) = entry_of(text, "relay");
        let inner = e.value.as_str().unwrap().to_string();
        let mut diags = Diagnostics::new();
        assert!(
            parse(id, &files.get(id).text, &e, &inner, &mut diags)
                .0
                .is_none()
        );
        let d = diags.iter().next().unwrap();
        assert!(d.span.unwrap().line >= 4, "{d:?}");
    }

    #[test]
    fn quoted_and_folded_strings_are_cited_at_their_key() {
        for text in [
            "data:\n  relay: \"receivers:\\n  otlp:\\n\"\n",
            "data:\n  relay: >\n    receivers: {otlp: {}}\n    exporters: {debug: {}}\n",
        ] {
            let (files, id, e) = entry_of(text, "relay");
            let inner = e.value.as_str().unwrap().to_string();
            let at = placement(id, &files.get(id).text, &e, &inner);
            assert_eq!(at, Placement::At(e.key_span), "{text}");
        }
    }
}
