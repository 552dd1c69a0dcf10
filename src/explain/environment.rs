//! Which variables of the real process environment `explain` reads.
//!
//! Only the ones that can change what the agents send: every variable a catalogue names
//! (Claude Code's settings variables, the variables that beat Codex and Gemini settings
//! keys), and the families those come from (`OTEL_*`, `CLAUDE_CODE_*`, `GEMINI_*`, …) so a
//! variable a newer client reads is not silently missed. Nothing else of the environment
//! is looked at. Values go to the settings readers, which mask secrets; `explain` itself
//! never prints a value of the environment.

use crate::catalogue;

/// Families of variables the agents and their OpenTelemetry SDKs read.
const PREFIXES: &[&str] = &[
    "OTEL_",
    "CLAUDE_CODE_",
    "ANTHROPIC_",
    "DISABLE_",
    "GEMINI_",
    "CODEX_",
];

/// Whether a variable can change what the agents send.
pub fn relevant(key: &str) -> bool {
    if key.starts_with("OTEL_DPIA_") {
        // This tool's own settings, not the agents'.
        return false;
    }
    PREFIXES.iter().any(|p| key.starts_with(p)) || named_by_a_catalogue(key)
}

fn named_by_a_catalogue(key: &str) -> bool {
    catalogue::source_names().iter().any(|s| {
        let Some(c) = catalogue::get(s) else {
            return false;
        };
        let in_settings = c
            .settings
            .as_ref()
            .is_some_and(|t| t.variables.iter().any(|v| v.name == key));
        let in_config = c
            .config
            .as_ref()
            .is_some_and(|t| t.keys.iter().any(|k| k.env.iter().any(|e| e == key)));
        in_settings || in_config
    })
}

#[cfg(test)]
mod tests {
    use super::relevant;

    #[test]
    fn only_telemetry_variables_are_read() {
        for key in [
            "OTEL_EXPORTER_OTLP_HEADERS",
            "CLAUDE_CODE_ENABLE_TELEMETRY",
            "GEMINI_TELEMETRY_ENABLED",
        ] {
            assert!(relevant(key), "{key}");
        }
        for key in [
            "PATH",
            "HOME",
            "OTEL_DPIA_MAX_INPUT_SIZE",
            "AWS_SECRET_ACCESS_KEY",
            "GITHUB_TOKEN",
        ] {
            assert!(!relevant(key), "{key}");
        }
    }
}
