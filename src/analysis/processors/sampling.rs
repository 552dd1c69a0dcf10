//! Sampling processors (SEMANTICS B.10): `probabilistic_sampler` and `tail_sampling` drop
//! whole records or traces, so every item becomes maybe present; they remove no
//! attribute. The probabilistic sampler may add its sampling keys to log records.

use super::cfg::{self, Bad};
use super::common::add_maybe;
use super::{Ctx, Side};
use crate::analysis::flow::Item;
use crate::analysis::shape::{Presence, RecordKind};
use crate::taxonomy::Category;

/// `probabilistic_sampler`: 0 % drops everything, 100 % nothing, anything else some.
pub fn probabilistic(ctx: &mut Ctx<'_>, items: &mut Vec<Item>) -> Result<Side, Bad> {
    let config = &ctx.component.config;
    cfg::map_or_default(config)?;
    let percentage = match config.get("sampling_percentage") {
        None => None,
        Some(n) => Some(
            n.as_str()
                .and_then(|t| t.parse::<f64>().ok())
                .ok_or_else(|| Bad::new(n.span, "`sampling_percentage` must be a number"))?,
        ),
    };
    let at = config
        .entry("sampling_percentage")
        .map_or(ctx.listed_at, |e| e.key_span);
    if percentage == Some(0.0) {
        let mut side = Side::default();
        for mut item in items.drain(..) {
            item.steps
                .push(ctx.step_at("dropped (sampling percentage 0)", at));
            side.dropped.push(item);
        }
        return Ok(side);
    }
    let keep_all = percentage.is_some_and(|p| p >= 100.0);
    let step = ctx.step_at("may be dropped by sampling", at);
    let added = ctx.step_at("added by sampling", at);
    for item in items.iter_mut() {
        if !keep_all {
            item.presence = Presence::Maybe;
            item.steps.push(step.clone());
        }
        if item.kind == RecordKind::Event {
            for key in ["sampling.threshold", "sampling.randomness"] {
                add_maybe(
                    &mut item.attributes,
                    key,
                    Category::TechnicalMetadata,
                    &added,
                );
            }
        }
    }
    Ok(Side::default())
}

/// `tail_sampling`: decides per trace by policies; only a lone `always_sample` policy
/// keeps everything for certain.
pub fn tail(ctx: &mut Ctx<'_>, items: &mut [Item]) -> Result<(), Bad> {
    let config = &ctx.component.config;
    cfg::map_or_default(config)?;
    let policies = cfg::seq(config, "policies")?;
    let keeps_all = !policies.is_empty()
        && policies
            .iter()
            .all(|p| p.get("type").and_then(|t| t.as_str()) == Some("always_sample"));
    if keeps_all {
        return Ok(());
    }
    let at = config
        .entry("policies")
        .map_or(ctx.listed_at, |e| e.key_span);
    let step = ctx.step_at("may be dropped by tail sampling", at);
    for item in items.iter_mut() {
        item.presence = Presence::Maybe;
        item.steps.push(step.clone());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testing::{catalogue_items, run};
    use crate::analysis::shape::Presence;
    use crate::catalogue::telemetry::Signal as CatSignal;
    use crate::collector::Signal;

    #[test]
    fn sampling_makes_items_maybe_and_zero_drops_all() {
        let yaml = r#"
processors:
  probabilistic_sampler:
    sampling_percentage: 15
  probabilistic_sampler/none:
    sampling_percentage: 0
  tail_sampling:
    policies:
      - name: errors
        type: status_code
"#;
        let r = run(
            yaml,
            "probabilistic_sampler",
            Signal::Logs,
            catalogue_items(CatSignal::Logs, &[]),
        );
        assert!(r.items.iter().all(|i| i.presence == Presence::Maybe));
        assert!(r.items[0].attributes.get("sampling.randomness").is_some());
        assert!(r.items[0].attributes.get("user.id").is_some());
        let r = run(
            yaml,
            "probabilistic_sampler/none",
            Signal::Logs,
            catalogue_items(CatSignal::Logs, &[]),
        );
        assert!(r.items.is_empty());
        assert!(!r.dropped.is_empty());
        let r = run(
            yaml,
            "tail_sampling",
            Signal::Traces,
            catalogue_items(CatSignal::Traces, &[]),
        );
        assert!(r.items.iter().all(|i| i.presence == Presence::Maybe));
    }
}
