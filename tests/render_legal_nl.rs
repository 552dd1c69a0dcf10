//! The rendered Dutch documents of every bundled example carry what the law asks of them,
//! as concrete facts from the example's dpia.yaml and data map, in Dutch wording: each item
//! of GDPR (AVG) art. 13 lid 1–2 in the notice, art. 35 lid 7 sub a–d in the DPIA, and WOR
//! art. 27 lid 2 (or the BetrVG §87 Abs. 1 Nr. 6 points) in the works-council pack. No
//! English template sentence may leak into them, and a missing fact is a Dutch TODO.

mod render_support;

use std::path::Path;

use otel_dpia::project::{Language, LegalBasis, Project, Text, WorksCouncilLaw, is_eea};
use render_support::*;

struct Rendered {
    name: String,
    project: Project,
    notice: String,
    dpia: String,
    council: String,
}

fn rendered_project(name: &str, project: &Path) -> Rendered {
    let out = tempfile::tempdir().unwrap();
    render_lang(project, out.path(), "nl", &["--format", "md"]);
    assert!(!out.path().join("en").exists(), "only Dutch was asked for");
    let text = std::fs::read_to_string(project).unwrap();
    Rendered {
        name: name.to_string(),
        project: serde_norway::from_str(&text).unwrap(),
        notice: visible_md(&read(out.path(), "nl/notice.md")),
        dpia: visible_md(&read(out.path(), "nl/dpia.md")),
        council: visible_md(&read(out.path(), "nl/works-council.md")),
    }
}

fn rendered(name: &str) -> Rendered {
    rendered_project(name, &example(name))
}

fn has(r: &Rendered, doc: &str, what: &str, needle: &str) {
    let needle = flat(needle);
    assert!(
        doc.contains(&needle),
        "{}: {what}: `{needle}` not found",
        r.name
    );
}

/// The agent names as the notice's title gives them ("A, B en C").
fn agent_of(notice: &str) -> &str {
    let start = notice.find("telemetrie van ").expect("title") + "telemetrie van ".len();
    let len = notice[start..].find(" Organisatie:").expect("lead");
    &notice[start..start + len]
}

