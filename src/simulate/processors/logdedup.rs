//! The `logdedup` processor: identical logs are aggregated into one record carrying a
//! count and the first/last observation times.
//!
//! The collector aggregates over time (`interval`) and emits the aggregates later, in a
//! separate batch; the simulation collapses the whole input at once. The records that do
//! not match `conditions` pass through first, then the aggregates, in order of first
//! appearance. The timestamps the collector writes come from its own clock; the
//! simulation uses the records' observed times (else their event times) instead, so the
//! output stays deterministic.

use crate::otlp::{AnyValue, Attributes, LogRecord, ResourceLogs, ScopeLogs, Telemetry};
use crate::ottl::{BoolExpr, Context, Signal, parse_conditions};
use crate::simulate::config;
use crate::simulate::error::{ConfigError, SimError};
use crate::simulate::eval::{Ctx, EvalError, Item, check_bool, eval_bool};
use crate::tree::Node;

const NAME: &str = "logdedup";

struct Settings {
    count_key: String,
    exclude: Vec<Vec<String>>,
    include: Vec<Vec<String>>,
    conditions: Vec<BoolExpr>,
}

pub(super) fn run(node: &Node, data: Telemetry) -> Result<Telemetry, SimError> {
    let wrap = |e: ConfigError| e.into_sim(NAME);
    config::require_known(node).map_err(wrap)?;
    config::check_keys(
        node,
        &[
            "interval",
            "log_count_attribute",
            "timezone",
            "exclude_fields",
            "include_fields",
            "conditions",
        ],
    )
    .map_err(wrap)?;
    let settings = settings(node)?;
    match data {
        Telemetry::Logs(rls) => Ok(Telemetry::Logs(dedup(rls, &settings, node.span)?)),
        other => Err(SimError::Config {
            processor: NAME.into(),
            message: format!("logdedup supports logs only, not {}", other.signal()),
            span: node.span,
        }),
    }
}

fn settings(node: &Node) -> Result<Settings, SimError> {
    let wrap = |e: ConfigError| e.into_sim(NAME);
    let fields = |k: &str| -> Result<Vec<Vec<String>>, SimError> {
        config::str_list(node, k)
            .map_err(wrap)?
            .into_iter()
            .map(|(f, span)| {
                parse_field(&f).ok_or_else(|| {
                    wrap(ConfigError::new(
                        span,
                        format!("`{f}` must start with `body.` or `attributes.`"),
                    ))
                })
            })
            .collect()
    };
    let exclude = fields("exclude_fields")?;
    let include = fields("include_fields")?;
    if !exclude.is_empty() && !include.is_empty() {
        return Err(wrap(ConfigError::new(
            node.span,
            "`exclude_fields` and `include_fields` cannot both be set",
        )));
    }
    let conditions = match node.get("conditions") {
        None => Vec::new(),
        Some(list) => parse_conditions(list, Signal::Logs, Context::Log)
            .map_err(|e| ConfigError::from_group(e).into_sim(NAME))?
            .into_iter()
            .map(|(c, span)| {
                check_bool(&c).map_err(|e| match e {
                    EvalError::NotModelled(m) => SimError::NotModelled {
                        processor: NAME.into(),
                        reason: m,
                        span: Some(span),
                    },
                    EvalError::Config(m) | EvalError::Runtime(m) => SimError::Config {
                        processor: NAME.into(),
                        message: m,
                        span,
                    },
                })?;
                Ok(c)
            })
            .collect::<Result<_, SimError>>()?,
    };
    let count_key = config::opt_str(node, "log_count_attribute")
        .map_err(wrap)?
        .map_or("log_count".to_string(), |(s, _)| s);
    Ok(Settings {
        count_key,
        exclude,
        include,
        conditions,
    })
}

/// `body.a.b` / `attributes.a\.b` into path segments (`\.` escapes a dot).
fn parse_field(f: &str) -> Option<Vec<String>> {
    let mut parts = vec![String::new()];
    let mut chars = f.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'.') => {
                chars.next();
                parts.last_mut()?.push('.');
            }
            '.' => parts.push(String::new()),
            other => parts.last_mut()?.push(other),
        }
    }
    (parts.len() >= 2 && matches!(parts[0].as_str(), "body" | "attributes")).then_some(parts)
}

struct Group {
    resource: usize,
    scope: usize,
    key: String,
    record: LogRecord,
    count: i64,
    first: u64,
    last: u64,
}

fn dedup(
    mut rls: Vec<ResourceLogs>,
    s: &Settings,
    span: crate::files::Span,
) -> Result<Vec<ResourceLogs>, SimError> {
    let mut groups: Vec<Group> = Vec::new();
    let mut passthrough: Vec<ResourceLogs> = Vec::new();
    for (ri, rl) in rls.iter_mut().enumerate() {
        let mut kept_scopes = Vec::new();
        for (si, sl) in rl.scope_logs.iter_mut().enumerate() {
            let mut kept = Vec::new();
            for lr in std::mem::take(&mut sl.log_records) {
                let mut lr = lr;
                let mut ctx = Ctx::new(&mut rl.resource, Some(&mut sl.scope), Item::Log(&mut lr));
                if !matches_conditions(&mut ctx, &s.conditions, span)? {
                    kept.push(lr);
                    continue;
                }
                add_to_group(
                    &mut groups,
                    ri,
                    si,
                    &rl.resource.attributes,
                    &sl.scope,
                    lr,
                    s,
                );
            }
            if !kept.is_empty() {
                kept_scopes.push(ScopeLogs {
                    log_records: kept,
                    ..sl.clone()
                });
            }
        }
        if !kept_scopes.is_empty() {
            passthrough.push(ResourceLogs {
                scope_logs: kept_scopes,
                ..rl.clone()
            });
        }
    }
    let mut out = passthrough;
    for g in groups {
        emit(&mut out, &rls, g, &s.count_key);
    }
    Ok(out)
}

