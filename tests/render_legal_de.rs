//! The German documents of every bundled example carry what the law asks of them, as
//! concrete facts from the example's dpia.yaml and data map, worded in German: each item
//! of Art. 13 Abs. 1–2 DSGVO in the notice, Art. 35 Abs. 7 lit. a–d in the DPIA, and the
//! BetrVG § 87 Abs. 1 Nr. 6 points (or the WOR art. 27 sections) in the works-council
//! pack. No English template sentence may leak, and missing facts show a German TODO.

mod render_support;

use std::path::Path;

use otel_dpia::project::{Language, Project, Text, WorksCouncilLaw, is_eea};
use render_support::*;

struct Rendered {
    name: String,
    project: Project,
    notice: String,
    dpia: String,
    council: String,
}

/// The visible text of the three German Markdown documents of a project file.
fn rendered_at(name: &str, project: &Path) -> Rendered {
    let out = tempfile::tempdir().unwrap();
    render_lang(project, out.path(), "de", &["--format", "md"]);
    let text = std::fs::read_to_string(project).unwrap();
    Rendered {
        name: name.to_string(),
        project: serde_norway::from_str(&text).unwrap(),
        notice: visible_md(&read(out.path(), "de/notice.md")),
        dpia: visible_md(&read(out.path(), "de/dpia.md")),
        council: visible_md(&read(out.path(), "de/works-council.md")),
    }
}

fn rendered(name: &str) -> Rendered {
    rendered_at(name, &example(name))
}

fn has(doc: &str, what: &str, needle: &str) {
    let needle = flat(needle);
    assert!(doc.contains(&needle), "{what}: `{needle}` not found");
}

#[test]
fn notice_gives_every_article_13_item_in_german() {
    for name in all_examples() {
        let r = rendered(&name);
        let (p, n) = (&r.project, &r.notice);
        let org = p.organisation.as_ref().unwrap();
        has(n, "title", "Datenschutzinformation: Telemetrie von");
        // Abs. 1 lit. a: controller and contact.
        has(
            n,
            "13(1)(a)",
            "Verantwortlich für die Daten (Verantwortlicher):",
        );
        has(n, "13(1)(a) name", org.name.as_deref().unwrap());
        has(
            n,
            "13(1)(a) contact",
            org.privacy_contact.as_deref().unwrap(),
        );
        // Abs. 1 lit. b: DPO contact.
        let dpo = p.dpo.as_ref().unwrap();
        has(
            n,
            "13(1)(b) DPO",
            &format!("Datenschutzbeauftragter: {}", dpo.name.as_deref().unwrap()),
        );
        has(n, "13(1)(b) DPO e-mail", dpo.email.as_deref().unwrap());
        // Abs. 1 lit. c, d: purposes, legal basis, legitimate interest.
        for purpose in &p.purposes {
            has(n, "13(1)(c) purpose", &text(&purpose.description));
            has(
                n,
                "13(1)(d) interest",
                &format!(
                    "Das berechtigte Interesse Ihres Arbeitgebers: {}",
                    &text(&purpose.legitimate_interest)
                ),
            );
        }
        has(
            n,
            "13(1)(c) basis",
            "Rechtsgrundlage: Art. 6 Abs. 1 lit. f DSGVO (berechtigte Interessen)",
        );
        for d in &p.destinations {
            // Abs. 1 lit. e, f: recipient, country, safeguard.
            has(n, "13(1)(e) recipient", &text(&d.recipient));
            // A vendor's facts stand in a table row, a telemetry destination's in a list.
            let vendor = d
                .exporter
                .as_deref()
                .is_some_and(|e| e.starts_with("vendor:"));
            let label = |l: &str| if vendor { String::new() } else { l.to_string() };
            let country = d.country.as_deref().unwrap();
            if is_eea(country) {
                has(n, "13(1)(f) EEA", &format!("Land: {country} (im EWR)"));
            } else {
                has(
                    n,
                    "13(1)(f) third country",
                    &format!("{}{country} (außerhalb des EWR)", label("Land: ")),
                );
                has(
                    n,
                    "13(1)(f) safeguard",
                    "Standardvertragsklauseln (Art. 46 Abs. 2 lit. c DSGVO)",
                );
                has(n, "13(1)(f) copy", "erhalten Sie eine Kopie der Garantien");
            }
            // Abs. 2 lit. a: storage period; who can read it.
            has(
                n,
                "13(2)(a) retention",
                &format!(
                    "{}{} Tage",
                    label("Speicherdauer: "),
                    d.retention_days.unwrap()
                ),
            );
            has(
                n,
                "access",
                &format!(
                    "{}{}",
                    label("Wer die Daten lesen kann: "),
                    d.access.as_ref().unwrap().join(", ")
                ),
            );
        }
        // Abs. 2 lit. b: the rights.
        for right in [
            "(Auskunft, Art. 15 DSGVO)",
            "(Berichtigung, Art. 16)",
            "(Löschung, Art. 17)",
            "(Einschränkung, Art. 18)",
            "(Datenübertragbarkeit, Art. 20)",
            "(Widerspruch, Art. 21)",
        ] {
            has(n, "13(2)(b) rights", right);
        }
        // Abs. 2 lit. c–f.
        has(
            n,
            "13(2)(c)",
            "keine Einwilligung, die Sie widerrufen könnten",
        );
        has(
            n,
            "13(2)(d)",
            &format!(
                "bei der Aufsichtsbehörde beschweren: {}",
                org.supervisory_authority.as_deref().unwrap()
            ),
        );
        has(
            n,
            "13(2)(e)",
            "Kein Gesetz und kein Vertrag verpflichtet Sie",
        );
        has(
            n,
            "13(2)(f)",
            "beruht keine automatisierte Entscheidung über Sie darauf",
        );
        has(
            n,
            "performance",
            "Die Daten werden nicht genutzt, um die Leistung oder das Verhalten einzelner Beschäftigter zu bewerten",
        );
        has(n, "table", "Das wird erfasst Das wird nicht erfasst");
        for start in [
            "Ihre Prompts (was Sie eingeben) werden ",
            "Der Text der Befehle, die ",
            "Der Inhalt von Dateien, die ",
            "Ihre E-Mail-Adresse wird ",
        ] {
            let said = [
                "gesendet.",
                "nicht gesendet.",
                "möglicherweise gesendet.",
                "nur als Hashwert",
                "mitgesendet.",
                "nicht mitgesendet.",
                "möglicherweise mitgesendet.",
            ]
            .iter()
            .any(|end| {
                n.match_indices(start).any(|(i, _)| {
                    n[i..]
                        .split('.')
                        .next()
                        .unwrap()
                        .contains(end.trim_end_matches('.'))
                })
            });
            assert!(said, "{}: no plain sentence starting `{start}`", r.name);
        }
    }
}

