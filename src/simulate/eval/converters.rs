//! OTTL converters (capitalised functions that return a value).

use super::paths::{KeyVal, index};
use super::{Args, Ctx, EvalError, EvalResult, eval, runtime};
use crate::otlp::{AnyValue, Attributes, format_double, go_json};
use crate::ottl::{Call, Expr, Key};
use crate::simulate::hash;

/// The converters this engine models, with their parameters and how many are required.
const SIGNATURES: &[(&str, &[&str], usize)] = &[
    ("SHA1", &["value"], 1),
    ("SHA256", &["value"], 1),
    ("SHA512", &["value"], 1),
    ("MD5", &["value"], 1),
    ("FNV", &["value"], 1),
    ("Concat", &["vals", "delimiter"], 2),
    ("Format", &["format", "vals"], 2),
    ("IsMatch", &["target", "pattern"], 2),
    ("ParseJSON", &["target"], 1),
    ("Substring", &["target", "start", "length"], 3),
    ("ToLowerCase", &["target"], 1),
    ("ToUpperCase", &["target"], 1),
    ("Len", &["target"], 1),
    ("String", &["value"], 1),
    ("Int", &["value"], 1),
    ("Double", &["value"], 1),
    ("Split", &["target", "delimiter"], 2),
    ("IsString", &["value"], 1),
    ("IsMap", &["value"], 1),
    ("IsList", &["value"], 1),
    ("IsInt", &["value"], 1),
    ("IsDouble", &["value"], 1),
    ("IsBool", &["value"], 1),
    ("HasAttrKeyOnDatapoint", &["key"], 1),
    ("HasAttrOnDatapoint", &["key", "expectedVal"], 2),
];

fn signature(name: &str) -> EvalResult<(&'static [&'static str], usize)> {
    SIGNATURES
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, p, r)| (*p, *r))
        .ok_or_else(|| EvalError::NotModelled(format!("converter `{name}` is not modelled")))
}

/// True when `name` is a modelled converter that can be passed by name (the optional
/// function argument of the replace editors).
pub(crate) fn is_hash_function(name: &str) -> bool {
    matches!(name, "SHA1" | "SHA256" | "SHA512" | "MD5")
}

/// Checks a converter call before any data is seen.
pub(crate) fn check(call: &Call) -> EvalResult<()> {
    let (params, required) = signature(&call.name)?;
    let args = Args::bind(call, params, required)?;
    if call.name == "IsMatch"
        && let Some(p) = args.literal_str(1)?
    {
        super::regex(p)?;
    }
    for a in &call.args {
        super::check_expr(&a.value)?;
    }
    for k in &call.keys {
        if let Key::Dynamic(e) = k {
            super::check_expr(e)?;
        }
    }
    Ok(())
}

/// Calls a converter and applies any indexes written after it.
pub(crate) fn call(ctx: &mut Ctx<'_>, call: &Call) -> EvalResult<AnyValue> {
    let (params, required) = signature(&call.name)?;
    let args = Args::bind(call, params, required)?;
    let value = dispatch(ctx, call, &args)?;
    let mut keys = Vec::new();
    for k in &call.keys {
        keys.push(match k {
            Key::String(s) => KeyVal::Str(s.clone()),
            Key::Int(i) => KeyVal::Int(*i),
            Key::Dynamic(e) => match eval(ctx, e)? {
                AnyValue::Str(s) => KeyVal::Str(s),
                AnyValue::Int(i) => KeyVal::Int(i),
                other => {
                    return runtime(format!(
                        "an index must be a string or an int, found {}",
                        other.type_name()
                    ));
                }
            },
        });
    }
    index(value, &keys)
}

/// Applies a hash converter given by name to a string (replace editors' function arg).
pub(crate) fn apply_named(name: &str, input: &str) -> EvalResult<String> {
    Ok(match name {
        "SHA1" => hash::sha1_hex(input),
        "SHA256" => hash::sha256_hex(input),
        "SHA512" => hash::sha512_hex(input),
        "MD5" => hash::md5_hex(input),
        other => {
            return Err(EvalError::NotModelled(format!(
                "function `{other}` as an argument is not modelled"
            )));
        }
    })
}

