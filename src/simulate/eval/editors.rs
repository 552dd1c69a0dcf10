//! OTTL editors (lowercase functions that change the item).

use regex::Regex;

use super::converters::{apply_named, is_hash_function};
use super::{Args, Ctx, EvalError, EvalResult, eval, glob, paths, runtime};
use crate::otlp::{AnyValue, Attributes};
use crate::ottl::{Call, Expr, Path};

const SIGNATURES: &[(&str, &[&str], usize)] = &[
    ("set", &["target", "value"], 2),
    ("delete_key", &["target", "key"], 2),
    ("delete_matching_keys", &["target", "pattern"], 2),
    ("keep_keys", &["target", "keys"], 2),
    ("keep_matching_keys", &["target", "pattern"], 2),
    (
        "replace_pattern",
        &[
            "target",
            "regex",
            "replacement",
            "function",
            "replacementFormat",
        ],
        3,
    ),
    (
        "replace_all_patterns",
        &[
            "target",
            "mode",
            "regex",
            "replacement",
            "function",
            "replacementFormat",
        ],
        4,
    ),
    (
        "replace_match",
        &[
            "target",
            "pattern",
            "replacement",
            "function",
            "replacementFormat",
        ],
        3,
    ),
    (
        "replace_all_matches",
        &[
            "target",
            "pattern",
            "replacement",
            "function",
            "replacementFormat",
        ],
        3,
    ),
    ("truncate_all", &["target", "limit"], 2),
    ("limit", &["target", "limit", "priority_keys"], 2),
    ("merge_maps", &["target", "source", "strategy"], 3),
    ("flatten", &["target", "prefix", "depth"], 1),
    ("append", &["target", "value", "values"], 1),
];

fn bind(call: &Call) -> EvalResult<Args<'_>> {
    let (_, params, required) = SIGNATURES
        .iter()
        .find(|(n, _, _)| *n == call.name)
        .ok_or_else(|| EvalError::NotModelled(format!("editor `{}` is not modelled", call.name)))?;
    Args::bind(call, params, *required)
}

fn target<'c>(args: &Args<'c>) -> EvalResult<&'c Path> {
    match args.req(0) {
        Expr::Path(p) => Ok(p),
        _ => Err(EvalError::Config(
            "the first argument of an editor must be a path".into(),
        )),
    }
}

/// Checks an editor call before any data is seen (the collector rejects these at
/// startup): known function, arity, a path as target, literal regexes and modes valid.
pub(crate) fn check(call: &Call) -> EvalResult<()> {
    let args = bind(call)?;
    target(&args)?;
    match call.name.as_str() {
        "delete_matching_keys" | "keep_matching_keys" => {
            regex(args.literal_str(1)?)?;
        }
        "replace_pattern" => {
            regex(args.literal_str(1)?)?;
        }
        "replace_all_patterns" => {
            mode(args.literal_str(1)?)?;
            regex(args.literal_str(2)?)?;
        }
        "replace_match" | "replace_all_matches" => {
            glob::compile(args.literal_str(1)?.unwrap_or_default())?;
        }
        "truncate_all" if args.literal_int(1)?.unwrap_or(0) < 0 => {
            return Err(EvalError::Config(
                "`truncate_all` limit cannot be negative".into(),
            ));
        }
        "limit" => limit_args(&args).map(|_| ())?,
        "merge_maps" => strategy(args.literal_str(2)?).map(|_| ())?,
        "flatten" => {
            args.literal_str(1)?;
            args.literal_int(2)?;
        }
        _ => {}
    }
    if let Some(Expr::Symbol(f)) = function_arg(call)
        && !is_hash_function(f)
    {
        return Err(EvalError::NotModelled(format!(
            "function `{f}` as an argument is not modelled"
        )));
    }
    for a in call.args.iter().skip(1) {
        if !matches!(a.value, Expr::Symbol(_)) {
            super::check_expr(&a.value)?;
        }
    }
    Ok(())
}

fn function_arg(call: &Call) -> Option<&Expr> {
    let pos = match call.name.as_str() {
        "replace_pattern" | "replace_match" | "replace_all_matches" => 3,
        "replace_all_patterns" => 4,
        _ => return None,
    };
    let args = bind(call).ok()?;
    args.get(pos)
}

fn regex(p: Option<&str>) -> EvalResult<Regex> {
    super::regex(p.unwrap_or_default())
}

