//! Emission tests on the built-in Claude Code catalogue.

use super::*;
use crate::analysis::env::MapEnv;
use crate::analysis::signals::exported_signals;
use crate::catalogue::telemetry::{RecordKind, Signal, builtin};
use crate::taxonomy::Category;

const BASE: &[(&str, &str)] = &[
    ("CLAUDE_CODE_ENABLE_TELEMETRY", "1"),
    ("OTEL_METRICS_EXPORTER", "otlp"),
    ("OTEL_LOGS_EXPORTER", "otlp"),
];

fn emit_at(version: Option<&str>, extra: &[(&str, &str)]) -> Emission {
    let cat = builtin("claude-code").unwrap().unwrap();
    let env = MapEnv::from_pairs(BASE.iter().chain(extra).copied(), "test");
    let resolved = cat.resolve_version(version).unwrap();
    client_emits(&cat, &resolved, &env, &exported_signals(&cat, &env))
}

fn emit(extra: &[(&str, &str)]) -> Emission {
    emit_at(Some("2.1.330"), extra)
}

fn rec<'a>(e: &'a Emission, kind: RecordKind, name: &str) -> Option<&'a RecordShape> {
    e.records.iter().find(|r| r.kind == kind && r.name == name)
}

fn event<'a>(e: &'a Emission, name: &str) -> &'a RecordShape {
    rec(e, RecordKind::Event, name).unwrap_or_else(|| panic!("no event {name}"))
}

#[test]
fn prompts_are_placeholders_by_default_and_raw_when_enabled() {
    let def = emit(&[]);
    let prompt = event(&def, "user_prompt").attribute("prompt").unwrap();
    assert_eq!(prompt.state, AttrState::Placeholder);
    assert_eq!(prompt.placeholder.as_deref(), Some("<REDACTED>"));
    assert_eq!(prompt.evidence[0].provenance, "default");
    let on = emit(&[("OTEL_LOG_USER_PROMPTS", "1")]);
    let prompt = event(&on, "user_prompt").attribute("prompt").unwrap();
    assert_eq!(prompt.state, AttrState::Raw);
    assert_eq!(prompt.evidence[0].setting, "OTEL_LOG_USER_PROMPTS");
}

#[test]
fn response_text_follows_prompt_logging_unless_set() {
    let state = |extra: &[(&str, &str)]| {
        let e = emit(extra);
        event(&e, "assistant_response")
            .attribute("response")
            .unwrap()
            .state
    };
    assert_eq!(state(&[]), AttrState::Placeholder);
    assert_eq!(state(&[("OTEL_LOG_USER_PROMPTS", "1")]), AttrState::Raw);
    let off = [
        ("OTEL_LOG_USER_PROMPTS", "1"),
        ("OTEL_LOG_ASSISTANT_RESPONSES", "0"),
    ];
    assert_eq!(state(&off), AttrState::Placeholder);
}

#[test]
fn raw_bodies_inline_or_as_file_reference() {
    assert!(rec(&emit(&[]), RecordKind::Event, "api_request_body").is_none());
    let inline = emit(&[("OTEL_LOG_RAW_API_BODIES", "1")]);
    let body = event(&inline, "api_request_body");
    assert_eq!(body.attribute("body").unwrap().state, AttrState::Raw);
    assert!(body.attribute("body_ref").is_none());
    assert!(body.withheld.iter().any(|w| w.key == "body_ref"));
    let file = emit(&[("OTEL_LOG_RAW_API_BODIES", "file:/home/dev/bodies")]);
    let body = event(&file, "api_response_body");
    assert!(body.attribute("body").is_none());
    let r = body.attribute("body_ref").unwrap();
    assert_eq!((r.state, r.category), (AttrState::Raw, Category::FilePaths));
    let json = serde_json::to_string(&file).unwrap();
    assert!(
        !json.contains("/home/dev/bodies"),
        "the folder never reaches output"
    );
}

#[test]
fn unrecognised_gate_values_are_raw_and_maybe() {
    let e = emit(&[("OTEL_LOG_TOOL_DETAILS", "verbose")]);
    let input = event(&e, "tool_result").attribute("tool_input").unwrap();
    assert_eq!(
        (input.state, input.presence),
        (AttrState::Raw, Presence::Maybe)
    );
    assert_eq!(input.evidence[0].outcome, Outcome::AssumedOn);
}

