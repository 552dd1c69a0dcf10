//! How large one collector configuration may be: pipelines and components are counted
//! before the graph is built, so a configuration past the limits is refused at once with
//! the place where it passes them, instead of being followed for minutes.

use super::model::Kind;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::limits::{MAX_COMPONENTS, MAX_PIPELINES};
use crate::tree::Node;

/// True when the configuration (merged and substituted) is within the limits; otherwise
/// the error is reported.
pub fn within_limits(name: &str, root: &Node, diags: &mut Diagnostics) -> bool {
    let pipelines = root
        .get("service")
        .and_then(|s| s.get("pipelines"))
        .and_then(Node::as_map)
        .unwrap_or_default();
    if let Some(past) = pipelines.get(MAX_PIPELINES) {
        diags.push(
            Diagnostic::new(
                Code::TooManyPipelines,
                format!(
                    "collector `{name}` has {} pipelines, more than the {MAX_PIPELINES} otel-dpia reads; the first one past the limit is here",
                    pipelines.len()
                ),
            )
            .at(past.key_span)
            .hint("check that this is the configuration meant (a generator may have run away); split it into several collectors if it is"),
        );
        return false;
    }
    let mut counted = 0;
    for kind in Kind::ALL {
        let section = root
            .get(kind.section())
            .and_then(Node::as_map)
            .unwrap_or_default();
        if let Some(past) = section.get(MAX_COMPONENTS - counted) {
            diags.push(
                Diagnostic::new(
                    Code::TooManyComponents,
                    format!(
                        "collector `{name}` defines more than the {MAX_COMPONENTS} components otel-dpia reads; the first one past the limit is here"
                    ),
                )
                .at(past.key_span)
                .hint("check that this is the configuration meant (a generator may have run away); split it into several collectors if it is"),
            );
            return false;
        }
        counted += section.len();
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::Files;
    use crate::tree::parse_yaml;

    #[test]
    fn one_pipeline_past_the_limit_is_refused_where_it_is() {
        let mut text = String::from("service:\n  pipelines:\n");
        for i in 0..=MAX_PIPELINES {
            text.push_str(&format!("    logs/{i}:\n"));
        }
        let mut files = Files::new();
        let id = files.add("big.yaml", text);
        let mut diags = Diagnostics::new();
        let root = parse_yaml(&files, id, &mut diags).unwrap().remove(0);
        assert!(!within_limits("big", &root, &mut diags));
        let d = diags.iter().next().unwrap();
        assert_eq!(d.code, Code::TooManyPipelines);
        assert_eq!(d.span.unwrap().line, MAX_PIPELINES as u32 + 3);
    }
}