#[test]
fn notice_states_concretely_what_is_and_is_not_sent() {
    let saas = rendered("content-to-us-saas");
    has(
        &saas.notice,
        "prompts",
        "Ihre Prompts (was Sie eingeben) werden gesendet.",
    );
    has(&saas.notice, "country", "Land: US (außerhalb des EWR)");
    has(&saas.notice, "retention", "Speicherdauer: 60 Tage.");
    let nl = rendered("dutch-employer");
    has(
        &nl.notice,
        "file contents",
        "Der Inhalt von Dateien, die Claude Code liest oder schreibt, wird nicht gesendet.",
    );
    has(
        &nl.notice,
        "prompts",
        "Ihre Prompts (was Sie eingeben) werden nicht gesendet.",
    );
    has(
        &nl.notice,
        "group size",
        "Berichte zeigen nur Gruppen von mindestens 5 Personen.",
    );
}

#[test]
fn dpia_covers_article_35_7_a_to_d_in_german() {
    for name in all_examples() {
        let r = rendered(&name);
        let (d, p) = (&r.dpia, &r.project);
        has(d, "title", "Datenschutz-Folgenabschätzung: Telemetrie von");
        // lit. a: systematic description.
        has(
            d,
            "(a)",
            "Dieser Abschnitt behandelt Art. 35 Abs. 7 lit. a DSGVO",
        );
        has(
            d,
            "(a) data",
            "Personenbezogene Daten in der Telemetrie an den Arbeitgeber",
        );
        for purpose in &p.purposes {
            has(d, "(a) purpose", &text(&purpose.description));
            has(d, "(a) interest", &text(&purpose.legitimate_interest));
        }
        for dest in &p.destinations {
            has(d, "(a) recipient", &text(&dest.recipient));
            has(
                d,
                "(a) retention",
                &format!("{} Tage", dest.retention_days.unwrap()),
            );
        }
        // lit. b: necessity and proportionality.
        has(
            d,
            "(b)",
            "Dieser Abschnitt behandelt Art. 35 Abs. 7 lit. b DSGVO",
        );
        for item in [
            "Datenminimierung (Art. 5 Abs. 1 lit. c)",
            "Speicherbegrenzung (Art. 5 Abs. 1 lit. e)",
            "Auftragsverarbeiter (Art. 28)",
            "Drittlandübermittlung (Kapitel V)",
            "Vorherige Konsultation (Art. 36)",
        ] {
            has(d, "(b) item", item);
        }
        // lit. c: risks, scored in German.
        has(
            d,
            "(c)",
            "Dieser Abschnitt behandelt Art. 35 Abs. 7 lit. c DSGVO",
        );
        has(
            d,
            "(c) risk",
            "Vergleich oder Bewertung einzelner Beschäftigter",
        );
        has(d, "(c) score", "Ausgangsrisiko: Wahrscheinlichkeit");
        // lit. d: measures, declared ones by id, residual risk.
        has(
            d,
            "(d)",
            "Dieser Abschnitt behandelt Art. 35 Abs. 7 lit. d DSGVO",
        );
        for m in &p.measures {
            has(d, "(d) declared measure", &m.id);
        }
        has(d, "(d) residual", "Restrisiko");
        // Screening and consultation.
        has(
            d,
            "WP248",
            "Daten zu schutzbedürftigen Betroffenen erfüllt betroffen sind Beschäftigte",
        );
        has(
            d,
            "35(2)",
            "Rat des Datenschutzbeauftragten (Art. 35 Abs. 2)",
        );
        has(
            d,
            "35(9)",
            p.works_council.as_ref().unwrap().body.as_deref().unwrap(),
        );
    }
}

