//! Evaluating a catalogue gate against the effective environment.
//!
//! Soundness: a value that is neither an `on` nor an `off` value of the gate is treated as
//! on, and the result is marked uncertain, so nothing is claimed absent that may be sent.

use super::env::{EnvLookup, EnvValue};
use super::shape::{Evidence, Outcome};
use crate::catalogue::telemetry::{Booleans, Catalogue, GateDefault, GateSpec, Matcher};

/// A gate's state under the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateResult {
    /// On (or assumed on).
    pub on: bool,
    /// False when a value was not recognised and `on` is an assumption.
    pub certain: bool,
    /// True when every setting that decides it (its own, its aliases, a followed gate's)
    /// is pinned: no settings file below the managed tier can flip it.
    pub pinned: bool,
    /// The settings read, in order.
    pub evidence: Vec<Evidence>,
}

/// Defaults may follow other gates; validation rejects cycles, this is a second guard.
const MAX_DEPTH: usize = 8;

/// Evaluates the gate `name` of `cat`.
pub fn eval(cat: &Catalogue, name: &str, env: &dyn EnvLookup) -> GateResult {
    eval_at(cat, name, env, 0)
}

fn eval_at(cat: &Catalogue, name: &str, env: &dyn EnvLookup, depth: usize) -> GateResult {
    let Some(gate) = cat.gate(name).filter(|_| depth < MAX_DEPTH) else {
        // Unreachable for a validated catalogue; stay sound anyway.
        return GateResult {
            on: true,
            certain: false,
            pinned: false,
            evidence: Vec::new(),
        };
    };
    let pinned = std::iter::once(&gate.setting)
        .chain(&gate.aliases)
        .all(|s| env.pinned(s));
    let found: Vec<(&str, EnvValue)> = std::iter::once(&gate.setting)
        .chain(&gate.aliases)
        .filter_map(|s| env.get(s).map(|v| (s.as_str(), v)))
        .collect();
    if found.is_empty() {
        let followed = default(cat, gate, env, depth);
        return GateResult {
            pinned: pinned && followed.pinned,
            ..followed
        };
    }
    let results: Vec<(Outcome, Evidence)> = found
        .into_iter()
        .map(|(setting, v)| classify(cat.booleans(), gate, setting, v))
        .collect();
    combine(results, pinned)
}

/// Any alias that is on switches the gate on; it is certain when one certainly is.
fn combine(results: Vec<(Outcome, Evidence)>, pinned: bool) -> GateResult {
    let on = results.iter().any(|(o, _)| *o != Outcome::Off);
    let certain = !on || results.iter().any(|(o, _)| *o == Outcome::On);
    GateResult {
        on,
        certain,
        pinned,
        evidence: results.into_iter().map(|(_, e)| e).collect(),
    }
}

fn default(cat: &Catalogue, gate: &GateSpec, env: &dyn EnvLookup, depth: usize) -> GateResult {
    match &gate.default {
        GateDefault::Fixed(on) => GateResult {
            on: *on,
            certain: true,
            pinned: true,
            evidence: vec![default_evidence(gate, *on, None)],
        },
        GateDefault::SameAs { same_as } => {
            let inner = eval_at(cat, same_as, env, depth + 1);
            let followed = cat.gate(same_as).map_or(same_as.as_str(), |g| &g.setting);
            let note = format!("unset; follows {followed}");
            let mut evidence = vec![default_evidence(gate, inner.on, Some(note))];
            evidence.extend(inner.evidence);
            GateResult { evidence, ..inner }
        }
    }
}

fn default_evidence(gate: &GateSpec, on: bool, note: Option<String>) -> Evidence {
    Evidence {
        setting: gate.setting.clone(),
        value: None,
        provenance: "default".to_string(),
        span: None,
        outcome: if on { Outcome::On } else { Outcome::Off },
        note,
    }
}

