//! Printing findings: `human` (with the source line), `short` (one line each, for CI logs),
//! `json` (stable, documented fields) and `sarif` (SARIF 2.1.0 for code-scanning tools).
//! Every format is deterministic: findings come sorted, maps are built in a fixed order.

mod fingerprint;
mod human;
mod json;
mod sarif;
mod uri;

pub use fingerprint::fingerprints;
pub use human::{explain, human, list_rules, short};
pub use json::json;
pub use sarif::sarif;
pub use uri::artifact_uri;

use super::{FailOn, Finding};

/// Findings of one run, ready to print.
pub struct Outcome<'a> {
    /// Sorted findings, silenced ones included.
    pub findings: &'a [Finding],
    /// The `--fail-on` level.
    pub fail_on: FailOn,
    /// Whether the run fails (exit code 1).
    pub failed: bool,
}

/// Counts by severity of the findings that are not silenced, and the silenced ones.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Findings rated error.
    pub errors: usize,
    /// Findings rated warning.
    pub warnings: usize,
    /// Findings rated info.
    pub infos: usize,
    /// Findings silenced by the project file.
    pub silenced: usize,
}

impl Summary {
    /// Counts the findings.
    pub fn of(findings: &[Finding]) -> Summary {
        let mut s = Summary::default();
        for f in findings {
            match (&f.silenced, f.severity) {
                (Some(_), _) => s.silenced += 1,
                (None, crate::diag::Severity::Error) => s.errors += 1,
                (None, crate::diag::Severity::Warning) => s.warnings += 1,
                (None, crate::diag::Severity::Info) => s.infos += 1,
            }
        }
        s
    }
}