fn dispatch(ctx: &mut Ctx<'_>, call: &Call, args: &Args<'_>) -> EvalResult<AnyValue> {
    let name = call.name.as_str();
    Ok(match name {
        "SHA1" | "SHA256" | "SHA512" | "MD5" => {
            AnyValue::Str(apply_named(name, &string_arg(ctx, args.req(0), name)?)?)
        }
        "FNV" => AnyValue::Int(hash::fnv1a64(&string_arg(ctx, args.req(0), name)?)),
        "Concat" => concat(ctx, args)?,
        "Format" => format(ctx, args)?,
        "IsMatch" => {
            let pattern = args.literal_str(1)?.unwrap_or_default();
            let re = super::regex(pattern)?;
            let v = eval(ctx, args.req(0))?;
            AnyValue::Bool(string_like(&v).is_some_and(|s| re.is_match(&s)))
        }
        "ParseJSON" => parse_json(&string_arg(ctx, args.req(0), name)?)?,
        "Substring" => substring(ctx, args)?,
        "ToLowerCase" => AnyValue::Str(string_arg(ctx, args.req(0), name)?.to_lowercase()),
        "ToUpperCase" => AnyValue::Str(string_arg(ctx, args.req(0), name)?.to_uppercase()),
        "Len" => len(&eval(ctx, args.req(0))?)?,
        "String" => string_like(&eval(ctx, args.req(0))?).map_or(AnyValue::Empty, AnyValue::Str),
        "Int" => to_int(&eval(ctx, args.req(0))?),
        "Double" => to_double(&eval(ctx, args.req(0))?),
        "Split" => {
            let text = string_arg(ctx, args.req(0), name)?;
            let sep = string_arg(ctx, args.req(1), name)?;
            AnyValue::Array(text.split(sep.as_str()).map(AnyValue::str).collect())
        }
        "IsString" => AnyValue::Bool(matches!(eval(ctx, args.req(0))?, AnyValue::Str(_))),
        "IsMap" => AnyValue::Bool(matches!(eval(ctx, args.req(0))?, AnyValue::Map(_))),
        "IsList" => AnyValue::Bool(matches!(eval(ctx, args.req(0))?, AnyValue::Array(_))),
        "IsInt" => AnyValue::Bool(matches!(eval(ctx, args.req(0))?, AnyValue::Int(_))),
        "IsDouble" => AnyValue::Bool(matches!(eval(ctx, args.req(0))?, AnyValue::Double(_))),
        "IsBool" => AnyValue::Bool(matches!(eval(ctx, args.req(0))?, AnyValue::Bool(_))),
        "HasAttrKeyOnDatapoint" | "HasAttrOnDatapoint" => has_attr_on_datapoint(ctx, args, name)?,
        other => {
            return Err(EvalError::NotModelled(format!(
                "converter `{other}` is not modelled"
            )));
        }
    })
}

/// A `StringGetter` argument: must evaluate to a string.
fn string_arg(ctx: &mut Ctx<'_>, e: &Expr, function: &str) -> EvalResult<String> {
    match eval(ctx, e)? {
        AnyValue::Str(s) => Ok(s),
        other => runtime(format!(
            "`{function}` expected a string but got {}",
            other.type_name()
        )),
    }
}

/// OTTL's `StringLikeGetter` conversion: nil stays nil; bytes become hex; maps and
/// lists become JSON; numbers and bools their text.
pub(crate) fn string_like(v: &AnyValue) -> Option<String> {
    match v {
        AnyValue::Empty => None,
        AnyValue::Bytes(b) => Some(hash::hex(b)),
        AnyValue::Map(_) | AnyValue::Array(_) => Some(go_json(&v.to_sorted_json())),
        AnyValue::Double(d) => Some(format_double(*d)),
        other => Some(other.as_string()),
    }
}

fn concat(ctx: &mut Ctx<'_>, args: &Args<'_>) -> EvalResult<AnyValue> {
    let Expr::List(items) = args.req(0) else {
        return Err(EvalError::Config("`Concat` takes a list of values".into()));
    };
    let delimiter = args.literal_str(1)?.unwrap_or_default();
    let mut parts = Vec::new();
    for item in items {
        let v = eval(ctx, item)?;
        // A nil value prints as Go's `<nil>`.
        parts.push(string_like(&v).unwrap_or_else(|| "<nil>".to_string()));
    }
    Ok(AnyValue::Str(parts.join(delimiter)))
}

/// `Format` with the verbs `%s`, `%v`, `%d` and `%%`; other verbs are not modelled.
fn format(ctx: &mut Ctx<'_>, args: &Args<'_>) -> EvalResult<AnyValue> {
    let fmt = args.literal_str(0)?.unwrap_or_default().to_string();
    let Expr::List(items) = args.req(1) else {
        return Err(EvalError::Config("`Format` takes a list of values".into()));
    };
    let mut values = Vec::new();
    for item in items {
        values.push(eval(ctx, item)?);
    }
    let mut out = String::new();
    let mut next = values.iter();
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some('s' | 'v' | 'd') => match next.next() {
                Some(v) => out.push_str(&string_like(v).unwrap_or_else(|| "<nil>".into())),
                None => out.push_str("%!v(MISSING)"),
            },
            other => {
                return Err(EvalError::NotModelled(format!(
                    "`Format` verb `%{}` is not modelled",
                    other.map(String::from).unwrap_or_default()
                )));
            }
        }
    }
    Ok(AnyValue::Str(out))
}

