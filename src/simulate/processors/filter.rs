//! The `filter` processor: drops whole items. OTTL conditions per context (ORed: an item
//! is dropped when any is true), or the legacy `include` / `exclude` match blocks.
//! Higher levels are decided first; a metric left without datapoints is removed, a span
//! left without events is kept; empty scopes and resources are removed.

use crate::files::Span;
use crate::otlp::{Metric, Telemetry};
use crate::ottl::{BoolExpr, Context, ErrorMode, Signal, parse_conditions};
use crate::simulate::config;
use crate::simulate::error::{ConfigError, SimError};
use crate::simulate::eval::{Ctx, EvalError, Item, check_bool, eval_bool};
use crate::simulate::matching::{self, MatchProperties};
use crate::tree::Node;

const NAME: &str = "filter";

type Conds = Vec<(BoolExpr, Span)>;

/// Legacy include/exclude blocks of one signal.
#[derive(Default)]
struct Legacy {
    include: Option<MatchProperties>,
    exclude: Option<MatchProperties>,
}

impl Legacy {
    fn keeps(&self, item: &matching::Item<'_>) -> bool {
        self.include.as_ref().is_none_or(|m| m.matches(item))
            && !self.exclude.as_ref().is_some_and(|m| m.matches(item))
    }

    fn is_empty(&self) -> bool {
        self.include.is_none() && self.exclude.is_none()
    }
}

pub(super) fn run(node: &Node, mut data: Telemetry) -> Result<Telemetry, SimError> {
    let wrap = |e: ConfigError| e.into_sim(NAME);
    config::require_known(node).map_err(wrap)?;
    config::check_keys(node, &["error_mode", "traces", "metrics", "logs", "spans"])
        .map_err(wrap)?;
    let mode = match node.get("error_mode") {
        Some(n) if !n.is_null() => {
            ErrorMode::from_node(n).map_err(|e| wrap(ConfigError::new(e.span, e.message)))?
        }
        _ => ErrorMode::Propagate,
    };
    let f = Filter { mode };
    match &mut data {
        Telemetry::Logs(_) => {
            let logs = node.get("logs");
            let conds = conditions(logs, "log_record", Signal::Logs, Context::Log)?;
            let legacy = legacy(logs, &matching::FILTER, &conds)?;
            f.logs(&mut data, &conds, &legacy)?;
        }
        Telemetry::Traces(_) => {
            let traces = node.get("traces");
            let spans = conditions(traces, "span", Signal::Traces, Context::Span)?;
            let events = conditions(traces, "spanevent", Signal::Traces, Context::SpanEvent)?;
            let legacy = legacy(node.get("spans"), &matching::PROCESSOR, &spans)?;
            f.traces(&mut data, &spans, &events, &legacy)?;
        }
        Telemetry::Metrics(_) => {
            let metrics = node.get("metrics");
            let mconds = conditions(metrics, "metric", Signal::Metrics, Context::Metric)?;
            let dconds = conditions(metrics, "datapoint", Signal::Metrics, Context::DataPoint)?;
            let legacy = legacy(metrics, &matching::FILTER, &mconds)?;
            f.metrics(&mut data, &mconds, &dconds, &legacy)?;
        }
    }
    Ok(data)
}

fn conditions(
    section: Option<&Node>,
    key: &str,
    signal: Signal,
    context: Context,
) -> Result<Conds, SimError> {
    let Some(list) = section.and_then(|s| s.get(key)) else {
        return Ok(Vec::new());
    };
    let conds = parse_conditions(list, signal, context)
        .map_err(|e| ConfigError::from_group(e).into_sim(NAME))?;
    for (c, span) in &conds {
        check_bool(c)
            .map_err(|e| super::transform::static_error(e, *span))
            .map_err(rename)?;
    }
    Ok(conds)
}

fn rename(e: SimError) -> SimError {
    match e {
        SimError::NotModelled { reason, span, .. } => SimError::NotModelled {
            processor: NAME.into(),
            reason,
            span,
        },
        SimError::Config { message, span, .. } => SimError::Config {
            processor: NAME.into(),
            message,
            span,
        },
        SimError::Dropped { message, span, .. } => SimError::Dropped {
            processor: NAME.into(),
            message,
            span,
        },
    }
}

fn legacy(
    section: Option<&Node>,
    dialect: &matching::Dialect,
    ottl: &Conds,
) -> Result<Legacy, SimError> {
    let Some(section) = section else {
        return Ok(Legacy::default());
    };
    let block = |k: &str| {
        section
            .get(k)
            .filter(|n| !n.is_null())
            .map(|n| MatchProperties::parse(n, dialect))
            .transpose()
            .map_err(|e| e.into_sim(NAME))
    };
    let l = Legacy {
        include: block("include")?,
        exclude: block("exclude")?,
    };
    if !l.is_empty() && !ottl.is_empty() {
        return Err(SimError::Config {
            processor: NAME.into(),
            message: "OTTL conditions and include/exclude cannot be combined for the same signal"
                .into(),
            span: section.span,
        });
    }
    Ok(l)
}

struct Filter {
    mode: ErrorMode,
}

impl Filter {
    /// True when any condition holds for the item (it is dropped). With `propagate`, a
    /// failing condition drops the whole batch; otherwise it counts as false.
    fn drops(&self, ctx: &mut Ctx<'_>, conds: &Conds) -> Result<bool, SimError> {
        for (c, span) in conds {
            match eval_bool(ctx, c) {
                Ok(true) => return Ok(true),
                Ok(false) => {}
                Err(EvalError::Runtime(m)) if self.mode == ErrorMode::Propagate => {
                    return Err(SimError::Dropped {
                        processor: NAME.into(),
                        message: m,
                        span: Some(*span),
                    });
                }
                Err(EvalError::Runtime(_)) => {}
                Err(e) => return Err(rename(super::transform::static_error(e, *span))),
            }
        }
        Ok(false)
    }

