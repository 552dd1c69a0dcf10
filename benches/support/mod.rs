//! Shared by the benchmarks: the configuration generator, the reference material, the
//! bundled examples, and timing and peak-memory measurement.
#![allow(dead_code)]

pub mod generate;
pub mod measure;

use std::path::PathBuf;

/// The crate root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The reference material (`OTEL_DPIA_SHARED`, or `shared` beside the repository).
pub fn shared() -> Option<PathBuf> {
    let dir = std::env::var_os("OTEL_DPIA_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared"));
    dir.is_dir().then_some(dir)
}

/// The collector corpus files, sorted; empty without the reference material.
pub fn corpus() -> Vec<PathBuf> {
    let Some(dir) = shared().map(|s| s.join("collector/corpus")) else {
        eprintln!("notice: reference material not found; set OTEL_DPIA_SHARED for the corpus");
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"));
    files.sort();
    files
}

/// The bundled examples' project files.
pub fn examples() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(repo().join("examples"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("dpia.yaml"))
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}
