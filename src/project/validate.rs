//! Structural validation of `dpia.yaml`: the YAML tree is walked against the JSON Schema
//! generated from the [`Project`](super::Project) types, and EVERY problem is reported with
//! the line it is on.
//!
//! serde stops at the first error and names no key path; a privacy officer fixing a file in
//! CI wants all problems in one run, each with `file:line` and a suggestion. Walking the
//! schema (rather than hand-writing checks) keeps this in step with the types.
//!
//! Scalars are judged the way `serde_norway` reads them, so that a file this walker
//! accepts also deserialises: any scalar can be a string, a plain `12` is an integer, a
//! quoted `"12"` is not.

use serde_json::Value as Json;

use super::path::{KeyPath, quoted_list};
use super::scalars::{node_is, parse_bool, parse_int};
use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::files::Span;
use crate::tree::{Entry, Node, Scalar, Value};

/// Checks a project-file tree against the project schema, pushing one diagnostic per
/// problem.
pub fn validate(node: &Node, diags: &mut Diagnostics) {
    let schema = super::schema::project_schema();
    let at = Place {
        path: KeyPath::root(),
        key_span: None,
    };
    Walker { root: &schema }.check(&schema, node, &at, diags);
}

/// Where a value sits: its key path, and the span of its key (or list entry), which is
/// where a problem with a whole mapping or list is best shown.
struct Place {
    path: KeyPath,
    key_span: Option<Span>,
}

impl Place {
    fn key(&self, entry: &Entry) -> Place {
        Place {
            path: self.path.key(&entry.key),
            key_span: Some(entry.key_span),
        }
    }

    fn index(&self, i: usize, item: &Node) -> Place {
        Place {
            path: self.path.index(i),
            key_span: Some(item.span),
        }
    }
}

/// Walks a tree against a schema; `root` holds the `$defs` that `$ref`s point into.
struct Walker<'a> {
    root: &'a Json,
}

impl<'a> Walker<'a> {
    fn check(&self, schema: &'a Json, node: &Node, at: &Place, diags: &mut Diagnostics) {
        let schema = self.resolve(schema);
        if let Some(allowed) = allowed_values(schema) {
            return check_enum(&allowed, node, at, diags);
        }
        if let Some(branches) = alternatives(schema) {
            return self.check_alternatives(branches, node, at, diags);
        }
        if !type_matches(schema, node) {
            diags.push(wrong_type(&self.expected(schema), node, at));
            return;
        }
        match &node.value {
            Value::Map(entries) => self.check_object(schema, node, entries, at, diags),
            Value::Seq(items) => self.check_array(schema, node, items, at, diags),
            Value::Scalar(scalar) => check_scalar(schema, node, scalar, at, diags),
            Value::Null | Value::Unknown(_) => {}
        }
    }

