//! Claude Code managed settings in JSON, resolved with the rest of the client's settings
//! for every catalogued client version (the managed-dominance rule differs between them).
//! The input is the `managed-settings.json` text; after a NUL byte, a user settings file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use otel_dpia::diag::Diagnostics;
use otel_dpia::files::Files;
use otel_dpia::inputs::{InputSpec, SourceRef};
use otel_dpia_fuzz::{stored, telemetry_env};

fuzz_target!(|data: &str| {
    let (managed, user) = data.split_once('\0').unwrap_or((data, ""));
    for version in ["2.1.197", "2.1.330"] {
        let mut files = Files::new();
        let mut diags = Diagnostics::new();
        let spec = InputSpec {
            managed_settings: vec![stored(&mut files, "managed-settings.json", managed)],
            user_settings: (!user.is_empty()).then(|| stored(&mut files, "settings.json", user)),
            env: telemetry_env(),
            ..InputSpec::default()
        };
        let source = SourceRef {
            name: "claude-code".into(),
            version: Some(version.into()),
            named_at: None,
        };
        let settings = otel_dpia::sources::resolve(&source, &spec, &mut files, &mut diags);
        if let Some(settings) = &settings {
            serde_json::to_string(settings).expect("settings serialise");
        }
        otel_dpia_fuzz::check(&files, &diags, settings.is_none());
    }
});