#[test]
fn admin_resource_attributes_appear_on_resource_and_points() {
    let attrs = [("OTEL_RESOURCE_ATTRIBUTES", "department=eng, cost_center=42")];
    let e = emit(&attrs);
    let resource = rec(&e, RecordKind::Resource, "resource").unwrap();
    let dept = resource.attribute("department").unwrap();
    assert_eq!(dept.category, Category::AdminResourceAttributes);
    assert!(resource.attribute("cost_center").is_some());
    assert!(event(&e, "api_request").attribute("department").is_some());
    let json = serde_json::to_string(&e).unwrap();
    assert!(
        !json.contains("eng\"") && !json.contains("42"),
        "values never reach output"
    );

    let excluded = emit(&[
        attrs[0],
        ("OTEL_METRICS_INCLUDE_RESOURCE_ATTRIBUTES", "false"),
    ]);
    assert!(
        rec(&excluded, RecordKind::Resource, "resource")
            .unwrap()
            .attribute("department")
            .is_some()
    );
    let req = event(&excluded, "api_request");
    assert!(req.attribute("department").is_none());
    assert!(req.withheld.iter().any(|w| w.key == "department"));
}

#[test]
fn malformed_resource_attributes_become_unknown_keys() {
    let e = emit(&[("OTEL_RESOURCE_ATTRIBUTES", "team=a,oops")]);
    let resource = rec(&e, RecordKind::Resource, "resource").unwrap();
    assert!(resource.attribute("team").is_some());
    assert!(
        resource
            .unknown_keys
            .iter()
            .any(|u| u.categories == [Category::AdminResourceAttributes])
    );
}

#[test]
fn an_admin_key_that_shadows_a_fixed_key_is_joined_conservatively() {
    let e = emit(&[("OTEL_RESOURCE_ATTRIBUTES", "service.name=payroll-team")]);
    let resource = rec(&e, RecordKind::Resource, "resource").unwrap();
    let keys: Vec<&str> = resource.attributes.iter().map(|a| a.key.as_str()).collect();
    assert_eq!(keys.iter().filter(|k| **k == "service.name").count(), 1);
    let name = resource.attribute("service.name").unwrap();
    assert_eq!(name.category, Category::AdminResourceAttributes);
    assert!(name.also.contains(&Category::TechnicalMetadata));
}

#[test]
fn session_id_gate_removes_the_key() {
    let e = emit(&[("OTEL_METRICS_INCLUDE_SESSION_ID", "false")]);
    let m = rec(&e, RecordKind::Metric, "claude_code.session.count").unwrap();
    assert!(m.attribute("session.id").is_none());
    assert!(m.attribute("user.id").is_some(), "user.id has no switch");
}

#[test]
fn oauth_only_identifiers_are_maybe() {
    let e = emit(&[]);
    let m = rec(&e, RecordKind::Metric, "claude_code.cost.usage").unwrap();
    let email = m.attribute("user.email").unwrap();
    assert_eq!(
        (email.presence, email.condition.as_deref()),
        (Presence::Maybe, Some("oauth_login"))
    );
    assert_eq!(m.attribute("user.id").unwrap().presence, Presence::Always);
    assert!(
        m.attribute("user.id")
            .unwrap()
            .also
            .contains(&Category::DirectIdentifier)
    );
}

#[test]
fn traces_need_the_beta_switch_and_tool_content_adds_span_events() {
    let no_beta = emit(&[
        ("OTEL_TRACES_EXPORTER", "otlp"),
        ("OTEL_LOG_TOOL_CONTENT", "1"),
    ]);
    assert!(no_beta.records.iter().all(|r| r.signal != Signal::Traces));
    let beta = [
        ("OTEL_TRACES_EXPORTER", "otlp"),
        ("CLAUDE_CODE_ENHANCED_TELEMETRY_BETA", "1"),
    ];
    let e = emit(&beta);
    assert!(rec(&e, RecordKind::Span, "claude_code.interaction").is_some());
    assert!(rec(&e, RecordKind::SpanEvent, "tool.output").is_none());
    let bash = rec(&e, RecordKind::Span, "claude_code.tool")
        .unwrap()
        .attribute("bash_argv0")
        .unwrap();
    assert_eq!(
        bash.state,
        AttrState::Raw,
        "sent without OTEL_LOG_TOOL_DETAILS"
    );
    let with = emit(&[beta[0], beta[1], ("OTEL_LOG_TOOL_CONTENT", "true")]);
    let out = rec(&with, RecordKind::SpanEvent, "tool.output").unwrap();
    assert_eq!(out.parent.as_deref(), Some("claude_code.tool"));
}

