//! OTTL contexts: which part of the telemetry a statement runs on, and how a group of
//! statements gets its context (given by `context:`, or inferred from path prefixes as
//! in collector v0.120+).

use super::ParseError;
use super::ast::{BoolExpr, Path, Statement};

/// The telemetry signal a statement list belongs to (`trace_statements`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Signal {
    /// Spans.
    Traces,
    /// Metrics.
    Metrics,
    /// Logs.
    Logs,
}

/// An OTTL context.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Context {
    /// Runs once per resource.
    Resource,
    /// Runs once per instrumentation scope.
    Scope,
    /// Runs once per span.
    Span,
    /// Runs once per span event.
    SpanEvent,
    /// Runs once per metric.
    Metric,
    /// Runs once per datapoint.
    DataPoint,
    /// Runs once per log record.
    Log,
}

impl Context {
    /// The context for a path prefix (`resource`, `log`, …). `instrumentation_scope` is
    /// the older spelling of `scope`.
    pub fn from_prefix(name: &str) -> Option<Context> {
        Some(match name {
            "resource" => Context::Resource,
            "scope" | "instrumentation_scope" => Context::Scope,
            "span" => Context::Span,
            "spanevent" => Context::SpanEvent,
            "metric" => Context::Metric,
            "datapoint" => Context::DataPoint,
            "log" => Context::Log,
            _ => return None,
        })
    }

    /// The context's name as written in configs.
    pub fn name(self) -> &'static str {
        match self {
            Context::Resource => "resource",
            Context::Scope => "scope",
            Context::Span => "span",
            Context::SpanEvent => "spanevent",
            Context::Metric => "metric",
            Context::DataPoint => "datapoint",
            Context::Log => "log",
        }
    }

    /// How deep the context sits: resource 0, scope 1, span/metric/log 2, event/datapoint 3.
    pub fn depth(self) -> u8 {
        match self {
            Context::Resource => 0,
            Context::Scope => 1,
            Context::Span | Context::Metric | Context::Log => 2,
            Context::SpanEvent | Context::DataPoint => 3,
        }
    }

    /// The contexts a signal offers, from the top down.
    pub fn for_signal(signal: Signal) -> &'static [Context] {
        match signal {
            Signal::Traces => &[
                Context::Resource,
                Context::Scope,
                Context::Span,
                Context::SpanEvent,
            ],
            Signal::Metrics => &[
                Context::Resource,
                Context::Scope,
                Context::Metric,
                Context::DataPoint,
            ],
            Signal::Logs => &[Context::Resource, Context::Scope, Context::Log],
        }
    }

    /// True when a statement running in `self` can read or write paths of `other`: the
    /// same context or one of its ancestors.
    pub fn can_reach(self, other: Context) -> bool {
        self == other
            || other.depth() < self.depth()
                && (other.depth() < 2
                    || matches!(
                        (self, other),
                        (Context::SpanEvent, Context::Span) | (Context::DataPoint, Context::Metric)
                    ))
    }
}

/// Gives every path of a group its context. With an explicit `context`, unprefixed paths
/// refer to it; without, the group's context is inferred (the deepest context named by
/// any path prefix) and every path must have a prefix. Returns the group's context.
pub fn resolve_group(
    signal: Signal,
    explicit: Option<Context>,
    statements: &mut [Statement],
    conditions: &mut [BoolExpr],
) -> Result<Context, (usize, ParseError)> {
    let mut prefixes: Vec<(usize, Path)> = Vec::new();
    let mut collect = |i: usize, p: &mut Path| prefixes.push((i, p.clone()));
    for (i, s) in statements.iter_mut().enumerate() {
        s.visit_paths_mut(&mut |p| collect(i, p));
    }
    let n = statements.len();
    for (i, c) in conditions.iter_mut().enumerate() {
        c.visit_paths_mut(&mut |p| collect(n + i, p));
    }
    let context = match explicit {
        Some(c) => c,
        None => infer(signal, &prefixes)?,
    };
    check_reachable(signal, context, &prefixes)?;
    let fill = |p: &mut Path| {
        p.context.get_or_insert(context);
    };
    let mut fill = fill;
    statements
        .iter_mut()
        .for_each(|s| s.visit_paths_mut(&mut fill));
    conditions
        .iter_mut()
        .for_each(|c| c.visit_paths_mut(&mut fill));
    Ok(context)
}

fn infer(signal: Signal, paths: &[(usize, Path)]) -> Result<Context, (usize, ParseError)> {
    if let Some((i, p)) = paths.iter().find(|(_, p)| p.context.is_none()) {
        return Err((
            *i,
            ParseError::new(
                p.col,
                format!(
                    "path `{}` has no context prefix, so the context cannot be inferred: write e.g. `{}.{}` or set `context:` for the group",
                    p.to_text(),
                    Context::for_signal(signal)[2].name(),
                    p.to_text()
                ),
            ),
        ));
    }
    paths
        .iter()
        .filter_map(|(_, p)| p.context)
        .max_by_key(|c| c.depth())
        .ok_or((
            0,
            ParseError::new(
                1,
                "no path in the statements, so the context cannot be inferred: set `context:`",
            ),
        ))
}

fn check_reachable(
    signal: Signal,
    context: Context,
    paths: &[(usize, Path)],
) -> Result<(), (usize, ParseError)> {
    let offered = Context::for_signal(signal);
    for (i, p) in paths {
        let Some(c) = p.context else { continue };
        if !offered.contains(&c) || !context.can_reach(c) {
            return Err((
                *i,
                ParseError::new(
                    p.col,
                    format!(
                        "path `{}` cannot be used in the `{}` context",
                        p.to_text(),
                        context.name()
                    ),
                ),
            ));
        }
    }
    if !offered.contains(&context) {
        return Err((
            0,
            ParseError::new(
                1,
                format!(
                    "context `{}` does not exist for this signal",
                    context.name()
                ),
            ),
        ));
    }
    Ok(())
}
