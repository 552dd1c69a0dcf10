//! The JSON Schema of `dpia.yaml`, generated from the [`Project`] types.
//!
//! The schema is the single description of the file's shape: editors use it (through the
//! `yaml-language-server` comment at the top of a project file) and the loader walks the
//! YAML tree against it, so both always agree with the Rust types.

use schemars::Schema;

use super::Project;

/// The file name the schema is written under (`otel-dpia schema`).
pub const SCHEMA_FILE_NAME: &str = "dpia.schema.json";

/// The schema as a JSON value (draft 2020-12, definitions under `$defs`).
pub fn project_schema() -> serde_json::Value {
    serde_json::Value::from(generate())
}

/// The schema as written to disk: pretty-printed, with a trailing newline. The output is
/// the same on every run: properties keep the field order of the types, and schemars'
/// serialiser puts `$schema`, `title` and `description` first and `$defs` last.
pub fn schema_text() -> String {
    crate::schemas::text_of(generate())
}

fn generate() -> Schema {
    crate::schemas::generate::<Project>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_names_the_draft_title_and_closed_objects() {
        let schema = project_schema();
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        assert_eq!(schema["title"], "otel-dpia project file (dpia.yaml)");
        assert_eq!(schema["additionalProperties"], false);
        assert_eq!(
            schema["$defs"]["Organisation"]["properties"]["country"]["pattern"],
            "^[A-Z]{2}$"
        );
        let text = schema_text();
        assert!(text.starts_with("{\n  \"$schema\""));
        assert!(text.ends_with("}\n"));
    }

    #[test]
    fn descriptions_keep_paragraphs_but_not_wrapping() {
        let schema = project_schema();
        let top = schema["description"].as_str().unwrap();
        assert!(top.contains("\n\n") && !top.replace("\n\n", "").contains('\n'));
        let serves = &schema["$defs"]["CollectorInput"]["properties"]["serves"]["description"];
        assert!(!serves.as_str().unwrap().contains('\n'));
    }
}
