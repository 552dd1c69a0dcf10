//! The `transform` processor (SEMANTICS B.5): OTTL statements, flat or in groups with a
//! context, `conditions` and `error_mode`, run in order on every item their context
//! reaches. Each statement is applied for certain where its conditions are decided true,
//! skipped where false, and joined with the untouched item where they depend on the data
//! (OD502). A statement the model does not understand is reported (OD506) and treated as
//! possibly copying anything into any map of the item.

use super::cfg::{self, Bad};
use super::common::Tri;
use super::ottl::cond::decide;
use super::ottl::editors::{Exec, Extra};
use super::ottl::guard::guard_is_redundant;
use super::ottl::paths::runs_on;
use super::ottl::shared::{
    on_records, reads_shared, resource_changes, share_resource_changes, writes_shared,
};
use super::ottl::{either_item, may_error, ottl_signal};
use super::{Ctx, unknown};
use crate::analysis::flow::Item;
use crate::analysis::shape::{Presence, RecordKind};
use crate::diag::{Code, Diagnostic};
use crate::files::Span;
use crate::ottl::{
    ErrorMode, Signal, Statement, StatementGroup, condition_patterns, parse_statement_groups,
    statement_patterns,
};

const KNOWN: &[&str] = &[
    "error_mode",
    "trace_statements",
    "metric_statements",
    "log_statements",
];

/// What one run found worth reporting.
#[derive(Default)]
struct Notes {
    undecided: Vec<String>,
    undecided_at: Option<Span>,
    masked: Vec<String>,
    masked_at: Option<Span>,
    not_modelled: Vec<(Span, String)>,
}

/// Runs the statements for the pipeline's signal on the items.
pub fn apply(ctx: &mut Ctx<'_>, items: &mut Vec<Item>) -> Result<(), Bad> {
    let config = &ctx.component.config;
    cfg::map_or_default(config)?;
    if let Some(e) = config
        .as_map()
        .and_then(|m| m.iter().find(|e| !KNOWN.contains(&e.key.as_str())))
    {
        return Err(Bad::new(
            e.key_span,
            format!("`{}` is not a transform setting this model knows", e.key),
        ));
    }
    let mode = match config.get("error_mode") {
        Some(n) => ErrorMode::from_node(n).map_err(|e| Bad::new(e.span, e.message))?,
        None => ErrorMode::Propagate,
    };
    let Some(signal) = ottl_signal(ctx.signal) else {
        return Ok(());
    };
    let Some(list) = config.get(statements_key(signal)) else {
        return Ok(());
    };
    let groups = match parse_statement_groups(list, signal) {
        Ok(g) => g,
        Err(e) if e.limit => return Err(cfg::ottl(e.span, e.message, true)),
        Err(e) => {
            not_understood(ctx, e.span, &e.message);
            let all = std::mem::take(items);
            *items = unknown::effect(ctx, all, "an OTTL statement could not be read");
            return Ok(());
        }
    };
    for g in &groups {
        let conditions = g.conditions.iter().flat_map(condition_patterns);
        cfg::patterns_fit(conditions.map(|p| (p, g.span)))?;
        for (stmt, span) in g.statements.iter().zip(&g.statement_spans) {
            cfg::patterns_fit(statement_patterns(stmt).into_iter().map(|p| (p, *span)))?;
        }
    }
    let mut notes = Notes::default();
    let writes = groups.iter().any(writes_shared);
    for g in &groups {
        let shared_unknown = writes && on_records(g);
        let run = Run {
            group: g,
            mode: g.error_mode.unwrap_or(mode),
            shared_unknown,
            undecided: g
                .conditions
                .iter()
                .map(|c| shared_unknown && reads_shared(c))
                .collect(),
        };
        for (stmt, span) in g.statements.iter().zip(&g.statement_spans) {
            run_statement(ctx, &run, stmt, *span, items, &mut notes);
        }
    }
    report(ctx, &notes);
    Ok(())
}

