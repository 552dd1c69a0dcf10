//! What a change sets in motion, each only when it applies: the notice (GDPR Art. 13), the
//! DPIA review (Art. 35(11)), and the works council (NL: WOR art. 27(1); DE: BetrVG
//! §87(1) Nr. 6). A widening change needs each of them before it takes effect; a change
//! that only narrows needs the documents updated and the works council informed.

use super::model::{Consequence, Diff, Direction};
use crate::project::{WorksCouncil, WorksCouncilLaw};

/// The consequences of a diff, in the order they are usually dealt with.
pub fn of(diff: &Diff, council: Option<&WorksCouncil>) -> Vec<Consequence> {
    let widens = matches!(
        diff.direction,
        Direction::Widening | Direction::Mixed | Direction::Changed
    );
    if diff.direction == Direction::Unchanged {
        return Vec::new();
    }
    let mut out = vec![notice(widens), dpia(widens)];
    let law = council.and_then(|c| c.country);
    let reference = council.and_then(|c| c.agreement_reference.clone());
    if matches!(law, None | Some(WorksCouncilLaw::NL)) {
        out.push(dutch(widens, law.is_none()));
    }
    if matches!(law, None | Some(WorksCouncilLaw::DE)) {
        out.push(german(widens, law.is_none(), reference.as_deref()));
    }
    out
}

fn item(id: &str, title: &str, law: &str, text: String) -> Consequence {
    Consequence {
        id: id.to_string(),
        title: title.to_string(),
        law: law.to_string(),
        text,
    }
}

fn notice(widens: bool) -> Consequence {
    let text = if widens {
        "Re-issue the employee notice before the change takes effect: employees must be told about the new data, recipients, retention or purposes before they are processed (GDPR Art. 13(1)–(2); Art. 13(3) requires the information before any processing for a new purpose).".to_string()
    } else {
        "Update the employee notice so that it no longer describes data flows that stopped (GDPR Art. 13); this can follow the change.".to_string()
    };
    item("notice", "Employee notice", "GDPR Art. 13(3)", text)
}

fn dpia(widens: bool) -> Consequence {
    let text = if widens {
        "Review the DPIA before the change: the risk of the processing changes, so the assessment must be checked against it and the measures re-evaluated (GDPR Art. 35(11)).".to_string()
    } else {
        "Record the reduced scope in the DPIA; its review confirms that the risk went down (GDPR Art. 35(11)).".to_string()
    };
    item("dpia", "DPIA review", "GDPR Art. 35(11)", text)
}

fn dutch(widens: bool, conditional: bool) -> Consequence {
    let lead = if conditional {
        "If a Dutch works council (ondernemingsraad) represents the employees, its"
    } else {
        "The ondernemingsraad's"
    };
    let text = if widens {
        format!(
            "{lead} consent is needed before the amended arrangement is put into effect, since a system suited to observe employees' behaviour or performance is being changed (WOR art. 27(1)(k) and (l)); a decision taken without consent can be declared void (art. 27(5))."
        )
    } else {
        format!(
            "{lead} consent also covers amending the arrangement (WOR art. 27(1)): inform it of the narrower scope and agree whether consent is needed."
        )
    };
    item(
        "works_council_nl",
        "Works council (Netherlands)",
        "WOR art. 27(1)",
        text,
    )
}

fn german(widens: bool, conditional: bool, reference: Option<&str>) -> Consequence {
    let lead = if conditional {
        "If a German works council (Betriebsrat) represents the employees, it"
    } else {
        "The Betriebsrat"
    };
    let agreement = reference
        .map(|r| format!("the works agreement ({r})"))
        .unwrap_or_else(|| "the works agreement".to_string());
    let text = if widens {
        format!(
            "{lead} must agree to the changed use of a technical system suited to monitor behaviour or performance before the change (BetrVG §87(1) Nr. 6); amend {agreement}. Without agreement, the conciliation board decides (§87(2))."
        )
    } else {
        format!(
            "{lead} is to be informed of the narrower scope; check whether {agreement} must be updated, since co-determination covers how the system is used (BetrVG §87(1) Nr. 6)."
        )
    };
    item(
        "works_council_de",
        "Works council (Germany)",
        "BetrVG §87(1) Nr. 6",
        text,
    )
}
