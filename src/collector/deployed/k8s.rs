//! Kubernetes manifests: the objects of a multi-document file, the collector
//! configurations they hold (a ConfigMap's `data` keys, an OpenTelemetryCollector's
//! `spec.config`), choosing one, and the environment the workload that mounts it gives the
//! collector.

use super::operator;
use crate::collector::env::{Environment, Given};
use crate::diag::{Code, Diagnostic};
use crate::files::Span;
use crate::tree::{Entry, Node, Value};

/// One object of a manifest.
#[derive(Debug, Clone, Copy)]
pub struct Object<'a> {
    /// The whole object.
    pub node: &'a Node,
    /// Its `kind`.
    pub kind: &'a str,
    /// Its `metadata.name`, as written (a template's markers included).
    pub name: Option<&'a str>,
}

/// The objects of the documents of a manifest, the items of a `kind: List` included, in
/// document order. A document without `apiVersion` and `kind` is not an object.
pub fn objects(docs: &[Node]) -> Vec<Object<'_>> {
    let mut out = Vec::new();
    for doc in docs {
        collect(doc, &mut out, 0);
    }
    out
}

fn collect<'a>(node: &'a Node, out: &mut Vec<Object<'a>>, depth: usize) {
    let (Some(kind), Some(_)) = (
        node.get("kind").and_then(Node::as_str),
        node.get("apiVersion").and_then(Node::as_str),
    ) else {
        return;
    };
    if kind == "List" && depth == 0 {
        for item in node.get("items").and_then(Node::as_seq).unwrap_or_default() {
            collect(item, out, depth + 1);
        }
        return;
    }
    let name = node
        .get("metadata")
        .and_then(|m| m.get("name"))
        .and_then(Node::as_str);
    out.push(Object { node, kind, name });
}

/// Where a candidate's configuration is written.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// As text, the string value of this entry (`config.yaml: |`).
    Text(&'a Entry),
    /// As a mapping (an OpenTelemetryCollector `v1beta1` `spec.config`).
    Tree(&'a Node),
}

/// A collector configuration found in a manifest.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    /// The object holding it.
    pub object: Object<'a>,
    /// The `data` key of a ConfigMap; `None` for an operator resource.
    pub key: Option<&'a str>,
    /// The configuration.
    pub source: Source<'a>,
    /// The key's place, to cite.
    pub at: Span,
}

impl Candidate<'_> {
    /// `data.relay` of ConfigMap `name`, for messages; `show` turns template markers back
    /// into the template's text.
    pub fn describe(&self, show: &dyn Fn(&str) -> String) -> String {
        let name = self
            .object
            .name
            .map(show)
            .unwrap_or_else(|| "(unnamed)".into());
        match self.key {
            Some(key) => format!("`data.{key}` of {} `{name}`", self.object.kind),
            None => format!("`spec.config` of {} `{name}`", self.object.kind),
        }
    }

    /// How a user chooses it: `NAME/KEY` or `NAME`.
    pub fn choice(&self, show: &dyn Fn(&str) -> String) -> String {
        let name = self.object.name.map(show).unwrap_or_default();
        match self.key {
            Some(key) => format!("{name}/{key}"),
            None => name,
        }
    }
}

/// Every collector configuration the objects hold: ConfigMap `data` keys whose text is a
/// collector configuration, and OpenTelemetryCollector resources.
pub fn candidates<'a>(objects: &[Object<'a>]) -> Vec<Candidate<'a>> {
    let mut out = Vec::new();
    for o in objects {
        match o.kind {
            "ConfigMap" => {
                for e in o
                    .node
                    .get("data")
                    .and_then(Node::as_map)
                    .unwrap_or_default()
                {
                    if e.value.as_str().is_some_and(is_config_text) {
                        out.push(Candidate {
                            object: *o,
                            key: Some(&e.key),
                            source: Source::Text(e),
                            at: e.key_span,
                        });
                    }
                }
            }
            operator::KIND => out.extend(operator::candidate(*o)),
            _ => {}
        }
    }
    out
}

