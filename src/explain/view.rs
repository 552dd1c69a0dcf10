//! What `explain` says, as facts: per agent, whether telemetry is on and who set it, where
//! it goes, and for each kind of data whether it is sent and who decides.
//!
//! Every yes/no comes from the notice's own view model ([`crate::render::view::build`]
//! over the same analysis): the per-agent item statuses are the very values the notice
//! words, so the two cannot disagree. Who decides an item is read from the settings that
//! the data map cites for it, matched with the agent's resolved gates (managed or not).

use super::discover::{Agent, Discovery, Found};
use crate::analysis::map::DestinationOut;
use crate::analysis::run::Analysis;
use crate::diag::Diagnostic;
use crate::files::Files;
use crate::render::view::{self, Item, ItemStatus, SourceView, Status, ViewInputs, host_of};
use crate::sources::{EffectiveSettings, Provenance, Tier};

/// The kinds of data `explain` speaks about, in the order it lists them: what an employee
/// asks about at the consent prompt.
pub const KINDS: &[Item] = &[
    Item::Prompts,
    Item::Responses,
    Item::Commands,
    Item::ToolResults,
    Item::FileContents,
    Item::FilePaths,
    Item::Email,
    Item::AccountIds,
    Item::PseudonymousIds,
    Item::UsageCost,
];

/// Who set a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Setter {
    /// The employer's managed settings (cannot be changed by the employee).
    Employer,
    /// A system-wide default the employer put on the machine (the employee can change it).
    EmployerDefault,
    /// The employee's own settings file.
    Own,
    /// A repository's settings.
    Repository,
    /// The process environment.
    Environment,
    /// The agent's command line.
    CommandLine,
    /// Nobody: the agent's default.
    Default,
}

impl Setter {
    /// Who set a value with this provenance.
    pub fn of(p: &Provenance) -> Setter {
        match p {
            Provenance::Default => Setter::Default,
            Provenance::ProcessEnv { .. } | Provenance::EnvOverride { .. } => Setter::Environment,
            Provenance::CommandLine { .. } => Setter::CommandLine,
            Provenance::SettingsFile { tier, .. } => match tier {
                Tier::User => Setter::Own,
                Tier::Project => Setter::Repository,
                Tier::SystemDefaults => Setter::EmployerDefault,
                Tier::CommandLine => Setter::CommandLine,
                _ => Setter::Employer,
            },
        }
    }
}

/// Who decides whether an item that may leave is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decided {
    /// A switch the employer's managed settings fix.
    Employer,
    /// A switch set outside the managed settings: whoever set it can set it back.
    By(Setter),
    /// Off now, but not locked: the employee's or a repository's settings can switch it on.
    Open,
    /// It comes with the telemetry itself; no separate switch.
    WithTelemetry,
}

/// One kind of data for one agent.
#[derive(Debug, Clone)]
pub struct ItemLine {
    /// The notice's value for this kind and agent: sent, may be sent, not sent, in which
    /// form, carried by which attribute keys.
    pub status: ItemStatus,
    /// Who decides; `None` when it is not sent.
    pub decided: Option<Decided>,
    /// The settings that decide it (for `--details`).
    pub settings: Vec<String>,
}

/// A place the telemetry goes to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    /// The host, when the configuration says it.
    pub host: Option<String>,
    /// Whether data leaves this machine there (as the data map says).
    pub leaves: bool,
    /// A program on this machine (`localhost`) that may pass the data on.
    pub local_relay: bool,
    /// The data map's id (for `--details`).
    pub id: String,
}

/// What the vendor of the agent receives directly.
#[derive(Debug, Clone)]
pub struct VendorView {
    /// Whether anything goes to the vendor directly.
    pub receives: bool,
    /// Hosts of the vendor's services this agent talks to, sorted.
    pub hosts: Vec<String>,
    /// Some of them have no host in the configuration or the catalogue.
    pub unnamed: bool,
    /// The kinds of data that may reach them (the notice's vendor values).
    pub items: Vec<ItemStatus>,
}

/// One agent.
#[derive(Debug, Clone)]
pub struct AgentView {
    /// The agent.
    pub agent: Agent,
    /// Whether OpenTelemetry export is on.
    pub telemetry_on: bool,
    /// Who set the switch.
    pub telemetry_set_by: Setter,
    /// Whether managed settings fix the switch.
    pub telemetry_fixed: bool,
    /// The setting behind the switch (for `--details`).
    pub telemetry_setting: Option<String>,
    /// Where the telemetry goes.
    pub places: Vec<Place>,
    /// Each kind of data.
    pub items: Vec<ItemLine>,
    /// What the vendor receives regardless.
    pub vendor: VendorView,
    /// The settings files of this agent that were read.
    pub read: Vec<Found>,
}

/// Everything `explain` prints.
#[derive(Debug, Clone)]
pub struct Explained {
    /// The agents set up on this machine.
    pub agents: Vec<AgentView>,
    /// The agents with nothing on this machine.
    pub absent: Vec<Agent>,
    /// Names of the environment variables read (never values).
    pub env_keys: Vec<String>,
}

