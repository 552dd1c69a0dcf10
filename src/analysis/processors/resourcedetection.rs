//! The `resourcedetection` processor (SEMANTICS B.9): detectors add what they find about
//! the collector's host or platform to the resource (maybe: a detector may find
//! nothing). By default a detected value replaces an existing one, so either may arrive.
//! The `env` detector adds the collector's `OTEL_RESOURCE_ATTRIBUTES`, whose keys the
//! configuration does not show. It never removes keys.
//!
//! Host identifiers (`host.name`, `host.id`, addresses) are pseudonymous identifiers:
//! when the collector runs on the employee's machine, they single that machine out.

use super::Ctx;
use super::cfg::{self, Bad};
use super::common::add_maybe;
use crate::analysis::flow::Item;
use crate::taxonomy::Category;

use Category::{PseudonymousIdentifier as Id, TechnicalMetadata as Tech};

/// The keys each detector sets by default (collector v0.124).
const DETECTORS: &[(&str, &[(&str, Category)])] = &[
    ("system", &[("host.name", Id), ("os.type", Tech)]),
    ("docker", &[("host.name", Id), ("os.type", Tech)]),
    (
        "ec2",
        &[
            ("cloud.provider", Tech),
            ("cloud.platform", Tech),
            ("cloud.account.id", Tech),
            ("cloud.region", Tech),
            ("cloud.availability_zone", Tech),
            ("host.id", Id),
            ("host.image.id", Tech),
            ("host.name", Id),
            ("host.type", Tech),
        ],
    ),
    (
        "eks",
        &[
            ("cloud.provider", Tech),
            ("cloud.platform", Tech),
            ("k8s.cluster.name", Tech),
        ],
    ),
    (
        "gcp",
        &[
            ("cloud.provider", Tech),
            ("cloud.platform", Tech),
            ("cloud.account.id", Tech),
            ("cloud.region", Tech),
            ("cloud.availability_zone", Tech),
            ("host.id", Id),
            ("host.name", Id),
            ("host.type", Tech),
            ("k8s.cluster.name", Tech),
        ],
    ),
    (
        "azure",
        &[
            ("cloud.provider", Tech),
            ("cloud.platform", Tech),
            ("cloud.region", Tech),
            ("cloud.account.id", Tech),
            ("host.id", Id),
            ("host.name", Id),
            ("azure.vm.name", Id),
            ("azure.vm.size", Tech),
            ("azure.vm.scaleset.name", Tech),
            ("azure.resourcegroup.name", Tech),
        ],
    ),
];

/// Optional keys a detector adds when `resource_attributes.<key>.enabled` is true.
fn optional_category(key: &str) -> Category {
    match key {
        "host.name" | "host.id" | "host.ip" | "host.mac" => Id,
        _ => Tech,
    }
}

/// Adds the detected keys to every item's resource.
pub fn apply(ctx: &mut Ctx<'_>, items: &mut [Item]) -> Result<(), Bad> {
    let config = &ctx.component.config;
    cfg::map_or_default(config)?;
    let detectors = cfg::strings(config, "detectors")?;
    let only: Vec<String> = cfg::strings(config, "attributes")?
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    let mut keys: Vec<(String, Category)> = Vec::new();
    let mut unnamed: Vec<(String, Vec<Category>)> = Vec::new();
    for (name, _) in &detectors {
        match DETECTORS.iter().find(|(d, _)| d == name) {
            Some((_, list)) => keys.extend(list.iter().map(|(k, c)| (k.to_string(), *c))),
            None if name == "env" => unnamed.push((
                "the collector's OTEL_RESOURCE_ATTRIBUTES".into(),
                vec![Category::AdminResourceAttributes],
            )),
            None => unnamed.push((
                format!("keys found by the `{name}` detector"),
                vec![Tech, Id, Category::AdminResourceAttributes],
            )),
        }
        keys.extend(enabled(config, name)?);
    }
    if !only.is_empty() {
        keys.retain(|(k, _)| only.contains(k));
        unnamed.clear();
    }
    let step = ctx.step("added by resource detection");
    for item in items.iter_mut() {
        for (k, c) in &keys {
            add_maybe(&mut item.resource, k, *c, &step);
        }
        for (why, cats) in &unnamed {
            item.resource
                .add_unknown(cats.clone(), why.clone(), vec![step.clone()]);
        }
    }
    Ok(())
}

/// Keys switched on under `<detector>.resource_attributes.<key>.enabled: true`.
fn enabled(config: &crate::tree::Node, detector: &str) -> Result<Vec<(String, Category)>, Bad> {
    let Some(attrs) = config
        .get(detector)
        .and_then(|d| d.get("resource_attributes"))
        .and_then(|r| r.as_map())
    else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for e in attrs {
        if cfg::boolean(&e.value, "enabled", false)? {
            out.push((e.key.clone(), optional_category(&e.key)));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{catalogue_items, run};
    use crate::analysis::shape::Presence;
    use crate::catalogue::telemetry::Signal as CatSignal;
    use crate::collector::Signal;
    use crate::taxonomy::Category;

    #[test]
    fn detectors_add_host_keys_and_env_adds_unnamed_keys() {
        let yaml = r#"
processors:
  resourcedetection:
    detectors: [env, system]
    system:
      resource_attributes:
        host.ip:
          enabled: true
"#;
        let r = run(
            yaml,
            "resourcedetection",
            Signal::Metrics,
            catalogue_items(CatSignal::Metrics, &[]),
        );
        let res = &r.items[0].resource;
        let host = res.get("host.name").unwrap();
        assert_eq!(host.shape.category, Category::PseudonymousIdentifier);
        assert_eq!(host.shape.presence, Presence::Maybe);
        assert!(res.get("host.ip").is_some());
        assert!(
            res.unknown
                .iter()
                .any(|u| u.reason.contains("OTEL_RESOURCE_ATTRIBUTES"))
        );
        // Existing keys stay; an existing host.arch is not removed.
        assert!(res.get("host.arch").is_some());
    }
}