fn mode(m: Option<&str>) -> EvalResult<bool> {
    match m {
        Some("key") => Ok(true),
        Some("value") => Ok(false),
        other => Err(EvalError::Config(format!(
            "invalid mode {other:?}, must be `key` or `value`"
        ))),
    }
}

fn strategy(s: Option<&str>) -> EvalResult<&str> {
    match s {
        Some(s @ ("insert" | "update" | "upsert")) => Ok(s),
        other => Err(EvalError::Config(format!(
            "invalid merge strategy {other:?}, must be insert, update or upsert"
        ))),
    }
}

/// Runs an editor on the item.
pub(crate) fn run(ctx: &mut Ctx<'_>, call: &Call) -> EvalResult<()> {
    let args = bind(call)?;
    let path = target(&args)?;
    match call.name.as_str() {
        "set" => {
            let v = eval(ctx, args.req(1))?;
            if v.is_empty() {
                return Ok(()); // set with nil does nothing
            }
            paths::set(ctx, path, v)
        }
        "delete_key" => {
            let key = str_value(ctx, args.req(1))?;
            with_map(ctx, path, |m| {
                m.remove(&key);
                Ok(())
            })
        }
        "delete_matching_keys" => {
            let re = regex(args.literal_str(1)?)?;
            with_map(ctx, path, |m| {
                m.retain(|k, _| !re.is_match(k));
                Ok(())
            })
        }
        "keep_keys" => {
            let keys = str_list(ctx, args.req(1))?;
            with_map(ctx, path, |m| {
                m.retain(|k, _| keys.iter().any(|x| x == k));
                Ok(())
            })
        }
        "keep_matching_keys" => {
            let re = regex(args.literal_str(1)?)?;
            with_map(ctx, path, |m| {
                m.retain(|k, _| re.is_match(k));
                Ok(())
            })
        }
        "replace_pattern" => replace_pattern(ctx, path, &args),
        "replace_all_patterns" => replace_all_patterns(ctx, path, &args),
        "replace_match" => replace_match(ctx, path, &args),
        "replace_all_matches" => replace_all_matches(ctx, path, &args),
        "truncate_all" => {
            let limit = args.literal_int(1)?.unwrap_or(0) as usize;
            with_map(ctx, path, |m| {
                for (_, v) in m.iter_mut() {
                    if let AnyValue::Str(s) = v {
                        truncate(s, limit);
                    }
                }
                Ok(())
            })
        }
        "limit" => {
            let (limit, priority) = limit_args(&args)?;
            with_map(ctx, path, |m| {
                limit_map(m, limit, &priority);
                Ok(())
            })
        }
        "merge_maps" => merge_maps(ctx, path, &args),
        "flatten" => {
            let prefix = args.literal_str(1)?.map(str::to_string);
            let depth = args.literal_int(2)?.unwrap_or(i64::MAX);
            if depth < 0 {
                return Err(EvalError::Config(
                    "`flatten` depth cannot be negative".into(),
                ));
            }
            with_map(ctx, path, |m| {
                let mut out = Attributes::new();
                flatten_into(&mut out, prefix.as_deref(), std::mem::take(m), depth);
                *m = out;
                Ok(())
            })
        }
        "append" => append(ctx, path, &args),
        other => Err(EvalError::NotModelled(format!(
            "editor `{other}` is not modelled"
        ))),
    }
}

/// Reads a map at `path`, lets `f` change it, writes it back.
fn with_map(
    ctx: &mut Ctx<'_>,
    path: &Path,
    f: impl FnOnce(&mut Attributes) -> EvalResult<()>,
) -> EvalResult<()> {
    match paths::get(ctx, path)? {
        AnyValue::Map(mut m) => {
            f(&mut m)?;
            paths::set(ctx, path, AnyValue::Map(m))
        }
        other => runtime(format!(
            "expected a map at `{}` but got {}",
            path.to_text(),
            nil_name(&other)
        )),
    }
}

fn nil_name(v: &AnyValue) -> &'static str {
    if v.is_empty() { "nil" } else { v.type_name() }
}

fn str_value(ctx: &mut Ctx<'_>, e: &Expr) -> EvalResult<String> {
    match eval(ctx, e)? {
        AnyValue::Str(s) => Ok(s),
        other => runtime(format!("expected a string but got {}", nil_name(&other))),
    }
}

