//! The facts only a person can give, and which of them a project file still lacks.
//!
//! The documents need them (GDPR Art. 13 notice, Art. 35(7) DPIA, the works-council
//! request); the tool never fills them in. Each missing one is a `MissingFact` warning that
//! points at the place in `dpia.yaml` where it belongs, so `init`, `check` and editors can
//! show a precise TODO list.

use super::countries::is_eea;
use super::path::KeyPath;
use super::{DestinationFacts, Language, LoadedProject, Project, Purpose, Text};
use crate::diag::{Code, Diagnostic};

/// One warning per missing fact, in file order of the sections.
pub fn missing_facts(lp: &LoadedProject) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    organisation(lp, &mut out);
    dpo(lp, &mut out);
    purposes(lp, &mut out);
    for (i, d) in lp.project.destinations.iter().enumerate() {
        destination(lp, i, d, &mut out);
    }
    works_council(lp, &mut out);
    policy_and_documents(lp, &mut out);
    translations(lp, &mut out);
    out
}

/// A `MissingFact` for the value at `path`, pointing at the deepest part of it that exists.
fn fact(lp: &LoadedProject, path: &[&str], what: &str, why: &str) -> Diagnostic {
    let dotted = KeyPath::from_steps(path).dotted();
    Diagnostic::new(
        Code::MissingFact,
        format!("missing fact: {what} (`{dotted}`)"),
    )
    .at(lp.span_of(path))
    .hint(format!("add `{dotted}`; {why}"))
}

fn blank(value: Option<&String>) -> bool {
    value.is_none_or(|v| v.trim().is_empty())
}

fn blank_text(value: Option<&Text>) -> bool {
    value.is_none_or(Text::is_blank)
}

fn organisation(lp: &LoadedProject, out: &mut Vec<Diagnostic>) {
    let org = lp.project.organisation.clone().unwrap_or_default();
    let checks = [
        (
            &org.name,
            "name",
            "the employer's legal name",
            "the notice must name the controller (GDPR Art. 13(1)(a))",
        ),
        (
            &org.country,
            "country",
            "the employer's country of establishment",
            "it decides which law and which supervisory authority apply (ISO code, e.g. `NL`)",
        ),
        (
            &org.privacy_contact,
            "privacy_contact",
            "where employees send privacy questions and requests",
            "the notice must give the controller's contact details (GDPR Art. 13(1)(a))",
        ),
        (
            &org.supervisory_authority,
            "supervisory_authority",
            "the supervisory authority employees can complain to",
            "the notice must tell employees of their right to complain to it (GDPR Art. 13(2)(d))",
        ),
    ];
    for (value, key, what, why) in checks {
        if blank(value.as_ref()) {
            out.push(fact(lp, &["organisation", key], what, why));
        }
    }
}

fn dpo(lp: &LoadedProject, out: &mut Vec<Diagnostic>) {
    let reachable = lp
        .project
        .dpo
        .as_ref()
        .is_some_and(|c| !blank(c.email.as_ref()) || !blank(c.phone.as_ref()));
    if !reachable {
        out.push(fact(
            lp,
            &["dpo", "email"],
            "the data protection officer's contact details (e-mail or phone)",
            "the notice must give them (GDPR Art. 13(1)(b)) and the DPIA records the DPO's advice (Art. 35(2))",
        ));
    }
}

fn purposes(lp: &LoadedProject, out: &mut Vec<Diagnostic>) {
    if lp.project.purposes.is_empty() {
        out.push(fact(
            lp,
            &["purposes"],
            "at least one purpose of the processing",
            "the notice and the DPIA must state why the telemetry is collected (GDPR Art. 13(1)(c), 35(7)(a))",
        ));
    }
    for (i, p) in lp.project.purposes.iter().enumerate() {
        purpose(lp, i, p, out);
    }
}

fn purpose(lp: &LoadedProject, i: usize, p: &Purpose, out: &mut Vec<Diagnostic>) {
    let index = i.to_string();
    if blank_text(p.description.as_ref()) {
        out.push(fact(
            lp,
            &["purposes", &index, "description"],
            &format!("a sentence describing purpose `{}`", p.id),
            "employees must be told the purpose in plain language (GDPR Art. 12(1), 13(1)(c))",
        ));
    }
    if p.legal_basis.is_none() {
        out.push(fact(
            lp,
            &["purposes", &index, "legal_basis"],
            &format!("the legal basis of purpose `{}`", p.id),
            "each purpose needs its legal basis under GDPR Art. 6(1) (Art. 13(1)(c))",
        ));
    }
}

/// How a destination is named in messages: its exporter id, its host, or its position.
fn label(i: usize, d: &DestinationFacts) -> String {
    match (&d.exporter, &d.host) {
        (Some(e), _) => format!("destination `{e}`"),
        (None, Some(h)) => format!("destination `{h}`"),
        (None, None) => format!("destination #{}", i + 1),
    }
}

