//! Claude Code managed settings in a macOS property list or configuration profile, XML or
//! binary: the payload is found and its settings checked, or a located error says why not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use otel_dpia::diag::Diagnostics;
use otel_dpia::files::Files;
use otel_dpia::sources::claude_code::read_profile_bytes;

fuzz_target!(|bytes: &[u8]| {
    let mut files = Files::new();
    let mut diags = Diagnostics::new();
    let root = read_profile_bytes(bytes, &mut files, &mut diags);
    if let Some(root) = &root {
        root.to_json();
    }
    otel_dpia_fuzz::check(&files, &diags, root.is_none());
});
