//! Reading `dpia.yaml` into a [`Project`], keeping the tree so later stages can cite lines.
//!
//! Order: parse the YAML into a tree with spans, walk it against the schema and run the
//! semantic rules (collecting every problem), and only when nothing is wrong deserialise
//! the typed [`Project`] with `serde_norway`, the project's YAML library of record.

use std::path::{Path, PathBuf};

use std::sync::LazyLock;

use regex::Regex;

use super::{Project, rules, validate};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::files::{FileId, Files, Span};
use crate::tree::{Node, Value, parse_yaml};

/// A double-quoted string inside a serde error message.
static QUOTED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#""[^"]*""#).expect("a valid regex"));

/// A project file that was read and validated.
#[derive(Debug, Clone)]
pub struct LoadedProject {
    /// The typed content.
    pub project: Project,
    /// The document tree, for citing where a fact is written.
    pub node: Node,
    /// The file.
    pub file: FileId,
    /// The folder the file is in; relative input paths start here.
    pub dir: PathBuf,
}

impl LoadedProject {
    /// The span of the value at a path (e.g. `["organisation", "name"]`), or of the deepest
    /// part of it that exists. A step that is a number selects a list entry
    /// (`["purposes", "0", "legal_basis"]`); in a mapping it is a key like any other.
    pub fn span_of(&self, path: &[&str]) -> Span {
        let mut node = &self.node;
        let mut span = node.span;
        for step in path {
            if let (Value::Seq(items), Ok(i)) = (&node.value, step.parse::<usize>()) {
                match items.get(i) {
                    Some(item) => {
                        span = item.span;
                        node = item;
                        continue;
                    }
                    None => break,
                }
            }
            match node.entry(step) {
                Some(e) => {
                    span = e.key_span;
                    node = &e.value;
                }
                None => break,
            }
        }
        span
    }
}

/// Reads and validates a project file. Every problem is pushed to `diags`; `None` when the
/// file cannot be used.
pub fn load(files: &mut Files, path: &Path, diags: &mut Diagnostics) -> Option<LoadedProject> {
    let file = match files.read(path, None) {
        Ok(id) => id,
        Err(d) => {
            diags.push(
                d.hint("give the path of your dpia.yaml, or run `otel-dpia init` to write one"),
            );
            return None;
        }
    };
    let node = check_tree(files, file, diags)?;
    let project = deserialize(files, file, diags)?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    Some(LoadedProject {
        project,
        node,
        file,
        dir,
    })
}

/// Parses the file and reports every structural and semantic problem; the tree comes back
/// only when there are none.
fn check_tree(files: &Files, file: FileId, diags: &mut Diagnostics) -> Option<Node> {
    let mut found = Diagnostics::new();
    let Some(mut docs) = parse_yaml(files, file, &mut found) else {
        diags.extend(found);
        return None;
    };
    if let Some(second) = docs.get(1) {
        found.push(
            Diagnostic::new(
                Code::MultipleDocuments,
                "the project file holds more than one YAML document",
            )
            .at(second.span)
            .hint("keep one document: remove the `---` line and what follows, or merge the two"),
        );
    }
    let node = docs.swap_remove(0);
    if node.is_null() {
        found.push(
            Diagnostic::new(Code::ProjectMissingKey, "the project file is empty")
                .at(Files::whole(file))
                .hint("start it with `schema_version: 1`, or run `otel-dpia init` to write one"),
        );
    } else {
        validate::validate(&node, &mut found);
        rules::check(&node, &mut found);
    }
    let ok = !found.has_errors();
    diags.extend(found);
    ok.then_some(node)
}

/// The typed project, read by `serde_norway` from the file text. After the checks above
/// this should not fail; if it does, the error is still reported at its line.
fn deserialize(files: &Files, file: FileId, diags: &mut Diagnostics) -> Option<Project> {
    match serde_norway::from_str::<Project>(&files.get(file).text) {
        Ok(project) => Some(project),
        Err(err) => {
            let span = err.location().map_or(Files::whole(file), |loc| Span {
                file,
                line: u32::try_from(loc.line()).unwrap_or(u32::MAX),
                col: u32::try_from(loc.column()).unwrap_or(u32::MAX),
                len: 1,
            });
            let text = err.to_string();
            let message = err
                .location()
                .and_then(|loc| {
                    let suffix = format!(" at line {} column {}", loc.line(), loc.column());
                    text.strip_suffix(&suffix).map(str::to_string)
                })
                .unwrap_or_else(|| text.clone());
            // serde quotes offending values; a value may be a secret, so none is shown.
            let message = QUOTED.replace_all(&message, "\"…\"");
            diags.push(
                Diagnostic::new(
                    Code::ProjectInvalid,
                    format!("the project file cannot be read: {message}"),
                )
                .at(span)
                .hint("write the value out in full here (YAML merge keys `<<` and tags are not supported in dpia.yaml)"),
            );
            None
        }
    }
}
