//! The view model: the one value every template sees, built from the data map, the
//! resolved settings and `dpia.yaml`.
//!
//! It holds facts, never sentences: enums and keys (`status: sent`, `risk: thinking_aloud`)
//! that each language's templates word in their own way, plus data such as ids, names and
//! `file:line` citations. Strings from the inputs are stored as written; the template
//! engine escapes them for Markdown when they are printed (see `render::templates`).
//! Every list is in a fixed order so two renders give the same bytes.

mod cite;
mod destinations;
mod fact;
mod items;
mod measures;
mod org;
mod risks;
mod screening;
mod words;

use std::collections::BTreeMap;

use serde::Serialize;

pub use cite::Cite;
pub use destinations::{DestinationView, Scope, host_of};
pub use fact::Fact;
pub use items::{Form, Item, ItemStatus, Status};
pub use measures::{ConfigMeasure, MeasureAction};
pub use org::{
    DeclaredMeasure, DpoView, OrganisationView, PolicyView, PurposeView, WorksCouncilView,
};
pub use risks::{Likelihood, Mitigation, Risk, RiskKey, RiskLevel, Severity};
pub use screening::{ApItem, Criterion, Outcome, Screening};

use crate::analysis::map::DestinationOut;
use crate::analysis::run::Analysis;
use crate::diag::{Code, Diagnostic, Severity as DiagSeverity};
use crate::files::Files;
use crate::project::{LoadedProject, Project};
use crate::taxonomy::Level;

/// Finds the `file:line` of a key path in `dpia.yaml`.
pub type Locate<'a> = dyn Fn(&[&str]) -> Option<String> + 'a;

/// Everything the templates see.
#[derive(Debug, Clone, Serialize)]
pub struct View {
    /// About the document itself.
    pub meta: Meta,
    /// The controller.
    pub organisation: OrganisationView,
    /// The data protection officer.
    pub dpo: DpoView,
    /// Purposes and legal bases.
    pub purposes: Vec<PurposeView>,
    /// Each telemetry source (coding agent).
    pub sources: Vec<SourceView>,
    /// The collectors the telemetry passes.
    pub collectors: Vec<CollectorView>,
    /// Every destination with its facts, sorted by id.
    pub destinations: Vec<DestinationView>,
    /// What the employer's telemetry collects, over all sources (telemetry scope).
    pub collected: Vec<ItemStatus>,
    /// The same, by item key (`collected_by.prompts.status`).
    pub collected_by: BTreeMap<&'static str, ItemStatus>,
    /// What the assistant's vendor receives directly (model requests, its own telemetry).
    pub vendor_received: Vec<ItemStatus>,
    /// The same, by item key.
    pub vendor_received_by: BTreeMap<&'static str, ItemStatus>,
    /// Measures in the configuration and declared in `dpia.yaml`.
    pub measures: MeasuresView,
    /// The risk register.
    pub risks: Vec<Risk>,
    /// WP248, the Dutch AP list, suitability for monitoring.
    pub screening: Screening,
    /// The works council.
    pub works_council: WorksCouncilView,
    /// The policy.
    pub policy: PolicyView,
    /// Whether the configuration keeps within `policy.allowed`.
    pub policy_check: PolicyCheck,
    /// Where the analysis had to assume the worst (code and place).
    pub assumptions: Vec<Cite>,
    /// Facts still missing from `dpia.yaml`.
    pub todos: Vec<Todo>,
}

impl View {
    /// The same view for a document in another language: the free-text facts given per
    /// language show that language's text, or another's with a marker.
    pub fn in_language(&self, lang: &str) -> View {
        let mut v = self.clone();
        v.meta.lang = lang.to_string();
        for p in &mut v.purposes {
            let texts = [&mut p.description.value, &mut p.legitimate_interest.value];
            texts
                .into_iter()
                .flatten()
                .for_each(|w| w.set_language(lang));
        }
        for d in &mut v.destinations {
            let texts = [&mut d.recipient.value, &mut d.retention_note];
            texts
                .into_iter()
                .flatten()
                .for_each(|w| w.set_language(lang));
        }
        for m in &mut v.measures.declared {
            m.description.iter_mut().for_each(|w| w.set_language(lang));
        }
        v
    }
}

