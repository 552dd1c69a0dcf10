//! A concrete OTTL evaluator over one telemetry item.
//!
//! It runs the statements of the transform processor and the conditions of filter and
//! logdedup, following `pkg/ottl` v0.124: `nil` for missing values, `set` with nil does
//! nothing, indexing a non-map fails, comparisons of mismatched types are false.

mod compare;
mod converters;
mod ctx;
mod editors;
mod glob;
mod paths;
#[cfg(test)]
mod tests;

pub(crate) use ctx::{Ctx, Item, for_each_ctx};

use crate::limits::pattern::{self, PatternError};
use crate::otlp::{AnyValue, Attributes, enums};
use crate::ottl::{BoolExpr, Call, Expr, MathOp, Statement};

/// Why an evaluation failed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum EvalError {
    /// A run-time error on this item: subject to `error_mode`.
    Runtime(String),
    /// A function, path or option this engine does not model.
    NotModelled(String),
    /// A statement the collector would reject at startup (wrong arguments, bad regex).
    Config(String),
}

pub(crate) type EvalResult<T> = Result<T, EvalError>;

/// Compiles a pattern of a statement within the limits: one that does not compile is a
/// configuration the collector refuses; one past the limits is not modelled.
pub(crate) fn regex(pattern: &str) -> EvalResult<regex::Regex> {
    pattern::compile(pattern).map_err(|e| {
        let shown = crate::tree::shorten(pattern);
        match e {
            PatternError::Syntax(why) => {
                EvalError::Config(format!("invalid regex `{shown}`: {why}"))
            }
            PatternError::TooLarge(why) => {
                EvalError::NotModelled(format!("the pattern `{shown}` is not compiled: {why}"))
            }
        }
    })
}

pub(crate) fn runtime<T>(msg: impl Into<String>) -> EvalResult<T> {
    Err(EvalError::Runtime(msg.into()))
}

/// Runs one statement on one item: the `where` clause first, then the editor.
pub(crate) fn run_statement(ctx: &mut Ctx<'_>, s: &Statement) -> EvalResult<()> {
    if let Some(cond) = &s.condition
        && !eval_bool(ctx, cond)?
    {
        return Ok(());
    }
    editors::run(ctx, &s.editor)
}

/// Checks, before any data is seen, that every function is known and called with
/// acceptable literal arguments, as the collector does at startup.
pub(crate) fn check_statement(s: &Statement) -> EvalResult<()> {
    editors::check(&s.editor)?;
    if let Some(c) = &s.condition {
        check_bool(c)?;
    }
    Ok(())
}

/// Checks a condition's functions.
pub(crate) fn check_bool(b: &BoolExpr) -> EvalResult<()> {
    match b {
        BoolExpr::Const(_) => Ok(()),
        BoolExpr::Converter(c) => converters::check(c),
        BoolExpr::Compare { left, right, .. } => check_expr(left).and_then(|_| check_expr(right)),
        BoolExpr::Not(i) => check_bool(i),
        BoolExpr::And(a, b) | BoolExpr::Or(a, b) => check_bool(a).and_then(|_| check_bool(b)),
    }
}

pub(crate) fn check_expr(e: &Expr) -> EvalResult<()> {
    match e {
        Expr::Converter(c) => converters::check(c),
        Expr::List(items) => items.iter().try_for_each(check_expr),
        Expr::Map(entries) => entries.iter().try_for_each(|(_, v)| check_expr(v)),
        Expr::Math { left, right, .. } => check_expr(left).and_then(|_| check_expr(right)),
        Expr::Symbol(s) if enums::value_of(s).is_none() => {
            Err(EvalError::Config(format!("unknown enum `{s}`")))
        }
        _ => Ok(()),
    }
}

/// Evaluates a boolean expression. `and`/`or` short-circuit as in OTTL.
pub(crate) fn eval_bool(ctx: &mut Ctx<'_>, b: &BoolExpr) -> EvalResult<bool> {
    match b {
        BoolExpr::Const(v) => Ok(*v),
        BoolExpr::Converter(c) => match converters::call(ctx, c)? {
            AnyValue::Bool(v) => Ok(v),
            other => runtime(format!(
                "`{}` returned {} where a boolean is needed",
                c.name,
                other.type_name()
            )),
        },
        BoolExpr::Compare { left, op, right } => {
            let l = eval(ctx, left)?;
            let r = eval(ctx, right)?;
            Ok(compare::compare(&l, *op, &r))
        }
        BoolExpr::Not(inner) => Ok(!eval_bool(ctx, inner)?),
        BoolExpr::And(a, b) => Ok(eval_bool(ctx, a)? && eval_bool(ctx, b)?),
        BoolExpr::Or(a, b) => Ok(eval_bool(ctx, a)? || eval_bool(ctx, b)?),
    }
}

