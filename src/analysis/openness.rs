//! Settings the employer has not pinned: what the user's own settings or a repository's
//! settings can still switch on (or off) below the managed tier.
//!
//! Claude Code applies the `env` block of `~/.claude/settings.json`, of a repository's
//! `.claude/settings.json` and of `.claude/settings.local.json` over the process
//! environment, and only managed settings override them; even before a folder is trusted,
//! a repository's settings may set every `OTEL_LOG_*` and `OTEL_METRICS_*` switch. Codex
//! CLI and Gemini CLI have their own user and project layers (and Gemini's environment
//! variables beat even its system settings). So a gate that is off only because nobody
//! set it, or because a non-managed layer set it off, may be on for some employee in some
//! repository: the analysis treats such a *data gate* as possibly on, raw, and says why.
//!
//! A data gate is one through which content or identifiers pass: it controls an attribute
//! of kind content or identifier, or a record that carries one. Switches that only add
//! metadata, select a destination, or are the export master (decided by the settings
//! resolver) are left as they are.

use std::collections::BTreeSet;

use super::gate::GateResult;
use super::shape::{Evidence, Outcome};
use crate::catalogue::telemetry::{AttrKey, Catalogue, Record, ValueKind};

/// The note every unpinned-gate evidence line carries; rules find the gates by it.
pub const UNPINNED_NOTE: &str =
    "not pinned by managed settings: the user's or a repository's settings can switch it on";

/// The note for a stopping switch that is on but not pinned.
pub const UNPINNED_STOP_NOTE: &str =
    "not pinned by managed settings: the user's or a repository's settings can switch it off";

/// The setting an evidence text (`SETTING (note)`, as the data map writes it) names as
/// not pinned, if it is such a line.
pub fn unpinned_setting(what: &str) -> Option<&str> {
    let (setting, rest) = what.split_once(" (")?;
    rest.starts_with(UNPINNED_NOTE).then_some(setting)
}

/// The gates through which content or identifiers pass in these records.
pub fn data_gates(cat: &Catalogue, records: &[Record]) -> BTreeSet<String> {
    let master = cat.export_master();
    let personal = |kind: ValueKind| matches!(kind, ValueKind::Content | ValueKind::Identifier);
    let mut out = BTreeSet::new();
    for r in records {
        let mut carries = false;
        for a in &r.attributes {
            let unnamed = matches!(a.key, AttrKey::UnknownKeys(_));
            if personal(a.kind) || unnamed {
                carries = true;
                out.extend(a.gate.iter().cloned());
                out.extend(a.requires.iter().cloned());
            }
        }
        if carries {
            out.extend(r.requires.iter().cloned());
            out.extend(r.disabled_by.iter().cloned());
        }
    }
    if let Some(m) = master {
        out.remove(m);
    }
    out
}

/// A gate read where "on" lets data out (a record's or attribute's requirement, an
/// attribute's own gate): when it is off but not pinned, it is taken as possibly on.
pub fn widen(r: GateResult, setting: &str) -> GateResult {
    if r.on || r.pinned {
        return r;
    }
    let mut evidence = r.evidence;
    evidence.push(unpinned(setting, UNPINNED_NOTE));
    GateResult {
        on: true,
        certain: false,
        pinned: false,
        evidence,
    }
}

/// A gate read where "on" stops a record: when it is on but not pinned, the record may
/// still be sent.
pub fn loosen(r: GateResult, setting: &str) -> GateResult {
    if !r.on || r.pinned {
        return r;
    }
    let mut evidence = r.evidence;
    evidence.push(unpinned(setting, UNPINNED_STOP_NOTE));
    GateResult {
        certain: false,
        evidence,
        ..r
    }
}

/// The evidence line of a setting that is not pinned: no file line shows it, since what
/// matters is a line that is absent from the managed settings.
pub fn unpinned(setting: &str, note: &str) -> Evidence {
    Evidence {
        setting: setting.to_string(),
        value: None,
        provenance: "not pinned".to_string(),
        span: None,
        outcome: Outcome::Unpinned,
        note: Some(note.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::telemetry::builtin;

    fn gates_of(source: &str) -> BTreeSet<String> {
        let cat = builtin(source).unwrap().unwrap();
        let v = cat.resolve_version(None).unwrap().used;
        data_gates(&cat, &cat.records(&v))
    }

    #[test]
    fn content_and_identifier_switches_are_data_gates_the_master_is_not() {
        let claude = gates_of("claude-code");
        for g in [
            "log_user_prompts",
            "log_assistant_responses",
            "log_tool_details",
            "log_tool_content",
            "raw_api_bodies_inline",
            "include_session_id",
            "include_account_uuid",
            "disable_nonessential_traffic",
        ] {
            assert!(claude.contains(g), "{g}: {claude:?}");
        }
        assert!(
            !claude.contains("telemetry"),
            "the master is the resolver's"
        );
        let codex = gates_of("codex");
        assert!(codex.contains("log_user_prompt"), "{codex:?}");
        assert!(codex.contains("log_agent_responses"), "{codex:?}");
        let gemini = gates_of("gemini-cli");
        assert!(gemini.contains("log_prompts"), "{gemini:?}");
        assert!(!gemini.contains("telemetry"), "{gemini:?}");
    }

    #[test]
    fn the_unpinned_note_is_found_again_in_evidence_text() {
        let what = format!("OTEL_LOG_USER_PROMPTS ({UNPINNED_NOTE})");
        assert_eq!(unpinned_setting(&what), Some("OTEL_LOG_USER_PROMPTS"));
        assert_eq!(unpinned_setting("OTEL_LOG_USER_PROMPTS=1"), None);
        assert_eq!(unpinned_setting("OTEL_LOG_USER_PROMPTS (default)"), None);
    }
}
