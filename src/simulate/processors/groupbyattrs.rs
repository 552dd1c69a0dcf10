//! The `groupbyattrs` processor: moves the listed keys from each record's attributes to
//! its resource, and regroups records under resources that are equal after the move.
//! With no keys it only merges identical resources.

use crate::otlp::{
    Attributes, Metric, Resource, ResourceLogs, ResourceMetrics, ResourceSpans, Scope, ScopeLogs,
    ScopeMetrics, ScopeSpans, Telemetry,
};
use crate::simulate::config;
use crate::simulate::error::ConfigError;
use crate::tree::Node;

pub(super) fn run(node: &Node, data: Telemetry) -> Result<Telemetry, ConfigError> {
    config::require_known(node)?;
    config::check_keys(node, &["keys"])?;
    let keys: Vec<String> = config::str_list(node, "keys")?
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    Ok(match data {
        Telemetry::Logs(rls) => Telemetry::Logs(group_logs(rls, &keys)),
        Telemetry::Traces(rss) => Telemetry::Traces(group_spans(rss, &keys)),
        Telemetry::Metrics(rms) => Telemetry::Metrics(group_metrics(rms, &keys)),
    })
}

/// Moves the grouping keys out of `attrs` and returns the resource the record belongs to.
fn target_resource(resource: &Resource, attrs: &mut Attributes, keys: &[String]) -> Resource {
    let mut out = resource.clone();
    for k in keys {
        if let Some(v) = attrs.remove(k) {
            out.attributes.put(k.clone(), v);
        }
    }
    out
}

/// The index of an equal entry in `list`, adding `make()` when there is none.
fn find_or_add<T>(list: &mut Vec<T>, same: impl Fn(&T) -> bool, make: impl FnOnce() -> T) -> usize {
    match list.iter().position(same) {
        Some(i) => i,
        None => {
            list.push(make());
            list.len() - 1
        }
    }
}

fn same_resource(a: &Resource, b: &Resource) -> bool {
    a.dropped_attributes_count == b.dropped_attributes_count
        && sorted(&a.attributes) == sorted(&b.attributes)
}

fn sorted(a: &Attributes) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = a
        .iter()
        .map(|(k, v)| (k.to_string(), format!("{v:?}")))
        .collect();
    v.sort();
    v
}

fn same_scope(a: &Scope, b: &Scope) -> bool {
    a.name == b.name && a.version == b.version && sorted(&a.attributes) == sorted(&b.attributes)
}

fn group_logs(rls: Vec<ResourceLogs>, keys: &[String]) -> Vec<ResourceLogs> {
    let mut out: Vec<ResourceLogs> = Vec::new();
    for rl in rls {
        for sl in rl.scope_logs {
            for mut lr in sl.log_records {
                let res = target_resource(&rl.resource, &mut lr.attributes, keys);
                let r = find_or_add(
                    &mut out,
                    |x| same_resource(&x.resource, &res),
                    || ResourceLogs {
                        resource: res.clone(),
                        schema_url: rl.schema_url.clone(),
                        ..Default::default()
                    },
                );
                let scopes = &mut out[r].scope_logs;
                let s = find_or_add(
                    scopes,
                    |x| same_scope(&x.scope, &sl.scope),
                    || ScopeLogs {
                        scope: sl.scope.clone(),
                        schema_url: sl.schema_url.clone(),
                        ..Default::default()
                    },
                );
                scopes[s].log_records.push(lr);
            }
        }
    }
    out
}

fn group_spans(rss: Vec<ResourceSpans>, keys: &[String]) -> Vec<ResourceSpans> {
    let mut out: Vec<ResourceSpans> = Vec::new();
    for rs in rss {
        for ss in rs.scope_spans {
            for mut span in ss.spans {
                let res = target_resource(&rs.resource, &mut span.attributes, keys);
                let r = find_or_add(
                    &mut out,
                    |x| same_resource(&x.resource, &res),
                    || ResourceSpans {
                        resource: res.clone(),
                        schema_url: rs.schema_url.clone(),
                        ..Default::default()
                    },
                );
                let scopes = &mut out[r].scope_spans;
                let s = find_or_add(
                    scopes,
                    |x| same_scope(&x.scope, &ss.scope),
                    || ScopeSpans {
                        scope: ss.scope.clone(),
                        schema_url: ss.schema_url.clone(),
                        ..Default::default()
                    },
                );
                scopes[s].spans.push(span);
            }
        }
    }
    out
}