#[test]
fn dpia_registers_transfer_risk_and_dutch_list_only_where_they_apply() {
    let saas = rendered("content-to-us-saas");
    has(
        &saas.dpia,
        "risk",
        "Eingriff in das „laute Denken“ Prompts, Antworten bei direct:api.honeycomb.io:443 wahrscheinlich",
    );
    has(
        &saas.dpia,
        "transfer",
        "Übermittlung in Drittländer außerhalb des EWR",
    );
    has(&saas.dpia, "transfer row", "US (außerhalb des EWR)");
    assert!(
        !saas.dpia.contains("controle werknemers"),
        "Dutch list is NL-only"
    );
    let nl = rendered("dutch-employer");
    has(
        &nl.dpia,
        "AP list",
        "Kontrolle von Beschäftigten („controle werknemers“) ja",
    );
}

#[test]
fn works_council_pack_covers_betrvg_points_or_wor_27_2_in_german() {
    for name in all_examples() {
        let r = rendered(&name);
        let (c, p) = (&r.council, &r.project);
        let wc = p.works_council.as_ref().unwrap();
        has(c, "body", wc.body.as_deref().unwrap());
        has(
            c,
            "change procedure",
            "Änderungen bedürfen erneut der Zustimmung",
        );
        for dest in &p.destinations {
            has(
                c,
                "retention",
                &format!("{} Tage", dest.retention_days.unwrap()),
            );
            has(c, "access", &dest.access.as_ref().unwrap().join(", "));
        }
        has(c, "catalogue", "Datenkatalog");
        match wc.country.unwrap() {
            WorksCouncilLaw::DE => {
                has(c, "title", "Unterlagen für den Betriebsrat");
                has(
                    c,
                    "norm",
                    "Mitbestimmung nach § 87 Abs. 1 Nr. 6 Betriebsverfassungsgesetz",
                );
                for point in [
                    "Gegenstand und Zweckbindung",
                    "Umfang der erfassten Daten",
                    "Zulässige Auswertungen",
                    "Keine Leistungs- und Verhaltenskontrolle",
                    "Empfänger und Zugriffsrechte",
                    "Speicherdauer und Löschung",
                    "Kontrollrechte des Betriebsrats",
                    "Information der Beschäftigten",
                    "Änderungen und Streitfälle",
                ] {
                    has(c, "BV point", point);
                }
                for purpose in &p.purposes {
                    has(c, "purpose", &text(&purpose.description));
                }
                has(
                    c,
                    "Verwertungsverbot",
                    "nicht als Beweismittel für arbeitsrechtliche Maßnahmen herangezogen (Verwertungsverbot)",
                );
                has(
                    c,
                    "Einigungsstelle",
                    "entscheidet die Einigungsstelle (§ 87 Abs. 2 BetrVG)",
                );
                assert!(
                    !c.contains("Vorgeschlagener Beschluss"),
                    "{name}: WOR text in a DE pack"
                );
            }
            WorksCouncilLaw::NL => {
                has(c, "title", "Unterlagen für den Ondernemingsraad");
                has(c, "27(2) decision", "Vorgeschlagener Beschluss");
                has(
                    c,
                    "27(2) in writing",
                    &format!(
                        "bittet {} schriftlich um Zustimmung",
                        wc.body.as_deref().unwrap()
                    ),
                );
                has(c, "27(1)(l)", "Art. 27 Abs. 1 lit. l WOR");
                has(c, "27(2) reasons", "Begründung des Beschlusses");
                for purpose in &p.purposes {
                    has(c, "27(2) reason", &text(&purpose.description));
                }
                has(
                    c,
                    "27(2) consequences",
                    "Erwartete Folgen für die Beschäftigten Was ihre Computer verlässt:",
                );
                for q in [
                    "Handelt es sich um ein System zur Beobachtung des Personals (personeelsvolgsysteem)? Ja",
                    "Ist es erforderlich?",
                    "Werden die Beschäftigten vorab informiert?",
                    "Beruht eine Beurteilung des Personals allein auf Daten aus dem System? Nein",
                ] {
                    has(c, "AP question", q);
                }
                has(c, "27(5)", "Art. 27 Abs. 5 WOR");
                assert!(
                    !c.contains("Regelungspunkte"),
                    "{name}: BetrVG text in an NL pack"
                );
            }
        }
    }
}