fn destination(lp: &LoadedProject, i: usize, d: &DestinationFacts, out: &mut Vec<Diagnostic>) {
    let index = i.to_string();
    let name = label(i, d);
    let mut need = |missing: bool, key: &str, what: &str, why: &str| {
        if missing {
            out.push(fact(
                lp,
                &["destinations", &index, key],
                &format!("{what} of {name}"),
                why,
            ));
        }
    };
    need(
        blank_text(d.recipient.as_ref()),
        "recipient",
        "the recipient",
        "employees must be told who receives their data (GDPR Art. 13(1)(e))",
    );
    need(
        d.role.is_none(),
        "role",
        "the recipient's role",
        "say whether it is `internal`, a `processor` (Art. 28 contract needed) or a `controller`",
    );
    need(
        blank(d.country.as_ref()),
        "country",
        "the country where the data is stored or accessed",
        "it decides whether the data is transferred outside the EEA (GDPR Chapter V)",
    );
    let outside_eea = d.country.as_deref().is_some_and(|c| !is_eea(c));
    need(
        outside_eea && d.transfer_mechanism.is_none(),
        "transfer_mechanism",
        "the transfer mechanism",
        "data kept outside the EEA needs a legal instrument, and employees must be told which (GDPR Art. 13(1)(f), 44-49)",
    );
    need(
        d.retention_days.is_none() && blank_text(d.retention_note.as_ref()),
        "retention_days",
        "how long the data is kept",
        "give `retention_days` or a `retention_note` with the criteria (GDPR Art. 13(2)(a))",
    );
    need(
        d.access.as_ref().is_none_or(Vec::is_empty),
        "access",
        "who can read the data",
        "the DPIA and the works council need the roles or teams with access (GDPR Art. 32, 35(7)(d))",
    );
}

fn works_council(lp: &LoadedProject, out: &mut Vec<Diagnostic>) {
    let wc = lp.project.works_council.clone().unwrap_or_default();
    let why = "a system suited to monitor employees needs the works council's consent or co-determination (NL: WOR art. 27; DE: BetrVG §87(1) Nr. 6)";
    if wc.country.is_none() {
        out.push(fact(
            lp,
            &["works_council", "country"],
            "which works-council law applies",
            why,
        ));
    }
    if blank(wc.body.as_ref()) {
        out.push(fact(
            lp,
            &["works_council", "body"],
            "the name of the works council",
            why,
        ));
    }
    if wc.status.is_none() {
        out.push(fact(
            lp,
            &["works_council", "status"],
            "where the works-council procedure stands",
            why,
        ));
    }
}

fn policy_and_documents(lp: &LoadedProject, out: &mut Vec<Diagnostic>) {
    let evaluation = lp
        .project
        .policy
        .as_ref()
        .and_then(|p| p.performance_evaluation);
    if evaluation.is_none() {
        out.push(fact(
            lp,
            &["policy", "performance_evaluation"],
            "whether the data may be used to assess individual performance or behaviour",
            "employees and the works council must know (a `true` makes the DPIA and co-determination questions much harder)",
        ));
    }
    let languages = lp.project.documents.as_ref().map(|d| d.languages.len());
    if languages.unwrap_or(0) == 0 {
        out.push(fact(
            lp,
            &["documents", "languages"],
            "the languages of the documents",
            "the notice must be in language the workforce understands (GDPR Art. 12(1)); e.g. `[en, nl]`",
        ));
    }
}

/// Every free-text fact of the project with its key path, in file order of the sections.
pub fn texts(p: &Project) -> Vec<(Vec<String>, &Text)> {
    let path = |a: &str, i: usize, b: &str| vec![a.to_string(), i.to_string(), b.to_string()];
    let mut all: Vec<(Vec<String>, Option<&Text>)> = Vec::new();
    for (i, purpose) in p.purposes.iter().enumerate() {
        all.push((
            path("purposes", i, "description"),
            purpose.description.as_ref(),
        ));
        all.push((
            path("purposes", i, "legitimate_interest"),
            purpose.legitimate_interest.as_ref(),
        ));
    }
    for (i, d) in p.destinations.iter().enumerate() {
        all.push((path("destinations", i, "recipient"), d.recipient.as_ref()));
        all.push((
            path("destinations", i, "retention_note"),
            d.retention_note.as_ref(),
        ));
    }
    for (i, m) in p.measures.iter().enumerate() {
        all.push((path("measures", i, "description"), m.description.as_ref()));
    }
    all.into_iter()
        .filter_map(|(path, t)| t.map(|t| (path, t)))
        .collect()
}

