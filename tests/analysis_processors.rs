//! The abstract processors must cover what really happens.
//!
//! 1. `abstract_covers_the_simulation_on_real_captures`: every real Claude Code capture
//!    (`claude-code/fixtures/*/*/raw/*.json`) is cut into single records; each record runs
//!    through processor configurations (the suite below, every processor of the corpus
//!    whose type both the simulator and the model know, and every corpus pipeline made of
//!    such processors) twice: concretely with the simulator, and abstractly from the
//!    record itself (once with every value a known constant, once with every value raw).
//!    Whatever the simulator says arrives must be covered by the abstract result: the
//!    record is not claimed dropped, every key it carries is present (or covered by
//!    unnamed keys), and a value that still equals an input value is not claimed hashed
//!    or replaced.
//! 2. `abstract_covers_the_collectors_own_test_cases`: the same check against the
//!    expected outputs of the collector's unit tests (`collector/cases`).

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::soundness::*;
use otel_dpia::collector::Signal;
use otel_dpia::diag::Diagnostics;
use otel_dpia::files::Files;
use otel_dpia::otlp::*;
use otel_dpia::tree::{Node, parse_json, parse_yaml};
use serde_json::Value as J;

/// Types both the simulator and the abstract model know.
const SHARED_TYPES: &[&str] = &[
    "attributes",
    "resource",
    "redaction",
    "transform",
    "filter",
    "groupbyattrs",
    "logdedup",
];

/// Types with no data effect, allowed in corpus pipelines.
const NO_EFFECT: &[&str] = &["batch", "memory_limiter"];

/// Processor configurations written for this test, on Claude Code's keys.
const SUITE: &str = r#"
processors:
  attributes/strip:
    actions:
      - {key: user.email, action: delete}
      - {pattern: ^user\.account, action: delete}
      - {key: prompt, action: hash}
      - {key: team, value: platform, action: insert}
      - {key: copied, from_attribute: session.id, action: upsert}
      - {key: model, action: update, value: m}
      - {key: tool_parameters, pattern: '(?P<first>[a-z]+)', action: extract}
  attributes/only_tokens:
    include: {match_type: strict, metric_names: [claude_code.token.usage]}
    actions:
      - {key: user.id, action: delete}
  attributes/body_regexp:
    include: {match_type: regexp, log_bodies: ['user_prompt$']}
    exclude: {match_type: strict, attributes: [{key: terminal.type, value: vscode}]}
    actions:
      - {key: prompt, action: delete}
      - {key: marker, value: x, action: upsert}
  resource/upsert:
    attributes:
      - {key: service.name, value: claude-code, action: upsert}
      - {key: host.arch, action: delete}
      - {key: os.version, action: hash}
  redaction/allow:
    allowed_keys: [session.id, prompt, user.email, event.name, model, service.name]
    ignored_keys: [prompt.id]
    blocked_key_patterns: ['^user\.']
    blocked_values: ['[0-9a-f]{8}']
    summary: debug
  redaction/defaults:
  redaction/hash:
    allow_all_keys: true
    blocked_key_patterns: ['prompt', 'body']
    hash_function: md5
  transform/mix:
    log_statements:
      - context: log
        statements:
          - delete_key(attributes, "user.email")
          - set(attributes["prompt"], SHA256(attributes["prompt"]))
          - set(attributes["copy"], attributes["prompt.id"]) where body == "claude_code.user_prompt"
          - replace_pattern(attributes["tool_parameters"], "[a-z]+", "x")
          - replace_pattern(attributes["response"], ".*", "REDACTED")
          - keep_keys(resource.attributes, ["service.name", "os.type"])
          - delete_key(attributes, "model") where attributes["model"] != nil
          - set(attributes["len"], attributes["prompt_length"]) where attributes["prompt_length"] > 20
          - truncate_all(attributes, 10)
    metric_statements:
      - context: datapoint
        statements:
          - set(resource.attributes["email"], attributes["user.email"]) where attributes["user.email"] != nil
          - delete_key(attributes, "user.email")
          - delete_matching_keys(attributes, "^session")
          - keep_matching_keys(attributes, "^(model|type|user\\.id|start_type)$")
  transform/ignore:
    error_mode: ignore
    log_statements:
      - set(log.attributes["prompt"], SHA256(log.attributes["prompt"]))
      - replace_all_patterns(log.attributes, "key", "\\.", "_")
      - merge_maps(log.attributes, ParseJSON(log.attributes["tool_parameters"]), "upsert")
      - set(log.body, log.attributes["event.name"])
  filter/body:
    logs:
      log_record:
        - body == "claude_code.user_prompt"
        - attributes["prompt_length"] > 40
  filter/metric:
    metrics:
      metric:
        - name == "claude_code.cost.usage"
      datapoint:
        - attributes["type"] == "input"
  filter/legacy:
    logs:
      exclude:
        match_type: regexp
        bodies: ['api_']
  groupbyattrs/session:
    keys: [session.id, user.id]
  logdedup/excl:
    exclude_fields: [attributes.event\.timestamp, attributes.event\.sequence]
