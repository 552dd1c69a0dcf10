//! The names of the kinds of data and their sent/not-sent wording, taken from the notice's
//! own macros (`templates/<lang>/macros.md.j2`, `item` and `status`), so `explain` and the
//! employee notice use the same words for the same values.

use minijinja::Value;

use crate::render::templates::environment;
use crate::render::view::{Item, ItemStatus};

/// Renders one macro call of the language's macros file.
fn call(lang: &str, call: &str, ctx: Value) -> Option<String> {
    let env = environment(None);
    let source = format!("{{% import \"{lang}/macros.md.j2\" as m %}}{{{{ {call} }}}}");
    env.render_str(&source, ctx)
        .ok()
        .map(|s| s.trim().to_string())
}

/// The plain name of a kind of data, as the notice writes it.
pub fn item(lang: &str, item: Item) -> String {
    call(
        lang,
        "m.item(key)",
        minijinja::context! { key => item.key() },
    )
    .unwrap_or_else(|| item.key().to_string())
}

/// Whether it is sent, as the notice writes it (`not sent`, `may be sent, only as a hash`).
pub fn status(lang: &str, s: &ItemStatus) -> String {
    call(
        lang,
        "m.status(s)",
        minijinja::context! { s => Value::from_serialize(s) },
    )
    .unwrap_or_else(|| format!("{:?}", s.status))
}

/// The text with its first letter in upper case.
pub fn capital(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
