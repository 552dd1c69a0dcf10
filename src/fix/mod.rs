//! `otel-dpia fix`: the configuration changes after which the data map satisfies a policy
//! at every telemetry destination, made as edits of the original files.
//!
//! The plan is read from the analysis itself ([`plan()`], [`mod@plan`]): the destinations off the device
//! where the policy does not hold, what reaches them, which settings let it through. Two
//! kinds of change follow: each agent's winning settings layer pins its gates (`agents`,
//! [`pins`], [`settings_edit`], [`codex_edit`]), and every collector that exports to such a
//! destination gets one `transform` processor (`collectors`, [`processor`],
//! [`collector_edit`]). Edits keep every byte they do not change ([`text_edit`]). Whether
//! the result holds is not assumed: the caller analyses the changed files again, and
//! [`effect`] and [`summary`] say what changed.

/// The `check` rules whose findings `fix` removes by configuration: a category beyond the
/// policy (DP002) and a content gate the managed settings leave open (DP014). `diff` names
/// the `fix` command when the head of a change has one of them.
pub const ADDRESSES: &[&str] = &["DP002", "DP014"];

mod agents;
pub mod codex_edit;
pub mod collector_edit;
mod collectors;
pub mod effect;
pub mod gateway;
pub mod pins;
pub mod plan;
pub mod processor;
pub mod settings_edit;
pub mod summary;
pub mod text_edit;

use std::path::PathBuf;

use crate::analysis::run::Analysis;
use crate::checks::Context;
use crate::inputs::InputSpec;
use crate::project::PolicyLevel;

/// One input file the fix changes.
#[derive(Debug, Clone)]
pub struct FileChange {
    /// Where it is read from.
    pub path: PathBuf,
    /// The text before.
    pub before: String,
    /// The text after.
    pub after: String,
}

/// What the fix does and what it cannot do.
#[derive(Debug, Default)]
pub struct FixPlan {
    /// The changed files, in input order.
    pub changes: Vec<FileChange>,
    /// One line per change: what it does and why.
    pub done: Vec<String>,
    /// One line per destination that configuration cannot fix, with the reason.
    pub cannot: Vec<String>,
}

/// The policy's word in `dpia.yaml`.
pub fn policy_word(p: PolicyLevel) -> &'static str {
    match p {
        PolicyLevel::MetadataOnly => "metadata_only",
        PolicyLevel::Identifiers => "identifiers",
        PolicyLevel::Content => "content",
    }
}

/// Plans the changes for one analysed deployment.
pub fn plan(
    spec: &InputSpec,
    analysis: &Analysis,
    ctx: &Context<'_>,
    policy: PolicyLevel,
) -> FixPlan {
    let mut out = FixPlan::default();
    let flows: Vec<String> = plan::breaches(ctx, policy)
        .iter()
        .filter(|b| ctx.is_vendor_flow(b.destination))
        .flat_map(|b| b.destination.records.iter().map(|r| r.name.clone()))
        .collect();
    agents::claude_code(spec, analysis, policy, &flows, &mut out);
    agents::codex(spec, analysis, policy, &mut out);
    agents::gemini(spec, analysis, policy, &mut out);
    collectors::collectors(spec, ctx, policy, &mut out);
    out
}

/// The collector planner alone, for a deployment the fix has already changed (the
/// `--gateway` collector gets its processor this way).
pub fn add_collector_processors(
    spec: &InputSpec,
    ctx: &Context<'_>,
    policy: PolicyLevel,
    out: &mut FixPlan,
) {
    collectors::collectors(spec, ctx, policy, out);
    let mut seen = std::collections::HashSet::new();
    out.cannot.retain(|c| seen.insert(c.clone()));
}

pub(crate) fn read(path: &std::path::Path, out: &FixPlan) -> Option<String> {
    if let Some(c) = out.changes.iter().find(|c| c.path == path) {
        return Some(c.after.clone());
    }
    std::fs::read_to_string(path).ok()
}

pub(crate) fn record(out: &mut FixPlan, path: PathBuf, before: String, after: String) {
    if before == after {
        return;
    }
    if let Some(c) = out.changes.iter_mut().find(|c| c.path == path) {
        c.after = after;
    } else {
        out.changes.push(FileChange {
            path,
            before,
            after,
        });
    }
}

/// A file's base name, for messages without machine paths.
pub fn base_name(path: &std::path::Path) -> String {
    path.file_name()
        .map_or_else(|| "input".to_string(), |n| n.to_string_lossy().into_owned())
}
