//! Component and pipeline ids, parsed the way the collector parses them.
//!
//! A component id is `type` or `type/name`; the behaviour depends only on the type, the name
//! only tells instances apart. Both parts are trimmed and compared after parsing, so a
//! pipeline that lists `otlp/ a` refers to the exporter written `otlp/a`.

use std::fmt;
use std::sync::LazyLock;

use regex::Regex;

static TYPE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-zA-Z][0-9a-zA-Z_]{0,62}$").unwrap());
static NAME: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[^\p{Z}\p{C}\p{S}]+$").unwrap());
const NAME_MAX: usize = 1024;

/// `type` or `type/name`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ComponentId {
    /// The component type, which selects the factory (`otlp`, `batch`, …).
    pub type_: String,
    /// The instance name after the first `/`, which may itself contain `/`.
    pub name: Option<String>,
}

impl ComponentId {
    /// Parses an id, or says what is wrong with it.
    pub fn parse(text: &str) -> Result<ComponentId, String> {
        let (type_, name) = match text.split_once('/') {
            Some((t, n)) => (t.trim(), Some(n.trim())),
            None => (text.trim(), None),
        };
        if type_.is_empty() {
            return Err(format!("`{text}` has an empty type"));
        }
        if !TYPE.is_match(type_) {
            return Err(format!(
                "`{type_}` is not a valid component type (a letter, then up to 62 letters, digits or `_`)"
            ));
        }
        let name = match name {
            None => None,
            Some("") => return Err(format!("`{text}` has an empty name after `/`")),
            Some(n) if n.chars().count() > NAME_MAX => {
                return Err(format!(
                    "the name in `{text}` is longer than {NAME_MAX} characters"
                ));
            }
            Some(n) if !NAME.is_match(n) => {
                return Err(format!(
                    "the name `{n}` contains a space, a control character or a symbol"
                ));
            }
            Some(n) => Some(n.to_string()),
        };
        Ok(ComponentId {
            type_: type_.to_string(),
            name,
        })
    }
}

impl fmt::Display for ComponentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(name) => write!(f, "{}/{name}", self.type_),
            None => f.write_str(&self.type_),
        }
    }
}

/// The kind of telemetry a pipeline carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Signal {
    /// Spans.
    Traces,
    /// Metric data points.
    Metrics,
    /// Log records (Claude Code's events arrive here).
    Logs,
    /// Profiles (behind a feature gate).
    Profiles,
}

impl Signal {
    /// Every signal, in a fixed order.
    pub const ALL: [Signal; 4] = [
        Signal::Traces,
        Signal::Metrics,
        Signal::Logs,
        Signal::Profiles,
    ];

    /// The word used in pipeline ids.
    pub fn as_str(self) -> &'static str {
        match self {
            Signal::Traces => "traces",
            Signal::Metrics => "metrics",
            Signal::Logs => "logs",
            Signal::Profiles => "profiles",
        }
    }

    /// The signal for a pipeline-id word.
    pub fn parse(word: &str) -> Option<Signal> {
        Signal::ALL.into_iter().find(|s| s.as_str() == word)
    }
}

/// `signal` or `signal/name`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PipelineId {
    /// What the pipeline carries.
    pub signal: Signal,
    /// The name after the first `/`.
    pub name: Option<String>,
}

impl PipelineId {
    /// Parses a pipeline id with the component-id rules, then checks the signal word.
    pub fn parse(text: &str) -> Result<PipelineId, String> {
        let id = ComponentId::parse(text)?;
        match Signal::parse(&id.type_) {
            Some(signal) => Ok(PipelineId {
                signal,
                name: id.name,
            }),
            None => Err(format!(
                "`{}` is not a signal; a pipeline id starts with `traces`, `metrics`, `logs` or `profiles`",
                id.type_
            )),
        }
    }
}

impl fmt::Display for PipelineId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(name) => write!(f, "{}/{name}", self.signal.as_str()),
            None => f.write_str(self.signal.as_str()),
        }
    }
}

/// The current name of an exporter type: `otlp` and `otlphttp` were renamed `otlp_grpc` and
/// `otlp_http` in core, and both spellings select the same exporter. Receivers keep `otlp`.
pub fn normalised_exporter_type(type_: &str) -> &str {
    match type_ {
        "otlp" => "otlp_grpc",
        "otlphttp" => "otlp_http",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> ComponentId {
        ComponentId::parse(text).unwrap()
    }

    #[test]
    fn name_is_everything_after_the_first_slash_and_parts_are_trimmed() {
        assert_eq!(id("otlp/a/b").name.as_deref(), Some("a/b"));
        assert_eq!(id(" otlp / a ").to_string(), "otlp/a");
        assert_eq!(id("batch").name, None);
        assert_eq!(id("otlp/a"), id("otlp/ a"));
    }

    #[test]
    fn bad_ids_are_rejected_with_a_reason() {
        for bad in [
            "",
            "/x",
            "otlp/",
            "1otlp",
            "ot-lp",
            "otlp/a b",
            "otlp/a$",
            &"a".repeat(64),
        ] {
            assert!(
                ComponentId::parse(bad).is_err(),
                "{bad:?} should be invalid"
            );
        }
        assert!(ComponentId::parse(&format!("otlp/{}", "n".repeat(1025))).is_err());
        assert!(ComponentId::parse(&format!("otlp/{}", "n".repeat(1024))).is_ok());
        assert!(ComponentId::parse(&"a".repeat(63)).is_ok());
    }

    #[test]
    fn pipeline_ids_need_a_known_signal() {
        let p = PipelineId::parse("logs/claude").unwrap();
        assert_eq!(
            (p.signal, p.name.as_deref()),
            (Signal::Logs, Some("claude"))
        );
        assert_eq!(
            PipelineId::parse("profiles").unwrap().signal,
            Signal::Profiles
        );
        assert!(
            PipelineId::parse("trace")
                .unwrap_err()
                .contains("not a signal")
        );
        assert!(PipelineId::parse("logs/").is_err());
    }

    #[test]
    fn exporter_aliases_normalise() {
        assert_eq!(normalised_exporter_type("otlp"), "otlp_grpc");
        assert_eq!(normalised_exporter_type("otlphttp"), "otlp_http");
        assert_eq!(normalised_exporter_type("otlp_http"), "otlp_http");
        assert_eq!(normalised_exporter_type("debug"), "debug");
    }
}
