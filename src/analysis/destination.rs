//! What kind of place an exporter sends to, and where: from its type and its settings.
//!
//! The kind is read off the configuration only: a vendor's own exporter type or a known
//! SaaS ingest domain is `vendor`; any other network endpoint is `self_hosted`; `file`,
//! `debug` and `prometheus` (scraped, not pushed) have kinds of their own. When the
//! endpoint cannot be known, the kind is `unknown` and the data is treated as leaving.

use schemars::JsonSchema;
use serde::Serialize;

use super::endpoint::HostPort;
use crate::collector::secrets;
use crate::tree::{Node, Value};

/// Kinds of destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DestinationKind {
    /// A vendor's SaaS service.
    Vendor,
    /// A service the organisation runs itself (or one the configuration cannot tell apart).
    SelfHosted,
    /// A file written by the collector.
    File,
    /// The collector's own output (its log, standard output).
    Stdout,
    /// An endpoint that others scrape (Prometheus exporter).
    Pull,
    /// Cannot be decided from the configuration.
    Unknown,
}

impl DestinationKind {
    /// The word used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            DestinationKind::Vendor => "vendor",
            DestinationKind::SelfHosted => "self_hosted",
            DestinationKind::File => "file",
            DestinationKind::Stdout => "stdout",
            DestinationKind::Pull => "pull",
            DestinationKind::Unknown => "unknown",
        }
    }
}

/// Exporter types that only ever send to their vendor's service.
const VENDOR_TYPES: &[&str] = &[
    "datadog",
    "signalfx",
    "sapm",
    "azuremonitor",
    "azuredataexplorer",
    "azureblob",
    "googlecloud",
    "googlemanagedprometheus",
    "googlecloudpubsub",
    "googlecloudstorage",
    "awsxray",
    "awsemf",
    "awscloudwatchlogs",
    "awskinesis",
    "awss3",
    "coralogix",
    "logzio",
    "logicmonitor",
    "mezmo",
    "sumologic",
    "dataset",
    "alibabacloud_logservice",
    "tencentcloud_logservice",
    "honeycombmarker",
    "sentry",
    "sematext",
    "bmchelix",
    "tinybird",
];

/// Exporter types that push to a network endpoint given in their settings.
const NETWORK_TYPES: &[&str] = &[
    "otlp",
    "otlp_grpc",
    "otlphttp",
    "otlp_http",
    "loki",
    "prometheusremotewrite",
    "elasticsearch",
    "opensearch",
    "clickhouse",
    "kafka",
    "zipkin",
    "jaeger",
    "influxdb",
    "pulsar",
    "rabbitmq",
    "syslog",
    "carbon",
    "cassandra",
    "doris",
    "loadbalancing",
    "otelarrow",
    "splunk_hec",
    "opencensus",
    "alertmanager",
    "faro",
    "stef",
    "kinetica",
];

/// Domains of SaaS ingest services; a host under one of them is a vendor.
const VENDOR_DOMAINS: &[&str] = &[
    "honeycomb.io",
    "datadoghq.com",
    "datadoghq.eu",
    "ddog-gov.com",
    "grafana.net",
    "grafana.com",
    "newrelic.com",
    "nr-data.net",
    "lightstep.com",
    "splunkcloud.com",
    "signalfx.com",
    "dynatrace.com",
    "elastic-cloud.com",
    "cloud.es.io",
    "logz.io",
    "coralogix.com",
    "coralogix.us",
    "coralogix.in",
    "eu2.coralogix.com",
    "sumologic.com",
    "mezmo.com",
    "logdna.com",
    "axiom.co",
    "dash0.com",
    "uptrace.dev",
    "signoz.cloud",
    "signoz.io",
    "observeinc.com",
    "chronosphere.io",
    "betterstack.com",
    "betteruptime.com",
    "logtail.com",
    "anthropic.com",
    "googleapis.com",
    "amazonaws.com",
    "azure.com",
    "azure.net",
    "applicationinsights.azure.com",
    "aliyuncs.com",
    "tencentcloudapi.com",
    "launchdarkly.com",
    "langfuse.com",
    "langsmith.com",
    "smith.langchain.com",
    "helicone.ai",
    "traceloop.com",
    "sentry.io",
    "bugsnag.com",
    "instana.io",
    "appdynamics.com",
    "last9.io",
    "kloudmate.com",
    "middleware.io",
    "openobserve.ai",
    "qryn.cloud",
    "hyperdx.io",
    "highlight.io",
    "posthog.com",
    "mixpanel.com",
];

