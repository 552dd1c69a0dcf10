//! The minijinja environment: templates embedded in the binary and overridable file by
//! file from a folder, strict about undefined values, and escaping every printed value
//! for Markdown.
//!
//! Templates are named `<lang>/<name>.md.j2`. With `--templates DIR`, `DIR/<lang>/<name>.md.j2`
//! replaces the embedded file of that name; other files still come from the binary.
//! Printing a value goes through [`format_value`]: strings are Markdown-escaped, `none`
//! is an error (a silent empty cell in a legal document is worse than a failed render),
//! and only the output of macros and of the `code` filter passes unescaped.

use std::path::{Path, PathBuf};

use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, Error, ErrorKind, Output, State, UndefinedBehavior};

use super::escape;
use crate::files::read_bytes;
use crate::limits::DEFAULT_MAX_INPUT_SIZE;

/// The templates shipped with the binary.
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "en/macros.md.j2",
        include_str!("../../templates/en/macros.md.j2"),
    ),
    (
        "en/dpia.md.j2",
        include_str!("../../templates/en/dpia.md.j2"),
    ),
    (
        "en/notice.md.j2",
        include_str!("../../templates/en/notice.md.j2"),
    ),
    (
        "en/works-council.md.j2",
        include_str!("../../templates/en/works-council.md.j2"),
    ),
    (
        "nl/macros.md.j2",
        include_str!("../../templates/nl/macros.md.j2"),
    ),
    (
        "nl/dpia.md.j2",
        include_str!("../../templates/nl/dpia.md.j2"),
    ),
    (
        "nl/notice.md.j2",
        include_str!("../../templates/nl/notice.md.j2"),
    ),
    (
        "nl/works-council.md.j2",
        include_str!("../../templates/nl/works-council.md.j2"),
    ),
    (
        "de/macros.md.j2",
        include_str!("../../templates/de/macros.md.j2"),
    ),
    (
        "de/dpia.md.j2",
        include_str!("../../templates/de/dpia.md.j2"),
    ),
    (
        "de/notice.md.j2",
        include_str!("../../templates/de/notice.md.j2"),
    ),
    (
        "de/works-council.md.j2",
        include_str!("../../templates/de/works-council.md.j2"),
    ),
];

/// The documents, by template name.
pub const DOCUMENTS: &[&str] = &["dpia", "notice", "works-council"];

/// The name of the auto-escape mode that [`format_value`] implements.
const MARKDOWN: &str = "markdown";

/// Builds the environment; `overrides` is the `--templates` folder, if any.
pub fn environment(overrides: Option<&Path>) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    env.set_auto_escape_callback(|_| AutoEscape::Custom(MARKDOWN));
    env.set_formatter(format_value);
    // `{{ eol }}` (empty) keeps the newline of a line whose last element would otherwise
    // be a block tag: `trim_blocks` eats the newline after a tag, which suits lines that
    // hold only tags but would join a text line to the next.
    env.add_global("eol", Value::from_safe_string(String::new()));
    env.add_filter("code", |v: Value| {
        Value::from_safe_string(escape::code_span(&plain(&v)))
    });
    let dir: Option<PathBuf> = overrides.map(Path::to_path_buf);
    env.set_loader(move |name| load(dir.as_deref(), name));
    env
}

/// Finds a template: the override folder first, then the embedded set. A template in the
/// folder is read like every input (a regular file within the default input size), and
/// anything there under the name that cannot be read so is an error, not a fallback.
fn load(dir: Option<&Path>, name: &str) -> Result<Option<String>, Error> {
    if let Some(dir) = dir {
        let path = dir.join(name);
        if path.symlink_metadata().is_ok() {
            let cannot = |why: String| {
                Error::new(
                    ErrorKind::TemplateNotFound,
                    format!("cannot read `{}`: {why}", path.display()),
                )
            };
            let bytes = read_bytes(&path, DEFAULT_MAX_INPUT_SIZE).map_err(|d| cannot(d.message))?;
            return String::from_utf8(bytes)
                .map(Some)
                .map_err(|_| cannot("it is not UTF-8 text".to_string()));
        }
    }
    Ok(EMBEDDED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| (*text).to_string()))
}

/// Whether a template exists for `name` (embedded or in the override folder).
pub fn exists(dir: Option<&Path>, name: &str) -> bool {
    matches!(load(dir, name), Ok(Some(_)))
}

/// Why the override folder's template for `name` cannot be read, if it cannot.
pub fn unreadable(dir: Option<&Path>, name: &str) -> Option<String> {
    load(dir, name)
        .err()
        .map(|e| e.detail().unwrap_or_default().to_string())
}

/// How a value prints: escaped for Markdown unless the engine marked it safe.
fn format_value(out: &mut Output<'_>, state: &State<'_, '_>, value: &Value) -> Result<(), Error> {
    if value.is_none() || value.is_undefined() {
        return Err(Error::new(
            ErrorKind::UndefinedError,
            "a missing value was printed; test it first or print it through the `fact` macro",
        ));
    }
    if value.is_safe() || state.auto_escape() == AutoEscape::None {
        return write!(out, "{value}").map_err(Error::from);
    }
    write!(out, "{}", escape::markdown(&plain(value))).map_err(Error::from)
}

/// The text of a value (strings without quotes).
fn plain(v: &Value) -> String {
    match v.as_str() {
        Some(s) => s.to_string(),
        None => v.to_string(),
    }
}