/// True for text that starts a collector configuration: a line at the left margin that
/// opens `receivers:`, `exporters:` or `service:`.
pub fn is_config_text(text: &str) -> bool {
    text.lines().any(|l| {
        ["receivers:", "exporters:", "service:"]
            .iter()
            .any(|k| l.starts_with(k))
    })
}

/// The candidate `choice` (`NAME/KEY` or `NAME`) names, or the only one. `Ok(None)` when
/// there is none at all. More than one and no choice, or a choice that names none, is an
/// error (OD325) that lists the choices.
pub fn choose<'a>(
    candidates: &[Candidate<'a>],
    choice: Option<&str>,
    file: &str,
    show: &dyn Fn(&str) -> String,
    whole: Span,
) -> Result<Option<Candidate<'a>>, Diagnostic> {
    let options = || {
        candidates
            .iter()
            .map(|c| format!("`{file}#{}` ({})", c.choice(show), c.describe(show)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some(choice) = choice else {
        return match candidates {
            [] => Ok(None),
            [one] => Ok(Some(*one)),
            [first, ..] => Err(Diagnostic::new(
                Code::CollectorChoice,
                format!(
                    "`{file}` holds {} collector configurations; which one is meant is not said",
                    candidates.len()
                ),
            )
            .at(first.at)
            .hint(format!("name one after the file: {}", options()))),
        };
    };
    let (name, key) = match choice.split_once('/') {
        Some((n, k)) => (n, Some(k)),
        None => (choice, None),
    };
    let matching: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| c.object.name.map(show).as_deref() == Some(name))
        .filter(|c| key.is_none() || c.key == key)
        .collect();
    match matching.as_slice() {
        [one] => Ok(Some(**one)),
        _ => {
            let what = if matching.is_empty() {
                format!("`{file}#{choice}` names none of the collector configurations in `{file}`")
            } else {
                format!("`{file}#{choice}` names more than one collector configuration")
            };
            let hint = if candidates.is_empty() {
                "the file holds no collector configuration (a ConfigMap `data` key or an OpenTelemetryCollector resource)".to_string()
            } else {
                format!("choose one of: {}", options())
            };
            Err(Diagnostic::new(Code::CollectorChoice, what)
                .at(whole)
                .hint(hint))
        }
    }
}

/// What the workloads of the manifest that mount a ConfigMap (`volumes[].configMap.name`)
/// give their containers as environment: `env` values, `valueFrom` (set at run time) and
/// `envFrom` (any variable may be set). `show` turns names back into what the user wrote
/// (a template's expressions), to compare and to name them.
pub fn workload_env(
    objects: &[Object<'_>],
    configmap: &str,
    show: &dyn Fn(&str) -> String,
) -> Environment {
    let mut env = Environment::default();
    for o in objects {
        let Some(pod) = pod_spec(o) else { continue };
        let mounts = pod
            .get("volumes")
            .and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(|v| v.get("configMap")?.get("name")?.as_str())
            .any(|n| show(n) == show(configmap));
        if !mounts {
            continue;
        }
        let owner = format!("{} `{}`", o.kind, show(o.name.unwrap_or("(unnamed)")));
        for c in pod
            .get("containers")
            .and_then(Node::as_seq)
            .unwrap_or_default()
        {
            env_lists(c, &owner, &mut env);
        }
    }
    env
}

/// The pod specification of a workload object.
fn pod_spec<'a>(o: &Object<'a>) -> Option<&'a Node> {
    let spec = o.node.get("spec")?;
    match o.kind {
        "Pod" => Some(spec),
        "Deployment" | "DaemonSet" | "StatefulSet" | "ReplicaSet" | "Job" => {
            spec.get("template")?.get("spec")
        }
        "CronJob" => spec
            .get("jobTemplate")?
            .get("spec")?
            .get("template")?
            .get("spec"),
        _ => None,
    }
}

