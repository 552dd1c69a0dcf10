//! The JSON Schemas this program publishes: the project file (`dpia.schema.json`), the
//! data map of `analyze --format json` (`analysis.schema.json`) and the result of
//! `verify --format json` (`verify.schema.json`). Both are generated from
//! the Rust types, so they cannot drift from what the program reads and writes; a test
//! fails when the committed copies in `schemas/` are stale.

use schemars::transform::{RecursiveTransform, Transform};
use schemars::{JsonSchema, Schema};

/// Every published schema: file name and text.
pub fn all() -> Vec<(&'static str, String)> {
    vec![
        (
            crate::project::SCHEMA_FILE_NAME,
            crate::project::schema_text(),
        ),
        (
            ANALYSIS_SCHEMA_FILE_NAME,
            text_of(generate::<crate::analysis::map::DataMap>()),
        ),
        (
            VERIFY_SCHEMA_FILE_NAME,
            text_of(generate::<crate::verify::Verification>()),
        ),
    ]
}

/// The file name of the data map's schema.
pub const ANALYSIS_SCHEMA_FILE_NAME: &str = "analysis.schema.json";

/// The file name of the schema of `verify`'s result.
pub const VERIFY_SCHEMA_FILE_NAME: &str = "verify.schema.json";

/// A type's schema (draft 2020-12) with doc-comment descriptions unwrapped.
pub fn generate<T: JsonSchema>() -> Schema {
    let mut schema = schemars::schema_for!(T);
    RecursiveTransform(unwrap_description).transform(&mut schema);
    schema
}

/// The schema as written to disk: pretty-printed, with a trailing newline; the same on
/// every run (properties keep the field order of the types).
pub fn text_of(schema: Schema) -> String {
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema always serialises");
    text.push('\n');
    text
}

/// Doc comments are wrapped at 100 columns; editors show descriptions as they are, so the
/// wrapping line breaks are joined and only paragraph breaks are kept.
fn unwrap_description(schema: &mut Schema) {
    if let Some(serde_json::Value::String(text)) = schema.get_mut("description") {
        *text = text
            .split("\n\n")
            .map(|paragraph| {
                paragraph
                    .split('\n')
                    .map(str::trim)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect::<Vec<_>>()
            .join("\n\n");
    }
}
