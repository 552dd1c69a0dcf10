//! Settings merged from layered files, key by key, for agents configured by files
//! (Codex CLI's TOML layers, Gemini CLI's JSON layers): every leaf value keeps the layer,
//! line and provenance it came from.
//!
//! A layer's mapping merges into what is there key by key; any other value (a string, a
//! list) replaces the whole subtree at its path. Later layers win.

use std::collections::BTreeMap;

use super::effective::{EnvEntry, Gate, Valued};
use super::env::EnvTable;
use super::provenance::{Cite, Provenance, Tier};
use crate::catalogue::Signal;
use crate::catalogue::config::{ConfigTable, LayerSpec};
use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::files::{Files, Span};
use crate::inputs::LayerFile;
use crate::tree::{Node, Value};

/// A leaf value and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Assigned {
    /// The value (a scalar, a list or null).
    pub node: Node,
    /// The key's place.
    pub key_span: Span,
    /// Where it came from.
    pub provenance: Provenance,
    /// The tier of its layer.
    pub tier: Tier,
}

impl Assigned {
    /// The value as text: scalars as written, `true`/`false`, lists and nulls as JSON.
    pub fn text(&self) -> String {
        match &self.node.value {
            Value::Scalar(s) => s.text.clone(),
            _ => self.node.to_json().to_string(),
        }
    }
}

/// The merged settings: dotted path → leaf.
#[derive(Debug, Clone, Default)]
pub struct Merged {
    leaves: BTreeMap<String, Assigned>,
}

impl Merged {
    /// Nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Merges a layer's document. `only`, when given, restricts the layer to these paths
    /// (a constraint layer's pinned keys); `prov` builds the provenance of a leaf.
    pub fn apply(
        &mut self,
        root: &Node,
        tier: Tier,
        only: Option<&[String]>,
        prov: &dyn Fn(&str, Span) -> Provenance,
    ) {
        if let Some(entries) = root.as_map() {
            for e in entries {
                self.apply_entry(&e.key, e.key_span, &e.value, tier, only, prov);
            }
        }
    }

    /// Assigns `value` at `path` (merging a mapping key by key).
    pub fn apply_entry(
        &mut self,
        path: &str,
        key_span: Span,
        value: &Node,
        tier: Tier,
        only: Option<&[String]>,
        prov: &dyn Fn(&str, Span) -> Provenance,
    ) {
        if let Some(only) = only
            && !only.iter().any(|p| within(path, p) || within(p, path))
        {
            return;
        }
        match &value.value {
            Value::Map(entries) => {
                self.leaves.remove(path);
                for e in entries {
                    let child = format!("{path}.{}", e.key);
                    self.apply_entry(&child, e.key_span, &e.value, tier, only, prov);
                }
            }
            _ => {
                if only.is_some_and(|o| !o.iter().any(|p| within(path, p))) {
                    return;
                }
                self.leaves.retain(|k, _| !within(k, path));
                self.leaves.insert(
                    path.to_string(),
                    Assigned {
                        node: value.clone(),
                        key_span,
                        provenance: prov(path, key_span),
                        tier,
                    },
                );
            }
        }
    }

    /// Replaces the value at `path` (an environment override).
    pub fn set(&mut self, path: &str, value: Assigned) {
        self.leaves.retain(|k, _| !within(k, path));
        self.leaves.insert(path.to_string(), value);
    }

    /// The leaf at `path`.
    pub fn get(&self, path: &str) -> Option<&Assigned> {
        self.leaves.get(path)
    }

    /// The leaves under `path` (not `path` itself), with the rest of their path.
    pub fn children<'a>(&'a self, path: &'a str) -> impl Iterator<Item = (&'a str, &'a Assigned)> {
        self.leaves.iter().filter_map(move |(k, v)| {
            k.strip_prefix(path)
                .and_then(|rest| rest.strip_prefix('.'))
                .map(|rest| (rest, v))
        })
    }

    /// Every leaf, sorted by path.
    pub fn leaves(&self) -> impl Iterator<Item = (&str, &Assigned)> {
        self.leaves.iter().map(|(k, v)| (k.as_str(), v))
    }
}

/// True when `path` is `prefix` or lies under it.
pub fn within(path: &str, prefix: &str) -> bool {
    path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// The provenance of a leaf read from a settings file.
pub fn file_provenance(files: &Files, tier: Tier, path: &str, span: Span) -> Provenance {
    Provenance::SettingsFile {
        tier,
        at: Cite::new(files, span),
        key: path.to_string(),
    }
}

/// Checks the layer names given against the agent's, reporting unknown ones with a
/// suggestion, and returns the files in the client's order (lowest first).
pub fn order_layers<'a>(
    table: &'a ConfigTable,
    given: &[LayerFile],
    flag: &str,
    diags: &mut Diagnostics,
) -> Vec<(&'a LayerSpec, LayerFile)> {
    let files: Vec<&str> = table
        .layers
        .iter()
        .filter(|l| l.format != crate::catalogue::config::LayerFormat::Overrides)
        .map(|l| l.id.as_str())
        .collect();
    for g in given {
        if !files.contains(&g.layer.as_str()) {
            diags.push(unknown_layer(g, flag, &files));
        }
    }
    table
        .layers
        .iter()
        .filter_map(|l| {
            let file = given.iter().rev().find(|g| g.layer == l.id)?;
            files.contains(&l.id.as_str()).then(|| (l, file.clone()))
        })
        .collect()
}