#[test]
fn telemetry_off_leaves_only_vendor_flows() {
    let e = emit(&[("CLAUDE_CODE_ENABLE_TELEMETRY", "0")]);
    assert!(e.records.iter().all(|r| r.signal == Signal::Other));
    let names: Vec<&str> = e.records.iter().map(|r| r.name.as_str()).collect();
    assert!(names.contains(&"model_api_request"));
    assert!(
        names.contains(&"vendor_event_logging"),
        "DISABLE_TELEMETRY is a different switch"
    );
}

#[test]
fn vendor_telemetry_stops_only_with_its_own_switches() {
    for switch in [
        "DISABLE_TELEMETRY",
        "DO_NOT_TRACK",
        "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC",
    ] {
        let e = emit(&[(switch, "1")]);
        assert!(
            rec(&e, RecordKind::Flow, "vendor_event_logging").is_none(),
            "{switch}"
        );
        assert!(
            rec(&e, RecordKind::Flow, "vendor_metrics_export").is_none(),
            "{switch}"
        );
        assert!(rec(&e, RecordKind::Flow, "model_api_request").is_some());
        assert!(
            rec(&e, RecordKind::Event, "user_prompt").is_some(),
            "OTel export goes on"
        );
    }
    let unsure = emit(&[("DISABLE_TELEMETRY", "please")]);
    let flow = rec(&unsure, RecordKind::Flow, "vendor_event_logging").unwrap();
    assert_eq!(
        flow.presence,
        Presence::Maybe,
        "an unrecognised off switch proves nothing"
    );
}

#[test]
fn model_destination_follows_provider_settings() {
    let ids = |extra: &[(&str, &str)]| -> Vec<(String, Option<String>, Presence)> {
        let e = emit(extra);
        let flow = rec(&e, RecordKind::Flow, "model_api_request").unwrap();
        flow.destinations
            .iter()
            .map(|d| (d.id.clone(), d.host.clone(), d.presence))
            .collect()
    };
    assert_eq!(
        ids(&[]),
        [(
            "anthropic_api".into(),
            Some("api.anthropic.com".into()),
            Presence::Always
        )]
    );
    assert_eq!(
        ids(&[("CLAUDE_CODE_USE_BEDROCK", "1")])[0].0,
        "amazon_bedrock"
    );
    assert_eq!(ids(&[("CLAUDE_CODE_USE_BEDROCK", "1")]).len(), 1);
    let gw = ids(&[(
        "ANTHROPIC_BASE_URL",
        "https://user:s3cret@llm-gw.corp.example:8443/v1",
    )]);
    assert_eq!(
        gw,
        [(
            "custom_base_url".into(),
            Some("llm-gw.corp.example:8443".into()),
            Presence::Always
        )]
    );
    let unsure = ids(&[("CLAUDE_CODE_USE_VERTEX", "maybe")]);
    assert_eq!(unsure.len(), 2, "default kept when the switch is uncertain");
    assert!(unsure.iter().all(|d| d.2 == Presence::Maybe));
}

#[test]
fn unknown_versions_use_the_nearest_older_one_and_say_so() {
    let e = emit_at(Some("2.1.250"), &[]);
    assert_eq!(e.version, "2.1.197");
    assert_eq!(e.requested_version.as_deref(), Some("2.1.250"));
    assert!(e.notes[0].contains("nearest older"));
    assert!(event(&e, "user_prompt").attribute("prompt_text").is_none());
    let exact = emit_at(None, &[]);
    assert!(exact.notes.is_empty() && exact.requested_version.is_none());
}

#[test]
fn output_is_deterministic() {
    let extra = [
        ("OTEL_RESOURCE_ATTRIBUTES", "b=1,a=2"),
        ("OTEL_LOG_USER_PROMPTS", "1"),
    ];
    let a = serde_json::to_string(&emit(&extra)).unwrap();
    let b = serde_json::to_string(&emit(&extra)).unwrap();
    assert_eq!(a, b);
}

#[test]
fn host_of_strips_credentials_and_paths() {
    assert_eq!(
        host_of("https://u:p@h.example:1/x?y").as_deref(),
        Some("h.example:1")
    );
    assert_eq!(host_of("h.example/path").as_deref(), Some("h.example"));
    assert_eq!(host_of("https:///nothing"), None);
}
