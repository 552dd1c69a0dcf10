//! `diff`: what changes between two deployments (two project files, or one project file at
//! two commits), and what that change sets in motion for the employer: re-issuing the
//! notice, reviewing the DPIA, asking the works council.
//!
//! The comparison is of data maps and project-file facts, never of raw text, so moving a
//! line or renaming a comment changes nothing, while a setting that starts sending prompts
//! shows up as the categories it makes leave and the destinations they reach.

mod compare;
mod consequences;
pub mod git;
mod markdown;
mod model;
mod settings;

pub use compare::{Side, compare};
pub use markdown::markdown;
pub use model::*;
