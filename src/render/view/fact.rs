//! A fact from `dpia.yaml` as a template sees it: the value, or the place where a person
//! still has to write it.
//!
//! Templates never guess: when `value` is none and `todo` is set, they print a visible TODO
//! naming the key (e.g. `destinations[0].retention_days`). When both are none the fact is
//! not needed here (for example no transfer mechanism for data kept in the EEA).

use serde::Serialize;

/// A fact, or the TODO for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact<T> {
    /// The value, when given.
    pub value: Option<T>,
    /// The dotted `dpia.yaml` key to fill in, when the value is missing but needed.
    pub todo: Option<String>,
}

impl<T> Fact<T> {
    /// A fact that must be given: a missing value is a TODO at `key`.
    pub fn required(value: Option<T>, key: impl Into<String>) -> Self {
        let todo = value.is_none().then(|| key.into());
        Fact { value, todo }
    }

    /// A fact that is not needed when missing.
    pub fn optional(value: Option<T>) -> Self {
        Fact { value, todo: None }
    }
}

/// A string fact; blank strings count as missing.
pub fn text(value: Option<&String>, key: impl Into<String>) -> Fact<String> {
    Fact::required(non_blank(value), key)
}

/// The trimmed string, or `None` when blank.
pub fn non_blank(value: Option<&String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}