#[test]
fn notice_gives_every_article_13_item_in_dutch() {
    for name in all_examples() {
        let r = rendered(&name);
        let p = &r.project;
        let n = &r.notice;
        let org = p.organisation.as_ref().unwrap();
        has(&r, n, "title", "Privacyverklaring: telemetrie van");
        // 13(1)(a): controller identity and contact.
        has(&r, n, "13(1)(a)", "(verwerkingsverantwoordelijke):");
        has(&r, n, "13(1)(a) controller", org.name.as_deref().unwrap());
        let contact = org.privacy_contact.as_deref().unwrap();
        has(
            &r,
            n,
            "13(1)(a) contact",
            &format!("Contact voor vragen over privacy: {contact}"),
        );
        // 13(1)(b): DPO contact.
        let dpo = p.dpo.as_ref().unwrap().email.as_deref().unwrap();
        has(&r, n, "13(1)(b) FG", "Functionaris gegevensbescherming:");
        has(&r, n, "13(1)(b) FG", dpo);
        // 13(1)(c),(d): purposes, each legal basis, legitimate interests.
        for purpose in &p.purposes {
            has(&r, n, "13(1)(c) purpose", &text(&purpose.description));
            assert_eq!(purpose.legal_basis, Some(LegalBasis::LegitimateInterests));
            has(
                &r,
                n,
                "13(1)(c) grondslag",
                "Grondslag: art. 6 lid 1 sub f AVG: gerechtvaardigd belang.",
            );
            has(
                &r,
                n,
                "13(1)(d) belang",
                &text(&purpose.legitimate_interest),
            );
        }
        for d in &p.destinations {
            // 13(1)(e): recipients.
            has(&r, n, "13(1)(e) recipient", &text(&d.recipient));
            // 13(1)(f): third country and safeguard. A vendor's facts stand in a table row,
            // a telemetry destination's in a list.
            let vendor = d
                .exporter
                .as_deref()
                .is_some_and(|e| e.starts_with("vendor:"));
            let label = |l: &str| if vendor { String::new() } else { l.to_string() };
            let country = d.country.as_deref().unwrap();
            if is_eea(country) {
                has(
                    &r,
                    n,
                    "13(1)(f) EER",
                    &format!("Land: {country} (binnen de EER)."),
                );
            } else {
                has(
                    &r,
                    n,
                    "13(1)(f) derde land",
                    &if vendor {
                        format!("{country} (buiten de EER)")
                    } else {
                        format!("Land: {country} (buiten de EER).")
                    },
                );
                has(
                    &r,
                    n,
                    "13(1)(f) waarborg",
                    "modelcontractbepalingen (art. 46 lid 2 sub c AVG)",
                );
            }
            // 13(2)(a): storage period per destination; who can read it.
            let days = d.retention_days.unwrap();
            has(
                &r,
                n,
                "13(2)(a) bewaartermijn",
                &format!(
                    "{}{days} dagen",
                    label("Hoe lang de gegevens worden bewaard: ")
                ),
            );
            let access = d.access.as_ref().unwrap().join(", ");
            has(
                &r,
                n,
                "access",
                &format!("{}{access}", label("Wie het kan lezen: ")),
            );
        }
        has(
            &r,
            n,
            "13(1)(f) kopie",
            "een kopie vragen van de waarborgen",
        );
        // 13(2)(b): the rights.
        for right in [
            "(inzage, artikel 15 AVG)",
            "(rectificatie, artikel 16)",
            "(wissing, artikel 17)",
            "(beperking, artikel 18)",
            "(overdraagbaarheid, artikel 20)",
            "(bezwaar, artikel 21)",
        ] {
            has(&r, n, "13(2)(b) rechten", right);
        }
        // 13(2)(c): consent withdrawal (no purpose rests on consent in the examples).
        has(
            &r,
            n,
            "13(2)(c)",
            "Er is dus geen toestemming die je kunt intrekken.",
        );
        // 13(2)(d): complaint to the authority.
        has(&r, n, "13(2)(d)", "klacht indienen bij de toezichthouder:");
        has(
            &r,
            n,
            "13(2)(d)",
            org.supervisory_authority.as_deref().unwrap(),
        );
        // 13(2)(e): statutory or contractual requirement.
        has(
            &r,
            n,
            "13(2)(e)",
            "Geen wet en geen bepaling in je contract verplicht je deze gegevens te geven.",
        );
        // 13(2)(f): automated decisions.
        has(
            &r,
            n,
            "13(2)(f)",
            "Er wordt dus geen geautomatiseerd besluit over jou op gebaseerd",
        );
        has(
            &r,
            n,
            "performance",
            "De gegevens worden niet gebruikt om je prestaties of gedrag te beoordelen.",
        );
        // The plain sentences employees ask for, each ending in a definite status.
        let agent = agent_of(n);
        let many = agent.contains(" en ");
        let (runs, reads) = if many {
            ("uitvoeren", "lezen of schrijven")
        } else {
            ("uitvoert", "leest of schrijft")
        };
        for start in [
            "Je prompts (wat je intypt) worden ".to_string(),
            format!("De tekst van opdrachten die {agent} {runs}, wordt "),
            format!("De inhoud van bestanden die {agent} {reads}, wordt "),
            "Je e-mailadres wordt ".to_string(),
        ] {
            let found = [
                "niet verstuurd.",
                "verstuurd.",
                "misschien verstuurd.",
                "alleen als hash",
                "niet meegestuurd.",
                "meegestuurd.",
                "misschien meegestuurd.",
            ]
            .iter()
            .any(|e| n.contains(&format!("{start}{e}")));
            assert!(found, "{name}: no plain sentence starting `{start}`");
        }
        has(
            &r,
            n,
            "table",
            "Dit wordt verzameld Dit wordt niet verzameld",
        );
    }
}

