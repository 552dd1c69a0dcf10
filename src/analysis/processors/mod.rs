//! Abstract transfer functions of collector processors: what each one certainly does to
//! the items of a pipeline, and what it may do.
//!
//! Each processor type has its own file. A processor may only remove a key, or raise its
//! protection, when every execution removes or protects it; whatever depends on the data
//! (a `where` clause, a value pattern) keeps the key, possibly weakened to `maybe`.
//! Types without a model go to [`unknown`]: they may add or change anything.

mod noop;
mod unknown;

use crate::collector::{Component, ComponentId, Signal};
use crate::diag::Diagnostics;
use crate::files::{Files, Span};

use super::flow::{Item, Step};

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
}

/// The result of running a processor on a pipeline's items.
#[derive(Debug, Default)]
pub struct Applied {
    /// The items after the processor.
    pub items: Vec<Item>,
    /// Exporters the processor sends to directly, bypassing the pipeline's list (the
    /// routing processor).
    pub extra_exporters: Vec<ComponentId>,
}

impl Applied {
    /// Items only.
    pub fn items(items: Vec<Item>) -> Applied {
        Applied {
            items,
            extra_exporters: Vec::new(),
        }
    }
}

/// Runs one processor abstractly.
pub fn apply(ctx: &mut Ctx<'_>, items: Vec<Item>) -> Applied {
    let kind = ctx.component.normalised_type().to_string();
    if ctx.component.config.is_unknown() {
        return unknown::apply(ctx, items, "its configuration is not known");
    }
    match kind.as_str() {
        t if noop::has_no_data_effect(t) => Applied::items(items),
        _ => unknown::apply(ctx, items, "this processor type is not modelled"),
    }
}