    fn logs(&self, data: &mut Telemetry, conds: &Conds, legacy: &Legacy) -> Result<(), SimError> {
        let Telemetry::Logs(rls) = data else {
            return Ok(());
        };
        for rl in rls.iter_mut() {
            for sl in &mut rl.scope_logs {
                let mut keep = Vec::with_capacity(sl.log_records.len());
                for lr in &mut sl.log_records {
                    let item = matching::Item {
                        resource: Some(&rl.resource.attributes),
                        scope: Some(&sl.scope),
                        attributes: Some(&lr.attributes),
                        log_body: Some(&lr.body),
                        severity_text: Some(&lr.severity_text),
                        severity_number: Some(lr.severity_number),
                        ..Default::default()
                    };
                    let kept_by_legacy = legacy.keeps(&item);
                    let mut ctx = Ctx::new(&mut rl.resource, Some(&mut sl.scope), Item::Log(lr));
                    keep.push(kept_by_legacy && !self.drops(&mut ctx, conds)?);
                }
                retain_mask(&mut sl.log_records, &keep);
            }
            rl.scope_logs.retain(|s| !s.log_records.is_empty());
        }
        rls.retain(|r| !r.scope_logs.is_empty());
        Ok(())
    }

    fn traces(
        &self,
        data: &mut Telemetry,
        spans: &Conds,
        events: &Conds,
        legacy: &Legacy,
    ) -> Result<(), SimError> {
        let Telemetry::Traces(rss) = data else {
            return Ok(());
        };
        for rs in rss.iter_mut() {
            for ss in &mut rs.scope_spans {
                let mut keep = Vec::with_capacity(ss.spans.len());
                for span in &mut ss.spans {
                    let item = matching::Item {
                        resource: Some(&rs.resource.attributes),
                        scope: Some(&ss.scope),
                        attributes: Some(&span.attributes),
                        span_name: Some(&span.name),
                        span_kind: Some(span.kind),
                        ..Default::default()
                    };
                    let kept_by_legacy = legacy.keeps(&item);
                    let mut ctx = Ctx::new(&mut rs.resource, Some(&mut ss.scope), Item::Span(span));
                    keep.push(kept_by_legacy && !self.drops(&mut ctx, spans)?);
                }
                retain_mask(&mut ss.spans, &keep);
                if events.is_empty() {
                    continue;
                }
                for span in &mut ss.spans {
                    let mut keep_events = Vec::with_capacity(span.events.len());
                    for i in 0..span.events.len() {
                        let mut ctx = Ctx::new(
                            &mut rs.resource,
                            Some(&mut ss.scope),
                            Item::SpanEvent(span, i),
                        );
                        keep_events.push(!self.drops(&mut ctx, events)?);
                    }
                    retain_mask(&mut span.events, &keep_events);
                }
            }
            rs.scope_spans.retain(|s| !s.spans.is_empty());
        }
        rss.retain(|r| !r.scope_spans.is_empty());
        Ok(())
    }

    fn metrics(
        &self,
        data: &mut Telemetry,
        mconds: &Conds,
        dconds: &Conds,
        legacy: &Legacy,
    ) -> Result<(), SimError> {
        let Telemetry::Metrics(rms) = data else {
            return Ok(());
        };
        for rm in rms.iter_mut() {
            for sm in &mut rm.scope_metrics {
                let mut keep = Vec::with_capacity(sm.metrics.len());
                for metric in &mut sm.metrics {
                    let item = matching::Item {
                        resource: Some(&rm.resource.attributes),
                        scope: Some(&sm.scope),
                        metric_name: Some(&metric.name),
                        ..Default::default()
                    };
                    let kept_by_legacy = legacy.keeps(&item);
                    let mut ctx =
                        Ctx::new(&mut rm.resource, Some(&mut sm.scope), Item::Metric(metric));
                    keep.push(kept_by_legacy && !self.drops(&mut ctx, mconds)?);
                }
                retain_mask(&mut sm.metrics, &keep);
                if dconds.is_empty() {
                    continue;
                }
                for metric in &mut sm.metrics {
                    let mut keep_points = Vec::new();
                    for i in 0..metric.datapoint_count() {
                        let mut ctx = Ctx::new(
                            &mut rm.resource,
                            Some(&mut sm.scope),
                            Item::DataPoint(metric, i),
                        );
                        keep_points.push(!self.drops(&mut ctx, dconds)?);
                    }
                    retain_datapoints(metric, &keep_points);
                }
                sm.metrics
                    .retain(|m| m.data_type() == 0 || m.datapoint_count() > 0);
            }
            rm.scope_metrics.retain(|s| !s.metrics.is_empty());
        }
        rms.retain(|r| !r.scope_metrics.is_empty());
        Ok(())
    }
}

fn retain_mask<T>(items: &mut Vec<T>, keep: &[bool]) {
    let mut i = 0;
    items.retain(|_| {
        let k = keep.get(i).copied().unwrap_or(true);
        i += 1;
        k
    });
}

/// Applies a keep-mask over all datapoints of a metric, in the order the evaluator
/// numbers them.
fn retain_datapoints(m: &mut Metric, keep: &[bool]) {
    let mut offset = 0;
    macro_rules! apply {
        ($field:expr) => {
            if let Some(d) = &mut $field {
                let n = d.data_points.len();
                retain_mask(&mut d.data_points, &keep[offset..offset + n]);
                offset += n;
            }
        };
    }
    apply!(m.gauge);
    apply!(m.sum);
    apply!(m.histogram);
    apply!(m.exponential_histogram);
    apply!(m.summary);
    let _ = offset;
}
