//! The result of a comparison, as JSON (`diff --format json`) and as the data the
//! Markdown comment is written from. Lists are sorted; nothing depends on the clock.

use serde::Serialize;

use crate::analysis::destination::DestinationKind;
use crate::analysis::shape::AttrState;
use crate::taxonomy::Category;

/// Version of this output format.
pub const SCHEMA_VERSION: u32 = 1;

/// Which way a change goes, for the employees whose data it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Nothing that matters changed.
    Unchanged,
    /// More data, more recipients, longer retention, weaker protection, new purposes.
    Widening,
    /// Only less of those.
    Narrowing,
    /// Some of each.
    Mixed,
    /// Something changed that is neither (a different endpoint, a new transfer mechanism).
    Changed,
}

/// Everything that differs between two deployments, and what follows.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    /// Version of this format.
    pub schema_version: u32,
    /// What was compared from.
    pub base: String,
    /// What was compared to.
    pub head: String,
    /// Which way the change goes overall.
    pub direction: Direction,
    /// Destinations only the head has.
    pub destinations_added: Vec<DestinationSummary>,
    /// Destinations only the base has.
    pub destinations_removed: Vec<DestinationSummary>,
    /// Destinations in both whose endpoint or reach changed.
    pub destinations_changed: Vec<Change>,
    /// Categories that now reach destinations off the device they did not reach before
    /// (as named attributes), with those destinations.
    pub categories_now_leaving: Vec<CategoryFlow>,
    /// Categories that can no longer reach destinations off the device they could reach.
    pub categories_stopped: Vec<CategoryFlow>,
    /// Attributes whose form changed (e.g. hashed → raw).
    pub state_changes: Vec<StateChange>,
    /// Settings of the coding agents that changed.
    pub settings: Vec<Change>,
    /// Facts of the project file that changed.
    pub facts: Vec<Change>,
    /// What the change sets in motion.
    pub consequences: Vec<Consequence>,
    /// When `check` fails on the head for reasons `fix` removes: the command that would.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<FixHint>,
}

/// The way from a failing `check` to a head that meets the policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FixHint {
    /// The failing rules `fix` addresses (`DP002`, `DP014`), each once.
    pub rules: Vec<String>,
    /// The command, with the head's project file and policy.
    pub command: String,
}

/// A destination, briefly.
#[derive(Debug, Clone, Serialize)]
pub struct DestinationSummary {
    /// Destination id.
    pub id: String,
    /// Its kind.
    pub kind: DestinationKind,
    /// Where it sends, if known.
    pub endpoint: Option<String>,
    /// Whether data leaves the device there.
    pub leaves_device: bool,
    /// Categories that may arrive (named attributes and keys of unknown name).
    pub categories: Vec<Category>,
}

/// One category and where it goes.
#[derive(Debug, Clone, Serialize)]
pub struct CategoryFlow {
    /// The category.
    pub category: Category,
    /// The destinations off the device it now reaches (or no longer reaches).
    pub destinations: Vec<String>,
    /// Up to three attributes that carry it (`key` in `record`).
    pub examples: Vec<String>,
    /// Set when, before, it could already arrive under keys of unknown name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
}

/// An attribute whose least protected form changed at a destination.
#[derive(Debug, Clone, Serialize)]
pub struct StateChange {
    /// Destination id.
    pub destination: String,
    /// Attribute key.
    pub key: String,
    /// Its category.
    pub category: Category,
    /// Form before.
    pub from: AttrState,
    /// Form after.
    pub to: AttrState,
    /// True when the value is now less protected.
    pub widening: bool,
}

/// A value that changed.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// What it is about (a destination, a setting, `policy`).
    pub subject: String,
    /// Which value.
    pub field: String,
    /// Before (`null`: not set).
    pub from: Option<String>,
    /// After (`null`: not set).
    pub to: Option<String>,
    /// True: widens; false: narrows; null: neither.
    pub widening: Option<bool>,
    /// Where the new value is written, when it is in a file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

/// One thing the change sets in motion.
#[derive(Debug, Clone, Serialize)]
pub struct Consequence {
    /// Stable id: `notice`, `dpia`, `works_council_nl`, `works_council_de`.
    pub id: String,
    /// Short title.
    pub title: String,
    /// The provision.
    pub law: String,
    /// What to do, in a sentence or two.
    pub text: String,
}
