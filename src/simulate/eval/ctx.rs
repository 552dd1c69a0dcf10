//! The item an OTTL statement runs on, and the walk over a batch in a given context.

use super::EvalResult;
use crate::otlp::{Attributes, LogRecord, Metric, Resource, Scope, Span, Telemetry};
use crate::ottl::Context;

/// The innermost item of a context.
pub(crate) enum Item<'a> {
    /// Resource or scope context: no record.
    None,
    /// A log record.
    Log(&'a mut LogRecord),
    /// A span.
    Span(&'a mut Span),
    /// An event of a span, by index.
    SpanEvent(&'a mut Span, usize),
    /// A metric.
    Metric(&'a mut Metric),
    /// A datapoint of a metric, by index over all its datapoints.
    DataPoint(&'a mut Metric, usize),
}

/// Everything a statement can reach: the item and its ancestors, plus the per-item
/// `cache` map OTTL offers for temporary values.
pub(crate) struct Ctx<'a> {
    pub resource: &'a mut Resource,
    pub scope: Option<&'a mut Scope>,
    pub item: Item<'a>,
    pub cache: Attributes,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(
        resource: &'a mut Resource,
        scope: Option<&'a mut Scope>,
        item: Item<'a>,
    ) -> Self {
        Ctx {
            resource,
            scope,
            item,
            cache: Attributes::new(),
        }
    }
}

type Visit<'f> = &'f mut dyn FnMut(&mut Ctx<'_>) -> EvalResult<()>;

/// Calls `f` once per item of `context` in the batch, in data order.
pub(crate) fn for_each_ctx(data: &mut Telemetry, context: Context, f: Visit<'_>) -> EvalResult<()> {
    match data {
        Telemetry::Logs(rls) => {
            for rl in rls {
                let (resource, scopes) = (&mut rl.resource, &mut rl.scope_logs);
                if context == Context::Resource {
                    f(&mut Ctx::new(resource, None, Item::None))?;
                    continue;
                }
                for sl in scopes {
                    let (scope, records) = (&mut sl.scope, &mut sl.log_records);
                    if context == Context::Scope {
                        f(&mut Ctx::new(resource, Some(scope), Item::None))?;
                        continue;
                    }
                    for lr in records {
                        f(&mut Ctx::new(resource, Some(scope), Item::Log(lr)))?;
                    }
                }
            }
        }
        Telemetry::Traces(rss) => {
            for rs in rss {
                let (resource, scopes) = (&mut rs.resource, &mut rs.scope_spans);
                if context == Context::Resource {
                    f(&mut Ctx::new(resource, None, Item::None))?;
                    continue;
                }
                for ss in scopes {
                    let (scope, spans) = (&mut ss.scope, &mut ss.spans);
                    if context == Context::Scope {
                        f(&mut Ctx::new(resource, Some(scope), Item::None))?;
                        continue;
                    }
                    for span in spans {
                        if context == Context::SpanEvent {
                            for i in 0..span.events.len() {
                                f(&mut Ctx::new(
                                    resource,
                                    Some(scope),
                                    Item::SpanEvent(span, i),
                                ))?;
                            }
                        } else {
                            f(&mut Ctx::new(resource, Some(scope), Item::Span(span)))?;
                        }
                    }
                }
            }
        }
        Telemetry::Metrics(rms) => {
            for rm in rms {
                let (resource, scopes) = (&mut rm.resource, &mut rm.scope_metrics);
                if context == Context::Resource {
                    f(&mut Ctx::new(resource, None, Item::None))?;
                    continue;
                }
                for sm in scopes {
                    let (scope, metrics) = (&mut sm.scope, &mut sm.metrics);
                    if context == Context::Scope {
                        f(&mut Ctx::new(resource, Some(scope), Item::None))?;
                        continue;
                    }
                    for metric in metrics {
                        if context == Context::DataPoint {
                            for i in 0..metric.datapoint_count() {
                                f(&mut Ctx::new(
                                    resource,
                                    Some(scope),
                                    Item::DataPoint(metric, i),
                                ))?;
                            }
                        } else {
                            f(&mut Ctx::new(resource, Some(scope), Item::Metric(metric)))?;
                        }
                    }
                }
            }
        }
    }
    Ok(())
}
