//! Reading `dpia.yaml` into a [`Project`], keeping the tree so later stages can cite lines.

use std::path::{Path, PathBuf};

use super::Project;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::files::{FileId, Files, Span};
use crate::tree::{Node, parse_yaml};

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
    /// The span of the value at a path of keys (e.g. `["organisation", "name"]`), or of the
    /// deepest part of it that exists.
    pub fn span_of(&self, path: &[&str]) -> Span {
        let mut node = &self.node;
        let mut span = node.span;
        for key in path {
            match node.entry(key) {
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
    let mut docs = parse_yaml(files, file, diags)?;
    let node = docs.swap_remove(0);
    let project = match serde_json::from_value::<Project>(node.to_json()) {
        Ok(p) => p,
        Err(err) => {
            diags.push(Diagnostic::new(Code::ProjectWrongType, err.to_string()).at(node.span));
            return None;
        }
    };
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    Some(LoadedProject {
        project,
        node,
        file,
        dir,
    })
}
