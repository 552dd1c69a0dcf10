//! The `k8sattributes` processor (SEMANTICS B.8): the resource gains Kubernetes metadata
//! of the pod the data is associated with (when an association succeeds, so maybe), and
//! labels or annotations chosen by rules. Rules by key pattern or with templated names
//! make keys that cannot be named. It never removes keys.

use super::Ctx;
use super::cfg::{self, Bad};
use super::common::add_maybe;
use crate::analysis::flow::Item;
use crate::taxonomy::Category;
use crate::tree::Node;

/// The metadata extracted by default (collector v0.124).
const DEFAULT_METADATA: &[&str] = &[
    "k8s.namespace.name",
    "k8s.pod.name",
    "k8s.pod.uid",
    "k8s.pod.start_time",
    "k8s.deployment.name",
    "k8s.node.name",
    "container.image.name",
    "container.image.tag",
];

/// Adds the keys to every item's resource.
pub fn apply(ctx: &mut Ctx<'_>, items: &mut [Item]) -> Result<(), Bad> {
    let config = &ctx.component.config;
    cfg::map_or_default(config)?;
    let extract = config.get("extract");
    let mut keys: Vec<String> = if cfg::boolean(config, "passthrough", false)? {
        vec!["k8s.pod.ip".to_string()]
    } else {
        match extract.filter(|e| e.get("metadata").is_some()) {
            Some(e) => cfg::strings(e, "metadata")?
                .into_iter()
                .map(|(k, _)| k)
                .collect(),
            None => DEFAULT_METADATA.iter().map(|k| k.to_string()).collect(),
        }
    };
    keys.push("k8s.pod.ip".to_string());
    keys.sort();
    keys.dedup();
    let mut labels = Vec::new();
    let mut templated = false;
    if let Some(e) = extract {
        for (section, kind) in [("labels", "labels"), ("annotations", "annotations")] {
            for rule in cfg::seq(e, section)? {
                match rule_key(rule, kind)? {
                    Some(k) => labels.push(k),
                    None => templated = true,
                }
            }
        }
    }
    let step = ctx.step("added from Kubernetes metadata");
    for item in items.iter_mut() {
        for k in &keys {
            add_maybe(&mut item.resource, k, Category::TechnicalMetadata, &step);
        }
        for k in &labels {
            add_maybe(
                &mut item.resource,
                k,
                Category::AdminResourceAttributes,
                &step,
            );
        }
        if templated {
            item.resource.add_unknown(
                vec![Category::AdminResourceAttributes],
                "Kubernetes labels or annotations chosen by a pattern",
                vec![step.clone()],
            );
        }
    }
    Ok(())
}

/// The key a label/annotation rule writes, or `None` when its name depends on the data.
fn rule_key(rule: &Node, kind: &str) -> Result<Option<String>, Bad> {
    if rule.get("key_regex").is_some() {
        return Ok(None);
    }
    let tag = cfg::string(rule, "tag_name")?.map(|(t, _)| t);
    let key = cfg::string(rule, "key")?.map(|(k, _)| k);
    let from = cfg::string(rule, "from")?.map_or_else(|| "pod".to_string(), |(f, _)| f);
    Ok(match (tag, key) {
        (Some(t), _) if t.contains('$') => None,
        (Some(t), _) => Some(t),
        (None, Some(k)) => Some(format!("k8s.{from}.{kind}.{k}")),
        (None, None) => None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{catalogue_items, run};
    use crate::analysis::shape::Presence;
    use crate::catalogue::telemetry::Signal as CatSignal;
    use crate::collector::Signal;

    #[test]
    fn adds_metadata_and_labels_never_removes() {
        let yaml = r#"
processors:
  k8sattributes:
    extract:
      labels:
        - tag_name: team
          key: team
        - key_regex: (.*)
          tag_name: $$1
"#;
        let items = catalogue_items(CatSignal::Logs, &[]);
        let before = items[0].resource.keys.len();
        let r = run(yaml, "k8sattributes", Signal::Logs, items);
        let res = &r.items[0].resource;
        assert!(res.keys.len() > before);
        assert_eq!(
            res.get("k8s.pod.name").unwrap().shape.presence,
            Presence::Maybe
        );
        assert!(res.get("team").is_some());
        assert!(res.get("service.name").is_some());
        assert!(!res.unknown.is_empty());
    }
}
