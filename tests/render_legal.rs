//! The rendered English documents of every bundled example carry what the law asks of
//! them, as concrete facts from the example's dpia.yaml and data map: each item of GDPR
//! Art. 13(1)–(2) in the notice, Art. 35(7)(a)–(d) in the DPIA, and WOR art. 27(2) (or the
//! BetrVG §87(1) Nr. 6 points) in the works-council pack.

mod render_support;

use otel_dpia::project::{Language, LegalBasis, Project, Text, WorksCouncilLaw, is_eea};
use render_support::*;

struct Rendered {
    project: Project,
    notice: String,
    dpia: String,
    council: String,
}

/// Renders one example to Markdown and returns the visible text of each document.
fn rendered(name: &str) -> Rendered {
    let out = tempfile::tempdir().unwrap();
    render(&example(name), out.path(), &["--format", "md"]);
    let text = std::fs::read_to_string(example(name)).unwrap();
    Rendered {
        project: serde_norway::from_str(&text).unwrap(),
        notice: visible_md(&read(out.path(), "en/notice.md")),
        dpia: visible_md(&read(out.path(), "en/dpia.md")),
        council: visible_md(&read(out.path(), "en/works-council.md")),
    }
}

fn has(doc: &str, what: &str, needle: &str) {
    let needle = flat(needle);
    assert!(doc.contains(&needle), "{what}: `{needle}` not found");
}

#[test]
fn notice_gives_every_article_13_item() {
    for name in EXAMPLES {
        let r = rendered(name);
        let p = &r.project;
        let n = &r.notice;
        let org = p.organisation.as_ref().unwrap();
        // 13(1)(a): controller identity and contact.
        has(n, "13(1)(a) controller", org.name.as_deref().unwrap());
        has(
            n,
            "13(1)(a) contact",
            org.privacy_contact.as_deref().unwrap(),
        );
        // 13(1)(b): DPO contact.
        has(
            n,
            "13(1)(b) DPO",
            p.dpo.as_ref().unwrap().email.as_deref().unwrap(),
        );
        // 13(1)(c),(d): purposes, each legal basis, legitimate interests.
        for purpose in &p.purposes {
            has(n, "13(1)(c) purpose", &text(&purpose.description));
            assert_eq!(purpose.legal_basis, Some(LegalBasis::LegitimateInterests));
            has(
                n,
                "13(1)(c) legal basis",
                "Art. 6(1)(f) GDPR: legitimate interests",
            );
            has(n, "13(1)(d) interest", &text(&purpose.legitimate_interest));
        }
        for d in &p.destinations {
            // 13(1)(e): recipients.
            has(n, "13(1)(e) recipient", &text(&d.recipient));
            // 13(1)(f): third country and safeguard.
            let vendor = d
                .exporter
                .as_deref()
                .is_some_and(|e| e.starts_with("vendor:"));
            let country = d.country.as_deref().unwrap();
            if is_eea(country) {
                has(
                    n,
                    "13(1)(f) EEA",
                    &format!("Country: {country} (inside the EEA)"),
                );
            } else {
                // A vendor's facts stand in a table row, a telemetry destination's in a list.
                let label = if vendor { "" } else { "Country: " };
                has(
                    n,
                    "13(1)(f) third country",
                    &format!("{label}{country} (outside the EEA)"),
                );
                has(
                    n,
                    "13(1)(f) safeguard",
                    "standard contractual clauses (Art. 46(2)(c) GDPR)",
                );
                has(n, "13(1)(f) copy", "for a copy of the safeguards");
            }
            // 13(2)(a): storage period per destination; who can read it.
            has(
                n,
                "13(2)(a) retention",
                &format!(
                    "{}{} days",
                    if vendor { "" } else { "kept for " },
                    d.retention_days.unwrap()
                ),
            );
            has(n, "access", &d.access.as_ref().unwrap().join(", "));
        }
        // 13(2)(b): the rights.
        for right in [
            "(access, Article 15",
            "(rectification, Article 16)",
            "(erasure, Article 17)",
            "(restriction, Article 18)",
            "(data portability, Article 20)",
            "(objection, Article 21)",
        ] {
            has(n, "13(2)(b) rights", right);
        }
        // 13(2)(c): consent withdrawal (no purpose rests on consent in the examples).
        has(n, "13(2)(c) consent", "no consent to withdraw");
        // 13(2)(d): complaint to the authority.
        has(
            n,
            "13(2)(d) complaint",
            org.supervisory_authority.as_deref().unwrap(),
        );
        // 13(2)(e): statutory or contractual requirement.
        has(
            n,
            "13(2)(e) requirement",
            "No law and no contract clause requires you to provide this data",
        );
        // 13(2)(f): automated decisions.
        has(
            n,
            "13(2)(f) automated decisions",
            "no automated decision about you is based on it",
        );
        // The concrete sentences employees ask for.
        has(
            n,
            "performance",
            "The data is not used to assess your performance or behaviour",
        );
        for start in [
            "Your prompts (what you type) ",
            "The text of commands Claude Code runs ",
            "The content of files Claude Code reads or writes ",
            "Your e-mail address ",
        ] {
            let endings = [
                "are sent.",
                "are not sent.",
                "may be sent.",
                "is sent.",
                "is not sent.",
                "is attached.",
                "is not attached.",
                "may be attached.",
                "only as a hash",
            ];
            let found = endings.iter().any(|e| {
                n.contains(&format!("{start}{e}"))
                    || n.contains(&format!("{start}are sent {e}"))
                    || n.contains(&format!("{start}is sent {e}"))
                    || n.contains(&format!("{start}is attached {e}"))
            });
            assert!(found, "{name}: no plain sentence starting `{start}`");
        }
        has(n, "table", "What is collected What is not collected");
    }
}

