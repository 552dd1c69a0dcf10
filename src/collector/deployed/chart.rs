//! What the official `opentelemetry-collector` Helm chart does to the configuration around
//! the values, for the chart version in `catalogue/helm/opentelemetry-collector.yaml`: its
//! default `config:`, the presets that add components when enabled, and the environment
//! its pod gives the collector.

use crate::collector::env::{Environment, Given};
use crate::diag::Diagnostics;
use crate::files::{FileId, Files};
use crate::tree::{Node, parse_yaml};

/// The chart's default configuration and its version, as data.
const DEFAULTS: &str = include_str!("../../../catalogue/helm/opentelemetry-collector.yaml");

/// How the data file is named in citations (it is part of otel-dpia, not of the inputs).
pub const DEFAULTS_NAME: &str = "catalogue/helm/opentelemetry-collector.yaml";

/// The chart version whose defaults, presets and pod environment are assumed.
pub fn version() -> &'static str {
    DEFAULTS
        .lines()
        .find_map(|l| l.strip_prefix("version: "))
        .unwrap_or("unknown")
}

/// The chart's default `config:`, read into the file store so its lines can be cited.
pub fn default_config(files: &mut Files) -> Node {
    let id = files
        .find(DEFAULTS_NAME)
        .unwrap_or_else(|| files.add(DEFAULTS_NAME, DEFAULTS));
    let mut ignored = Diagnostics::new();
    parse_yaml(files, id, &mut ignored)
        .and_then(|mut docs| docs.pop())
        .and_then(|d| d.get("config").cloned())
        .unwrap_or_else(|| Node::new(crate::tree::Value::Null, Files::whole(FileId(0))))
}

/// The value `${env:MY_POD_IP}` (and `OTEL_K8S_POD_IP`) takes in the chart's configuration.
///
/// The chart sets both from the pod's `status.podIP`, so the default receivers listen on
/// `${env:MY_POD_IP}:4317`: on the pod's own address, which clients reach through the
/// chart's Service (its DNS name, or an ingress in front of it), never on the employee's
/// device. A host under the reserved `.invalid` domain stands for that address. It is not a
/// loopback or wildcard address, so a client that sends to `localhost` is never taken to
/// reach this collector by accident (the analysis then treats the export as leaving the
/// device to an unknown listener, OD504); naming the Service's address in the collector's
/// `serves:` (dpia.yaml) ties clients that send there to it. It also keeps the many
/// `${env:MY_POD_IP}` of the defaults from each being reported as an unresolved variable.
pub const POD_ADDRESS: &str = "pod-ip.invalid";

/// The environment the chart's pod template gives the collector container (its `env:`
/// list), before the values' `extraEnvs`.
pub fn pod_environment() -> Environment {
    let mut env = Environment::default();
    env.deploy("MY_POD_IP", Given::Value(POD_ADDRESS.into()));
    env.deploy("OTEL_K8S_POD_IP", Given::Value(POD_ADDRESS.into()));
    for (name, field) in [
        ("OTEL_K8S_NODE_NAME", "spec.nodeName"),
        ("OTEL_K8S_NODE_IP", "status.hostIP"),
        ("OTEL_K8S_NAMESPACE", "metadata.namespace"),
        ("OTEL_K8S_POD_NAME", "metadata.name"),
        // Set only with some presets; when they are not, the variable is unset, which an
        // unknown value covers too.
        ("K8S_NODE_NAME", "spec.nodeName"),
        ("K8S_NODE_IP", "status.hostIP"),
    ] {
        env.deploy(
            name,
            Given::Runtime(format!("the pod's `{field}` (set by the chart)")),
        );
    }
    env
}

/// What a preset adds.
#[derive(Debug, Clone, Copy)]
pub enum Adds {
    /// A receiver, appended to these pipelines' receivers (created if missing).
    Receiver(&'static str, &'static [&'static str]),
    /// A processor, put first in these pipelines' processors when they exist.
    Processor(&'static str, &'static [&'static str]),
    /// A `profiles` pipeline from this receiver to the `debug` exporter.
    Profiles(&'static str),
}

/// One preset: the path of its switch under `presets` and what it adds when enabled.
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    /// The keys under `presets` down to the mapping that holds `enabled`.
    pub path: &'static [&'static str],
    /// What it adds. Names follow the chart's default `rewriteDeprecatedComponentNames:
    /// true` (`k8s_attributes`, `file_log`).
    pub adds: &'static [Adds],
}

/// The presets of the chart version (`templates/_config.tpl`). Each adds components whose
/// settings the chart generates; they are added with unknown settings. Presets that only
/// add receivers of cluster data (files, host and Kubernetes metrics, events) do not take
/// the client's data, but are added so the graph shows what runs.
pub const PRESETS: &[Preset] = &[
    Preset {
        path: &["logsCollection"],
        adds: &[Adds::Receiver("file_log", &["logs"])],
    },
    Preset {
        path: &["annotationDiscovery", "logs"],
        adds: &[Adds::Receiver("receiver_creator/logs", &["logs"])],
    },
    Preset {
        path: &["annotationDiscovery", "metrics"],
        adds: &[Adds::Receiver("receiver_creator/metrics", &["metrics"])],
    },
    Preset {
        path: &["hostMetrics"],
        adds: &[Adds::Receiver("hostmetrics", &["metrics"])],
    },
    Preset {
        path: &["profiling"],
        adds: &[Adds::Profiles("profiling")],
    },
    Preset {
        path: &["kubeletMetrics"],
        adds: &[Adds::Receiver("kubeletstats", &["metrics"])],
    },
    Preset {
        path: &["kubernetesAttributes"],
        adds: &[Adds::Processor(
            "k8s_attributes",
            &["logs", "metrics", "traces", "profiles"],
        )],
    },
    Preset {
        path: &["kubernetesEvents"],
        adds: &[Adds::Receiver("k8sobjects", &["logs"])],
    },
    Preset {
        path: &["kubernetesObjects"],
        adds: &[Adds::Receiver("k8sobjects", &["logs"])],
    },
    Preset {
        path: &["clusterMetrics"],
        adds: &[Adds::Receiver("k8s_cluster", &["metrics"])],
    },
    Preset {
        path: &["resourceDetection"],
        adds: &[Adds::Processor(
            "resourcedetection/env",
            &["logs", "metrics", "traces"],
        )],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_the_charts_configuration() {
        assert_eq!(version(), "0.170.0");
        let mut files = Files::new();
        let config = default_config(&mut files);
        let otlp = config.get("receivers").unwrap().get("otlp").unwrap();
        let grpc = otlp.get("protocols").unwrap().get("grpc").unwrap();
        assert_eq!(
            grpc.get("endpoint").and_then(Node::as_str),
            Some("${env:MY_POD_IP}:4317")
        );
        let pipelines = config.get("service").unwrap().get("pipelines").unwrap();
        assert_eq!(pipelines.as_map().unwrap().len(), 3);
        assert!(files.cite(otlp.span).starts_with(DEFAULTS_NAME));
    }
}
