//! The effective environment as the analysis sees it: a lookup from a setting's name to
//! its value and where that value came from.
//!
//! The settings resolver implements [`EnvLookup`] over the merged managed, user and process
//! settings; tests and the `catalogue` command use [`MapEnv`].

use std::collections::BTreeMap;

use crate::files::Span;

/// A setting's effective value and its provenance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvValue {
    /// The value as the client reads it.
    pub value: String,
    /// Where it was set, as documents cite it: `managed-settings.json:7 env.OTEL_LOG_USER_PROMPTS`.
    pub provenance: String,
    /// The place in an input file, when there is one.
    pub span: Option<Span>,
}

/// Looks up a setting of the effective environment; `None` when it is not set anywhere.
pub trait EnvLookup {
    /// The effective value of `key`.
    fn get(&self, key: &str) -> Option<EnvValue>;
}

/// An [`EnvLookup`] over a plain map.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MapEnv {
    vars: BTreeMap<String, EnvValue>,
}

impl MapEnv {
    /// An empty environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a variable; a later call for the same key wins, like a later settings layer.
    pub fn set(
        &mut self,
        key: impl Into<String>,
        value: impl Into<String>,
        provenance: impl Into<String>,
    ) {
        let value = EnvValue {
            value: value.into(),
            provenance: provenance.into(),
            span: None,
        };
        self.vars.insert(key.into(), value);
    }

    /// Builds an environment from `(key, value)` pairs with one provenance text.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
        provenance: &str,
    ) -> Self {
        let mut env = MapEnv::new();
        for (k, v) in pairs {
            env.set(k, v, provenance);
        }
        env
    }
}

impl EnvLookup for MapEnv {
    fn get(&self, key: &str) -> Option<EnvValue> {
        self.vars.get(key).cloned()
    }
}
