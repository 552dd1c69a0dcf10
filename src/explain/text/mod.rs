//! The explanation as text for the employee, in their language.
//!
//! The order and the facts are the same in every language; only the sentences differ, and
//! each language's sentences sit in its own file behind [`Words`]. The kinds of data and
//! whether they are sent are worded by the notice's macros ([`phrases`]). Nothing printed
//! here is a secret or a path of the machine running the command: hosts, the paths the
//! agents know (`/etc/…`, `~/…`, `.claude/…`), setting and attribute names (with
//! `--details`) and names of environment variables, never their values.

mod de;
mod en;
mod nl;
mod phrases;

use std::fmt::Write as _;

use super::discover::Role;
use super::view::{AgentView, Decided, Explained, ItemLine, Place, Setter};
use crate::render::view::Status;

/// The languages `explain` speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Dutch.
    Nl,
    /// German.
    De,
}

impl Lang {
    /// The code the templates use.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
            Lang::De => "de",
        }
    }

    fn words(self) -> &'static dyn Words {
        match self {
            Lang::En => &en::En,
            Lang::Nl => &nl::Nl,
            Lang::De => &de::De,
        }
    }
}

/// The sentences of one language.
pub trait Words {
    /// The heading of an agent's part.
    fn title(&self, agent: &str) -> String;
    /// Whether telemetry is on and who set it.
    fn telemetry(&self, on: bool, by: Setter, fixed: bool) -> String;
    /// Heading: where it goes.
    fn where_heading(&self) -> &'static str;
    /// One place the telemetry goes to.
    fn place(&self, p: &Place) -> String;
    /// Telemetry on, but no place receives anything.
    fn no_place(&self) -> &'static str;
    /// Heading: what is sent.
    fn what_heading(&self) -> &'static str;
    /// Who decides an item that may be sent.
    fn decided(&self, d: Decided) -> String;
    /// Heading: who decides.
    fn who_heading(&self) -> &'static str;
    /// The items the employee's or a repository's settings could switch on.
    fn could_switch_on(&self, items: &str) -> String;
    /// The items the employee's or a repository's settings switched on (and could switch off).
    fn switched_on_outside(&self, items: &str) -> String;
    /// The items on by the agent's default that the employer has not locked.
    fn on_by_default(&self, items: &str) -> String;
    /// The items the employer has fixed, or that come with the telemetry itself.
    fn fixed(&self, items: &str) -> String;
    /// Heading: the vendor.
    fn vendor_heading(&self) -> &'static str;
    /// The vendor's hosts as a phrase (some may have no host in the configuration).
    fn vendor_hosts(&self, hosts: &str, unnamed: bool) -> String;
    /// What the vendor receives directly, and where.
    fn vendor(&self, agent: &str, hosts: &str, items: &str) -> String;
    /// Heading: after the first stop.
    fn after_heading(&self) -> &'static str;
    /// What cannot be seen after a host, and the question to ask.
    fn after(&self, host: &str) -> String;
    /// The same for a destination whose host the configuration does not say.
    fn after_unknown(&self) -> &'static str;
    /// Heading: what was read.
    fn read_heading(&self) -> &'static str;
    /// Who stands behind a file.
    fn role(&self, r: Role) -> &'static str;
    /// The environment line.
    fn env(&self, count: usize) -> String;
    /// An agent with nothing on this machine.
    fn absent(&self, agent: &str) -> String;
    /// No agent has anything on this machine.
    fn nothing(&self) -> &'static str;
    /// Labels for `--details`.
    fn details(&self) -> (&'static str, &'static str);
    /// The closing line: secrets are never shown.
    fn no_secrets(&self) -> &'static str;
    /// "and" for lists.
    fn and(&self) -> &'static str;
}

/// Writes the explanation.
pub fn render(e: &Explained, lang: Lang, details: bool) -> String {
    let w = lang.words();
    let mut out = String::new();
    if e.agents.is_empty() {
        let _ = writeln!(out, "{}", w.nothing());
    }
    for a in &e.agents {
        agent(&mut out, a, w, lang.code(), details);
    }
    for a in &e.absent {
        let _ = writeln!(out, "{}", w.absent(a.name()));
    }
    if !e.absent.is_empty() {
        out.push('\n');
    }
    if !e.env_keys.is_empty() {
        let keys = if details {
            format!(" ({})", e.env_keys.join(", "))
        } else {
            String::new()
        };
        let _ = writeln!(out, "{}{keys}", w.env(e.env_keys.len()));
    }
    let _ = writeln!(out, "{}", w.no_secrets());
    out
}