/// Metrics are regrouped per datapoint: each datapoint goes to a copy of its metric
/// under the resource its moved keys select.
fn group_metrics(rms: Vec<ResourceMetrics>, keys: &[String]) -> Vec<ResourceMetrics> {
    let mut out: Vec<ResourceMetrics> = Vec::new();
    for rm in rms {
        for sm in rm.scope_metrics {
            for metric in sm.metrics {
                for (res, single) in split_metric(&rm.resource, metric, keys) {
                    let r = find_or_add(
                        &mut out,
                        |x| same_resource(&x.resource, &res),
                        || ResourceMetrics {
                            resource: res.clone(),
                            schema_url: rm.schema_url.clone(),
                            ..Default::default()
                        },
                    );
                    let scopes = &mut out[r].scope_metrics;
                    let s = find_or_add(
                        scopes,
                        |x| same_scope(&x.scope, &sm.scope),
                        || ScopeMetrics {
                            scope: sm.scope.clone(),
                            schema_url: sm.schema_url.clone(),
                            ..Default::default()
                        },
                    );
                    merge_metric(&mut scopes[s].metrics, single);
                }
            }
        }
    }
    out
}

/// Splits a metric into one-datapoint metrics, each with its target resource.
fn split_metric(resource: &Resource, metric: Metric, keys: &[String]) -> Vec<(Resource, Metric)> {
    let empty = Metric {
        gauge: metric.gauge.as_ref().map(|_| crate::otlp::Gauge::default()),
        sum: metric.sum.as_ref().map(|s| crate::otlp::Sum {
            data_points: vec![],
            ..s.clone()
        }),
        histogram: metric.histogram.as_ref().map(|h| crate::otlp::Histogram {
            data_points: vec![],
            ..h.clone()
        }),
        exponential_histogram: metric.exponential_histogram.as_ref().map(|e| {
            crate::otlp::ExponentialHistogram {
                data_points: vec![],
                ..e.clone()
            }
        }),
        summary: metric
            .summary
            .as_ref()
            .map(|_| crate::otlp::Summary::default()),
        ..metric.clone()
    };
    if metric.datapoint_count() == 0 {
        return vec![(resource.clone(), metric)];
    }
    let mut out = Vec::new();
    macro_rules! split {
        ($field:ident) => {
            if let Some(d) = metric.$field {
                for mut dp in d.data_points {
                    let res = target_resource(resource, &mut dp.attributes, keys);
                    let mut m = empty.clone();
                    m.$field.as_mut().expect("same type").data_points.push(dp);
                    out.push((res, m));
                }
            }
        };
    }
    split!(gauge);
    split!(sum);
    split!(histogram);
    split!(exponential_histogram);
    split!(summary);
    out
}

/// Appends a one-datapoint metric to an equal metric (same name, description, unit and
/// type) in the list, or adds it.
fn merge_metric(metrics: &mut Vec<Metric>, single: Metric) {
    let same = |m: &Metric| {
        m.name == single.name
            && m.description == single.description
            && m.unit == single.unit
            && m.data_type() == single.data_type()
    };
    let Some(i) = metrics.iter().position(same) else {
        metrics.push(single);
        return;
    };
    let target = &mut metrics[i];
    macro_rules! append {
        ($field:ident) => {
            if let (Some(t), Some(s)) = (&mut target.$field, single.$field) {
                t.data_points.extend(s.data_points);
                return;
            }
        };
    }
    append!(gauge);
    append!(sum);
    append!(histogram);
    append!(exponential_histogram);
    append!(summary);
}