/// The languages every text given per language must have: the project's
/// `documents.languages`, or without them every language some text is given in (a file
/// that writes one purpose in Dutch and English wants all of them so).
pub fn text_languages(p: &Project) -> Vec<Language> {
    let documents = p
        .documents
        .as_ref()
        .map(|d| d.languages.clone())
        .unwrap_or_default();
    let mut langs = if documents.is_empty() {
        texts(p)
            .iter()
            .filter_map(|(_, t)| t.languages())
            .flatten()
            .collect()
    } else {
        documents
    };
    langs.sort();
    langs.dedup();
    langs
}

/// One `MissingFact` per language a text given per language lacks. A plain string counts
/// as written for every language; a blank text is a missing fact of its own.
fn translations(lp: &LoadedProject, out: &mut Vec<Diagnostic>) {
    let langs = text_languages(&lp.project);
    for (path, text) in texts(&lp.project) {
        let Some(given) = text.languages().filter(|g| !g.is_empty()) else {
            continue;
        };
        let steps: Vec<&str> = path.iter().map(String::as_str).collect();
        let dotted = KeyPath::from_steps(&steps).dotted();
        let shown_in = text.shown(Language::En).and_then(|s| s.only_in);
        for lang in langs.iter().filter(|l| !given.contains(l)) {
            let fallback = text
                .shown(*lang)
                .and_then(|s| s.only_in)
                .or(shown_in)
                .map_or("another language", |l| language_name(l));
            out.push(
                Diagnostic::new(
                    Code::MissingFact,
                    format!(
                        "missing translation: `{dotted}` has no {} text",
                        language_name(*lang)
                    ),
                )
                .at(lp.span_of(&steps))
                .hint(format!(
                    "add `{}:` under `{dotted}`; until then the {} documents show the {fallback} text, marked as only available in {fallback}",
                    lang.code(),
                    language_name(*lang)
                )),
            );
        }
    }
}

/// The English name of a language, for messages.
fn language_name(lang: Language) -> &'static str {
    match lang {
        Language::En => "English",
        Language::Nl => "Dutch",
        Language::De => "German",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostics;
    use crate::files::Files;

    fn facts_of(text: &str) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dpia.yaml");
        std::fs::write(&path, text).unwrap();
        let mut files = Files::new();
        let mut diags = Diagnostics::new();
        let lp = super::super::load(&mut files, &path, &mut diags).expect("loads");
        missing_facts(&lp)
            .iter()
            .map(|d| format!("{}:{}", d.span.unwrap().line, d.message))
            .collect()
    }

    #[test]
    fn each_missing_fact_points_at_its_place() {
        let facts = facts_of(
            "schema_version: 1\npurposes:\n  - id: cost\ndestinations:\n  - host: mimir.example\n    country: US\n",
        );
        let keys: Vec<&str> = facts
            .iter()
            .map(|f| f.rsplit_once("(`").unwrap().1.trim_end_matches("`)"))
            .collect();
        assert_eq!(
            keys,
            [
                "organisation.name",
                "organisation.country",
                "organisation.privacy_contact",
                "organisation.supervisory_authority",
                "dpo.email",
                "purposes[0].description",
                "purposes[0].legal_basis",
                "destinations[0].recipient",
                "destinations[0].role",
                "destinations[0].transfer_mechanism",
                "destinations[0].retention_days",
                "destinations[0].access",
                "works_council.country",
                "works_council.body",
                "works_council.status",
                "policy.performance_evaluation",
                "documents.languages",
            ]
        );
        assert!(
            facts[6].starts_with("3:"),
            "purpose entry line: {}",
            facts[6]
        );
        assert!(
            facts[8].starts_with("5:"),
            "destination entry line: {}",
            facts[8]
        );
        assert!(facts[8].contains("destination `mimir.example`"));
    }

    #[test]
    fn a_text_lacking_a_document_language_is_a_missing_translation() {
        let facts = facts_of(
            "schema_version: 1\npurposes:\n  - id: cost\n    description:\n      nl: Kosten beheersen.\n      en: Cost control.\nmeasures:\n  - id: m\n    description: {en: Access control.}\n  - id: p\n    description: Plain text.\ndocuments:\n  languages: [en, nl, de]\n",
        );
        let missing: Vec<&String> = facts.iter().filter(|f| f.contains("translation")).collect();
        assert_eq!(
            missing,
            [
                "4:missing translation: `purposes[0].description` has no German text",
                "9:missing translation: `measures[0].description` has no Dutch text",
                "9:missing translation: `measures[0].description` has no German text",
            ]
        );
    }

    #[test]
    fn without_document_languages_the_languages_used_are_wanted() {
        let facts = facts_of(
            "schema_version: 1\npurposes:\n  - id: cost\n    description: {nl: Kosten beheersen., en: Cost control.}\n  - id: b\n    description: {en: Budget.}\n",
        );
        let missing: Vec<&String> = facts.iter().filter(|f| f.contains("translation")).collect();
        assert_eq!(
            missing,
            ["6:missing translation: `purposes[1].description` has no Dutch text"]
        );
    }
}
