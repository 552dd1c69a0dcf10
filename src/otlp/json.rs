//! Reading and writing OTLP/JSON.
//!
//! OTLP/JSON is the protobuf JSON mapping with two twists: trace and span IDs are hex, and
//! enums are numbers. 64-bit integers are strings in the mapping, but real senders (the
//! JavaScript SDK that Claude Code uses) also write plain numbers, so both are read.
//! Writing always uses strings for 64-bit integers, which every receiver accepts.

use std::collections::HashMap;

use base64::Engine as _;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::model::{ResourceLogs, ResourceMetrics, ResourceSpans, Telemetry};
use super::proto::Signal;
use super::value::{AnyValue, Attributes};
use crate::limits;

/// Why an OTLP/JSON document could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct OtlpError {
    /// 1-based line of the problem (0 when unknown).
    pub line: usize,
    /// 1-based column of the problem (0 when unknown).
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// Which kind of problem it is.
    pub kind: OtlpErrorKind,
}

/// The kinds of [`OtlpError`]: the document is not OTLP/JSON, or it passes a limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtlpErrorKind {
    /// Not an OTLP/JSON export request.
    Syntax,
    /// Nested deeper than [`limits::MAX_DEPTH`] (the depth `serde_json` reads).
    TooDeep,
    /// A string longer than [`limits::MAX_SCALAR_LEN`].
    TooLong,
    /// Not an OTLP protobuf export request either, or a protobuf capture whose signal
    /// cannot be told (see [`super::read_capture`]).
    Protobuf,
}

/// Starts the message of a value over the length limit, so that it can be told apart once
/// `serde_json` has wrapped it.
const TOO_LONG: &str = "a value longer than";

