//! Semantic checks of `dpia.yaml` that a schema cannot express: references between
//! entries, values that only make sense together, and real country codes.
//!
//! They run on the tree (not the typed [`Project`](super::Project)) so that every message
//! points at the line to fix, and they run even when the structure has problems, skipping
//! whatever part is not of the expected shape (the schema walk reports that part).

use super::countries::{is_eea, is_iso_alpha2, iso_for_common_mistake};
use super::path::{KeyPath, quoted_list};
use super::scalars::parse_int;
use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::tree::Node;

/// The only `schema_version` this version of otel-dpia reads.
pub const SCHEMA_VERSION: i128 = 1;

/// Runs every semantic check on a project-file tree.
pub fn check(root: &Node, diags: &mut Diagnostics) {
    schema_version(root, diags);
    let top = KeyPath::root();
    let purpose_ids = unique_ids(Some(root), &top, "purposes", "id", "purpose", diags);
    unique_ids(Some(root), &top, "measures", "id", "measure", diags);
    unique_ids(
        root.get("inputs"),
        &top.key("inputs"),
        "collectors",
        "name",
        "collector",
        diags,
    );
    for (i, purpose) in items(root, "purposes") {
        legitimate_interest(purpose, &KeyPath::root().key("purposes").index(i), diags);
    }
    for (i, destination) in items(root, "destinations") {
        let path = KeyPath::root().key("destinations").index(i);
        destination_rules(destination, &path, &purpose_ids, diags);
    }
    if let Some(country) = root.get("organisation").and_then(|o| o.get("country")) {
        country_code(
            country,
            &KeyPath::root().key("organisation").key("country"),
            diags,
        );
    }
    collector_files(root, diags);
}

/// The entries of a list under `key`, with their index; nothing if it is not a list.
fn items<'a>(node: &'a Node, key: &str) -> impl Iterator<Item = (usize, &'a Node)> {
    node.get(key)
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .enumerate()
}

/// A value that is present and not null.
/// Whether a free-text value says something: a non-blank string, or a text per language
/// with at least one non-blank entry.
fn has_text(node: &Node) -> bool {
    match node.as_map() {
        Some(entries) => entries.iter().any(|e| has_text(&e.value)),
        None => node.as_str().is_some_and(|s| !s.trim().is_empty()),
    }
}

fn given<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    node.get(key).filter(|v| !v.is_null())
}

fn schema_version(root: &Node, diags: &mut Diagnostics) {
    let Some(version) = root.get("schema_version") else {
        return;
    };
    let Some(text) = version.as_str() else {
        return;
    };
    match parse_int(text) {
        Some(SCHEMA_VERSION) | None => {}
        Some(_) => diags.push(
            Diagnostic::new(
                Code::ProjectInvalid,
                format!(
                    "`schema_version` is {text}, but this version of otel-dpia reads schema version {SCHEMA_VERSION}"
                ),
            )
            .at(version.span)
            .hint(format!("set `schema_version: {SCHEMA_VERSION}`")),
        ),
    }
}

/// Reports ids used twice in the list `parent.list`; returns every id in order.
fn unique_ids(
    parent: Option<&Node>,
    parent_path: &KeyPath,
    list: &str,
    field: &str,
    what: &str,
    diags: &mut Diagnostics,
) -> Vec<String> {
    let mut seen: Vec<(String, u32)> = Vec::new();
    let Some(parent) = parent else {
        return Vec::new();
    };
    for (i, item) in items(parent, list) {
        let Some(id_node) = item.get(field) else {
            continue;
        };
        let Some(id) = id_node.as_str() else {
            continue;
        };
        if let Some((_, line)) = seen.iter().find(|(s, _)| s == id) {
            let path = parent_path.key(list).index(i).key(field);
            diags.push(
                Diagnostic::new(
                    Code::ProjectInvalid,
                    format!("{path}: the {what} `{id}` is already defined on line {line}"),
                )
                .at(id_node.span)
                .hint(format!(
                    "give each {what} its own `{field}`, or merge the two entries"
                )),
            );
            continue;
        }
        seen.push((id.to_string(), id_node.span.line));
    }
    seen.into_iter().map(|(id, _)| id).collect()
}

/// Art. 6(1)(f) needs the interest named (and Art. 13(1)(d) needs it told to employees).
fn legitimate_interest(purpose: &Node, path: &KeyPath, diags: &mut Diagnostics) {
    let Some(basis) = purpose.get("legal_basis") else {
        return;
    };
    if basis.as_str() != Some("legitimate_interests") {
        return;
    }
    let stated = given(purpose, "legitimate_interest").is_some_and(has_text);
    if !stated {
        diags.push(
            Diagnostic::new(
                Code::ProjectInvalid,
                format!(
                    "{}: the legal basis is legitimate interests, but no `legitimate_interest` says which interest",
                    path
                ),
            )
            .at(basis.span)
            .hint("add `legitimate_interest:` with the interest pursued; GDPR Art. 13(1)(d) requires telling employees what it is"),
        );
    }
}

fn destination_rules(
    destination: &Node,
    path: &KeyPath,
    purpose_ids: &[String],
    diags: &mut Diagnostics,
) {
    if destination.as_map().is_none() {
        return;
    }
    if given(destination, "exporter").is_none() && given(destination, "host").is_none() {
        diags.push(
            Diagnostic::new(
                Code::ProjectInvalid,
                format!("{path} names neither `exporter` nor `host`, so it matches no destination"),
            )
            .at(destination.span)
            .hint("add `exporter:` with the destination id `otel-dpia analyze` prints, or `host:` with the host name the data is sent to"),
        );
    }
    for (j, purpose) in items(destination, "purposes") {
        purpose_reference(purpose, &path.key("purposes").index(j), purpose_ids, diags);
    }
    if let Some(country) = given(destination, "country") {
        country_code(country, &path.key("country"), diags);
        transfer_consistency(destination, country, path, diags);
    }
}