/// `ParseJSON`: objects become maps, arrays lists; every JSON number becomes a double,
/// as Go decodes numbers into `float64`.
fn parse_json(text: &str) -> EvalResult<AnyValue> {
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| EvalError::Runtime(format!("ParseJSON: {e}")))?;
    match v {
        serde_json::Value::Object(_) | serde_json::Value::Array(_) => Ok(json_doubles(&v)),
        _ => runtime("ParseJSON: the text is not a JSON object or array"),
    }
}

fn json_doubles(v: &serde_json::Value) -> AnyValue {
    use serde_json::Value as J;
    match v {
        J::Number(n) => AnyValue::Double(n.as_f64().unwrap_or(f64::NAN)),
        J::Array(items) => AnyValue::Array(items.iter().map(json_doubles).collect()),
        J::Object(m) => AnyValue::Map(Attributes::from_pairs(
            m.iter().map(|(k, v)| (k.clone(), json_doubles(v))),
        )),
        other => AnyValue::from_raw_json(other),
    }
}

fn substring(ctx: &mut Ctx<'_>, args: &Args<'_>) -> EvalResult<AnyValue> {
    let text = string_arg(ctx, args.req(0), "Substring")?;
    let start = int_arg(ctx, args.req(1))?;
    let length = int_arg(ctx, args.req(2))?;
    if start < 0 || length <= 0 {
        return runtime("Substring: start must be >= 0 and length > 0");
    }
    let (s, l) = (start as usize, length as usize);
    match text.get(s..s + l) {
        Some(sub) if s + l <= text.len() => Ok(AnyValue::str(sub)),
        _ => runtime(format!(
            "Substring: invalid range {s}..{} for a string of {} bytes",
            s + l,
            text.len()
        )),
    }
}

fn int_arg(ctx: &mut Ctx<'_>, e: &Expr) -> EvalResult<i64> {
    match eval(ctx, e)? {
        AnyValue::Int(i) => Ok(i),
        other => runtime(format!("expected an int but got {}", other.type_name())),
    }
}

fn len(v: &AnyValue) -> EvalResult<AnyValue> {
    Ok(AnyValue::Int(match v {
        AnyValue::Str(s) => s.len() as i64,
        AnyValue::Array(a) => a.len() as i64,
        AnyValue::Map(m) => m.len() as i64,
        AnyValue::Bytes(b) => b.len() as i64,
        other => return runtime(format!("Len: unsupported type {}", other.type_name())),
    }))
}

/// `Int`: doubles truncate, bools are 0/1, strings are parsed; what cannot be converted
/// gives nil.
fn to_int(v: &AnyValue) -> AnyValue {
    match v {
        AnyValue::Int(i) => AnyValue::Int(*i),
        AnyValue::Double(d) => AnyValue::Int(*d as i64),
        AnyValue::Bool(b) => AnyValue::Int(i64::from(*b)),
        AnyValue::Str(s) => s.parse::<i64>().map_or(AnyValue::Empty, AnyValue::Int),
        _ => AnyValue::Empty,
    }
}

/// `Double`: ints widen, bools are 0/1, strings are parsed; otherwise nil.
fn to_double(v: &AnyValue) -> AnyValue {
    match v {
        AnyValue::Int(i) => AnyValue::Double(*i as f64),
        AnyValue::Double(d) => AnyValue::Double(*d),
        AnyValue::Bool(b) => AnyValue::Double(f64::from(u8::from(*b))),
        AnyValue::Str(s) => s.parse::<f64>().map_or(AnyValue::Empty, AnyValue::Double),
        _ => AnyValue::Empty,
    }
}

/// The filter processor's datapoint checks, evaluated in metric context.
fn has_attr_on_datapoint(ctx: &mut Ctx<'_>, args: &Args<'_>, name: &str) -> EvalResult<AnyValue> {
    let key = string_arg(ctx, args.req(0), name)?;
    let expected = match args.get(1) {
        Some(e) => Some(string_arg(ctx, e, name)?),
        None => None,
    };
    let super::Item::Metric(metric) = &mut ctx.item else {
        return runtime(format!("`{name}` works only in the metric context"));
    };
    let found =
        metric
            .datapoint_attributes_mut()
            .into_iter()
            .any(|a| match (&expected, a.get(&key)) {
                (_, None) => false,
                (None, Some(_)) => true,
                (Some(want), Some(v)) => v.as_str() == Some(want.as_str()),
            });
    Ok(AnyValue::Bool(found))
}
