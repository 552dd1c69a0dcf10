//! "What is collected / what is not collected" in the plain words employees ask about:
//! prompts, responses, the commands the assistant runs, file contents, e-mail address, …
//!
//! Each plain item gathers one or more taxonomy categories (a tool's input may hold a
//! command, a path or the text of a file, so it counts for all three). Its status comes
//! from the data map only: an attribute or an unknown key of a matching category that may
//! arrive at a destination makes the item `sent` (arrives every time) or `may_be_sent`;
//! only when nothing of it can arrive is it `not_sent`. A constant placeholder carries no
//! personal data and does not count as sending, but is reported so the text can say so.

use std::collections::BTreeSet;

use serde::Serialize;

use super::cite::{Cite, tidy};
use crate::analysis::map::{AttrOut, DestinationOut, RecordOut};
use crate::analysis::openness::unpinned_setting;
use crate::analysis::shape::{AttrState, Presence};
use crate::taxonomy::{Category, Level};

/// The plain items, in the order documents list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Item {
    /// What the employee types to the assistant.
    Prompts,
    /// What the model answers.
    Responses,
    /// The text of commands the assistant runs.
    Commands,
    /// Hooks, slash commands and other definitions the organisation or the employee
    /// configured: what could run, not what ran. Kept apart from `Commands` so the notice does not say that the
    /// commands the assistant runs are sent when only their configuration is.
    Configuration,
    /// What tools return: command output, text read back.
    ToolResults,
    /// The contents of files the assistant reads or writes.
    FileContents,
    /// Names and paths of files and folders.
    FilePaths,
    /// The employee's e-mail address.
    Email,
    /// Account identifiers that point to the person.
    AccountIds,
    /// Random or derived ids of installation, session, prompt or request.
    PseudonymousIds,
    /// Organisation or groups the employee belongs to.
    OrgMembership,
    /// Tokens, cost, counts.
    UsageCost,
    /// Timestamps and durations.
    Timing,
    /// Software, platform, model names.
    Technical,
    /// Attributes the administrator attaches (department, cost centre, …).
    AdminAttributes,
    /// Values whose content cannot be known in advance (error text, unknown fields).
    OtherValues,
}

impl Item {
    /// Every item, in document order.
    pub const ALL: &'static [Item] = &[
        Item::Prompts,
        Item::Responses,
        Item::Commands,
        Item::Configuration,
        Item::ToolResults,
        Item::FileContents,
        Item::FilePaths,
        Item::Email,
        Item::AccountIds,
        Item::PseudonymousIds,
        Item::OrgMembership,
        Item::UsageCost,
        Item::Timing,
        Item::Technical,
        Item::AdminAttributes,
        Item::OtherValues,
    ];

    /// The items a category counts for.
    pub fn of(category: Category) -> &'static [Item] {
        match category {
            Category::DirectIdentifier => &[Item::AccountIds],
            Category::PseudonymousIdentifier => &[Item::PseudonymousIds],
            Category::OrganisationMembership => &[Item::OrgMembership],
            Category::ContactEmail => &[Item::Email],
            Category::PromptContent => &[Item::Prompts],
            Category::ResponseContent => &[Item::Responses],
            Category::ToolInput => &[Item::Commands, Item::FileContents, Item::FilePaths],
            Category::ToolOutput => &[Item::ToolResults, Item::FileContents],
            Category::FilePaths => &[Item::FilePaths],
            Category::FileContents => &[Item::FileContents],
            Category::Commands => &[Item::Commands],
            Category::AgentConfiguration => &[Item::Configuration],
            Category::UsageAndCost => &[Item::UsageCost],
            Category::Timing => &[Item::Timing],
            Category::TechnicalMetadata => &[Item::Technical],
            Category::AdminResourceAttributes => &[Item::AdminAttributes],
            Category::Unknown => &[Item::OtherValues],
        }
    }

    /// The stable key, as serialised.
    pub fn key(self) -> &'static str {
        match self {
            Item::Prompts => "prompts",
            Item::Responses => "responses",
            Item::Commands => "commands",
            Item::Configuration => "configuration",
            Item::ToolResults => "tool_results",
            Item::FileContents => "file_contents",
            Item::FilePaths => "file_paths",
            Item::Email => "email",
            Item::AccountIds => "account_ids",
            Item::PseudonymousIds => "pseudonymous_ids",
            Item::OrgMembership => "org_membership",
            Item::UsageCost => "usage_cost",
            Item::Timing => "timing",
            Item::Technical => "technical",
            Item::AdminAttributes => "admin_attributes",
            Item::OtherValues => "other_values",
        }
    }

    /// How personal the item is: the highest level of its categories.
    pub fn level(self) -> Level {
        Category::ALL
            .iter()
            .filter(|c| Item::of(**c).contains(&self))
            .map(|c| c.level())
            .max()
            .unwrap_or(Level::None)
    }

    /// Whether the item is content the employee wrote or worked on. Configured hooks count:
    /// their free text may be written by the employee and may hold anything, secrets too.
    pub fn is_content(self) -> bool {
        matches!(
            self,
            Item::Prompts
                | Item::Responses
                | Item::Commands
                | Item::Configuration
                | Item::ToolResults
                | Item::FileContents
        )
    }

    /// Whether the item identifies or singles out the employee.
    pub fn is_identifier(self) -> bool {
        matches!(self, Item::Email | Item::AccountIds | Item::PseudonymousIds)
    }
}

