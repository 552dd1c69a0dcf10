//! Where a manifest writes its collector configuration as lines the fix can edit: a
//! ConfigMap's literal block (`relay: |`) whose lines the file confirms, or an operator
//! resource's `spec.config` mapping in block style. Either is the configuration at the
//! left margin, indented by a fixed number of spaces; the fix edits it there and indents it
//! back, so every other byte of the manifest stays as written.
//!
//! Helm values and templates are not regions: values merge over the chart's defaults (a
//! pipeline's list would replace the chart's), and a template's text is not the
//! configuration the collector reads.

use super::{embedded, helm_template, k8s};
use crate::diag::Diagnostics;
use crate::files::Files;
use crate::tree::{Placement, parse_yaml};

/// A configuration written as a block of lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// The 1-based line of the block's first line.
    pub first: usize,
    /// How many lines it spans.
    pub count: usize,
    /// Spaces before each line.
    pub indent: usize,
    /// The configuration, at the left margin.
    pub text: String,
}

impl Region {
    /// The file `whole` with this region replaced by `config` (at the left margin),
    /// indented as the region is.
    pub fn replace(&self, whole: &str, config: &str) -> String {
        let lines: Vec<&str> = whole.split_inclusive('\n').collect();
        let pad = " ".repeat(self.indent);
        let mut out: String = lines[..self.first - 1].concat();
        for line in config.split_inclusive('\n') {
            if line.trim().is_empty() {
                out.push_str(if line.ends_with('\n') { "\n" } else { "" });
            } else {
                out.push_str(&pad);
                out.push_str(line);
            }
        }
        if !config.ends_with('\n') && self.first - 1 + self.count < lines.len() {
            out.push('\n');
        }
        out.push_str(&lines[(self.first - 1 + self.count).min(lines.len())..].concat());
        out
    }
}

/// The region of the configuration `choice` names in manifest `text`, or of its only one;
/// `None` for anything else (not a manifest, a template, a folded or quoted string, a
/// flow-style mapping).
pub fn editable(text: &str, choice: Option<&str>) -> Option<Region> {
    if helm_template::has_actions(text) {
        return None;
    }
    let mut files = Files::new();
    let id = files.add("manifest.yaml", text);
    let mut diags = Diagnostics::new();
    let docs = parse_yaml(&files, id, &mut diags)?;
    let objects = k8s::objects(&docs);
    let candidates = k8s::candidates(&objects);
    let show = |s: &str| s.to_string();
    let chosen = k8s::choose(&candidates, choice, "", &show, Files::whole(id)).ok()??;
    let lines: Vec<&str> = text.split('\n').collect();
    match chosen.source {
        k8s::Source::Text(entry) => {
            let config = entry.value.as_str()?;
            let Placement::Offset { line, col, .. } = embedded::placement(id, text, entry, config)
            else {
                return None;
            };
            let count = config.trim_end_matches('\n').split('\n').count();
            Some(Region {
                first: line as usize + 1,
                count,
                indent: col as usize,
                text: config.to_string(),
            })
        }
        k8s::Source::Tree(node) => {
            let first_key = node.as_map()?.first()?;
            let first = first_key.key_span.line as usize;
            let indent = first_key.key_span.col as usize - 1;
            // Block style only: the mapping starts on its own line after `config:`.
            if indent == 0 || first < 2 || !lines[first - 2].trim_end().ends_with(':') {
                return None;
            }
            let mut count = 0;
            for l in &lines[first - 1..] {
                let blank = l.trim().is_empty();
                let inside = l.len() - l.trim_start_matches(' ').len() >= indent;
                if !blank && !inside {
                    break;
                }
                count += 1;
            }
            while count > 0 && lines[first - 2 + count].trim().is_empty() {
                count -= 1;
            }
            let text: String = lines[first - 1..first - 1 + count]
                .iter()
                .map(|l| format!("{}\n", l.get(indent..).unwrap_or("")))
                .collect();
            Some(Region {
                first,
                count,
                indent,
                text,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIGMAP: &str = "\
apiVersion: v1
kind: ConfigMap
metadata:
  name: otel-gateway # the gateway
data:
  relay: |
    receivers:
      otlp: {}
    # kept
    exporters:
      debug: {}
    service:
      pipelines:
        logs: {receivers: [otlp], exporters: [debug]}
  other: plain
";

    #[test]
    fn a_configmap_block_is_edited_in_place() {
        let r = editable(CONFIGMAP, None).unwrap();
        assert_eq!((r.first, r.count, r.indent), (7, 8, 4));
        assert!(r.text.starts_with("receivers:\n  otlp: {}\n# kept\n"));
        let edited = r.text.replace("debug: {}", "debug:\n    verbosity: basic");
        let whole = r.replace(CONFIGMAP, &edited);
        assert!(
            whole.contains("      debug:\n        verbosity: basic\n"),
            "{whole}"
        );
        assert!(whole.starts_with(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: otel-gateway # the gateway\n"
        ));
        assert!(whole.ends_with("  other: plain\n"), "{whole}");
        // The edited block is again a literal block the reader maps line by line.
        assert_eq!(editable(&whole, None).unwrap().text, edited);
    }

    #[test]
    fn an_operator_resource_in_block_style_is_a_region() {
        let cr = "\
apiVersion: opentelemetry.io/v1beta1
kind: OpenTelemetryCollector
metadata:
  name: gw
spec:
  mode: deployment
  config:
    receivers:
      otlp: {}
    exporters:
      debug: {}
    service:
      pipelines:
        logs: {receivers: [otlp], exporters: [debug]}
  replicas: 2
";
        let r = editable(cr, None).unwrap();
        assert_eq!((r.first, r.count, r.indent), (8, 7, 4));
        assert_eq!(r.replace(cr, &r.text), cr);
    }

    #[test]
    fn templates_and_plain_files_are_not_regions() {
        assert!(editable("receivers:\n  otlp: {}\n", None).is_none());
        let t = CONFIGMAP.replace("otel-gateway", "{{ .Release.Name }}");
        assert!(editable(&t, None).is_none());
    }
}
