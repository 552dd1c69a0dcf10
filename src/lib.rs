//! otel-dpia: reads the telemetry configuration an employer deploys for AI coding
//! assistants and the OpenTelemetry Collector behind them, and derives from it what data
//! leaves each employee's machine, for a DPIA, an employee notice and a works-council pack.
//!
//! The pipeline: inputs → resolve → analyse → check → render. Each stage is a plain function
//! from data to data; only [`cli`] touches the terminal.

pub mod analysis;
pub mod catalogue;
pub mod checks;
pub mod cli;
pub mod collector;
pub mod diag;
pub mod diff;
pub mod explain;
pub mod files;
pub mod fix;
pub mod inputs;
pub mod limits;
pub mod otlp;
pub mod ottl;
pub mod output;
pub mod project;
pub mod receive;
pub mod render;
pub mod schemas;
pub mod simulate;
pub mod skeleton;
pub mod sources;
pub mod taxonomy;
pub mod tree;
pub mod verify;
