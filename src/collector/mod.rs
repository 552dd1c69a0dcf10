//! OpenTelemetry Collector configurations: reading, merging several `--config` files,
//! `${...}` substitution, the typed graph of components and pipelines, and the checks
//! `otelcol validate` makes.
//!
//! A file may also be where the configuration is deployed (a Kubernetes manifest, Helm chart
//! values, a Helm template): the `deployed` module takes the configuration out of it, keeping every
//! line citable in the file passed.
//!
//! [`load`] runs these steps for one collector of the inputs and returns the [`Collector`]
//! that the analysis follows from receivers to exporters. Whatever cannot be known from the
//! files (an unset `${env:X}`, a remote `${https:…}`) stays in the graph as unknown, with a
//! warning, so the analysis can assume the worst instead of guessing.

mod build;
mod connectors;
pub mod deployed;
mod detect;
pub mod env;
pub mod fields;
pub mod id;
mod merge;
mod model;
mod read;
pub mod render;
pub mod secrets;
mod size;
mod subst;
#[cfg(test)]
mod testing;
mod validate;

pub use connectors::supports as connector_supports;
pub use deployed::POD_ADDRESS;
pub use id::{ComponentId, PipelineId, Signal};
pub use model::{
    Collector, Component, ConnectorEdge, EdgeIndex, Kind, Pipeline, Ref, RefList, Unknown,
};

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::files::Files;
use crate::inputs::spec::CollectorSpec;

/// Reads, merges, substitutes, builds and validates one collector. Returns `None` when the
/// files cannot be read as a collector configuration at all; the diagnostics say why.
/// A returned collector may still carry errors in `diags` (an undefined reference, …).
pub fn load(files: &mut Files, spec: &CollectorSpec, diags: &mut Diagnostics) -> Option<Collector> {
    let docs = read::read_documents(files, spec, diags)?;
    let ids = docs.iter().map(|d| d.file).collect();
    let Some(first) = docs.first().map(|d| d.file) else {
        let msg = format!("collector `{}` names no configuration file", spec.name);
        diags.push(
            Diagnostic::new(Code::Usage, msg)
                .at_opt(spec.named_at)
                .hint("list its files, e.g. `files: [otelcol.yaml]` or `--collector otelcol.yaml`"),
        );
        return None;
    };
    let mut env = env::Environment::user(&spec.env);
    let mut conditions = deployed::Conditions::default();
    for d in &docs {
        env.extend_deployed(&d.env);
        conditions.extend(&d.conditions);
    }
    let root = merge::merge_all(docs.into_iter().map(|d| d.root))
        .unwrap_or_else(|| crate::tree::Node::new(crate::tree::Value::Null, Files::whole(first)));
    if !detect::looks_like_collector(&root) {
        if detect::is_component_map(&root) && detect::find_embedded(&root).is_none() {
            diags.push(read::component_fragment(files, spec, &root));
            return Some(Collector::new(&spec.name, ids, true));
        }
        diags.push(read::not_a_collector(files, &root));
        return None;
    }
    let root = conditions.unknown_components(root, diags);
    let root = subst::substitute(root, &env, files, diags);
    if !size::within_limits(&spec.name, &root, diags) {
        return None;
    }
    let mut collector = build::build(&spec.name, ids, &root, diags);
    conditions.mark(&mut collector, diags);
    validate::validate(&collector, files, diags);
    connectors::validate(&collector, diags);
    Some(collector)
}

/// Reads one configuration text and expands its `${...}` references with the given
/// variables, exactly as [`load`] does after merging, without building the graph.
///
/// [`load`] reaches the substitution only through files on disk; fuzzing and property tests
/// need it on a text. The text is registered as `collector.yaml`, so a `${file:…}` path is
/// relative to the working directory. `None` when the text is not one YAML document (the
/// diagnostics say why).
pub fn substitute_text(
    text: &str,
    env: &[(String, String)],
    files: &mut Files,
    diags: &mut Diagnostics,
) -> Option<crate::tree::Node> {
    let file = files.add("collector.yaml", text);
    let root = crate::tree::parse_yaml(files, file, diags)?
        .into_iter()
        .next()?;
    let env = env::Environment::user(env);
    Some(subst::substitute(root, &env, files, diags))
}

