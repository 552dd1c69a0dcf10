//! How `serde_norway` (the YAML library the typed project is read with) types a plain
//! scalar, so that the schema walk accepts exactly what deserialisation will accept: any
//! scalar can be a string, a plain `12` is an integer, a quoted `"12"` is not.

use crate::tree::{Node, Value};

/// Whether a node is of a JSON Schema type, as `serde_norway` would read it.
pub fn node_is(json_type: &str, node: &Node) -> bool {
    match (&node.value, json_type) {
        (Value::Null, "null") => true,
        (Value::Map(_), "object") => true,
        (Value::Seq(_), "array") => true,
        (Value::Scalar(_), "string") => true,
        (Value::Scalar(s), "integer") => !s.quoted && parse_int(&s.text).is_some(),
        (Value::Scalar(s), "number") => {
            !s.quoted && (parse_int(&s.text).is_some() || s.text.parse::<f64>().is_ok())
        }
        (Value::Scalar(s), "boolean") => !s.quoted && parse_bool(&s.text).is_some(),
        _ => false,
    }
}

/// A plain YAML integer as `serde_norway` reads it: optional sign, decimal, `0x`, `0o`
/// or `0b`.
pub fn parse_int(text: &str) -> Option<i128> {
    let (negative, unsigned) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (radix, digits) = [("0x", 16), ("0o", 8), ("0b", 2)]
        .into_iter()
        .find_map(|(prefix, radix)| unsigned.strip_prefix(prefix).map(|d| (radix, d)))
        .unwrap_or((10, unsigned));
    if digits.is_empty() || digits.starts_with(['+', '-']) {
        return None;
    }
    let value = i128::from_str_radix(digits, radix).ok()?;
    Some(if negative { -value } else { value })
}

/// A plain YAML boolean as `serde_norway` reads it (YAML 1.2: `yes`/`no` are text).
pub fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_quoted_scalars_are_typed_like_serde_norway() {
        let scalar = |text: &str, quoted| {
            let span = crate::files::Files::whole(crate::files::FileId(0));
            let value = Value::Scalar(crate::tree::Scalar {
                text: text.to_string(),
                quoted,
            });
            Node::new(value, span)
        };
        assert!(node_is("integer", &scalar("0x1F", false)));
        assert!(!node_is("integer", &scalar("30", true)));
        assert!(node_is("string", &scalar("30", false)));
        assert!(!node_is("boolean", &scalar("yes", false)));
        assert_eq!(parse_int("-3"), Some(-3));
        assert_eq!(parse_int("+0b101"), Some(5));
        assert_eq!(parse_int("1.5"), None);
        assert_eq!(parse_int("0x-1"), None);
    }
}
