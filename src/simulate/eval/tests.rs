//! Evaluator tests on a hand-built log record: each editor and converter against the
//! behaviour `pkg/ottl` documents.

use super::*;
use crate::otlp::{LogRecord, Resource, Scope};
use crate::ottl::{Context, parse_statement, resolve_group};

fn record() -> LogRecord {
    LogRecord {
        body: AnyValue::str("user said hello to bob"),
        severity_number: 9,
        attributes: Attributes::from_pairs([
            (
                "http.url".to_string(),
                AnyValue::str("http://x/api/v1/users/42"),
            ),
            ("a".to_string(), AnyValue::Int(1)),
            ("b".to_string(), AnyValue::str("bee")),
            ("c".to_string(), AnyValue::Double(2.5)),
            (
                "nested".to_string(),
                AnyValue::Map(Attributes::from_pairs([
                    ("x".to_string(), AnyValue::str("1")),
                    (
                        "l".to_string(),
                        AnyValue::Array(vec![AnyValue::Int(7), AnyValue::Int(8)]),
                    ),
                ])),
            ),
        ]),
        ..Default::default()
    }
}

/// Runs statements (log context) on a fresh record and returns it.
fn apply(statements: &[&str]) -> Result<LogRecord, EvalError> {
    let mut lr = record();
    let mut resource = Resource::default();
    let mut scope = Scope::default();
    for text in statements {
        let mut s = vec![parse_statement(text).unwrap()];
        resolve_group(
            crate::ottl::Signal::Logs,
            Some(Context::Log),
            &mut s,
            &mut [],
        )
        .unwrap();
        check_statement(&s[0])?;
        let mut ctx = Ctx::new(&mut resource, Some(&mut scope), Item::Log(&mut lr));
        run_statement(&mut ctx, &s[0])?;
    }
    Ok(lr)
}

fn attr(lr: &LogRecord, k: &str) -> Option<AnyValue> {
    lr.attributes.get(k).cloned()
}