#[test]
fn notice_states_concretely_what_is_and_is_not_sent() {
    let three = rendered("three-agents");
    assert_eq!(
        agent_of(&three.notice),
        "Claude Code, OpenAI Codex CLI en Google Gemini CLI"
    );
    let saas = rendered("content-to-us-saas");
    has(
        &saas,
        &saas.notice,
        "prompts",
        "Je prompts (wat je intypt) worden verstuurd.",
    );
    has(&saas, &saas.notice, "country", "Land: US (buiten de EER).");
    has(
        &saas,
        &saas.notice,
        "retention",
        "Hoe lang de gegevens worden bewaard: 60 dagen.",
    );
    let nl = rendered("dutch-employer");
    has(
        &nl,
        &nl.notice,
        "prompts",
        "Je prompts (wat je intypt) worden niet verstuurd.",
    );
    has(
        &nl,
        &nl.notice,
        "file contents",
        "De inhoud van bestanden die Claude Code leest of schrijft, wordt niet verstuurd.",
    );
    has(
        &nl,
        &nl.notice,
        "group size",
        "Overzichten gaan over groepen van minstens 5 mensen.",
    );
}

#[test]
fn dpia_covers_article_35_7_a_to_d_in_dutch() {
    for name in all_examples() {
        let r = rendered(&name);
        let d = &r.dpia;
        let p = &r.project;
        has(
            &r,
            d,
            "title",
            "Gegevensbeschermingseffectbeoordeling (DPIA): telemetrie van",
        );
        // (a) systematic description: purposes, legitimate interests, recipients, retention.
        has(
            &r,
            d,
            "(a)",
            "Dit onderdeel behandelt artikel 35 lid 7 sub a AVG",
        );
        has(
            &r,
            d,
            "(a) verwerkingsverantwoordelijke",
            "Verwerkingsverantwoordelijke:",
        );
        for purpose in &p.purposes {
            has(&r, d, "(a) doel", &text(&purpose.description));
            has(&r, d, "(a) belang", &text(&purpose.legitimate_interest));
        }
        for dest in &p.destinations {
            has(&r, d, "(a) ontvanger", &text(&dest.recipient));
            has(
                &r,
                d,
                "(a) bewaartermijn",
                &format!("{} dagen", dest.retention_days.unwrap()),
            );
        }
        has(
            &r,
            d,
            "(a) gegevens",
            "Persoonsgegevens in de telemetrie naar de werkgever",
        );
        // (b) necessity and proportionality.
        has(
            &r,
            d,
            "(b)",
            "Dit onderdeel behandelt artikel 35 lid 7 sub b AVG",
        );
        for item in [
            "Minimale gegevensverwerking (art. 5 lid 1 sub c)",
            "Opslagbeperking (art. 5 lid 1 sub e)",
            "Verwerkers (art. 28)",
            "Doorgifte naar derde landen (hoofdstuk V)",
            "Voorafgaande raadpleging (art. 36)",
        ] {
            has(&r, d, "(b) item", item);
        }
        // (c) risks, scored in Dutch words.
        has(
            &r,
            d,
            "(c)",
            "Dit onderdeel behandelt artikel 35 lid 7 sub c AVG",
        );
        has(
            &r,
            d,
            "(c) risico",
            "Rangschikken of beoordelen van individuele medewerkers",
        );
        has(
            &r,
            d,
            "(c) risico",
            "Per ongeluk geplakte geheimen of persoonsgegevens belanden bij een externe partij",
        );
        // (d) measures: declared ones by id, residual risk.
        has(
            &r,
            d,
            "(d)",
            "Dit onderdeel behandelt artikel 35 lid 7 sub d AVG",
        );
        for m in &p.measures {
            has(&r, d, "(d) maatregel", &m.id);
        }
        has(&r, d, "(d) restrisico", "Restrisico");
        // Screening and consultation.
        has(
            &r,
            d,
            "WP248",
            "Kwetsbare betrokkenen vervuld de betrokkenen zijn werknemers",
        );
        has(
            &r,
            d,
            "35(2)",
            "Advies van de functionaris gegevensbescherming (art. 35 lid 2)",
        );
        has(
            &r,
            d,
            "35(9)",
            p.works_council.as_ref().unwrap().body.as_deref().unwrap(),
        );
    }
}

