//! Reading Codex CLI's layers into one [`Merged`] view: the TOML files in the client's
//! order, the `-c` overrides at their place between the user's files and
//! `managed_config.toml`, and last the `[otel]` pins of `requirements.toml`.

use crate::catalogue::config::{ConfigTable, LayerFormat, LayerSpec};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::files::Files;
use crate::inputs::{ConfigOverride, InputSpec};
use crate::sources::layered::{self, Merged, file_provenance};
use crate::sources::provenance::{Cite, Provenance, Tier};
use crate::tree::{Entry, Node, Value, parse_toml, parse_toml_value};

/// The merged configuration and the highest policy tier given.
pub struct Read {
    /// Every leaf in force.
    pub merged: Merged,
    /// `managed_config.toml` or `requirements.toml`, when one was given.
    pub policy_tier: Option<Tier>,
}

/// Reads every layer given.
pub fn read(
    table: &ConfigTable,
    spec: &InputSpec,
    files: &mut Files,
    diags: &mut Diagnostics,
) -> Read {
    let given = layered::order_layers(table, &spec.codex_config, "--codex-config", diags);
    let mut merged = Merged::new();
    let mut policy_tier = None;
    for layer in &table.layers {
        if layer.format == LayerFormat::Overrides {
            apply_overrides(&spec.codex_flags, layer.tier, files, &mut merged, diags);
            continue;
        }
        let Some((_, file)) = given.iter().find(|(l, _)| l.id == layer.id) else {
            continue;
        };
        let id = match files.read(&file.file.path, file.file.named_at) {
            Ok(id) => id,
            Err(d) => {
                diags.push(d.hint(format!(
                    "give the {} ({}) as a readable file",
                    layer.meaning, layer.path
                )));
                continue;
            }
        };
        let Some(root) = parse_toml(files, id, diags) else {
            continue;
        };
        hide_header_values(&root, files);
        check_types(&root, diags);
        if layer.trusted_only {
            diags.push(layered::trust_note(layer, Files::whole(id)));
        }
        if layer.tier.is_managed() {
            policy_tier = Some(layer.tier);
        }
        apply_file(layer, &root, files, &mut merged, diags);
    }
    Read {
        merged,
        policy_tier,
    }
}

fn apply_file(
    layer: &LayerSpec,
    root: &Node,
    files: &Files,
    merged: &mut Merged,
    diags: &mut Diagnostics,
) {
    let prov = |path: &str, span| file_provenance(files, layer.tier, path, span);
    if layer.pins.is_empty() {
        merged.apply(root, layer.tier, None, &prov);
        return;
    }
    merged.apply(root, layer.tier, Some(&layer.pins), &prov);
    for pin in &layer.pins {
        if let Some(a) = merged.get(pin).filter(|a| a.tier == layer.tier) {
            diags.push(pinned(pin, a.key_span, layer));
        } else if let Some((_, a)) = merged.children(pin).find(|(_, a)| a.tier == layer.tier) {
            diags.push(pinned(pin, a.key_span, layer));
        }
    }
}

fn pinned(pin: &str, at: crate::files::Span, layer: &LayerSpec) -> Diagnostic {
    Diagnostic::new(
        Code::PinnedByRequirements,
        format!(
            "`{pin}` is pinned by {}: no other layer can change it",
            layer.path
        ),
    )
    .at(at)
}

/// `-c key=value` overrides, in order: each value parsed as TOML (else a string), put at
/// its dotted path.
fn apply_overrides(
    given: &[ConfigOverride],
    tier: Tier,
    files: &mut Files,
    merged: &mut Merged,
    diags: &mut Diagnostics,
) {
    for o in given {
        let Some((key, value)) = o.raw.split_once('=').map(|(k, v)| (k.trim(), v.trim())) else {
            diags.push(bad_override(o));
            continue;
        };
        if key.is_empty()
            || key
                .split('.')
                .any(|p| p.is_empty() || p.contains(char::is_whitespace))
        {
            diags.push(bad_override(o));
            continue;
        }
        let id = files.add(format!("-c {key}"), value.to_string());
        let node = parse_toml_value(files, id);
        let at = o.named_at.map(|s| Cite::new(files, s));
        let prov = |path: &str, _| Provenance::CommandLine {
            key: path.to_string(),
            at: at.clone(),
        };
        let span = o.named_at.unwrap_or(node.span);
        merged.apply_entry(key, span, &node, tier, None, &prov);
    }
}

fn bad_override(o: &ConfigOverride) -> Diagnostic {
    Diagnostic::new(
        Code::OverrideSyntax,
        format!("`{}` is not a `-c` override of the form KEY=VALUE", o.raw),
    )
    .at_opt(o.named_at)
    .hint("write a dotted key and a TOML value, e.g. `otel.log_user_prompt=false` or `otel.exporter=\"none\"`")
}

/// Header values are credentials: they never reach an output, not even in a quoted line.
fn hide_header_values(node: &Node, files: &mut Files) {
    let Some(entries) = node.as_map() else {
        return;
    };
    for e in entries {
        if e.key == "headers"
            && let Some(headers) = e.value.as_map()
        {
            for h in headers {
                files.mark_secret(h.value.span);
            }
        }
        hide_header_values(&e.value, files);
    }
}

/// The `[otel]` keys whose type the client checks: switches are booleans, exporters a
/// string or a table.
fn check_types(root: &Node, diags: &mut Diagnostics) {
    let Some(otel) = root.get("otel").and_then(Node::as_map) else {
        if let Some(e) = root.entry("otel") {
            diags.push(wrong_type(e, "a table (`[otel]`)"));
        }
        return;
    };
    for e in otel {
        let ok = match e.key.as_str() {
            k if k.starts_with("log_") => is_bool(&e.value),
            "exporter" | "trace_exporter" | "metrics_exporter" => {
                matches!(e.value.value, Value::Map(_)) || quoted(&e.value)
            }
            "environment" => quoted(&e.value),
            _ => true,
        };
        if !ok {
            let want = if e.key.starts_with("log_") {
                "true or false"
            } else if e.key == "environment" {
                "a string"
            } else {
                "\"none\", \"statsig\" or a table such as { otlp-http = { endpoint = \"…\" } }"
            };
            diags.push(wrong_type(e, want));
        }
    }
}

fn is_bool(n: &Node) -> bool {
    matches!(&n.value, Value::Scalar(s) if !s.quoted && (s.text == "true" || s.text == "false"))
}

fn quoted(n: &Node) -> bool {
    matches!(&n.value, Value::Scalar(s) if s.quoted)
}

fn wrong_type(e: &Entry, want: &str) -> Diagnostic {
    Diagnostic::new(
        Code::SettingsWrongType,
        format!(
            "`otel.{}` must be {want}; Codex refuses to start with this file",
            e.key
        ),
    )
    .at(e.value.span)
    .hint(format!("write {want}"))
}