fn statements_key(signal: Signal) -> &'static str {
    match signal {
        Signal::Traces => "trace_statements",
        Signal::Metrics => "metric_statements",
        Signal::Logs => "log_statements",
    }
}

/// One statement group as it runs.
struct Run<'g> {
    group: &'g StatementGroup,
    mode: ErrorMode,
    /// Conditions reading the resource or scope cannot be decided: the group runs on
    /// records and records of the processor write them (see [`writes_shared`]).
    shared_unknown: bool,
    /// Per condition of the group, whether it is undecided for that reason; worked out
    /// once per group, not per item.
    undecided: Vec<bool>,
}

/// Why a statement may not run for an item, if it may not. `own_undecided`: the
/// statement's `where` clause is undecided whatever the item (see [`Run::undecided`]).
fn uncertainty(
    run: &Run<'_>,
    stmt: &Statement,
    own_undecided: bool,
    item: &Item,
) -> Result<Option<&'static str>, ()> {
    let (g, mode) = (run.group, run.mode);
    let judge = |c, undecided| {
        if undecided {
            Tri::Maybe
        } else {
            decide(c, item)
        }
    };
    let group = g
        .conditions
        .iter()
        .zip(&run.undecided)
        .map(|(c, u)| judge(c, *u))
        .reduce(Tri::or)
        .unwrap_or(Tri::Yes);
    let own = match &stmt.condition {
        Some(_) if guard_is_redundant(stmt) => Tri::Yes,
        Some(c) => judge(c, own_undecided),
        None => Tri::Yes,
    };
    if group == Tri::No || own == Tri::No {
        return Err(());
    }
    Ok(if own == Tri::Maybe {
        Some("its `where` clause depends on the data")
    } else if group == Tri::Maybe {
        Some("its group's `conditions` depend on the data")
    } else if mode != ErrorMode::Propagate && may_error(stmt) {
        Some("with error_mode ignore or silent it is skipped wherever it fails on the data's types")
    } else {
        None
    })
}

fn run_statement(
    ctx: &Ctx<'_>,
    run: &Run<'_>,
    stmt: &Statement,
    span: Span,
    items: &mut Vec<Item>,
    notes: &mut Notes,
) {
    let g = run.group;
    let own_undecided = run.shared_unknown && stmt.condition.as_ref().is_some_and(reads_shared);
    let exec = Exec { ctx, span };
    let mut extra = Extra::default();
    let mut out = Vec::with_capacity(items.len());
    let mut shared = Vec::new();
    for item in items.drain(..) {
        if !runs_on(g.context, &item) {
            out.push(item);
            continue;
        }
        let Ok(why) = uncertainty(run, stmt, own_undecided, &item) else {
            out.push(item);
            continue;
        };
        let created = extra.new_items.len();
        let mut after = item.clone();
        if let Err(what) = exec.apply(stmt, &mut after, &mut extra) {
            notes.not_modelled.push((span, what));
            let why = "an OTTL statement is not modelled";
            let changed = unknown::effect(ctx, vec![item.clone()], why);
            shared.extend(resource_changes(&item.resource, &changed[0].resource));
            out.extend(changed);
            continue;
        }
        shared.extend(resource_changes(&item.resource, &after.resource));
        match why {
            None => out.push(after),
            Some(why) => {
                notes.undecided.push(item.name.clone());
                notes.undecided_at.get_or_insert(span);
                for new in &mut extra.new_items[created..] {
                    new.presence = Presence::Maybe;
                }
                out.extend(either_item(&item, after, why));
            }
        }
    }
    if extra.computed_key {
        notes.not_modelled.push((
            span,
            "a key computed from the data (nothing it deletes counts as removed; what it writes counts under unnamed keys)".into(),
        ));
    }
    if !extra.masked.is_empty() {
        notes.masked.extend(extra.masked);
        notes.masked_at.get_or_insert(span);
    }
    for (parent, cats) in extra.parent_writes {
        let step = ctx.step_at("data written from a span event", span);
        for span_item in out
            .iter_mut()
            .filter(|i| i.kind == RecordKind::Span && i.name == parent)
        {
            span_item.attributes.add_unknown(
                cats.clone(),
                "data written by a statement on one of its events",
                vec![step.clone()],
            );
        }
    }
    out.extend(extra.new_items);
    share_resource_changes(&mut out, shared);
    *items = out;
}

