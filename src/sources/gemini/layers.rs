//! Reading Gemini CLI's layers into one [`Merged`] view: the JSON settings files in the
//! client's order, the cached account, then the environment variables that beat every
//! file.

use crate::catalogue::config::ConfigTable;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::files::Files;
use crate::inputs::InputSpec;
use crate::sources::env::EnvTable;
use crate::sources::layered::{self, Assigned, Merged, file_provenance};
use crate::sources::provenance::{Provenance, Tier};
use crate::tree::{Node, Value, parse_json};

/// The merged settings and the highest policy tier given.
pub struct Read {
    /// Every leaf in force.
    pub merged: Merged,
    /// The system settings file, when given.
    pub policy_tier: Option<Tier>,
}

/// Reads every layer given, then applies the environment.
pub fn read(
    table: &ConfigTable,
    spec: &InputSpec,
    env: &EnvTable,
    files: &mut Files,
    diags: &mut Diagnostics,
) -> Read {
    let given = layered::order_layers(table, &spec.gemini_settings, "--gemini-settings", diags);
    let mut merged = Merged::new();
    let mut policy_tier = None;
    for (layer, file) in &given {
        let Some(root) = read_json(files, &file.file, &layer.meaning, diags) else {
            continue;
        };
        check_types(table, &root, diags);
        if layer.trusted_only {
            diags.push(layered::trust_note(layer, root.span));
        }
        if layer.tier.is_managed() {
            policy_tier = Some(layer.tier);
        }
        let prov = |path: &str, span| file_provenance(files, layer.tier, path, span);
        merged.apply(&root, layer.tier, None, &prov);
    }
    if let Some(path) = &spec.gemini_accounts {
        accounts(files, path, &mut merged, diags);
    }
    apply_env(table, env, files, &mut merged, diags);
    Read {
        merged,
        policy_tier,
    }
}

fn read_json(
    files: &mut Files,
    path: &crate::inputs::PathRef,
    what: &str,
    diags: &mut Diagnostics,
) -> Option<Node> {
    let id = match files.read(&path.path, path.named_at) {
        Ok(id) => id,
        Err(d) => {
            diags.push(d.hint(format!("give {what} as a readable file")));
            return None;
        }
    };
    let root = parse_json(files, id, diags)?;
    if root.as_map().is_none() {
        diags.push(
            Diagnostic::new(
                Code::SettingsWrongType,
                "a settings file must hold one JSON object",
            )
            .at(root.span)
            .hint("write the settings as {\"telemetry\": {…}}"),
        );
        return None;
    }
    Some(root)
}

/// Booleans must be JSON booleans and strings strings: the client's schema rejects others.
fn check_types(table: &ConfigTable, root: &Node, diags: &mut Diagnostics) {
    for k in &table.keys {
        let mut node = Some(root);
        let mut entry = None;
        for part in k.key.split('.') {
            entry = node.and_then(|n| n.entry(part));
            node = entry.map(|e| &e.value);
        }
        let (Some(e), Some(default)) = (entry, k.default.as_deref()) else {
            continue;
        };
        let boolean = default == "true" || default == "false";
        let ok = match &e.value.value {
            Value::Scalar(s) if boolean => !s.quoted && (s.text == "true" || s.text == "false"),
            Value::Scalar(s) => s.quoted,
            Value::Null => true,
            _ => false,
        };
        if !ok {
            let want = if boolean { "true or false" } else { "a string" };
            diags.push(
                Diagnostic::new(
                    Code::SettingsWrongType,
                    format!(
                        "`{}` must be {want}; Gemini CLI rejects this settings file",
                        k.key
                    ),
                )
                .at(e.value.span)
                .hint(format!("write {want}")),
            );
        }
    }
}

/// `google_accounts.json`: an `active` account puts its e-mail address on the telemetry.
/// The address itself is never kept, only that there is one.
fn accounts(
    files: &mut Files,
    path: &crate::inputs::PathRef,
    merged: &mut Merged,
    diags: &mut Diagnostics,
) {
    let Some(root) = read_json(files, path, "the cached-accounts file", diags) else {
        return;
    };
    let Some(e) = root
        .entry("active")
        .filter(|e| e.value.as_str().is_some_and(|s| !s.is_empty()))
    else {
        return;
    };
    files.mark_secret(e.value.span);
    diags.push(
        Diagnostic::new(
            Code::CachedAccount,
            "a Google account is signed in: its e-mail address goes on every event and metric point (user.email) and identifies the usage statistics",
        )
        .at(e.key_span),
    );
    let node = Node::new(
        Value::Scalar(crate::tree::Scalar {
            text: "true".to_string(),
            quoted: false,
        }),
        e.value.span,
    );
    merged.set(
        "google_accounts.active",
        Assigned {
            node,
            key_span: e.key_span,
            provenance: file_provenance(files, Tier::User, "active", e.key_span),
            tier: Tier::User,
        },
    );
}

/// The variables listed with a key beat every file (the first set one wins). A boolean
/// variable reads `true`/`1` as on and anything else as off.
fn apply_env(
    table: &ConfigTable,
    env: &EnvTable,
    files: &mut Files,
    merged: &mut Merged,
    diags: &mut Diagnostics,
) {
    for k in &table.keys {
        let Some((var, raw)) = k.env.iter().find_map(|v| env.value(v).map(|x| (v, x))) else {
            continue;
        };
        let boolean = matches!(k.default.as_deref(), Some("true" | "false"));
        let text = if boolean {
            table.is_truthy(raw).to_string()
        } else {
            raw.to_string()
        };
        let from = env.provenance(var);
        let (via, at) = match &from {
            Provenance::ProcessEnv { via, at } => (*via, at.clone()),
            _ => (crate::sources::provenance::EnvVia::Flag, None),
        };
        let provenance = Provenance::EnvOverride {
            var: var.clone(),
            via,
            at,
        };
        if let Some(old) = merged.get(&k.key).filter(|a| a.tier.is_managed())
            && old.text() != text
        {
            diags.push(
                Diagnostic::new(
                    Code::EnvOverridesPolicy,
                    format!(
                        "`{var}` overrides `{}` of the system settings ({}); the employee's environment decides it",
                        k.key, old.provenance
                    ),
                )
                .at_opt(provenance.span().or(Some(old.key_span)))
                .hint("a policy that must hold cannot rely on the system settings file alone: control the environment the CLI starts with too"),
            );
        }
        let span = provenance
            .span()
            .unwrap_or_else(|| Files::whole(files.add(format!("--env {var}"), String::new())));
        merged.set(
            &k.key,
            Assigned {
                node: Node::new(
                    Value::Scalar(crate::tree::Scalar {
                        text,
                        quoted: !boolean,
                    }),
                    span,
                ),
                key_span: span,
                provenance,
                tier: Tier::User,
            },
        );
    }
}
