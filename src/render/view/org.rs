//! The organisation facts of `dpia.yaml` as templates see them: controller, DPO, purposes
//! with their legal basis, works council, policy and declared measures.

use serde::Serialize;

use super::fact::{Fact, non_blank, text};
use super::words::Words;
use crate::project::{
    LegalBasis, MeasureKind, PolicyLevel, Project, RecipientRole, WorksCouncilLaw,
    WorksCouncilStatus, is_eea,
};

/// The controller.
#[derive(Debug, Clone, Serialize)]
pub struct OrganisationView {
    /// Legal name.
    pub name: Fact<String>,
    /// Postal address (not required by law in the notice, shown when given).
    pub address: Option<String>,
    /// Country of establishment (ISO code).
    pub country: Fact<String>,
    /// Whether that country is in the EEA.
    pub in_eea: Option<bool>,
    /// Where employees send privacy questions.
    pub privacy_contact: Fact<String>,
    /// Representative in the Union (Art. 27), when given.
    pub eu_representative: Option<String>,
    /// Supervisory authority for complaints.
    pub supervisory_authority: Fact<String>,
}

/// The data protection officer.
#[derive(Debug, Clone, Serialize)]
pub struct DpoView {
    /// Name of the person or office.
    pub name: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Telephone.
    pub phone: Option<String>,
    /// The key to fill in when neither e-mail nor phone is given.
    pub todo: Option<String>,
}

/// One purpose.
#[derive(Debug, Clone, Serialize)]
pub struct PurposeView {
    /// Its id.
    pub id: String,
    /// The purpose in a sentence.
    pub description: Fact<Words>,
    /// The legal basis.
    pub legal_basis: Fact<LegalBasisView>,
    /// The legitimate interest; a TODO only when the basis is Art. 6(1)(f).
    pub legitimate_interest: Fact<Words>,
}

/// A legal basis with its letter in Art. 6(1).
#[derive(Debug, Clone, Serialize)]
pub struct LegalBasisView {
    /// `consent`, `contract`, `legal_obligation`, `vital_interests`, `public_task`,
    /// `legitimate_interests`.
    pub key: LegalBasis,
    /// The letter, `a` to `f`.
    pub letter: &'static str,
}

/// The works council.
#[derive(Debug, Clone, Serialize)]
pub struct WorksCouncilView {
    /// `NL` or `DE`.
    pub law: Fact<WorksCouncilLaw>,
    /// Name of the body.
    pub body: Fact<String>,
    /// Where the procedure stands.
    pub status: Fact<WorksCouncilStatus>,
    /// Reference of the agreement or decision.
    pub agreement_reference: Option<String>,
}

/// The organisation's policy.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyView {
    /// The most that may leave (`metadata_only`, `identifiers`, `content`).
    pub allowed: Option<PolicyLevel>,
    /// Whether individual performance or behaviour may be assessed.
    pub performance_evaluation: Fact<bool>,
    /// Smallest group reports may be about.
    pub min_group_size: Option<u32>,
}

/// A measure declared in `dpia.yaml`.
#[derive(Debug, Clone, Serialize)]
pub struct DeclaredMeasure {
    /// Its id.
    pub id: String,
    /// `technical` or `organisational`, when given.
    pub kind: Option<MeasureKind>,
    /// The organisation's description.
    pub description: Option<Words>,
}

/// Builds the organisation view.
pub fn organisation(p: &Project) -> OrganisationView {
    let o = p.organisation.clone().unwrap_or_default();
    let country = non_blank(o.country.as_ref());
    OrganisationView {
        name: text(o.name.as_ref(), "organisation.name"),
        address: non_blank(o.address.as_ref()),
        in_eea: country.as_deref().map(is_eea),
        country: Fact::required(country, "organisation.country"),
        privacy_contact: text(o.privacy_contact.as_ref(), "organisation.privacy_contact"),
        eu_representative: non_blank(o.eu_representative.as_ref()),
        supervisory_authority: text(
            o.supervisory_authority.as_ref(),
            "organisation.supervisory_authority",
        ),
    }
}

/// Builds the DPO view.
pub fn dpo(p: &Project) -> DpoView {
    let c = p.dpo.clone().unwrap_or_default();
    let email = non_blank(c.email.as_ref());
    let phone = non_blank(c.phone.as_ref());
    DpoView {
        name: non_blank(c.name.as_ref()),
        todo: (email.is_none() && phone.is_none()).then(|| "dpo.email".to_string()),
        email,
        phone,
    }
}

/// Builds the purposes, in file order, their texts as a document in `lang` shows them.
pub fn purposes(p: &Project, lang: &str) -> Vec<PurposeView> {
    p.purposes
        .iter()
        .enumerate()
        .map(|(i, purpose)| {
            let key = |k: &str| format!("purposes[{i}].{k}");
            let basis = purpose.legal_basis.map(|b| LegalBasisView {
                key: b,
                letter: letter(b),
            });
            let interest = Words::new(purpose.legitimate_interest.as_ref(), lang);
            PurposeView {
                id: purpose.id.clone(),
                description: Fact::required(
                    Words::new(purpose.description.as_ref(), lang),
                    key("description"),
                ),
                legitimate_interest: if purpose.legal_basis == Some(LegalBasis::LegitimateInterests)
                {
                    Fact::required(interest, key("legitimate_interest"))
                } else {
                    Fact::optional(interest)
                },
                legal_basis: Fact::required(basis, key("legal_basis")),
            }
        })
        .collect()
}

/// The letter of Art. 6(1) for a legal basis.
pub fn letter(b: LegalBasis) -> &'static str {
    match b {
        LegalBasis::Consent => "a",
        LegalBasis::Contract => "b",
        LegalBasis::LegalObligation => "c",
        LegalBasis::VitalInterests => "d",
        LegalBasis::PublicTask => "e",
        LegalBasis::LegitimateInterests => "f",
    }
}

/// Builds the works-council view.
pub fn works_council(p: &Project) -> WorksCouncilView {
    let w = p.works_council.clone().unwrap_or_default();
    WorksCouncilView {
        law: Fact::required(w.country, "works_council.country"),
        body: text(w.body.as_ref(), "works_council.body"),
        status: Fact::required(w.status, "works_council.status"),
        agreement_reference: non_blank(w.agreement_reference.as_ref()),
    }
}

/// Builds the policy view.
pub fn policy(p: &Project) -> PolicyView {
    let pol = p.policy.clone().unwrap_or_default();
    PolicyView {
        allowed: pol.allowed,
        performance_evaluation: Fact::required(
            pol.performance_evaluation,
            "policy.performance_evaluation",
        ),
        min_group_size: pol.min_group_size,
    }
}

/// The declared measures, in file order, as a document in `lang` shows them.
pub fn declared_measures(p: &Project, lang: &str) -> Vec<DeclaredMeasure> {
    p.measures
        .iter()
        .map(|m| DeclaredMeasure {
            id: m.id.clone(),
            kind: m.kind,
            description: Words::new(m.description.as_ref(), lang),
        })
        .collect()
}

/// Whether a role is outside the employer.
pub fn external(role: Option<RecipientRole>) -> bool {
    role != Some(RecipientRole::Internal)
}
