//! What one `${scheme:opaque}` reference yields: a value, "unknown" (not an error: the
//! analysis assumes the worst), or an error.
//!
//! `env` values come from the collector's environment as given in the inputs; `file` reads a
//! file relative to the configuration file that names it; `yaml` is inline YAML. Every other
//! scheme (`http`, `https`, `s3`, `secretsmanager`, `aes`, …) is resolved by the running
//! collector and cannot be known here.

use std::path::Path;

use super::scan::{self, Reference};
use crate::collector::env::{Environment, Lookup};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::files::{Files, Span};
use crate::tree::{Node, Value, parse_yaml};

/// The result of resolving one reference.
pub enum Outcome {
    /// A value, typed as YAML.
    Value(Node),
    /// No value can be known statically.
    Unresolved(Unresolved),
    /// The reference is wrong; the diagnostic says why.
    Error(Diagnostic),
}

/// Why a reference has no static value, and what the user can do about it.
pub struct Unresolved {
    /// For the unknown value, e.g. "${env:HOST} unset".
    pub reason: String,
    /// The cause, for the warning's message.
    pub cause: String,
    /// What to do.
    pub hint: String,
    /// True when the deployment sets the value when the collector runs: nothing the user
    /// forgot, so the note is information, not a warning.
    pub at_runtime: bool,
}

/// Resolves a reference written at `span`.
pub fn resolve(
    reference: &Reference,
    span: Span,
    env: &Environment,
    files: &mut Files,
    diags: &mut Diagnostics,
) -> Outcome {
    match reference.scheme.as_str() {
        "env" => env_value(&reference.opaque, span, env),
        "file" => file_value(&reference.opaque, span, files, diags),
        "yaml" if !reference.opaque.contains("::") => Outcome::Value(yaml_value(&reference.opaque, span)),
        scheme => Outcome::Unresolved(Unresolved {
            reason: format!("${{{scheme}:…}} is resolved only when the collector runs"),
            cause: format!(
                "a `${{{scheme}:…}}` reference is resolved only by the running collector"
            ),
            hint: "if the value matters (an endpoint, a pipeline list), write it into the configuration or use `${env:…}` with a value given to otel-dpia".into(),
            at_runtime: false,
        }),
    }
}

fn env_value(opaque: &str, span: Span, env: &Environment) -> Outcome {
    let (name, default) = match scan::env_parts(opaque) {
        Ok(parts) => parts,
        Err(msg) => {
            return Outcome::Error(
                Diagnostic::new(Code::InvalidReference, msg)
                    .at(span)
                    .hint("write `${env:NAME}` or `${env:NAME:-default}`"),
            );
        }
    };
    match (env.lookup(name), default) {
        (Lookup::Value(text), _) | (Lookup::Unset, Some(text)) => {
            Outcome::Value(yaml_value(text, span))
        }
        (Lookup::Runtime(from), _) => Outcome::Unresolved(Unresolved {
            reason: format!("${{env:{name}}} set when the collector runs"),
            cause: format!(
                "environment variable `{name}` is set by the deployment from {from} when the collector runs"
            ),
            hint: format!(
                "to analyse a particular value, give it with `--collector-env {name}=…` or under `env:` of this collector in dpia.yaml"
            ),
            at_runtime: true,
        }),
        (Lookup::Unset, None) => Outcome::Unresolved(Unresolved {
            reason: format!("${{env:{name}}} unset"),
            cause: format!("environment variable `{name}` has no value in the inputs"),
            hint: format!(
                "give it with `--collector-env {name}=…` or under `env:` of this collector in dpia.yaml"
            ),
            at_runtime: false,
        }),
    }
}

fn file_value(opaque: &str, span: Span, files: &mut Files, diags: &mut Diagnostics) -> Outcome {
    let base = files
        .get(span.file)
        .path
        .parent()
        .unwrap_or(Path::new(""))
        .to_path_buf();
    let path = base.join(opaque);
    let id = match files.read(&path, Some(span)) {
        Ok(id) => id,
        // Past a limit or not a file: that code, which says what to change.
        Err(d) if matches!(d.code, Code::InputTooLarge | Code::NotAFile) => {
            let hint = d.hint.clone().unwrap_or_default();
            return Outcome::Error(
                Diagnostic::new(d.code, format!("`${{file:{opaque}}}`: {}", d.message))
                    .at(span)
                    .hint(hint),
            );
        }
        Err(d) => {
            return Outcome::Error(
                Diagnostic::new(
                    Code::FileReferenceMissing,
                    format!("`${{file:{opaque}}}` cannot be read: {}", d.message),
                )
                .at(span)
                .hint("the path is relative to the folder of the configuration file that names it; check it, or pass the file next to the configuration"),
            );
        }
    };
    match parse_yaml(files, id, diags) {
        Some(mut docs) => Outcome::Value(docs.swap_remove(0)),
        // The syntax error is already reported, at its line in the included file.
        None => Outcome::Value(Node::new(
            Value::Unknown(format!("${{file:{opaque}}} is not valid YAML")),
            span,
        )),
    }
}

/// Types a retrieved text as YAML, as the collector does: `[a,b]` becomes a list, `8080` a
/// number, text that is not valid YAML stays a string. Every node points at the reference.
pub fn yaml_value(text: &str, span: Span) -> Node {
    let mut scratch = Files::new();
    let id = scratch.add("value", text);
    let mut ignored = Diagnostics::new();
    let parsed =
        parse_yaml(&scratch, id, &mut ignored).filter(|docs| docs.len() == 1 && ignored.is_empty());
    match parsed {
        Some(mut docs) => respan(docs.swap_remove(0), span),
        None => Node::new(
            Value::Scalar(crate::tree::Scalar {
                text: text.to_string(),
                quoted: true,
            }),
            span,
        ),
    }
}

fn respan(node: Node, span: Span) -> Node {
    let value = match node.value {
        Value::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|mut e| {
                    e.key_span = span;
                    e.value = respan(e.value, span);
                    e
                })
                .collect(),
        ),
        Value::Seq(items) => Value::Seq(items.into_iter().map(|n| respan(n, span)).collect()),
        other => other,
    };
    Node::new(value, span)
}
