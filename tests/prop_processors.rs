//! The abstract processors on generated settings and records.
//!
//! 1. `abstract_processors_never_panic`: pipelines of one to three processors of the
//!    modelled types (attributes, resource, redaction, filter, transform with generated
//!    OTTL), some settings unknown as an unset `${env:X}` leaves them, run on generated
//!    records in both abstract modes, and concretely in the simulator. Neither engine
//!    panics.
//! 2. `abstract_covers_the_simulation_on_generated_settings`: where the simulator runs the
//!    pipeline, what it says arrives is covered by the abstract result (the check of
//!    `analysis_processors`, on generated instead of real settings). Statements of a record
//!    context that write into the resource are left out of it: the ignored test at the end
//!    shows the gap they open.
//!
//! `PROPTEST_CASES` raises the number of cases.

mod common;

use common::generate::{self, PROCESSOR_TYPES, Signal};
use common::soundness::*;
use otel_dpia::diag::Diagnostics;
use otel_dpia::files::Files;
use otel_dpia::otlp::Telemetry;
use otel_dpia::tree::{Node, Value, parse_json};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde_json::Value as J;
use std::sync::atomic::{AtomicU32, Ordering};

/// A generated pipeline: processor ids with their settings, for one signal.
#[derive(Debug, Clone)]
struct Pipeline {
    signal: Signal,
    processors: Vec<(String, J)>,
}

fn signal() -> impl Strategy<Value = Signal> {
    select(&[Signal::Logs, Signal::Traces, Signal::Metrics][..])
}

/// A pipeline. `record_writes_resource`: see [`generate::processor_config`].
fn pipeline(record_writes_resource: bool) -> impl Strategy<Value = Pipeline> {
    signal().prop_flat_map(move |signal| {
        let one = select(PROCESSOR_TYPES).prop_flat_map(move |kind| {
            (
                generate::component_id(PROCESSOR_TYPES).prop_map(move |id| {
                    // Keep the generated type; the name part only varies the id.
                    let name = id.split_once('/').map(|(_, n)| n.to_string());
                    name.map_or(kind.to_string(), |n| format!("{kind}/{n}"))
                }),
                generate::processor_config(kind, signal, record_writes_resource),
            )
        });
        prop::collection::vec(one, 1..4).prop_map(move |processors| Pipeline { signal, processors })
    })
}

/// A pipeline with the records it runs on.
fn case(record_writes_resource: bool) -> impl Strategy<Value = (Pipeline, Telemetry)> {
    pipeline(record_writes_resource).prop_flat_map(|p| {
        let batch = generate::batch(p.signal);
        (Just(p), batch)
    })
}

/// The processors of a pipeline, their settings read as the configuration reader reads them.
fn procs(files: &mut Files, p: &Pipeline) -> Vec<Proc> {
    p.processors
        .iter()
        .enumerate()
        .map(|(i, (id, config))| {
            let text = serde_json::to_string_pretty(config).unwrap();
            let file = files.add(format!("p{i}.json"), text);
            let mut diags = Diagnostics::new();
            let node = parse_json(files, file, &mut diags).expect("generated JSON parses");
            proc_of(id, &node, node.span).expect("generated ids are valid")
        })
        .collect()
}

/// Makes every scalar whose index (in document order) is in `unknown` an unknown value, as
/// an unset `${env:X}` leaves it after substitution.
fn with_unknowns(node: &mut Node, unknown: &[usize], counter: &mut usize) {
    match &mut node.value {
        Value::Scalar(_) => {
            if unknown.contains(counter) {
                node.value = Value::Unknown("${env:X} unset".into());
            }
            *counter += 1;
        }
        Value::Map(entries) => {
            for e in entries {
                with_unknowns(&mut e.value, unknown, counter);
            }
        }
        Value::Seq(items) => {
            for item in items {
                with_unknowns(item, unknown, counter);
            }
        }
        Value::Null | Value::Unknown(_) => {}
    }
}

proptest! {
    #![proptest_config(generate::config(256))]

    #[test]
    fn abstract_processors_never_panic(
        (pipeline, data) in case(true),
        unknown in prop::collection::vec(0usize..24, 0..3),
    ) {
        let mut files = Files::new();
        let mut procs = procs(&mut files, &pipeline);
        let mut counter = 0;
        for p in &mut procs {
            with_unknowns(&mut p.component.config, &unknown, &mut counter);
        }
        for mode in [Mode::Constants, Mode::Raw] {
            run_abstract(&files, &procs, signal_of(&data), items_of(&data, mode));
        }
        if unknown.is_empty() {
            run_concrete(&procs, data);
        }
    }
}