#[test]
fn replace_pattern_expands_groups_and_hashes_with_a_function() {
    let lr = apply(&[r#"replace_pattern(attributes["http.url"], "users/(\\d+)", "users/{$1}")"#])
        .unwrap();
    assert_eq!(
        attr(&lr, "http.url"),
        Some(AnyValue::str("http://x/api/v1/users/{42}"))
    );
    let lr = apply(&[r#"replace_pattern(body, "bob", "$0", SHA256, "id:%s")"#]).unwrap();
    assert_eq!(
        lr.body,
        AnyValue::Str(format!(
            "user said hello to id:{}",
            crate::simulate::hash::sha256_hex("bob")
        ))
    );
    // A non-string target is left alone.
    assert_eq!(
        attr(
            &apply(&[r#"replace_pattern(attributes["a"], "1", "2")"#]).unwrap(),
            "a"
        ),
        Some(AnyValue::Int(1))
    );
}

#[test]
fn replace_all_patterns_in_key_and_value_modes() {
    let lr = apply(&[r#"replace_all_patterns(attributes, "key", "^http\\.", "h_")"#]).unwrap();
    assert!(lr.attributes.contains("h_url") && !lr.attributes.contains("http.url"));
    let lr = apply(&[r#"replace_all_patterns(attributes, "value", "e+", "E")"#]).unwrap();
    assert_eq!(attr(&lr, "b"), Some(AnyValue::str("bE")));
    assert_eq!(attr(&lr, "a"), Some(AnyValue::Int(1)));
}

#[test]
fn replace_match_uses_whole_string_globs() {
    let lr = apply(&[r#"replace_match(attributes["http.url"], "http://*/users/*", "REDACTED")"#])
        .unwrap();
    assert_eq!(attr(&lr, "http.url"), Some(AnyValue::str("REDACTED")));
    let lr = apply(&[r#"replace_match(attributes["http.url"], "/users/*", "REDACTED")"#]).unwrap();
    assert_eq!(
        attr(&lr, "http.url"),
        record().attributes.get("http.url").cloned()
    );
    let lr = apply(&[r#"replace_all_matches(attributes, "b*", "X")"#]).unwrap();
    assert_eq!(attr(&lr, "b"), Some(AnyValue::str("X")));
}

#[test]
fn key_editors() {
    let keys = |lr: &LogRecord| lr.attributes.keys().map(str::to_string).collect::<Vec<_>>();
    assert_eq!(
        keys(&apply(&[r#"keep_keys(attributes, ["a", "b", "zz"])"#]).unwrap()),
        ["a", "b"]
    );
    assert_eq!(
        keys(&apply(&[r#"keep_matching_keys(attributes, "^[ab]$")"#]).unwrap()),
        ["a", "b"]
    );
    assert_eq!(
        keys(&apply(&[r#"delete_matching_keys(attributes, "e")"#]).unwrap()),
        ["http.url", "a", "b", "c"]
    );
    assert_eq!(
        keys(&apply(&[r#"delete_key(attributes["nested"], "x")"#]).unwrap()).len(),
        5
    );
    // limit keeps priority keys, then the first keys in map order.
    assert_eq!(
        keys(&apply(&[r#"limit(attributes, 2, ["c"])"#]).unwrap()),
        ["http.url", "c"]
    );
    assert_eq!(
        keys(&apply(&["truncate_all(attributes, 3)"]).unwrap()).len(),
        5
    );
    assert_eq!(
        attr(
            &apply(&["truncate_all(attributes, 3)"]).unwrap(),
            "http.url"
        ),
        Some(AnyValue::str("htt"))
    );
}

#[test]
fn flatten_and_merge_maps() {
    let lr = apply(&["flatten(attributes)"]).unwrap();
    assert_eq!(attr(&lr, "nested.x"), Some(AnyValue::str("1")));
    assert_eq!(attr(&lr, "nested.l.1"), Some(AnyValue::Int(8)));
    let lr =
        apply(&[r#"merge_maps(attributes, ParseJSON("{\"a\": 5, \"new\": true}"), "insert")"#])
            .unwrap();
    assert_eq!(
        (attr(&lr, "a"), attr(&lr, "new")),
        (Some(AnyValue::Int(1)), Some(AnyValue::Bool(true)))
    );
    let lr = apply(&[r#"merge_maps(attributes, ParseJSON("{\"a\": 5}"), "upsert")"#]).unwrap();
    assert_eq!(
        attr(&lr, "a"),
        Some(AnyValue::Double(5.0)),
        "JSON numbers are doubles"
    );
}

#[test]
fn converters() {
    let lr = apply(&[
        r#"set(attributes["cat"], Concat([attributes["b"], attributes["a"], attributes["none"]], "-"))"#,
        r#"set(attributes["fnv"], FNV("a"))"#,
        r#"set(attributes["len"], Len(body))"#,
        r#"set(attributes["sub"], Substring(body, 0, 4))"#,
        r#"set(attributes["up"], ToUpperCase(attributes["b"]))"#,
        r#"set(attributes["int"], Int("12"))"#,
        r#"set(attributes["bad"], Int("x"))"#,
        r#"set(attributes["str"], String(attributes["c"]))"#,
        r#"set(attributes["fmt"], Format("%s=%d", [attributes["b"], attributes["a"]]))"#,
        r#"set(attributes["m"], IsMatch(body, "hel+o")) where severity_number >= SEVERITY_NUMBER_INFO"#,
        r#"set(attributes["md5"], MD5(attributes["b"]))"#,
        r#"set(attributes["sum"], attributes["a"] + 2 * 3)"#,
    ])
    .unwrap();
    assert_eq!(attr(&lr, "cat"), Some(AnyValue::str("bee-1-<nil>")));
    assert_eq!(
        attr(&lr, "fnv"),
        Some(AnyValue::Int(0xaf63_dc4c_8601_ec8c_u64 as i64))
    );
    assert_eq!(attr(&lr, "len"), Some(AnyValue::Int(22)));
    assert_eq!(attr(&lr, "sub"), Some(AnyValue::str("user")));
    assert_eq!(attr(&lr, "up"), Some(AnyValue::str("BEE")));
    assert_eq!(attr(&lr, "int"), Some(AnyValue::Int(12)));
    assert_eq!(
        attr(&lr, "bad"),
        None,
        "Int of junk is nil, and set(nil) does nothing"
    );
    assert_eq!(attr(&lr, "str"), Some(AnyValue::str("2.5")));
    assert_eq!(attr(&lr, "fmt"), Some(AnyValue::str("bee=1")));
    assert_eq!(attr(&lr, "m"), Some(AnyValue::Bool(true)));
    assert_eq!(
        attr(&lr, "md5"),
        Some(AnyValue::Str(crate::simulate::hash::md5_hex("bee")))
    );
    assert_eq!(attr(&lr, "sum"), Some(AnyValue::Int(7)));
}

#[test]
fn indexing_rules() {
    let lr = apply(&[r#"set(attributes["n2"], attributes["nested"]["l"][1])"#]).unwrap();
    assert_eq!(attr(&lr, "n2"), Some(AnyValue::Int(8)));
    let lr = apply(&[r#"set(attributes["deep"]["er"], "v")"#]).unwrap();
    assert!(
        matches!(attr(&lr, "deep"), Some(AnyValue::Map(m)) if m.get("er") == Some(&AnyValue::str("v")))
    );
    assert!(matches!(
        apply(&[r#"set(attributes["x"], body["k"])"#]),
        Err(EvalError::Runtime(_))
    ));
    assert!(matches!(
        apply(&[r#"set(attributes["x"], attributes["nested"]["l"][5])"#]),
        Err(EvalError::Runtime(_))
    ));
    // A missing key at any level reads as nil.
    assert_eq!(
        attr(
            &apply(&[r#"set(attributes["x"], attributes["no"]["k"])"#]).unwrap(),
            "x"
        ),
        None
    );
}

#[test]
fn static_checks_reject_bad_regexes_and_unknown_functions() {
    assert!(matches!(
        apply(&[r#"delete_matching_keys(attributes, "(")"#]),
        Err(EvalError::Config(_))
    ));
    assert!(matches!(
        apply(&[r#"replace_all_patterns(attributes, "both", "a", "b")"#]),
        Err(EvalError::Config(_))
    ));
    assert!(matches!(
        apply(&[r#"set(attributes["x"], Murmur3Hash(body))"#]),
        Err(EvalError::NotModelled(_))
    ));
    assert!(matches!(
        apply(&[r#"merge_maps(attributes, attributes, "merge")"#]),
        Err(EvalError::Config(_))
    ));
    assert!(matches!(
        apply(&[r#"set(attributes["x"], NOT_AN_ENUM)"#]),
        Err(EvalError::Config(_))
    ));
}
