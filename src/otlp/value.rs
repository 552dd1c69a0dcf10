//! Attribute values and attribute maps, typed as in OTLP (`AnyValue`, `KeyValue` lists).
//!
//! Types are kept exactly (an int stays an int64, a double a double) because processors
//! behave differently per type: the attributes `hash` action hashes an int over its 8
//! little-endian bytes, redaction masks only string values, and so on.

/// One OTLP `AnyValue`.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum AnyValue {
    /// No value (`{}` in OTLP/JSON). OTTL reads it as `nil`.
    #[default]
    Empty,
    /// `stringValue`.
    Str(String),
    /// `boolValue`.
    Bool(bool),
    /// `intValue` (int64).
    Int(i64),
    /// `doubleValue`.
    Double(f64),
    /// `bytesValue`.
    Bytes(Vec<u8>),
    /// `arrayValue`.
    Array(Vec<AnyValue>),
    /// `kvlistValue`.
    Map(Attributes),
}

impl AnyValue {
    /// A string value.
    pub fn str(s: impl Into<String>) -> Self {
        AnyValue::Str(s.into())
    }

    /// The string, if this is a string value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            AnyValue::Str(s) => Some(s),
            _ => None,
        }
    }

    /// True for [`AnyValue::Empty`].
    pub fn is_empty(&self) -> bool {
        matches!(self, AnyValue::Empty)
    }

    /// The type's name as pdata spells it, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            AnyValue::Empty => "Empty",
            AnyValue::Str(_) => "Str",
            AnyValue::Bool(_) => "Bool",
            AnyValue::Int(_) => "Int",
            AnyValue::Double(_) => "Double",
            AnyValue::Bytes(_) => "Bytes",
            AnyValue::Array(_) => "Slice",
            AnyValue::Map(_) => "Map",
        }
    }

    /// The value as text the way pdata's `Value.AsString` renders it: strings as is,
    /// numbers in shortest form, maps and lists as JSON, bytes as base64, empty as "".
    pub fn as_string(&self) -> String {
        match self {
            AnyValue::Empty => String::new(),
            AnyValue::Str(s) => s.clone(),
            AnyValue::Bool(b) => b.to_string(),
            AnyValue::Int(i) => i.to_string(),
            AnyValue::Double(d) => format_double(*d),
            AnyValue::Bytes(b) => super::json::base64_encode(b),
            AnyValue::Array(_) | AnyValue::Map(_) => go_json(&self.to_sorted_json()),
        }
    }

    /// Like [`AnyValue::to_raw_json`] with map keys sorted, as Go's JSON encoder writes
    /// a `map[string]any`.
    pub fn to_sorted_json(&self) -> serde_json::Value {
        match self {
            AnyValue::Array(items) => {
                serde_json::Value::Array(items.iter().map(AnyValue::to_sorted_json).collect())
            }
            AnyValue::Map(m) => {
                let mut pairs: Vec<(&str, &AnyValue)> = m.iter().collect();
                pairs.sort_by(|a, b| a.0.cmp(b.0));
                serde_json::Value::Object(
                    pairs
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v.to_sorted_json()))
                        .collect(),
                )
            }
            other => other.to_raw_json(),
        }
    }

    /// The value as plain JSON (`AsRaw`): maps as objects, lists as arrays, bytes as
    /// base64 text. Used for JSON rendering of maps and lists inside strings.
    pub fn to_raw_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            AnyValue::Empty => J::Null,
            AnyValue::Str(s) => J::String(s.clone()),
            AnyValue::Bool(b) => J::Bool(*b),
            AnyValue::Int(i) => J::from(*i),
            AnyValue::Double(d) => serde_json::Number::from_f64(*d)
                .map(J::Number)
                .unwrap_or_else(|| J::String(format_double(*d))),
            AnyValue::Bytes(b) => J::String(super::json::base64_encode(b)),
            AnyValue::Array(items) => J::Array(items.iter().map(AnyValue::to_raw_json).collect()),
            AnyValue::Map(m) => J::Object(
                m.iter()
                    .map(|(k, v)| (k.to_string(), v.to_raw_json()))
                    .collect(),
            ),
        }
    }

    /// Builds a value from plain JSON (`FromRaw` of a decoded document): integral numbers
    /// become Int, other numbers Double, null Empty.
    pub fn from_raw_json(json: &serde_json::Value) -> Self {
        use serde_json::Value as J;
        match json {
            J::Null => AnyValue::Empty,
            J::Bool(b) => AnyValue::Bool(*b),
            J::Number(n) => match n.as_i64() {
                Some(i) => AnyValue::Int(i),
                None => AnyValue::Double(n.as_f64().unwrap_or(f64::NAN)),
            },
            J::String(s) => AnyValue::Str(s.clone()),
            J::Array(items) => AnyValue::Array(items.iter().map(AnyValue::from_raw_json).collect()),
            J::Object(map) => AnyValue::Map(Attributes::from_pairs(
                map.iter()
                    .map(|(k, v)| (k.clone(), AnyValue::from_raw_json(v))),
            )),
        }
    }
}

