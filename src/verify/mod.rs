//! Holding captured telemetry against the data map: does what arrived on the wire match
//! what the documents say arrives?
//!
//! The data map is derived from the catalogue, and the clients change weekly; a record or
//! attribute a new client version adds is only found by looking at real traffic. `verify`
//! reads what a receiver got (OTLP captures) and reports every record and attribute key
//! that arrived although the map says it never arrives at that destination, and every value
//! that arrived more exposed than the map says (other values where the map says a constant
//! placeholder, values that are not hashes where it says hashed). What the map allows but
//! the captures never showed is reported as information: a capture is one session, the
//! map covers every session.
//!
//! Captured values are never copied into the result: they may be prompts or file contents.
//! Only record names and attribute keys are, as the data map itself names them.

mod compare;
mod observe;
mod report;

pub use compare::{
    Finding, FindingKind, KeyRef, NotSeen, RecordNotSeen, RecordRef, Unnamed, Verification,
    Verifier,
};
pub use report::human;
