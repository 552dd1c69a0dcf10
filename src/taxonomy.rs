//! The data categories every statement about telemetry is made in, and how personal each is.
//!
//! Catalogues label each attribute with one [`Category`]; documents group by category and
//! sort by [`Level`]. Each category carries the nearest key of two public vocabularies, so
//! the output can be read by tools that speak them:
//! - fideslang data categories (Fides / IAB Tech Lab, e.g. `user.contact.email`);
//! - the W3C Data Privacy Vocabulary (DPV 2.x), as CURIEs with `dpv:` =
//!   `https://w3id.org/dpv#` and `pd:` = `https://w3id.org/dpv/pd#`.
//!
//! Both vocabularies are coarser than ours in places (several of our categories map to
//! `user.content.private`); the mapping names the closest existing concept, never an
//! invented one.

use serde::{Deserialize, Serialize};

/// How much a value can tell about a person, on an ordered scale (`none` < `pseudonymous`
/// < `personal` < `content`).
///
/// The level assumes the value may be linked to the employee it came from: every Claude
/// Code record carries an installation id, so a count or a timestamp on the same record is
/// about that employee. That is why usage and timing are `personal`: they describe what a
/// person did and when, which is what performance monitoring rules (e.g. BetrVG §87(1)
/// Nr. 6) are about.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Says nothing about a person even when linked: software and platform descriptions,
    /// constant flags.
    None,
    /// A key that singles out a person, installation or session without naming anyone;
    /// the link to a name is held elsewhere. Still personal data under the GDPR.
    Pseudonymous,
    /// Names or contacts a person, or describes what a person did, how much and when.
    Personal,
    /// May contain anything the employee typed or worked on (text, code, commands, paths,
    /// file contents), including third parties' data and special categories.
    Content,
}

impl Level {
    /// Every level, lowest first.
    pub const ALL: &'static [Level] = &[
        Level::None,
        Level::Pseudonymous,
        Level::Personal,
        Level::Content,
    ];

    /// The snake_case key used in files and JSON.
    pub fn key(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::Pseudonymous => "pseudonymous",
            Level::Personal => "personal",
            Level::Content => "content",
        }
    }
}

/// One data category.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Identifiers of a person's account (account uuid, tagged account id, an identity
    /// provider's subject).
    DirectIdentifier,
    /// Random or derived keys for an installation, session, prompt or request.
    PseudonymousIdentifier,
    /// The organisation or groups a person belongs to.
    OrganisationMembership,
    /// E-mail addresses.
    ContactEmail,
    /// What the employee typed to the assistant, and the instructions sent with it.
    PromptContent,
    /// What the model answered.
    ResponseContent,
    /// The input of a tool call (commands, file paths, text to write).
    ToolInput,
    /// What a tool returned (command output, file contents read, error text).
    ToolOutput,
    /// Paths of files and folders on the employee's machine.
    FilePaths,
    /// Contents of files.
    FileContents,
    /// Shell commands and command names.
    Commands,
    /// Definitions the organisation or the employee set up for the assistant (hooks and the
    /// commands they are configured to run, slash-command names), as opposed to what ran in
    /// a session.
    AgentConfiguration,
    /// Amounts of use: tokens, cost, counts, sizes.
    UsageAndCost,
    /// When and how long: timestamps, durations, active time.
    Timing,
    /// Software, platform and protocol details (versions, OS, model names, flags).
    TechnicalMetadata,
    /// Attributes the administrator defines (e.g. `OTEL_RESOURCE_ATTRIBUTES`): whatever
    /// the organisation chose to attach, such as a department or cost centre.
    AdminResourceAttributes,
    /// Not known: treated as possibly anything, the worst case.
    Unknown,
}

/// What a category means and how it maps to public vocabularies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CategoryInfo {
    /// The stable snake_case key.
    pub key: &'static str,
    /// A short plain-English label for documents.
    pub label: &'static str,
    /// One sentence for readers who are not engineers.
    pub description: &'static str,
    /// How personal values of this category are.
    pub level: Level,
    /// The closest fideslang data category key.
    pub fideslang: &'static str,
    /// The closest W3C DPV concepts (CURIEs; see the module docs for the prefixes).
    pub dpv: &'static [&'static str],
}