fn classify(b: &Booleans, gate: &GateSpec, setting: &str, v: EnvValue) -> (Outcome, Evidence) {
    let on_matchers = gate.on.clone().unwrap_or_else(|| vec![Matcher::Truthy]);
    let off_matchers = gate.off.clone().unwrap_or_else(|| vec![Matcher::Falsy]);
    let hit_on = on_matchers.iter().find(|m| matches(b, m, &v.value));
    let hit_off = off_matchers.iter().find(|m| matches(b, m, &v.value));
    let (outcome, hit) = match (hit_on, hit_off) {
        (Some(m), _) => (Outcome::On, Some(m)),
        (None, Some(m)) => (Outcome::Off, Some(m)),
        (None, None) => (Outcome::AssumedOn, None),
    };
    let note = (outcome == Outcome::AssumedOn)
        .then(|| "not a recognised on/off value; treated as on".to_string());
    let evidence = Evidence {
        setting: setting.to_string(),
        value: hit.and_then(|m| shown_value(m, &v.value)),
        provenance: v.provenance,
        span: v.span,
        outcome,
        note,
    };
    (outcome, evidence)
}

/// True when `value` passes the matcher. Words compare without case; values are not
/// trimmed, because the client does not trim them either.
pub fn matches(b: &Booleans, m: &Matcher, value: &str) -> bool {
    let lower = value.to_lowercase();
    match m {
        Matcher::Truthy => b.truthy.iter().any(|w| w.to_lowercase() == lower),
        Matcher::Falsy => b.falsy.iter().any(|w| w.to_lowercase() == lower),
        Matcher::NonEmpty => !value.is_empty(),
        Matcher::Empty => value.is_empty(),
        Matcher::Prefix(p) => lower.starts_with(&p.to_lowercase()),
    }
}

