//! Reading a collector's configuration files: each one YAML document, or a clear error that
//! says what the file is instead.

use super::detect;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::files::{FileId, Files, Span};
use crate::inputs::spec::CollectorSpec;
use crate::tree::{Node, parse_yaml};

/// The parsed document of every file of a collector, in merge order, with their ids.
/// `None` when any file cannot be used; every file is still read so all problems show.
pub fn read_documents(
    files: &mut Files,
    spec: &CollectorSpec,
    diags: &mut Diagnostics,
) -> Option<Vec<(FileId, Node)>> {
    let mut docs = Vec::new();
    let mut usable = true;
    for file in &spec.files {
        let id = match files.read(&file.path, file.named_at) {
            Ok(id) => id,
            Err(d) => {
                diags.push(d);
                usable = false;
                continue;
            }
        };
        match one_document(files, id, diags) {
            Some(doc) => docs.push((id, doc)),
            None => usable = false,
        }
    }
    usable.then_some(docs)
}

/// The one document of a file; a second non-empty document is an error (the collector would
/// silently read only the first, which hides the rest of a manifest).
fn one_document(files: &Files, id: FileId, diags: &mut Diagnostics) -> Option<Node> {
    let Some(mut docs) = parse_yaml(files, id, diags) else {
        if let Some(line) = detect::template_line(&files.get(id).text) {
            diags.push(template_diagnostic(files, id, line));
        }
        return None;
    };
    let extra = docs.iter().skip(1).find(|d| !d.is_null());
    if let Some(second) = extra {
        let mut d = Diagnostic::new(
            Code::MultipleDocuments,
            format!(
                "`{}` holds more than one YAML document; a collector configuration is one document",
                files.get(id).display
            ),
        )
        .at(second.span);
        d = match docs.iter().find_map(detect::find_embedded) {
            Some((path, line)) => d.hint(format!(
                "this looks like a Kubernetes manifest; the collector configuration is at `{path}` (line {line}): save it as its own file and pass that"
            )),
            None => d.hint("pass only the collector configuration, as a file of its own"),
        };
        diags.push(d);
        return None;
    }
    Some(docs.swap_remove(0))
}

fn template_diagnostic(files: &Files, id: FileId, line: u32) -> Diagnostic {
    Diagnostic::new(
        Code::NotCollectorConfig,
        format!(
            "`{}` looks like a Helm or Go template (`{{{{ … }}}}`), not a collector configuration",
            files.get(id).display
        ),
    )
    .at(Span {
        file: id,
        line,
        col: 1,
        len: 1,
    })
    .hint("render it first (for example with `helm template`) and pass the rendered collector configuration")
}

/// The error for a document that has none of the collector's sections.
pub fn not_a_collector(files: &Files, root: &Node) -> Diagnostic {
    let file = &files.get(root.span.file).display;
    let what = match root.as_map() {
        _ if root.is_null() => "is empty".to_string(),
        Some([]) => "is empty".to_string(),
        Some(entries) => format!(
            "has none of the collector's sections ({}); its top-level keys are {}",
            detect::TOP_LEVEL.join(", "),
            entries
                .iter()
                .take(5)
                .map(|e| format!("`{}`", e.key))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => format!(
            "is {}, not a mapping of collector sections",
            root.kind_name()
        ),
    };
    let d = Diagnostic::new(
        Code::NotCollectorConfig,
        format!("`{file}` {what}: it is not a collector configuration"),
    )
    .at(root.span);
    match detect::find_embedded(root) {
        Some((path, line)) => d.hint(format!(
            "a collector configuration is embedded at `{path}` (line {line}): save it as its own file and pass that"
        )),
        None => d.hint("pass the file the collector is started with (`otelcol --config FILE`)"),
    }
}

/// The information for a file that holds component configurations without a section
/// around them (a component's test data): not runnable, nothing flows through it.
pub fn component_fragment(files: &Files, spec: &CollectorSpec, root: &Node) -> Diagnostic {
    let entries = root.as_map().unwrap_or_default();
    let ids: Vec<String> = entries
        .iter()
        .take(3)
        .map(|e| format!("`{}`", e.key))
        .collect();
    let more = if entries.len() > ids.len() {
        ", …"
    } else {
        ""
    };
    Diagnostic::new(
        Code::ConfigFragment,
        format!(
            "collector `{}` ({}) holds {} component configuration(s) ({}{more}) without a `receivers:`/`processors:`/`exporters:` section or a `service` section: it is a fragment, not a runnable collector",
            spec.name,
            files.get(root.span.file).display,
            entries.len(),
            ids.join(", ")
        ),
    )
    .at(root.span)
    .hint("pass the collector configuration that uses these components")
}
