//! One file per processor type. Each takes its configuration subtree and a batch and
//! returns the batch the next component receives.

mod attributes;
mod filter;
mod groupbyattrs;
mod logdedup;
mod redaction;
mod resource;
mod transform;

use super::error::SimError;
use crate::otlp::Telemetry;
use crate::tree::Node;

/// The processor types the simulation knows, by their collector type name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProcessorType {
    /// `attributes`.
    Attributes,
    /// `resource`.
    Resource,
    /// `redaction`.
    Redaction,
    /// `transform`.
    Transform,
    /// `filter`.
    Filter,
    /// `groupbyattrs`.
    GroupByAttrs,
    /// `logdedup`.
    LogDedup,
    /// A processor that does not change the data (`batch`, `memory_limiter`, …).
    NoEffect(String),
    /// Any other type: not modelled.
    Other(String),
}

/// Processor types whose effect on the content of the data is nil (they regroup,
/// throttle or only touch metric values and temporality).
const NO_EFFECT: &[&str] = &[
    "batch",
    "memory_limiter",
    "groupbytrace",
    "cumulativetodelta",
    "deltatocumulative",
    "deltatorate",
    "interval",
    "metricstarttime",
];

impl ProcessorType {
    /// The type for a component type name (the part of the ID before `/`).
    pub fn from_type_name(name: &str) -> ProcessorType {
        match name {
            "attributes" => ProcessorType::Attributes,
            "resource" => ProcessorType::Resource,
            "redaction" => ProcessorType::Redaction,
            "transform" => ProcessorType::Transform,
            "filter" => ProcessorType::Filter,
            "groupbyattrs" => ProcessorType::GroupByAttrs,
            "logdedup" => ProcessorType::LogDedup,
            n if NO_EFFECT.contains(&n) => ProcessorType::NoEffect(n.to_string()),
            other => ProcessorType::Other(other.to_string()),
        }
    }

    /// The collector type name.
    pub fn name(&self) -> &str {
        match self {
            ProcessorType::Attributes => "attributes",
            ProcessorType::Resource => "resource",
            ProcessorType::Redaction => "redaction",
            ProcessorType::Transform => "transform",
            ProcessorType::Filter => "filter",
            ProcessorType::GroupByAttrs => "groupbyattrs",
            ProcessorType::LogDedup => "logdedup",
            ProcessorType::NoEffect(n) | ProcessorType::Other(n) => n,
        }
    }
}

/// Runs one processor.
pub(crate) fn run(
    kind: &ProcessorType,
    config: &Node,
    data: Telemetry,
) -> Result<Telemetry, SimError> {
    let name = kind.name();
    let wrap = |e: super::error::ConfigError| e.into_sim(name);
    match kind {
        ProcessorType::Attributes => attributes::run(config, data).map_err(wrap),
        ProcessorType::Resource => resource::run(config, data).map_err(wrap),
        ProcessorType::Redaction => redaction::run(config, data).map_err(wrap),
        ProcessorType::Transform => transform::run(config, data),
        ProcessorType::Filter => filter::run(config, data),
        ProcessorType::GroupByAttrs => groupbyattrs::run(config, data).map_err(wrap),
        ProcessorType::LogDedup => logdedup::run(config, data),
        ProcessorType::NoEffect(_) => Ok(data),
        ProcessorType::Other(n) => Err(SimError::NotModelled {
            processor: n.clone(),
            reason: format!("processor type `{n}` is not modelled"),
            span: Some(config.span),
        }),
    }
}