fn unknown_layer(g: &LayerFile, flag: &str, known: &[&str]) -> Diagnostic {
    let hint = match did_you_mean(&g.layer, known.iter().copied()) {
        Some(s) => format!("did you mean `{s}`? Layers: {}", known.join(", ")),
        None => format!("the layers are {}", known.join(", ")),
    };
    Diagnostic::new(
        Code::UnknownSettingsLayer,
        format!(
            "`{}` is not a settings layer of this agent (given for {})",
            g.layer,
            g.file.path.display()
        ),
    )
    .at_opt(g.file.named_at)
    .hint(format!("{hint}; write `{flag} LAYER=FILE`"))
}

/// Notes that a trusted-only layer was applied as if the folder were trusted.
pub fn trust_note(layer: &LayerSpec, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::LayerNeedsTrust,
        format!(
            "the {} layer ({}) is read only when the folder is trusted; it is applied here, and the user or the repository can change it",
            layer.id, layer.path
        ),
    )
    .at(at)
}

/// Every key the settings table marks as a gate, read as [`gate`] reads one.
pub fn gates(table: &ConfigTable, merged: &Merged) -> Vec<Gate> {
    table
        .keys
        .iter()
        .filter(|k| k.kind == crate::catalogue::config::KeyKind::Gate)
        .map(|k| gate(table, merged, &k.key))
        .collect()
}

/// A yes/no key's effective reading, as the settings output shows it. `fixed_by_policy`
/// holds only for a value from a policy tier that no environment variable can override.
pub fn gate(table: &ConfigTable, merged: &Merged, path: &str) -> Gate {
    let spec = table.key(path);
    let default = spec.and_then(|k| k.default.clone()).unwrap_or_default();
    let (value, provenance, tier) = match merged.get(path) {
        Some(a) => (a.text(), a.provenance.clone(), Some(a.tier)),
        None => (default.clone(), Provenance::Default, None),
    };
    let overridable = spec.is_some_and(|k| !k.env.is_empty());
    Gate {
        name: path.to_string(),
        enabled: !value.is_empty() && !table.is_falsy(&value),
        value,
        default,
        fixed_by_policy: tier.is_some_and(Tier::is_managed)
            && !overridable
            && !matches!(provenance, Provenance::EnvOverride { .. }),
        provenance,
        meaning: spec.map(|k| k.meaning.clone()).unwrap_or_default(),
    }
}

/// The export interval of a signal: its variable if set to a whole number, else the
/// default.
pub fn interval(table: &ConfigTable, env: &EnvTable, signal: Signal) -> Valued {
    let Some(rule) = table.intervals.iter().find(|r| r.signal == signal) else {
        return Valued {
            value: String::new(),
            provenance: Provenance::Default,
        };
    };
    match rule
        .env
        .as_deref()
        .and_then(|v| env.value(v).map(|x| (v, x)))
    {
        Some((var, v)) if v.parse::<u64>().is_ok() => Valued {
            value: v.to_string(),
            provenance: env.provenance(var),
        },
        _ => Valued {
            value: rule.default.clone(),
            provenance: Provenance::Default,
        },
    }
}

/// The keys in force as output entries: secrets masked (by key name), sorted by path.
pub fn entries(values: &[(String, String, Provenance)]) -> Vec<EnvEntry> {
    let mut table = EnvTable::new();
    for (k, v, p) in values {
        table.set(k, v, p.clone());
    }
    table.entries()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::parse_json;

    fn merged(docs: &[&str]) -> Merged {
        let mut files = Files::new();
        let mut m = Merged::new();
        let mut diags = Diagnostics::new();
        for (i, d) in docs.iter().enumerate() {
            let id = files.add(format!("{i}.json"), *d);
            let root = parse_json(&files, id, &mut diags).unwrap();
            m.apply(&root, Tier::User, None, &|_, _| Provenance::Default);
        }
        m
    }

    #[test]
    fn maps_merge_key_by_key_and_scalars_replace_subtrees() {
        let m = merged(&[
            r#"{"t": {"a": 1, "b": {"x": 1}}}"#,
            r#"{"t": {"b": "none", "c": 3}}"#,
        ]);
        let keys: Vec<&str> = m.leaves().map(|(k, _)| k).collect();
        assert_eq!(keys, ["t.a", "t.b", "t.c"]);
        assert_eq!(m.get("t.b").unwrap().text(), "none");
        let m = merged(&[r#"{"t": {"b": "none"}}"#, r#"{"t": {"b": {"x": 2}}}"#]);
        assert!(m.get("t.b").is_none());
        assert_eq!(m.children("t.b").count(), 1);
    }

    #[test]
    fn a_constraint_layer_touches_only_its_pins() {
        let mut files = Files::new();
        let id = files.add(
            "r.toml",
            r#"{"otel": {"exporter": "none", "environment": "x"}}"#,
        );
        let mut diags = Diagnostics::new();
        let root = parse_json(&files, id, &mut diags).unwrap();
        let mut m = merged(&[r#"{"otel": {"exporter": {"otlp-http": {"endpoint": "e"}}}}"#]);
        let pins = vec!["otel.exporter".to_string()];
        m.apply(&root, Tier::Requirements, Some(&pins), &|_, _| {
            Provenance::Default
        });
        assert_eq!(m.get("otel.exporter").unwrap().text(), "none");
        assert!(m.get("otel.environment").is_none());
        assert_eq!(m.children("otel.exporter").count(), 0);
    }
}