impl std::fmt::Display for OtlpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for OtlpError {}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Request {
    #[serde(default)]
    resource_logs: Option<Vec<ResourceLogs>>,
    #[serde(default)]
    resource_metrics: Option<Vec<ResourceMetrics>>,
    #[serde(default)]
    resource_spans: Option<Vec<ResourceSpans>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
#[allow(clippy::enum_variant_names)] // the variant names are the OTLP/JSON keys
enum Out<'a> {
    ResourceLogs(&'a [ResourceLogs]),
    ResourceMetrics(&'a [ResourceMetrics]),
    ResourceSpans(&'a [ResourceSpans]),
}

/// Reads one OTLP/JSON export request (logs, metrics or traces).
pub fn read_request(text: &str) -> Result<Telemetry, OtlpError> {
    let mut found = read_signals(text)?;
    match found.len() {
        1 => Ok(found.remove(0)),
        n => Err(OtlpError {
            line: 1,
            column: 1,
            kind: OtlpErrorKind::Syntax,
            message: format!(
                "expected exactly one of `resourceLogs`, `resourceMetrics`, `resourceSpans`, found {n}"
            ),
        }),
    }
}

/// Reads an OTLP/JSON export request sent for a known signal (to `/v1/logs`, …). A request
/// without the signal's list (`{}`) is an empty request of that signal, as a collector
/// reads it; the list of another signal is an error, since the sender meant something else.
pub fn read_request_for(text: &str, signal: Signal) -> Result<Telemetry, OtlpError> {
    let found = read_signals(text)?;
    let wrong: Vec<&str> = found
        .iter()
        .filter(|t| Signal::of(t) != signal)
        .map(|t| t.signal())
        .collect();
    if !wrong.is_empty() {
        return Err(OtlpError {
            line: 1,
            column: 1,
            kind: OtlpErrorKind::Syntax,
            message: format!(
                "a {signal} export request holds {} data",
                wrong.join(" and ")
            ),
        });
    }
    Ok(found.into_iter().next().unwrap_or(match signal {
        Signal::Logs => Telemetry::Logs(Vec::new()),
        Signal::Metrics => Telemetry::Metrics(Vec::new()),
        Signal::Traces => Telemetry::Traces(Vec::new()),
    }))
}

/// The signals' lists a request holds, in the order logs, metrics, traces.
fn read_signals(text: &str) -> Result<Vec<Telemetry>, OtlpError> {
    let req: Request = serde_json::from_str(text).map_err(|e| {
        let mut message = e.to_string();
        let kind = if message.starts_with("recursion limit exceeded") {
            OtlpErrorKind::TooDeep
        } else if message.starts_with(TOO_LONG) {
            OtlpErrorKind::TooLong
        } else {
            OtlpErrorKind::Syntax
        };
        if kind != OtlpErrorKind::Syntax {
            // The place is given apart; `serde_json` also appends it to the message.
            let end = message.find(" at line ").unwrap_or(message.len());
            message.truncate(end);
        }
        OtlpError {
            line: e.line(),
            column: e.column(),
            message,
            kind,
        }
    })?;
    let mut found = Vec::new();
    if let Some(r) = req.resource_logs {
        found.push(Telemetry::Logs(r));
    }
    if let Some(r) = req.resource_metrics {
        found.push(Telemetry::Metrics(r));
    }
    if let Some(r) = req.resource_spans {
        found.push(Telemetry::Traces(r));
    }
    Ok(found)
}

/// Writes an export request as indented OTLP/JSON. The same data always gives the same
/// bytes: field order is fixed and attribute order is the data's order.
pub fn write_request(data: &Telemetry) -> String {
    let out = match data {
        Telemetry::Logs(r) => Out::ResourceLogs(r),
        Telemetry::Metrics(r) => Out::ResourceMetrics(r),
        Telemetry::Traces(r) => Out::ResourceSpans(r),
    };
    let mut text = serde_json::to_string_pretty(&out).expect("OTLP data always serialises");
    text.push('\n');
    text
}

/// Standard base64 with padding, as the protobuf JSON mapping writes bytes.
pub fn base64_encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn base64_decode(text: &str) -> Result<Vec<u8>, String> {
    let engines = [
        base64::engine::general_purpose::STANDARD,
        base64::engine::general_purpose::URL_SAFE,
    ];
    engines
        .iter()
        .find_map(|e| e.decode(text).ok())
        .ok_or_else(|| format!("`{text}` is not base64"))
}

/// Reads an int64 written as a JSON string or number.
fn i64_from_json(v: &serde_json::Value) -> Result<i64, String> {
    match v {
        serde_json::Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
            .ok_or_else(|| format!("{n} is not an int64")),
        serde_json::Value::String(s) => s.parse().map_err(|_| format!("`{s}` is not an int64")),
        other => Err(format!("{other} is not an int64")),
    }
}

fn value_from_json(v: &serde_json::Value) -> Result<AnyValue, String> {
    let obj = match v {
        serde_json::Value::Object(o) => o,
        serde_json::Value::Null => return Ok(AnyValue::Empty),
        other => return Err(format!("an AnyValue must be an object, found {other}")),
    };
    let Some((kind, inner)) = obj.iter().next() else {
        return Ok(AnyValue::Empty);
    };
    if obj.len() > 1 {
        return Err("an AnyValue has exactly one field".to_string());
    }
    Ok(match kind.as_str() {
        "stringValue" => AnyValue::Str(
            within_limit(inner.as_str().ok_or("stringValue must be a string")?)?.to_string(),
        ),
        "boolValue" => AnyValue::Bool(inner.as_bool().ok_or("boolValue must be true or false")?),
        "intValue" => AnyValue::Int(i64_from_json(inner)?),
        "doubleValue" => AnyValue::Double(f64_from_json(inner)?),
        "bytesValue" => AnyValue::Bytes(base64_decode(within_limit(
            inner.as_str().ok_or("bytesValue must be a string")?,
        )?)?),
        "arrayValue" => AnyValue::Array(
            values_field(inner)?
                .iter()
                .map(value_from_json)
                .collect::<Result<_, _>>()?,
        ),
        "kvlistValue" => AnyValue::Map(attrs_from_json(&serde_json::Value::Array(
            values_field(inner)?.to_vec(),
        ))?),
        other => return Err(format!("unknown AnyValue field `{other}`")),
    })
}

fn f64_from_json(v: &serde_json::Value) -> Result<f64, String> {
    match v {
        serde_json::Value::Number(n) => n.as_f64().ok_or_else(|| format!("{n} is not a double")),
        serde_json::Value::String(s) => match s.as_str() {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            _ => s.parse().map_err(|_| format!("`{s}` is not a double")),
        },
        other => Err(format!("{other} is not a double")),
    }
}

fn values_field(v: &serde_json::Value) -> Result<&[serde_json::Value], String> {
    match v.get("values") {
        None | Some(serde_json::Value::Null) => Ok(&[]),
        Some(serde_json::Value::Array(items)) => Ok(items),
        Some(_) => Err("`values` must be a list".to_string()),
    }
}

fn attrs_from_json(v: &serde_json::Value) -> Result<Attributes, String> {
    let items = match v {
        serde_json::Value::Null => return Ok(Attributes::new()),
        serde_json::Value::Array(items) => items,
        _ => return Err("attributes must be a list of {key, value}".to_string()),
    };
    // A repeated key keeps its first place and its last value, as `Attributes::put` does;
    // found through an index, since a record may have many attributes.
    let mut pairs: Vec<(String, AnyValue)> = Vec::with_capacity(items.len());
    let mut index: HashMap<&str, usize> = HashMap::new();
    for item in items {
        let key = item
            .get("key")
            .and_then(|k| k.as_str())
            .ok_or("each attribute needs a string `key`")?;
        let value = value_from_json(item.get("value").unwrap_or(&serde_json::Value::Null))?;
        match index.get(within_limit(key)?) {
            Some(&i) => pairs[i].1 = value,
            None => {
                index.insert(key, pairs.len());
                pairs.push((key.to_string(), value));
            }
        }
    }
    Ok(Attributes::from_unique(pairs))
}

/// The text, if it is within [`limits::MAX_SCALAR_LEN`]. The protobuf reader applies it to
/// the same values, so that whatever it reads can be written as OTLP/JSON and read back.
pub(super) fn within_limit(text: &str) -> Result<&str, String> {
    if text.len() > limits::MAX_SCALAR_LEN {
        return Err(too_long(text.len()));
    }
    Ok(text)
}

/// The message for a value of `len` bytes, over [`limits::MAX_SCALAR_LEN`].
pub(super) fn too_long(len: usize) -> String {
    format!(
        "{TOO_LONG} {} ({}): no telemetry value is this long",
        limits::describe_size(limits::MAX_SCALAR_LEN as u64),
        limits::describe_size(len as u64)
    )
}

fn value_to_json(v: &AnyValue) -> serde_json::Value {
    use serde_json::json;
    match v {
        AnyValue::Empty => json!({}),
        AnyValue::Str(s) => json!({ "stringValue": s }),
        AnyValue::Bool(b) => json!({ "boolValue": b }),
        AnyValue::Int(i) => json!({ "intValue": i.to_string() }),
        AnyValue::Double(d) => match serde_json::Number::from_f64(*d) {
            Some(n) => json!({ "doubleValue": n }),
            None if d.is_nan() => json!({ "doubleValue": "NaN" }),
            None if *d > 0.0 => json!({ "doubleValue": "Infinity" }),
            None => json!({ "doubleValue": "-Infinity" }),
        },
        AnyValue::Bytes(b) => json!({ "bytesValue": base64_encode(b) }),
        AnyValue::Array(items) => {
            json!({ "arrayValue": { "values": items.iter().map(value_to_json).collect::<Vec<_>>() } })
        }
        AnyValue::Map(m) => json!({ "kvlistValue": { "values": attrs_to_json(m) } }),
    }
}

fn attrs_to_json(m: &Attributes) -> serde_json::Value {
    serde_json::Value::Array(
        m.iter()
            .map(|(k, v)| serde_json::json!({ "key": k, "value": value_to_json(v) }))
            .collect(),
    )
}

/// Serde adapter for attribute lists.
pub mod attrs {
    use super::*;

    /// Writes `[{key, value}]`.
    pub fn serialize<S: Serializer>(m: &Attributes, s: S) -> Result<S::Ok, S::Error> {
        attrs_to_json(m).serialize(s)
    }

    /// Reads `[{key, value}]`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Attributes, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        attrs_from_json(&v).map_err(D::Error::custom)
    }
}

/// Serde adapter for a single `AnyValue` (log bodies).
pub mod any_value {
    use super::*;

    /// Writes `{"stringValue": …}` and friends.
    pub fn serialize<S: Serializer>(v: &AnyValue, s: S) -> Result<S::Ok, S::Error> {
        value_to_json(v).serialize(s)
    }

    /// Reads `{"stringValue": …}` and friends.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<AnyValue, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        value_from_json(&v).map_err(D::Error::custom)
    }
}

/// Serde adapter for uint64 fields (timestamps, counts): read from string or number,
/// written as a string.
pub mod u64_str {
    use super::*;

