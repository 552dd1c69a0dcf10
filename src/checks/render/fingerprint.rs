//! Stable fingerprints for findings, so code-scanning tools recognise the same finding
//! after unrelated lines move: a hash of the rule, the file and what the finding is about
//! (its key: a destination id, a setting path), never of the line number.

use sha2::{Digest, Sha256};

use super::super::Finding;

/// One fingerprint per finding, in the same order. A finding whose rule, file and key
/// repeat gets an occurrence number, so fingerprints stay unique within a run.
pub fn fingerprints(findings: &[Finding], uri: impl Fn(&str) -> String) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    findings
        .iter()
        .map(|f| {
            let file = f
                .location
                .as_ref()
                .map(|l| uri(&l.file))
                .unwrap_or_default();
            let base = format!("otel-dpia/v1\0{}\0{file}\0{}", f.rule.code, f.key);
            let n = seen.iter().filter(|s| **s == base).count();
            seen.push(base.clone());
            let text = if n == 0 { base } else { format!("{base}\0{n}") };
            let digest = Sha256::digest(text.as_bytes());
            digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
        })
        .collect()
}