/// Where one exporter sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The kind.
    pub kind: DestinationKind,
    /// The endpoint as it may be shown (no credentials), if known.
    pub endpoint: Option<String>,
    /// Host and port, for matching another collector's `serves`.
    pub host: Option<HostPort>,
    /// When the endpoint is unknown: why.
    pub unknown: Option<String>,
    /// True for `nop`: the data is discarded.
    pub discards: bool,
}

/// The kind of a network host: a known SaaS domain is a vendor, anything else is taken to
/// be run by the organisation (the project file can say otherwise).
pub fn kind_of_host(hp: &HostPort) -> DestinationKind {
    let host = hp.host.trim_end_matches('.');
    if VENDOR_DOMAINS
        .iter()
        .any(|d| host == *d || host.ends_with(&format!(".{d}")))
    {
        DestinationKind::Vendor
    } else {
        DestinationKind::SelfHosted
    }
}

/// Classifies an exporter by its normalised type and settings, for the signal it exports.
pub fn classify(kind: &str, config: &Node, signal: &str) -> Target {
    let endpoint = endpoint_of(kind, config, signal);
    let base = Target {
        kind: DestinationKind::Unknown,
        endpoint: None,
        host: None,
        unknown: None,
        discards: false,
    };
    match kind {
        "nop" => Target {
            discards: true,
            ..base
        },
        "debug" | "logging" => Target {
            kind: DestinationKind::Stdout,
            endpoint: Some("collector log output".into()),
            ..base
        },
        "file" => {
            let path = config
                .get("path")
                .and_then(Node::as_str)
                .map(str::to_string);
            Target {
                kind: DestinationKind::File,
                endpoint: path,
                ..base
            }
        }
        "prometheus" => Target {
            kind: DestinationKind::Pull,
            ..from_endpoint(endpoint, DestinationKind::Pull)
        },
        t if VENDOR_TYPES.contains(&t) => {
            let t = from_endpoint(endpoint, DestinationKind::Vendor);
            Target {
                kind: DestinationKind::Vendor,
                unknown: None,
                ..t
            }
        }
        t if NETWORK_TYPES.contains(&t) => from_endpoint(endpoint, DestinationKind::SelfHosted),
        _ => Target {
            unknown: Some(format!("exporter type `{kind}` is not known")),
            ..base
        },
    }
}

/// The endpoint found in the settings: text, unknown with a reason, or missing.
enum Found {
    Text(String),
    Unknown(String),
    Missing,
}

fn from_endpoint(found: Found, default_kind: DestinationKind) -> Target {
    let base = Target {
        kind: DestinationKind::Unknown,
        endpoint: None,
        host: None,
        unknown: None,
        discards: false,
    };
    match found {
        Found::Text(text) => {
            let shown = secrets::scrub_url(&text).into_owned();
            let host = HostPort::parse(&text);
            let kind = match (&host, default_kind) {
                (Some(hp), DestinationKind::SelfHosted) => kind_of_host(hp),
                (_, k) => k,
            };
            Target {
                kind,
                endpoint: Some(shown),
                host,
                ..base
            }
        }
        Found::Unknown(reason) => Target {
            unknown: Some(reason),
            ..base
        },
        Found::Missing if default_kind == DestinationKind::Vendor => Target {
            kind: DestinationKind::Vendor,
            ..base
        },
        Found::Missing => Target {
            kind: default_kind,
            unknown: Some("no endpoint is set".into()),
            ..base
        },
    }
}

