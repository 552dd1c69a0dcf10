//! Commands planned but not built yet: they say so and exit 2.

use super::Report;
use crate::diag::{Code, Diagnostic};

/// Accepts any arguments, so that scripts written for the finished command fail clearly.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Arguments for the finished command.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    pub rest: Vec<String>,
}

/// Reports that the command is not available yet.
pub fn run(name: &str) -> Report {
    let mut report = Report::default();
    report.diagnostics.push(
        Diagnostic::new(
            Code::Usage,
            format!("`otel-dpia {name}` is not yet available in this version"),
        )
        .hint(
            "`otel-dpia settings`, `graph`, `analyze`, `check`, `diff`, `simulate`, `catalogue`, `schema` and `init` work today; see `otel-dpia --help`",
        ),
    );
    report
}
