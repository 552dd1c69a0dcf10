//! The deprecated `routing` processor (SEMANTICS B.12, D): it sends data straight to
//! exporters named in its `table` and `default_exporters`, bypassing the pipeline's
//! exporter list, so those exporters become destinations of everything that reaches it.
//! With `drop_resource_routing_attribute`, the routing key may be removed from the
//! resource (only where a route matched, so not for certain).

use super::Ctx;
use super::cfg::{self, Bad};
use crate::analysis::flow::Item;
use crate::collector::ComponentId;

/// The exporters the processor may send to; the items themselves are unchanged except
/// for a possibly dropped routing key.
pub fn apply(ctx: &mut Ctx<'_>, items: &mut [Item]) -> Result<Vec<ComponentId>, Bad> {
    let config = &ctx.component.config;
    cfg::map_or_default(config)?;
    let mut names = cfg::strings(config, "default_exporters")?;
    for route in cfg::seq(config, "table")? {
        names.extend(cfg::strings(route, "exporters")?);
    }
    let mut out: Vec<ComponentId> = Vec::new();
    for (name, span) in names {
        let id = ComponentId::parse(&name).map_err(|e| Bad::new(span, e))?;
        if !out.contains(&id) {
            out.push(id);
        }
    }
    let from_resource =
        cfg::string(config, "attribute_source")?.is_some_and(|(s, _)| s == "resource");
    if from_resource
        && cfg::boolean(config, "drop_resource_routing_attribute", false)?
        && let Some((key, span)) = cfg::string(config, "from_attribute")?
    {
        let step = ctx.step_at("may be dropped after routing", span);
        for item in items.iter_mut() {
            item.resource.weaken(&key, step.clone());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{catalogue_items, run};
    use crate::catalogue::telemetry::Signal as CatSignal;
    use crate::collector::{ComponentId, Signal};

    #[test]
    fn table_and_default_exporters_become_extra_edges() {
        let yaml = r#"
processors:
  routing:
    from_attribute: tenant
    default_exporters: [otlp/default]
    table:
      - value: acme
        exporters: [otlp/acme, otlp/default]
      - statement: route() where resource.attributes["x"] == "y"
        exporters: [debug]
"#;
        let r = run(
            yaml,
            "routing",
            Signal::Logs,
            catalogue_items(CatSignal::Logs, &[]),
        );
        let want: Vec<ComponentId> = ["otlp/default", "otlp/acme", "debug"]
            .iter()
            .map(|s| ComponentId::parse(s).unwrap())
            .collect();
        assert_eq!(r.extra, want);
        assert!(!r.items.is_empty());
    }
}