fn not_understood(ctx: &mut Ctx<'_>, at: Span, what: &str) {
    ctx.diags.push(
        Diagnostic::new(
            Code::OttlNotUnderstood,
            format!(
                "processor `{}` in collector `{}`: {what}; the statement is assumed to remove nothing and possibly copy anything",
                ctx.component.id, ctx.collector
            ),
        )
        .at(at)
        .hint("write the effect with editors this analysis models (set, delete_key, keep_keys, replace_pattern, …) to have it count"),
    );
}

fn report(ctx: &mut Ctx<'_>, notes: &Notes) {
    let mut seen = Vec::new();
    for (span, what) in &notes.not_modelled {
        if !seen.contains(&(span, what)) {
            seen.push((span, what));
            let text = if what.starts_with("a key computed") {
                format!("the statement uses {what}")
            } else {
                format!("{what} is not modelled")
            };
            not_understood(ctx, *span, &text);
        }
    }
    ctx.undecided(
        notes.undecided_at,
        "whether a statement runs",
        &notes.undecided,
    );
    if !notes.masked.is_empty() {
        let mut keys = notes.masked.clone();
        keys.sort();
        keys.dedup();
        ctx.diags.push(
            Diagnostic::new(
                Code::ValueMasking,
                format!(
                    "processor `{}` in collector `{}` rewrites parts of values by pattern ({}); what the pattern does not match still arrives",
                    ctx.component.id, ctx.collector, keys.join(", ")
                ),
            )
            .at(notes.masked_at.unwrap_or(ctx.listed_at))
            .hint("to remove a value for certain, delete the key or replace the whole value (pattern `.*` with a literal)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{catalogue_items, log_item, run, state};
    use crate::analysis::shape::{AttrState, Presence};
    use crate::catalogue::telemetry::Signal as CatSignal;
    use crate::collector::Signal;
    use crate::diag::Code;
    use crate::taxonomy::Category;

    fn logs(env: &[(&str, &str)]) -> Vec<crate::analysis::flow::Item> {
        let mut e = vec![
            ("OTEL_LOG_USER_PROMPTS", "1"),
            ("OTEL_LOG_TOOL_DETAILS", "1"),
        ];
        e.extend_from_slice(env);
        catalogue_items(CatSignal::Logs, &e)
    }

    fn one(statements: &str) -> String {
        format!("processors:\n  transform:\n    log_statements:\n{statements}")
    }

    #[test]
    fn unconditional_delete_keep_hash_and_constant() {
        let yaml = one(r#"      - context: log
        statements:
          - delete_key(attributes, "user.email")
          - set(attributes["prompt"], SHA256(attributes["prompt"]))
          - set(attributes["prompt_text"], "gone")
          - keep_keys(resource.attributes, ["service.name"])
"#);
        let r = run(&yaml, "transform", Signal::Logs, logs(&[]));
        let up = r.item("user_prompt");
        assert_eq!(state(&up.attributes, "user.email"), None);
        assert!(up.attributes.removed.iter().any(|x| x.key == "user.email"));
        assert_eq!(
            state(&up.attributes, "prompt"),
            Some((AttrState::Hashed, Presence::Always))
        );
        let text = up.attributes.get("prompt_text").unwrap();
        assert_eq!(text.shape.state, AttrState::Placeholder);
        assert_eq!(text.shape.category, Category::PromptContent);
        assert_eq!(up.resource.keys.len(), 1);
        assert!(up.resource.unknown.is_empty());
        assert_eq!(text.steps.last().unwrap().line, Some(8));
        assert!(r.diags.is_empty(), "{:?}", r.diags);
    }

    #[test]
    fn flat_statements_infer_their_context() {
        let yaml = one("      - delete_key(log.attributes, \"prompt\")\n");
        let r = run(&yaml, "transform", Signal::Logs, logs(&[]));
        assert!(r.item("user_prompt").attributes.get("prompt").is_none());
    }

    #[test]
    fn a_where_on_the_body_is_decided() {
        let yaml = one(r#"      - context: log
        statements:
          - delete_key(attributes, "prompt") where body == "claude_code.user_prompt"
          - delete_key(attributes, "model") where body == "claude_code.nothing"
"#);
        let r = run(&yaml, "transform", Signal::Logs, logs(&[]));
        assert!(r.item("user_prompt").attributes.get("prompt").is_none());
        assert_eq!(
            state(&r.item("api_request").attributes, "model"),
            Some((AttrState::Raw, Presence::Always))
        );
        assert!(r.diags.is_empty(), "{:?}", r.diags);
    }

    #[test]
    fn an_undecided_where_weakens_removals_and_counts_additions() {
        let yaml = one(r#"      - context: log
        statements:
          - delete_key(attributes, "prompt") where attributes["prompt_length"] > 10
          - set(attributes["copy"], attributes["prompt"]) where attributes["prompt_length"] > 10
"#);
        let r = run(&yaml, "transform", Signal::Logs, logs(&[]));
        let up = r.item("user_prompt");
        assert_eq!(
            state(&up.attributes, "prompt"),
            Some((AttrState::Raw, Presence::Maybe))
        );
        let copy = up.attributes.get("copy").unwrap();
        assert_eq!(copy.shape.category, Category::PromptContent);
        assert_eq!(copy.shape.presence, Presence::Maybe);
        assert!(r.codes().contains(&Code::UndecidableCondition));
    }

    #[test]
    fn a_nil_guard_on_the_deleted_key_is_no_condition() {
        // The corpus idiom: copy a key to the resource, then delete it where present.
        let yaml = one(r#"      - context: log
        statements:
          - set(resource.attributes["user_email"], attributes["user.email"]) where attributes["user.email"] != nil
          - delete_key(attributes, "user.email") where attributes["user.email"] != nil
"#);
        let r = run(&yaml, "transform", Signal::Logs, logs(&[]));
        let up = r.item("user_prompt");
        assert!(up.attributes.get("user.email").is_none());
        let moved = up.resource.get("user_email").unwrap();
        assert_eq!(moved.shape.category, Category::ContactEmail);
        assert!(r.diags.is_empty(), "{:?}", r.diags);
    }

    #[test]
    fn value_patterns_mask_unless_they_match_everything() {
        let yaml = one(r#"      - context: log
        statements:
          - replace_pattern(attributes["prompt"], "[0-9]{16}", "****")
          - replace_pattern(attributes["prompt_text"], ".*", "REDACTED")
          - replace_pattern(attributes["tool_parameters"], "^.*$", "REDACTED")
          - replace_all_patterns(attributes, "key", "\\.", "_")
"#);
        let r = run(&yaml, "transform", Signal::Logs, logs(&[]));
        let up = r.item("user_prompt");
        assert_eq!(
            up.attributes.get("prompt").unwrap().shape.state,
            AttrState::Masked
        );
        assert_eq!(
            up.attributes.get("prompt_text").unwrap().shape.state,
            AttrState::Placeholder
        );
        assert!(up.attributes.get("session_id").is_some());
        assert!(up.attributes.get("session.id").is_none());
        let tool = r.item("tool_decision");
        // `^.*$` does not match a value with a line break: content may remain.
        assert_eq!(
            tool.attributes.get("tool_parameters").unwrap().shape.state,
            AttrState::Masked
        );
        assert!(r.codes().contains(&Code::ValueMasking));
    }

    #[test]
    fn parsing_into_maps_and_unknown_functions_add_unknown_keys() {
        let yaml = one(r#"      - context: log
        statements:
          - merge_maps(attributes, ParseJSON(attributes["tool_parameters"]), "upsert")
          - frobnicate(attributes)
"#);
        let r = run(&yaml, "transform", Signal::Logs, logs(&[]));
        let tool = r.item("tool_decision");
        assert!(
            tool.attributes
                .unknown
                .iter()
                .any(|u| u.categories.contains(&Category::ToolInput))
        );
        assert!(r.codes().contains(&Code::OttlNotUnderstood));
    }

    #[test]
    fn ignore_mode_makes_failing_statements_uncertain() {
        let yaml = r#"
processors:
  transform:
    error_mode: ignore
    log_statements:
      - context: log
        statements:
          - set(attributes["prompt"], SHA256(attributes["prompt"]))
          - delete_key(attributes, "user.email")
"#;
        let r = run(yaml, "transform", Signal::Logs, logs(&[]));
        let up = r.item("user_prompt");
        // SHA256 fails on a non-string: then the raw prompt stays.
        assert_eq!(
            up.attributes.get("prompt").unwrap().shape.state,
            AttrState::Raw
        );
        assert!(up.attributes.get("user.email").is_none());
    }

    #[test]
    fn a_resource_write_from_one_record_may_reach_every_record() {
        let yaml = one(r#"      - context: log
        statements:
          - set(resource.attributes["leak"], attributes["prompt"]) where body == "claude_code.user_prompt"
"#);
        let r = run(&yaml, "transform", Signal::Logs, logs(&[]));
        let up = r.item("user_prompt").resource.get("leak").unwrap();
        assert_eq!(up.shape.presence, Presence::Always);
        let other = r.item("api_request").resource.get("leak").unwrap();
        assert_eq!(other.shape.presence, Presence::Maybe);
        assert_eq!(other.shape.category, Category::PromptContent);
    }

    #[test]
    fn set_body_and_literal_rename() {
        let item = log_item("claude_code.user_prompt", &[("prompt", None)]);
        let yaml = one(r#"      - context: log
        statements:
          - set(body, attributes["prompt"])
"#);
        let r = run(&yaml, "transform", Signal::Logs, vec![item]);
        let body = r.items[0].body.as_ref().unwrap();
        assert_eq!(body.shape.state, AttrState::Raw);
        assert_eq!(body.shape.category, Category::PromptContent);
    }

    #[test]
    fn a_computed_key_is_reported_and_removes_nothing() {
        let yaml = one(r#"      - context: log
        statements:
          - delete_key(attributes, attributes["event.name"])
          - set(attributes[attributes["event.name"]], attributes["prompt"])
"#);
        let r = run(&yaml, "transform", Signal::Logs, logs(&[]));
        let up = r.item("user_prompt");
        assert!(up.attributes.get("event.name").is_some());
        assert!(
            up.attributes
                .unknown
                .iter()
                .any(|u| u.categories.contains(&Category::PromptContent))
        );
        assert_eq!(
            r.codes(),
            vec![Code::OttlNotUnderstood, Code::OttlNotUnderstood]
        );
    }

    #[test]
    fn constants_under_secret_keys_are_not_shown() {
        let yaml = one(r#"      - context: log
        statements:
          - set(attributes["api_token"], "s3cr3t-value")
          - set(attributes["team"], "platform")
"#);
        let r = run(&yaml, "transform", Signal::Logs, logs(&[]));
        let a = &r.item("user_prompt").attributes;
        assert_eq!(a.get("api_token").unwrap().shape.placeholder, None);
        assert_eq!(
            a.get("api_token").unwrap().shape.state,
            AttrState::Placeholder
        );
        assert_eq!(
            a.get("team").unwrap().shape.placeholder.as_deref(),
            Some("platform")
        );
        let json = serde_json::to_string(&r.items).unwrap();
        assert!(!json.contains("s3cr3t"));
    }

    #[test]
    fn a_statement_that_does_not_parse_is_unknown() {
        let yaml = one("      - set(attributes[\"x\"], \n");
        let r = run(&yaml, "transform", Signal::Logs, logs(&[]));
        assert_eq!(r.codes(), vec![Code::OttlNotUnderstood]);
        assert!(!r.item("user_prompt").attributes.unknown.is_empty());
    }
}
