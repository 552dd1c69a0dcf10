//! The `filter` processor (SEMANTICS B.4): it drops whole items and never edits
//! attributes. An item is dropped for certain only when a condition is certainly true for
//! it (a metric name, a known body, a known constant attribute); where a condition depends
//! on the data the item stays, maybe present (OD502). A condition the model cannot read
//! is reported (OD506) and counts as "may drop". A dropped span takes its events along.
//!
//! Both forms are read: OTTL conditions (`traces.span`, `traces.spanevent`,
//! `metrics.metric`, `metrics.datapoint`, `logs.log_record`), ORed, and the legacy
//! `include`/`exclude` blocks (`spans`, `metrics`, `logs`).

use super::cfg::{self, Bad};
use super::common::Tri;
use super::matching::{self, Dialect, FILTER, Matcher, PROCESSOR};
use super::ottl::cond::decide;
use super::ottl::ottl_signal;
use super::{Ctx, Side};
use crate::analysis::flow::Item;
use crate::analysis::shape::{Presence, RecordKind};
use crate::collector::Signal;
use crate::diag::{Code, Diagnostic};
use crate::files::Span;
use crate::ottl::{
    BoolExpr, Context, ErrorMode, condition_patterns, parse_condition, resolve_group,
};
use crate::tree::Node;

const KNOWN: &[&str] = &["error_mode", "traces", "metrics", "logs", "spans"];

/// The conditions of one OTTL list, each parsed or not.
struct Conditions {
    context: Context,
    list: Vec<(Option<BoolExpr>, Span)>,
}

/// How the processor decides for the pipeline's signal.
enum Rule {
    /// OTTL condition lists; an item is dropped if any condition holds.
    Ottl(Vec<Conditions>),
    /// Legacy include/exclude: an item is kept iff it matches include (when given) and
    /// not exclude (when given).
    Legacy(Box<(Option<Matcher>, Option<Matcher>)>, Span),
    /// Nothing configured for this signal.
    None,
}

/// Runs the filter on the items.
pub fn apply(ctx: &mut Ctx<'_>, items: &mut Vec<Item>) -> Result<Side, Bad> {
    let config = &ctx.component.config;
    cfg::map_or_default(config)?;
    if let Some(e) = config
        .as_map()
        .and_then(|m| m.iter().find(|e| !KNOWN.contains(&e.key.as_str())))
    {
        return Err(Bad::new(
            e.key_span,
            format!("`{}` is not a filter setting", e.key),
        ));
    }
    if let Some(n) = config.get("error_mode") {
        ErrorMode::from_node(n).map_err(|e| Bad::new(e.span, e.message))?;
    }
    let rule = rule(config, ctx.signal)?;
    let mut bad_conditions = Vec::new();
    if let Rule::Ottl(lists) = &rule {
        for l in lists {
            bad_conditions.extend(l.list.iter().filter(|(c, _)| c.is_none()).map(|(_, s)| *s));
        }
    }
    let mut side = Side::default();
    let mut undecided = Vec::new();
    let mut kept = Vec::with_capacity(items.len());
    let decisions: Vec<Tri> = items.iter().map(|i| decide_drop(&rule, i)).collect();
    // A dropped span takes its events along.
    let span_drop = |parent: &str| {
        items
            .iter()
            .zip(&decisions)
            .filter(|(i, _)| i.kind == RecordKind::Span && i.name == parent)
            .fold(Tri::No, |acc, (_, d)| acc.or(*d))
    };
    let decisions: Vec<Tri> = items
        .iter()
        .zip(&decisions)
        .map(|(i, d)| match (&i.parent, i.kind) {
            (Some(p), RecordKind::SpanEvent) => d.or(span_drop(p)),
            _ => *d,
        })
        .collect();
    let at = rule_span(&rule).unwrap_or(ctx.listed_at);
    for (mut item, drop) in items.drain(..).zip(decisions) {
        match drop {
            Tri::No => kept.push(item),
            Tri::Yes => {
                item.steps
                    .push(ctx.step_at("dropped (a filter condition holds)", at));
                side.dropped.push(item);
            }
            Tri::Maybe => {
                undecided.push(item.name.clone());
                item.presence = Presence::Maybe;
                item.steps.push(ctx.step_at(
                    "may be dropped (a filter condition depends on the data)",
                    at,
                ));
                kept.push(item);
            }
        }
    }
    *items = kept;
    for span in bad_conditions {
        ctx.diags.push(
            Diagnostic::new(
                Code::OttlNotUnderstood,
                format!(
                    "processor `{}` in collector `{}`: a filter condition could not be read; it is assumed that it may drop any item",
                    ctx.component.id, ctx.collector
                ),
            )
            .at(span)
            .hint("the collector checks conditions at start-up and may refuse this one"),
        );
    }
    let at = rule_span(&rule);
    ctx.undecided(at, "whether a filter condition holds", &undecided);
    Ok(side)
}

