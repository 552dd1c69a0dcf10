//! Values of the official `opentelemetry-collector` Helm chart, read as the collector
//! configuration the chart renders from them (for the chart version in
//! [`super::chart`]):
//!
//! * `alternateConfig`, when not empty, is the configuration as it is;
//! * otherwise `config:` is merged over the chart's default configuration
//!   ([`super::helm_merge`]);
//! * enabled presets add their components ([`super::chart::PRESETS`]);
//! * the chart renders the result through `tpl`, so a `{{ … }}` in a value is computed at
//!   install time: the value is unknown (OD321);
//! * the pod's environment (`MY_POD_IP`, …), `extraEnvs` and `extraEnvsFrom` become the
//!   collector's environment.
//!
//! The chart also renames deprecated component names (`k8sattributes` → `k8s_attributes`,
//! `filelog` → `file_log`) by default. That only changes names, not what the components
//! do, so the names are kept as the values write them, where a user can find them.
//!
//! The values are found at the top of the file, or under the key of the chart when it is a
//! subchart of an umbrella chart (`opentelemetry-collector:`, or an alias).

use super::chart::{self, Adds};
use super::helm_merge::{self, Merged};
use super::helm_template;
use super::k8s::env_list;
use crate::collector::detect::looks_like_collector;
use crate::collector::env::Environment;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::files::{Files, Span};
use crate::tree::{Entry, Node, Scalar, Value};

/// The chart's name, also the usual key of its values in an umbrella chart.
pub const CHART: &str = "opentelemetry-collector";

/// Values of the chart found in a document.
#[derive(Debug, Clone, Copy)]
pub struct Found<'a> {
    /// The values of the chart.
    pub values: &'a Node,
    /// The umbrella chart's key they sit under, for a subchart.
    pub under: Option<&'a Entry>,
}

