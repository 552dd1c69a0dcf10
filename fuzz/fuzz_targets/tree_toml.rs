//! The TOML reader (Codex CLI's `config.toml` layers) and the reading of a `-c key=value`
//! override's value: any text gives a tree or a located syntax error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use otel_dpia::diag::Diagnostics;
use otel_dpia::files::Files;
use otel_dpia::tree::{parse_toml, parse_toml_value};

fuzz_target!(|text: &str| {
    let mut files = Files::new();
    let file = files.add("fuzz.toml", text);
    let mut diags = Diagnostics::new();
    let root = parse_toml(&files, file, &mut diags);
    if let Some(root) = &root {
        root.to_json();
    }
    parse_toml_value(&files, file).to_json();
    otel_dpia_fuzz::check(&files, &diags, root.is_none());
});