/// No conditions: every log is deduplicated. Otherwise any true condition selects it;
/// a failing condition counts as false.
fn matches_conditions(
    ctx: &mut Ctx<'_>,
    conds: &[BoolExpr],
    span: crate::files::Span,
) -> Result<bool, SimError> {
    if conds.is_empty() {
        return Ok(true);
    }
    for c in conds {
        match eval_bool(ctx, c) {
            Ok(true) => return Ok(true),
            Ok(false) | Err(EvalError::Runtime(_)) => {}
            Err(EvalError::NotModelled(m)) => {
                return Err(SimError::NotModelled {
                    processor: NAME.into(),
                    reason: m,
                    span: Some(span),
                });
            }
            Err(EvalError::Config(m)) => {
                return Err(SimError::Config {
                    processor: NAME.into(),
                    message: m,
                    span,
                });
            }
        }
    }
    Ok(false)
}

fn add_to_group(
    groups: &mut Vec<Group>,
    ri: usize,
    si: usize,
    resource: &Attributes,
    scope: &crate::otlp::Scope,
    mut lr: LogRecord,
    s: &Settings,
) {
    for f in &s.exclude {
        remove_field(&mut lr, f);
    }
    let identity = if s.include.is_empty() {
        format!(
            "{:?}|{:?}|{:?}|{}|{}|{:?}",
            sorted(resource),
            scope.name,
            scope.version,
            lr.severity_number,
            lr.severity_text,
            (&lr.body, sorted(&lr.attributes))
        )
    } else {
        let picked: Vec<String> = s
            .include
            .iter()
            .map(|f| format!("{:?}", read_field(&lr, f)))
            .collect();
        format!(
            "{:?}|{:?}|{}",
            sorted(resource),
            scope.name,
            picked.join("|")
        )
    };
    let when = if lr.observed_time_unix_nano != 0 {
        lr.observed_time_unix_nano
    } else {
        lr.time_unix_nano
    };
    if let Some(g) = groups.iter_mut().find(|g| g.key == identity) {
        g.count += 1;
        g.first = g.first.min(when);
        g.last = g.last.max(when);
        return;
    }
    groups.push(Group {
        resource: ri,
        scope: si,
        key: identity,
        record: lr,
        count: 1,
        first: when,
        last: when,
    });
}

fn sorted(a: &Attributes) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = a
        .iter()
        .map(|(k, v)| (k.to_string(), format!("{v:?}")))
        .collect();
    v.sort();
    v
}

fn map_of<'a>(lr: &'a mut LogRecord, root: &str) -> Option<&'a mut Attributes> {
    match root {
        "attributes" => Some(&mut lr.attributes),
        _ => match &mut lr.body {
            AnyValue::Map(m) => Some(m),
            _ => None,
        },
    }
}

fn remove_field(lr: &mut LogRecord, path: &[String]) {
    let Some(mut map) = map_of(lr, &path[0]) else {
        return;
    };
    for (i, seg) in path[1..].iter().enumerate() {
        if i + 2 == path.len() {
            map.remove(seg);
            return;
        }
        match map.get_mut(seg) {
            Some(AnyValue::Map(inner)) => map = inner,
            _ => return,
        }
    }
}

fn read_field(lr: &LogRecord, path: &[String]) -> Option<AnyValue> {
    let mut cur = match path[0].as_str() {
        "attributes" => AnyValue::Map(lr.attributes.clone()),
        _ => lr.body.clone(),
    };
    for seg in &path[1..] {
        cur = match cur {
            AnyValue::Map(m) => m.get(seg)?.clone(),
            _ => return None,
        };
    }
    Some(cur)
}

fn emit(out: &mut Vec<ResourceLogs>, original: &[ResourceLogs], g: Group, count_key: &str) {
    let mut record = g.record;
    record.attributes.put(count_key, AnyValue::Int(g.count));
    record
        .attributes
        .put("first_observed_timestamp", AnyValue::Str(rfc3339(g.first)));
    record
        .attributes
        .put("last_observed_timestamp", AnyValue::Str(rfc3339(g.last)));
    let rl = &original[g.resource];
    let sl = &rl.scope_logs[g.scope];
    out.push(ResourceLogs {
        resource: rl.resource.clone(),
        scope_logs: vec![ScopeLogs {
            scope: sl.scope.clone(),
            log_records: vec![record],
            schema_url: sl.schema_url.clone(),
        }],
        schema_url: rl.schema_url.clone(),
    });
}

/// Unix nanoseconds as RFC 3339 UTC with whole seconds (`2026-11-23T03:58:48Z`), as Go's
/// `time.RFC3339` layout prints.
pub(crate) fn rfc3339(nanos: u64) -> String {
    let secs = (nanos / 1_000_000_000) as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_of_known_instants() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_795_406_328_431_000_000), "2026-11-23T03:58:48Z");
        assert_eq!(rfc3339(951_782_400_000_000_000), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn field_paths_split_on_unescaped_dots() {
        assert_eq!(
            parse_field("attributes.a\\.b.c"),
            Some(vec!["attributes".into(), "a.b".into(), "c".into()])
        );
        assert_eq!(parse_field("body"), None);
        assert_eq!(parse_field("resource.x"), None);
    }
}