/// JSON text as Go's standard encoder writes it: compact, with `<`, `>` and `&` escaped.
pub fn go_json(json: &serde_json::Value) -> String {
    json.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// Formats a double the way Go's `strconv.FormatFloat(f, 'f', -1, 64)` does for the
/// common cases: shortest round-trip digits, no exponent.
pub fn format_double(d: f64) -> String {
    if d.is_nan() {
        "NaN".to_string()
    } else if d.is_infinite() {
        if d > 0.0 { "+Inf" } else { "-Inf" }.to_string()
    } else {
        format!("{d}")
    }
}

/// An attribute map: ordered key/value pairs, as pdata keeps them. Keys are unique once
/// written through this API; the order is the input order, then insertion order, so
/// output is deterministic.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Attributes(Vec<(String, AnyValue)>);

impl Attributes {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// A map from pairs whose keys are known to differ (checked in debug builds).
    pub(super) fn from_unique(pairs: Vec<(String, AnyValue)>) -> Self {
        debug_assert!({
            let keys: std::collections::HashSet<&str> =
                pairs.iter().map(|(k, _)| k.as_str()).collect();
            keys.len() == pairs.len()
        });
        Attributes(pairs)
    }

    /// A map from pairs; a repeated key keeps its first position and its last value.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (String, AnyValue)>) -> Self {
        let mut map = Attributes::new();
        for (k, v) in pairs {
            map.put(k, v);
        }
        map
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are no keys.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value for a key.
    pub fn get(&self, key: &str) -> Option<&AnyValue> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The value for a key, mutable.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut AnyValue> {
        self.0.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// True when the key is present.
    pub fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Sets a key (replacing the value in place, or appending a new key).
    pub fn put(&mut self, key: impl Into<String>, value: AnyValue) {
        let key = key.into();
        match self.get_mut(&key) {
            Some(slot) => *slot = value,
            None => self.0.push((key, value)),
        }
    }

    /// The value for a key, inserting an empty value first when the key is absent.
    pub fn entry_mut(&mut self, key: &str) -> &mut AnyValue {
        let pos = match self.0.iter().position(|(k, _)| k == key) {
            Some(p) => p,
            None => {
                self.0.push((key.to_string(), AnyValue::Empty));
                self.0.len() - 1
            }
        };
        &mut self.0[pos].1
    }

    /// Removes a key; returns its value if it was present. The others keep their order.
    pub fn remove(&mut self, key: &str) -> Option<AnyValue> {
        let pos = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(pos).1)
    }

    /// Keeps only the pairs for which `keep` is true.
    pub fn retain(&mut self, mut keep: impl FnMut(&str, &AnyValue) -> bool) {
        self.0.retain(|(k, v)| keep(k, v));
    }

    /// The pairs in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &AnyValue)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The pairs in order, values mutable.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&str, &mut AnyValue)> {
        self.0.iter_mut().map(|(k, v)| (k.as_str(), v))
    }

    /// The keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }

    /// Consumes the map into its pairs.
    pub fn into_pairs(self) -> Vec<(String, AnyValue)> {
        self.0
    }
}
