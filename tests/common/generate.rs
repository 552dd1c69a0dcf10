//! Generators for the property tests: collector component ids, OTTL, the settings of the
//! modelled processors, and telemetry records to run them on.
//!
//! Configurations are generated as JSON values and read with the JSON reader (JSON is the
//! YAML flow style, so every configuration reader sees the same tree). Keys and values come
//! from small pools, so that processors, records and later files meet often enough for
//! the properties to say something.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use serde_json::{Value as J, json};

use otel_dpia::otlp::*;

/// The number of cases of a property: `PROPTEST_CASES` when set, else `default` (kept small
/// so that `cargo test` stays fast).
pub fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The proptest configuration of a property with `default` cases.
pub fn config(default: u32) -> ProptestConfig {
    ProptestConfig {
        cases: cases(default),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Attribute keys, shared by records and processor settings.
pub const KEYS: &[&str] = &[
    "user.email",
    "user.id",
    "prompt",
    "session.id",
    "tool_name",
    "model",
    "event.name",
    "service.name",
];

/// Attribute values (four characters or more, so the soundness check follows them).
pub const VALUES: &[&str] = &[
    "alice@example.com",
    "delete every file",
    "Bash",
    "sess-1234",
    "claude-opus",
    "user_prompt",
    "12345678",
];

/// Values that settings write (inserted, set, replacements): apart from [`VALUES`], so that
/// the soundness check never takes a written constant for a record's value that got through.
pub const CONSTANTS: &[&str] = &["REDACTED", "platform-team", "constant"];

/// Regular expressions for patterns (valid in Go's RE2 and Rust's regex).
pub const PATTERNS: &[&str] = &[
    "^user\\.",
    "prompt",
    "[0-9]{4}",
    ".*",
    "a+",
    "^sess",
    "@example\\.com$",
    "(?i)bash",
];

/// A key of the pool.
pub fn key() -> impl Strategy<Value = String> {
    select(KEYS).prop_map(str::to_string)
}

/// A value of the pool.
pub fn value() -> impl Strategy<Value = String> {
    select(VALUES).prop_map(str::to_string)
}

/// A constant of the pool.
pub fn constant() -> impl Strategy<Value = String> {
    select(CONSTANTS).prop_map(str::to_string)
}

/// A pattern of the pool.
pub fn pattern() -> impl Strategy<Value = String> {
    select(PATTERNS).prop_map(str::to_string)
}

/// A component id `type` or `type/name` with a type from `types`.
pub fn component_id(types: &'static [&'static str]) -> impl Strategy<Value = String> {
    (select(types), prop::option::of("[a-z0-9]{1,3}")).prop_map(|(t, name)| match name {
        Some(n) => format!("{t}/{n}"),
        None => t.to_string(),
    })
}

// ---------------------------------------------------------------------------------------
// OTTL

/// Where statements run: the signal's record context, or the resource above it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    /// Log records (`log` context).
    Logs,
    /// Spans (`span` context).
    Traces,
    /// Metric data points (`datapoint` context).
    Metrics,
}

impl Signal {
    /// The record context's name.
    pub fn context(self) -> &'static str {
        match self {
            Signal::Logs => "log",
            Signal::Traces => "span",
            Signal::Metrics => "datapoint",
        }
    }

    /// The transform processor's key for this signal's statements.
    pub fn statements_key(self) -> &'static str {
        match self {
            Signal::Logs => "log_statements",
            Signal::Traces => "trace_statements",
            Signal::Metrics => "metric_statements",
        }
    }
}

/// An attribute map a statement can name, in a group with an explicit record context.
fn map_path() -> impl Strategy<Value = String> {
    select(&["attributes", "resource.attributes"][..]).prop_map(str::to_string)
}

/// A value path: an attribute, or the body of a log record.
fn path(signal: Signal) -> BoxedStrategy<String> {
    let attr = (map_path(), key()).prop_map(|(m, k)| format!("{m}[\"{k}\"]"));
    match signal {
        Signal::Logs => prop_oneof![4 => attr, 1 => Just("body".to_string())].boxed(),
        Signal::Traces => prop_oneof![4 => attr, 1 => Just("name".to_string())].boxed(),
        Signal::Metrics => attr.boxed(),
    }
}