    /// Writes the number as a decimal string.
    pub fn serialize<S: Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.to_string())
    }

    /// Reads a string or a number.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        u64_from_json(&v).map_err(D::Error::custom)
    }
}

fn u64_from_json(v: &serde_json::Value) -> Result<u64, String> {
    match v {
        serde_json::Value::Number(n) => n.as_u64().ok_or_else(|| format!("{n} is not a uint64")),
        serde_json::Value::String(s) => s.parse().map_err(|_| format!("`{s}` is not a uint64")),
        other => Err(format!("{other} is not a uint64")),
    }
}

/// A double as the protobuf JSON mapping writes it: a number, or the strings `NaN`,
/// `Infinity` and `-Infinity`, which JSON numbers cannot express (`serde_json` would write
/// `null` and lose the value).
fn f64_to_json(v: f64) -> serde_json::Value {
    match serde_json::Number::from_f64(v) {
        Some(n) => serde_json::Value::Number(n),
        None if v.is_nan() => serde_json::Value::from("NaN"),
        None if v > 0.0 => serde_json::Value::from("Infinity"),
        None => serde_json::Value::from("-Infinity"),
    }
}

/// Serde adapters for double fields of datapoints: read from a number or the mapping's
/// strings, written so that NaN and the infinities survive.
pub mod double {
    use super::*;

