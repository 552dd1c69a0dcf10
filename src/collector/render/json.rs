//! The graph as JSON, a stable structure for tools (version 1):
//!
//! ```text
//! { "version": 1,
//!   "collectors": [ {
//!     "name": "gateway", "files": ["otelcol.yaml"], "fragment": false,
//!     "components": [ { "kind": "exporter", "id": "otlphttp/vendor", "type": "otlphttp",
//!                       "normalised_type": "otlp_http", "name": "vendor",
//!                       "config": "set" | "default" | "unknown", "at": "otelcol.yaml:20",
//!                       "destination": [ { "path": "endpoint", "state": "set",
//!                                          "value": "https://…", "at": "otelcol.yaml:21" },
//!                                        { "path": "headers.authorization",
//!                                          "state": "redacted", "at": "…" },
//!                                        { "path": "endpoint", "state": "unknown",
//!                                          "reason": "${env:HOST} unset", "at": "…" } ] } ],
//!     "unknown_sections": [ { "kind": "exporter", "reason": "…", "at": "…" } ],
//!     "service_extensions": { "refs": [ { "id": "health_check", "at": "…" } ], "unknown": null },
//!     "pipelines": [ { "id": "logs/x", "signal": "logs", "name": "x", "at": "…",
//!                      "receivers": <list>, "processors": <list, in run order>,
//!                      "exporters": <list> } ],
//!     "pipelines_unknown": null | { "reason": "…", "at": "…" },
//!     "connector_edges": [ { "connector": "forward", "from": "logs", "to": "logs/x" } ] } ] }
//! ```
//!
//! A `<list>` is `{ "refs": [ { "id", "at" } ], "unknown": null | { "reason", "at" } }`;
//! `unknown` set means more entries than `refs` may exist. `destination` is given for
//! exporters only. Secrets are never included: their state is `redacted` and no value.
//! Every `at` is `file:line`.

use serde::Serialize;

use crate::collector::fields::{Shown, destination_fields};
use crate::collector::model::{Collector, Component, Kind, Pipeline, RefList, Unknown};
use crate::files::Files;
use crate::tree::Value;

#[derive(Serialize)]
struct Root {
    version: u32,
    collectors: Vec<JCollector>,
}

#[derive(Serialize)]
struct JCollector {
    name: String,
    files: Vec<String>,
    fragment: bool,
    components: Vec<JComponent>,
    unknown_sections: Vec<JUnknownSection>,
    service_extensions: JList,
    pipelines: Vec<JPipeline>,
    pipelines_unknown: Option<JUnknown>,
    connector_edges: Vec<JEdge>,
}

#[derive(Serialize)]
struct JComponent {
    kind: &'static str,
    id: String,
    #[serde(rename = "type")]
    type_: String,
    normalised_type: String,
    name: Option<String>,
    config: &'static str,
    at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    destination: Option<Vec<JField>>,
}

#[derive(Serialize)]
struct JField {
    path: String,
    state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    at: String,
}

#[derive(Serialize)]
struct JUnknownSection {
    kind: &'static str,
    reason: String,
    at: String,
}

#[derive(Serialize)]
struct JUnknown {
    reason: String,
    at: String,
}

#[derive(Serialize)]
struct JRef {
    id: String,
    at: String,
    /// Where the template condition the entry sits under is written.
    #[serde(skip_serializing_if = "Option::is_none")]
    condition: Option<String>,
}

#[derive(Serialize)]
struct JList {
    refs: Vec<JRef>,
    unknown: Option<JUnknown>,
}

#[derive(Serialize)]
struct JPipeline {
    id: String,
    signal: &'static str,
    name: Option<String>,
    at: String,
    receivers: JList,
    processors: JList,
    exporters: JList,
}

#[derive(Serialize)]
struct JEdge {
    connector: String,
    from: String,
    to: String,
}

/// Renders every collector as one pretty-printed JSON document.
pub fn json(collectors: &[Collector], files: &Files) -> String {
    let root = Root {
        version: 1,
        collectors: collectors.iter().map(|c| collector(c, files)).collect(),
    };
    serde_json::to_string_pretty(&root).unwrap_or_default() + "\n"
}

fn collector(c: &Collector, files: &Files) -> JCollector {
    JCollector {
        name: c.name.clone(),
        files: c
            .files
            .iter()
            .map(|f| files.get(*f).display.clone())
            .collect(),
        fragment: c.fragment,
        components: c
            .components
            .iter()
            .map(|comp| component(comp, files))
            .collect(),
        unknown_sections: c
            .unknown_sections
            .iter()
            .map(|(kind, u)| JUnknownSection {
                kind: kind.word(),
                reason: u.reason.clone(),
                at: files.cite(u.span),
            })
            .collect(),
        service_extensions: list(&c.service_extensions, files),
        pipelines: c.pipelines.iter().map(|p| pipeline(p, files)).collect(),
        pipelines_unknown: c.pipelines_unknown.as_ref().map(|u| unknown(u, files)),
        connector_edges: c
            .connector_edges()
            .into_iter()
            .map(|e| JEdge {
                connector: e.connector.to_string(),
                from: c.pipelines[e.from].id.to_string(),
                to: c.pipelines[e.to].id.to_string(),
            })
            .collect(),
    }
}

fn component(comp: &Component, files: &Files) -> JComponent {
    let config = match comp.config.value {
        Value::Null => "default",
        Value::Unknown(_) => "unknown",
        _ => "set",
    };
    JComponent {
        kind: comp.kind.word(),
        id: comp.id.to_string(),
        type_: comp.id.type_.clone(),
        normalised_type: comp.normalised_type().to_string(),
        name: comp.id.name.clone(),
        config,
        at: files.cite(comp.span),
        destination: (comp.kind == Kind::Exporter).then(|| {
            destination_fields(&comp.config)
                .into_iter()
                .map(|f| {
                    let (state, value, reason) = match f.value {
                        Shown::Text(t) => ("set", Some(t), None),
                        Shown::Redacted => ("redacted", None, None),
                        Shown::Unknown(r) => ("unknown", None, Some(r)),
                    };
                    JField {
                        path: f.path,
                        state,
                        value,
                        reason,
                        at: files.cite(f.span),
                    }
                })
                .collect()
        }),
    }
}

fn pipeline(p: &Pipeline, files: &Files) -> JPipeline {
    JPipeline {
        id: p.id.to_string(),
        signal: p.id.signal.as_str(),
        name: p.id.name.clone(),
        at: files.cite(p.span),
        receivers: list(&p.receivers, files),
        processors: list(&p.processors, files),
        exporters: list(&p.exporters, files),
    }
}

fn list(l: &RefList, files: &Files) -> JList {
    JList {
        refs: l
            .refs
            .iter()
            .map(|r| JRef {
                id: r.id.to_string(),
                at: files.cite(r.span),
                condition: r.condition.map(|c| files.cite(c)),
            })
            .collect(),
        unknown: l.unknown.as_ref().map(|u| unknown(u, files)),
    }
}

fn unknown(u: &Unknown, files: &Files) -> JUnknown {
    JUnknown {
        reason: u.reason.clone(),
        at: files.cite(u.span),
    }
}
