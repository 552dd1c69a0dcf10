//! `${…}` substitution in a collector configuration: `${env:X}`, `${env:X:-default}`,
//! `${X}`, `$$`, `${file:…}`, `${yaml:…}` and nesting, with whatever variables the input
//! brings (the lines after its first NUL byte, as `KEY=VALUE`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use otel_dpia::collector::substitute_text;
use otel_dpia::diag::Diagnostics;
use otel_dpia::files::Files;

fuzz_target!(|data: &str| {
    let (text, env) = otel_dpia_fuzz::text_and_env(data);
    let mut files = Files::new();
    let mut diags = Diagnostics::new();
    let root = substitute_text(text, &env, &mut files, &mut diags);
    if let Some(root) = &root {
        root.to_json();
    }
    otel_dpia_fuzz::check(&files, &diags, root.is_none());
});