/// The settings that name where an exporter sends, in order of precedence.
fn endpoint_of(kind: &str, config: &Node, signal: &str) -> Found {
    if config.is_unknown() {
        return Found::Unknown("the exporter's configuration is not known".into());
    }
    let per_signal = format!("{signal}_endpoint");
    let candidates: Vec<Vec<&str>> = match kind {
        "otlphttp" | "otlp_http" => vec![vec![per_signal.as_str()], vec!["endpoint"]],
        "datadog" => vec![vec![signal, "endpoint"], vec!["api", "site"]],
        "signalfx" => vec![vec!["ingest_url"], vec!["realm"]],
        "opensearch" => vec![vec!["http", "endpoint"]],
        "rabbitmq" => vec![vec!["connection", "endpoint"]],
        "kafka" => vec![vec!["brokers"]],
        "loadbalancing" => vec![
            vec!["resolver", "static", "hostnames"],
            vec!["resolver", "dns", "hostname"],
            vec!["resolver", "k8s", "service"],
        ],
        "mezmo" => vec![vec!["ingest_url"]],
        "azureblob" => vec![vec!["url"]],
        "azuredataexplorer" => vec![vec!["cluster_uri"]],
        "kinetica" => vec![vec!["host"]],
        _ => vec![
            vec![signal, "endpoint"],
            vec!["endpoint"],
            vec!["endpoints"],
        ],
    };
    for path in candidates {
        let mut node = Some(config);
        for key in &path {
            node = node.and_then(|n| n.get(key));
        }
        let Some(node) = node else { continue };
        match &node.value {
            Value::Unknown(reason) => return Found::Unknown(reason.clone()),
            Value::Scalar(s) if path.last() == Some(&"realm") => {
                return Found::Text(format!("https://ingest.{}.signalfx.com", s.text));
            }
            Value::Scalar(s) if path.last() == Some(&"site") => {
                return Found::Text(format!("https://api.{}", s.text));
            }
            Value::Scalar(s) => return Found::Text(s.text.clone()),
            Value::Seq(items) => {
                if let Some(first) = items.iter().find_map(Node::as_str) {
                    return Found::Text(first.to_string());
                }
                if items.iter().any(Node::is_unknown) {
                    return Found::Unknown("the endpoint list is not known".into());
                }
            }
            _ => {}
        }
    }
    if kind == "kafka" {
        return Found::Text("localhost:9092".into());
    }
    Found::Missing
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostics;
    use crate::files::Files;

    fn node(yaml: &str) -> Node {
        let mut files = Files::new();
        let id = files.add("t.yaml", yaml);
        crate::tree::parse_yaml(&files, id, &mut Diagnostics::new())
            .unwrap()
            .remove(0)
    }

    #[test]
    fn kinds_follow_type_and_host() {
        let t = classify(
            "otlphttp",
            &node("endpoint: https://api.honeycomb.io\n"),
            "logs",
        );
        assert_eq!(
            (t.kind, t.endpoint.as_deref()),
            (DestinationKind::Vendor, Some("https://api.honeycomb.io"))
        );
        let t = classify(
            "otlphttp",
            &node(
                "endpoint: https://otel.internal.example\nlogs_endpoint: https://logs.internal.example/v1/logs\n",
            ),
            "logs",
        );
        assert_eq!(t.kind, DestinationKind::SelfHosted);
        assert_eq!(t.host.unwrap().host, "logs.internal.example");
        assert_eq!(
            classify("datadog", &node("api:\n  key: x\n"), "logs").kind,
            DestinationKind::Vendor
        );
        assert_eq!(
            classify("datadog", &node("api:\n  site: datadoghq.eu\n"), "logs")
                .endpoint
                .as_deref(),
            Some("https://api.datadoghq.eu")
        );
        assert_eq!(
            classify("debug", &node("verbosity: detailed\n"), "logs").kind,
            DestinationKind::Stdout
        );
        assert_eq!(
            classify("file", &node("path: /var/log/otel.json\n"), "logs").kind,
            DestinationKind::File
        );
        assert_eq!(
            classify("prometheus", &node("endpoint: 0.0.0.0:8889\n"), "metrics").kind,
            DestinationKind::Pull
        );
        assert!(classify("nop", &node("{}\n"), "logs").discards);
        let t = classify("somethingnew", &node("{}\n"), "logs");
        assert_eq!(t.kind, DestinationKind::Unknown);
        assert!(t.unknown.is_some());
    }

    #[test]
    fn credentials_in_urls_are_never_kept() {
        let t = classify(
            "otlphttp",
            &node("endpoint: https://user:s3cr3t@collector.example:4318\n"),
            "logs",
        );
        assert!(!t.endpoint.unwrap().contains("s3cr3t"));
    }
}