    /// Writes a number, or `"NaN"`, `"Infinity"`, `"-Infinity"`.
    pub fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        f64_to_json(*v).serialize(s)
    }

    /// Reads a number or one of those strings.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        f64_from_json(&v).map_err(D::Error::custom)
    }

    /// The same for optional doubles (`null` is no value).
    pub mod opt {
        use super::super::*;

        /// Writes the double, if any.
        pub fn serialize<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
            match v {
                Some(x) => f64_to_json(*x).serialize(s),
                None => s.serialize_none(),
            }
        }

        /// Reads a double or `null`.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
            let v = serde_json::Value::deserialize(d)?;
            if v.is_null() {
                return Ok(None);
            }
            f64_from_json(&v).map(Some).map_err(D::Error::custom)
        }
    }

    /// The same for lists of doubles (bucket bounds).
    pub mod vec {
        use super::super::*;

        /// Writes each double.
        pub fn serialize<S: Serializer>(v: &[f64], s: S) -> Result<S::Ok, S::Error> {
            v.iter()
                .map(|x| f64_to_json(*x))
                .collect::<Vec<_>>()
                .serialize(s)
        }

        /// Reads numbers or the strings.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
            let v = Vec::<serde_json::Value>::deserialize(d)?;
            v.iter()
                .map(f64_from_json)
                .collect::<Result<_, _>>()
                .map_err(D::Error::custom)
        }
    }
}

/// Serde adapter for lists of uint64 (bucket counts).
pub mod u64_vec {
    use super::*;

    /// Writes each number as a decimal string.
    pub fn serialize<S: Serializer>(v: &[u64], s: S) -> Result<S::Ok, S::Error> {
        v.iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .serialize(s)
    }

    /// Reads strings or numbers.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u64>, D::Error> {
        let v = Vec::<serde_json::Value>::deserialize(d)?;
        v.iter()
            .map(u64_from_json)
            .collect::<Result<_, _>>()
            .map_err(D::Error::custom)
    }
}

/// Serde adapters for optional 64-bit integers.
pub mod opt_u64 {
    /// Optional int64 (`asInt`): read from string or number, written as a string.
    pub mod signed {
        use super::super::*;

        /// Writes the number as a decimal string.
        pub fn serialize<S: Serializer>(v: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
            match v {
                Some(i) => s.serialize_str(&i.to_string()),
                None => s.serialize_none(),
            }
        }

        /// Reads a string or a number.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
            let v = serde_json::Value::deserialize(d)?;
            if v.is_null() {
                return Ok(None);
            }
            i64_from_json(&v).map(Some).map_err(D::Error::custom)
        }
    }
}

/// Serde adapter for enum fields: the number, or the enum's name as the protobuf JSON
/// mapping allows (`"SPAN_KIND_SERVER"`). Written as the number, as OTLP/JSON requires.
pub mod enum_i32 {
    use super::*;

    /// Writes the number.
    pub fn serialize<S: Serializer>(v: &i32, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i32(*v)
    }

    /// Reads a number or a known enum name.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i32, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        match &v {
            serde_json::Value::Number(n) => n
                .as_i64()
                .and_then(|i| i32::try_from(i).ok())
                .ok_or_else(|| D::Error::custom(format!("{n} is not an enum number"))),
            serde_json::Value::String(s) => crate::otlp::enums::value_of(s)
                .and_then(|i| i32::try_from(i).ok())
                .ok_or_else(|| D::Error::custom(format!("unknown enum name `{s}`"))),
            other => Err(D::Error::custom(format!("{other} is not an enum"))),
        }
    }
}
