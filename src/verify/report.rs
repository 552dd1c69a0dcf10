//! The readable form of a verification, for the privacy officer at sign-off.

use std::fmt::Write as _;

use super::compare::{FindingKind, RecordRef, Verification};
use crate::analysis::shape::Presence;

/// The report: a verdict line, each finding with what the map says and its evidence, then
/// keys covered only as unnamed keys, then what the map allows but did not show.
pub fn human(v: &Verification) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Held {} capture{} ({} record{}) against `{}`.",
        v.captures,
        plural(v.captures),
        v.records,
        plural(v.records),
        v.destination
    );
    if v.passed() {
        out.push_str("Everything that arrived is covered by the data map.\n");
    } else {
        let _ = writeln!(
            out,
            "\n{} difference{} from the data map: the documents do not cover what arrived.",
            v.findings.len(),
            plural(v.findings.len())
        );
        for f in &v.findings {
            let what = match (f.kind, &f.key) {
                (FindingKind::RecordNotInMap, _) | (_, None) => {
                    format!("{}: arrived", record(&f.record))
                }
                (FindingKind::MoreExposed, Some(k)) => {
                    format!("{}: `{k}` arrived more exposed", record(&f.record))
                }
                (_, Some(k)) => format!("{}: `{k}` arrived", record(&f.record)),
            };
            let _ = writeln!(
                out,
                "  - {what} ({}×, first in {})\n    {}",
                f.count, f.first_seen_in, f.map_says
            );
            for e in &f.evidence {
                let place = match (&e.file, e.line) {
                    (Some(file), Some(line)) => format!(" ({file}:{line})"),
                    (Some(file), None) => format!(" ({file})"),
                    _ => String::new(),
                };
                let _ = writeln!(out, "      {}{place}", e.what);
            }
        }
    }
    if !v.unnamed.is_empty() {
        out.push_str(
            "\nCovered only as keys the data map cannot name (name them in the catalogue):\n",
        );
        for u in &v.unnamed {
            let _ = writeln!(out, "  - {}: `{}` ({})", record(&u.record), u.key, u.reason);
        }
    }
    let always = |p: Presence| {
        if p == Presence::Always {
            " (always)"
        } else {
            ""
        }
    };
    if !v.not_seen.records.is_empty() || !v.not_seen.keys.is_empty() {
        out.push_str(
            "\nAllowed by the data map but not in these captures (information: one session \
             rarely shows everything):\n",
        );
        for r in &v.not_seen.records {
            let _ = writeln!(out, "  - {}{}", record(&r.record), always(r.presence));
        }
        // Keys grouped per record, one line each.
        let mut i = 0;
        while i < v.not_seen.keys.len() {
            let r = &v.not_seen.keys[i].record;
            let same = v.not_seen.keys[i..].iter().take_while(|k| &k.record == r);
            let keys: Vec<String> = same
                .map(|k| format!("`{}`{}", k.key, always(k.presence)))
                .collect();
            i += keys.len();
            let _ = writeln!(out, "  - {}: {}", record(r), keys.join(", "));
        }
    }
    out
}

fn record(r: &RecordRef) -> String {
    match &r.parent {
        Some(p) => format!("{} `{p}` / `{}`", r.signal, r.name),
        None => format!("{} `{}`", r.signal, r.name),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
