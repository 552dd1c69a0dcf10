//! Endpoints as `host:port`, so a client's export URL, a collector's `serves` list, a
//! receiver's listen address and an exporter's target can be compared.

/// A network endpoint reduced to what decides where data goes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HostPort {
    /// Lower-case host name or address, without brackets.
    pub host: String,
    /// The port, explicit or implied by the scheme.
    pub port: Option<u16>,
}

impl HostPort {
    /// Parses `scheme://host:port/path`, `host:port`, `host` or `[::1]:4317`. Credentials in
    /// the URL are dropped. `None` for empty text.
    pub fn parse(text: &str) -> Option<HostPort> {
        let text = text.trim();
        let (scheme, rest) = match text.split_once("://") {
            Some((s, r)) => (Some(s.to_ascii_lowercase()), r),
            None => (None, text),
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let authority = authority.rsplit('@').next().unwrap_or("");
        if authority.is_empty() {
            return None;
        }
        let (host, port) = if let Some(stripped) = authority.strip_prefix('[') {
            let (h, after) = stripped.split_once(']').unwrap_or((stripped, ""));
            (
                h.to_string(),
                after.strip_prefix(':').and_then(|p| p.parse().ok()),
            )
        } else {
            match authority.rsplit_once(':') {
                Some((h, p)) if p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty() => {
                    (h.to_string(), p.parse().ok())
                }
                _ => (authority.to_string(), None),
            }
        };
        let port = port.or(match scheme.as_deref() {
            Some("https") => Some(443),
            Some("http") => Some(80),
            _ => None,
        });
        Some(HostPort {
            host: host.to_ascii_lowercase(),
            port,
        })
    }

    /// True for addresses that stay on the machine (`localhost`, `127.x`, `::1`).
    pub fn is_loopback(&self) -> bool {
        self.host == "localhost"
            || self.host.starts_with("127.")
            || self.host == "::1"
            || self.host.ends_with(".localhost")
    }

    /// True for listen addresses that accept connections from the machine itself
    /// (loopback or every interface).
    pub fn listens_locally(&self) -> bool {
        self.is_loopback() || self.host == "0.0.0.0" || self.host == "::" || self.host.is_empty()
    }

    /// True when a client sending to `self` reaches a server that `serves` names: same host
    /// (all loopback names count as one) and same port when both have one.
    pub fn reaches(&self, serves: &HostPort) -> bool {
        let same_host =
            self.host == serves.host || (self.is_loopback() && serves.listens_locally());
        let same_port = match (self.port, serves.port) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        same_host && same_port
    }
}

impl std::fmt::Display for HostPort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        match self.port {
            Some(p) => write!(f, "{host}:{p}"),
            None => f.write_str(&host),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_urls_and_addresses() {
        let hp = HostPort::parse("https://user:pw@API.Honeycomb.io/v1/logs").unwrap();
        assert_eq!(hp.to_string(), "api.honeycomb.io:443");
        assert_eq!(HostPort::parse("otel-gw:4317").unwrap().port, Some(4317));
        assert_eq!(
            HostPort::parse("[::1]:4318").unwrap().to_string(),
            "[::1]:4318"
        );
        assert!(
            HostPort::parse("http://127.0.0.1:4318/v1/metrics")
                .unwrap()
                .is_loopback()
        );
        assert!(HostPort::parse("").is_none());
    }

    #[test]
    fn loopback_reaches_a_local_listener_on_the_same_port() {
        let client = HostPort::parse("http://localhost:4318/v1/logs").unwrap();
        assert!(client.reaches(&HostPort::parse("0.0.0.0:4318").unwrap()));
        assert!(client.reaches(&HostPort::parse("127.0.0.1:4318").unwrap()));
        assert!(!client.reaches(&HostPort::parse("0.0.0.0:4317").unwrap()));
        assert!(
            !HostPort::parse("gw.example:4317")
                .unwrap()
                .reaches(&HostPort::parse("0.0.0.0:4317").unwrap())
        );
    }
}
