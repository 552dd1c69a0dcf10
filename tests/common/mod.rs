//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod agents;
pub mod datamap;
pub mod fixtures;
pub mod generate;
pub mod soundness;

use std::path::PathBuf;
use std::process::{Command, Output};

/// The reference material (captures, corpus, conformance cases): `OTEL_DPIA_SHARED`, or the
/// `shared` folder beside the repository. `None` (with a notice) when it is not there.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("OTEL_DPIA_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "notice: reference material not found at {}; set OTEL_DPIA_SHARED",
            dir.display()
        );
        None
    }
}

/// The crate root, for the bundled examples.
pub fn repo_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the built binary with arguments in a folder.
pub fn run_in(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_otel-dpia"))
        .args(args)
        .current_dir(dir)
        .env_remove("OTEL_DPIA_DIAGNOSTIC_FORMAT")
        .output()
        .expect("the binary runs")
}

/// Standard output and standard error as text.
pub fn texts(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