/// Builds the explanation from the analysis, through the notice's view model.
pub fn explain(
    analysis: &Analysis,
    files: &Files,
    diagnostics: &[Diagnostic],
    discovery: &Discovery,
) -> Explained {
    let notice = view::build(&ViewInputs {
        project: None,
        analysis,
        files,
        diagnostics,
        inputs: Vec::new(),
        lang: "en",
        date: None,
    });
    let agents = analysis
        .settings
        .iter()
        .zip(&notice.sources)
        .filter_map(|(s, v)| {
            let agent = Agent::of_source(&s.source)?;
            Some(agent_view(
                agent,
                s,
                v,
                &analysis.map.destinations,
                discovery,
            ))
        })
        .collect();
    Explained {
        agents,
        absent: discovery.absent.clone(),
        env_keys: discovery.env_keys.clone(),
    }
}

fn agent_view(
    agent: Agent,
    s: &EffectiveSettings,
    v: &SourceView,
    destinations: &[DestinationOut],
    discovery: &Discovery,
) -> AgentView {
    let of_agent = |d: &&DestinationOut| d.records.iter().any(|r| r.source == s.source);
    let mut places: Vec<Place> = destinations
        .iter()
        .filter(of_agent)
        .filter(|d| !d.id.starts_with("vendor:"))
        .map(|d| {
            let host = d.endpoint.as_deref().and_then(host_of);
            Place {
                local_relay: d.leaves_device && host.as_deref().is_some_and(is_loopback),
                host,
                leaves: d.leaves_device,
                id: d.id.clone(),
            }
        })
        .collect();
    places.sort();
    places.dedup();
    let mut hosts: Vec<Option<String>> = destinations
        .iter()
        .filter(of_agent)
        .filter(|d| d.id.starts_with("vendor:") && d.leaves_device)
        .map(|d| d.endpoint.as_deref().and_then(host_of))
        .collect();
    hosts.sort();
    hosts.dedup();
    let items = KINDS
        .iter()
        .filter_map(|k| v.collected.iter().find(|i| i.item == *k))
        .map(|i| item_line(i, s))
        .collect();
    let vendor_items = KINDS
        .iter()
        .filter_map(|k| v.vendor_received.iter().find(|i| i.item == *k))
        .cloned()
        .collect();
    let telemetry_setting = match &s.telemetry.provenance {
        Provenance::SettingsFile { key, .. } => Some(key.clone()),
        Provenance::EnvOverride { var, .. } => Some(var.clone()),
        _ => None,
    };
    AgentView {
        agent,
        telemetry_on: v.telemetry_enabled,
        telemetry_set_by: telemetry_setter(s),
        telemetry_fixed: v.telemetry_fixed_by_policy,
        telemetry_setting,
        places,
        items,
        vendor: VendorView {
            unnamed: hosts.iter().any(Option::is_none),
            receives: !hosts.is_empty(),
            hosts: hosts.into_iter().flatten().collect(),
            items: vendor_items,
        },
        read: discovery
            .read
            .iter()
            .filter(|f| f.agent == agent)
            .cloned()
            .collect(),
    }
}

/// Who switched telemetry on or off. An agent without a master switch (Codex CLI) is on
/// because an exporter was chosen: then whoever chose the first exported signal's exporter.
fn telemetry_setter(s: &EffectiveSettings) -> Setter {
    let master = Setter::of(&s.telemetry.provenance);
    if master != Setter::Default || !s.telemetry.enabled {
        return master;
    }
    s.signals
        .iter()
        .filter(|x| x.exported)
        .map(|x| Setter::of(&x.selected_by))
        .find(|x| *x != Setter::Default)
        .unwrap_or(Setter::Default)
}

/// A host name that means this machine.
fn is_loopback(host: &str) -> bool {
    host == "localhost" || host.starts_with("127.") || host == "[::1]" || host == "0.0.0.0"
}

/// The setting an evidence text names: `NAME=value`, `NAME (note)` or `NAME`.
fn setting_of(what: &str) -> &str {
    let end = what.find(['=', ' ']).unwrap_or(what.len());
    &what[..end]
}

fn item_line(i: &ItemStatus, s: &EffectiveSettings) -> ItemLine {
    let named: Vec<&str> = i.evidence.iter().map(|c| setting_of(&c.what)).collect();
    let gates: Vec<&crate::sources::effective::Gate> = s
        .gates
        .iter()
        .filter(|g| named.contains(&g.name.as_str()))
        .collect();
    let decided = match i.status {
        Status::NotSent => None,
        _ if i.switchable => Some(Decided::Open),
        _ => {
            let own = gates.iter().find(|g| {
                g.enabled && !g.fixed_by_policy && !matches!(g.provenance, Provenance::Default)
            });
            let open_default = gates.iter().any(|g| {
                g.enabled && !g.fixed_by_policy && matches!(g.provenance, Provenance::Default)
            });
            if let Some(g) = own {
                Some(Decided::By(Setter::of(&g.provenance)))
            } else if open_default {
                Some(Decided::By(Setter::Default))
            } else if gates.iter().any(|g| g.fixed_by_policy) {
                Some(Decided::Employer)
            } else {
                Some(Decided::WithTelemetry)
            }
        }
    };
    ItemLine {
        status: i.clone(),
        decided,
        settings: gates.iter().map(|g| g.name.clone()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::setting_of;

    #[test]
    fn evidence_names_its_setting() {
        assert_eq!(
            setting_of("OTEL_LOG_USER_PROMPTS=1"),
            "OTEL_LOG_USER_PROMPTS"
        );
        assert_eq!(
            setting_of("OTEL_LOG_TOOL_DETAILS (not pinned by managed settings: …)"),
            "OTEL_LOG_TOOL_DETAILS"
        );
        assert_eq!(setting_of("otel.log_user_prompt"), "otel.log_user_prompt");
    }
}