fn purpose_reference(node: &Node, path: &KeyPath, ids: &[String], diags: &mut Diagnostics) {
    let Some(id) = node.as_str() else {
        return;
    };
    if ids.iter().any(|known| known == id) {
        return;
    }
    let hint = match did_you_mean(id, ids.iter().map(String::as_str)) {
        Some(close) => format!("did you mean `{close}`?"),
        None if ids.is_empty() => "define the purpose under `purposes:` first".to_string(),
        None => format!("use one of the ids under `purposes:`: {}", quoted_list(ids)),
    };
    diags.push(
        Diagnostic::new(
            Code::ProjectInvalid,
            format!("{path}: `{id}` is not the id of a purpose defined under `purposes`"),
        )
        .at(node.span)
        .hint(hint),
    );
}

/// A well-formed code (two upper-case letters; the schema pattern checks the form) must
/// also be an assigned ISO 3166-1 code, or transfer rules would be decided on nonsense.
fn country_code(node: &Node, path: &KeyPath, diags: &mut Diagnostics) {
    let Some(code) = node.as_str() else {
        return;
    };
    let well_formed = code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase());
    if !well_formed || is_iso_alpha2(code) {
        return;
    }
    let hint = match iso_for_common_mistake(code) {
        Some(iso) => format!("the ISO 3166-1 code is `{iso}`"),
        None => "use the ISO 3166-1 alpha-2 code of the country (e.g. `NL`, `DE`, `US`)".into(),
    };
    diags.push(
        Diagnostic::new(
            Code::ProjectInvalid,
            format!("{path}: `{code}` is not an ISO 3166-1 alpha-2 country code"),
        )
        .at(node.span)
        .hint(hint),
    );
}

/// `not_applicable` claims the data stays in the EEA; with a country outside it that claim
/// would be false in every document, so it is refused.
fn transfer_consistency(
    destination: &Node,
    country: &Node,
    path: &KeyPath,
    diags: &mut Diagnostics,
) {
    let Some(code) = country.as_str() else {
        return;
    };
    let Some(mechanism) = given(destination, "transfer_mechanism") else {
        return;
    };
    if mechanism.as_str() != Some("not_applicable") || !is_iso_alpha2(code) || is_eea(code) {
        return;
    }
    diags.push(
        Diagnostic::new(
            Code::ProjectInvalid,
            format!(
                "{}: `not_applicable` says the data stays in the EEA, but the country is `{code}`, outside the EEA",
                path.key("transfer_mechanism")
            ),
        )
        .at(mechanism.span)
        .hint("name the legal instrument for the transfer (e.g. `standard_contractual_clauses`), or correct the country"),
    );
}

fn collector_files(root: &Node, diags: &mut Diagnostics) {
    let Some(inputs) = root.get("inputs") else {
        return;
    };
    for (i, collector) in items(inputs, "collectors") {
        let Some(files) = collector.get("files") else {
            continue;
        };
        if files.as_seq().is_some_and(<[Node]>::is_empty) {
            let path = KeyPath::root()
                .key("inputs")
                .key("collectors")
                .index(i)
                .key("files");
            diags.push(
                Diagnostic::new(
                    Code::ProjectInvalid,
                    format!("{path} is empty; a collector needs at least one configuration file"),
                )
                .at(files.span)
                .hint("list the collector's configuration files, in the order `otelcol --config` is given them"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::Files;
    use crate::tree::parse_yaml;

    fn problems(text: &str) -> Vec<Diagnostic> {
        let mut files = Files::new();
        let id = files.add("dpia.yaml", text);
        let mut diags = Diagnostics::new();
        let node = parse_yaml(&files, id, &mut diags).unwrap().remove(0);
        check(&node, &mut diags);
        diags.into_sorted()
    }

    #[test]
    fn references_duplicates_and_countries_are_checked() {
        let d = problems(
            "schema_version: 2\npurposes:\n  - id: cost\n  - id: cost\n    legal_basis: legitimate_interests\ndestinations:\n  - recipient: X\n    country: UK\n    purposes: [cots]\n  - host: h\n    country: US\n    transfer_mechanism: not_applicable\n",
        );
        let lines: Vec<u32> = d.iter().map(|d| d.span.unwrap().line).collect();
        assert_eq!(lines, [1, 4, 5, 7, 8, 9, 12], "{d:#?}");
        assert!(d.iter().all(|d| d.code == Code::ProjectInvalid));
        assert!(d[1].message.contains("already defined on line 3"));
        assert_eq!(d[4].hint.as_deref(), Some("the ISO 3166-1 code is `GB`"));
        assert_eq!(d[5].hint.as_deref(), Some("did you mean `cost`?"));
    }

    #[test]
    fn a_consistent_file_passes() {
        let d = problems(
            "schema_version: 1\npurposes:\n  - id: cost\n    legal_basis: legitimate_interests\n    legitimate_interest: Keeping costs in check.\ndestinations:\n  - host: h\n    country: NL\n    transfer_mechanism: not_applicable\n    purposes: [cost]\n",
        );
        assert_eq!(d, Vec::new());
    }
}
