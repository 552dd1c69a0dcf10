//! Diagnostics are data: a stable code, a severity, a message, where it happened and a hint.
//!
//! Every stage of the pipeline returns its problems as [`Diagnostic`] values instead of
//! printing them, so that the command-line edge can render them once, in the format the
//! user asked for (human, short, json), and decide the exit code from their severities.

mod code;
mod render;
mod suggest;

pub use code::Code;
pub use render::{Format, JsonDiagnostic, JsonLabel, render};
pub use suggest::did_you_mean;

use serde::Serialize;

use crate::files::Span;

/// How bad a problem is. The exit code follows the worst severity of bad-input problems.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; nothing is wrong.
    Info,
    /// The result may not be what the user meant, or the analysis had to assume the worst.
    Warning,
    /// The input cannot be used as it is.
    Error,
}

impl Severity {
    /// The lower-case word used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One problem found in the inputs, with everything needed to show and fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The stable code; its default severity and description live with it.
    pub code: Code,
    /// Usually the code's default severity; some codes are raised or lowered by context.
    pub severity: Severity,
    /// What is wrong, in one sentence, naming the offending value.
    pub message: String,
    /// Where it is, if the problem sits in a file.
    pub span: Option<Span>,
    /// What to do about it (including "did you mean" suggestions).
    pub hint: Option<String>,
    /// Other places that explain the problem, each with what it is (e.g. where a component
    /// that a pipeline misuses is defined). Every printer shows them after the main place.
    pub related: Vec<Label>,
}

/// A secondary place of a diagnostic and what it has to do with the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What is there, e.g. "the connector is defined here".
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity and no location yet.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.default_severity(),
            message: message.into(),
            span: None,
            hint: None,
            related: Vec::new(),
        }
    }

    /// Points the diagnostic at a place in a file.
    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    /// Points the diagnostic at a place, if one is known.
    pub fn at_opt(mut self, span: Option<Span>) -> Self {
        self.span = span;
        self
    }

    /// Adds the sentence that tells the user what to change.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a secondary place that explains the problem (skipped when it is the main place
    /// or already given).
    pub fn label(mut self, span: Span, message: impl Into<String>) -> Self {
        if self.span != Some(span) && !self.related.iter().any(|l| l.span == span) {
            self.related.push(Label {
                span,
                message: message.into(),
            });
        }
        self
    }

    /// Overrides the code's default severity.
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// True for problems that make the input unusable (exit code 2).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The problems gathered while one command runs. Stages push and go on, so that the user
/// sees every problem in one run instead of one per run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Records several problems.
    pub fn extend(&mut self, more: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(more);
    }

    /// True when any problem makes the inputs unusable.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// The problems in the order they were found.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.items.iter()
    }

    /// The number of problems.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The problems, sorted by file, line and code so that output is deterministic
    /// whatever order the stages ran in; exact duplicates are dropped.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            let key = |d: &Diagnostic| d.span.map(|s| (s.file, s.line, s.col));
            key(a)
                .cmp(&key(b))
                .then(a.code.as_str().cmp(b.code.as_str()))
                .then(a.message.cmp(&b.message))
        });
        self.items.dedup();
        self.items
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}