#[test]
fn dpia_scores_and_lists_in_dutch_words() {
    let saas = rendered("content-to-us-saas");
    has(
        &saas,
        &saas.dpia,
        "risk row",
        "Inbreuk op het „hardop denken” Prompts, Antwoorden bij direct:api.honeycomb.io:443 groot",
    );
    has(&saas, &saas.dpia, "transfer", "Doorgifte buiten de EER");
    has(&saas, &saas.dpia, "screening", "4 criteria vervuld");
    assert!(
        !saas.dpia.contains("Controle werknemers"),
        "the AP list is for Dutch employers only"
    );
    let nl = rendered("dutch-employer");
    has(&nl, &nl.dpia, "AP list", "Controle werknemers ja");
    has(&nl, &nl.dpia, "AP list", "Autoriteit Persoonsgegevens");
}

#[test]
fn works_council_pack_covers_wor_27_2_or_betrvg_87_in_dutch() {
    for name in all_examples() {
        let r = rendered(&name);
        let c = &r.council;
        let p = &r.project;
        let wc = p.works_council.as_ref().unwrap();
        let body = wc.body.as_deref().unwrap();
        has(&r, c, "body", body);
        for dest in &p.destinations {
            has(
                &r,
                c,
                "bewaartermijn",
                &format!("{} dagen", dest.retention_days.unwrap()),
            );
        }
        has(&r, c, "catalogue", "Gegevenscatalogus");
        match wc.country.unwrap() {
            WorksCouncilLaw::NL => {
                has(
                    &r,
                    c,
                    "request",
                    "instemmingsverzoek op grond van artikel 27 lid 1 onder k en l",
                );
                has(
                    &r,
                    c,
                    "change procedure",
                    "Wijzigingen vragen opnieuw instemming",
                );
                has(
                    &r,
                    c,
                    "27(1) amendment",
                    "vaststelling, wijziging en intrekking",
                );
                // 27(2): the proposed decision in writing, the reasons, the consequences.
                has(&r, c, "27(2) besluit", "Voorgenomen besluit");
                has(
                    &r,
                    c,
                    "27(2) schriftelijk",
                    &format!("vraagt {body} schriftelijk om instemming"),
                );
                has(&r, c, "27(1)(k)", "art. 27 lid 1 onder k WOR");
                has(&r, c, "27(1)(l)", "art. 27 lid 1 onder l WOR");
                has(
                    &r,
                    c,
                    "27(2) beweegredenen",
                    "Beweegredenen voor het besluit",
                );
                for purpose in &p.purposes {
                    has(&r, c, "27(2) reden", &text(&purpose.description));
                }
                has(
                    &r,
                    c,
                    "27(2) gevolgen",
                    "Verwachte gevolgen voor de medewerkers Wat hun computers verlaat:",
                );
                // The AP's four questions.
                for q in [
                    "Is dit een personeelsvolgsysteem? Ja",
                    "Is het noodzakelijk?",
                    "Worden medewerkers vooraf geïnformeerd?",
                    "Wordt personeel uitsluitend beoordeeld op gegevens uit het systeem? Nee",
                ] {
                    has(&r, c, "AP-toetsvraag", q);
                }
                has(&r, c, "overlegvergadering", "overlegvergadering");
                has(&r, c, "27(4)", "art. 27 lid 4 WOR");
                has(&r, c, "27(5)", "art. 27 lid 5 WOR");
            }
            WorksCouncilLaw::DE => {
                has(
                    &r,
                    c,
                    "change procedure",
                    "Wijzigingen vragen opnieuw overeenstemming",
                );
                for point in [
                    "Punten voor een Betriebsvereinbarung",
                    "Systeem en doelbinding",
                    "Toegestane analyses",
                    "Geen controle op prestaties of gedrag",
                    "Ontvangers en toegang",
                    "Bewaren en verwijderen",
                    "Controlerechten van de Betriebsrat",
                    "Informatie aan medewerkers",
                ] {
                    has(&r, c, "BV-punt", point);
                }
                has(
                    &r,
                    c,
                    "Verwertungsverbot",
                    "niet als bewijs voor arbeidsrechtelijke maatregelen",
                );
            }
        }
    }
}

/// Sentences of the English templates that must not appear in the Dutch documents.
const ENGLISH: &[&str] = &[
    "This section covers",
    "What is collected",
    "Your rights",
    "fill in",
    "not sent",
    "may be sent",
    "Legal basis",
    "inside the EEA",
    "outside the EEA",
    "Proposed decision",
    "Changes need consent again",
    "Open points",
    "client default",
    "Data protection officer",
    "Organisation:",
    "Status:** draft",
];

