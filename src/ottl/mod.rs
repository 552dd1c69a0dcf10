//! OTTL, the OpenTelemetry Transformation Language used by the transform, filter,
//! routing and logdedup components: lexer, parser, syntax tree and context resolution.
//!
//! The tree ([`ast`]) is plain data so that both the concrete evaluator (`simulate`) and
//! an abstract interpreter can walk it. Nothing here evaluates anything.

pub mod ast;
mod context;
mod groups;
mod lexer;
mod parser;
mod patterns;

pub use ast::*;
pub use context::{Context, Signal, resolve_group};
pub use groups::{ErrorMode, GroupError, StatementGroup, parse_conditions, parse_statement_groups};
pub use parser::{parse_condition, parse_statement, parse_value};
pub use patterns::{condition_patterns, statement_patterns};

/// A syntax error in an OTTL statement, with the 1-based column where it was found, or a
/// statement past a limit of this reader ([`crate::limits::MAX_OTTL_LEN`],
/// [`crate::limits::MAX_OTTL_DEPTH`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    /// 1-based column (in characters) within the statement text.
    pub col: usize,
    /// What is wrong.
    pub message: String,
    /// True when the statement may be valid but is past a limit.
    pub limit: bool,
}

impl ParseError {
    /// An error at a column.
    pub fn new(col: usize, message: impl Into<String>) -> Self {
        ParseError {
            col,
            message: message.into(),
            limit: false,
        }
    }

    /// A limit passed at a column.
    pub fn limit(col: usize, message: impl Into<String>) -> Self {
        ParseError {
            limit: true,
            ..ParseError::new(col, message)
        }
    }
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "column {}: {}", self.col, self.message)
    }
}

impl std::error::Error for ParseError {}

#[cfg(test)]
mod tests;
