//! Reading the OTLP exporter variables of one signal the way the OpenTelemetry SDK does:
//! per-signal variables before generic ones, the URL built from a generic endpoint
//! (`/v1/<signal>` added for HTTP), header names (never values) and export intervals.

use crate::catalogue::{Kind, SettingsTable, Signal, Variable};
use crate::sources::effective::{Endpoint, Header, Valued};
use crate::sources::env::EnvTable;
use crate::sources::provenance::Provenance;
use crate::sources::secret::redact_url;

/// The variable of a kind for a signal: the per-signal one if set, else the generic one.
pub fn pick(env: &EnvTable, table: &SettingsTable, kind: Kind, sig: Signal) -> Option<Valued> {
    [Some(sig), None].into_iter().find_map(|s| {
        let var = table.find(kind, s)?;
        let value = env.value(&var.name)?;
        Some(Valued {
            value: value.to_ascii_lowercase(),
            provenance: env.provenance(&var.name),
        })
    })
}

/// The URL the OTLP exporter of a signal sends to.
pub fn endpoint(table: &SettingsTable, env: &EnvTable, sig: Signal, protocol: &str) -> Endpoint {
    let grpc = protocol.starts_with("grpc");
    let otlp = &table.otlp;
    let per_signal = table.find(Kind::Endpoint, Some(sig));
    let generic = table.find(Kind::Endpoint, None);
    let set = |v: Option<&Variable>| {
        v.and_then(|v| env.value(&v.name).map(|x| (v.name.clone(), x.to_string())))
    };
    let (url, from) = if let Some((name, url)) = set(per_signal) {
        (url, name)
    } else if let Some((name, base)) = set(generic) {
        let url = if grpc {
            base
        } else {
            join(&base, &otlp.http_path, sig)
        };
        (url, name)
    } else if grpc {
        (otlp.default_endpoint_grpc.clone(), "default".to_string())
    } else {
        (
            join(&otlp.default_endpoint_http, &otlp.http_path, sig),
            "default".to_string(),
        )
    };
    let provenance = env.provenance(&from);
    Endpoint {
        url: redact_url(&url),
        from,
        provenance,
    }
}

/// `base` + `/` + the signal path, without doubling the slash.
fn join(base: &str, path: &str, sig: Signal) -> String {
    let path = path.replace("{signal}", sig.as_str());
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

/// Header names from the generic and the per-signal headers variables.
pub fn headers(table: &SettingsTable, env: &EnvTable, sig: Signal) -> Vec<Header> {
    let mut out: Vec<Header> = Vec::new();
    for var in [
        table.find(Kind::Headers, None),
        table.find(Kind::Headers, Some(sig)),
    ]
    .into_iter()
    .flatten()
    {
        let Some(raw) = env.value(&var.name) else {
            continue;
        };
        for name in header_names(raw) {
            out.retain(|h| !h.name.eq_ignore_ascii_case(&name));
            out.push(Header {
                name,
                from: var.name.clone(),
                provenance: env.provenance(&var.name),
            });
        }
    }
    out.sort_by_key(|h| h.name.to_ascii_lowercase());
    out
}

/// The names of `name=value,name2=value2` (URL-decoded); values are never looked at.
pub fn header_names(raw: &str) -> Vec<String> {
    raw.split(',')
        .filter_map(|pair| pair.split_once('='))
        .map(|(name, _)| percent_decode(name.trim()))
        .filter(|name| !name.is_empty())
        .collect()
}

/// Decodes `%XX` escapes (as the SDK does for header names and resource attributes).
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub fn interval(table: &SettingsTable, env: &EnvTable, sig: Signal) -> Valued {
    let Some(var) = table.find(Kind::Interval, Some(sig)) else {
        return Valued {
            value: String::new(),
            provenance: Provenance::Default,
        };
    };
    let default = var.default.clone().unwrap_or_default();
    match env.value(&var.name) {
        Some(v) if v.parse::<u64>().is_ok() => Valued {
            value: v.to_string(),
            provenance: env.provenance(&var.name),
        },
        Some(v) => Valued {
            value: format!(
                "{default} (`{v}` is not a whole number of milliseconds; the default applies)"
            ),
            provenance: env.provenance(&var.name),
        },
        None => Valued {
            value: default,
            provenance: Provenance::Default,
        },
    }
}

/// Destinations that need a mode switch (e.g. a detailed tracing endpoint).
pub fn extra_endpoints(table: &SettingsTable, env: &EnvTable, sig: Signal) -> Vec<Endpoint> {
    table
        .of_kind(Kind::Endpoint)
        .filter(|v| v.signal == Some(sig) && !v.requires.is_empty())
        .filter(|v| {
            v.requires
                .iter()
                .all(|r| env.value(r).is_some_and(|x| table.is_truthy(x)))
        })
        .filter_map(|v| {
            Some(Endpoint {
                url: redact_url(env.value(&v.name)?),
                from: v.name.clone(),
                provenance: env.provenance(&v.name),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_names_only_and_decoded() {
        assert_eq!(
            header_names("X-Tenant=acme, Authorization=Bearer%20abc,bad,x%2Dy=1"),
            vec!["X-Tenant", "Authorization", "x-y"]
        );
        assert_eq!(
            join("http://h:4318/", "v1/{signal}", Signal::Logs),
            "http://h:4318/v1/logs"
        );
        assert_eq!(
            join("http://h/otlp", "v1/{signal}", Signal::Traces),
            "http://h/otlp/v1/traces"
        );
    }
}
