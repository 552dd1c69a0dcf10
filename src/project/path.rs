//! Key paths into the project file (`destinations[1].role`), so that a message says which
//! value it is about even when the same key occurs in several list entries.

use std::fmt;

/// One step of a path: a mapping key or a list index (0-based, as in JSON paths).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// A path from the top of the project file to a value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyPath {
    steps: Vec<Step>,
}

impl KeyPath {
    /// The top of the file.
    pub fn root() -> Self {
        Self::default()
    }

    /// This path extended by a mapping key.
    pub fn key(&self, key: &str) -> Self {
        let mut steps = self.steps.clone();
        steps.push(Step::Key(key.to_string()));
        KeyPath { steps }
    }

    /// This path extended by a list index.
    pub fn index(&self, index: usize) -> Self {
        let mut steps = self.steps.clone();
        steps.push(Step::Index(index));
        KeyPath { steps }
    }

    /// A path from steps as [`LoadedProject::span_of`](super::LoadedProject::span_of) takes
    /// them: a step that is a number is a list index, any other a key.
    pub fn from_steps(steps: &[&str]) -> Self {
        steps
            .iter()
            .fold(Self::root(), |path, step| match step.parse() {
                Ok(i) => path.index(i),
                Err(_) => path.key(step),
            })
    }

    /// Whether the path passes through a mapping key of this name.
    pub fn has_key(&self, key: &str) -> bool {
        self.steps
            .iter()
            .any(|s| matches!(s, Step::Key(k) if k == key))
    }

    /// "at the top level" or "in `organisation`", for messages about keys of a mapping.
    pub fn location(&self) -> String {
        if self.steps.is_empty() {
            "at the top level".to_string()
        } else {
            format!("in {self}")
        }
    }

    /// The path without quotes, e.g. `purposes[0].id`.
    pub fn dotted(&self) -> String {
        let mut out = String::new();
        for step in &self.steps {
            match step {
                Step::Key(k) if out.is_empty() => out.push_str(k),
                Step::Key(k) => {
                    out.push('.');
                    out.push_str(k);
                }
                Step::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }
}

impl fmt::Display for KeyPath {
    /// The path in backticks (`` `purposes[0].id` ``), or "the project file" for the top.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.steps.is_empty() {
            f.write_str("the project file")
        } else {
            write!(f, "`{}`", self.dotted())
        }
    }
}

/// Values as a list for messages: `` `a`, `b`, `c` ``.
pub fn quoted_list<S: AsRef<str>>(values: impl IntoIterator<Item = S>) -> String {
    values
        .into_iter()
        .map(|v| format!("`{}`", v.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::KeyPath;

    #[test]
    fn paths_print_keys_and_indices() {
        let p = KeyPath::root().key("destinations").index(1).key("role");
        assert_eq!(p.to_string(), "`destinations[1].role`");
        assert_eq!(KeyPath::from_steps(&["destinations", "1", "role"]), p);
        assert_eq!(KeyPath::root().location(), "at the top level");
        assert_eq!(
            KeyPath::root().key("organisation").location(),
            "in `organisation`"
        );
    }
}
