//! Metric editors that create metrics: `copy_metric` and the `extract_*` /
//! `convert_summary_*` editors, whose new metrics carry the same attributes.

use super::{Exec, Extra};
use crate::analysis::flow::{Item, Step};
use crate::analysis::processors::common::NAME_FROM_DATA;
use crate::analysis::shape::{Presence, RecordKind};
use crate::ottl::Expr;

impl Exec<'_, '_> {
    pub(super) fn copy_metric(
        &self,
        args: &[&Expr],
        item: &Item,
        extra: &mut Extra,
    ) -> Result<(), String> {
        let name = args.first().and_then(|e| match e {
            Expr::String(s) => Some(s.clone()),
            _ => None,
        });
        let step = self.step("copied (`copy_metric`)");
        let mut copy = item.clone();
        match name {
            Some(n) => copy.name = n,
            None => copy.steps.push(Step {
                what: format!("{NAME_FROM_DATA} ({})", step.what),
                ..step.clone()
            }),
        }
        copy.steps.push(step);
        extra.new_items.push(copy);
        Ok(())
    }

    pub(super) fn derive_metric(
        &self,
        item: &Item,
        extra: &mut Extra,
        suffix: &str,
    ) -> Result<(), String> {
        if item.kind != RecordKind::Metric {
            return Ok(());
        }
        let mut copy = item.clone();
        copy.name = format!("{}{suffix}", item.name);
        copy.presence = Presence::Maybe;
        copy.steps
            .push(self.step("derived metric with the same attributes"));
        extra.new_items.push(copy);
        Ok(())
    }
}