/// Whether an item leaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Nothing of it can arrive.
    NotSent,
    /// It may arrive (under a condition, or because the analysis cannot exclude it).
    MayBeSent,
    /// It arrives whenever the assistant is used.
    Sent,
}

/// The form a value arrives in (the data map's attribute states).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    /// The original value.
    Raw,
    /// Parts removed by a pattern; the rest may remain.
    Masked,
    /// Cut to a length.
    Truncated,
    /// Replaced by a hash: not readable, still linkable.
    Hashed,
    /// Replaced by a constant that carries no personal data.
    Placeholder,
}

impl From<AttrState> for Form {
    fn from(s: AttrState) -> Self {
        match s {
            AttrState::Raw => Form::Raw,
            AttrState::Masked => Form::Masked,
            AttrState::Truncated => Form::Truncated,
            AttrState::Hashed => Form::Hashed,
            AttrState::Placeholder => Form::Placeholder,
        }
    }
}

/// One plain item and whether, how and where it leaves.
#[derive(Debug, Clone, Serialize)]
pub struct ItemStatus {
    /// The item.
    pub item: Item,
    /// Sent, may be sent, or not sent.
    pub status: Status,
    /// The forms in which it may arrive (placeholders included), sorted.
    pub forms: Vec<Form>,
    /// True when it arrives only hashed (readable by no one, but linkable).
    pub hashed_only: bool,
    /// True when the only trace is a constant placeholder (e.g. `<REDACTED>`).
    pub placeholder_only: bool,
    /// How personal it is (`none`, `pseudonymous`, `personal`, `content`).
    pub level: Level,
    /// Destination ids where it may arrive, sorted.
    pub destinations: Vec<String>,
    /// Attribute keys that carry it, sorted (`(unknown keys)` for keys of unknown name).
    pub keys: Vec<String>,
    /// The input lines that decide it.
    pub evidence: Vec<Cite>,
    /// The lines that remove keys of this item on the way (collector processors).
    pub removed_by: Vec<Cite>,
    /// True when it may be sent only because switches are not pinned by managed settings:
    /// without the employee's own settings or a repository's turning them on, it is not.
    pub switchable: bool,
}

/// Accumulates occurrences of one item.
#[derive(Default)]
struct Acc {
    forms: BTreeSet<Form>,
    always: bool,
    destinations: BTreeSet<String>,
    keys: BTreeSet<String>,
    evidence: Vec<Cite>,
    removed: Vec<Cite>,
    /// Some occurrence is there only because a switch is not pinned.
    opened: bool,
    /// Some occurrence is there whatever the employee's settings say.
    fixed: bool,
}

/// The status of every plain item over `destinations`, for records of `source` (all
/// sources when `None`).
pub fn statuses(destinations: &[&DestinationOut], source: Option<&str>) -> Vec<ItemStatus> {
    let mut accs: Vec<Acc> = Item::ALL.iter().map(|_| Acc::default()).collect();
    for d in destinations {
        for r in d
            .records
            .iter()
            .filter(|r| source.is_none_or(|s| r.source == s))
        {
            record(d, r, &mut accs);
        }
    }
    Item::ALL
        .iter()
        .zip(accs)
        .map(|(item, acc)| finish(*item, acc))
        .collect()
}

fn record(d: &DestinationOut, r: &RecordOut, accs: &mut [Acc]) {
    for a in &r.attributes {
        attribute(d, r, a, accs);
    }
    for rm in &r.removed {
        for item in Item::of(rm.category) {
            accs[index(*item)]
                .removed
                .extend(rm.evidence.iter().map(Cite::from));
        }
    }
    for u in &r.unknown_keys {
        let items: BTreeSet<Item> = u
            .categories
            .iter()
            .flat_map(|c| Item::of(*c))
            .copied()
            .collect();
        for item in items {
            let acc = &mut accs[index(item)];
            acc.forms.insert(Form::Raw);
            acc.fixed = true;
            acc.destinations.insert(d.id.clone());
            acc.keys.insert("(unknown keys)".into());
            acc.evidence.extend(u.evidence.iter().map(Cite::from));
        }
    }
}

