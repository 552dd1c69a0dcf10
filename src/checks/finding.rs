//! A finding: one instance of a rule in one deployment, with where it is and what to do.
//!
//! Locations are kept as display path, line and column (the form every output needs) plus
//! the span when the file is in the store, so the human output can quote the line.

use serde::Serialize;

use super::Rule;
use crate::diag::Severity;
use crate::files::{Files, Span};

/// A place in an input file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// The file as named in the inputs (never made absolute).
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub col: u32,
    /// The span, when the file is in the store (for quoting the line).
    pub span: Option<Span>,
}

impl Location {
    /// The location of a span.
    pub fn of(files: &Files, span: Span) -> Location {
        Location {
            file: files.get(span.file).display.clone(),
            line: span.line,
            col: span.col,
            span: Some(span),
        }
    }

    /// `path:line`.
    pub fn cite(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }
}

/// Another place that explains a finding (the setting that turned data on, the policy line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// Where.
    pub location: Location,
    /// What it has to do with the finding.
    pub message: String,
}

/// A project-file decision that silenced a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Silenced {
    /// The reason given in `checks:`.
    pub reason: String,
}

/// One finding.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The rule.
    pub rule: &'static Rule,
    /// Effective severity (default, or as the project file sets it).
    pub severity: Severity,
    /// What is wrong, naming the destination, category or setting.
    pub message: String,
    /// The line to look at; `None` only when no input file says anything about it.
    pub location: Option<Location>,
    /// Further lines that explain it.
    pub related: Vec<Related>,
    /// What to do.
    pub hint: Option<String>,
    /// What the finding is about, independent of line numbers (e.g. `destination=otlphttp/x`):
    /// with the rule and the file it makes the fingerprint that survives edits elsewhere.
    pub key: String,
    /// The location holds a secret: outputs must not quote its line.
    pub secret: bool,
    /// Set when the project file silenced the rule.
    pub silenced: Option<Silenced>,
    /// Where the project file changed the severity or silenced the rule.
    pub decided_at: Option<Location>,
}

impl Finding {
    /// A finding with the rule's default severity and no location yet.
    pub fn new(rule: &'static Rule, message: String, key: String) -> Finding {
        Finding {
            rule,
            severity: rule.default_severity,
            message,
            location: None,
            related: Vec::new(),
            hint: None,
            key,
            secret: false,
            silenced: None,
            decided_at: None,
        }
    }

    /// Points the finding at a place.
    pub fn at(mut self, location: Option<Location>) -> Self {
        self.location = location;
        self
    }

    /// Adds the sentence that says what to do.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds places that explain the finding (duplicates and the primary place are skipped).
    pub fn related(mut self, more: impl IntoIterator<Item = Related>) -> Self {
        for r in more {
            let same_as_primary = self.location.as_ref() == Some(&r.location);
            if !same_as_primary && !self.related.iter().any(|x| x.location == r.location) {
                self.related.push(r);
            }
        }
        self
    }

    /// Marks the location as holding a secret.
    pub fn secret(mut self) -> Self {
        self.secret = true;
        self
    }

    /// True when the finding counts towards `--fail-on`.
    pub fn is_active(&self) -> bool {
        self.silenced.is_none()
    }

    /// The sort key that makes output order independent of rule order: file, line, code.
    pub fn sort_key(&self) -> (Option<(String, u32, u32)>, &'static str, String, String) {
        (
            self.location
                .as_ref()
                .map(|l| (l.file.clone(), l.line, l.col)),
            self.rule.code,
            self.key.clone(),
            self.message.clone(),
        )
    }
}
