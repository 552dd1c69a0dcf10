//! The `redaction` processor (v0.124): per attribute map of resources, spans, span
//! events, log records and datapoints, delete keys that are not allowed, then mask
//! values by key pattern or by value pattern, and optionally add summary attributes.
//! Scope attributes and log bodies are not touched in v0.124.

use regex::Regex;

use crate::otlp::{AnyValue, Attributes, Telemetry};
use crate::simulate::config;
use crate::simulate::error::ConfigError;
use crate::simulate::hash;
use crate::tree::Node;

const KEYS: &[&str] = &[
    "allow_all_keys",
    "allowed_keys",
    "ignored_keys",
    "blocked_key_patterns",
    "blocked_values",
    "allowed_values",
    "hash_function",
    "summary",
];

/// Settings newer than v0.124 that change behaviour; not modelled.
const NEWER: &[&str] = &[
    "redact_all_types",
    "url_sanitization",
    "db_sanitizer",
    "ignored_key_patterns",
    "hmac_key",
];

/// The summary attributes the processor writes; they are always allowed.
const SUMMARY_KEYS: &[&str] = &[
    "redaction.redacted.keys",
    "redaction.redacted.count",
    "redaction.masked.keys",
    "redaction.masked.count",
    "redaction.allowed.keys",
    "redaction.allowed.count",
    "redaction.ignored.count",
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Summary {
    Silent,
    Info,
    Debug,
}

#[derive(Debug, Clone, Copy)]
enum HashFn {
    Mask,
    Md5,
    Sha1,
    Sha3,
}

struct Redaction {
    allow_all: bool,
    allowed: Vec<String>,
    ignored: Vec<String>,
    blocked_keys: Vec<Regex>,
    blocked_values: Vec<Regex>,
    allowed_values: Vec<Regex>,
    hash: HashFn,
    summary: Summary,
}

pub(super) fn run(node: &Node, mut data: Telemetry) -> Result<Telemetry, ConfigError> {
    config::require_known(node)?;
    for e in config::entries(node)? {
        if NEWER.contains(&e.key.as_str()) {
            return Err(ConfigError::not_modelled(
                e.key_span,
                format!("`{}` (newer than collector v0.124) is not modelled", e.key),
            ));
        }
    }
    config::check_keys(node, KEYS)?;
    let r = Redaction::parse(node)?;
    let each = |a: &mut Attributes| r.process(a);
    visit_maps(&mut data, each);
    Ok(data)
}

/// Calls `f` on every attribute map the processor covers.
fn visit_maps(data: &mut Telemetry, mut f: impl FnMut(&mut Attributes)) {
    match data {
        Telemetry::Logs(rls) => {
            for rl in rls {
                f(&mut rl.resource.attributes);
                for lr in rl
                    .scope_logs
                    .iter_mut()
                    .flat_map(|s| s.log_records.iter_mut())
                {
                    f(&mut lr.attributes);
                }
            }
        }
        Telemetry::Traces(rss) => {
            for rs in rss {
                f(&mut rs.resource.attributes);
                for span in rs.scope_spans.iter_mut().flat_map(|s| s.spans.iter_mut()) {
                    f(&mut span.attributes);
                    span.events.iter_mut().for_each(|e| f(&mut e.attributes));
                }
            }
        }
        Telemetry::Metrics(rms) => {
            for rm in rms {
                f(&mut rm.resource.attributes);
                for m in rm
                    .scope_metrics
                    .iter_mut()
                    .flat_map(|s| s.metrics.iter_mut())
                {
                    m.datapoint_attributes_mut().into_iter().for_each(&mut f);
                }
            }
        }
    }
}

impl Redaction {
    fn parse(node: &Node) -> Result<Redaction, ConfigError> {
        let strings =
            |k: &str| config::str_list(node, k).map(|v| v.into_iter().map(|(s, _)| s).collect());
        let regexes = |k: &str| -> Result<Vec<Regex>, ConfigError> {
            config::str_list(node, k)?
                .iter()
                .map(|(p, s)| config::regex(p, *s))
                .collect()
        };
        let hash = match config::opt_str(node, "hash_function")? {
            None => HashFn::Mask,
            Some((h, s)) => match h.to_ascii_lowercase().as_str() {
                "" => HashFn::Mask,
                "md5" => HashFn::Md5,
                "sha1" => HashFn::Sha1,
                "sha3" => HashFn::Sha3,
                other => {
                    return Err(ConfigError::not_modelled(
                        s,
                        format!("hash_function `{other}` is not modelled"),
                    ));
                }
            },
        };
        let summary = match config::opt_str(node, "summary")?.map(|(s, _)| s).as_deref() {
            Some("debug") => Summary::Debug,
            Some("info") => Summary::Info,
            _ => Summary::Silent,
        };
        Ok(Redaction {
            allow_all: config::bool_or(node, "allow_all_keys", false)?,
            allowed: strings("allowed_keys")?,
            ignored: strings("ignored_keys")?,
            blocked_keys: regexes("blocked_key_patterns")?,
            blocked_values: regexes("blocked_values")?,
            allowed_values: regexes("allowed_values")?,
            hash,
            summary,
        })
    }

    fn is_allowed_key(&self, k: &str) -> bool {
        self.allow_all || self.allowed.iter().any(|a| a == k) || SUMMARY_KEYS.contains(&k)
    }

    /// One attribute map, in the collector's order of checks: ignored, not allowed
    /// (deleted), allowed value, blocked key pattern (whole value masked), blocked values
    /// (each match masked). Non-string values are read as "" (pdata `Str()`), so a
    /// blocked key pattern turns them into the mask string. Blocked value patterns apply
    /// in config order (v0.124 iterated a Go map, so with overlapping patterns the
    /// collector's result could vary; the simulation picks the written order).
    fn process(&self, attrs: &mut Attributes) {
        let whole = Regex::new(".*").expect("valid regex");
        let (mut redacted, mut masked, mut allowed, mut ignored) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (k, v) in attrs.iter_mut() {
            if self.ignored.iter().any(|i| i == k) {
                ignored.push(k.to_string());
                continue;
            }
            if !self.is_allowed_key(k) {
                redacted.push(k.to_string());
                continue;
            }
            let text = v.as_str().unwrap_or_default().to_string();
            if self.allowed_values.iter().any(|r| r.is_match(&text)) {
                allowed.push(k.to_string());
                continue;
            }
            if self.blocked_keys.iter().any(|r| r.is_match(k)) {
                masked.push(k.to_string());
                *v = AnyValue::Str(self.mask(&text, &whole));
                continue;
            }
            let mut new = text.clone();
            for re in &self.blocked_values {
                if re.is_match(&new) {
                    new = self.mask(&new, re);
                }
            }
            if new != text {
                masked.push(k.to_string());
                *v = AnyValue::Str(new);
            }
        }
        for k in &redacted {
            attrs.remove(k);
        }
        self.add_summary(
            attrs,
            redacted,
            Some("redaction.redacted.keys"),
            "redaction.redacted.count",
        );
        self.add_summary(
            attrs,
            masked,
            Some("redaction.masked.keys"),
            "redaction.masked.count",
        );
        self.add_summary(
            attrs,
            allowed,
            Some("redaction.allowed.keys"),
            "redaction.allowed.count",
        );
        self.add_summary(attrs, ignored, None, "redaction.ignored.count");
    }

    /// Replaces every match with the mask or with the hash of the match (Go
    /// `ReplaceAllStringFunc`).
    fn mask(&self, text: &str, re: &Regex) -> String {
        re.replace_all(text, |c: &regex::Captures<'_>| {
            let m = c.get(0).map_or("", |m| m.as_str());
            match self.hash {
                HashFn::Mask => "****".to_string(),
                HashFn::Md5 => hash::md5_hex(m),
                HashFn::Sha1 => hash::sha1_hex(m),
                HashFn::Sha3 => hash::sha3_hex(m),
            }
        })
        .into_owned()
    }

    /// Adds (or merges into existing) summary attributes: key lists only with
    /// `summary: debug`, counts with `info` or `debug`.
    fn add_summary(
        &self,
        attrs: &mut Attributes,
        mut keys: Vec<String>,
        list_key: Option<&str>,
        count_key: &str,
    ) {
        if keys.is_empty() || self.summary == Summary::Silent {
            return;
        }
        let mut count = keys.len() as i64;
        if self.summary == Summary::Debug
            && let Some(list_key) = list_key
        {
            if let Some(AnyValue::Str(old)) = attrs.get(list_key)
                && !old.is_empty()
            {
                keys.extend(old.split(',').map(str::to_string));
            }
            keys.sort();
            attrs.put(list_key, AnyValue::Str(keys.join(",")));
        }
        if let Some(AnyValue::Int(old)) = attrs.get(count_key) {
            count += old;
        }
        attrs.put(count_key, AnyValue::Int(count));
    }
}
