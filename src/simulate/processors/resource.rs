//! The `resource` processor: the action engine on resource attributes, once per
//! resource, unconditionally.

use crate::otlp::Telemetry;
use crate::simulate::attraction::Actions;
use crate::simulate::config;
use crate::simulate::error::ConfigError;
use crate::tree::Node;

pub(super) fn run(node: &Node, mut data: Telemetry) -> Result<Telemetry, ConfigError> {
    config::require_known(node)?;
    config::check_keys(node, &["attributes"])?;
    let actions = match node.get("attributes") {
        Some(list) if !list.is_null() => Actions::parse(list)?,
        _ => {
            return Err(ConfigError::new(
                node.span,
                "missing required field `attributes`",
            ));
        }
    };
    if actions.is_empty() {
        return Err(ConfigError::new(
            node.span,
            "`attributes` must list at least one action",
        ));
    }
    match &mut data {
        Telemetry::Logs(r) => r
            .iter_mut()
            .for_each(|x| actions.apply(&mut x.resource.attributes)),
        Telemetry::Metrics(r) => r
            .iter_mut()
            .for_each(|x| actions.apply(&mut x.resource.attributes)),
        Telemetry::Traces(r) => r
            .iter_mut()
            .for_each(|x| actions.apply(&mut x.resource.attributes)),
    }
    Ok(data)
}
