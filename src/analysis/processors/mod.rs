//! Abstract transfer functions of collector processors: what each one certainly does to
//! the items of a pipeline, and what it may do.
//!
//! Each processor type has its own file. A processor may only remove a key, or raise its
//! protection, when every execution removes or protects it; whatever depends on the data
//! (a `where` clause, a value pattern) keeps the key, possibly weakened to `maybe`.
//! Types without a model go to [`unknown`]: they may add or change anything. So does a
//! modelled type whose configuration the model cannot read (OD510) or that holds an
//! unresolved `${...}` reference.

mod attraction;
mod attributes;
mod cfg;
mod common;
mod filter;
mod groupbyattrs;
mod k8sattributes;
mod logdedup;
mod matching;
mod metricstransform;
mod noop;
mod ottl;
mod redaction;
mod resource;
mod resourcedetection;
mod routing;
mod sampling;
mod span;
mod transform;
pub(crate) mod unknown;

use crate::collector::{Component, ComponentId, Signal};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::files::{Files, Span};

use super::flow::{Item, Step};
use cfg::Bad;

/// What a processor sees besides the items.
pub struct Ctx<'a> {
    /// The collector's name.
    pub collector: &'a str,
    /// The processor: id, configuration (after substitution) and where it is defined.
    pub component: &'a Component,
    /// Where the pipeline lists it.
    pub listed_at: Span,
    /// The pipeline's signal.
    pub signal: Signal,
    /// The files, to cite lines.
    pub files: &'a Files,
    /// Where the analysis reports what it had to assume.
    pub diags: &'a mut Diagnostics,
}

impl Ctx<'_> {
    /// A step at the processor's definition, e.g. `deleted by processors.attributes/strip`.
    pub fn step(&self, what: &str) -> Step {
        self.step_at(what, self.component.span)
    }

    /// A step at a particular place inside the processor's configuration.
    pub fn step_at(&self, what: &str, span: Span) -> Step {
        Step::at(
            format!("{what} by processors.{}", self.component.id),
            span,
            self.files,
        )
    }

    /// Reports (OD502, once per processor run) that `what` could not be decided for the
    /// named items, so what the processor would remove there is assumed to remain.
    fn undecided(&mut self, at: Option<Span>, what: &str, items: &[String]) {
        if items.is_empty() {
            return;
        }
        let mut names: Vec<&str> = items.iter().map(String::as_str).collect();
        names.sort_unstable();
        names.dedup();
        let shown = if names.len() > 3 {
            format!("{} and {} more", names[..3].join(", "), names.len() - 3)
        } else {
            names.join(", ")
        };
        self.diags.push(
            Diagnostic::new(
                Code::UndecidableCondition,
                format!(
                    "processor `{}` in collector `{}`: {what} depends on the data for {shown}; what it would remove there is assumed to arrive",
                    self.component.id, self.collector
                ),
            )
            .at(at.unwrap_or(self.listed_at))
            .hint("to make a removal certain, make it unconditional or condition it on something the configuration fixes (a metric name, an event body)"),
        );
    }
}

/// The result of running a processor on a pipeline's items.
#[derive(Debug, Default)]
pub struct Applied {
    /// The items after the processor.
    pub items: Vec<Item>,
    /// Exporters the processor sends to directly, bypassing the pipeline's list (the
    /// routing processor).
    pub extra_exporters: Vec<ComponentId>,
    /// Items the processor certainly drops (a filter whose condition is certainly true),
    /// with the step that drops them as their last step, so documents can say what
    /// removed a record.
    pub dropped: Vec<Item>,
}

impl Applied {
    /// Items only.
    pub fn items(items: Vec<Item>) -> Applied {
        Applied {
            items,
            ..Applied::default()
        }
    }
}

/// What a processor model produces besides the changed items.
#[derive(Debug, Default)]
pub struct Side {
    /// Items certainly dropped.
    pub dropped: Vec<Item>,
    /// Exporters named inside the processor.
    pub extra_exporters: Vec<ComponentId>,
}

/// A modelled processor: changes the items in place, or says which part of its
/// configuration it cannot read (and then must not have changed anything).
type Model = fn(&mut Ctx<'_>, &mut Vec<Item>) -> Result<Side, Bad>;

/// Adapts a model that only changes items.
macro_rules! plain {
    ($f:path) => {
        |c, i| $f(c, i).map(|()| Side::default())
    };
}

/// The model for a processor type, if there is one.
fn model(kind: &str) -> Option<Model> {
    Some(match kind {
        "attributes" => plain!(attributes::apply),
        "resource" => plain!(resource::apply),
        "redaction" => plain!(redaction::apply),
        "transform" => plain!(transform::apply),
        "filter" => filter::apply,
        "groupbyattrs" => plain!(groupbyattrs::apply),
        "logdedup" => plain!(logdedup::apply),
        "k8sattributes" => plain!(k8sattributes::apply),
        "resourcedetection" => plain!(resourcedetection::apply),
        "probabilistic_sampler" => sampling::probabilistic,
        "tail_sampling" => plain!(sampling::tail),
        "metricstransform" => plain!(metricstransform::apply),
        "span" => plain!(span::apply),
        "routing" => |c, i| {
            routing::apply(c, i).map(|extra_exporters| Side {
                extra_exporters,
                ..Side::default()
            })
        },
        _ => return None,
    })
}

/// Runs one processor abstractly.
pub fn apply(ctx: &mut Ctx<'_>, items: Vec<Item>) -> Applied {
    let kind = ctx.component.normalised_type().to_string();
    if ctx.component.config.is_unknown() {
        let at = ctx.component.config.span;
        return unknown::apply(ctx, items, "its configuration is not known", at);
    }
    if noop::has_no_data_effect(&kind) {
        return Applied::items(items);
    }
    let Some(run) = model(&kind) else {
        let at = ctx.listed_at;
        return unknown::apply(ctx, items, "this processor type is not modelled", at);
    };
    if let Some(node) = cfg::first_unknown(&ctx.component.config) {
        let at = node.span;
        let why = "part of its configuration is not known (an unresolved `${...}` reference)";
        return unknown::apply(ctx, items, why, at);
    }
    let mut out = items.clone();
    match run(ctx, &mut out) {
        Ok(side) => Applied {
            items: out,
            extra_exporters: side.extra_exporters,
            dropped: side.dropped,
        },
        Err(bad) => unreadable(ctx, items, &bad),
    }
}

/// A configuration the model cannot read (OD510), or a value past a limit of this tool
/// (with the limit's code): the processor is treated as unknown.
fn unreadable(ctx: &mut Ctx<'_>, items: Vec<Item>, bad: &Bad) -> Applied {
    let hint = match bad.limit {
        Some(Code::PatternTooLarge) => crate::limits::pattern::TOO_LARGE_HINT,
        Some(_) => {
            "no real configuration needs a value this large; check that this is the configuration meant"
        }
        None => {
            "check this value against the processor's documentation; the collector itself may refuse it"
        }
    };
    ctx.diags.push(
        Diagnostic::new(
            bad.limit.unwrap_or(Code::ProcessorConfigUnreadable),
            format!(
                "processor `{}` in collector `{}`: {}; it is treated as removing nothing and possibly adding anything",
                ctx.component.id, ctx.collector, bad.message
            ),
        )
        .at(bad.span)
        .hint(hint),
    );
    Applied::items(unknown::effect(
        ctx,
        items,
        "its configuration could not be read",
    ))
}

#[cfg(test)]
pub(crate) mod testing;
