//! Policy checks: rules over the data map, the settings, the collector configurations and
//! the project file, each with a stable code (`DP001`…), a default severity and a help
//! text. `otel-dpia check` runs them, applies the project file's `checks:` decisions and
//! prints the findings as text, JSON or SARIF.
//!
//! Rules only read; a finding always points at the input line it is about (the exporter,
//! the setting, the `dpia.yaml` entry), so a privacy officer can defend or fix it there.

pub mod arrivals;
mod context;
mod finding;
mod overrides;
pub mod render;
mod rule;
mod rules;

pub use context::{Context, FlowInfo, StaleDocument};
pub use finding::{Finding, Location, Related, Silenced};
pub use overrides::apply_overrides;
pub use rule::Rule;
pub use rules::{ASSUMPTIONS, RULES, hides_only_a_credential};

use crate::diag::Severity;

/// Runs every rule and returns the findings in a stable order (file, line, code).
pub fn run(ctx: &Context<'_>) -> Vec<Finding> {
    let mut findings: Vec<Finding> = RULES.iter().flat_map(|r| (r.check)(ctx)).collect();
    findings.sort_by_key(Finding::sort_key);
    findings.dedup_by(|a, b| a.sort_key() == b.sort_key());
    findings
}

/// The rule with a code (any case), if there is one.
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code))
}

/// The level at or above which findings fail `check` (exit code 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum FailOn {
    /// Fail on errors.
    #[default]
    Error,
    /// Fail on warnings and errors.
    Warning,
    /// Fail on any finding.
    Info,
    /// Never fail on findings (bad input still exits 2).
    Never,
}

impl FailOn {
    /// True when a finding of this severity fails the check.
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Error => severity >= Severity::Error,
            FailOn::Warning => severity >= Severity::Warning,
            FailOn::Info => true,
            FailOn::Never => false,
        }
    }

    /// The word, as the flag takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            FailOn::Error => "error",
            FailOn::Warning => "warning",
            FailOn::Info => "info",
            FailOn::Never => "never",
        }
    }
}

/// True when any finding that is not silenced fails at this level.
pub fn failed(findings: &[Finding], fail_on: FailOn) -> bool {
    findings
        .iter()
        .any(|f| f.is_active() && fail_on.fails(f.severity))
}
