//! What sits under a Helm template condition, and what that means for the collector.
//!
//! Every branch of a template is read (see [`super::helm_template`]), which is sound for
//! what may *reach* an exporter, but not for what is *removed*: a processor that only some
//! renderings list, or a component whose settings differ between renderings, may not do
//! what the text read here says. So:
//!
//! * a pipeline entry under a condition that does not also hold the pipeline is marked
//!   conditional ([`crate::collector::Ref::condition`]); for a processor the analysis then
//!   joins "it ran" with "it did not", and nothing it removes is credited;
//! * a component whose settings are partly under a condition (its key outside it) gets an
//!   unknown configuration: it removes nothing, its destination is unknown (OD321).
//!
//! A component, pipeline or entry written wholly under a condition is simply read: if the
//! condition is false the component is absent and, if still referenced, the collector does
//! not start at all, so no data flows in that rendering.

use super::helm_template::Region;
use crate::collector::model::{Collector, Kind};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::files::{FileId, Span};
use crate::tree::{Node, Value};

/// The conditional parts of the templates a collector was read from.
#[derive(Debug, Clone, Default)]
pub struct Conditions {
    regions: Vec<(FileId, Region)>,
}

impl Conditions {
    /// The regions of one template file.
    pub fn of(file: FileId, regions: &[Region]) -> Conditions {
        Conditions {
            regions: regions.iter().map(|r| (file, *r)).collect(),
        }
    }

    /// Adds another file's regions.
    pub fn extend(&mut self, other: &Conditions) {
        self.regions.extend(other.regions.iter().copied());
    }

    /// The region that holds `inner` but not `outer`, if any: `inner` is then present only
    /// in some renderings of what `outer` belongs to.
    pub fn between(&self, outer: Span, inner: Span) -> Option<&Region> {
        self.regions
            .iter()
            .filter(|(f, _)| *f == inner.file)
            .map(|(_, r)| r)
            .find(|r| r.holds(inner) && !(outer.file == inner.file && r.holds(outer)))
    }

    /// Replaces the configuration of every component whose settings are partly under a
    /// condition by an unknown value, with a warning (OD321) at the condition.
    pub fn unknown_components(&self, mut root: Node, diags: &mut Diagnostics) -> Node {
        if self.regions.is_empty() {
            return root;
        }
        let Value::Map(sections) = &mut root.value else {
            return root;
        };
        for section in sections.iter_mut() {
            if !Kind::ALL.iter().any(|k| k.section() == section.key) {
                continue;
            }
            let Value::Map(components) = &mut section.value.value else {
                continue;
            };
            for c in components.iter_mut() {
                let Some(region) = first_span(&c.value, &mut |s| self.between(c.key_span, s))
                else {
                    continue;
                };
                diags.push(
                    Diagnostic::new(
                        Code::TemplateValue,
                        format!(
                            "the settings of `{}.{}` are partly written under a template condition, so its configuration is treated as unknown",
                            section.key, c.key
                        ),
                    )
                    .at(region.open)
                    .label(c.key_span, "the component is defined here")
                    .hint("render the chart (`helm template …`) and pass the result to analyse one rendering, or move the condition around the whole component"),
                );
                let span = c.value.span;
                c.value = Node::new(
                    Value::Unknown("settings under a template condition".into()),
                    span,
                );
            }
        }
        root
    }

    /// Marks the pipeline entries written under a condition that does not hold their
    /// pipeline, and notes (OD323) each processor marked so.
    pub fn mark(&self, collector: &mut Collector, diags: &mut Diagnostics) {
        if self.regions.is_empty() {
            return;
        }
        for p in &mut collector.pipelines {
            let key = p.span;
            for (list, is_processors) in [
                (&mut p.receivers, false),
                (&mut p.processors, true),
                (&mut p.exporters, false),
            ] {
                for r in &mut list.refs {
                    let Some(region) = self.between(key, r.span) else {
                        continue;
                    };
                    r.condition = Some(region.open);
                    if is_processors {
                        diags.push(
                            Diagnostic::new(
                                Code::TemplateCondition,
                                format!(
                                    "pipeline `{}` lists processor `{}` only under a template condition; it may not run, so what it removes is not counted as removed",
                                    p.id, r.id
                                ),
                            )
                            .at(r.span)
                            .label(region.open, "the condition"),
                        );
                    }
                }
            }
        }
    }
}

/// The first span in a subtree (keys and values) for which `f` gives something. An empty
/// value is skipped: it holds nothing, and the parser places it where the next token is.
fn first_span<'a, T>(node: &Node, f: &mut impl FnMut(Span) -> Option<&'a T>) -> Option<&'a T> {
    if node.is_null() {
        return None;
    }
    if let Some(found) = f(node.span) {
        return Some(found);
    }
    match &node.value {
        Value::Map(entries) => entries
            .iter()
            .find_map(|e| f(e.key_span).or_else(|| first_span(&e.value, f))),
        Value::Seq(items) => items.iter().find_map(|n| first_span(n, f)),
        _ => None,
    }
}
