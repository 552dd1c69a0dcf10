//! Merging several configuration files of one collector (`otelcol --config a --config b`),
//! on generated files.
//!
//! 1. `merging_never_panics`: one to four files with random sections, component ids,
//!    settings, `${env:X}` references and pipelines (naming defined and undefined ids) load
//!    without a panic; every problem is reported at a place.
//! 2. `merged_components_follow_the_merge_rule`: the components of the loaded collector,
//!    with their settings, are those of a reference merge of the same files (maps merge key
//!    by key, anything else from a later file replaces, a null section deletes).
//!
//! `PROPTEST_CASES` raises the number of cases.

mod common;

use common::generate::{self, component_id};
use otel_dpia::collector::{Kind, load};
use otel_dpia::diag::Diagnostics;
use otel_dpia::files::Files;
use otel_dpia::inputs::{CollectorSpec, PathRef};
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Value as J, json};

const SECTIONS: &[(&str, Kind)] = &[
    ("receivers", Kind::Receiver),
    ("processors", Kind::Processor),
    ("exporters", Kind::Exporter),
    ("connectors", Kind::Connector),
];

const TYPES: &[&str] = &["otlp", "batch", "attributes", "debug", "forward", "routing"];

/// A small settings value: scalars, and maps and lists of them.
fn setting(references: bool) -> BoxedStrategy<J> {
    let plain = prop_oneof![
        "[a-z]{1,6}".prop_map(J::from),
        (0i64..1000).prop_map(J::from),
        any::<bool>().prop_map(J::from),
        Just(J::Null),
    ];
    let reference = select(&["${env:A}", "${env:UNSET}", "x${env:A}y", "${env:A:-d}"][..]);
    let scalar = if references {
        prop_oneof![3 => plain, 1 => reference.prop_map(J::from)].boxed()
    } else {
        plain.boxed()
    };
    scalar
        .prop_recursive(2, 12, 3, |inner| {
            prop_oneof![
                btree_map(
                    select(&["a", "b", "endpoint", "actions"][..]),
                    inner.clone(),
                    0..3
                )
                .prop_map(|m| J::Object(m.into_iter().map(|(k, v)| (k.into(), v)).collect())),
                vec(inner, 0..3).prop_map(J::Array),
            ]
        })
        .boxed()
}

/// A component's settings: a map or nothing.
fn component(references: bool) -> BoxedStrategy<J> {
    prop_oneof![
        1 => Just(J::Null),
        4 => btree_map(select(&["a", "b", "endpoint"][..]), setting(references), 0..3)
            .prop_map(|m| J::Object(m.into_iter().map(|(k, v)| (k.into(), v)).collect())),
    ]
    .boxed()
}

/// A section: a map of ids to settings, or (rarely) null, which deletes it when merged.
fn section(references: bool) -> BoxedStrategy<J> {
    prop_oneof![
        1 => Just(J::Null),
        6 => btree_map(component_id(TYPES), component(references), 0..4)
            .prop_map(|m| J::Object(m.into_iter().collect())),
    ]
    .boxed()
}

/// The `service` section: pipelines naming ids of the pool (defined or not).
fn service() -> impl Strategy<Value = J> {
    let ids = || vec(component_id(TYPES), 0..3);
    let pipeline = (ids(), ids(), ids())
        .prop_map(|(r, p, e)| json!({"receivers": r, "processors": p, "exporters": e}));
    let pipeline_id = (
        select(&["logs", "metrics", "traces"][..]),
        prop::option::of("[a-z]{1,2}"),
    )
        .prop_map(|(s, n)| n.map_or(s.to_string(), |n| format!("{s}/{n}")));
    btree_map(pipeline_id, pipeline, 0..3).prop_map(|p| json!({ "pipelines": p }))
}

/// One configuration file: some sections (at least one).
fn file(references: bool) -> impl Strategy<Value = J> {
    (
        vec(prop::option::of(section(references)), SECTIONS.len()),
        prop::option::of(service()),
    )
        .prop_map(|(sections, service)| {
            let mut m = Map::new();
            for ((name, _), s) in SECTIONS.iter().zip(sections) {
                if let Some(s) = s {
                    m.insert(name.to_string(), s);
                }
            }
            m.insert("service".into(), service.unwrap_or_else(|| json!({})));
            J::Object(m)
        })
}

/// The merge rule, written plainly: maps merge key by key, anything else replaces.
fn reference_merge(earlier: J, later: J) -> J {
    match (earlier, later) {
        (J::Object(mut a), J::Object(b)) => {
            for (k, v) in b {
                let merged = match a.remove(&k) {
                    Some(old) => reference_merge(old, v),
                    None => v,
                };
                a.insert(k, merged);
            }
            J::Object(a)
        }
        (_, later) => later,
    }
}

/// Loads the files (as JSON text, which the YAML reader reads) as one collector.
fn load_files(docs: &[J]) -> (Option<otel_dpia::collector::Collector>, Diagnostics, Files) {
    let mut files = Files::new();
    let mut diags = Diagnostics::new();
    let paths = docs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let name = format!("c{i}.yaml");
            files.add(&name, serde_json::to_string_pretty(d).unwrap());
            PathRef {
                path: name.into(),
                named_at: None,
            }
        })
        .collect();
    let spec = CollectorSpec {
        name: "merged".into(),
        files: paths,
        env: vec![("A".into(), "va".into())],
        serves: Vec::new(),
        named_at: None,
    };
    let collector = load(&mut files, &spec, &mut diags);
    (collector, diags, files)
}

proptest! {
    #![proptest_config(generate::config(256))]

    #[test]
    fn merging_never_panics(docs in vec(file(true), 1..5)) {
        let (collector, diags, files) = load_files(&docs);
        prop_assert!(collector.is_some(), "{diags:?}");
        for d in diags.iter() {
            if let Some(span) = d.span {
                prop_assert!(files.get(span.file).line_text(span.line).is_some(), "{d:?}");
            }
        }
    }

    #[test]
    fn merged_components_follow_the_merge_rule(docs in vec(file(false), 1..5)) {
        let expected = docs.iter().cloned().reduce(reference_merge).unwrap();
        let (collector, diags, _) = load_files(&docs);
        let collector = collector.unwrap_or_else(|| panic!("{diags:?}"));
        for (name, kind) in SECTIONS {
            let mut want: Vec<(String, J)> = expected
                .get(name)
                .and_then(J::as_object)
                .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default();
            let mut got: Vec<(String, J)> = collector
                .components
                .iter()
                .filter(|c| c.kind == *kind)
                .map(|c| (c.id.to_string(), c.config.to_json()))
                .collect();
            want.sort_by(|a, b| a.0.cmp(&b.0));
            got.sort_by(|a, b| a.0.cmp(&b.0));
            prop_assert_eq!(got, want, "{}", name);
        }
    }
}