#[test]
fn no_english_template_text_leaks() {
    for name in all_examples() {
        let r = rendered(&name);
        for (doc, text) in [
            ("notice", &r.notice),
            ("dpia", &r.dpia),
            ("works-council", &r.council),
        ] {
            for phrase in ENGLISH {
                assert!(
                    !text.contains(phrase),
                    "{name}/{doc}: English `{phrase}` leaked"
                );
            }
        }
    }
}

#[test]
fn missing_facts_are_dutch_todos() {
    // The bundled example leaves the vendor's own destinations undescribed.
    let nl = rendered("dutch-employer");
    has(
        &nl,
        &nl.notice,
        "vendor TODO",
        "TODO: vul destinations[+].recipient in dpia.yaml in (voeg een vermelding toe voor vendor:anthropic_api)",
    );
    // A copy without a DPO, a performance declaration and a retention period.
    let (dir, project) = copy_example("metadata-only");
    let text = std::fs::read_to_string(&project).unwrap();
    let mut y: serde_norway::Value = serde_norway::from_str(&text).unwrap();
    let map = y.as_mapping_mut().unwrap();
    map.remove("dpo");
    if let Some(policy) = map.get_mut("policy").and_then(|p| p.as_mapping_mut()) {
        policy.remove("performance_evaluation");
    }
    for d in map
        .get_mut("destinations")
        .unwrap()
        .as_sequence_mut()
        .unwrap()
    {
        d.as_mapping_mut().unwrap().remove("retention_days");
    }
    std::fs::write(&project, serde_norway::to_string(&y).unwrap()).unwrap();
    let r = rendered_project("metadata-only (facts removed)", &project);
    has(
        &r,
        &r.notice,
        "dpo TODO",
        "Functionaris gegevensbescherming: TODO: vul dpo",
    );
    has(
        &r,
        &r.notice,
        "retention TODO",
        "Hoe lang de gegevens worden bewaard: TODO: vul destinations[0].retention_days in dpia.yaml in",
    );
    has(
        &r,
        &r.notice,
        "performance TODO",
        "TODO: vul policy.performance_evaluation in dpia.yaml in: je werkgever heeft nog niet gezegd",
    );
    has(
        &r,
        &r.council,
        "AP question TODO",
        "Geen controle op prestaties of gedrag TODO: vul policy.performance_evaluation in dpia.yaml in: de werkgever heeft niet verklaard",
    );
    has(&r, &r.dpia, "open points", "Openstaande punten");
    drop(dir);
}

#[test]
fn html_is_a_dutch_page_with_the_facts() {
    for name in all_examples() {
        let out = tempfile::tempdir().unwrap();
        render_lang(&example(&name), out.path(), "nl", &["--format", "html"]);
        let text = std::fs::read_to_string(example(&name)).unwrap();
        let p: Project = serde_norway::from_str(&text).unwrap();
        let notice = read(out.path(), "nl/notice.html");
        assert!(
            notice.contains("lang=\"nl\""),
            "{name}: the page is not marked Dutch"
        );
        assert!(
            notice.contains("<th>Dit wordt verzameld</th>"),
            "{name}: no collected table"
        );
        assert!(notice.contains("Je rechten"), "{name}: no rights heading");
        for d in &p.destinations {
            let days = format!("{} dagen", d.retention_days.unwrap());
            assert!(notice.contains(&days), "{name}: `{days}` missing in HTML");
        }
        let council = read(out.path(), "nl/works-council.html");
        assert!(
            council.contains("Gegevenscatalogus"),
            "{name}: no data catalogue"
        );
        let dpia = read(out.path(), "nl/dpia.html");
        assert!(
            dpia.contains("Noodzaak en evenredigheid"),
            "{name}: no (b) section"
        );
    }
}

/// A free-text fact as the document's language shows it: its own text, or the fallback
/// (which the document follows with a marker).
fn text(t: &Option<Text>) -> String {
    t.as_ref()
        .and_then(|t| t.shown(Language::Nl))
        .expect("the example gives the fact")
        .text
}