/// Phrases of the English templates that must never appear in a German document.
const ENGLISH: &[&str] = &[
    "This section covers",
    "What is collected",
    "Your rights",
    "Who is responsible",
    "are not sent",
    "may be sent",
    "fill in",
    "not applicable",
    "client default",
    "Legal basis",
    "legitimate interests",
    "Residual risk",
    "Proposed decision",
    "Points for a works agreement",
    "Changes need consent again",
    "Open points",
    "inside the EEA",
    "outside the EEA",
    "kept for",
    "undated",
    "Organisation:** ",
    "Status: draft",
    "likelihood",
    "probable",
    "processor acting",
];

#[test]
fn no_english_template_text_leaks_into_markdown_or_html() {
    for name in all_examples() {
        let out = tempfile::tempdir().unwrap();
        render_lang(&example(&name), out.path(), "de", &["--format", "md,html"]);
        for doc in ["dpia", "notice", "works-council"] {
            let md = visible_md(&read(out.path(), &format!("de/{doc}.md")));
            let html = read(out.path(), &format!("de/{doc}.html"));
            assert!(
                html.contains("<html lang=\"de\">"),
                "{name}/{doc}: lang attribute"
            );
            for phrase in ENGLISH {
                assert!(!md.contains(phrase), "{name}/{doc}.md: English `{phrase}`");
                assert!(
                    !html.contains(phrase),
                    "{name}/{doc}.html: English `{phrase}`"
                );
            }
        }
        let notice = read(out.path(), "de/notice.html");
        assert!(
            notice.contains("<th>Das wird erfasst</th>"),
            "{name}: table head in HTML"
        );
        assert!(
            notice.contains("Ihre Rechte</h2>"),
            "{name}: German heading in HTML"
        );
    }
}

#[test]
fn missing_facts_show_a_german_todo() {
    // Vendor destinations no dpia.yaml entry describes.
    let saas = rendered("content-to-us-saas");
    has(
        &saas.dpia,
        "vendor recipient",
        "TODO: destinations[+].recipient in der dpia.yaml ergänzen (Eintrag für vendor:anthropic_api anlegen)",
    );
    // Facts removed from a copy of an example.
    let (_dir, project) = copy_example("metadata-only");
    let text = std::fs::read_to_string(&project).unwrap();
    let text = text
        .replace("  performance_evaluation: false\n", "")
        .replace("  email: dsb@lumenwerk.example\n", "")
        .replace("  phone: \"+49 89 0000 1234\"\n", "");
    std::fs::write(&project, text).unwrap();
    let r = rendered_at("metadata-only (trimmed)", &project);
    has(
        &r.notice,
        "DPO",
        "Datenschutzbeauftragter: TODO: dpo.email in der dpia.yaml ergänzen",
    );
    has(
        &r.notice,
        "performance",
        "Ob die Daten zur Bewertung Ihrer Leistung dienen: TODO: policy.performance_evaluation in der dpia.yaml ergänzen",
    );
    has(
        &r.council,
        "BV point 4",
        "TODO: policy.performance_evaluation in der dpia.yaml ergänzen: Der Arbeitgeber hat nicht erklärt",
    );
}

/// A free-text fact as the document's language shows it: its own text, or the fallback
/// (which the document follows with a marker).
fn text(t: &Option<Text>) -> String {
    t.as_ref()
        .and_then(|t| t.shown(Language::De))
        .expect("the example gives the fact")
        .text
}
