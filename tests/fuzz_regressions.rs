//! Inputs the fuzz targets (`fuzz/`) once failed on, kept so the failures stay fixed.
//!
//! `tests/data/fuzz/<target>/` holds the inputs of each target; every one is run through
//! the same reader as the target and must give a result or a located error, never a panic.
//! A new crash's input goes into the folder of its target, named after what it exercised.

use std::path::{Path, PathBuf};

use otel_dpia::diag::Diagnostics;
use otel_dpia::files::Files;
use otel_dpia::otlp::{read_request, write_request};
use otel_dpia::tree::{parse_toml, parse_toml_value};

/// The inputs of a target, sorted; a target without inputs is a mistake in this file.
fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/fuzz")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {}", dir.display());
    files
}

fn text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A `-c key=value` override's value is parsed inside `v = …`, and the offsets of that text,
/// four bytes on, were turned into lines and columns of the value alone: one fell inside a
/// multi-byte character, and slicing the text there panicked.
#[test]
fn toml_offsets_inside_a_character_are_located() {
    for path in inputs("tree_toml") {
        let mut files = Files::new();
        let file = files.add("fuzz.toml", text(&path));
        let mut diags = Diagnostics::new();
        parse_toml_value(&files, file).to_json();
        let root = parse_toml(&files, file, &mut diags);
        let error = diags.iter().find(|d| d.is_error());
        assert!(
            root.is_some() || error.is_some_and(|d| d.span.is_some()),
            "{}: no located error: {diags:?}",
            path.display()
        );
    }
}

/// A double read back from what was written came out one unit in the last place off: JSON
/// numbers were not parsed to the nearest double, so written captures drifted. Only the
/// binary had the fault: a test dependency switches exact parsing on for the test builds,
/// so this test guards the setting, and the `otlp_json` fuzz target (built without test
/// dependencies) is what found it.
#[test]
fn otlp_requests_read_back_as_written() {
    for path in inputs("otlp_json") {
        let data = read_request(&text(&path)).expect("the input is a request");
        let written = write_request(&data);
        let again = read_request(&written).expect("the written request reads back");
        assert_eq!(write_request(&again), written, "{}", path.display());
    }
}

/// A span id written in upper-case hex (`…ecC824f`) was kept as written when read from
/// OTLP/JSON, but came back in lower case through protobuf: the same request read two ways
/// differed. A collector reads either case into the same bytes, so hex ids are now kept in
/// lower case.
#[test]
fn otlp_captures_read_the_same_through_protobuf() {
    use otel_dpia::otlp::{proto, read_capture};
    for path in inputs("otlp_capture") {
        let bytes = std::fs::read(&path).unwrap();
        let data = read_capture(&bytes, "capture.pb").expect("the input is a capture");
        let written = write_request(&data);
        let encoded = proto::encode(&data).expect("hex ids have a protobuf form");
        let decoded = proto::decode(proto::Signal::of(&data), &encoded).unwrap();
        assert_eq!(write_request(&decoded), written, "{}", path.display());
    }
}
