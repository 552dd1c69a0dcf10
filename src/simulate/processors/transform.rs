//! The `transform` processor: OTTL statement groups run per item of their context, in
//! config order, with `error_mode` deciding what a failing statement does.

use crate::files::Span;
use crate::otlp::Telemetry;
use crate::ottl::{ErrorMode, Signal, StatementGroup, parse_statement_groups};
use crate::simulate::config;
use crate::simulate::error::{ConfigError, SimError};
use crate::simulate::eval::{
    Ctx, EvalError, check_bool, check_statement, eval_bool, for_each_ctx, run_statement,
};
use crate::tree::Node;

const NAME: &str = "transform";
const LISTS: &[(&str, Signal)] = &[
    ("trace_statements", Signal::Traces),
    ("metric_statements", Signal::Metrics),
    ("log_statements", Signal::Logs),
];

pub(super) fn run(node: &Node, mut data: Telemetry) -> Result<Telemetry, SimError> {
    let wrap = |e: ConfigError| e.into_sim(NAME);
    config::require_known(node).map_err(wrap)?;
    config::check_keys(
        node,
        &[
            "error_mode",
            "trace_statements",
            "metric_statements",
            "log_statements",
        ],
    )
    .map_err(wrap)?;
    let default_mode = match node.get("error_mode") {
        Some(n) if !n.is_null() => ErrorMode::from_node(n)
            .map_err(ConfigError::from_group)
            .map_err(wrap)?,
        _ => ErrorMode::Propagate,
    };
    let signal = signal_of(&data);
    let mut to_run = Vec::new();
    for (key, sig) in LISTS {
        let Some(list) = node.get(key) else { continue };
        let groups = parse_statement_groups(list, *sig)
            .map_err(ConfigError::from_group)
            .map_err(wrap)?;
        for g in &groups {
            check_group(g).or_else(|e| if *sig == signal { Err(e) } else { Ok(()) })?;
        }
        if *sig == signal {
            to_run = groups;
        }
    }
    for g in &to_run {
        run_group(g, default_mode, &mut data)?;
    }
    Ok(data)
}

pub(crate) fn signal_of(data: &Telemetry) -> Signal {
    match data {
        Telemetry::Logs(_) => Signal::Logs,
        Telemetry::Metrics(_) => Signal::Metrics,
        Telemetry::Traces(_) => Signal::Traces,
    }
}

fn check_group(g: &StatementGroup) -> Result<(), SimError> {
    for (s, span) in g.statements.iter().zip(&g.statement_spans) {
        check_statement(s).map_err(|e| static_error(e, *span))?;
    }
    for c in &g.conditions {
        check_bool(c).map_err(|e| static_error(e, g.span))?;
    }
    Ok(())
}

/// An error found before running: an invalid statement or an unmodelled function.
pub(crate) fn static_error(e: EvalError, span: Span) -> SimError {
    match e {
        EvalError::NotModelled(m) => SimError::NotModelled {
            processor: NAME.into(),
            reason: m,
            span: Some(span),
        },
        EvalError::Config(m) | EvalError::Runtime(m) => SimError::Config {
            processor: NAME.into(),
            message: m,
            span,
        },
    }
}

fn run_group(
    g: &StatementGroup,
    default_mode: ErrorMode,
    data: &mut Telemetry,
) -> Result<(), SimError> {
    let mode = g.error_mode.unwrap_or(default_mode);
    let mut failure: Option<SimError> = None;
    let result = for_each_ctx(data, g.context, &mut |ctx: &mut Ctx<'_>| {
        if !conditions_hold(g, ctx, mode)? {
            return Ok(());
        }
        for (s, span) in g.statements.iter().zip(&g.statement_spans) {
            match run_statement(ctx, s) {
                Ok(()) => {}
                Err(EvalError::Runtime(m)) if mode == ErrorMode::Propagate => {
                    failure = Some(SimError::Dropped {
                        processor: NAME.into(),
                        message: m.clone(),
                        span: Some(*span),
                    });
                    return Err(EvalError::Runtime(m));
                }
                Err(EvalError::Runtime(_)) => {} // skipped for this item
                Err(other) => {
                    failure = Some(static_error(other.clone(), *span));
                    return Err(other);
                }
            }
        }
        Ok(())
    });
    match (result, failure) {
        (Ok(()), _) => Ok(()),
        (Err(_), Some(f)) => Err(f),
        (Err(e), None) => Err(dropped(e, g.span)),
    }
}

/// Group conditions are ORed; none means always. A failing condition is false with
/// ignore/silent and drops the batch with propagate.
fn conditions_hold(
    g: &StatementGroup,
    ctx: &mut Ctx<'_>,
    mode: ErrorMode,
) -> Result<bool, EvalError> {
    if g.conditions.is_empty() {
        return Ok(true);
    }
    for c in &g.conditions {
        match eval_bool(ctx, c) {
            Ok(true) => return Ok(true),
            Ok(false) => {}
            Err(EvalError::Runtime(_)) if mode != ErrorMode::Propagate => {}
            Err(e) => return Err(e),
        }
    }
    Ok(false)
}

fn dropped(e: EvalError, span: Span) -> SimError {
    match e {
        EvalError::Runtime(m) => SimError::Dropped {
            processor: NAME.into(),
            message: m,
            span: Some(span),
        },
        other => static_error(other, span),
    }
}
