//! One Claude Code settings document (managed file, drop-in, MDM payload or user
//! settings): read, checked, and cleaned so later stages can trust its shape.
//!
//! Checks: the top level is an object; `env` is an object of strings (a number or a
//! boolean is an error with a hint to quote it, since the client would not apply it as
//! written); the header-helper key is a string; unknown top-level keys get a warning with
//! a suggestion. Invalid `env` entries are left out of the cleaned document.

use std::path::Path;

use crate::catalogue::SettingsTable;
use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::files::{FileId, Files, Span};
use crate::sources::provenance::Tier;
use crate::sources::secret;
use crate::tree::{Node, Value, parse_json};

/// A checked settings document.
#[derive(Debug, Clone)]
pub struct SettingsDoc {
    /// Its tier.
    pub tier: Tier,
    /// The file it was read from.
    pub file: FileId,
    /// The cleaned top-level object.
    pub root: Node,
}

impl SettingsDoc {
    /// True when the document sets nothing (the client then looks at the next tier).
    pub fn is_empty(&self) -> bool {
        self.root.as_map().is_none_or(<[_]>::is_empty)
    }
}

/// Reads and checks a JSON settings file.
pub fn read_json(
    files: &mut Files,
    path: &Path,
    named_at: Option<Span>,
    tier: Tier,
    table: &SettingsTable,
    diags: &mut Diagnostics,
) -> Option<SettingsDoc> {
    let file = files.read(path, named_at).map_err(|d| diags.push(d)).ok()?;
    let before = diags.len();
    let Some(root) = parse_json(files, file, diags) else {
        if let Some(span) = diags.iter().skip(before).find_map(|d| d.span) {
            secret::mark_line_if_secret_looking(files, span);
        }
        return None;
    };
    let root = check(files, root, table, false, diags)?;
    Some(SettingsDoc { tier, file, root })
}

/// Checks a settings object and returns it cleaned. `profile` skips the `Payload…` keys a
/// configuration profile carries next to the settings.
pub fn check(
    files: &mut Files,
    mut root: Node,
    table: &SettingsTable,
    profile: bool,
    diags: &mut Diagnostics,
) -> Option<Node> {
    let Value::Map(entries) = &mut root.value else {
        diags.push(
            Diagnostic::new(
                Code::SettingsWrongType,
                format!("a settings file holds one object, but this is {}", root.kind_name()),
            )
            .at(root.span)
            .hint("write the settings as a JSON object, e.g. {\"env\": {\"CLAUDE_CODE_ENABLE_TELEMETRY\": \"1\"}}"),
        );
        return None;
    };
    for entry in entries.iter_mut() {
        if profile && entry.key.starts_with("Payload") {
            continue;
        }
        if !table.file_keys.contains(&entry.key) {
            diags.push(unknown_key(&entry.key, entry.key_span, table));
        }
        if entry.key == "env" {
            check_env(files, &mut entry.value, diags);
        } else if table.file_roles.dynamic_headers.as_deref() == Some(entry.key.as_str())
            && !is_string(&entry.value)
        {
            diags.push(wrong_type(
                &entry.key,
                &entry.value,
                "a string (the path of a script)",
            ));
        }
    }
    entries.retain(|e| e.key != "env" || e.value.as_map().is_some());
    Some(root)
}

fn unknown_key(key: &str, span: Span, table: &SettingsTable) -> Diagnostic {
    let known = table.file_keys.iter().map(String::as_str);
    let hint = match did_you_mean(key, known) {
        Some(s) => format!("did you mean `{s}`? Unknown keys are ignored by Claude Code"),
        None => {
            "Claude Code ignores keys it does not know; check the spelling or remove it".to_string()
        }
    };
    Diagnostic::new(
        Code::SettingsUnknownKey,
        format!("`{key}` is not a Claude Code settings key"),
    )
    .at(span)
    .hint(hint)
}

/// `env` must be an object of strings; keeps only the string entries.
fn check_env(files: &mut Files, env: &mut Node, diags: &mut Diagnostics) {
    let Value::Map(vars) = &mut env.value else {
        diags.push(wrong_type("env", env, "an object of NAME: \"value\" pairs"));
        return;
    };
    for var in vars.iter() {
        let value = var.value.as_str().unwrap_or_default();
        if secret::is_secret(&var.key, value) {
            files.mark_secret(var.value.span);
        }
    }
    vars.retain(|var| {
        if is_string(&var.value) {
            return true;
        }
        let path = format!("env.{}", var.key);
        let mut d = wrong_type(&path, &var.value, "a string");
        if let Value::Scalar(s) = &var.value.value {
            let shown = if secret::is_secret_key(&var.key) {
                secret::MASK
            } else {
                &s.text
            };
            d = d.hint(format!(
                "quote it: \"{}\": \"{shown}\" (environment values are strings)",
                var.key
            ));
        }
        diags.push(d);
        false
    });
}

fn is_string(node: &Node) -> bool {
    matches!(&node.value, Value::Scalar(s) if s.quoted)
}

fn wrong_type(path: &str, node: &Node, expected: &str) -> Diagnostic {
    let found = match &node.value {
        Value::Scalar(s) if matches!(s.text.as_str(), "true" | "false") => "a boolean",
        Value::Scalar(_) => "a number",
        _ => node.kind_name(),
    };
    Diagnostic::new(
        Code::SettingsWrongType,
        format!("`{path}` must be {expected}, but it is {found}"),
    )
    .at(node.span)
    .hint(format!("write `{path}` as {expected}"))
}