"#;

// ---------------------------------------------------------------------------------------
// Processors and pipelines

/// A pipeline to test: its processors in order and where it comes from.
struct Case {
    origin: String,
    procs: Vec<Proc>,
}

/// Every processor of a `processors:` section whose type both engines know, each alone,
/// and, for a full configuration, every pipeline made only of such processors.
fn cases_from(doc: &Node, origin: &str) -> Vec<Case> {
    let mut cases = Vec::new();
    // Processor test data lists components at the top level, without `processors:`.
    let section = doc
        .get("processors")
        .or_else(|| origin.starts_with("processor__").then_some(doc));
    let Some(procs) = section.and_then(Node::as_map) else {
        return cases;
    };
    let mut known = Vec::new();
    for e in procs {
        let ty = e.key.split('/').next().unwrap_or_default();
        // Values from `${...}` are resolved differently by the two engines when unset.
        if !SHARED_TYPES.contains(&ty) || has_reference(&e.value) {
            continue;
        }
        if let Some(p) = proc_of(&e.key, &e.value, e.key_span) {
            known.push((e.key.clone(), p.clone()));
            cases.push(Case {
                origin: format!("{origin}: {}", e.key),
                procs: vec![p],
            });
        }
    }
    let pipelines = doc
        .get("service")
        .and_then(|s| s.get("pipelines"))
        .and_then(Node::as_map)
        .unwrap_or_default();
    for p in pipelines {
        let list: Vec<&str> = p
            .value
            .get("processors")
            .and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(Node::as_str)
            .collect();
        let mut procs = Vec::new();
        let mut ok = list.len() > 1;
        for id in &list {
            let ty = id.split('/').next().unwrap_or_default();
            match known.iter().find(|(k, _)| k == id) {
                Some((_, pr)) => procs.push(pr.clone()),
                None if NO_EFFECT.contains(&ty) => {}
                None => ok = false,
            }
        }
        if ok && procs.len() > 1 {
            cases.push(Case {
                origin: format!("{origin}: pipeline {}", p.key),
                procs,
            });
        }
    }
    cases
}

