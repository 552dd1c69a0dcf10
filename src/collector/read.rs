//! Reading a collector's configuration files: each one YAML document, the configuration
//! inside a deployed form ([`super::deployed`]), or a clear error that says what the file
//! is instead.

use super::deployed::{self, Conditions, Recognised};
use super::detect;
use super::env::Environment;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::files::{FileId, Files, Span};
use crate::inputs::spec::CollectorSpec;
use crate::tree::{Node, parse_yaml};

/// One configuration file of a collector, read.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file.
    pub file: FileId,
    /// Its configuration (for a deployed form, the part that is the configuration).
    pub root: Node,
    /// What the deployment around it sets in the collector's environment.
    pub env: Environment,
    /// The template conditions it is written under (templates only).
    pub conditions: Conditions,
}

/// The parsed document of every file of a collector, in merge order. `None` when any file
/// cannot be used; every file is still read so all problems show.
pub fn read_documents(
    files: &mut Files,
    spec: &CollectorSpec,
    diags: &mut Diagnostics,
) -> Option<Vec<Document>> {
    let mut docs = Vec::new();
    let mut usable = true;
    for file in &spec.files {
        let (path, choice) = deployed::split_choice(&file.path);
        let id = match files.read(&path, file.named_at) {
            Ok(id) => id,
            Err(d) => {
                diags.push(d);
                usable = false;
                continue;
            }
        };
        match one_document(files, id, choice.as_deref(), &spec.name, diags) {
            Some(doc) => docs.push(doc),
            None => usable = false,
        }
    }
    usable.then_some(docs)
}

/// The one configuration of a file: the file itself when it is one YAML document, or the
/// configuration inside a deployed form (a manifest, chart values, a template). A second
/// non-empty document of anything else is an error (the collector would silently read only
/// the first, which hides the rest).
fn one_document(
    files: &mut Files,
    id: FileId,
    choice: Option<&str>,
    collector: &str,
    diags: &mut Diagnostics,
) -> Option<Document> {
    let mut scratch = Diagnostics::new();
    let parsed = parse_yaml(files, id, &mut scratch);
    // `{{ x }}` can parse as YAML (a mapping used as a key), which the reader rejects: a
    // template then, not a configuration with errors.
    let yaml = parsed.as_deref().filter(|_| {
        !(scratch.has_errors() && detect::template_line(&files.get(id).text).is_some())
    });
    match deployed::recognise(files, id, yaml, choice, collector, diags) {
        Recognised::Config(d) => {
            return Some(Document {
                file: id,
                root: d.root,
                env: d.env,
                conditions: d.conditions,
            });
        }
        Recognised::Failed => return None,
        Recognised::No => {}
    }
    diags.extend(scratch);
    let Some(mut docs) = parsed else {
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
                "the collector configuration seems to be at `{path}` (line {line}), in a form otel-dpia does not read: save it as its own file and pass that"
            )),
            None => d.hint("pass only the collector configuration, as a file of its own"),
        };
        diags.push(d);
        return None;
    }
    Some(Document {
        file: id,
        root: docs.swap_remove(0),
        env: Environment::default(),
        conditions: Conditions::default(),
    })
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
    .hint("it holds no ConfigMap or OpenTelemetryCollector with a collector configuration that can be read without rendering: render it first (for example with `helm template`) and pass the rendered collector configuration")
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
            "a collector configuration seems to be embedded at `{path}` (line {line}), in a form otel-dpia does not read (it reads ConfigMaps, OpenTelemetryCollector resources and values of the opentelemetry-collector chart): save it as its own file and pass that"
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
