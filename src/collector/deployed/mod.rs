//! Collector configurations read where they are deployed, so the file a user passes can be
//! the one in the repository that deploys the collector:
//!
//! * a Kubernetes manifest: a ConfigMap whose `data` key holds the configuration (also in a
//!   multi-document file or a `kind: List`), or an `OpenTelemetryCollector` resource of the
//!   OpenTelemetry Operator ([`k8s`], [`operator`]);
//! * values of the official `opentelemetry-collector` Helm chart, at the top of the file or
//!   under the chart's key of an umbrella chart ([`helm_values`]);
//! * a Helm template of either, read without rendering it ([`helm_template`]).
//!
//! Every span keeps pointing at the file the user passed: an embedded configuration is
//! parsed where it sits ([`embedded`]), chart defaults point at otel-dpia's data file.
//! When a file holds several configurations, `FILE#NAME/KEY` (ConfigMap name and `data`
//! key), `FILE#NAME` (operator resource) or `FILE#KEY` (umbrella values key) chooses one.
//!
//! Anything that cannot be decided stays visible: a value a template computes is unknown,
//! a processor listed under a template condition is not counted on ([`conditions`]), and a
//! variable the deployment sets when the pod runs is unknown.

mod chart;
mod conditions;
mod embedded;
mod helm_merge;
mod helm_template;
mod helm_values;
mod k8s;
mod operator;
pub mod region;

pub use chart::POD_ADDRESS;
pub use conditions::Conditions;

use crate::collector::detect::looks_like_collector;
use crate::collector::env::Environment;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::files::{FileId, Files, Span};
use crate::tree::{Node, Placement, parse_text};
use helm_template::Template;
use k8s::{Candidate, Source};

/// A collector configuration taken out of the form it is deployed in.
#[derive(Debug, Clone)]
pub struct Deployed {
    /// The configuration.
    pub root: Node,
    /// What the deployment sets in the collector's environment.
    pub env: Environment,
    /// The template conditions the configuration is written under (templates only).
    pub conditions: Conditions,
}

/// What [`recognise`] made of a file.
#[derive(Debug)]
pub enum Recognised {
    /// Not a deployed form: the file is read as a configuration (or rejected) as usual.
    No,
    /// The configuration was found.
    Config(Deployed),
    /// A deployed form that cannot be used; the diagnostics say why.
    Failed,
}

/// Looks for a deployed form in file `id`. `parsed` is its YAML documents, `None` when the
/// file is not YAML (a Helm template usually is not). `choice` is the `#…` part of the
/// path the user gave.
pub fn recognise(
    files: &mut Files,
    id: FileId,
    parsed: Option<&[Node]>,
    choice: Option<&str>,
    collector: &str,
    diags: &mut Diagnostics,
) -> Recognised {
    let templated = helm_template::has_actions(&files.get(id).text);
    let is_manifest = parsed.is_some_and(|docs| !k8s::objects(docs).is_empty());
    if templated && (parsed.is_none() || is_manifest) {
        return template(files, id, choice, collector, diags);
    }
    let Some(docs) = parsed else {
        return Recognised::No;
    };
    if is_manifest {
        return manifest(files, id, docs, None, choice, collector, diags);
    }
    let content: Vec<&Node> = docs.iter().filter(|d| !d.is_null()).collect();
    if let [doc] = content.as_slice()
        && !looks_like_collector(doc)
    {
        let display = files.get(id).display.clone();
        match helm_values::find(doc, choice, &display) {
            Err(d) => {
                diags.push(d);
                return Recognised::Failed;
            }
            Ok(Some(found)) => {
                return match helm_values::configuration(files, found, collector, diags) {
                    Some((root, env)) => Recognised::Config(Deployed {
                        root,
                        env,
                        conditions: Conditions::default(),
                    }),
                    None => Recognised::Failed,
                };
            }
            Ok(None) => {}
        }
    }
    if let Some(choice) = choice {
        diags.push(choice_without_choices(files, id, choice));
        return Recognised::Failed;
    }
    Recognised::No
}

fn choice_without_choices(files: &Files, id: FileId, choice: &str) -> Diagnostic {
    let file = &files.get(id).display;
    Diagnostic::new(
        Code::CollectorChoice,
        format!("`{file}#{choice}` chooses a configuration, but `{file}` is neither a Kubernetes manifest nor values of the opentelemetry-collector chart"),
    )
    .at(Files::whole(id))
    .hint("pass the file without `#…`")
}