/// A value expression.
fn expr(signal: Signal) -> BoxedStrategy<String> {
    prop_oneof![
        constant().prop_map(|v| format!("\"{v}\"")),
        path(signal),
        path(signal).prop_map(|p| format!("SHA256({p})")),
        (path(signal), constant()).prop_map(|(p, v)| format!("Concat([{p}, \"{v}\"], \"-\")")),
        Just("nil".to_string()),
        (0i64..100).prop_map(|n| n.to_string()),
    ]
    .boxed()
}

/// An OTTL condition.
pub fn condition(signal: Signal) -> BoxedStrategy<String> {
    let leaf = prop_oneof![
        (path(signal), value()).prop_map(|(p, v)| format!("{p} == \"{v}\"")),
        path(signal).prop_map(|p| format!("{p} != nil")),
        (path(signal), pattern())
            .prop_map(|(p, r)| format!("IsMatch({p}, \"{}\")", r.replace('\\', "\\\\"))),
        Just("true".to_string()),
    ];
    leaf.prop_recursive(2, 6, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|c| format!("not ({c})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} and {b}")),
            (inner.clone(), inner).prop_map(|(a, b)| format!("({a} or {b})")),
        ]
    })
    .boxed()
}

/// An OTTL statement of the editors the model knows, perhaps with a `where` clause.
pub fn statement(signal: Signal) -> BoxedStrategy<String> {
    let quoted = |r: String| r.replace('\\', "\\\\");
    let editor = prop_oneof![
        (path(signal), expr(signal)).prop_map(|(p, e)| format!("set({p}, {e})")),
        (map_path(), key()).prop_map(|(m, k)| format!("delete_key({m}, \"{k}\")")),
        (map_path(), pattern())
            .prop_map(move |(m, r)| format!("delete_matching_keys({m}, \"{}\")", quoted(r))),
        (map_path(), vec(key(), 0..3)).prop_map(|(m, ks)| {
            let list: Vec<String> = ks.iter().map(|k| format!("\"{k}\"")).collect();
            format!("keep_keys({m}, [{}])", list.join(", "))
        }),
        (map_path(), pattern())
            .prop_map(move |(m, r)| format!("keep_matching_keys({m}, \"{}\")", quoted(r))),
        (path(signal), pattern(), constant())
            .prop_map(move |(p, r, v)| format!("replace_pattern({p}, \"{}\", \"{v}\")", quoted(r))),
        (
            map_path(),
            select(&["key", "value"][..]),
            pattern(),
            constant()
        )
            .prop_map(move |(m, mode, r, v)| format!(
                "replace_all_patterns({m}, \"{mode}\", \"{}\", \"{v}\")",
                quoted(r)
            )),
        (map_path(), 0i64..12).prop_map(|(m, n)| format!("truncate_all({m}, {n})")),
        (map_path(), 0i64..4).prop_map(|(m, n)| format!("limit({m}, {n}, [])")),
    ];
    (editor, prop::option::of(condition(signal)))
        .prop_map(|(s, c)| match c {
            Some(c) => format!("{s} where {c}"),
            None => s,
        })
        .boxed()
}

// ---------------------------------------------------------------------------------------
// Processor settings

/// The processor types both the abstract model and the simulator know.
pub const PROCESSOR_TYPES: &[&str] =
    &["attributes", "resource", "redaction", "filter", "transform"];