impl Category {
    /// Every category, in document order (identifiers first, unknown last).
    pub const ALL: &'static [Category] = &[
        Category::DirectIdentifier,
        Category::PseudonymousIdentifier,
        Category::OrganisationMembership,
        Category::ContactEmail,
        Category::PromptContent,
        Category::ResponseContent,
        Category::ToolInput,
        Category::ToolOutput,
        Category::FilePaths,
        Category::FileContents,
        Category::Commands,
        Category::AgentConfiguration,
        Category::UsageAndCost,
        Category::Timing,
        Category::TechnicalMetadata,
        Category::AdminResourceAttributes,
        Category::Unknown,
    ];

    /// The stable key, e.g. `prompt_content`.
    pub fn key(self) -> &'static str {
        self.info().key
    }

    /// The category's level.
    pub fn level(self) -> Level {
        self.info().level
    }

    /// Looks a category up by its key.
    pub fn from_key(key: &str) -> Option<Category> {
        Category::ALL.iter().copied().find(|c| c.key() == key)
    }

    /// Everything known about the category.
    pub fn info(self) -> &'static CategoryInfo {
        &INFOS[self as usize]
    }
}

/// Indexed by `Category as usize`; a test checks the order matches.
static INFOS: [CategoryInfo; 17] = [
    CategoryInfo {
        key: "direct_identifier",
        label: "Account identifiers",
        description: "Identifiers of the employee's account with the vendor or the identity provider.",
        level: Level::Personal,
        fideslang: "user.unique_id",
        dpv: &["pd:UID", "dpv:IdentifyingPersonalData"],
    },
    CategoryInfo {
        key: "pseudonymous_identifier",
        label: "Pseudonymous identifiers",
        description: "Random or derived keys for an installation, a session, a prompt or a request; they link records to one person without naming them.",
        level: Level::Pseudonymous,
        fideslang: "user.unique_id.pseudonymous",
        dpv: &["pd:Identifier", "dpv:PseudonymisedData"],
    },
    CategoryInfo {
        key: "organisation_membership",
        label: "Organisation and groups",
        description: "The organisation account or the groups the employee belongs to.",
        level: Level::Personal,
        fideslang: "user.workplace",
        dpv: &["pd:Professional"],
    },
    CategoryInfo {
        key: "contact_email",
        label: "E-mail address",
        description: "The employee's e-mail address.",
        level: Level::Personal,
        fideslang: "user.contact.email",
        dpv: &["pd:EmailAddressWork"],
    },
    CategoryInfo {
        key: "prompt_content",
        label: "Prompt text",
        description: "What the employee wrote to the assistant, and the instructions sent along with it.",
        level: Level::Content,
        fideslang: "user.content.private",
        dpv: &["pd:Communication"],
    },
    CategoryInfo {
        key: "response_content",
        label: "Response text",
        description: "What the model answered the employee.",
        level: Level::Content,
        fideslang: "user.content.private",
        dpv: &["pd:Communication"],
    },
    CategoryInfo {
        key: "tool_input",
        label: "Tool input",
        description: "What the assistant asked a tool to do: commands, file paths, text to write.",
        level: Level::Content,
        fideslang: "user.content.private",
        dpv: &["dpv:PersonalData"],
    },
    CategoryInfo {
        key: "tool_output",
        label: "Tool output",
        description: "What a tool returned: command output, files read, error messages.",
        level: Level::Content,
        fideslang: "user.content.private",
        dpv: &["dpv:PersonalData"],
    },
    CategoryInfo {
        key: "file_paths",
        label: "File paths",
        description: "Names of files and folders on the employee's machine; they often contain user names, project and customer names.",
        level: Level::Content,
        fideslang: "user.content.private",
        dpv: &["pd:WorkEnvironment"],
    },
    CategoryInfo {
        key: "file_contents",
        label: "File contents",
        description: "The contents of files the assistant read or wrote.",
        level: Level::Content,
        fideslang: "user.content.private",
        dpv: &["dpv:PersonalData"],
    },
    CategoryInfo {
        key: "commands",
        label: "Commands",
        description: "Shell commands and command names the employee or the assistant ran.",
        level: Level::Content,
        fideslang: "user.content.private",
        dpv: &["pd:Behavioural"],
    },
    CategoryInfo {
        key: "agent_configuration",
        label: "Agent configuration",
        description: "Definitions the organisation or the employee set up for the assistant, such as hooks and the commands they are configured to run, or the names of slash commands; free text that may hold anything its author wrote, but not what the assistant did in a session.",
        level: Level::Content,
        fideslang: "system.operations",
        dpv: &["dpv:Data"],
    },
    CategoryInfo {
        key: "usage_and_cost",
        label: "Usage and cost",
        description: "How much the employee used the assistant: tokens, cost, counts, sizes.",
        level: Level::Personal,
        fideslang: "user.telemetry",
        dpv: &["pd:ServiceConsumptionBehaviour", "pd:PerformanceAtWork"],
    },
    CategoryInfo {
        key: "timing",
        label: "Timing",
        description: "When the employee worked and for how long: timestamps, durations, active time.",
        level: Level::Personal,
        fideslang: "user.behavior",
        dpv: &["pd:ServiceConsumptionBehaviour"],
    },
    CategoryInfo {
        key: "technical_metadata",
        label: "Technical metadata",
        description: "Software, platform and protocol details: versions, operating system, model names, flags.",
        level: Level::None,
        fideslang: "system.operations",
        dpv: &["pd:DeviceSoftware"],
    },
    CategoryInfo {
        key: "admin_resource_attributes",
        label: "Administrator-defined attributes",
        description: "Attributes the organisation attaches to all telemetry, such as a department or cost centre; they may describe the employee.",
        level: Level::Personal,
        fideslang: "user",
        dpv: &["dpv:PersonalData"],
    },
    CategoryInfo {
        key: "unknown",
        label: "Unknown",
        description: "Data whose nature cannot be known from the configuration; treated as possibly anything.",
        level: Level::Content,
        fideslang: "user",
        dpv: &["dpv:PersonalData"],
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn keys_are_unique_snake_case_and_match_serde() {
        let mut seen = HashSet::new();
        for (i, c) in Category::ALL.iter().enumerate() {
            assert_eq!(*c as usize, i, "ALL must follow declaration order");
            let key = c.key();
            assert!(seen.insert(key), "duplicate key {key}");
            assert!(key.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'));
            let json = serde_json::to_string(c).unwrap();
            assert_eq!(json, format!("\"{key}\""), "serde name differs from key");
            assert_eq!(Category::from_key(key), Some(*c));
        }
        assert_eq!(seen.len(), INFOS.len());
    }

    #[test]
    fn levels_are_ordered() {
        assert!(Level::None < Level::Pseudonymous);
        assert!(Level::Pseudonymous < Level::Personal);
        assert!(Level::Personal < Level::Content);
        let mut sorted = Level::ALL.to_vec();
        sorted.sort();
        assert_eq!(sorted, Level::ALL);
        assert_eq!(
            Category::Unknown.level(),
            Level::Content,
            "unknown is the worst case"
        );
        assert_eq!(Category::PromptContent.level(), Level::Content);
        assert_eq!(
            Category::PseudonymousIdentifier.level(),
            Level::Pseudonymous
        );
        assert_eq!(Category::TechnicalMetadata.level(), Level::None);
    }

    #[test]
    fn vocabulary_keys_are_well_formed() {
        for c in Category::ALL {
            let info = c.info();
            assert!(
                info.fideslang == "user"
                    || info.fideslang.starts_with("user.")
                    || info.fideslang.starts_with("system."),
                "{}",
                info.fideslang
            );
            assert!(!info.dpv.is_empty());
            for curie in info.dpv {
                assert!(
                    curie.starts_with("dpv:") || curie.starts_with("pd:"),
                    "{curie}"
                );
            }
            assert!(info.description.ends_with('.'));
        }
    }
}