/// The configuration of a Kubernetes manifest, parsed into `docs` from the file's text or,
/// for a template, from its neutral text.
fn manifest(
    files: &mut Files,
    id: FileId,
    docs: &[Node],
    template: Option<&Template>,
    choice: Option<&str>,
    collector: &str,
    diags: &mut Diagnostics,
) -> Recognised {
    let file_text;
    let source: &str = match template {
        Some(t) => &t.neutral,
        None => {
            file_text = files.get(id).text.clone();
            &file_text
        }
    };
    let objects = k8s::objects(docs);
    let show = |s: &str| template.map_or_else(|| s.to_string(), |t| t.restore(s));
    let candidates = k8s::candidates(&objects);
    let display = files.get(id).display.clone();
    let chosen = match k8s::choose(&candidates, choice, &display, &show, Files::whole(id)) {
        Ok(Some(c)) => c,
        Ok(None) => return Recognised::No,
        Err(d) => {
            diags.push(d);
            return Recognised::Failed;
        }
    };
    let Some((root, mask)) = extract(id, source, &chosen, template, diags) else {
        return Recognised::Failed;
    };
    if let Some(span) = mask {
        files.mark_secret(span);
    }
    let env = if chosen.object.kind == operator::KIND {
        operator::environment(&chosen.object)
    } else {
        let name = chosen.object.name.unwrap_or_default();
        k8s::workload_env(&objects, name, &show)
    };
    diags.push(
        Diagnostic::new(
            Code::DeployedConfig,
            format!(
                "collector `{collector}`: the configuration is {} in `{display}`",
                chosen.describe(&show)
            ),
        )
        .at(chosen.at),
    );
    Recognised::Config(Deployed {
        root,
        env,
        conditions: template.map_or_else(Conditions::default, |t| Conditions::of(id, t.regions())),
    })
}

/// The configuration a candidate holds, parsed where it is written; for a template, with
/// the template's expressions resolved and what makes it unreadable reported. With it, the
/// part of a line never to quote (see [`unmapped_text`]).
fn extract(
    id: FileId,
    source: &str,
    chosen: &Candidate<'_>,
    template: Option<&Template>,
    diags: &mut Diagnostics,
) -> Option<(Node, Option<Span>)> {
    let (root, last, mask) = match chosen.source {
        Source::Text(entry) => {
            let text = entry.value.as_str().unwrap_or_default();
            let last = entry.key_span.line + u32::try_from(text.lines().count()).unwrap_or(0);
            let mut scratch = Diagnostics::new();
            let (root, at) = embedded::parse(id, source, entry, text, &mut scratch);
            if !forward(scratch, template, diags) {
                return None;
            }
            (root?, last, unmapped_text(source, entry, at))
        }
        Source::Tree(node) => (node.clone(), last_line(node), None),
    };
    match template {
        Some(t) => resolved(t, root, chosen.at.line, last, diags).map(|root| (root, mask)),
        None => Some((root, mask)),
    }
}

/// A configuration parsed from a template's neutral text, written on lines
/// `first..=last`, with its expressions resolved; `None` when the template cannot be read
/// without rendering it (the errors say why).
fn resolved(
    t: &Template,
    root: Node,
    first: u32,
    last: u32,
    diags: &mut Diagnostics,
) -> Option<Node> {
    let problems = t.check_config(first, last);
    let failed = !problems.is_empty();
    diags.extend(problems);
    let before = diags.len();
    let root = t.resolve(root, diags, &mut Vec::new());
    let unreadable = diags
        .iter()
        .skip(before)
        .any(|d| d.code == Code::TemplateUnreadable);
    (!failed && !unreadable).then_some(root)
}

/// Passes on the diagnostics of parsing a template's configuration; a key defined twice
/// under a condition is two branches of it, which only rendering can decide. False when
/// that makes the template unreadable.
fn forward(scratch: Diagnostics, template: Option<&Template>, diags: &mut Diagnostics) -> bool {
    let mut readable = true;
    for d in scratch {
        let in_condition = template.is_some_and(|t| {
            d.span
                .is_some_and(|s| t.regions().iter().any(|r| r.holds(s)))
        });
        match d.span {
            Some(span) if d.code == Code::DuplicateKey && in_condition => {
                diags.push(helm_template::unreadable(
                    span,
                    format!("{} (in another branch of a template condition)", d.message),
                ));
                readable = false;
            }
            _ => diags.push(d),
        }
    }
    readable
}

/// For a configuration held as text whose lines do not map (placed `At` its key), the part
/// of the key's line after the key: diagnostics inside it cite that line, which then shows
/// the string itself, and it may hold a credential.
fn unmapped_text(source: &str, entry: &crate::tree::Entry, at: Placement) -> Option<Span> {
    if at != Placement::At(entry.key_span) {
        return None;
    }
    let value = entry.value.span;
    let line = source.split('\n').nth(value.line as usize - 1)?;
    (value.line == entry.key_span.line).then(|| Span {
        len: u32::try_from(line.chars().count())
            .unwrap_or(u32::MAX)
            .saturating_sub(value.col - 1)
            .max(1),
        ..value
    })
}

