//! `explain`: what this machine's coding agents send, told to the employee in plain words.
//!
//! Three steps, each its own module: [`discover`] finds the settings files the agents read
//! on a machine (in its OS [`layout`], under a root folder) and the telemetry-relevant
//! part of the [`environment`], giving the input spec every command uses; the ordinary
//! analysis turns it into the data map; [`view`] reads from that data map, through the
//! notice's own view model, what is sent and who decides; [`text`] words it in the
//! employee's language.

pub mod discover;
pub mod environment;
pub mod layout;
pub mod text;
pub mod view;

pub use discover::{Agent, Discovery, Machine, discover};
pub use layout::{Os, Root};
pub use text::{Lang, render};
pub use view::{Explained, explain};