#[cfg(test)]
mod tests {
    use super::testing::{GOOD, load_texts};
    use super::*;
    use crate::tree::Value;

    #[test]
    fn a_good_configuration_gives_the_graph_and_no_diagnostics() {
        let loaded = load_texts(&[GOOD], &[]);
        assert!(loaded.diags.is_empty(), "{:?}", loaded.diags);
        let c = loaded.graph();
        assert!(!c.fragment);
        let ids: Vec<String> = c.pipelines.iter().map(|p| p.id.to_string()).collect();
        assert_eq!(ids, ["logs", "metrics"]);
        let order: Vec<String> = c.pipelines[0]
            .processors
            .refs
            .iter()
            .map(|r| r.id.to_string())
            .collect();
        assert_eq!(order, ["attributes/strip", "batch"]);
        let vendor = c
            .component(
                Kind::Exporter,
                &ComponentId::parse("otlphttp/vendor").unwrap(),
            )
            .unwrap();
        assert_eq!(vendor.normalised_type(), "otlp_http");
        assert_eq!(
            vendor.config.get("endpoint").and_then(|n| n.as_str()),
            Some("https://otlp.example.com")
        );
        assert_eq!(
            loaded.files.cite(vendor.span).rsplit('/').next(),
            Some("c0.yaml:12")
        );
        let otlp = c
            .component(Kind::Receiver, &ComponentId::parse("otlp").unwrap())
            .unwrap();
        assert_eq!(otlp.normalised_type(), "otlp", "receivers keep their type");
    }

    #[test]
    fn a_null_section_in_a_later_file_wipes_it_and_breaks_references() {
        let loaded = load_texts(&[GOOD, "processors:\n"], &[]);
        let undefined = loaded.with(Code::UndefinedComponent);
        assert_eq!(undefined.len(), 2, "{:?}", loaded.diags);
        let cited = loaded.files.cite(undefined[0].span.unwrap());
        assert!(cited.ends_with("c0.yaml:22"), "{cited}");
    }

    #[test]
    fn later_files_override_values_and_spans() {
        let over = "exporters:\n  otlphttp/vendor:\n    endpoint: https://eu.example.com\n";
        let loaded = load_texts(&[GOOD, over], &[]);
        let c = loaded.graph();
        let vendor = c
            .component(
                Kind::Exporter,
                &ComponentId::parse("otlphttp/vendor").unwrap(),
            )
            .unwrap();
        let endpoint = vendor.config.get("endpoint").unwrap();
        assert_eq!(endpoint.as_str(), Some("https://eu.example.com"));
        assert!(loaded.files.cite(endpoint.span).ends_with("c1.yaml:3"));
    }

    #[test]
    fn a_second_document_is_an_error_naming_its_line() {
        let loaded = load_texts(&[&format!("{GOOD}---\nkind: Deployment\n")], &[]);
        assert!(loaded.collector.is_none());
        let d = loaded.with(Code::MultipleDocuments);
        assert_eq!(d[0].span.map(|s| s.line), Some(28));
        let trailing = load_texts(&[&format!("{GOOD}---\n")], &[]);
        assert!(
            trailing.collector.is_some(),
            "an empty trailing document is harmless"
        );
    }

    #[test]
    fn other_kinds_of_file_are_recognised() {
        let values = load_texts(
            &["nameOverride: x\nconfig:\n  receivers: {otlp: {}}\n  service: {}\n"],
            &[],
        );
        assert_eq!(values.codes(), [Code::NotCollectorConfig]);
        assert!(
            values.diags[0]
                .hint
                .as_deref()
                .unwrap()
                .contains("`config` (line 2)"),
            "values of another chart are not guessed at"
        );
        let manifests =
            "apiVersion: v1\nkind: Service\n---\napiVersion: apps/v1\nkind: Deployment\n";
        let loaded = load_texts(&[manifests], &[]);
        assert_eq!(loaded.codes(), [Code::MultipleDocuments]);
        let empty = load_texts(&[""], &[]);
        assert_eq!(empty.codes(), [Code::NotCollectorConfig]);
        assert!(empty.diags[0].message.contains("is empty"));
        let unreadable = load_texts(&["a: {{ .Values.x }}\n---\nb: [\n"], &[]);
        assert!(unreadable.collector.is_none());
        assert!(unreadable.codes().contains(&Code::NotCollectorConfig));
    }