/// The chart's values in a document: at the top, or under one key of an umbrella chart's
/// values. `choice` (`FILE#KEY`) picks the key when several hold collector values.
pub fn find<'a>(
    doc: &'a Node,
    choice: Option<&str>,
    file: &str,
) -> Result<Option<Found<'a>>, Diagnostic> {
    if choice.is_none() && is_chart_values(doc, false) {
        return Ok(Some(Found {
            values: doc,
            under: None,
        }));
    }
    let subcharts: Vec<&Entry> = doc
        .as_map()
        .unwrap_or_default()
        .iter()
        .filter(|e| is_chart_values(&e.value, e.key == CHART))
        .filter(|e| choice.is_none_or(|c| c == e.key))
        .collect();
    match subcharts.as_slice() {
        [] if choice.is_some() => Err(Diagnostic::new(
            Code::CollectorChoice,
            format!(
                "`{file}#{}` names no values of the {CHART} chart in `{file}`",
                choice.unwrap_or_default()
            ),
        )
        .at(Files::whole(doc.span.file))
        .hint("name the key of the umbrella chart's values that holds the chart's `config` or `alternateConfig`")),
        [] => Ok(None),
        [one] => Ok(Some(Found {
            values: &one.value,
            under: Some(one),
        })),
        [first, ..] => Err(Diagnostic::new(
            Code::CollectorChoice,
            format!(
                "`{file}` holds the values of {} collectors; which one is meant is not said",
                subcharts.len()
            ),
        )
        .at(first.key_span)
        .hint(format!(
            "name one after the file: {}",
            subcharts
                .iter()
                .map(|e| format!("`{file}#{}`", e.key))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// True for the values of this chart: a non-empty `alternateConfig`; a `config` with
/// collector sections next to a key only this chart's values have (`mode`, `presets`) or
/// under the chart's own key; or `presets` with one of the chart's `mode`s (the default
/// configuration with presets).
fn is_chart_values(node: &Node, under_chart_key: bool) -> bool {
    let alternate = node
        .get("alternateConfig")
        .and_then(Node::as_map)
        .is_some_and(|m| !m.is_empty());
    let config = node.get("config").is_some_and(looks_like_collector);
    let mode = node
        .get("mode")
        .and_then(Node::as_str)
        .is_some_and(|m| ["deployment", "daemonset", "statefulset"].contains(&m));
    let presets = node.get("presets").and_then(Node::as_map).is_some();
    alternate
        || (config && (mode || presets || under_chart_key))
        || (presets && mode)
        || (under_chart_key && mode)
}

/// The configuration the chart renders from the values, with its environment. `None` when
/// the values leave it to another ConfigMap (the error says so).
pub fn configuration(
    files: &mut Files,
    found: Found<'_>,
    collector: &str,
    diags: &mut Diagnostics,
) -> Option<(Node, Environment)> {
    let values = found.values;
    let file = files.get(values.span.file).display.clone();
    if let Some(d) = existing_configmap(values, &file) {
        diags.push(d);
        return None;
    }
    let where_ = match found.under {
        Some(e) => format!(", a subchart under `{}:`", e.key),
        None => String::new(),
    };
    let version = chart::version();
    let alternate = values
        .entry("alternateConfig")
        .filter(|e| e.value.as_map().is_some_and(|m| !m.is_empty()));
    let (root, what, at) = match alternate {
        Some(e) => (
            e.value.clone(),
            "`alternateConfig` is the configuration, as it is (the chart's default configuration is not merged)".to_string(),
            e.key_span,
        ),
        None => {
            let user = values.entry("config");
            let defaults = chart::default_config(files);
            let mut merged = Merged::default();
            let root = match user {
                Some(e) if !e.value.is_null() => {
                    helm_merge::merge(defaults, e.value.clone(), found.under.is_some(), &mut merged)
                }
                _ => defaults,
            };
            for (path, span) in &merged.kept_defaults {
                diags.push(
                    Diagnostic::new(
                        Code::DeployedConfig,
                        format!("`config.{path}` is set to null in a subchart's values; Helm versions differ on whether that removes the chart's default, so the default is kept"),
                    )
                    .at(*span)
                    .hint("to remove chart defaults from a subchart, use `alternateConfig`"),
                );
            }
            let at = user.map_or(values.span, |e| e.key_span);
            (
                root,
                format!(
                    "`config` is merged over the chart's default configuration ({} in otel-dpia)",
                    chart::DEFAULTS_NAME
                ),
                at,
            )
        }
    };
    diags.push(
        Diagnostic::new(
            Code::DeployedConfig,
            format!(
                "collector `{collector}`: `{file}` is read as values of the {CHART} Helm chart{where_}, version {version} assumed: {what}"
            ),
        )
        .at(at),
    );
    let mut root = presets(root, values, diags);
    root = rendered_by_tpl(root, diags, &mut Vec::new());
    Some((root, environment(values, &file)))
}

/// The error for values that mount another ConfigMap instead of the chart's.
fn existing_configmap(values: &Node, file: &str) -> Option<Diagnostic> {
    let cm = values.get("configMap")?;
    let existing = cm
        .get("existingName")
        .and_then(Node::as_str)
        .filter(|n| !n.is_empty());
    let created = cm.get("create").and_then(Node::as_bool).unwrap_or(true);
    if existing.is_none() && created {
        return None;
    }
    let what = match existing {
        Some(name) => format!("mounts the existing ConfigMap `{name}`"),
        None => "creates no ConfigMap (`configMap.create: false`)".to_string(),
    };
    Some(
        Diagnostic::new(
            Code::NotCollectorConfig,
            format!("the chart values in `{file}` {what}, so the collector's configuration is not in these values"),
        )
        .at(cm.span)
        .hint("pass the manifest of that ConfigMap (`FILE#NAME/relay`) instead"),
    )
}

/// Adds what each enabled preset adds, with a note (OD327) at its switch.
fn presets(mut root: Node, values: &Node, diags: &mut Diagnostics) -> Node {
    let Some(presets) = values.get("presets") else {
        return root;
    };
    for preset in chart::PRESETS {
        let Some(node) = preset.path.iter().try_fold(presets, |n, k| n.get(k)) else {
            continue;
        };
        let Some(switch) = node.entry("enabled") else {
            continue;
        };
        if switch.value.as_bool() != Some(true) || !detectors_enabled(preset.path, node) {
            continue;
        }
        let name = preset.path.join(".");
        let why =
            format!("added by the chart's `presets.{name}`, with settings the chart generates");
        let mut added = Vec::new();
        for add in preset.adds {
            added.push(apply(&mut root, *add, switch.key_span, &why));
        }
        diags.push(
            Diagnostic::new(
                Code::ChartPreset,
                format!(
                    "`presets.{name}` is enabled: the chart adds {}; their settings are treated as unknown",
                    added.join(", ")
                ),
            )
            .at(switch.key_span),
        );
    }
    root
}

/// `resourceDetection` adds its processor only when a detector is enabled; `env` and
/// `k8s_api` are by default.
fn detectors_enabled(path: &[&str], node: &Node) -> bool {
    if path != ["resourceDetection"] {
        return true;
    }
    [
        ("env", true),
        ("k8s_api", true),
        ("k8snode", false),
        ("eks", false),
        ("aks", false),
        ("gcp", false),
    ]
    .iter()
    .any(|(d, default)| {
        node.get(d)
            .and_then(|n| n.get("enabled"))
            .and_then(Node::as_bool)
            .unwrap_or(*default)
    })
}

/// Adds one component and its pipeline entries; returns how to name it in the note.
fn apply(root: &mut Node, add: Adds, at: Span, why: &str) -> String {
    let unknown = || Node::new(Value::Unknown(why.to_string()), at);
    let id = |text: &str| Node::string(text, at);
    match add {
        Adds::Receiver(name, pipelines) => {
            define(root, "receivers", name, unknown());
            for p in pipelines {
                let list = list_mut(root, p, "receivers", true);
                push_unique(list, id(name), false);
            }
            format!("receiver `{name}`")
        }
        Adds::Processor(name, pipelines) => {
            define(root, "processors", name, unknown());
            for p in pipelines {
                if pipeline_exists(root, p) {
                    let list = list_mut(root, p, "processors", true);
                    push_unique(list, id(name), true);
                }
            }
            format!("processor `{name}`")
        }
        Adds::Profiles(name) => {
            define(root, "receivers", name, unknown());
            define(root, "exporters", "debug", Node::new(Value::Null, at));
            push_unique(
                list_mut(root, "profiles", "receivers", true),
                id(name),
                false,
            );
            *list_mut(root, "profiles", "exporters", false) =
                Node::new(Value::Seq(vec![id("debug")]), at);
            format!("receiver `{name}` in a `profiles` pipeline")
        }
    }
}

/// The mapping at `key` of a mapping node, created (or replacing a non-mapping) if needed.
fn child_map<'a>(node: &'a mut Node, key: &str, at: Span) -> &'a mut Node {
    if !matches!(node.value, Value::Map(_)) {
        node.value = Value::Map(Vec::new());
    }
    let Value::Map(entries) = &mut node.value else {
        unreachable!("made a mapping above")
    };
    let i = match entries.iter().position(|e| e.key == key) {
        Some(i) => i,
        None => {
            entries.push(Entry {
                key: key.to_string(),
                key_span: at,
                value: Node::new(Value::Map(Vec::new()), at),
            });
            entries.len() - 1
        }
    };
    let child = &mut entries[i].value;
    if !matches!(child.value, Value::Map(_)) {
        child.value = Value::Map(Vec::new());
    }
    child
}

/// Defines a component unless the configuration already does.
fn define(root: &mut Node, section: &str, name: &str, config: Node) {
    let at = config.span;
    let section = child_map(root, section, at);
    if section.get(name).is_none()
        && let Value::Map(entries) = &mut section.value
    {
        entries.push(Entry {
            key: name.to_string(),
            key_span: at,
            value: config,
        });
    }
}

fn pipeline_exists(root: &Node, pipeline: &str) -> bool {
    root.get("service")
        .and_then(|s| s.get("pipelines"))
        .and_then(|p| p.get(pipeline))
        .is_some()
}

/// The list `service.pipelines.<pipeline>.<key>`, created when missing (`create`) so the
/// chart's `append` has somewhere to go.
fn list_mut<'a>(root: &'a mut Node, pipeline: &str, key: &str, create: bool) -> &'a mut Node {
    let at = root.span;
    let service = child_map(root, "service", at);
    let pipelines = child_map(service, "pipelines", at);
    let p = child_map(pipelines, pipeline, at);
    let Value::Map(entries) = &mut p.value else {
        unreachable!("child_map gives a mapping")
    };
    let i = match entries.iter().position(|e| e.key == key) {
        Some(i) => i,
        None => {
            let value = if create {
                Node::new(Value::Seq(Vec::new()), at)
            } else {
                Node::new(Value::Null, at)
            };
            entries.push(Entry {
                key: key.to_string(),
                key_span: at,
                value,
            });
            entries.len() - 1
        }
    };
    &mut entries[i].value
}

