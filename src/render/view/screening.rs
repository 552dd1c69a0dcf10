//! Whether a DPIA is needed and which rules engage: the nine WP248 criteria, the Dutch
//! supervisory authority's list (for employers established in the Netherlands), and the
//! works-council provisions (WOR art. 27, BetrVG §87(1) Nr. 6).
//!
//! Each criterion is `met`, `possible` or `not_met` with reason keys derived from the data
//! map and `dpia.yaml`; the templates word the reasons. WP248's rule of thumb: two or more
//! criteria met mean a DPIA is generally required; `possible` criteria are counted apart.

use serde::Serialize;

use super::items::{Item, ItemStatus, Status, leaves};
use super::org::PolicyView;

/// The outcome of one criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The inputs show it.
    Met,
    /// The configuration makes it possible; whether it happens depends on use.
    Possible,
    /// Nothing in the inputs points to it.
    NotMet,
}

/// One WP248 criterion.
#[derive(Debug, Clone, Serialize)]
pub struct Criterion {
    /// 1–9, as numbered in WP248 rev.01.
    pub number: u8,
    /// `evaluation_scoring`, `automated_decisions`, `systematic_monitoring`,
    /// `sensitive_data`, `large_scale`, `matching_datasets`, `vulnerable_subjects`,
    /// `innovative_technology`, `prevents_rights`.
    pub key: &'static str,
    /// The outcome.
    pub outcome: Outcome,
    /// Why, as keys (see `templates/README.md`).
    pub reasons: Vec<&'static str>,
}

/// The screening result.
#[derive(Debug, Clone, Serialize)]
pub struct Screening {
    /// The nine criteria.
    pub criteria: Vec<Criterion>,
    /// How many are met.
    pub met: usize,
    /// How many are possible.
    pub possible: usize,
    /// Two or more met (WP248's rule of thumb).
    pub dpia_required: bool,
    /// The Dutch AP list, when the employer is established in the Netherlands.
    pub ap_nl: Option<Vec<ApItem>>,
    /// Whether the tool is suited to monitor individual employees (identifiers with
    /// activity data): WOR 27(1)(l) and BetrVG §87(1) Nr. 6 attach to suitability.
    pub monitoring_suitable: bool,
}

/// One category of the Dutch AP list that the processing may fall under.
#[derive(Debug, Clone, Serialize)]
pub struct ApItem {
    /// `controle_werknemers`, `communicatiegegevens`, `observatie_gedrag`, `profilering`.
    pub key: &'static str,
    /// Whether it applies.
    pub outcome: Outcome,
}

/// What the screening reads.
pub struct ScreeningInputs<'a> {
    /// Telemetry items over all sources and telemetry destinations.
    pub telemetry: &'a [ItemStatus],
    /// The policy.
    pub policy: &'a PolicyView,
    /// The employer's country.
    pub country: Option<&'a str>,
    /// Whether managed settings (deployed centrally) decide the telemetry.
    pub centrally_deployed: bool,
    /// Whether telemetry export is on for any source.
    pub telemetry_on: bool,
}

/// Runs the screening.
pub fn screen(inp: &ScreeningInputs<'_>) -> Screening {
    let t = inp.telemetry;
    let ids = Item::ALL.iter().any(|i| i.is_identifier() && leaves(t, *i));
    let activity = [Item::UsageCost, Item::Timing]
        .iter()
        .any(|i| leaves(t, *i))
        || Item::ALL.iter().any(|i| i.is_content() && leaves(t, *i));
    let content = Item::ALL.iter().any(|i| i.is_content() && leaves(t, *i));
    let content_sent = t
        .iter()
        .any(|s| s.item.is_content() && s.status == Status::Sent && !s.hashed_only);
    let monitoring = inp.telemetry_on && ids && activity;
    let eval = inp.policy.performance_evaluation.value;
    let mut criteria = vec![
        evaluation(monitoring, eval),
        automated(eval),
        crit(
            3,
            "systematic_monitoring",
            monitoring,
            false,
            &["per_person_activity_data"],
            &["no_per_person_data"],
        ),
        sensitive(content, content_sent),
        large_scale(inp.centrally_deployed),
        matching(t),
        crit(7, "vulnerable_subjects", true, false, &["employees"], &[]),
        crit(
            8,
            "innovative_technology",
            true,
            false,
            &["ai_assistant_telemetry"],
            &[],
        ),
        crit(
            9,
            "prevents_rights",
            false,
            false,
            &[],
            &["no_access_condition"],
        ),
    ];
    criteria.sort_by_key(|c| c.number);
    let met = criteria
        .iter()
        .filter(|c| c.outcome == Outcome::Met)
        .count();
    let possible = criteria
        .iter()
        .filter(|c| c.outcome == Outcome::Possible)
        .count();
    let ap_nl = (inp.country == Some("NL")).then(|| ap_list(monitoring, content, eval, activity));
    Screening {
        criteria,
        met,
        possible,
        dpia_required: met >= 2,
        ap_nl,
        monitoring_suitable: monitoring,
    }
}

