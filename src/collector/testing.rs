//! Test helper: load configuration texts as one collector, through the real file reading.

use super::{Collector, load};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::files::Files;
use crate::inputs::spec::{CollectorSpec, PathRef};

/// What loading produced.
pub struct Loaded {
    pub collector: Option<Collector>,
    pub diags: Vec<Diagnostic>,
    pub files: Files,
}

impl Loaded {
    /// The codes of every diagnostic, in the order found.
    pub fn codes(&self) -> Vec<Code> {
        self.diags.iter().map(|d| d.code).collect()
    }

    /// The diagnostics with a code, as `code line: message` lines for assertions.
    pub fn with(&self, code: Code) -> Vec<&Diagnostic> {
        self.diags.iter().filter(|d| d.code == code).collect()
    }

    /// The loaded collector; panics with the diagnostics if there is none.
    pub fn graph(&self) -> &Collector {
        self.collector
            .as_ref()
            .unwrap_or_else(|| panic!("no collector: {:?}", self.diags))
    }
}

/// Writes each text to `c<i>.yaml` in a fresh folder and loads them as one collector.
pub fn load_texts(texts: &[&str], env: &[(&str, &str)]) -> Loaded {
    let names: Vec<String> = (0..texts.len()).map(|i| format!("c{i}.yaml")).collect();
    let written: Vec<(&str, &str)> = names
        .iter()
        .zip(texts)
        .map(|(n, t)| (n.as_str(), *t))
        .collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    load_files(&written, &refs, env)
}

/// Writes `(name, text)` files to a fresh folder and loads the collector whose files are
/// `paths` (relative to that folder, perhaps with a `#choice`).
pub fn load_files(written: &[(&str, &str)], paths: &[&str], env: &[(&str, &str)]) -> Loaded {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in written {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let files_spec = paths
        .iter()
        .map(|p| PathRef {
            path: dir.path().join(p),
            named_at: None,
        })
        .collect();
    let spec = CollectorSpec {
        name: "test".into(),
        files: files_spec,
        env: env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        serves: Vec::new(),
        named_at: None,
    };
    let mut files = Files::new();
    let mut diags = Diagnostics::new();
    let collector = load(&mut files, &spec, &mut diags);
    Loaded {
        collector,
        diags: diags.into_iter().collect(),
        files,
    }
}

/// A small valid configuration used as the base of many tests.
pub const GOOD: &str = "\
receivers:
  otlp:
    protocols:
      grpc:
processors:
  batch:
  attributes/strip:
    actions:
      - key: user.email
        action: delete
exporters:
  otlphttp/vendor:
    endpoint: https://otlp.example.com
  debug:
extensions:
  health_check:
service:
  extensions: [health_check]
  pipelines:
    logs:
      receivers: [otlp]
      processors: [attributes/strip, batch]
      exporters: [otlphttp/vendor]
    metrics:
      receivers: [otlp]
      exporters: [otlphttp/vendor, debug]
";