/// One action of the attributes or resource processor.
fn action() -> BoxedStrategy<J> {
    let target = prop_oneof![
        3 => key().prop_map(|k| json!({"key": k})),
        1 => pattern().prop_map(|p| json!({"pattern": p})),
    ];
    let what = prop_oneof![
        constant().prop_map(|v| json!({"action": "insert", "value": v})),
        constant().prop_map(|v| json!({"action": "update", "value": v})),
        constant().prop_map(|v| json!({"action": "upsert", "value": v})),
        key().prop_map(|k| json!({"action": "upsert", "from_attribute": k})),
        Just(json!({"action": "delete"})),
        Just(json!({"action": "hash"})),
        Just(json!({"action": "extract", "pattern": "^(?P<head>[a-z]+)"})),
        select(&["int", "double", "string"][..])
            .prop_map(|t| json!({"action": "convert", "converted_type": t})),
    ];
    (target, what)
        .prop_map(|(mut t, w)| {
            let (t_map, w_map) = (t.as_object_mut().unwrap(), w.as_object().unwrap());
            for (k, v) in w_map {
                // An extract's pattern is its own; a key action keeps its key.
                t_map.insert(k.clone(), v.clone());
            }
            if t_map.contains_key("pattern") && !t_map.contains_key("key") {
                t_map.insert("key".into(), json!("prompt"));
            }
            t
        })
        .boxed()
}

/// An `include`/`exclude` block of the attributes processor.
fn match_properties() -> BoxedStrategy<J> {
    (
        select(&["strict", "regexp"][..]),
        prop::option::of((key(), prop::option::of(value()))),
        prop::option::of(vec(value(), 1..3)),
    )
        .prop_map(|(match_type, attr, bodies)| {
            let mut m = json!({ "match_type": match_type });
            if let Some((k, v)) = attr {
                m["attributes"] = match v {
                    Some(v) => json!([{"key": k, "value": v}]),
                    None => json!([{"key": k}]),
                };
            }
            if let Some(b) = bodies {
                m["log_bodies"] = json!(b);
            }
            m
        })
        .boxed()
}

/// True for a statement whose editor writes into the resource (`set(resource.…`).
fn writes_resource(statement: &str) -> bool {
    statement
        .split_once('(')
        .is_some_and(|(_, args)| args.starts_with("resource."))
}

/// The settings of a processor of type `kind` (one of [`PROCESSOR_TYPES`]).
/// `record_writes_resource`: whether statements of a record context may write into the
/// resource (which the batch's records share).
pub fn processor_config(
    kind: &str,
    signal: Signal,
    record_writes_resource: bool,
) -> BoxedStrategy<J> {
    match kind {
        "attributes" => (
            vec(action(), 1..4),
            prop::option::of(match_properties()),
            prop::option::of(match_properties()),
        )
            .prop_map(|(actions, include, exclude)| {
                let mut c = json!({ "actions": actions });
                if let Some(i) = include {
                    c["include"] = i;
                }
                if let Some(e) = exclude {
                    c["exclude"] = e;
                }
                c
            })
            .boxed(),
        "resource" => vec(action(), 1..4)
            .prop_map(|actions| json!({ "attributes": actions }))
            .boxed(),
        "redaction" => (
            any::<bool>(),
            subsequence(KEYS, 0..4),
            subsequence(KEYS, 0..2),
            vec(pattern(), 0..2),
            vec(pattern(), 0..2),
            select(&["", "md5", "sha1", "sha3"][..]),
            select(&["silent", "info", "debug"][..]),
        )
            .prop_map(
                |(all, allowed, ignored, blocked_keys, blocked, hash, summary)| {
                    let mut c = json!({
                        "allow_all_keys": all,
                        "allowed_keys": allowed,
                        "ignored_keys": ignored,
                        "blocked_key_patterns": blocked_keys,
                        "blocked_values": blocked,
                        "summary": summary,
                    });
                    if !hash.is_empty() {
                        c["hash_function"] = json!(hash);
                    }
                    c
                },
            )
            .boxed(),
        "filter" => (
            vec(condition(signal), 1..3),
            select(&["propagate", "ignore", "silent"][..]),
        )
            .prop_map(move |(conditions, mode)| {
                let section = match signal {
                    Signal::Logs => json!({"logs": {"log_record": conditions}}),
                    Signal::Traces => json!({"traces": {"span": conditions}}),
                    Signal::Metrics => json!({"metrics": {"datapoint": conditions}}),
                };
                let mut c = section;
                c["error_mode"] = json!(mode);
                c
            })
            .boxed(),
        _ => (
            vec(
                (
                    select(&[true, false][..]),
                    vec(statement(signal), 1..4),
                    prop::option::of(condition(signal)),
                ),
                1..3,
            ),
            select(&["propagate", "ignore", "silent"][..]),
        )
            .prop_map(move |(groups, mode)| {
                let groups: Vec<J> = groups
                    .into_iter()
                    .map(|(record, statements, condition)| {
                        let context = if record { signal.context() } else { "resource" };
                        let statements: Vec<String> = if record {
                            statements
                                .into_iter()
                                .filter(|s| record_writes_resource || !writes_resource(s))
                                .collect()
                        } else {
                            // In the resource context only the resource's attributes exist.
                            statements
                                .into_iter()
                                .map(|s| s.replace("resource.attributes", "attributes"))
                                .filter(|s| !s.contains("body") && !s.contains("name"))
                                .collect()
                        };
                        let mut g = json!({"context": context, "statements": statements});
                        if let Some(c) = condition.filter(|_| record) {
                            g["conditions"] = json!([c]);
                        }
                        g
                    })
                    .collect();
                json!({ signal.statements_key(): groups, "error_mode": mode })
            })
            .boxed(),
    }
}

