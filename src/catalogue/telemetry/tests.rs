//! Loader tests: the built-in catalogue loads, versions filter, sets expand, and malformed
//! catalogues are rejected with every problem named.

use super::*;

fn claude() -> Catalogue {
    builtin("claude-code")
        .expect("claude-code is built in")
        .unwrap_or_else(|errs| panic!("built-in catalogue invalid:\n{}", errs.join("\n")))
}

fn v(s: &str) -> Version {
    Version::parse(s).unwrap()
}

fn record<'a>(records: &'a [Record], kind: RecordKind, name: &str) -> Option<&'a Record> {
    records.iter().find(|r| r.kind == kind && r.name == name)
}

fn keys(r: &Record) -> Vec<String> {
    r.attributes
        .iter()
        .filter_map(|a| match &a.key {
            AttrKey::Key(k) => Some(k.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn builtin_catalogue_loads_and_knows_every_checked_version() {
    let cat = claude();
    assert_eq!(cat.source(), "claude-code");
    let versions: Vec<&str> = cat.versions().iter().map(|k| k.version.as_str()).collect();
    assert_eq!(versions, ["2.1.197", "2.1.330", "2.1.337"]);
    assert_eq!(builtin_sources(), ["claude-code", "codex", "gemini-cli"]);
    for source in builtin_sources() {
        let loaded = builtin(source).unwrap();
        assert!(loaded.is_ok(), "{source}: {:?}", loaded.err());
    }
    assert!(builtin("no-such-agent").is_none());
}

#[test]
fn version_filtering_drops_newer_attributes_and_records() {
    let cat = claude();
    let old = cat.records(&v("2.1.197"));
    let new = cat.records(&v("2.1.330"));
    let old_prompt = keys(record(&old, RecordKind::Event, "user_prompt").unwrap());
    let new_prompt = keys(record(&new, RecordKind::Event, "user_prompt").unwrap());
    for k in ["prompt_text", "message.uuid", "anthropic.provider"] {
        assert!(!old_prompt.contains(&k.to_string()), "{k} is 2.1.330 only");
        assert!(
            new_prompt.contains(&k.to_string()),
            "{k} missing in 2.1.330"
        );
    }
    assert!(record(&old, RecordKind::Event, "managed_settings_resolved").is_none());
    assert!(record(&new, RecordKind::Event, "managed_settings_resolved").is_some());
    let tool_old = keys(record(&old, RecordKind::Span, "claude_code.tool").unwrap());
    let tool_new = keys(record(&new, RecordKind::Span, "claude_code.tool").unwrap());
    assert!(!tool_old.contains(&"bash_argv0".to_string()));
    assert!(tool_new.contains(&"bash_argv0".to_string()));
}

#[test]
fn the_genai_usage_keys_of_the_model_call_span_start_with_2_1_337() {
    let cat = claude();
    let span = |version: &str| {
        let records = cat.records(&v(version));
        keys(record(&records, RecordKind::Span, "claude_code.llm_request").unwrap())
    };
    let (before, after) = (span("2.1.330"), span("2.1.337"));
    for k in [
        "gen_ai.operation.name",
        "gen_ai.response.model",
        "gen_ai.usage.input_tokens",
    ] {
        assert!(!before.contains(&k.to_string()), "{k} is new in 2.1.337");
        assert!(after.contains(&k.to_string()), "{k} missing in 2.1.337");
    }
    assert_eq!(
        after.len(),
        before.len() + 6,
        "six keys were added, none removed"
    );
}

#[test]
fn a_record_can_change_presence_between_versions() {
    let cat = claude();
    let old = cat.records(&v("2.1.197"));
    let new = cat.records(&v("2.1.330"));
    let p_old = record(&old, RecordKind::Event, "plugin_loaded").unwrap();
    let p_new = record(&new, RecordKind::Event, "plugin_loaded").unwrap();
    assert_eq!(p_old.presence, Presence::Maybe);
    assert_eq!(p_old.evidence, EvidenceKind::Code);
    assert_eq!(p_new.presence, Presence::Always);
    assert_eq!(p_new.evidence, EvidenceKind::Seen);
}

#[test]
fn attribute_sets_are_inlined_where_used() {
    let cat = claude();
    let recs = cat.records(&v("2.1.330"));
    let prompt = keys(record(&recs, RecordKind::Event, "user_prompt").unwrap());
    for k in [
        "user.id",
        "session.id",
        "event.name",
        "event.timestamp",
        "prompt.id",
    ] {
        assert!(prompt.contains(&k.to_string()), "user_prompt lacks {k}");
    }
    let metric = keys(record(&recs, RecordKind::Metric, "claude_code.session.count").unwrap());
    assert!(metric.contains(&"user.id".to_string()));
    assert!(
        !metric.contains(&"event.name".to_string()),
        "metrics have no event set"
    );
    let span = keys(record(&recs, RecordKind::Span, "claude_code.interaction").unwrap());
    for k in ["user.id", "span.type", "gen_ai.conversation.id"] {
        assert!(span.contains(&k.to_string()), "span lacks {k}");
    }
    let attempt = record(&recs, RecordKind::SpanEvent, "gen_ai.request.attempt").unwrap();
    assert_eq!(
        keys(attempt),
        ["attempt"],
        "span events carry no common set"
    );
    assert_eq!(attempt.parent.as_deref(), Some("claude_code.llm_request"));
    let body = record(&recs, RecordKind::Event, "user_prompt")
        .unwrap()
        .body
        .clone();
    assert_eq!(body.as_deref(), Some("claude_code.user_prompt"));
}

#[test]
fn gates_and_placeholders_are_read() {
    let cat = claude();
    let recs = cat.records(&v("2.1.197"));
    let prompt = record(&recs, RecordKind::Event, "user_prompt").unwrap();
    let attr = prompt
        .attributes
        .iter()
        .find(|a| a.key == AttrKey::Key("prompt".into()))
        .unwrap();
    assert_eq!(attr.gate.as_deref(), Some("log_user_prompts"));
    assert_eq!(
        attr.off,
        OffSpec::Placeholder {
            placeholder: "<REDACTED>".into()
        }
    );
    let responses = cat.gate("log_assistant_responses").unwrap();
    assert_eq!(
        responses.default,
        GateDefault::SameAs {
            same_as: "log_user_prompts".into()
        }
    );
}

#[test]
fn every_flow_has_a_destination_and_every_otel_record_a_signal() {
    let cat = claude();
    for r in cat.records(&v("2.1.330")) {
        if r.kind == RecordKind::Flow {
            assert_eq!(r.signal, Signal::Other);
            assert!(!r.destinations.is_empty(), "{}", r.name);
        } else {
            assert_ne!(r.signal, Signal::Other, "{}", r.name);
        }
    }
}

#[test]
fn resolves_versions_to_the_nearest_older_known_one() {
    let cat = claude();
    let newest = cat.resolve_version(None).unwrap();
    assert_eq!(newest.used, v("2.1.337"));
    assert!(newest.exact && newest.note.is_none());
    let unchecked = cat.resolve_version(Some("2.1.332")).unwrap();
    assert_eq!(unchecked.used, v("2.1.330"));
    assert!(!unchecked.exact);
    let exact = cat.resolve_version(Some("2.1.197")).unwrap();
    assert!(exact.exact);
    let between = cat.resolve_version(Some("2.1.250")).unwrap();
    assert_eq!(between.used, v("2.1.197"));
    assert!(!between.exact);
    assert!(between.note.as_deref().unwrap().contains("2.1.250"));
    assert_eq!(
        cat.resolve_version(Some("3.0.0")).unwrap().used,
        v("2.1.337")
    );
    let older = cat.resolve_version(Some("1.0.0")).unwrap();
    assert_eq!(older.used, v("2.1.197"));
    assert!(older.note.unwrap().contains("older than every"));
    assert!(cat.resolve_version(Some("latest")).is_err());
}

const MINI: &str = r#"
source: mini
title: Mini
versions: [{version: "1.0.0", checked: test}, {version: "2.0.0", checked: test}]
booleans: {truthy: ["1"], falsy: ["0"]}
conditions: {login: Someone logs in.}
gates:
  g: {setting: G, default: false, description: d, evidence: seen}
export:
  signals:
    logs: {setting: L, default: none, none_values: [none], known_values: [otlp], evidence: seen}
attribute_sets:
  s:
    - {key: a, category: timing, kind: metadata, evidence: seen}
records:
"#;

fn errors(records: &str) -> Vec<String> {
    Catalogue::parse(&format!("{MINI}{records}")).expect_err("should be rejected")
}

#[test]
fn a_small_valid_catalogue_loads() {
    let ok = "  - kind: event\n    name: e\n    presence: always\n    evidence: seen\n    attributes: [{use: s}, {key: b, category: unknown, kind: content, gate: g, evidence: code}]\n";
    let cat = Catalogue::parse(&format!("{MINI}{ok}")).unwrap();
    assert_eq!(keys(&cat.records(&v("1.0.0"))[0]), ["a", "b"]);
}

#[test]
fn validation_names_every_broken_reference() {
    let bad = r#"
  - kind: event
    name: e
    presence: always
    condition: nope
    requires: [missing_gate]
    evidence: seen
    attributes:
      - {use: no_set}
      - {key: x, category: timing, kind: metadata, gate: other_missing, evidence: seen}
      - {key: y, kind: metadata, evidence: seen}
      - {key: z, category: timing, kind: metadata, off: absent, evidence: seen}
"#;
    let errs = errors(bad).join("\n");
    for needle in [
        "unknown condition `nope`",
        "unknown gate `missing_gate`",
        "unknown attribute set `no_set`",
        "unknown gate `other_missing`",
        "exactly one of key",
        "`off` without a `gate`",
    ] {
        assert!(errs.contains(needle), "missing {needle:?} in:\n{errs}");
    }
}

#[test]
fn validation_rejects_duplicates_per_version() {
    let dup_keys = "  - kind: metric\n    name: m\n    presence: always\n    evidence: seen\n    attributes: [{use: s}, {key: a, category: timing, kind: metadata, evidence: seen}]\n";
    assert!(errors(dup_keys).join("\n").contains("attribute `a` twice"));
    let dup_records = "  - {kind: metric, name: m, presence: always, evidence: seen}\n  - {kind: metric, name: m, presence: maybe, evidence: seen, since: \"2.0.0\"}\n";
    let errs = errors(dup_records).join("\n");
    assert!(
        errs.contains("version 2.0.0: record metric `m` is defined twice"),
        "{errs}"
    );
    assert!(
        !errs.contains("version 1.0.0"),
        "1.0.0 has one record: {errs}"
    );
}

#[test]
fn validation_checks_record_shapes() {
    let orphan =
        "  - {kind: span_event, name: ev, parent: no_span, presence: always, evidence: seen}\n";
    assert!(errors(orphan).join("\n").contains("unknown span `no_span`"));
    let no_parent = "  - {kind: span_event, name: ev, presence: always, evidence: seen}\n";
    assert!(errors(no_parent).join("\n").contains("needs `parent`"));
    let flow = "  - {kind: flow, name: f, presence: always, evidence: seen}\n";
    assert!(errors(flow).join("\n").contains("needs `destinations`"));
    let typo = "  - {kind: metric, name: m, presense: always, evidence: seen}\n";
    assert!(errors(typo).join("\n").contains("presense"));
}