fn attribute(d: &DestinationOut, r: &RecordOut, a: &AttrOut, accs: &mut [Acc]) {
    let mut items: BTreeSet<Item> = Item::of(a.category).iter().copied().collect();
    items.extend(a.also.iter().flat_map(|c| Item::of(*c)).copied());
    let always = a.presence == Presence::Always && r.presence == Presence::Always;
    let form = Form::from(a.state);
    let unpinned = a
        .evidence
        .iter()
        .chain(&r.evidence)
        .any(|e| unpinned_setting(&e.what).is_some());
    for item in items {
        let acc = &mut accs[index(item)];
        acc.forms.insert(form);
        if form != Form::Placeholder {
            acc.always |= always;
            acc.opened |= unpinned;
            acc.fixed |= !unpinned;
            acc.destinations.insert(d.id.clone());
            acc.keys.insert(a.key.clone());
        }
        acc.evidence.extend(a.evidence.iter().map(Cite::from));
    }
}

fn index(item: Item) -> usize {
    Item::ALL.iter().position(|i| *i == item).unwrap_or(0)
}

fn finish(item: Item, acc: Acc) -> ItemStatus {
    let personal: Vec<Form> = acc
        .forms
        .iter()
        .copied()
        .filter(|f| *f != Form::Placeholder)
        .collect();
    let status = match (personal.is_empty(), acc.always) {
        (true, _) => Status::NotSent,
        (false, true) => Status::Sent,
        (false, false) => Status::MayBeSent,
    };
    ItemStatus {
        item,
        status,
        hashed_only: personal == [Form::Hashed],
        placeholder_only: personal.is_empty() && !acc.forms.is_empty(),
        forms: acc.forms.into_iter().collect(),
        level: item.level(),
        destinations: acc.destinations.into_iter().collect(),
        keys: acc.keys.into_iter().collect(),
        evidence: tidy(acc.evidence, 12),
        removed_by: tidy(acc.removed, 12),
        switchable: acc.opened && !acc.fixed,
    }
}

/// The status of one item in a list built by [`statuses`].
pub fn find(list: &[ItemStatus], item: Item) -> Option<&ItemStatus> {
    list.iter().find(|s| s.item == item)
}

/// Whether the item may arrive (sent or may be sent) in that list.
pub fn leaves(list: &[ItemStatus], item: Item) -> bool {
    find(list, item).is_some_and(|s| s.status != Status::NotSent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::destination::DestinationKind;
    use crate::analysis::shape::ValueKind;

    fn attr(key: &str, category: Category, state: AttrState, presence: Presence) -> AttrOut {
        AttrOut {
            key: key.into(),
            category,
            also: Vec::new(),
            kind: ValueKind::Content,
            state,
            placeholder: None,
            presence,
            evidence: Vec::new(),
        }
    }

    fn destination(attributes: Vec<AttrOut>) -> DestinationOut {
        DestinationOut {
            id: "otlphttp/x".into(),
            kind: DestinationKind::SelfHosted,
            endpoint: None,
            leaves_device: true,
            route: Vec::new(),
            evidence: Vec::new(),
            records: vec![RecordOut {
                source: "claude-code".into(),
                signal: "logs".into(),
                name: "claude_code.tool_result".into(),
                parent: None,
                presence: Presence::Always,
                attributes,
                unknown_keys: Vec::new(),
                removed: Vec::new(),
                evidence: Vec::new(),
            }],
        }
    }

    #[test]
    fn statuses_follow_categories_states_and_presence() {
        let d = destination(vec![
            attr(
                "prompt",
                Category::PromptContent,
                AttrState::Placeholder,
                Presence::Always,
            ),
            attr(
                "tool_input",
                Category::ToolInput,
                AttrState::Raw,
                Presence::Maybe,
            ),
            attr(
                "user.email",
                Category::ContactEmail,
                AttrState::Hashed,
                Presence::Always,
            ),
        ]);
        let list = statuses(&[&d], None);
        let get = |i| find(&list, i).unwrap();
        assert_eq!(get(Item::Prompts).status, Status::NotSent);
        assert!(get(Item::Prompts).placeholder_only);
        for item in [Item::Commands, Item::FileContents, Item::FilePaths] {
            assert_eq!(get(item).status, Status::MayBeSent, "{item:?}");
        }
        assert_eq!(get(Item::Email).status, Status::Sent);
        assert!(get(Item::Email).hashed_only);
        assert_eq!(get(Item::Responses).status, Status::NotSent);
        assert!(!get(Item::Responses).placeholder_only);
        assert!(
            statuses(&[&d], Some("codex"))
                .iter()
                .all(|s| s.status == Status::NotSent)
        );
    }
}