/// Evaluates a value. `nil` is [`AnyValue::Empty`].
pub(crate) fn eval(ctx: &mut Ctx<'_>, e: &Expr) -> EvalResult<AnyValue> {
    Ok(match e {
        Expr::Nil => AnyValue::Empty,
        Expr::Bool(b) => AnyValue::Bool(*b),
        Expr::Int(i) => AnyValue::Int(*i),
        Expr::Float(f) => AnyValue::Double(*f),
        Expr::String(s) => AnyValue::Str(s.clone()),
        Expr::Bytes(b) => AnyValue::Bytes(b.clone()),
        Expr::Symbol(s) => match enums::value_of(s) {
            Some(v) => AnyValue::Int(v),
            None => return Err(EvalError::Config(format!("unknown enum `{s}`"))),
        },
        Expr::List(items) => AnyValue::Array(
            items
                .iter()
                .map(|i| eval(ctx, i))
                .collect::<Result<_, _>>()?,
        ),
        Expr::Map(entries) => {
            let mut m = Attributes::new();
            for (k, v) in entries {
                let v = eval(ctx, v)?;
                m.put(k.clone(), v);
            }
            AnyValue::Map(m)
        }
        Expr::Path(p) => paths::get(ctx, p)?,
        Expr::Converter(c) => converters::call(ctx, c)?,
        Expr::Math { op, left, right } => {
            let l = eval(ctx, left)?;
            let r = eval(ctx, right)?;
            math(*op, &l, &r)?
        }
    })
}

fn math(op: MathOp, l: &AnyValue, r: &AnyValue) -> EvalResult<AnyValue> {
    match (l, r) {
        (AnyValue::Int(a), AnyValue::Int(b)) => {
            let v = match op {
                MathOp::Add => a.checked_add(*b),
                MathOp::Sub => a.checked_sub(*b),
                MathOp::Mul => a.checked_mul(*b),
                MathOp::Div if *b == 0 => return runtime("attempted to divide by 0"),
                MathOp::Div => a.checked_div(*b),
            };
            v.map(AnyValue::Int)
                .ok_or_else(|| EvalError::Runtime("integer overflow".into()))
        }
        (AnyValue::Double(a), AnyValue::Double(b)) => Ok(AnyValue::Double(match op {
            MathOp::Add => a + b,
            MathOp::Sub => a - b,
            MathOp::Mul => a * b,
            MathOp::Div => a / b,
        })),
        _ => runtime(format!(
            "cannot do arithmetic on {} and {}",
            l.type_name(),
            r.type_name()
        )),
    }
}

/// Arguments of a call bound to parameter names (positional first, then `name = value`).
pub(crate) struct Args<'c> {
    function: &'c str,
    values: Vec<Option<&'c Expr>>,
}

impl<'c> Args<'c> {
    /// Binds `call`'s arguments to `params`; the first `required` are mandatory.
    pub fn bind(call: &'c Call, params: &[&str], required: usize) -> EvalResult<Args<'c>> {
        let mut values: Vec<Option<&Expr>> = vec![None; params.len()];
        for (i, a) in call.args.iter().enumerate() {
            let slot = match &a.name {
                None => i,
                Some(n) => params.iter().position(|p| p == n).ok_or_else(|| {
                    EvalError::Config(format!("`{}` has no parameter `{n}`", call.name))
                })?,
            };
            if slot >= params.len() {
                return Err(EvalError::Config(format!(
                    "`{}` takes at most {} arguments, got {}",
                    call.name,
                    params.len(),
                    call.args.len()
                )));
            }
            values[slot] = Some(&a.value);
        }
        if let Some(missing) = values[..required].iter().position(Option::is_none) {
            return Err(EvalError::Config(format!(
                "`{}` needs the argument `{}`",
                call.name, params[missing]
            )));
        }
        Ok(Args {
            function: &call.name,
            values,
        })
    }

    /// The expression of parameter `i`, if given.
    pub fn get(&self, i: usize) -> Option<&'c Expr> {
        self.values[i]
    }

    /// The expression of a required parameter.
    pub fn req(&self, i: usize) -> &'c Expr {
        self.values[i].expect("bound as required")
    }

    /// A parameter that must be a string literal (regexes, modes, strategies).
    pub fn literal_str(&self, i: usize) -> EvalResult<Option<&'c str>> {
        match self.values[i] {
            None => Ok(None),
            Some(Expr::String(s)) => Ok(Some(s)),
            Some(_) => Err(EvalError::NotModelled(format!(
                "argument {} of `{}` is not a string literal",
                i + 1,
                self.function
            ))),
        }
    }

    /// A parameter that must be an integer literal.
    pub fn literal_int(&self, i: usize) -> EvalResult<Option<i64>> {
        match self.values[i] {
            None => Ok(None),
            Some(Expr::Int(v)) => Ok(Some(*v)),
            Some(_) => Err(EvalError::NotModelled(format!(
                "argument {} of `{}` is not an integer literal",
                i + 1,
                self.function
            ))),
        }
    }
}