    /// Follows `$ref` (schemars only emits `#/$defs/Name`). The keywords next to a `$ref`
    /// in schemars' output are annotations (description, default), so they are dropped.
    fn resolve(&self, mut schema: &'a Json) -> &'a Json {
        for _ in 0..32 {
            let Some(reference) = schema.get("$ref").and_then(Json::as_str) else {
                break;
            };
            let pointer = reference.strip_prefix('#').unwrap_or(reference);
            match self.root.pointer(pointer) {
                Some(target) => schema = target,
                None => break,
            }
        }
        schema
    }

    /// `anyOf`/`oneOf`: `Option<T>` is `[T, null]`. A null matches the null branch; any
    /// other value is checked against the only non-null branch, so its messages are as
    /// precise as for a plain `T`.
    fn check_alternatives(
        &self,
        branches: &'a [Json],
        node: &Node,
        at: &Place,
        diags: &mut Diagnostics,
    ) {
        let resolved: Vec<&Json> = branches.iter().map(|b| self.resolve(b)).collect();
        if node.is_null() && resolved.iter().any(|b| type_matches(b, node)) {
            return;
        }
        let candidates: Vec<&Json> = resolved.into_iter().filter(|b| !is_null_only(b)).collect();
        if let [only] = candidates.as_slice() {
            return self.check(only, node, at, diags);
        }
        let mut fallback = None;
        for branch in &candidates {
            let mut trial = Diagnostics::new();
            self.check(branch, node, at, &mut trial);
            if !trial.has_errors() {
                return diags.extend(trial);
            }
            let kind_fits = type_matches(branch, node) || allowed_values(branch).is_some();
            if fallback.is_none() && kind_fits {
                fallback = Some(trial);
            }
        }
        match fallback {
            Some(trial) => diags.extend(trial),
            None => {
                let expected: Vec<String> = candidates.iter().map(|b| self.expected(b)).collect();
                diags.push(wrong_type(&expected.join(" or "), node, at));
            }
        }
    }

    fn check_object(
        &self,
        schema: &'a Json,
        node: &Node,
        entries: &[Entry],
        at: &Place,
        diags: &mut Diagnostics,
    ) {
        let properties = schema.get("properties").and_then(Json::as_object);
        let additional = schema.get("additionalProperties");
        for entry in entries {
            let child = at.key(entry);
            match properties.and_then(|p| p.get(&entry.key)) {
                Some(sub) => self.check(sub, &entry.value, &child, diags),
                None => match additional {
                    Some(Json::Bool(false)) => {
                        diags.push(unknown_key(entry, properties, &at.path));
                    }
                    Some(sub @ Json::Object(_)) => self.check(sub, &entry.value, &child, diags),
                    _ => {}
                },
            }
        }
        if let Some(min) = schema.get("minProperties").and_then(Json::as_u64)
            && (entries.len() as u64) < min
        {
            let keys: Vec<String> = properties
                .map(|p| p.keys().cloned().collect())
                .unwrap_or_default();
            diags.push(
                Diagnostic::new(
                    Code::ProjectInvalid,
                    format!("{} is an empty mapping", at.path),
                )
                .at(at.key_span.unwrap_or(node.span))
                .hint(format!("give at least one of {}", quoted_list(&keys))),
            );
        }
        for name in required(schema) {
            if node.entry(name).is_none() {
                let about = properties
                    .and_then(|p| p.get(name))
                    .map(|s| self.describe(s))
                    .unwrap_or_default();
                diags.push(missing_key(name, &about, node, at));
            }
        }
    }

    fn check_array(
        &self,
        schema: &'a Json,
        node: &Node,
        items: &[Node],
        at: &Place,
        diags: &mut Diagnostics,
    ) {
        if let Some(min) = schema.get("minItems").and_then(Json::as_u64)
            && (items.len() as u64) < min
        {
            diags.push(
                Diagnostic::new(
                    Code::ProjectInvalid,
                    format!(
                        "{} needs at least {min} entries, found {}",
                        at.path,
                        items.len()
                    ),
                )
                .at(at.key_span.unwrap_or(node.span)),
            );
        }
        if let Some(item_schema) = schema.get("items") {
            for (i, item) in items.iter().enumerate() {
                self.check(item_schema, item, &at.index(i, item), diags);
            }
        }
    }

    /// What a schema expects, in words ("a list", "a mapping", "one of `a`, `b`").
    fn expected(&self, schema: &Json) -> String {
        let schema = self.resolve(schema);
        if let Some(allowed) = allowed_values(schema) {
            return format!("one of {}", quoted_list(&allowed));
        }
        if let Some(branches) = alternatives(schema) {
            let words: Vec<String> = branches
                .iter()
                .filter(|b| !is_null_only(self.resolve(b)))
                .map(|b| self.expected(b))
                .collect();
            return words.join(" or ");
        }
        let words: Vec<&str> = types(schema)
            .into_iter()
            .filter(|t| *t != "null")
            .map(type_word)
            .collect();
        if words.is_empty() {
            "a value".to_string()
        } else {
            words.join(" or ")
        }
    }

    /// The description of a property, for hints about keys that must be added.
    fn describe(&self, schema: &Json) -> String {
        schema
            .get("description")
            .or_else(|| self.resolve(schema).get("description"))
            .and_then(Json::as_str)
            .map(|d| d.replace('\n', " "))
            .unwrap_or_default()
    }
}

fn check_enum(allowed: &[String], node: &Node, at: &Place, diags: &mut Diagnostics) {
    let Some(text) = node.as_str() else {
        let expected = format!("one of {}", quoted_list(allowed));
        diags.push(wrong_type(&expected, node, at));
        return;
    };
    if allowed.iter().any(|a| a == text) {
        return;
    }
    let mut hint = String::new();
    if let Some(close) = did_you_mean(text, allowed.iter().map(String::as_str))
        .or_else(|| unique_prefix_match(text, allowed))
    {
        hint = format!("did you mean `{close}`? ");
    }
    hint.push_str(&format!("allowed values: {}", quoted_list(allowed)));
    diags.push(
        Diagnostic::new(
            Code::ProjectBadValue,
            format!("{}: `{text}` is not an allowed value", at.path),
        )
        .at(node.span)
        .hint(hint),
    );
}

/// The one allowed value that starts with what was written (`metadata` → `metadata_only`),
/// for abbreviations too far from the full value for an edit-distance suggestion.
fn unique_prefix_match<'v>(text: &str, allowed: &'v [String]) -> Option<&'v str> {
    let lower = text.to_lowercase();
    let mut matches = allowed
        .iter()
        .filter(|a| !lower.is_empty() && a.to_lowercase().starts_with(&lower));
    match (matches.next(), matches.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

fn check_scalar(schema: &Json, node: &Node, scalar: &Scalar, at: &Place, diags: &mut Diagnostics) {
    if let Some(pattern) = schema.get("pattern").and_then(Json::as_str) {
        check_pattern(pattern, node, &scalar.text, at, diags);
    }
    if scalar.quoted {
        return;
    }
    let Some(number) = parse_int(&scalar.text) else {
        return;
    };
    let min = schema.get("minimum").and_then(Json::as_i64).map(i128::from);
    let max = schema
        .get("maximum")
        .and_then(Json::as_i64)
        .map(i128::from)
        .or_else(|| format_max(schema));
    let out_of_range = min.is_some_and(|m| number < m) || max.is_some_and(|m| number > m);
    if out_of_range {
        let range = match (min, max) {
            (Some(lo), Some(hi)) => format!("from {lo} to {hi}"),
            (Some(lo), None) => format!("{lo} or more"),
            (None, Some(hi)) => format!("{hi} or less"),
            (None, None) => unreachable!("out of range needs a bound"),
        };
        diags.push(
            Diagnostic::new(
                Code::ProjectInvalid,
                format!("{}: {number} is out of range; it must be {range}", at.path),
            )
            .at(node.span),
        );
    }
}

fn check_pattern(pattern: &str, node: &Node, text: &str, at: &Place, diags: &mut Diagnostics) {
    let Ok(re) = regex::Regex::new(pattern) else {
        return;
    };
    if re.is_match(text) {
        return;
    }
    let upper = text.trim().to_uppercase();
    let hint = if re.is_match(&upper) {
        format!("write it as `{upper}`")
    } else {
        format!("the value must match the pattern `{pattern}`")
    };
    diags.push(
        Diagnostic::new(
            Code::ProjectInvalid,
            format!("{}: `{text}` is not in the expected form", at.path),
        )
        .at(node.span)
        .hint(hint),
    );
}

/// The largest value an integer `format` allows (schemars writes `uint32` for `u32`).
fn format_max(schema: &Json) -> Option<i128> {
    match schema.get("format").and_then(Json::as_str)? {
        "uint8" => Some(u8::MAX.into()),
        "uint16" => Some(u16::MAX.into()),
        "uint32" => Some(u32::MAX.into()),
        "uint64" => Some(u64::MAX.into()),
        "int32" => Some(i32::MAX.into()),
        "int64" => Some(i64::MAX.into()),
        _ => None,
    }
}

/// The branches of an `anyOf` or `oneOf`.
fn alternatives(schema: &Json) -> Option<&[Json]> {
    schema
        .get("anyOf")
        .or_else(|| schema.get("oneOf"))
        .and_then(Json::as_array)
        .map(Vec::as_slice)
}

/// The values allowed by `enum`, `const`, or a `oneOf`/`anyOf` whose every branch is a
/// `const` (how schemars writes enums whose variants have doc comments).
fn allowed_values(schema: &Json) -> Option<Vec<String>> {
    if let Some(values) = schema.get("enum").and_then(Json::as_array) {
        return Some(values.iter().map(json_text).collect());
    }
    if let Some(value) = schema.get("const") {
        return Some(vec![json_text(value)]);
    }
    let branches = alternatives(schema)?;
    let mut all = Vec::new();
    for branch in branches {
        all.extend(allowed_values(branch)?);
    }
    Some(all)
}

fn json_text(value: &Json) -> String {
    match value {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn types(schema: &Json) -> Vec<&str> {
    match schema.get("type") {
        Some(Json::String(t)) => vec![t.as_str()],
        Some(Json::Array(ts)) => ts.iter().filter_map(Json::as_str).collect(),
        _ => Vec::new(),
    }
}

fn is_null_only(schema: &Json) -> bool {
    types(schema) == ["null"]
}

fn required(schema: &Json) -> impl Iterator<Item = &str> {
    schema
        .get("required")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(Json::as_str)
}

/// Whether the node has one of the schema's types; a schema without `type` takes anything.
fn type_matches(schema: &Json, node: &Node) -> bool {
    let types = types(schema);
    types.is_empty() || types.into_iter().any(|t| node_is(t, node))
}

fn type_word(json_type: &str) -> &'static str {
    match json_type {
        "object" => "a mapping",
        "array" => "a list",
        "string" => "a text value",
        "integer" => "a whole number",
        "number" => "a number",
        "boolean" => "`true` or `false`",
        "null" => "nothing",
        _ => "a value",
    }
}

/// What a node is, in words, for "expected …, found …". A text is quoted back only when
/// `reveal` allows it, so a token pasted into the wrong place is never printed.
fn found(node: &Node, reveal: bool) -> String {
    match &node.value {
        Value::Null => "nothing (an empty value)".to_string(),
        Value::Map(_) => "a mapping".to_string(),
        Value::Seq(_) => "a list".to_string(),
        Value::Unknown(_) => "a value that cannot be known".to_string(),
        Value::Scalar(s) if !s.quoted && parse_bool(&s.text).is_some() => format!("`{}`", s.text),
        Value::Scalar(s) if !s.quoted && parse_int(&s.text).is_some() => {
            format!("the number `{}`", s.text)
        }
        Value::Scalar(s) if reveal => format!("the text `{}`", s.text),
        Value::Scalar(_) => "a text value".to_string(),
    }
}

/// Whether a value may be quoted in a message: not under an `env` map (whose values are
/// environment variables, headers and tokens included), and short.
fn may_reveal(node: &Node, at: &Place) -> bool {
    const LONGEST_SHOWN: usize = 40;
    let short = node
        .as_str()
        .is_none_or(|t| t.chars().count() <= LONGEST_SHOWN);
    short && !at.path.has_key("env")
}

fn wrong_type(expected: &str, node: &Node, at: &Place) -> Diagnostic {
    let hint = match &node.value {
        Value::Null => format!("give {expected} here, or remove the key"),
        Value::Scalar(s) if s.quoted && unquoted_fits(expected, &s.text) => {
            format!("remove the quotes: `{}`", s.text)
        }
        _ => format!("write {expected} here"),
    };
    let span = match node.value {
        Value::Map(_) | Value::Seq(_) => at.key_span.unwrap_or(node.span),
        _ => node.span,
    };
    Diagnostic::new(
        Code::ProjectWrongType,
        format!(
            "{}: expected {expected}, found {}",
            at.path,
            found(node, may_reveal(node, at))
        ),
    )
    .at(span)
    .hint(hint)
}

/// Whether a quoted scalar would have the expected type without its quotes.
fn unquoted_fits(expected: &str, text: &str) -> bool {
    (expected.contains("whole number") && parse_int(text).is_some())
        || (expected.contains("`true` or `false`") && parse_bool(text).is_some())
}

fn unknown_key(
    entry: &Entry,
    properties: Option<&serde_json::Map<String, Json>>,
    parent: &KeyPath,
) -> Diagnostic {
    let allowed: Vec<&str> = properties
        .map(|p| p.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let hint = match did_you_mean(&entry.key, allowed.iter().copied()) {
        Some(close) => format!("did you mean `{close}`?"),
        None if allowed.is_empty() => "remove it".to_string(),
        None => format!(
            "remove it or check its spelling; keys allowed here: {}",
            quoted_list(&allowed)
        ),
    };
    Diagnostic::new(
        Code::ProjectUnknownKey,
        format!("unknown key `{}` {}", entry.key, parent.location()),
    )
    .at(entry.key_span)
    .hint(hint)
}

fn missing_key(name: &str, about: &str, node: &Node, at: &Place) -> Diagnostic {
    let mut hint = format!("add `{name}:`");
    if !about.is_empty() {
        hint.push_str(&format!(" — {about}"));
    }
    Diagnostic::new(
        Code::ProjectMissingKey,
        format!("required key `{name}` is missing {}", at.path.location()),
    )
    .at(node.span)
    .hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::Files;
    use crate::tree::parse_yaml;

    fn problems(text: &str) -> Vec<Diagnostic> {
        let mut files = Files::new();
        let id = files.add("dpia.yaml", text);
        let mut diags = Diagnostics::new();
        let node = parse_yaml(&files, id, &mut diags).unwrap().remove(0);
        validate(&node, &mut diags);
        diags.into_sorted()
    }

    #[test]
    fn a_valid_file_has_no_problems() {
        let text = "schema_version: 1\norganisation:\n  name: Acme\n  country: NL\npurposes:\n  - id: cost\n    legal_basis: legitimate_interests\ndestinations:\n  - host: example.com\n    retention_days: 30\n    access: [sre]\npolicy:\n  performance_evaluation: false\ninputs:\n  env:\n    A: 1\n";
        assert_eq!(problems(text), Vec::new());
    }

    #[test]
    fn scalars_are_typed_as_serde_norway_reads_them() {
        let d = problems("schema_version: '1'\npolicy:\n  performance_evaluation: 'no'\n");
        assert_eq!(d.len(), 2, "{d:#?}");
        assert!(d.iter().all(|d| d.code == Code::ProjectWrongType));
        assert!(
            d[0].message
                .contains("expected a whole number, found the text `1`")
        );
        assert!(d[1].message.contains("expected `true` or `false`"));
        assert_eq!(parse_int("0x1F"), Some(31));
        assert_eq!(parse_int("-3"), Some(-3));
        assert_eq!(parse_int("1.5"), None);
    }

    #[test]
    fn range_pattern_and_enum_problems_are_named() {
        let d = problems(
            "schema_version: 1\norganisation:\n  country: nl\ndestinations:\n  - host: h\n    retention_days: -1\n    role: procesor\n",
        );
        let codes: Vec<Code> = d.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            [
                Code::ProjectInvalid,
                Code::ProjectInvalid,
                Code::ProjectBadValue
            ]
        );
        assert_eq!(d[0].hint.as_deref(), Some("write it as `NL`"));
        assert!(d[1].message.contains("from 0 to 4294967295"));
        let hint = d[2].hint.as_deref().unwrap();
        assert!(hint.starts_with("did you mean `processor`?"), "{hint}");
    }
}