fn crit(
    number: u8,
    key: &'static str,
    met: bool,
    possible: bool,
    yes: &[&'static str],
    no: &[&'static str],
) -> Criterion {
    let outcome = if met {
        Outcome::Met
    } else if possible {
        Outcome::Possible
    } else {
        Outcome::NotMet
    };
    let reasons = if met || possible { yes } else { no };
    Criterion {
        number,
        key,
        outcome,
        reasons: reasons.to_vec(),
    }
}

fn evaluation(monitoring: bool, eval: Option<bool>) -> Criterion {
    match (monitoring, eval) {
        (false, _) => crit(
            1,
            "evaluation_scoring",
            false,
            false,
            &[],
            &["no_per_person_data"],
        ),
        (true, Some(true)) => crit(
            1,
            "evaluation_scoring",
            true,
            false,
            &["performance_evaluation_declared"],
            &[],
        ),
        (true, Some(false)) => crit(
            1,
            "evaluation_scoring",
            false,
            true,
            &[
                "per_person_activity_data",
                "performance_evaluation_excluded",
            ],
            &[],
        ),
        (true, None) => crit(
            1,
            "evaluation_scoring",
            false,
            true,
            &[
                "per_person_activity_data",
                "performance_evaluation_undeclared",
            ],
            &[],
        ),
    }
}

fn automated(eval: Option<bool>) -> Criterion {
    match eval {
        Some(true) => crit(
            2,
            "automated_decisions",
            false,
            true,
            &["performance_evaluation_declared"],
            &[],
        ),
        _ => crit(
            2,
            "automated_decisions",
            false,
            false,
            &[],
            &["no_automated_decisions_configured"],
        ),
    }
}

fn sensitive(content: bool, sent: bool) -> Criterion {
    crit(
        4,
        "sensitive_data",
        sent,
        content && !sent,
        &["free_text_content"],
        &["no_content"],
    )
}

fn large_scale(central: bool) -> Criterion {
    crit(
        5,
        "large_scale",
        false,
        central,
        &["central_rollout"],
        &["scale_not_known"],
    )
}

fn matching(t: &[ItemStatus]) -> Criterion {
    let joined = leaves(t, Item::AdminAttributes) || leaves(t, Item::OrgMembership);
    crit(
        6,
        "matching_datasets",
        false,
        joined,
        &["directory_attributes"],
        &["no_directory_attributes"],
    )
}

fn ap_list(monitoring: bool, content: bool, eval: Option<bool>, activity: bool) -> Vec<ApItem> {
    let yes = |b: bool| if b { Outcome::Met } else { Outcome::NotMet };
    vec![
        ApItem {
            key: "controle_werknemers",
            outcome: yes(monitoring),
        },
        ApItem {
            key: "communicatiegegevens",
            outcome: yes(content),
        },
        ApItem {
            key: "observatie_gedrag",
            outcome: yes(monitoring && activity),
        },
        ApItem {
            key: "profilering",
            outcome: match (monitoring, eval) {
                (true, Some(true)) => Outcome::Met,
                (true, _) => Outcome::Possible,
                _ => Outcome::NotMet,
            },
        },
    ]
}