/// The value as evidence may show it: on/off words in full, a prefix match as the prefix
/// only (`file:…`), anything else not at all.
fn shown_value(m: &Matcher, value: &str) -> Option<String> {
    match m {
        Matcher::Truthy | Matcher::Falsy => Some(value.to_string()),
        Matcher::Empty => Some(String::new()),
        Matcher::Prefix(p) => Some(format!("{p}…")),
        Matcher::NonEmpty => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::env::MapEnv;
    use crate::catalogue::telemetry::builtin;

    fn cat() -> Catalogue {
        builtin("claude-code").unwrap().unwrap()
    }

    fn env(pairs: &[(&str, &str)]) -> MapEnv {
        MapEnv::from_pairs(pairs.iter().copied(), "test")
    }

    #[test]
    fn unset_gate_takes_its_default() {
        let r = eval(&cat(), "log_user_prompts", &env(&[]));
        assert!(!r.on && r.certain);
        assert_eq!(r.evidence[0].provenance, "default");
        let r = eval(&cat(), "include_session_id", &env(&[]));
        assert!(r.on && r.certain);
    }

    #[test]
    fn booleans_are_read_without_case() {
        for v in ["1", "true", "TRUE", "Yes", "on"] {
            let r = eval(
                &cat(),
                "log_user_prompts",
                &env(&[("OTEL_LOG_USER_PROMPTS", v)]),
            );
            assert!(r.on && r.certain, "{v}");
            assert_eq!(r.evidence[0].value.as_deref(), Some(v));
        }
        for v in ["0", "false", "No", "OFF"] {
            let r = eval(
                &cat(),
                "log_user_prompts",
                &env(&[("OTEL_LOG_USER_PROMPTS", v)]),
            );
            assert!(!r.on && r.certain, "{v}");
        }
    }

    #[test]
    fn unrecognised_values_are_treated_as_on_and_not_shown() {
        for v in ["2", "enabled", "", " 1"] {
            let r = eval(
                &cat(),
                "log_user_prompts",
                &env(&[("OTEL_LOG_USER_PROMPTS", v)]),
            );
            assert!(r.on && !r.certain, "{v:?}");
            assert_eq!(r.evidence[0].outcome, Outcome::AssumedOn);
            assert_eq!(
                r.evidence[0].value, None,
                "free values never reach evidence"
            );
        }
    }

    #[test]
    fn assistant_responses_follow_user_prompts_by_default() {
        let on = eval(
            &cat(),
            "log_assistant_responses",
            &env(&[("OTEL_LOG_USER_PROMPTS", "1")]),
        );
        assert!(on.on && on.certain);
        assert_eq!(
            on.evidence.len(),
            2,
            "own default, then the followed setting"
        );
        assert_eq!(
            on.evidence[0].note.as_deref(),
            Some("unset; follows OTEL_LOG_USER_PROMPTS")
        );
        assert_eq!(on.evidence[1].setting, "OTEL_LOG_USER_PROMPTS");
        let off = eval(&cat(), "log_assistant_responses", &env(&[]));
        assert!(!off.on);
        let explicit = env(&[
            ("OTEL_LOG_USER_PROMPTS", "1"),
            ("OTEL_LOG_ASSISTANT_RESPONSES", "0"),
        ]);
        assert!(!eval(&cat(), "log_assistant_responses", &explicit).on);
    }

    #[test]
    fn raw_bodies_file_mode_selects_body_ref_not_body() {
        let file = env(&[("OTEL_LOG_RAW_API_BODIES", "file:/home/dev/bodies")]);
        assert!(eval(&cat(), "raw_api_bodies", &file).on);
        assert!(!eval(&cat(), "raw_api_bodies_inline", &file).on);
        let by_file = eval(&cat(), "raw_api_bodies_file", &file);
        assert!(by_file.on && by_file.certain);
        assert_eq!(
            by_file.evidence[0].value.as_deref(),
            Some("file:…"),
            "the path is not shown"
        );
        let inline = env(&[("OTEL_LOG_RAW_API_BODIES", "1")]);
        assert!(eval(&cat(), "raw_api_bodies_inline", &inline).on);
        assert!(!eval(&cat(), "raw_api_bodies_file", &inline).on);
        let odd = env(&[("OTEL_LOG_RAW_API_BODIES", "both")]);
        let (i, f) = (
            eval(&cat(), "raw_api_bodies_inline", &odd),
            eval(&cat(), "raw_api_bodies_file", &odd),
        );
        assert!(
            i.on && !i.certain && f.on && !f.certain,
            "unknown mode: both may happen"
        );
    }

    #[test]
    fn an_alias_switches_the_gate_on() {
        let r = eval(
            &cat(),
            "enhanced_telemetry_beta",
            &env(&[("ENABLE_ENHANCED_TELEMETRY_BETA", "1")]),
        );
        assert!(r.on && r.certain);
        let both = env(&[
            ("CLAUDE_CODE_ENHANCED_TELEMETRY_BETA", "0"),
            ("ENABLE_ENHANCED_TELEMETRY_BETA", "1"),
        ]);
        assert!(eval(&cat(), "enhanced_telemetry_beta", &both).on);
    }

    #[test]
    fn a_gate_is_pinned_only_where_every_name_for_it_is() {
        let complete = env(&[]);
        assert!(eval(&cat(), "log_user_prompts", &complete).pinned);
        let open = MapEnv::new().open();
        let r = eval(&cat(), "log_user_prompts", &open);
        assert!(
            !r.on && !r.pinned,
            "unset and open: a lower layer can set it"
        );
        let mut managed = MapEnv::new().open();
        managed.pin("OTEL_LOG_USER_PROMPTS", "0", "managed-settings.json:4");
        assert!(eval(&cat(), "log_user_prompts", &managed).pinned);
        let follows = eval(&cat(), "log_assistant_responses", &managed);
        assert!(
            !follows.pinned,
            "its own variable is still open, though the followed one is pinned"
        );
        managed.pin(
            "OTEL_LOG_ASSISTANT_RESPONSES",
            "0",
            "managed-settings.json:5",
        );
        assert!(eval(&cat(), "log_assistant_responses", &managed).pinned);
        let mut one_alias = MapEnv::new().open();
        one_alias.pin(
            "CLAUDE_CODE_ENHANCED_TELEMETRY_BETA",
            "0",
            "managed-settings.json:6",
        );
        assert!(
            !eval(&cat(), "enhanced_telemetry_beta", &one_alias).pinned,
            "an alias left open can still switch it on"
        );
        let mut process = MapEnv::new().open();
        process.set("OTEL_LOG_USER_PROMPTS", "0", "--env");
        assert!(!eval(&cat(), "log_user_prompts", &process).pinned);
    }

    #[test]
    fn nonempty_gates_never_show_the_value() {
        let r = eval(
            &cat(),
            "custom_base_url",
            &env(&[("ANTHROPIC_BASE_URL", "https://u:secret@gw.example")]),
        );
        assert!(r.on && r.certain);
        assert_eq!(r.evidence[0].value, None);
    }
}
