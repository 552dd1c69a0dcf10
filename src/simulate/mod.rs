//! Concrete simulation of collector processors on real OTLP data.
//!
//! `otel-dpia simulate` takes captured telemetry (for example the raw OTLP/JSON a Claude
//! Code session exported) and runs it through a pipeline's processors exactly as the
//! collector would, so a privacy officer can see the records each destination receives.
//! The same engine checks the abstract analysis: both must agree on concrete inputs.
//!
//! Behaviour follows collector-contrib v0.124. Anything not modelled is an error value
//! ([`SimError::NotModelled`]), never a silent identity: the caller must then say that
//! the simulation cannot tell what leaves.

mod attraction;
mod config;
mod error;
mod eval;
mod hash;
mod matching;
pub mod processors;
pub mod route;

pub use error::SimError;
pub use processors::ProcessorType;

use crate::otlp::Telemetry;
use crate::tree::Node;

/// Runs the processors of one pipeline, in order, over one batch of telemetry, and
/// returns what the pipeline's exporters would receive.
///
/// Each processor gets its configuration subtree (the `processors.<id>` value, spans
/// kept). A processor error stops the simulation: [`SimError::Dropped`] when the collector
/// would drop the batch at run time, [`SimError::Config`] when it would refuse to start,
/// [`SimError::NotModelled`] when this engine cannot tell.
pub fn simulate_pipeline(
    processors: &[(ProcessorType, &Node)],
    data: Telemetry,
) -> Result<Telemetry, SimError> {
    processors.iter().try_fold(data, |data, (kind, config)| {
        processors::run(kind, config, data)
    })
}