fn rule_span(rule: &Rule) -> Option<Span> {
    match rule {
        Rule::Ottl(lists) => lists.iter().flat_map(|l| &l.list).map(|(_, s)| *s).next(),
        Rule::Legacy(_, s) => Some(*s),
        Rule::None => None,
    }
}

/// Whether the filter drops the item.
fn decide_drop(rule: &Rule, item: &Item) -> Tri {
    match rule {
        Rule::None => Tri::No,
        Rule::Legacy(blocks, _) => {
            let (include, exclude) = blocks.as_ref();
            if !matches!(
                item.kind,
                RecordKind::Span | RecordKind::Metric | RecordKind::Event
            ) {
                return Tri::No;
            }
            matching::acts_on(include.as_ref(), exclude.as_ref(), item).not()
        }
        Rule::Ottl(lists) => lists
            .iter()
            .filter(|l| applies(l.context, item))
            .flat_map(|l| &l.list)
            .map(|(c, _)| c.as_ref().map_or(Tri::Maybe, |c| decide(c, item)))
            .fold(Tri::No, Tri::or),
    }
}

/// The items a filter context tests.
fn applies(context: Context, item: &Item) -> bool {
    matches!(
        (context, item.kind),
        (Context::Span, RecordKind::Span)
            | (Context::SpanEvent, RecordKind::SpanEvent)
            | (Context::Metric | Context::DataPoint, RecordKind::Metric)
            | (Context::Log, RecordKind::Event)
    )
}

/// The OTTL lists and legacy blocks of each signal.
struct SignalKeys {
    section: &'static str,
    lists: &'static [(&'static str, Context)],
    legacy_section: &'static str,
    dialect: &'static Dialect,
}

fn keys_for(signal: Signal) -> Option<SignalKeys> {
    Some(match signal {
        Signal::Traces => SignalKeys {
            section: "traces",
            lists: &[("span", Context::Span), ("spanevent", Context::SpanEvent)],
            legacy_section: "spans",
            dialect: &PROCESSOR,
        },
        Signal::Metrics => SignalKeys {
            section: "metrics",
            lists: &[
                ("metric", Context::Metric),
                ("datapoint", Context::DataPoint),
            ],
            legacy_section: "metrics",
            dialect: &FILTER,
        },
        Signal::Logs => SignalKeys {
            section: "logs",
            lists: &[("log_record", Context::Log)],
            legacy_section: "logs",
            dialect: &FILTER,
        },
        Signal::Profiles => return None,
    })
}

fn rule(config: &Node, signal: Signal) -> Result<Rule, Bad> {
    let Some(keys) = keys_for(signal) else {
        return Ok(Rule::None);
    };
    let ottl_sig = ottl_signal(signal).expect("not profiles");
    let mut lists = Vec::new();
    if let Some(section) = config.get(keys.section) {
        for (key, context) in keys.lists {
            if let Some(list) = section.get(key) {
                lists.push(conditions(list, ottl_sig, *context)?);
            }
        }
    }
    let legacy = config
        .get(keys.legacy_section)
        .filter(|s| s.get("include").is_some() || s.get("exclude").is_some());
    match (lists.is_empty(), legacy) {
        (true, None) => Ok(Rule::None),
        (false, None) => Ok(Rule::Ottl(lists)),
        (true, Some(section)) => {
            let (inc, exc) = matching::blocks(section, keys.dialect)?;
            Ok(Rule::Legacy(Box::new((inc, exc)), section.span))
        }
        (false, Some(section)) => Err(Bad::new(
            section.span,
            "OTTL conditions and include/exclude cannot be combined for one signal",
        )),
    }
}

fn conditions(
    list: &Node,
    signal: crate::ottl::Signal,
    context: Context,
) -> Result<Conditions, Bad> {
    let items: Vec<(&str, Span)> = match &list.value {
        crate::tree::Value::Null => Vec::new(),
        crate::tree::Value::Seq(items) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(|t| (t, i.span))
                    .ok_or_else(|| Bad::new(i.span, "a condition must be a string"))
            })
            .collect::<Result<_, _>>()?,
        _ => return Err(Bad::new(list.span, "conditions must be a list")),
    };
    let list = items
        .into_iter()
        .map(|(text, span)| {
            let parsed = match parse_condition(text) {
                Ok(c) => Some(c),
                Err(e) if e.limit => return Err(cfg::ottl(span, e.message, true)),
                Err(_) => None,
            };
            if let Some(c) = &parsed {
                cfg::patterns_fit(condition_patterns(c).into_iter().map(|p| (p, span)))?;
            }
            let resolved = parsed.and_then(|c| {
                let mut conds = [c];
                resolve_group(signal, Some(context), &mut [], &mut conds)
                    .ok()
                    .map(|_| conds.into_iter().next().expect("one"))
            });
            Ok((resolved, span))
        })
        .collect::<Result<_, Bad>>()?;
    Ok(Conditions { context, list })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{catalogue_items, log_item, run};
    use crate::analysis::shape::Presence;
    use crate::catalogue::telemetry::Signal as CatSignal;
    use crate::collector::Signal;
    use crate::diag::Code;

    const YAML: &str = r#"
