//! The diff as a Markdown comment for a pull request: what now leaves employees'
//! machines, where to, in what form, and what the change sets in motion. Text from the
//! inputs is put in code spans or escaped, so a name cannot break the comment's layout.

use std::fmt::Write as _;

use super::model::*;
use crate::analysis::shape::AttrState;
use crate::taxonomy::Category;

/// The comment.
pub fn markdown(d: &Diff) -> String {
    let mut out = String::from("## otel-dpia: what this change does to employee data\n\n");
    let _ = writeln!(out, "Compared {} → {}.\n", code(&d.base), code(&d.head));
    out.push_str(verdict(d.direction));
    if let Some(f) = &d.fix {
        let _ = writeln!(
            out,
            "\n**`check` fails on this change** ({}). To meet the policy, {} shows the changes to the managed settings and collectors and proves them by analysing again; add `--write` to make them.",
            f.rules.join(", "),
            code(&f.command)
        );
    }
    if d.direction == Direction::Unchanged {
        return out;
    }
    categories(&mut out, d);
    destinations(&mut out, d);
    states(&mut out, d);
    changes(&mut out, "Settings that changed", &d.settings);
    changes(&mut out, "Facts in dpia.yaml that changed", &d.facts);
    consequences(&mut out, d);
    out
}

fn verdict(direction: Direction) -> &'static str {
    match direction {
        Direction::Unchanged => {
            "**No change** to what leaves employees' machines, in what form, or to the facts the documents state.\n"
        }
        Direction::Widening => "**This change widens** what is collected about employees.\n",
        Direction::Narrowing => "**This change narrows** what is collected about employees.\n",
        Direction::Mixed => {
            "**This change both widens and narrows** what is collected about employees.\n"
        }
        Direction::Changed => {
            "**This change alters** where employee data goes or the facts the documents state.\n"
        }
    }
}

/// Text in a code span, safe whatever it contains.
fn code(text: &str) -> String {
    let clean = text.replace(['`', '\n', '\r'], "'").replace('|', "\\|");
    format!("`{clean}`")
}

/// Plain text with Markdown and HTML specials escaped.
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// "`key` in `record`" with both parts as code spans.
fn example(text: &str) -> String {
    match text
        .strip_prefix('`')
        .and_then(|t| t.strip_suffix('`'))
        .and_then(|t| t.split_once("` in `"))
    {
        Some((key, record)) => format!("{} in {}", code(key), code(record)),
        None => plain(text),
    }
}

fn category(c: Category) -> String {
    format!("{} ({})", c.info().label, code(c.key()))
}

fn list(items: impl IntoIterator<Item = String>) -> String {
    let v: Vec<String> = items.into_iter().collect();
    if v.is_empty() {
        "—".to_string()
    } else {
        v.join(", ")
    }
}

fn categories(out: &mut String, d: &Diff) {
    if !d.categories_now_leaving.is_empty() {
        out.push_str("\n### Data that now leaves the device\n\n| Category | Now reaches | Carried by |\n|---|---|---|\n");
        for c in &d.categories_now_leaving {
            let note = c
                .before
                .as_ref()
                .map(|b| format!(" (before: {})", plain(b)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "| {}{note} | {} | {} |",
                category(c.category),
                list(c.destinations.iter().map(|x| code(x))),
                list(c.examples.iter().map(|x| example(x)))
            );
        }
    }
    if !d.categories_stopped.is_empty() {
        out.push_str("\n### Data that no longer leaves the device\n\n| Category | No longer reaches |\n|---|---|\n");
        for c in &d.categories_stopped {
            let _ = writeln!(
                out,
                "| {} | {} |",
                category(c.category),
                list(c.destinations.iter().map(|x| code(x)))
            );
        }
    }
}

fn destination_line(s: &DestinationSummary) -> String {
    let endpoint = s
        .endpoint
        .as_deref()
        .map(|e| format!(" at {}", code(e)))
        .unwrap_or_default();
    let reach = if s.leaves_device {
        "off the device"
    } else {
        "on the device"
    };
    format!(
        "- {} ({}{endpoint}, {reach}): {}\n",
        code(&s.id),
        s.kind.as_str(),
        list(s.categories.iter().map(|c| code(c.key())))
    )
}

fn destinations(out: &mut String, d: &Diff) {
    if !d.destinations_added.is_empty() {
        out.push_str("\n### New destinations\n\n");
        for s in &d.destinations_added {
            out.push_str(&destination_line(s));
        }
    }
    if !d.destinations_removed.is_empty() {
        out.push_str("\n### Destinations no longer used\n\n");
        for s in &d.destinations_removed {
            out.push_str(&destination_line(s));
        }
    }
    changes(out, "Destinations that changed", &d.destinations_changed);
}

fn state(s: AttrState) -> &'static str {
    match s {
        AttrState::Raw => "readable",
        AttrState::Masked => "masked by a pattern",
        AttrState::Truncated => "truncated",
        AttrState::Hashed => "hashed",
        AttrState::Placeholder => "replaced by a constant",
    }
}

fn states(out: &mut String, d: &Diff) {
    if d.state_changes.is_empty() {
        return;
    }
    out.push_str("\n### Changes in form\n\n| Destination | Attribute | Before | After |\n|---|---|---|---|\n");
    for s in &d.state_changes {
        let mark = if s.widening { " ⚠" } else { "" };
        let _ = writeln!(
            out,
            "| {} | {} ({}) | {} | {}{mark} |",
            code(&s.destination),
            code(&s.key),
            code(s.category.key()),
            state(s.from),
            state(s.to)
        );
    }
}

fn value(v: &Option<String>) -> String {
    v.as_deref().map(code).unwrap_or_else(|| "not set".into())
}

fn changes(out: &mut String, title: &str, items: &[Change]) {
    if items.is_empty() {
        return;
    }
    let _ = write!(out, "\n### {title}\n\n");
    for c in items {
        let judged = match c.widening {
            Some(true) => " — widens",
            Some(false) => " — narrows",
            None => "",
        };
        let at =
            c.at.as_deref()
                .filter(|a| *a != "default")
                .map(|a| format!(" ({})", code(a)))
                .unwrap_or_default();
        let _ = writeln!(
            out,
            "- {} {}: {} → {}{at}{judged}",
            plain(&c.subject),
            code(&c.field),
            value(&c.from),
            value(&c.to)
        );
    }
}

fn consequences(out: &mut String, d: &Diff) {
    if d.consequences.is_empty() {
        return;
    }
    out.push_str("\n### What this sets in motion\n\n");
    for (i, c) in d.consequences.iter().enumerate() {
        let _ = writeln!(out, "{}. **{}** ({}): {}", i + 1, c.title, c.law, c.text);
    }
}