/// About the document.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    /// Language code of the templates (`en`, `nl`, `de`).
    pub lang: String,
    /// `YYYY-MM-DD`, or none for an undated draft.
    pub date: Option<String>,
    /// `documents.version`.
    pub version: Option<String>,
    /// Version of otel-dpia.
    pub tool_version: &'static str,
    /// The project file as named on the command line.
    pub project_file: Option<String>,
    /// The configuration files that define the processing, as named in the inputs.
    pub inputs: Vec<String>,
}

/// One telemetry source.
#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    /// Id, e.g. `claude-code`.
    pub id: String,
    /// Product name, e.g. `Claude Code`.
    pub name: String,
    /// Client version analysed.
    pub version: String,
    /// Whether OpenTelemetry export is on.
    pub telemetry_enabled: bool,
    /// Whether managed settings fix that switch.
    pub telemetry_fixed_by_policy: bool,
    /// Per signal, whether it is exported.
    pub signals: Vec<SignalView>,
    /// Content and identifier gates.
    pub gates: Vec<GateView>,
    /// What its telemetry collects (telemetry scope).
    pub collected: Vec<ItemStatus>,
    /// What its vendor receives directly.
    pub vendor_received: Vec<ItemStatus>,
    /// Where model requests go.
    pub model_api: Vec<ModelApiView>,
}

/// A signal and whether it is exported.
#[derive(Debug, Clone, Serialize)]
pub struct SignalView {
    /// `metrics`, `logs` or `traces`.
    pub signal: &'static str,
    /// Exported or not.
    pub exported: bool,
}

/// A gate.
#[derive(Debug, Clone, Serialize)]
pub struct GateView {
    /// Variable name.
    pub name: String,
    /// On or off.
    pub enabled: bool,
    /// Whether managed settings fix it.
    pub fixed_by_policy: bool,
    /// Where its value is set (`None`: the client default).
    pub at: Option<String>,
}

/// Where model requests go.
#[derive(Debug, Clone, Serialize)]
pub struct ModelApiView {
    /// Who runs the API.
    pub provider: String,
    /// Base URL (credentials masked).
    pub url: String,
}

/// A collector.
#[derive(Debug, Clone, Serialize)]
pub struct CollectorView {
    /// Its name.
    pub name: String,
    /// Its configuration files.
    pub files: Vec<String>,
}

/// Measures.
#[derive(Debug, Clone, Serialize)]
pub struct MeasuresView {
    /// Found in the configuration.
    pub config: Vec<ConfigMeasure>,
    /// Declared in `dpia.yaml`.
    pub declared: Vec<DeclaredMeasure>,
}

/// Whether the configuration keeps within the declared policy.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyCheck {
    /// `None` when no policy is declared.
    pub within: Option<bool>,
    /// Items that leave beyond what the policy allows.
    pub beyond: Vec<Item>,
}

/// A missing fact.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Todo {
    /// The dotted key in `dpia.yaml` (`destinations[+]` for a new entry).
    pub key: String,
    /// The destination id it is about, for a destination with no entry.
    pub subject: Option<String>,
    /// Where in `dpia.yaml` it belongs.
    pub at: Option<String>,
}

/// What [`build`] needs.
pub struct ViewInputs<'a> {
    /// The project file, when one was given.
    pub project: Option<&'a LoadedProject>,
    /// The analysis.
    pub analysis: &'a Analysis,
    /// Every file read.
    pub files: &'a Files,
    /// The diagnostics of the run so far.
    pub diagnostics: &'a [Diagnostic],
    /// The configuration files, as named in the inputs.
    pub inputs: Vec<String>,
    /// Template language.
    pub lang: &'a str,
    /// `YYYY-MM-DD`, if any.
    pub date: Option<String>,
}