processors:
  filter/body:
    logs:
      log_record:
        - body == "claude_code.user_prompt"
  filter/event_name:
    logs:
      log_record:
        - attributes["event.name"] == "user_prompt"
  filter/metric:
    error_mode: ignore
    metrics:
      metric:
        - name == "claude_code.cost.usage"
      datapoint:
        - attributes["model"] == "x"
  filter/span:
    traces:
      span:
        - name == "claude_code.tool"
  filter/legacy:
    logs:
      include:
        match_type: strict
        bodies: [claude_code.api_request]
  filter/broken:
    logs:
      log_record:
        - body == 
"#;

    #[test]
    fn a_certain_condition_drops_the_record() {
        let r = run(
            YAML,
            "filter/body",
            Signal::Logs,
            catalogue_items(CatSignal::Logs, &[]),
        );
        assert!(!r.has("user_prompt"));
        assert!(r.has("api_request"));
        let dropped = &r.dropped[0];
        assert_eq!(dropped.name, "user_prompt");
        assert_eq!(dropped.steps.last().unwrap().line, Some(6));
        assert!(r.diags.is_empty(), "{:?}", r.diags);
    }

    #[test]
    fn a_known_constant_attribute_decides_a_condition() {
        let prompt = log_item(
            "claude_code.user_prompt",
            &[("event.name", Some("user_prompt"))],
        );
        let other = log_item(
            "claude_code.api_request",
            &[("event.name", Some("api_request"))],
        );
        let r = run(YAML, "filter/event_name", Signal::Logs, vec![prompt, other]);
        assert!(!r.has("claude_code.user_prompt"));
        assert_eq!(r.item("claude_code.api_request").presence, Presence::Always);
    }

    #[test]
    fn event_name_conditions_are_decided_from_the_catalogue_constant() {
        // The catalogue states that event.name is the event's name, so the condition is
        // decided for every catalogue record: user_prompt is dropped, the others stay.
        let r = run(
            YAML,
            "filter/event_name",
            Signal::Logs,
            catalogue_items(CatSignal::Logs, &[]),
        );
        assert!(!r.has("user_prompt"));
        let other = r.item("api_request");
        assert_eq!(other.presence, Presence::Always);
        assert!(r.codes().is_empty(), "{:?}", r.codes());
    }

    #[test]
    fn metric_names_and_spans_with_their_events() {
        let r = run(
            YAML,
            "filter/metric",
            Signal::Metrics,
            catalogue_items(CatSignal::Metrics, &[]),
        );
        assert!(!r.has("claude_code.cost.usage"));
        assert_eq!(r.item("claude_code.token.usage").presence, Presence::Maybe);
        let traces = catalogue_items(CatSignal::Traces, &[("OTEL_LOG_TOOL_CONTENT", "1")]);
        assert!(
            traces
                .iter()
                .any(|i| i.parent.as_deref() == Some("claude_code.tool"))
        );
        let r = run(YAML, "filter/span", Signal::Traces, traces);
        assert!(!r.has("claude_code.tool"));
        assert!(
            !r.items
                .iter()
                .any(|i| i.parent.as_deref() == Some("claude_code.tool"))
        );
        assert!(r.has("claude_code.interaction"));
    }

    #[test]
    fn legacy_include_keeps_only_matching_records() {
        let r = run(
            YAML,
            "filter/legacy",
            Signal::Logs,
            catalogue_items(CatSignal::Logs, &[]),
        );
        assert_eq!(r.items.len(), 1);
        assert!(r.has("api_request"));
    }

    #[test]
    fn an_unreadable_condition_may_drop_anything() {
        let r = run(
            YAML,
            "filter/broken",
            Signal::Logs,
            catalogue_items(CatSignal::Logs, &[]),
        );
        assert!(r.items.iter().all(|i| i.presence == Presence::Maybe));
        assert!(r.codes().contains(&Code::OttlNotUnderstood));
    }
}