/// True when a configuration holds a `${...}` reference.
fn has_reference(node: &Node) -> bool {
    match &node.value {
        otel_dpia::tree::Value::Scalar(s) => s.text.contains("${"),
        otel_dpia::tree::Value::Map(entries) => entries.iter().any(|e| has_reference(&e.value)),
        otel_dpia::tree::Value::Seq(items) => items.iter().any(has_reference),
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------
// The coverage check

/// Counts that show the check has teeth.
#[derive(Default, Debug)]
struct Tally {
    cases: usize,
    pieces: usize,
    runs: usize,
    skipped: usize,
    keys: usize,
    both_dropped: usize,
    removed_keys: usize,
    failures: Vec<String>,
}

fn check_case(files: &Files, case: &Case, pieces: &[Telemetry], t: &mut Tally) {
    for piece in pieces {
        let Some(out) = run_concrete(&case.procs, piece.clone()) else {
            t.skipped += 1;
            continue;
        };
        let inputs = input_strings(piece);
        for mode in [Mode::Constants, Mode::Raw] {
            t.runs += 1;
            let abs = run_abstract(files, &case.procs, signal_of(piece), items_of(piece, mode));
            if records(&out).is_empty() && abs.is_empty() {
                t.both_dropped += 1;
            }
            t.removed_keys += removed(&abs);
            match covers(&out, &abs, &inputs, mode) {
                Ok(n) => t.keys += n,
                Err(e) => t.failures.push(format!(
                    "{} ({mode:?}) on {}: {e}",
                    case.origin,
                    shape_key(piece).chars().take(80).collect::<String>()
                )),
            }
        }
    }
}

fn read_dir_sorted(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.sort();
    v
}

/// One record of every kind found in the captures (same kind, name and keys count once).
fn capture_pieces(shared: &Path) -> Vec<Telemetry> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for version in read_dir_sorted(&shared.join("claude-code/fixtures")) {
        for scenario in read_dir_sorted(&version) {
            let raw = read_dir_sorted(&scenario.join("raw"));
            for file in raw
                .iter()
                .filter(|f| f.is_file() && f.extension().is_some_and(|e| e == "json"))
            {
                let text = std::fs::read_to_string(file).unwrap();
                let Ok(t) = read_request(&text) else { continue };
                for piece in split(&t) {
                    if seen.insert(shape_key(&piece)) {
                        out.push(piece);
                    }
                }
            }
        }
    }
    out
}

fn add_file(files: &mut Files, name: &str, text: &str) -> Option<Node> {
    let id = files.add(name, text);
    let mut diags = Diagnostics::new();
    parse_yaml(files, id, &mut diags)?.into_iter().next()
}

#[test]
fn abstract_covers_the_simulation_on_real_captures() {
    let Some(shared) = common::shared_dir() else {
        println!("skipped: shared reference material not found (set OTEL_DPIA_SHARED)");
        return;
    };
    let pieces = capture_pieces(&shared);
    let mut files = Files::new();
    let mut cases = Vec::new();
    let suite = add_file(&mut files, "suite.yaml", SUITE).expect("suite parses");
    cases.extend(cases_from(&suite, "suite"));
    let suite_cases = cases.len();
    for path in read_dir_sorted(&shared.join("collector/corpus")) {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !(name.ends_with(".yaml") || name.ends_with(".yml")) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        if let Some(doc) = add_file(&mut files, &name, &text) {
            cases.extend(cases_from(&doc, &name));
        }
    }
    let mut t = Tally {
        cases: cases.len(),
        pieces: pieces.len(),
        ..Tally::default()
    };
    for case in &cases {
        check_case(&files, case, &pieces, &mut t);
    }
    println!(
        "{} cases ({} from the suite, {} from the corpus) on {} distinct records: {} runs, {} concrete runs not simulated, {} keys covered, {} records dropped by both, {} keys removed abstractly",
        t.cases,
        suite_cases,
        t.cases - suite_cases,
        t.pieces,
        t.runs,
        t.skipped,
        t.keys,
        t.both_dropped,
        t.removed_keys
    );
    assert!(t.pieces >= 50, "too few capture records: {}", t.pieces);
    assert!(
        t.cases - suite_cases >= 20,
        "too few corpus cases: {}",
        t.cases
    );
    assert!(t.keys > 10_000, "the check saw too little: {t:?}");
    assert!(
        t.both_dropped > 0 && t.removed_keys > 0,
        "no precision at all: {t:?}"
    );
    assert!(
        t.failures.is_empty(),
        "{} uncovered results:\n{}",
        t.failures.len(),
        t.failures
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

// ---------------------------------------------------------------------------------------
// The collector's own cases

fn attrs_json(v: Option<&J>) -> Attributes {
    match v {
        Some(J::Object(m)) => Attributes::from_pairs(
            m.iter()
                .map(|(k, v)| (k.clone(), AnyValue::from_raw_json(v))),
        ),
        _ => Attributes::new(),
    }
}

/// A case's record attributes (span-event cases keep them apart; the engine is the same).
fn record_attrs(side: &J) -> Attributes {
    attrs_json(side.get("attributes").or(side.get("span_event_attributes")))
}

/// The case's input and expected output as log batches, and the processor type.
fn case_batches(file: &str, case: &J) -> Option<(String, Telemetry, Telemetry)> {
    let input = &case["input"];
    let expected = &case["expected"];
    if expected
        .get("assertion_style")
        .and_then(J::as_str)
        .is_some_and(|s| s.starts_with("partial"))
    {
        let present = attrs_json(expected.get("present_with_value"));
        let kind = case["processor"]
            .as_str()?
            .split_whitespace()
            .next()?
            .to_string();
        return Some((
            kind,
            log_batch(
                attrs_json(input.get("resource_attributes")),
                vec![(record_attrs(input), AnyValue::default())],
            ),
            log_batch(Attributes::new(), vec![(present, AnyValue::default())]),
        ));
    }
    if file == "transform_logs_sample.json" {
        let logs = |side: &J| {
            side["logs"]
                .as_array()
                .map(|l| {
                    l.iter()
                        .map(|r| {
                            (
                                attrs_json(r.get("attributes")),
                                r.get("body")
                                    .map(AnyValue::from_raw_json)
                                    .unwrap_or_default(),
                            )
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        };
        return Some((
            "transform".into(),
            log_batch(attrs_json(input.get("resource_attributes")), logs(input)),
            log_batch(
                attrs_json(expected.get("resource_attributes")),
                logs(expected),
            ),
        ));
    }
    let kind = if file == "attraction_engine.json" {
        "attributes".to_string()
    } else {
        case["processor"]
            .as_str()?
            .split_whitespace()
            .next()?
            .to_string()
    };
    if expected.get("dropped").and_then(J::as_bool) == Some(true) {
        return None;
    }
    Some((
        kind,
        log_batch(
            attrs_json(input.get("resource_attributes")),
            vec![(attrs_json(input.get("attributes")), AnyValue::default())],
        ),
        log_batch(
            attrs_json(expected.get("resource_attributes")),
            vec![(attrs_json(expected.get("attributes")), AnyValue::default())],
        ),
    ))
}

#[test]
fn abstract_covers_the_collectors_own_test_cases() {
    let Some(shared) = common::shared_dir() else {
        println!("skipped: shared reference material not found (set OTEL_DPIA_SHARED)");
        return;
    };
    let mut files = Files::new();
    let (mut cases, mut keys, mut removed_keys) = (0, 0, 0);
    let mut failures = Vec::new();
    for file in [
        "attraction_engine.json",
        "attributes_logs_include_exclude.json",
        "redaction_resource.json",
        "transform_logs_sample.json",
    ] {
        let text = std::fs::read_to_string(shared.join("collector/cases").join(file)).unwrap();
        let list: Vec<J> = serde_json::from_str(&text).unwrap();
        for case in &list {
            let Some((kind, input, expected)) = case_batches(file, case) else {
                continue;
            };
            let id = files.add(
                format!("{file}#{cases}"),
                serde_json::to_string_pretty(&case["config"]).unwrap(),
            );
            let mut diags = Diagnostics::new();
            let config = parse_json(&files, id, &mut diags).unwrap();
            let procs = vec![proc_of(&kind, &config, config.span).unwrap()];
            cases += 1;
            let inputs = input_strings(&input);
            for mode in [Mode::Constants, Mode::Raw] {
                let abs = run_abstract(&files, &procs, Signal::Logs, items_of(&input, mode));
                removed_keys += removed(&abs);
                match covers(&expected, &abs, &inputs, mode) {
                    Ok(n) => keys += n,
                    Err(e) => failures.push(format!(
                        "{} ({mode:?}): {e}",
                        case["source"].as_str().unwrap_or(file)
                    )),
                }
            }
        }
    }
    println!(
        "{cases} collector test cases: {keys} expected keys covered, {removed_keys} keys removed abstractly"
    );
    assert!(cases >= 90, "expected the 96 cases, ran {cases}");
    assert!(removed_keys > 20, "no precision: {removed_keys}");
    assert!(
        failures.is_empty(),
        "{} uncovered:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