/// Checks one generated case; `Ok(false)` when the simulator cannot run the pipeline.
fn covered(pipeline: &Pipeline, data: &Telemetry) -> Result<bool, TestCaseError> {
    let mut files = Files::new();
    let procs = procs(&mut files, pipeline);
    let Some(out) = run_concrete(&procs, data.clone()) else {
        return Ok(false);
    };
    let inputs = input_strings(data);
    for mode in [Mode::Constants, Mode::Raw] {
        let abs = run_abstract(&files, &procs, signal_of(data), items_of(data, mode));
        if let Err(e) = covers(&out, &abs, &inputs, mode) {
            let settings: Vec<String> = pipeline
                .processors
                .iter()
                .map(|(id, c)| format!("{id}: {c}"))
                .collect();
            return Err(TestCaseError::fail(format!(
                "{mode:?}: {e}\nsettings:\n{}",
                settings.join("\n")
            )));
        }
    }
    Ok(true)
}

#[test]
fn abstract_covers_the_simulation_on_generated_settings() {
    let config = generate::config(256);
    let cases = config.cases;
    let simulated = AtomicU32::new(0);
    // Statements of a record context that write into the shared resource are included:
    // see `statements_see_the_resource_as_earlier_records_left_it`.
    let result = TestRunner::new(config).run(&case(true), |(pipeline, data)| {
        if covered(&pipeline, &data)? {
            simulated.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    // Without enough pipelines the simulator runs, the check would say nothing.
    let simulated = simulated.into_inner();
    assert!(
        simulated * 2 > cases,
        "only {simulated} of {cases} cases simulated"
    );
}

/// Found by the property above: for metrics the collector accepts only `metric_names` and
/// `resources` in `include`, so a data point attribute there must not decide that the
/// actions run (they might not, and the key then arrives).
#[test]
fn metric_attribute_matches_do_not_decide() {
    let pipeline = Pipeline {
        signal: Signal::Metrics,
        processors: vec![(
            "attributes".into(),
            serde_json::json!({
                "actions": [{"key": "user.email", "action": "delete"}],
                "include": {"match_type": "strict", "attributes": [{"key": "user.email"}]},
            }),
        )],
    };
    let mut runner = TestRunner::deterministic();
    for _ in 0..8 {
        let data = generate::batch(Signal::Metrics)
            .new_tree(&mut runner)
            .unwrap()
            .current();
        assert!(matches!(covered(&pipeline, &data), Ok(true)));
    }
}

/// Found by the property above: a statement of a record context that renames resource
/// keys runs once for each record sharing the resource, so a new name that matches the
/// pattern again is renamed again (`event.name` → `event.nconstantme` →
/// `event.nconstconstantntme` with two spans).
#[test]
fn resource_keys_renamed_from_a_record_context_may_be_renamed_again() {
    let pipeline = Pipeline {
        signal: Signal::Traces,
        processors: vec![(
            "transform".into(),
            serde_json::json!({"trace_statements": [{
                "context": "span",
                "statements": [r#"replace_all_patterns(resource.attributes, "key", "a+", "constant")"#],
            }]}),
        )],
    };
    let span = |name: &str| otel_dpia::otlp::Span {
        name: name.into(),
        ..Default::default()
    };
    let resource = otel_dpia::otlp::Attributes::from_pairs([(
        "event.name".to_string(),
        otel_dpia::otlp::AnyValue::str("alice@example.com"),
    )]);
    let data = Telemetry::Traces(vec![otel_dpia::otlp::ResourceSpans {
        resource: otel_dpia::otlp::Resource {
            attributes: resource,
            ..Default::default()
        },
        scope_spans: vec![otel_dpia::otlp::ScopeSpans {
            spans: vec![span("one"), span("two")],
            ..Default::default()
        }],
        ..Default::default()
    }]);
    assert!(matches!(covered(&pipeline, &data), Ok(true)));
}

/// Found by the property above: the collector runs a group's statements record by record,
/// and the records of a batch share their resource, so a record's statements see the
/// resource as the statements of the records before it left it. Here the first log's
/// `keep_keys` empties the resource, the group's condition is then false for the second
/// log, and its `user.email` arrives. The abstract engine runs each item against the
/// resource as it came in, so where records write the resource, a condition reading it is
/// undecided: `user.email` may arrive.
#[test]
fn statements_see_the_resource_as_earlier_records_left_it() {
    let pipeline = Pipeline {
        signal: Signal::Logs,
        processors: vec![(
            "transform".into(),
            serde_json::json!({"log_statements": [{
                "context": "log",
                "conditions": [r#"resource.attributes["event.name"] != nil"#],
                "statements": [
                    r#"delete_matching_keys(attributes, "^user\\.")"#,
                    "keep_keys(resource.attributes, [])",
                ],
            }]}),
        )],
    };
    let attrs = |k: &str, v: &str| {
        otel_dpia::otlp::Attributes::from_pairs([(
            k.to_string(),
            otel_dpia::otlp::AnyValue::str(v),
        )])
    };
    let record = || {
        (
            attrs("user.email", "alice@example.com"),
            otel_dpia::otlp::AnyValue::str("user_prompt"),
        )
    };
    let data = log_batch(attrs("event.name", "user_prompt"), vec![record(), record()]);
    covered(&pipeline, &data).unwrap();
}
