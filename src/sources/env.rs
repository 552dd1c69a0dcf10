//! The environment a client ends up with, built layer by layer the way the client does it
//! (`Object.assign` of each settings layer over the process environment), keeping every
//! value each variable had so output can say what overrode what.
//!
//! Raw values live only here, inside the resolver; [`EnvTable::entries`] masks secrets
//! before anything leaves.

use std::collections::BTreeMap;

use super::effective::{DroppedEnv, EnvEntry, Valued};
use super::provenance::Provenance;
use super::secret;

/// One value a variable was given, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvValue {
    /// The raw value (may be a secret: never output as is).
    pub value: String,
    /// Where it was given.
    pub provenance: Provenance,
}

/// The layered environment.
#[derive(Debug, Clone, Default)]
pub struct EnvTable {
    vars: BTreeMap<String, Vec<EnvValue>>,
    dropped: Vec<DroppedEnv>,
}

impl EnvTable {
    /// An empty environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a variable over whatever it was.
    pub fn set(&mut self, key: &str, value: &str, provenance: Provenance) {
        self.vars
            .entry(key.to_string())
            .or_default()
            .push(EnvValue {
                value: value.to_string(),
                provenance,
            });
    }

    /// The effective value of a variable.
    pub fn get(&self, key: &str) -> Option<&EnvValue> {
        self.vars.get(key).and_then(|h| h.last())
    }

    /// The effective raw value, trimmed; `None` when unset or empty (the client treats an
    /// empty variable as unset).
    pub fn value(&self, key: &str) -> Option<&str> {
        self.get(key)
            .map(|v| v.value.trim())
            .filter(|v| !v.is_empty())
    }

    /// Where the effective value came from (default when unset).
    pub fn provenance(&self, key: &str) -> Provenance {
        self.get(key)
            .map_or(Provenance::Default, |v| v.provenance.clone())
    }

    /// Every variable name, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.vars.keys().map(String::as_str)
    }

    /// Removes a variable (all its values), recording why and because of what.
    pub fn drop_var(&mut self, key: &str, reason: String, by: Provenance) -> Option<EnvValue> {
        let last = self.vars.remove(key)?.pop()?;
        self.dropped.push(DroppedEnv {
            key: key.to_string(),
            value: secret::shown_value(key, &last.value),
            provenance: last.provenance.clone(),
            reason,
            dropped_by: by,
        });
        Some(last)
    }

    /// The environment as it may be output: sorted, secrets masked.
    pub fn entries(&self) -> Vec<EnvEntry> {
        self.vars
            .iter()
            .filter_map(|(key, history)| {
                let (last, earlier) = history.split_last()?;
                Some(EnvEntry {
                    key: key.clone(),
                    value: secret::shown_value(key, &last.value),
                    secret: secret::is_secret(key, &last.value),
                    provenance: last.provenance.clone(),
                    overrode: earlier
                        .iter()
                        .map(|v| Valued {
                            value: secret::shown_value(key, &v.value),
                            provenance: v.provenance.clone(),
                        })
                        .collect(),
                })
            })
            .collect()
    }

    /// The dropped variables, sorted by key.
    pub fn dropped(&self) -> Vec<DroppedEnv> {
        let mut out = self.dropped.clone();
        out.sort_by(|a, b| a.key.cmp(&b.key));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_layers_win_and_history_is_kept_masked() {
        let mut env = EnvTable::new();
        env.set("OTEL_EXPORTER_OTLP_HEADERS", "a=1", Provenance::Default);
        env.set("OTEL_EXPORTER_OTLP_HEADERS", "a=2", Provenance::Default);
        env.set("X", " ", Provenance::Default);
        assert_eq!(env.value("OTEL_EXPORTER_OTLP_HEADERS"), Some("a=2"));
        assert_eq!(env.value("X"), None);
        let entries = env.entries();
        assert_eq!(entries[0].value, "****");
        assert_eq!(entries[0].overrode[0].value, "****");
        assert!(entries[0].secret);
    }
}
