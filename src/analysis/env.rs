//! The effective environment as the analysis sees it: a lookup from a setting's name to
//! its value, where that value came from, and whether the employer has pinned it.
//!
//! The settings resolver implements [`EnvLookup`] over the merged managed, user and process
//! settings; tests and the `catalogue` command use [`MapEnv`].
//!
//! A value is *pinned* when it comes from a tier no lower settings file can override
//! (managed settings, Codex `requirements.toml`). Anything else (a default, the process
//! environment, the user's or a repository's settings file) can be changed on the
//! employee's machine, so the analysis must not rely on it to keep data back.

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
    /// True when no settings file below the employer's managed tier can change it.
    pub pinned: bool,
}

/// Looks up a setting of the effective environment; `None` when it is not set anywhere.
pub trait EnvLookup {
    /// The effective value of `key`.
    fn get(&self, key: &str) -> Option<EnvValue>;

    /// True when the inputs are every settings file the client reads (a lab machine, a
    /// capture): then nothing unset can be set elsewhere and every value counts as pinned.
    fn complete(&self) -> bool;

    /// True when `key`'s value (or its absence) cannot be changed below the managed tier.
    fn pinned(&self, key: &str) -> bool {
        match self.get(key) {
            Some(v) => v.pinned,
            None => self.complete(),
        }
    }
}

/// An [`EnvLookup`] over a plain map: a complete environment, as the `catalogue` command
/// evaluates a hypothetical one, unless [`MapEnv::open`] says lower layers may exist.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MapEnv {
    vars: BTreeMap<String, EnvValue>,
    open: bool,
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
        let pinned = !self.open;
        self.insert(key.into(), value.into(), provenance.into(), pinned);
    }

    fn insert(&mut self, key: String, value: String, provenance: String, pinned: bool) {
        let value = EnvValue {
            value,
            provenance,
            span: None,
            pinned,
        };
        self.vars.insert(key, value);
    }

    /// Makes the environment one that lower settings layers can change: values set from
    /// now on, and everything unset, count as not pinned.
    pub fn open(mut self) -> Self {
        self.open = true;
        self
    }

    /// Sets a variable as managed settings would: pinned.
    pub fn pin(
        &mut self,
        key: impl Into<String>,
        value: impl Into<String>,
        provenance: impl Into<String>,
    ) {
        self.insert(key.into(), value.into(), provenance.into(), true);
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

    fn complete(&self) -> bool {
        !self.open
    }
}
