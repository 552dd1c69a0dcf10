//! English: the notice's voice (second person, plain words, short sentences).

use super::super::discover::Role;
use super::super::view::{Decided, Place, Setter};
use super::Words;

/// English.
pub struct En;

fn by(s: Setter) -> &'static str {
    match s {
        Setter::Employer => "your employer's managed settings",
        Setter::EmployerDefault => "a default your employer put on this machine",
        Setter::Own => "your own settings",
        Setter::Repository => "a repository's settings",
        Setter::Environment => "the environment the assistant starts in",
        Setter::CommandLine => "the assistant's command line",
        Setter::Default => "nobody (it is the assistant's default)",
    }
}

impl Words for En {
    fn title(&self, agent: &str) -> String {
        format!("== What {agent} on this machine sends")
    }

    fn telemetry(&self, on: bool, setter: Setter, fixed: bool) -> String {
        let state = if on { "ON" } else { "OFF" };
        let lock = if fixed {
            "You cannot change this yourself."
        } else if on {
            "Your employer has not locked this switch; changing it yourself may break your employer's rules, so ask first."
        } else {
            "Your employer has not locked this switch: your own settings or a repository's settings could switch it on."
        };
        format!(
            "Telemetry (information about how you use the assistant, sent to your employer) is {state}. This was set by {}. {lock}",
            by(setter)
        )
    }

    fn where_heading(&self) -> &'static str {
        "Where it goes:"
    }

    fn place(&self, p: &Place) -> String {
        match (&p.host, p.leaves, p.local_relay) {
            (Some(h), true, true) => format!(
                "to a program on this machine ({h}); it can pass the data on, so count it as leaving this machine"
            ),
            (Some(h), true, false) => format!("to {h}; it leaves this machine"),
            (None, true, _) => {
                "to a place the settings do not name; count it as leaving this machine".into()
            }
            (Some(h), false, _) => format!("to {h}; it stays on this machine"),
            (None, false, _) => {
                "into a file or output on this machine; it stays on this machine".into()
            }
        }
    }

    fn no_place(&self) -> &'static str {
        "nowhere: no place to send it to is set, so nothing leaves this machine as telemetry"
    }

    fn what_heading(&self) -> &'static str {
        "What is sent to your employer:"
    }

    fn decided(&self, d: Decided) -> String {
        match d {
            Decided::Employer => "fixed by your employer".into(),
            Decided::By(Setter::Default) => {
                "the assistant's default; your own settings or a repository's could switch it off"
                    .into()
            }
            Decided::By(s) => format!("switched on by {}", by(s)),
            Decided::Open => {
                "off now, but your own settings or a repository's settings can switch it on".into()
            }
            Decided::WithTelemetry => "it comes with the telemetry itself".into(),
        }
    }

    fn who_heading(&self) -> &'static str {
        "Who decides:"
    }

    fn could_switch_on(&self, items: &str) -> String {
        format!(
            "Not locked by your employer: {items}. Your own settings file, or the settings file of a repository you open, can switch these on; they then go to the same places."
        )
    }

    fn switched_on_outside(&self, items: &str) -> String {
        format!(
            "Switched on outside your employer's managed settings: {items}. Whoever set them (you, a repository or the environment) can switch them off again."
        )
    }

    fn on_by_default(&self, items: &str) -> String {
        format!(
            "On by the assistant's default, not locked by your employer: {items}. Your own settings or a repository's settings could switch these off."
        )
    }

    fn fixed(&self, items: &str) -> String {
        format!("Fixed by your employer: {items}. Your own settings cannot change this.")
    }

    fn vendor_heading(&self) -> &'static str {
        "What the vendor receives anyway:"
    }

    fn vendor_hosts(&self, hosts: &str, unnamed: bool) -> String {
        match (hosts.is_empty(), unnamed) {
            (true, _) => "the vendor's services".into(),
            (false, true) => format!("{hosts} {} other services of the vendor", self.and()),
            (false, false) => hosts.to_string(),
        }
    }

    fn vendor(&self, agent: &str, hosts: &str, items: &str) -> String {
        let what = if items.is_empty() {
            String::new()
        } else {
            format!(" What may reach the vendor this way: {items}.")
        };
        format!(
            "To work at all, {agent} sends your requests, with the code and files it works on, to the AI service. The vendor also receives some data about how the product is used. This is not telemetry to your employer, and the settings above do not change it. It goes directly from this machine to {hosts}.{what}"
        )
    }

    fn after_heading(&self) -> &'static str {
        "What this machine cannot show you:"
    }

    fn after(&self, host: &str) -> String {
        format!(
            "What happens after {host} (a collector or a service) is not visible from this machine. Ask your employer's privacy contact what the collector removes or keeps, who can read the data and how long it is kept."
        )
    }

    fn after_unknown(&self) -> &'static str {
        "Where some of the data goes is not visible from this machine. Ask your employer's privacy contact where it goes, who can read it and how long it is kept."
    }

    fn read_heading(&self) -> &'static str {
        "Settings read:"
    }

    fn role(&self, r: Role) -> &'static str {
        match r {
            Role::Managed => "your employer's managed settings",
            Role::SystemDefaults => "defaults your employer set; you can change them",
            Role::User => "your own settings",
            Role::Project => "this repository's settings",
        }
    }

    fn env(&self, count: usize) -> String {
        let s = if count == 1 { "" } else { "s" };
        format!(
            "Also read: {count} telemetry variable{s} of the environment (values are not shown)."
        )
    }

    fn absent(&self, agent: &str) -> String {
        format!(
            "{agent}: no settings found on this machine; nothing here makes it send telemetry to your employer."
        )
    }

    fn nothing(&self) -> &'static str {
        "No settings of Claude Code, Codex CLI or Gemini CLI were found on this machine.\n"
    }

    fn details(&self) -> (&'static str, &'static str) {
        ("settings", "attributes")
    }

    fn no_secrets(&self) -> &'static str {
        "Secrets (tokens, keys, header values) are never shown."
    }

    fn and(&self) -> &'static str {
        "and"
    }
}