fn str_list(ctx: &mut Ctx<'_>, e: &Expr) -> EvalResult<Vec<String>> {
    match eval(ctx, e)? {
        AnyValue::Array(items) => items
            .into_iter()
            .map(|i| match i {
                AnyValue::Str(s) => Ok(s),
                other => runtime(format!(
                    "expected a list of strings, found {}",
                    other.type_name()
                )),
            })
            .collect(),
        other => runtime(format!(
            "expected a list of strings but got {}",
            nil_name(&other)
        )),
    }
}

/// Cuts a string to at most `limit` bytes, backing off to a character boundary (the
/// collector cuts bytes and may split a multi-byte character; this engine keeps valid
/// UTF-8).
fn truncate(s: &mut String, limit: usize) {
    if s.len() > limit {
        let mut cut = limit;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
}

fn limit_args(args: &Args<'_>) -> EvalResult<(usize, Vec<String>)> {
    let limit = args.literal_int(1)?.unwrap_or(0);
    if limit < 0 {
        return Err(EvalError::Config("`limit` cannot be negative".into()));
    }
    let priority = match args.get(2) {
        None => Vec::new(),
        Some(Expr::List(items)) => items
            .iter()
            .map(|i| match i {
                Expr::String(s) => Ok(s.clone()),
                _ => Err(EvalError::NotModelled("non-literal priority keys".into())),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => {
            return Err(EvalError::Config(
                "`limit` priority keys must be a list".into(),
            ));
        }
    };
    if priority.len() > limit as usize {
        return Err(EvalError::Config(
            "`limit`: more priority keys than the limit".into(),
        ));
    }
    Ok((limit as usize, priority))
}

/// `limit`: keeps the priority keys that exist, then other keys in map order until the
/// limit is reached. The collector's map keeps insertion order too, so this is the same
/// choice it makes for the same input; upstream documents the choice as unspecified.
fn limit_map(m: &mut Attributes, limit: usize, priority: &[String]) {
    if m.len() <= limit {
        return;
    }
    let mut count = priority.iter().filter(|k| m.contains(k)).count();
    m.retain(|k, _| {
        if priority.iter().any(|p| p == k) {
            return true;
        }
        if count < limit {
            count += 1;
            return true;
        }
        false
    });
}

/// The optional function and format arguments of the replace editors, applied to the
/// expanded replacement of one match.
struct Replacer {
    replacement: String,
    function: Option<String>,
    format: Option<String>,
}

impl Replacer {
    fn from_args(ctx: &mut Ctx<'_>, args: &Args<'_>, first: usize) -> EvalResult<Replacer> {
        let replacement = str_value(ctx, args.req(first))?;
        let function = match args.get(first + 1) {
            None => None,
            Some(Expr::Symbol(f)) => Some(f.clone()),
            Some(_) => {
                return Err(EvalError::Config(
                    "the function argument must be a converter name".into(),
                ));
            }
        };
        let format = match args.get(first + 2) {
            None => None,
            Some(e) => Some(str_value(ctx, e)?),
        };
        Ok(Replacer {
            replacement,
            function,
            format,
        })
    }

    /// The text that replaces one match, from its already expanded replacement.
    fn finish(&self, expanded: &str) -> EvalResult<String> {
        let Some(f) = &self.function else {
            return Ok(expanded.to_string());
        };
        let hashed = apply_named(f, expanded)?;
        Ok(match &self.format {
            Some(fmt) => fmt.replacen("%s", &hashed, 1),
            None => hashed,
        })
    }

    /// Replaces every match of `re` in `text` (Go `ReplaceAllString` with `$1` / `${name}`
    /// expansion), passing each expanded replacement through the function if given.
    fn replace_all(&self, re: &Regex, text: &str) -> EvalResult<String> {
        if self.function.is_none() {
            return Ok(re.replace_all(text, self.replacement.as_str()).into_owned());
        }
        let mut out = text.to_string();
        for caps in re.captures_iter(text) {
            let mut expanded = String::new();
            caps.expand(&self.replacement, &mut expanded);
            let whole = caps.get(0).map_or("", |m| m.as_str());
            out = out.replace(whole, &self.finish(&expanded)?);
        }
        Ok(out)
    }
}

fn replace_pattern(ctx: &mut Ctx<'_>, path: &Path, args: &Args<'_>) -> EvalResult<()> {
    let re = regex(args.literal_str(1)?)?;
    let r = Replacer::from_args(ctx, args, 2)?;
    if let AnyValue::Str(text) = paths::get(ctx, path)?
        && re.is_match(&text)
    {
        let new = r.replace_all(&re, &text)?;
        paths::set(ctx, path, AnyValue::Str(new))?;
    }
    Ok(())
}

fn replace_all_patterns(ctx: &mut Ctx<'_>, path: &Path, args: &Args<'_>) -> EvalResult<()> {
    let key_mode = mode(args.literal_str(1)?)?;
    let re = regex(args.literal_str(2)?)?;
    let r = Replacer::from_args(ctx, args, 3)?;
    with_map(ctx, path, |m| {
        let mut out = Attributes::new();
        for (k, v) in std::mem::take(m).into_pairs() {
            if key_mode {
                let key = if re.is_match(&k) {
                    r.replace_all(&re, &k)?
                } else {
                    k
                };
                out.put(key, v);
            } else {
                let v = match v {
                    AnyValue::Str(s) if re.is_match(&s) => AnyValue::Str(r.replace_all(&re, &s)?),
                    other => other,
                };
                out.put(k, v);
            }
        }
        *m = out;
        Ok(())
    })
}

fn replace_match(ctx: &mut Ctx<'_>, path: &Path, args: &Args<'_>) -> EvalResult<()> {
    let g = glob::compile(args.literal_str(1)?.unwrap_or_default())?;
    let r = Replacer::from_args(ctx, args, 2)?;
    if let AnyValue::Str(text) = paths::get(ctx, path)?
        && g.is_match(&text)
    {
        paths::set(ctx, path, AnyValue::Str(r.finish(&r.replacement)?))?;
    }
    Ok(())
}

fn replace_all_matches(ctx: &mut Ctx<'_>, path: &Path, args: &Args<'_>) -> EvalResult<()> {
    let g = glob::compile(args.literal_str(1)?.unwrap_or_default())?;
    let r = Replacer::from_args(ctx, args, 2)?;
    let new = r.finish(&r.replacement)?;
    with_map(ctx, path, |m| {
        for (_, v) in m.iter_mut() {
            if let AnyValue::Str(s) = v
                && g.is_match(s)
            {
                *s = new.clone();
            }
        }
        Ok(())
    })
}

fn merge_maps(ctx: &mut Ctx<'_>, path: &Path, args: &Args<'_>) -> EvalResult<()> {
    let strategy = strategy(args.literal_str(2)?)?.to_string();
    let source = match eval(ctx, args.req(1))? {
        AnyValue::Map(m) => m,
        other => {
            return runtime(format!(
                "merge_maps: the source must be a map, got {}",
                nil_name(&other)
            ));
        }
    };
    with_map(ctx, path, |m| {
        for (k, v) in source.iter() {
            let present = m.contains(k);
            let write = match strategy.as_str() {
                "insert" => !present,
                "update" => present,
                _ => true,
            };
            if write {
                m.put(k, v.clone());
            }
        }
        Ok(())
    })
}

/// `flatten`: nested maps become `a.b` keys, list items `a.0`; deeper than `depth`
/// levels the value is kept as is.
fn flatten_into(out: &mut Attributes, prefix: Option<&str>, map: Attributes, depth: i64) {
    for (k, v) in map.into_pairs() {
        let key = match prefix {
            Some(p) => format!("{p}.{k}"),
            None => k,
        };
        flatten_value(out, key, v, depth);
    }
}

fn flatten_value(out: &mut Attributes, key: String, v: AnyValue, depth: i64) {
    match v {
        AnyValue::Map(inner) if depth > 0 => flatten_into(out, Some(&key), inner, depth - 1),
        AnyValue::Array(items) if depth > 0 => {
            for (i, item) in items.into_iter().enumerate() {
                flatten_value(out, format!("{key}.{i}"), item, depth - 1);
            }
        }
        other => out.put(key, other),
    }
}

fn append(ctx: &mut Ctx<'_>, path: &Path, args: &Args<'_>) -> EvalResult<()> {
    let mut items = match paths::get(ctx, path)? {
        AnyValue::Empty => Vec::new(),
        AnyValue::Array(a) => a,
        single => vec![single],
    };
    if let Some(e) = args.get(1) {
        let v = eval(ctx, e)?;
        if !v.is_empty() {
            items.push(v);
        }
    }
    if let Some(e) = args.get(2) {
        match eval(ctx, e)? {
            AnyValue::Array(more) => items.extend(more),
            AnyValue::Empty => {}
            other => items.push(other),
        }
    }
    paths::set(ctx, path, AnyValue::Array(items))
}
