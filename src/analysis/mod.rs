//! Analysis: from the effective settings and the catalogue to what leaves the machine.
//!
//! This first part answers "what does the client emit?": [`emit::client_emits`] turns a
//! catalogue, a client version and an effective-environment lookup into [`RecordShape`]s
//! per signal. Later stages follow those shapes through collectors to destinations.

pub mod destination;
pub mod emit;
pub mod endpoint;
pub mod env;
pub mod flow;
pub mod gate;
pub mod gather;
pub mod map;
pub mod openness;
pub mod processors;
pub mod reach;
pub mod run;
pub mod settings_link;
pub mod shape;
pub mod signals;
pub mod walk;

pub use emit::{Emission, client_emits};
pub use env::{EnvLookup, EnvValue, MapEnv};
pub use shape::{
    AttrShape, AttrState, DestinationShape, Evidence, Outcome, RecordShape, UnknownKeys, Withheld,
};
pub use signals::{ExportedSignals, SignalExport, exported_signals};