/// Builds the view model.
pub fn build(inp: &ViewInputs<'_>) -> View {
    let default = Project::default();
    let project = inp.project.map_or(&default, |lp| &lp.project);
    let locate = |path: &[&str]| inp.project.map(|lp| inp.files.cite(lp.span_of(path)));
    let map = &inp.analysis.map;
    let destinations =
        destinations::destinations(&map.destinations, &project.destinations, &locate, inp.lang);
    let scope = |s: Scope| -> Vec<&DestinationOut> {
        map.destinations
            .iter()
            .zip(&destinations)
            .filter(|(d, v)| d.leaves_device && v.scope == s)
            .map(|(d, _)| d)
            .collect()
    };
    let collected = items::statuses(&scope(Scope::Telemetry), None);
    let vendor_received = items::statuses(&scope(Scope::Vendor), None);
    let policy = org::policy(project);
    let config = measures::config_measures(&inp.analysis.settings, &map.destinations, inp.files);
    let assumptions = assumptions(inp.diagnostics, inp.files);
    let risks = risks::register(&risks::RiskInputs {
        destinations: &destinations,
        policy: &policy,
        measures: &config,
        assumptions: &assumptions,
    });
    let organisation = org::organisation(project);
    let screening = screening::screen(&screening::ScreeningInputs {
        telemetry: &collected,
        policy: &policy,
        country: organisation.country.value.as_deref(),
        centrally_deployed: inp
            .analysis
            .settings
            .iter()
            .any(|s| s.policy_tier.is_some()),
        telemetry_on: inp.analysis.settings.iter().any(|s| s.telemetry.enabled),
    });
    View {
        meta: Meta {
            lang: inp.lang.to_string(),
            date: inp.date.clone(),
            version: project
                .documents
                .as_ref()
                .and_then(|d| fact::non_blank(d.version.as_ref())),
            tool_version: env!("CARGO_PKG_VERSION"),
            project_file: inp.project.map(|lp| inp.files.get(lp.file).display.clone()),
            inputs: inp.inputs.clone(),
        },
        dpo: org::dpo(project),
        purposes: org::purposes(project, inp.lang),
        sources: sources(inp, &scope(Scope::Telemetry), &scope(Scope::Vendor)),
        collectors: collectors(inp.analysis, inp.files),
        collected_by: by_item(&collected),
        vendor_received_by: by_item(&vendor_received),
        policy_check: policy_check(&policy, &collected),
        todos: todos(inp, &destinations),
        works_council: org::works_council(project),
        measures: MeasuresView {
            config,
            declared: org::declared_measures(project, inp.lang),
        },
        organisation,
        destinations,
        collected,
        vendor_received,
        risks,
        screening,
        policy,
        assumptions,
    }
}

fn by_item(list: &[ItemStatus]) -> BTreeMap<&'static str, ItemStatus> {
    list.iter().map(|s| (s.item.key(), s.clone())).collect()
}

fn sources(
    inp: &ViewInputs<'_>,
    telemetry: &[&DestinationOut],
    vendor: &[&DestinationOut],
) -> Vec<SourceView> {
    inp.analysis
        .settings
        .iter()
        .map(|s| SourceView {
            id: s.source.clone(),
            name: s.source_name.clone(),
            version: s.version.clone(),
            telemetry_enabled: s.telemetry.enabled,
            telemetry_fixed_by_policy: s.telemetry.fixed_by_policy,
            signals: s
                .signals
                .iter()
                .map(|x| SignalView {
                    signal: x.signal.as_str(),
                    exported: x.exported,
                })
                .collect(),
            gates: s
                .gates
                .iter()
                .map(|g| GateView {
                    name: g.name.clone(),
                    enabled: g.enabled,
                    fixed_by_policy: g.fixed_by_policy,
                    at: g.provenance.span().map(|sp| inp.files.cite(sp)),
                })
                .collect(),
            collected: items::statuses(telemetry, Some(&s.source)),
            vendor_received: items::statuses(vendor, Some(&s.source)),
            model_api: s
                .vendor
                .model_api
                .iter()
                .map(|m| ModelApiView {
                    provider: m.provider.clone(),
                    url: m.url.clone(),
                })
                .collect(),
        })
        .collect()
}

