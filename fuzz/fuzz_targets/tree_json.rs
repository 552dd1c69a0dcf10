//! The JSON reader (agent settings files, JSON with comments): any text gives a tree or a
//! located syntax error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use otel_dpia::diag::Diagnostics;
use otel_dpia::files::Files;
use otel_dpia::tree::parse_json;

fuzz_target!(|text: &str| {
    let mut files = Files::new();
    let file = files.add("fuzz.json", text);
    let mut diags = Diagnostics::new();
    let root = parse_json(&files, file, &mut diags);
    if let Some(root) = &root {
        root.to_json();
    }
    otel_dpia_fuzz::check(&files, &diags, root.is_none());
});