/// Reads `env:` (a list of `name` with `value` or `valueFrom`) and `envFrom:` of a
/// container, an operator resource's `spec`, or chart values (`extraEnvs`,
/// `extraEnvsFrom` through [`env_list`]).
pub fn env_lists(node: &Node, owner: &str, env: &mut Environment) {
    if let Some(list) = node.get("env") {
        env_list(list, owner, env);
    }
    if node
        .get("envFrom")
        .and_then(Node::as_seq)
        .is_some_and(|l| !l.is_empty())
    {
        env.deploy_any(format!("`envFrom` of {owner}"));
    }
}

/// One list of `{name, value}` / `{name, valueFrom}` entries.
pub fn env_list(list: &Node, owner: &str, env: &mut Environment) {
    for item in list.as_seq().unwrap_or_default() {
        let Some(name) = item.get("name").and_then(Node::as_str) else {
            continue;
        };
        let given = match item.get("value") {
            Some(v) => match &v.value {
                Value::Scalar(s) => Given::Value(s.text.clone()),
                Value::Null => Given::Value(String::new()),
                _ => Given::Runtime(format!("`env` of {owner}")),
            },
            None => Given::Runtime(format!("`valueFrom` in `env` of {owner}")),
        };
        env.deploy(name, given);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collector::env::Lookup;
    use crate::diag::Diagnostics;
    use crate::files::{FileId, Files};
    use crate::tree::parse_yaml;

    fn docs(text: &str) -> Vec<Node> {
        let mut files = Files::new();
        let id = files.add("m.yaml", text);
        parse_yaml(&files, id, &mut Diagnostics::new()).unwrap()
    }

    const TWO: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: agent}\ndata:\n  relay: |\n    receivers: {otlp: {}}\n  notes: hello\n---\napiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: gateway}\n    data:\n      relay: |\n        exporters: {debug: {}}\n";

    #[test]
    fn configmap_keys_holding_a_configuration_are_candidates() {
        let d = docs(TWO);
        let o = objects(&d);
        assert_eq!(o.len(), 2);
        let c = candidates(&o);
        let show = |s: &str| s.to_string();
        let names: Vec<String> = c.iter().map(|c| c.choice(&show)).collect();
        assert_eq!(names, ["agent/relay", "gateway/relay"]);
        let whole = Files::whole(FileId(0));
        let err = choose(&c, None, "m.yaml", &show, whole).unwrap_err();
        assert_eq!(err.code, Code::CollectorChoice);
        assert!(err.hint.unwrap().contains("`m.yaml#gateway/relay`"));
        let one = choose(&c, Some("gateway"), "m.yaml", &show, whole).unwrap();
        assert_eq!(one.unwrap().object.name, Some("gateway"));
        assert!(choose(&c, Some("agent/nope"), "m.yaml", &show, whole).is_err());
    }

    #[test]
    fn the_workload_mounting_the_configmap_gives_its_environment() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: otel}\nspec:\n  template:\n    spec:\n      volumes: [{name: c, configMap: {name: cfg}}]\n      containers:\n        - name: otel\n          env:\n            - {name: HOST, value: gw.example.com}\n            - name: TOKEN\n              valueFrom: {secretKeyRef: {name: s, key: t}}\n          envFrom: [{secretRef: {name: more}}]\n";
        let d = docs(text);
        let env = workload_env(&objects(&d), "cfg", &|a| a.to_string());
        assert_eq!(env.lookup("HOST"), Lookup::Value("gw.example.com"));
        assert!(matches!(env.lookup("TOKEN"), Lookup::Runtime(_)));
        assert!(matches!(env.lookup("ANY"), Lookup::Runtime(_)));
        let none = workload_env(&objects(&d), "other", &|a| a.to_string());
        assert!(none.nothing_deployed());
    }
}