// ---------------------------------------------------------------------------------------
// Records

/// Attributes from the pools.
pub fn attributes() -> impl Strategy<Value = Attributes> {
    vec((key(), value()), 0..6).prop_map(|pairs| {
        Attributes::from_pairs(pairs.into_iter().map(|(k, v)| (k, AnyValue::str(v))))
    })
}

/// Span names: fixed by the client, as the analysis takes them (apart from [`VALUES`]).
pub const SPAN_NAMES: &[&str] = &["claude_code.interaction", "claude_code.llm_request"];

/// A batch of one to three records of a signal under one resource. A log's body is a value
/// of the pool; a span's name is one of [`SPAN_NAMES`].
pub fn batch(signal: Signal) -> BoxedStrategy<Telemetry> {
    let text = match signal {
        Signal::Traces => select(SPAN_NAMES).prop_map(str::to_string).boxed(),
        _ => value().boxed(),
    };
    let records = vec((attributes(), text), 1..4);
    (attributes(), records)
        .prop_map(move |(resource, records)| {
            let resource = Resource {
                attributes: resource,
                ..Default::default()
            };
            match signal {
                Signal::Logs => Telemetry::Logs(vec![ResourceLogs {
                    resource,
                    scope_logs: vec![ScopeLogs {
                        log_records: records
                            .into_iter()
                            .map(|(attributes, body)| LogRecord {
                                attributes,
                                body: AnyValue::str(body),
                                ..Default::default()
                            })
                            .collect(),
                        ..Default::default()
                    }],
                    ..Default::default()
                }]),
                Signal::Traces => Telemetry::Traces(vec![ResourceSpans {
                    resource,
                    scope_spans: vec![ScopeSpans {
                        spans: records
                            .into_iter()
                            .map(|(attributes, name)| Span {
                                name,
                                attributes,
                                ..Default::default()
                            })
                            .collect(),
                        ..Default::default()
                    }],
                    ..Default::default()
                }]),
                Signal::Metrics => Telemetry::Metrics(vec![ResourceMetrics {
                    resource,
                    scope_metrics: vec![ScopeMetrics {
                        metrics: vec![Metric {
                            name: "claude_code.token.usage".into(),
                            sum: Some(Sum {
                                data_points: records
                                    .into_iter()
                                    .map(|(attributes, _)| NumberDataPoint {
                                        attributes,
                                        ..Default::default()
                                    })
                                    .collect(),
                                ..Default::default()
                            }),
                            ..Default::default()
                        }],
                        ..Default::default()
                    }],
                    ..Default::default()
                }]),
            }
        })
        .boxed()
}
