//! Which supplied collector receives what a client or an exporter sends to an address.
//!
//! Three ways, in this order:
//! 1. **Declared**: a collector whose `serves` list (project file, or `--collector
//!    NAME@ADDR=FILE`) names the address. Nothing is assumed.
//! 2. **Local**: for a loopback address, a collector with no `serves` whose OTLP receiver
//!    listens on this machine on the same port and transport: the laptop's own agent.
//! 3. **Assumed**: for any other address, a collector with no `serves` whose OTLP receiver
//!    listens on every interface (`0.0.0.0`, `::`, `:PORT`) on the same port and transport.
//!    The DNS name cannot be checked from the files, so this is stated as an assumption
//!    (OD511) with the receiver that made it; several such collectors are all followed,
//!    since the data may reach any of them (OD512).
//!
//! A transport is enabled only where its key is present under `protocols:` (the collector
//! starts no gRPC server without `grpc:`), and a gRPC client never reaches an HTTP-only
//! receiver: such a port match is no match, and the data goes where the address says.

use super::destination::classify;
use super::endpoint::HostPort;
use super::walk::LoadedCollector;
use crate::collector::{Collector, ComponentId, Kind};
use crate::diag::{Code, Diagnostic};
use crate::files::{Files, Span};

/// How OTLP travels: gRPC or HTTP (protobuf or JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Transport {
    /// OTLP/gRPC.
    Grpc,
    /// OTLP/HTTP.
    Http,
}

impl Transport {
    /// The transport of a client protocol value (`grpc`, `http/protobuf`, `http/json`);
    /// `None` when unset or not known, which matches either.
    pub fn of_protocol(protocol: &str) -> Option<Transport> {
        let p = protocol.trim().to_ascii_lowercase();
        if p == "grpc" {
            Some(Transport::Grpc)
        } else if p.starts_with("http") {
            Some(Transport::Http)
        } else {
            None
        }
    }

    /// The transport an exporter type speaks (after alias resolution); `None` for types
    /// that do not speak OTLP to one address, which matches either.
    pub fn of_exporter(normalised_type: &str) -> Option<Transport> {
        match normalised_type {
            "otlp_grpc" | "otelarrow" | "loadbalancing" => Some(Transport::Grpc),
            "otlp_http" => Some(Transport::Http),
            _ => None,
        }
    }

    /// The word used in messages and under `protocols:`.
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Grpc => "grpc",
            Transport::Http => "http",
        }
    }
}

/// One address an OTLP receiver of a collector listens on.
#[derive(Debug, Clone, PartialEq)]
pub struct Listener {
    /// The receiver, e.g. `otlp`.
    pub receiver: ComponentId,
    /// Which server of the receiver.
    pub transport: Transport,
    /// The listen address (the receiver's default when no endpoint is written).
    pub addr: HostPort,
    /// The `endpoint:` line, or the protocol's key when the default applies.
    pub span: Span,
}

impl Listener {
    /// True when the address binds every interface of its host.
    pub fn is_wildcard(&self) -> bool {
        matches!(self.addr.host.as_str(), "0.0.0.0" | "::" | "")
    }

    /// True for a Kubernetes pod's own address (the Helm chart's `${env:MY_POD_IP}`): the
    /// pod's one network interface, which clients reach through a Service by its DNS name,
    /// so for them it is as good as every interface.
    pub fn is_pod_address(&self) -> bool {
        self.addr.host == crate::collector::POD_ADDRESS
    }

    /// `otlp http receiver listens on 0.0.0.0:4318`, for messages and evidence.
    pub fn describe(&self) -> String {
        let on = if self.is_pod_address() {
            format!(
                "the pod's own address (port {}), which a Service exposes",
                self.addr.port.map_or_else(String::new, |p| p.to_string())
            )
        } else {
            self.addr.to_string()
        };
        format!(
            "its {} {} receiver listens on {on}",
            self.receiver,
            self.transport.as_str(),
        )
    }

    fn carries(&self, transport: Option<Transport>) -> bool {
        transport.is_none_or(|t| t == self.transport)
    }
}