fn agent(out: &mut String, a: &AgentView, w: &dyn Words, lang: &str, details: bool) {
    let name = a.agent.name();
    let _ = writeln!(out, "{}\n", w.title(name));
    let mut line = w.telemetry(a.telemetry_on, a.telemetry_set_by, a.telemetry_fixed);
    if details && let Some(s) = &a.telemetry_setting {
        line.push_str(&format!(" [{s}]"));
    }
    let _ = writeln!(out, "{line}\n");
    if a.telemetry_on || !a.places.is_empty() {
        let _ = writeln!(out, "{}", w.where_heading());
        for p in &a.places {
            let id = if details {
                format!(" [{}]", p.id)
            } else {
                String::new()
            };
            let _ = writeln!(out, "- {}{id}", w.place(p));
        }
        if a.places.is_empty() {
            let _ = writeln!(out, "- {}", w.no_place());
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{}", w.what_heading());
    for i in &a.items {
        item(out, i, w, lang, details);
    }
    out.push('\n');
    who(out, a, w, lang);
    vendor(out, a, w, lang);
    after(out, a, w);
    if !a.read.is_empty() {
        let _ = writeln!(out, "{}", w.read_heading());
        for f in &a.read {
            let _ = writeln!(out, "- {} ({})", f.shown, w.role(f.role));
        }
        out.push('\n');
    }
}

fn item(out: &mut String, i: &ItemLine, w: &dyn Words, lang: &str, details: bool) {
    let s = &i.status;
    let mut line = format!(
        "- {}: {}",
        phrases::capital(&phrases::item(lang, s.item)),
        phrases::status(lang, s)
    );
    if let Some(d) = i.decided {
        line.push_str(&format!(" ({})", w.decided(d)));
    }
    line.push('.');
    let _ = writeln!(out, "{line}");
    if details && s.status != Status::NotSent {
        let (settings, keys) = w.details();
        if !i.settings.is_empty() {
            let _ = writeln!(out, "    {settings}: {}", i.settings.join(", "));
        }
        if !s.keys.is_empty() {
            let _ = writeln!(out, "    {keys}: {}", s.keys.join(", "));
        }
    }
}

/// Joins phrases as a sentence lists them.
fn list(parts: &[String], and: &str) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {and} {last}", rest.join(", ")),
    }
}

fn who(out: &mut String, a: &AgentView, w: &dyn Words, lang: &str) {
    let names = |f: &dyn Fn(Decided) -> bool| -> Vec<String> {
        a.items
            .iter()
            .filter(|i| i.decided.is_some_and(f))
            .map(|i| phrases::item(lang, i.status.item))
            .collect()
    };
    let open = names(&|d| d == Decided::Open);
    let outside = names(&|d| matches!(d, Decided::By(s) if s != Setter::Default));
    let default_on = names(&|d| d == Decided::By(Setter::Default));
    let fixed =
        names(&|d| d == Decided::Employer || (d == Decided::WithTelemetry && a.telemetry_fixed));
    if open.is_empty() && outside.is_empty() && fixed.is_empty() && default_on.is_empty() {
        return;
    }
    let _ = writeln!(out, "{}", w.who_heading());
    if !fixed.is_empty() {
        let _ = writeln!(out, "- {}", w.fixed(&list(&fixed, w.and())));
    }
    if !outside.is_empty() {
        let _ = writeln!(out, "- {}", w.switched_on_outside(&list(&outside, w.and())));
    }
    if !default_on.is_empty() {
        let _ = writeln!(out, "- {}", w.on_by_default(&list(&default_on, w.and())));
    }
    if !open.is_empty() {
        let _ = writeln!(out, "- {}", w.could_switch_on(&list(&open, w.and())));
    }
    out.push('\n');
}

fn vendor(out: &mut String, a: &AgentView, w: &dyn Words, lang: &str) {
    if !a.vendor.receives {
        return;
    }
    let items: Vec<String> = a
        .vendor
        .items
        .iter()
        .filter(|s| s.status != Status::NotSent)
        .map(|s| {
            format!(
                "{} ({})",
                phrases::item(lang, s.item),
                phrases::status(lang, s)
            )
        })
        .collect();
    let _ = writeln!(out, "{}", w.vendor_heading());
    let _ = writeln!(
        out,
        "{}\n",
        w.vendor(
            a.agent.name(),
            &w.vendor_hosts(&a.vendor.hosts.join(", "), a.vendor.unnamed),
            &items.join("; ")
        )
    );
}

fn after(out: &mut String, a: &AgentView, w: &dyn Words) {
    let leaving: Vec<&Place> = a.places.iter().filter(|p| p.leaves).collect();
    if leaving.is_empty() {
        return;
    }
    let _ = writeln!(out, "{}", w.after_heading());
    let mut hosts: Vec<&str> = leaving.iter().filter_map(|p| p.host.as_deref()).collect();
    hosts.dedup();
    for h in hosts {
        let _ = writeln!(out, "- {}", w.after(h));
    }
    if leaving.iter().any(|p| p.host.is_none()) {
        let _ = writeln!(out, "- {}", w.after_unknown());
    }
    out.push('\n');
}
