//! The `attributes` processor: the action engine on span, log-record and datapoint
//! attributes, for the items selected by `include` / `exclude`.

use crate::otlp::{Attributes, Scope, Telemetry};
use crate::simulate::attraction::Actions;
use crate::simulate::config;
use crate::simulate::error::ConfigError;
use crate::simulate::matching::{Item, MatchProperties, PROCESSOR};
use crate::tree::Node;

struct Selector {
    include: Option<MatchProperties>,
    exclude: Option<MatchProperties>,
}

impl Selector {
    fn parse(node: &Node) -> Result<Selector, ConfigError> {
        let block = |k: &str| {
            node.get(k)
                .filter(|n| !n.is_null())
                .map(|n| MatchProperties::parse(n, &PROCESSOR))
                .transpose()
        };
        Ok(Selector {
            include: block("include")?,
            exclude: block("exclude")?,
        })
    }

    fn selects(&self, item: &Item<'_>) -> bool {
        self.include.as_ref().is_none_or(|m| m.matches(item))
            && !self.exclude.as_ref().is_some_and(|m| m.matches(item))
    }
}

pub(super) fn run(node: &Node, mut data: Telemetry) -> Result<Telemetry, ConfigError> {
    config::require_known(node)?;
    config::check_keys(node, &["actions", "include", "exclude"])?;
    let actions = match node.get("actions") {
        Some(list) if !list.is_null() => Actions::parse(list)?,
        _ => {
            return Err(ConfigError::new(
                node.span,
                "missing required field `actions`",
            ));
        }
    };
    if actions.is_empty() {
        return Err(ConfigError::new(
            node.span,
            "missing required field `actions`",
        ));
    }
    let sel = Selector::parse(node)?;
    match &mut data {
        Telemetry::Logs(rls) => {
            for rl in rls {
                for sl in &mut rl.scope_logs {
                    for lr in &mut sl.log_records {
                        let item = Item {
                            resource: Some(&rl.resource.attributes),
                            scope: Some(&sl.scope),
                            attributes: Some(&lr.attributes),
                            log_body: Some(&lr.body),
                            severity_text: Some(&lr.severity_text),
                            severity_number: Some(lr.severity_number),
                            ..Item::default()
                        };
                        if sel.selects(&item) {
                            actions.apply(&mut lr.attributes);
                        }
                    }
                }
            }
        }
        Telemetry::Traces(rss) => {
            for rs in rss {
                for ss in &mut rs.scope_spans {
                    for span in &mut ss.spans {
                        let item = Item {
                            resource: Some(&rs.resource.attributes),
                            scope: Some(&ss.scope),
                            attributes: Some(&span.attributes),
                            span_name: Some(&span.name),
                            span_kind: Some(span.kind),
                            ..Item::default()
                        };
                        if sel.selects(&item) {
                            actions.apply(&mut span.attributes);
                        }
                    }
                }
            }
        }
        Telemetry::Metrics(rms) => {
            for rm in rms {
                for sm in &mut rm.scope_metrics {
                    for metric in &mut sm.metrics {
                        if metric_selected(&sel, &rm.resource.attributes, &sm.scope, &metric.name) {
                            metric
                                .datapoint_attributes_mut()
                                .into_iter()
                                .for_each(|a| actions.apply(a));
                        }
                    }
                }
            }
        }
    }
    Ok(data)
}

/// For metrics only the metric name and the resource attributes are matched.
fn metric_selected(sel: &Selector, resource: &Attributes, scope: &Scope, name: &str) -> bool {
    let item = Item {
        resource: Some(resource),
        scope: Some(scope),
        metric_name: Some(name),
        ..Item::default()
    };
    sel.selects(&item)
}