/// Every address the OTLP receivers of a collector listen on, in configuration order.
pub fn listeners(graph: &Collector) -> Vec<Listener> {
    let mut out = Vec::new();
    for r in graph
        .of_kind(Kind::Receiver)
        .filter(|r| r.normalised_type() == "otlp")
    {
        let Some(protocols) = r.config.get("protocols") else {
            continue;
        };
        for (transport, default) in [
            (Transport::Grpc, "localhost:4317"),
            (Transport::Http, "localhost:4318"),
        ] {
            let Some(entry) = protocols.entry(transport.as_str()) else {
                continue;
            };
            // An endpoint that cannot be known (an unset `${env:…}`) is no address: nothing
            // is matched to it, so what is sent there is treated as going anywhere.
            let (text, span) = match entry.value.get("endpoint") {
                Some(e) if e.is_unknown() => continue,
                Some(e) => match e.as_str() {
                    Some(text) => (text, e.span),
                    None => continue,
                },
                None => (default, entry.key_span),
            };
            if let Some(addr) = HostPort::parse(text) {
                out.push(Listener {
                    receiver: r.id.clone(),
                    transport,
                    addr,
                    span,
                });
            }
        }
    }
    out
}

/// How a collector was found to receive the data.
#[derive(Debug, Clone, PartialEq)]
pub enum How {
    /// Its `serves` names the address.
    Declared,
    /// A loopback address and a receiver listening on this machine.
    Local,
    /// Nothing declares the address; this receiver listens on every interface (or on that
    /// host) on the same port and transport.
    Assumed(Listener),
}

/// One collector that receives the data, and how that was found.
#[derive(Debug, Clone, PartialEq)]
pub struct Reached {
    /// Index into the deployment's collectors.
    pub collector: usize,
    /// How.
    pub how: How,
}

/// The collectors that receive what is sent to `hp` over `transport` (`None`: either).
/// Empty when none does; several when several match equally (each is followed).
pub fn collectors_for(
    collectors: &[LoadedCollector],
    hp: &HostPort,
    transport: Option<Transport>,
) -> Vec<Reached> {
    let declared: Vec<Reached> = collectors
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            c.spec
                .serves
                .iter()
                .filter_map(|s| HostPort::parse(s))
                .any(|s| hp.reaches(&s) && (s.port.is_some() || hp.port.is_none()))
        })
        .map(|(collector, _)| Reached {
            collector,
            how: How::Declared,
        })
        .collect();
    if !declared.is_empty() {
        return declared;
    }
    let undeclared = collectors
        .iter()
        .enumerate()
        .filter(|(_, c)| c.spec.serves.is_empty());
    if hp.is_loopback() {
        let local: Vec<usize> = undeclared
            .filter(|(_, c)| {
                c.listeners.iter().any(|l| {
                    l.addr.listens_locally() && l.addr.port == hp.port && l.carries(transport)
                })
            })
            .map(|(collector, _)| collector)
            .collect();
        // Only one process can listen on a port of the laptop. A candidate that another
        // candidate forwards to over the network, and that does not forward back, is a
        // gateway, not the laptop's agent. Where that does not settle it, each is followed.
        let downstream = |b: usize| {
            local
                .iter()
                .any(|&a| a != b && forwards_to(collectors, a, b) && !forwards_to(collectors, b, a))
        };
        return local
            .iter()
            .filter(|b| !downstream(**b))
            .map(|&collector| Reached {
                collector,
                how: How::Local,
            })
            .collect();
    }
    undeclared
        .filter_map(|(collector, c)| {
            let l = c.listeners.iter().find(|l| {
                (l.is_wildcard() || l.is_pod_address() || l.addr.host == hp.host)
                    && hp.port.is_some()
                    && l.addr.port == hp.port
                    && l.carries(transport)
            })?;
            Some(Reached {
                collector,
                how: How::Assumed(l.clone()),
            })
        })
        .collect()
}