#[test]
fn notice_says_prompts_are_sent_where_the_gate_is_on_without_a_collector() {
    let r = rendered("content-to-us-saas");
    has(
        &r.notice,
        "prompts",
        "Your prompts (what you type) are sent.",
    );
    has(&r.notice, "country", "Country: US (outside the EEA)");
    has(&r.notice, "retention", "The data is kept for 60 days.");
    let files = rendered("dutch-employer");
    has(
        &files.notice,
        "file contents",
        "The content of files Claude Code reads or writes is not sent.",
    );
}

#[test]
fn dpia_covers_article_35_7_a_to_d() {
    for name in EXAMPLES {
        let r = rendered(name);
        let d = &r.dpia;
        let p = &r.project;
        // (a) systematic description: purposes, legitimate interests, recipients, retention.
        has(d, "(a)", "This section covers Article 35(7)(a)");
        for purpose in &p.purposes {
            has(d, "(a) purpose", &text(&purpose.description));
            has(d, "(a) interest", &text(&purpose.legitimate_interest));
        }
        for dest in &p.destinations {
            has(d, "(a) recipient", &text(&dest.recipient));
            has(
                d,
                "(a) retention",
                &format!("{} days", dest.retention_days.unwrap()),
            );
        }
        has(d, "(a) data", "Personal data in the employer's telemetry");
        // (b) necessity and proportionality.
        has(d, "(b)", "This section covers Article 35(7)(b)");
        for item in [
            "Data minimisation (Art. 5(1)(c))",
            "Storage limitation (Art. 5(1)(e))",
            "Processors (Art. 28)",
            "International transfers (Chapter V)",
            "Prior consultation (Art. 36)",
        ] {
            has(d, "(b) item", item);
        }
        // (c) risks, scored.
        has(d, "(c)", "This section covers Article 35(7)(c)");
        has(d, "(c) risk", "Ranking or assessing individual employees");
        has(
            d,
            "(c) risk",
            "Secrets or personal data pasted by accident reach an external party",
        );
        // (d) measures: declared ones by id, residual risk.
        has(d, "(d)", "This section covers Article 35(7)(d)");
        for m in &p.measures {
            has(d, "(d) declared measure", &m.id);
        }
        has(d, "(d) residual", "Residual risk");
        // Screening and consultation.
        has(
            d,
            "WP248",
            "Vulnerable data subjects met the data subjects are employees",
        );
        has(
            d,
            "35(2)",
            "Advice of the data protection officer (Art. 35(2))",
        );
        has(
            d,
            "35(9)",
            p.works_council.as_ref().unwrap().body.as_deref().unwrap(),
        );
    }
}

#[test]
fn content_example_registers_thinking_aloud_and_transfer_risks() {
    let r = rendered("content-to-us-saas");
    has(
        &r.dpia,
        "risk",
        "Intrusion into \"thinking aloud\" Prompts, Responses at direct:api.honeycomb.io:443 probable",
    );
    has(&r.dpia, "transfer", "Transfer outside the EEA");
    has(&r.dpia, "dutch list absent", "4 criteria met");
    assert!(
        !r.dpia.contains("controle werknemers"),
        "the Dutch list is for Dutch employers only"
    );
    let nl = rendered("dutch-employer");
    has(
        &nl.dpia,
        "AP list",
        "Employee monitoring (\"controle werknemers\") yes",
    );
}

#[test]
fn works_council_pack_covers_wor_27_2_or_betrvg_87() {
    for name in EXAMPLES {
        let r = rendered(name);
        let c = &r.council;
        let p = &r.project;
        let wc = p.works_council.as_ref().unwrap();
        has(c, "body", wc.body.as_deref().unwrap());
        has(c, "change procedure", "Changes need consent again");
        for dest in &p.destinations {
            has(
                c,
                "retention",
                &format!("{} days", dest.retention_days.unwrap()),
            );
        }
        match wc.country.unwrap() {
            WorksCouncilLaw::NL => {
                // 27(2): the proposed decision in writing, the reasons, the consequences.
                has(c, "27(2) decision", "Proposed decision");
                has(
                    c,
                    "27(2) in writing",
                    &format!(
                        "asks {} in writing for consent",
                        wc.body.as_deref().unwrap()
                    ),
                );
                has(c, "27(1)(l)", "art. 27(1)(l) WOR");
                has(c, "27(2) reasons", "Reasons for the decision");
                for purpose in &p.purposes {
                    has(c, "27(2) reason", &text(&purpose.description));
                }
                has(
                    c,
                    "27(2) consequences",
                    "Expected consequences for employees What leaves their computers:",
                );
                // The AP's four questions.
                for q in [
                    "Is this a system to follow staff (personeelsvolgsysteem)? Yes",
                    "Is it necessary?",
                    "Are employees told in advance?",
                    "Is staff assessment based only on data from the system? No",
                ] {
                    has(c, "AP question", q);
                }
                has(c, "27(5)", "art. 27(5) WOR");
            }
            WorksCouncilLaw::DE => {
                for point in [
                    "System and purpose limitation",
                    "Permitted evaluations",
                    "No performance or behaviour control",
                    "Recipients and access",
                    "Retention and deletion",
                    "Control rights of the works council",
                    "Employee information",
                    "Data catalogue",
                ] {
                    has(c, "BV point", point);
                }
                has(
                    c,
                    "Verwertungsverbot",
                    "not as evidence for measures under employment law",
                );
            }
        }
    }
}

/// A free-text fact as the document's language shows it: its own text, or the fallback
/// (which the document follows with a marker).
fn text(t: &Option<Text>) -> String {
    t.as_ref()
        .and_then(|t| t.shown(Language::En))
        .expect("the example gives the fact")
        .text
}