fn collectors(a: &Analysis, files: &crate::files::Files) -> Vec<CollectorView> {
    a.collectors
        .iter()
        .map(|c| CollectorView {
            name: c.spec.name.clone(),
            files: c.spec.files.iter().map(|f| files.shown(&f.path)).collect(),
        })
        .collect()
}

/// Codes whose diagnostics mean the analysis had to assume the worst somewhere.
fn is_assumption(code: Code) -> bool {
    let s = code.as_str();
    s.starts_with("OD5")
        || matches!(
            code,
            Code::UnresolvedReference | Code::UnknownValue | Code::DynamicHeaders
        )
}

fn assumptions(diags: &[Diagnostic], files: &Files) -> Vec<Cite> {
    let cites = diags
        .iter()
        .filter(|d| is_assumption(d.code) && d.severity != DiagSeverity::Error)
        .map(|d| Cite {
            at: d.span.map(|s| files.cite(s)),
            what: d.code.as_str().to_string(),
        })
        .collect();
    cite::tidy(cites, 40)
}

fn policy_check(policy: &PolicyView, collected: &[ItemStatus]) -> PolicyCheck {
    use crate::project::PolicyLevel;
    let Some(allowed) = policy.allowed else {
        return PolicyCheck {
            within: None,
            beyond: Vec::new(),
        };
    };
    let beyond: Vec<Item> = collected
        .iter()
        .filter(|s| s.status != Status::NotSent)
        .filter(|s| match allowed {
            PolicyLevel::Content => false,
            PolicyLevel::Identifiers => s.level >= Level::Content,
            PolicyLevel::MetadataOnly => {
                s.level >= Level::Content || (s.item.is_identifier() && !s.hashed_only)
            }
        })
        .map(|s| s.item)
        .collect();
    PolicyCheck {
        within: Some(beyond.is_empty()),
        beyond,
    }
}

fn todos(inp: &ViewInputs<'_>, destinations: &[DestinationView]) -> Vec<Todo> {
    let mut out: Vec<Todo> = match inp.project {
        Some(lp) => crate::project::missing_facts(lp)
            .iter()
            .map(|d| Todo {
                key: todo_key(&d.message),
                subject: None,
                at: d.span.map(|s| inp.files.cite(s)),
            })
            .collect(),
        None => Vec::new(),
    };
    for d in destinations
        .iter()
        .filter(|d| d.leaves_device && !d.described)
    {
        out.push(Todo {
            key: "destinations[+]".into(),
            subject: Some(d.id.clone()),
            at: inp
                .project
                .map(|lp| inp.files.cite(lp.span_of(&["destinations"]))),
        });
    }
    out
}

/// The dotted key a missing-fact message names, as in "missing fact: … (`a.b`)".
fn todo_key(message: &str) -> String {
    message
        .rsplit_once("(`")
        .map(|(_, k)| k.trim_end_matches("`)").to_string())
        .unwrap_or_else(|| message.to_string())
}

/// One OD405 warning per leaving destination that `dpia.yaml` does not describe.
pub fn undescribed_warnings(view: &View, project: Option<&LoadedProject>) -> Vec<Diagnostic> {
    view.destinations
        .iter()
        .filter(|d| d.leaves_device && !d.described)
        .map(|d| {
            let mut diag = Diagnostic::new(
                Code::MissingFact,
                format!("missing fact: no `destinations` entry describes `{}` (recipient, country, retention, access)", d.id),
            )
            .hint(format!("add an entry with `exporter: {}` (or its `host`) to `destinations`; the documents show a TODO until then", d.id));
            if let Some(lp) = project {
                diag = diag.at(lp.span_of(&["destinations"]));
            }
            diag
        })
        .collect()
}