/// Appends (or puts first) an id in a list unless it is there; a list that is not a list
/// of ids (an unknown value) is left alone.
fn push_unique(list: &mut Node, id: Node, first: bool) {
    if list.is_null() {
        list.value = Value::Seq(Vec::new());
    }
    let Value::Seq(items) = &mut list.value else {
        return;
    };
    let name = id.as_str().unwrap_or_default().to_string();
    let same = |n: &Node| {
        let t = n.as_str().unwrap_or_default();
        t == name || (name == "k8s_attributes" && t == "k8sattributes")
    };
    if items.iter().any(same) {
        return;
    }
    if first {
        items.insert(0, id);
    } else {
        items.push(id);
    }
}

/// The chart renders its configuration through `tpl`: a string with `{{ … }}` is computed
/// at install time, so it is unknown (OD321).
fn rendered_by_tpl(node: Node, diags: &mut Diagnostics, path: &mut Vec<String>) -> Node {
    let span = node.span;
    match node.value {
        Value::Map(entries) => Node::new(
            Value::Map(
                entries
                    .into_iter()
                    .map(|mut e| {
                        path.push(e.key.clone());
                        e.value = rendered_by_tpl(e.value, diags, path);
                        path.pop();
                        e
                    })
                    .collect(),
            ),
            span,
        ),
        Value::Seq(items) => Node::new(
            Value::Seq(
                items
                    .into_iter()
                    .map(|n| rendered_by_tpl(n, diags, path))
                    .collect(),
            ),
            span,
        ),
        Value::Scalar(Scalar { text, .. }) if helm_template::has_actions(&text) => {
            diags.push(
                Diagnostic::new(
                    Code::TemplateValue,
                    format!(
                        "`{}` is `{text}`, which the chart renders with `tpl` at install time, so it is treated as unknown",
                        path.join(".")
                    ),
                )
                .at(span)
                .hint("write the value itself, or render the chart (`helm template …`) and pass the result"),
            );
            Node::new(
                Value::Unknown(format!("computed by the chart's `tpl` from `{text}`")),
                span,
            )
        }
        other => Node::new(other, span),
    }
}

/// The collector's environment: the chart's pod fields, then `extraEnvs` and
/// `extraEnvsFrom` of the values.
fn environment(values: &Node, file: &str) -> Environment {
    let mut env = chart::pod_environment();
    let owner = format!("the chart values in `{file}`");
    if let Some(list) = values.get("extraEnvs") {
        env_list(list, &format!("`extraEnvs` of {owner}"), &mut env);
    }
    if values
        .get("extraEnvsFrom")
        .and_then(Node::as_seq)
        .is_some_and(|l| !l.is_empty())
    {
        env.deploy_any(format!("`extraEnvsFrom` of {owner}"));
    }
    env
}
