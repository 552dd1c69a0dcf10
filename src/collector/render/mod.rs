//! The collector graph as text for `otel-dpia graph`: `human` for reading, `json` for
//! tools, `dot` for Graphviz. All three are deterministic (document order, no maps with
//! random order) and never show a secret: values go through [`super::fields`].

mod dot;
mod human;
mod json;

pub use dot::dot;
pub use human::human;
pub use json::json;

use super::model::RefList;

/// A list as `a, b (if), <unknown: …>` for human text and labels; `(if)` marks an entry
/// written under a template condition.
fn ref_list_text(list: &RefList, separator: &str) -> String {
    let mut items: Vec<String> = list
        .refs
        .iter()
        .map(|r| match r.condition {
            Some(_) => format!("{} (if)", r.id),
            None => r.id.to_string(),
        })
        .collect();
    if let Some(u) = &list.unknown {
        items.push(format!("<unknown: {}>", u.reason));
    }
    if items.is_empty() {
        "(none)".to_string()
    } else {
        items.join(separator)
    }
}
