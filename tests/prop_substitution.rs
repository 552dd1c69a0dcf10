//! `${…}` substitution on generated configurations.
//!
//! 1. `substitution_never_panics`: values built from every kind of reference (set, unset,
//!    with defaults, nested, escaped, inline YAML, remote schemes, missing files, broken
//!    syntax) with variables whose values are references again (cycles included) expand
//!    without a panic, and every problem is reported at a place.
//! 2. `plain_values_expand_as_text`: with variables holding plain text, a value expands to
//!    the text written with each reference replaced and each `$$` made `$`.
//! 3. `an_unset_variable_leaves_the_value_unknown`: a value that names an unset variable
//!    without a default is unknown after expansion, never a guess (the analysis then
//!    assumes the worst).
//!
//! `PROPTEST_CASES` raises the number of cases.

mod common;

use common::generate;
use otel_dpia::collector::substitute_text;
use otel_dpia::diag::Diagnostics;
use otel_dpia::files::Files;
use otel_dpia::tree::{Node, Value};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

/// Names of set variables, and of unset ones.
const SET: &[&str] = &["A", "B", "C_1"];
const UNSET: &[&str] = &["U", "MISSING"];

/// One piece of a value: literal text or a reference of any kind.
fn wild_piece() -> impl Strategy<Value = String> {
    let name = || select(&["A", "B", "C_1", "U", "MISSING", "1BAD", ""][..]);
    prop_oneof![
        "[a-z :/.,-]{0,8}",
        name().prop_map(|n| format!("${{env:{n}}}")),
        name().prop_map(|n| format!("${{{n}}}")),
        (name(), "[a-z]{0,4}").prop_map(|(n, d)| format!("${{env:{n}:-{d}}}")),
        name().prop_map(|n| format!("${{env:${{env:{n}}}}}")),
        Just("$$".to_string()),
        Just("$".to_string()),
        Just("${".to_string()),
        Just("}".to_string()),
        Just("${yaml:[a, b]}".to_string()),
        Just("${yaml:{k: v}}".to_string()),
        Just("${https://example.com/x}".to_string()),
        Just("${file:no-such-file.yaml}".to_string()),
        Just("${:x}".to_string()),
        Just("${env:A:-${env:B}}".to_string()),
    ]
}

fn wild_value() -> impl Strategy<Value = String> {
    vec(wild_piece(), 0..5).prop_map(|p| p.concat())
}

/// A YAML single-quoted scalar holding `text`.
fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A configuration whose values are the texts given, in a map, a list and a nested map.
fn config_of(values: &[String]) -> String {
    let mut out = String::from("exporters:\n  otlp:\n");
    for (i, v) in values.iter().enumerate() {
        out.push_str(&format!("    k{i}: {}\n", quoted(v)));
    }
    out.push_str("    list:\n");
    for v in values {
        out.push_str(&format!("      - {}\n", quoted(v)));
    }
    out
}

fn expand(text: &str, env: &[(String, String)]) -> (Option<Node>, Diagnostics, Files) {
    let mut files = Files::new();
    let mut diags = Diagnostics::new();
    let root = substitute_text(text, env, &mut files, &mut diags);
    (root, diags, files)
}

/// The value of key `k{i}` of the expanded configuration.
fn value_at(root: &Node, i: usize) -> &Node {
    root.get("exporters")
        .and_then(|e| e.get("otlp"))
        .and_then(|o| o.get(&format!("k{i}")))
        .expect("the key is kept")
}

/// A piece of a value whose expansion is known: `(written, expanded)`.
fn plain_piece() -> impl Strategy<Value = (String, String)> {
    prop_oneof![
        "[a-z0-9 :/.,-]{1,8}".prop_map(|t| (t.clone(), t)),
        select(SET).prop_map(|n| (format!("${{env:{n}}}"), format!("v{}", n.to_lowercase()))),
        select(SET).prop_map(|n| (format!("${{{n}}}"), format!("v{}", n.to_lowercase()))),
        (select(SET), "[a-z]{0,4}").prop_map(|(n, d)| (
            format!("${{env:{n}:-{d}}}"),
            format!("v{}", n.to_lowercase())
        )),
        // Defaults start with `d`, so none reads as a YAML null or boolean.
        (select(UNSET), "d[a-z]{0,3}").prop_map(|(n, d)| (format!("${{env:{n}:-{d}}}"), d)),
        Just(("$$".to_string(), "$".to_string())),
    ]
}

/// Every set variable with a plain value: `A=va`, `B=vb`, `C_1=vc_1`.
fn plain_env() -> Vec<(String, String)> {
    SET.iter()
        .map(|n| (n.to_string(), format!("v{}", n.to_lowercase())))
        .collect()
}

proptest! {
    #![proptest_config(generate::config(256))]

    #[test]
    fn substitution_never_panics(
        values in vec(wild_value(), 1..4),
        env_values in vec(wild_value(), 3),
    ) {
        let env: Vec<(String, String)> = SET
            .iter()
            .zip(&env_values)
            .map(|(n, v)| (n.to_string(), v.clone()))
            .collect();
        let (root, diags, files) = expand(&config_of(&values), &env);
        prop_assert!(root.is_some(), "the configuration is YAML: {diags:?}");
        for d in diags.iter() {
            let span = d.span.expect("every substitution problem has a place");
            prop_assert!(files.get(span.file).line_text(span.line).is_some(), "{d:?}");
        }
    }

    #[test]
    fn plain_values_expand_as_text(values in vec(vec(plain_piece(), 1..5), 1..4)) {
        let written: Vec<String> = values
            .iter()
            .map(|pieces| pieces.iter().map(|(w, _)| w.as_str()).collect())
            .collect();
        let (root, diags, _) = expand(&config_of(&written), &plain_env());
        prop_assert!(diags.is_empty(), "{diags:?}");
        let root = root.unwrap();
        for (i, pieces) in values.iter().enumerate() {
            let expected: String = pieces.iter().map(|(_, e)| e.as_str()).collect();
            let got = value_at(&root, i);
            // A value that is one whole reference is typed as YAML; all here are strings.
            prop_assert_eq!(got.as_str(), Some(expected.as_str()), "from `{}`", written[i]);
        }
    }

    #[test]
    fn an_unset_variable_leaves_the_value_unknown(
        before in vec(plain_piece(), 0..3),
        unset in select(UNSET),
        braces_only in any::<bool>(),
        after in vec(plain_piece(), 0..3),
    ) {
        let reference = if braces_only {
            format!("${{{unset}}}")
        } else {
            format!("${{env:{unset}}}")
        };
        // Pieces write `$` only in pairs, so nothing before the reference escapes it.
        let head: String = before.iter().map(|(w, _)| w.as_str()).collect();
        let tail: String = after.iter().map(|(w, _)| w.as_str()).collect();
        let text = format!("{head}{reference}{tail}");
        let (root, _, _) = expand(&config_of(std::slice::from_ref(&text)), &plain_env());
        let got = value_at(root.as_ref().unwrap(), 0);
        prop_assert!(
            matches!(got.value, Value::Unknown(_)),
            "`{text}` expanded to {:?}",
            got.value
        );
    }
}
