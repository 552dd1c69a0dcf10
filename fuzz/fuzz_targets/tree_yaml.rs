//! The YAML reader (collector configurations, `dpia.yaml`): any text gives a tree or a
//! located syntax error. The tree is also typed as JSON, as typed documents are read.
#![no_main]

use libfuzzer_sys::fuzz_target;
use otel_dpia::diag::Diagnostics;
use otel_dpia::files::Files;
use otel_dpia::tree::parse_yaml;

fuzz_target!(|text: &str| {
    let mut files = Files::new();
    let file = files.add("fuzz.yaml", text);
    let mut diags = Diagnostics::new();
    let docs = parse_yaml(&files, file, &mut diags);
    for doc in docs.iter().flatten() {
        doc.to_json();
    }
    otel_dpia_fuzz::check(&files, &diags, docs.is_none());
});