/// The last line any node of a subtree is written on.
fn last_line(node: &Node) -> u32 {
    let own = node.span.line;
    let inner = match &node.value {
        crate::tree::Value::Map(entries) => entries
            .iter()
            .map(|e| e.key_span.line.max(last_line(&e.value)))
            .max(),
        crate::tree::Value::Seq(items) => items.iter().map(last_line).max(),
        _ => None,
    };
    inner.unwrap_or(own).max(own)
}

/// A Helm template: a manifest, or a collector configuration itself.
fn template(
    files: &mut Files,
    id: FileId,
    choice: Option<&str>,
    collector: &str,
    diags: &mut Diagnostics,
) -> Recognised {
    let t = match helm_template::scan(files, id) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return Recognised::Failed;
        }
    };
    let docs = documents(&t.neutral, id);
    let parsed: Vec<Node> = docs.iter().filter_map(|d| d.node.clone()).collect();
    if !k8s::objects(&parsed).is_empty() {
        // A document that is not YAML even with its actions replaced does not matter,
        // unless it is where the configuration would be.
        let broken: Vec<&Doc> = docs
            .iter()
            .filter(|d| d.node.is_none() && d.declares_config)
            .collect();
        if !broken.is_empty() {
            for d in broken {
                diags.extend(d.errors.clone());
            }
            return Recognised::Failed;
        }
        return manifest(files, id, &parsed, Some(&t), choice, collector, diags);
    }
    if let [doc] = parsed.as_slice()
        && looks_like_collector(doc)
        && choice.is_none()
    {
        return match resolved(&t, doc.clone(), 1, u32::MAX, diags) {
            Some(root) => Recognised::Config(Deployed {
                root,
                env: Environment::default(),
                conditions: Conditions::of(id, t.regions()),
            }),
            None => Recognised::Failed,
        };
    }
    Recognised::No
}

fn is_document_start(line: &str) -> bool {
    line == "---" || line.starts_with("--- ") || line.starts_with("---\t")
}

/// One document of a template's neutral text.
struct Doc {
    /// The document, when it is YAML.
    node: Option<Node>,
    /// Why it is not.
    errors: Diagnostics,
    /// True when it declares a ConfigMap or an OpenTelemetryCollector: then its errors
    /// matter.
    declares_config: bool,
}

/// The documents of a (neutral) manifest text, each parsed on its own at its lines.
/// Splitting at `---` lines is what YAML does: a document marker at the left margin ends
/// even a block scalar.
fn documents(text: &str, id: FileId) -> Vec<Doc> {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut starts: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| is_document_start(l))
        .map(|(i, _)| i)
        .collect();
    if starts.first() != Some(&0) {
        starts.insert(0, 0);
    }
    let mut out = Vec::new();
    for (k, start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(lines.len());
        let chunk = &lines[*start..end];
        let declares_config = chunk.iter().any(|l| {
            let l = l.trim();
            l == "kind: ConfigMap" || l == format!("kind: {}", operator::KIND)
        });
        let mut errors = Diagnostics::new();
        let at = Placement::offset(id, u32::try_from(*start).unwrap_or(0), 0);
        match parse_text(&chunk.join("\n"), at, &mut errors) {
            Some(nodes) => out.extend(nodes.into_iter().filter(|n| !n.is_null()).map(|n| Doc {
                node: Some(n),
                errors: Diagnostics::new(),
                declares_config,
            })),
            None => out.push(Doc {
                node: None,
                errors,
                declares_config,
            }),
        }
    }
    out
}

/// Splits `FILE#CHOICE` (`NAME`, `NAME/KEY` or `KEY`) when the path as given does not
/// exist: the path to read and the choice.
pub fn split_choice(path: &std::path::Path) -> (std::path::PathBuf, Option<String>) {
    if path.exists() {
        return (path.to_path_buf(), None);
    }
    let text = path.to_string_lossy();
    match text.rsplit_once('#') {
        Some((file, choice))
            if !file.is_empty()
                && choice.split('/').count() <= 2
                && choice
                    .split('/')
                    .all(|p| !p.is_empty() && !p.contains('\\')) =>
        {
            (std::path::PathBuf::from(file), Some(choice.to_string()))
        }
        _ => (path.to_path_buf(), None),
    }
}

#[cfg(test)]
mod tests;
