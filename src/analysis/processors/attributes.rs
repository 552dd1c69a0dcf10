//! The `attributes` processor (SEMANTICS B.1): the action engine on the record attributes
//! of spans, log records and metric data points; never on resources, bodies or span
//! events. With `include` / `exclude`, the actions run only on matching items: where the
//! match can be decided they run or not, exactly; elsewhere their removals may not
//! happen and their additions may.

use super::cfg::{self, Bad};
use super::common::{Tri, either};
use super::matching::{self, PROCESSOR};
use super::{Ctx, attraction};
use crate::analysis::flow::Item;
use crate::analysis::shape::RecordKind;

/// Why a conditional effect is uncertain.
pub const CONDITIONAL: &str =
    "it applies only to items its include/exclude blocks match, which depends on the data";

/// Runs the processor on every item.
pub fn apply(ctx: &mut Ctx<'_>, items: &mut [Item]) -> Result<(), Bad> {
    let config = &ctx.component.config;
    cfg::map_or_default(config)?;
    let actions = attraction::parse(cfg::seq(config, "actions")?)?;
    let (include, exclude) = matching::blocks(config, &PROCESSOR)?;
    let mut undecided = Vec::new();
    for item in items.iter_mut().filter(|i| i.kind != RecordKind::SpanEvent) {
        match matching::acts_on(include.as_ref(), exclude.as_ref(), item) {
            Tri::No => {}
            Tri::Yes => attraction::run(ctx, &actions, &mut item.attributes),
            Tri::Maybe => {
                let mut after = item.attributes.clone();
                attraction::run(ctx, &actions, &mut after);
                item.attributes = either(&item.attributes, &after, CONDITIONAL);
                undecided.push(item.name.clone());
            }
        }
    }
    let at = ["include", "exclude"]
        .iter()
        .find_map(|k| ctx.component.config.entry(k).map(|e| e.key_span));
    ctx.undecided(at, "its include/exclude match", &undecided);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testing::{catalogue_items, log_item, run, state};
    use crate::analysis::shape::{AttrState, Presence};
    use crate::catalogue::telemetry::Signal as CatSignal;
    use crate::collector::Signal;
    use crate::diag::Code;

    const YAML: &str = r#"
processors:
  attributes/strip:
    actions:
      - key: user.email
        action: delete
      - pattern: ^user\.account_
        action: delete
      - key: prompt
        action: hash
      - key: team
        value: platform
        action: insert
      - key: copied
        from_attribute: session.id
        action: upsert
      - key: auth_header
        from_context: metadata.authorization
        action: insert
  attributes/metrics_only:
    include:
      match_type: strict
      metric_names: [claude_code.token.usage]
    actions:
      - key: user.email
        action: delete
  attributes/by_body:
    include:
      match_type: regexp
      log_bodies: ['user_prompt$']
    actions:
      - key: prompt
        action: delete
  attributes/by_value:
    include:
      match_type: strict
      attributes:
        - key: terminal.type
          value: vscode
    actions:
      - key: user.email
        action: delete
      - key: marker
        value: x
        action: insert
"#;

    #[test]
    fn unconditional_actions_delete_hash_and_add() {
        let items = catalogue_items(CatSignal::Logs, &[("OTEL_LOG_USER_PROMPTS", "1")]);
        let r = run(YAML, "attributes/strip", Signal::Logs, items);
        let up = r.item("user_prompt");
        assert_eq!(state(&up.attributes, "user.email"), None);
        assert!(up.attributes.removed.iter().any(|x| x.key == "user.email"));
        assert_eq!(state(&up.attributes, "user.account_uuid"), None);
        assert_eq!(
            state(&up.attributes, "prompt"),
            Some((AttrState::Hashed, Presence::Always))
        );
        let team = up.attributes.get("team").unwrap();
        assert_eq!(team.shape.state, AttrState::Placeholder);
        assert_eq!(team.shape.placeholder.as_deref(), Some("platform"));
        assert_eq!(team.steps.last().unwrap().line, Some(11));
        let copied = up.attributes.get("copied").unwrap();
        assert_eq!(
            copied.shape.category,
            up.attributes.get("session.id").unwrap().shape.category
        );
        let auth = up.attributes.get("auth_header").unwrap();
        assert_eq!(auth.shape.state, AttrState::Raw);
        assert_eq!(auth.shape.category, crate::taxonomy::Category::Unknown);
        // The resource is not touched; the body neither.
        assert!(up.resource.get("service.name").is_some());
        assert!(r.diags.is_empty(), "{:?}", r.diags);
    }

    #[test]
    fn a_decidable_include_applies_exactly() {
        let items = catalogue_items(CatSignal::Metrics, &[]);
        let r = run(YAML, "attributes/metrics_only", Signal::Metrics, items);
        let token = r.item("claude_code.token.usage");
        assert!(token.attributes.get("user.email").is_none());
        let session = r.item("claude_code.session.count");
        assert!(session.attributes.get("user.email").is_some());
        assert!(r.diags.is_empty());
    }

    #[test]
    fn a_known_body_decides_log_bodies() {
        let items = catalogue_items(CatSignal::Logs, &[("OTEL_LOG_USER_PROMPTS", "1")]);
        let r = run(YAML, "attributes/by_body", Signal::Logs, items);
        assert!(r.item("user_prompt").attributes.get("prompt").is_none());
        assert!(r.diags.is_empty());
    }

    #[test]
    fn an_undecidable_include_keeps_keys_as_maybe_and_counts_additions() {
        let items = catalogue_items(CatSignal::Logs, &[]);
        let r = run(YAML, "attributes/by_value", Signal::Logs, items);
        let up = r.item("user_prompt");
        let email = up.attributes.get("user.email").unwrap();
        assert_eq!(email.shape.presence, Presence::Maybe);
        assert!(email.steps.last().unwrap().what.contains("may not happen"));
        assert_eq!(
            state(&up.attributes, "marker"),
            Some((AttrState::Placeholder, Presence::Maybe))
        );
        assert_eq!(r.codes(), vec![Code::UndecidableCondition]);
    }

    #[test]
    fn a_constant_attribute_decides_an_attribute_match() {
        let item = log_item(
            "claude_code.user_prompt",
            &[("terminal.type", Some("vscode")), ("user.email", None)],
        );
        let other = log_item(
            "claude_code.api_request",
            &[("terminal.type", Some("iterm")), ("user.email", None)],
        );
        let r = run(YAML, "attributes/by_value", Signal::Logs, vec![item, other]);
        assert!(
            r.item("claude_code.user_prompt")
                .attributes
                .get("user.email")
                .is_none()
        );
        assert!(
            r.item("claude_code.api_request")
                .attributes
                .get("user.email")
                .is_some()
        );
        assert!(r.diags.is_empty());
    }

    #[test]
    fn secrets_and_substituted_values_are_never_constants_shown() {
        let yaml = "processors:\n  attributes:\n    actions:\n      - {key: authorization, value: Bearer abc123, action: upsert}\n      - {key: who, value: \"${env:USER}\", action: upsert}\n";
        let items = catalogue_items(CatSignal::Logs, &[]);
        let r = run(yaml, "attributes", Signal::Logs, items);
        let a = &r.item("user_prompt").attributes;
        let auth = a.get("authorization").unwrap();
        assert_eq!(
            (auth.shape.state, auth.shape.placeholder.clone()),
            (AttrState::Placeholder, None)
        );
        // A value from a reference is supplied at run time: raw, not a constant.
        assert_eq!(a.get("who").unwrap().shape.state, AttrState::Raw);
        assert!(!serde_json::to_string(&r.items).unwrap().contains("abc123"));
    }

    #[test]
    fn an_unreadable_action_makes_the_processor_unknown() {
        let yaml = "processors:\n  attributes:\n    actions:\n      - key: a\n        action: frobnicate\n";
        let items = catalogue_items(CatSignal::Logs, &[]);
        let r = run(yaml, "attributes", Signal::Logs, items);
        assert_eq!(r.codes(), vec![Code::ProcessorConfigUnreadable]);
        assert_eq!(r.diags[0].span.unwrap().line, 5);
        assert!(!r.item("user_prompt").attributes.unknown.is_empty());
    }
}
