//! Statement lists as the transform processor configures them: flat strings (v0.120+,
//! context inferred per statement) or groups `{context, conditions, statements,
//! error_mode}`. Parsed once, with contexts resolved, so every consumer sees the same
//! statements the collector would run.

use super::ast::{BoolExpr, Statement};
use super::context::{Context, Signal, resolve_group};
use super::{ParseError, parse_condition, parse_statement};
use crate::files::Span;
use crate::tree::{Node, Value};

/// What happens when a statement fails on an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorMode {
    /// The processor returns the error and the whole batch is dropped (the default).
    Propagate,
    /// The failing statement is skipped for that item (logged).
    Ignore,
    /// As ignore, without logging.
    Silent,
}

impl ErrorMode {
    /// Reads `error_mode`.
    pub fn from_node(node: &Node) -> Result<ErrorMode, GroupError> {
        match node.as_str().map(str::to_ascii_lowercase).as_deref() {
            Some("propagate") => Ok(ErrorMode::Propagate),
            Some("ignore") => Ok(ErrorMode::Ignore),
            Some("silent") => Ok(ErrorMode::Silent),
            _ => Err(GroupError::new(
                node.span,
                "`error_mode` must be `propagate`, `ignore` or `silent`",
            )),
        }
    }
}

/// A configuration problem in a statement list, with where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupError {
    /// Where the offending value is written.
    pub span: Span,
    /// What is wrong (for OTTL syntax errors: the column within the statement).
    pub message: String,
    /// True when a statement is past a limit of this reader rather than wrong.
    pub limit: bool,
}

impl GroupError {
    fn new(span: Span, message: impl Into<String>) -> Self {
        GroupError {
            span,
            message: message.into(),
            limit: false,
        }
    }

    fn ottl(span: Span, text: &str, err: &ParseError) -> Self {
        if err.limit {
            return GroupError {
                limit: true,
                ..GroupError::new(span, format!("OTTL not read: {}", err.message))
            };
        }
        GroupError::new(span, format!("invalid OTTL `{text}`: {err}"))
    }
}

/// One group of statements sharing a context, conditions and error mode.
#[derive(Debug, Clone, PartialEq)]
pub struct StatementGroup {
    /// The context every statement runs in (given or inferred).
    pub context: Context,
    /// Group conditions, ORed: the statements run only for items where one is true.
    pub conditions: Vec<BoolExpr>,
    /// The statements, in order, with every path's context filled in.
    pub statements: Vec<Statement>,
    /// Where each statement is written (same order as `statements`), for evidence.
    pub statement_spans: Vec<Span>,
    /// The group's own `error_mode`, overriding the processor's.
    pub error_mode: Option<ErrorMode>,
    /// Where the group is written.
    pub span: Span,
}

/// Parses a `*_statements` list for a signal.
pub fn parse_statement_groups(
    list: &Node,
    signal: Signal,
) -> Result<Vec<StatementGroup>, GroupError> {
    match &list.value {
        Value::Null => Ok(Vec::new()),
        Value::Seq(items) => items.iter().map(|item| parse_group(item, signal)).collect(),
        Value::Unknown(why) => Err(GroupError::new(
            list.span,
            format!("the statements are not known: {why}"),
        )),
        _ => Err(GroupError::new(list.span, "statements must be a list")),
    }
}

fn parse_group(item: &Node, signal: Signal) -> Result<StatementGroup, GroupError> {
    match &item.value {
        Value::Scalar(s) => {
            let statement =
                parse_statement(&s.text).map_err(|e| GroupError::ottl(item.span, &s.text, &e))?;
            build(
                signal,
                None,
                vec![(statement, item.span, s.text.clone())],
                Vec::new(),
                None,
                item.span,
            )
        }
        Value::Map(entries) => {
            let mut context = None;
            let mut conditions = Vec::new();
            let mut statements = Vec::new();
            let mut error_mode = None;
            for e in entries {
                match e.key.as_str() {
                    "context" => context = Some(parse_context(&e.value)?),
                    "conditions" => conditions = parse_condition_texts(&e.value)?,
                    "statements" => statements = parse_statement_texts(&e.value)?,
                    "error_mode" => error_mode = Some(ErrorMode::from_node(&e.value)?),
                    "shared_cache" => {}
                    other => {
                        return Err(GroupError::new(
                            e.key_span,
                            format!(
                                "unknown key `{other}` in a statement group (expected context, conditions, statements, error_mode, shared_cache)"
                            ),
                        ));
                    }
                }
            }
            if statements.is_empty() {
                return Err(GroupError::new(
                    item.span,
                    "a statement group needs `statements`",
                ));
            }
            build(
                signal, context, statements, conditions, error_mode, item.span,
            )
        }
        Value::Unknown(why) => Err(GroupError::new(
            item.span,
            format!("the statement is not known: {why}"),
        )),
        _ => Err(GroupError::new(
            item.span,
            "a statement must be a string or a group",
        )),
    }
}

