//! What a rule is: a stable code, a name, what it means, how bad it is by default, and the
//! function that finds it. Codes never change meaning once released: CI filters, SARIF
//! dismissals and `checks:` entries in project files refer to them.

use super::{Context, Finding};
use crate::diag::Severity;

/// One policy rule of `otel-dpia check`.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Stable code, e.g. `DP001`.
    pub code: &'static str,
    /// Short kebab-case name, e.g. `content-leaves-device`.
    pub name: &'static str,
    /// One line: what a finding of this rule means (shown by `check --explain` and in SARIF).
    pub summary: &'static str,
    /// Why it matters and what to do, in a few sentences (SARIF help, `--explain`).
    pub help: &'static str,
    /// Severity unless the project file's `checks:` section changes it.
    pub default_severity: Severity,
    /// Finds every instance in one deployment.
    pub check: fn(&Context<'_>) -> Vec<Finding>,
}

impl Rule {
    /// A finding of this rule with its default severity.
    pub fn finding(&'static self, message: impl Into<String>, key: impl Into<String>) -> Finding {
        Finding::new(self, message.into(), key.into())
    }
}
