//! The `resource` processor (SEMANTICS B.2): the same action engine as `attributes`, on
//! the resource attributes, unconditionally.

use super::cfg::{self, Bad};
use super::{Ctx, attraction};
use crate::analysis::flow::Item;

/// Runs the actions on every item's resource.
pub fn apply(ctx: &mut Ctx<'_>, items: &mut [Item]) -> Result<(), Bad> {
    let config = &ctx.component.config;
    cfg::map_or_default(config)?;
    let list = cfg::seq(config, "attributes")?;
    if list.is_empty() {
        return Err(Bad::new(
            config.span,
            "the resource processor needs a non-empty `attributes` list",
        ));
    }
    let actions = attraction::parse(list)?;
    for item in items.iter_mut() {
        attraction::run(ctx, &actions, &mut item.resource);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testing::{catalogue_items, run};
    use crate::analysis::shape::AttrState;
    use crate::catalogue::telemetry::Signal as CatSignal;
    use crate::collector::Signal;
    use crate::diag::Code;

    #[test]
    fn resource_actions_change_the_resource_only() {
        let yaml = r#"
processors:
  resource:
    attributes:
      - key: service.name
        value: claude-code
        action: upsert
      - key: os.version
        action: delete
      - key: user.email
        action: delete
"#;
        let items = catalogue_items(CatSignal::Metrics, &[]);
        let r = run(yaml, "resource", Signal::Metrics, items);
        for item in &r.items {
            let s = item.resource.get("service.name").unwrap();
            assert_eq!(s.shape.state, AttrState::Placeholder);
            assert_eq!(s.shape.placeholder.as_deref(), Some("claude-code"));
            assert!(item.resource.get("os.version").is_none());
        }
        // Record attributes are not the resource's.
        let session = r.item("claude_code.session.count");
        assert!(session.attributes.get("user.email").is_some());
    }

    #[test]
    fn an_empty_list_is_a_configuration_the_collector_refuses() {
        let yaml = "processors:\n  resource:\n    attributes: []\n";
        let r = run(
            yaml,
            "resource",
            Signal::Logs,
            catalogue_items(CatSignal::Logs, &[]),
        );
        assert_eq!(r.codes(), vec![Code::ProcessorConfigUnreadable]);
    }
}
