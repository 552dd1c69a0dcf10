//! The notice names what may be sent precisely: configured hooks and slash-command names
//! are the organisation's or the employee's configuration, not "the text of commands the
//! assistant runs", and the notice must not tell the employee the latter leaves when only
//! the former may.

mod common;

use common::{run_in, texts};

const MANAGED: &str = r#"{"env": {
  "CLAUDE_CODE_ENABLE_TELEMETRY": "1", "OTEL_LOGS_EXPORTER": "otlp", "OTEL_METRICS_EXPORTER": "otlp",
  "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf", "OTEL_EXPORTER_OTLP_ENDPOINT": "https://otel.example.org:4318",
  "OTEL_LOG_USER_PROMPTS": "0", "OTEL_LOG_ASSISTANT_RESPONSES": "0", "OTEL_LOG_TOOL_DETAILS": "0",
  "OTEL_LOG_TOOL_CONTENT": "0", "OTEL_LOG_RAW_API_BODIES": "0"}}"#;

#[test]
fn configured_hooks_are_not_called_commands_that_ran() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("managed-settings.json"), MANAGED).unwrap();
    let out = run_in(
        dir.path(),
        &[
            "render",
            "--managed-settings",
            "managed-settings.json",
            "--no-other-settings",
            "--out",
            "out",
            "--format",
            "md",
            "--lang",
            "en,nl,de",
            "--date",
            "2026-07-01",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", texts(&out).1);
    let read = |lang: &str| {
        std::fs::read_to_string(dir.path().join(format!("out/{lang}/notice.md"))).unwrap()
    };
    let (en, nl, de) = (read("en"), read("nl"), read("de"));
    // Every content gate is pinned off: no command the assistant runs leaves …
    assert!(
        en.contains("The text of commands Claude Code runs is **not sent**"),
        "{en}"
    );
    assert!(
        nl.contains("De tekst van opdrachten die Claude Code uitvoert, wordt **niet verstuurd**"),
        "{nl}"
    );
    assert!(
        de.contains("Der Text der Befehle, die Claude Code ausführt, wird **nicht gesendet**"),
        "{de}"
    );
    // … but the hook definitions of the hook events and slash-command names may, under
    // their own name.
    assert!(
        en.contains("Configured hooks and slash commands (may be sent)"),
        "{en}"
    );
    assert!(nl.contains("Ingestelde hooks en slash-opdrachten"), "{nl}");
    assert!(de.contains("Eingerichtete Hooks und Slash-Befehle"), "{de}");
}