fn build(
    signal: Signal,
    explicit: Option<Context>,
    statements: Vec<(Statement, Span, String)>,
    conditions: Vec<(BoolExpr, Span, String)>,
    error_mode: Option<ErrorMode>,
    span: Span,
) -> Result<StatementGroup, GroupError> {
    let spans: Vec<(Span, String)> = statements
        .iter()
        .map(|(_, s, t)| (*s, t.clone()))
        .chain(conditions.iter().map(|(_, s, t)| (*s, t.clone())))
        .collect();
    let mut stmts: Vec<Statement> = statements.iter().map(|(s, _, _)| s.clone()).collect();
    let mut conds: Vec<BoolExpr> = conditions.into_iter().map(|(c, _, _)| c).collect();
    let context = resolve_group(signal, explicit, &mut stmts, &mut conds).map_err(|(i, e)| {
        let (at, text) = spans.get(i).cloned().unwrap_or((span, String::new()));
        GroupError::ottl(at, &text, &e)
    })?;
    Ok(StatementGroup {
        context,
        conditions: conds,
        statement_spans: statements.iter().map(|(_, s, _)| *s).collect(),
        statements: stmts,
        error_mode,
        span,
    })
}

fn parse_context(node: &Node) -> Result<Context, GroupError> {
    node.as_str()
        .map(str::to_ascii_lowercase)
        .and_then(|t| Context::from_prefix(&t))
        .ok_or_else(|| GroupError::new(node.span, "unknown `context` (expected resource, scope, span, spanevent, metric, datapoint or log)"))
}

fn texts(node: &Node) -> Result<Vec<(&str, Span)>, GroupError> {
    match &node.value {
        Value::Null => Ok(Vec::new()),
        Value::Scalar(s) => Ok(vec![(s.text.as_str(), node.span)]),
        Value::Seq(items) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(|t| (t, i.span))
                    .ok_or_else(|| GroupError::new(i.span, "expected an OTTL string"))
            })
            .collect(),
        Value::Unknown(why) => Err(GroupError::new(node.span, format!("not known: {why}"))),
        Value::Map(_) => Err(GroupError::new(
            node.span,
            "expected a list of OTTL strings",
        )),
    }
}

fn parse_statement_texts(node: &Node) -> Result<Vec<(Statement, Span, String)>, GroupError> {
    texts(node)?
        .into_iter()
        .map(|(t, span)| {
            parse_statement(t)
                .map(|s| (s, span, t.to_string()))
                .map_err(|e| GroupError::ottl(span, t, &e))
        })
        .collect()
}

fn parse_condition_texts(node: &Node) -> Result<Vec<(BoolExpr, Span, String)>, GroupError> {
    texts(node)?
        .into_iter()
        .map(|(t, span)| {
            parse_condition(t)
                .map(|c| (c, span, t.to_string()))
                .map_err(|e| GroupError::ottl(span, t, &e))
        })
        .collect()
}

/// Parses a list of conditions that run in a fixed context (the filter processor's
/// `logs.log_record`, `traces.span`, …): unprefixed paths refer to that context.
pub fn parse_conditions(
    list: &Node,
    signal: Signal,
    context: Context,
) -> Result<Vec<(BoolExpr, Span)>, GroupError> {
    let parsed = parse_condition_texts(list)?;
    let spans: Vec<(Span, String)> = parsed.iter().map(|(_, s, t)| (*s, t.clone())).collect();
    let mut conds: Vec<BoolExpr> = parsed.into_iter().map(|(c, _, _)| c).collect();
    resolve_group(signal, Some(context), &mut [], &mut conds).map_err(|(i, e)| {
        let (at, text) = spans.get(i).cloned().unwrap_or((list.span, String::new()));
        GroupError::ottl(at, &text, &e)
    })?;
    Ok(conds
        .into_iter()
        .zip(spans.into_iter().map(|(s, _)| s))
        .collect())
}