    #[test]
    fn a_configmap_is_read_where_it_is_deployed() {
        let manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: otel}\ndata:\n  relay: |\n    receivers:\n      otlp:\n    service:\n      pipelines: {}\n---\napiVersion: apps/v1\nkind: Deployment\n";
        let loaded = load_texts(&[manifest], &[]);
        assert_eq!(
            loaded.codes(),
            [
                Code::DeployedConfig,
                Code::NoPipelines,
                Code::UnusedComponent
            ]
        );
        assert!(
            loaded.diags[0]
                .message
                .contains("`data.relay` of ConfigMap `otel`")
        );
        // `pipelines: {}` is line 4 of the embedded configuration, line 9 of the manifest.
        let d = loaded.with(Code::NoPipelines);
        assert_eq!(d[0].span.map(|s| (s.line, s.col)), Some((9, 7)));
        assert!(loaded.files.cite(d[0].span.unwrap()).ends_with("c0.yaml:9"));
    }

    #[test]
    fn a_collector_without_files_is_a_usage_error() {
        let loaded = load_texts(&[], &[]);
        assert!(loaded.collector.is_none());
        assert_eq!(loaded.codes(), [Code::Usage]);
    }

    #[test]
    fn unknown_pipeline_lists_stay_unknown_without_errors() {
        let text = GOOD.replace(
            "exporters: [otlphttp/vendor, debug]",
            "exporters: ${env:EXPORTERS}",
        );
        let loaded = load_texts(&[&text], &[]);
        assert_eq!(loaded.codes(), [Code::UnresolvedReference]);
        let metrics = &loaded.graph().pipelines[1];
        let unknown = metrics.exporters.unknown.as_ref().unwrap();
        assert_eq!(unknown.reason, "${env:EXPORTERS} unset");
        assert!(metrics.exporters.refs.is_empty());
    }

    #[test]
    fn pipeline_lists_can_come_from_variables() {
        let text = GOOD.replace(
            "exporters: [otlphttp/vendor, debug]",
            "exporters: ${env:EXPORTERS}",
        );
        let as_list = load_texts(&[&text], &[("EXPORTERS", "[debug]")]);
        assert!(as_list.diags.is_empty(), "{:?}", as_list.diags);
        let as_csv = load_texts(&[&text], &[("EXPORTERS", "otlphttp/vendor,debug")]);
        assert!(as_csv.diags.is_empty(), "{:?}", as_csv.diags);
        assert_eq!(as_csv.graph().pipelines[1].exporters.refs.len(), 2);
    }

    #[test]
    fn unknown_pipelines_and_sections_are_kept() {
        let text = "receivers:\n  otlp:\nexporters: ${env:EXP}\nservice:\n  pipelines: ${file:${env:DIR}/p.yaml}\n";
        let loaded = load_texts(&[text], &[]);
        assert_eq!(
            loaded.codes(),
            [Code::UnresolvedReference, Code::UnresolvedReference]
        );
        let c = loaded.graph();
        assert!(c.pipelines_unknown.is_some());
        assert!(c.section_unknown(Kind::Exporter).is_some());
    }

    #[test]
    fn whole_values_from_variables_keep_their_type() {
        let text = GOOD.replace("endpoint: https://otlp.example.com", "endpoint: ${env:EP}");
        let loaded = load_texts(&[&text], &[("EP", "https://x.example.com")]);
        let c = loaded.graph();
        let vendor = c
            .component(
                Kind::Exporter,
                &ComponentId::parse("otlphttp/vendor").unwrap(),
            )
            .unwrap();
        let endpoint = vendor.config.get("endpoint").unwrap();
        assert!(matches!(&endpoint.value, Value::Scalar(s) if s.text == "https://x.example.com"));
    }
}
