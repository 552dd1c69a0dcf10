//! The `OpenTelemetryCollector` resource of the OpenTelemetry Operator: the operator writes
//! `spec.config` into the collector's configuration as it is. In `v1beta1` the
//! configuration is a mapping; in `v1alpha1` it is a string (usually a literal block). The
//! resource's `spec.env` and `spec.envFrom` are the collector's environment.

use super::k8s::{Candidate, Object, Source, env_lists};
use crate::collector::env::Environment;
use crate::tree::Value;

/// The resource's `kind`.
pub const KIND: &str = "OpenTelemetryCollector";

/// The configuration of one resource, if it has a `spec.config`.
pub fn candidate(o: Object<'_>) -> Option<Candidate<'_>> {
    let entry = o.node.get("spec")?.entry("config")?;
    let source = match &entry.value.value {
        Value::Scalar(_) => Source::Text(entry),
        Value::Map(_) => Source::Tree(&entry.value),
        _ => return None,
    };
    Some(Candidate {
        object: o,
        key: None,
        source,
        at: entry.key_span,
    })
}

/// The environment `spec.env` / `spec.envFrom` give the collector.
pub fn environment(o: &Object<'_>) -> Environment {
    let mut env = Environment::default();
    if let Some(spec) = o.node.get("spec") {
        let owner = format!("{KIND} `{}`", o.name.unwrap_or("(unnamed)"));
        env_lists(spec, &owner, &mut env);
    }
    env
}