/// True when an exporter of collector `from` sends over the network to an address that
/// collector `to` serves or is assumed to serve.
fn forwards_to(collectors: &[LoadedCollector], from: usize, to: usize) -> bool {
    collectors[from]
        .graph
        .of_kind(Kind::Exporter)
        .filter_map(|e| {
            let target = classify(e.normalised_type(), &e.config, "logs");
            let transport = Transport::of_exporter(e.normalised_type());
            target
                .host
                .filter(|h| !h.is_loopback())
                .map(|h| (h, transport))
        })
        .any(|(h, transport)| {
            collectors_for(collectors, &h, transport)
                .iter()
                .any(|r| r.collector == to)
        })
}

/// An address data was sent to, for the report of a collector nothing reaches.
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    /// True for a client's export, false for a collector's exporter.
    pub by_client: bool,
    /// The address.
    pub to: HostPort,
    /// The transport, when known.
    pub transport: Option<Transport>,
}

/// OD513 for every collector nothing entered: its receivers' addresses next to where the
/// clients and exporters send, so the user sees why they do not meet.
pub fn unreached(
    collectors: &[LoadedCollector],
    entered: &[bool],
    sent_to: &[Sent],
    files: &Files,
) -> Vec<Diagnostic> {
    let list = |by_client: bool| {
        let mut out: Vec<String> = sent_to
            .iter()
            .filter(|s| s.by_client == by_client)
            .map(|s| match s.transport {
                Some(t) => format!("{} ({})", s.to, t.as_str()),
                None => s.to.to_string(),
            })
            .collect();
        out.sort();
        out.dedup();
        out
    };
    let (clients, exporters) = (list(true), list(false));
    let sends = match (clients.is_empty(), exporters.is_empty()) {
        (true, true) => {
            "no client or exporter sends to any address (telemetry is off, or goes elsewhere)"
                .to_string()
        }
        (false, true) => format!("the clients send to {}", clients.join(", ")),
        (true, false) => format!(
            "no client sends over the network, and the other collectors' exporters send to {}",
            exporters.join(", ")
        ),
        (false, false) => format!(
            "the clients send to {} and the other collectors' exporters to {}",
            clients.join(", "),
            exporters.join(", ")
        ),
    };
    collectors
        .iter()
        .zip(entered)
        .filter(|(_, entered)| !**entered)
        .map(|(c, _)| {
            let listens: Vec<String> = c
                .listeners
                .iter()
                .map(|l| format!("{} ({} {})", l.addr, l.receiver, l.transport.as_str()))
                .collect();
            let listens = if listens.is_empty() {
                "it has no OTLP receiver with a known address".to_string()
            } else {
                format!("its receivers listen on {}", listens.join(", "))
            };
            let file = c
                .graph
                .files
                .first()
                .map(|f| files.get(*f).display.clone())
                .unwrap_or_default();
            let span = c
                .spec
                .named_at
                .or_else(|| c.graph.files.first().map(|f| Files::whole(*f)));
            Diagnostic::new(
                Code::CollectorNotReached,
                format!(
                    "collector `{}` ({file}) receives nothing: {listens}, but {sends}; its processors and exporters are left out of the data map and every document",
                    c.spec.name
                ),
            )
            .at_opt(span)
            .hint(format!(
                "if it serves the address the clients send to, declare it (`--collector {}@HOST:PORT=FILE`, or `serves:` in dpia.yaml); otherwise leave it out of the inputs",
                c.spec.name
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocols_map_to_transports() {
        assert_eq!(Transport::of_protocol("grpc"), Some(Transport::Grpc));
        assert_eq!(
            Transport::of_protocol("http/protobuf"),
            Some(Transport::Http)
        );
        assert_eq!(Transport::of_protocol("http/json"), Some(Transport::Http));
        assert_eq!(Transport::of_protocol("carrier-pigeon"), None);
        assert_eq!(Transport::of_exporter("otlp_grpc"), Some(Transport::Grpc));
        assert_eq!(Transport::of_exporter("otlp_http"), Some(Transport::Http));
        assert_eq!(Transport::of_exporter("loki"), None);
    }
}
