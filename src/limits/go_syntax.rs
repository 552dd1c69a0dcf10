//! Go RE2's meaning of the Perl classes, for patterns taken from collector configurations.
//!
//! The collector compiles patterns with Go's `regexp`, where `\d`, `\w`, `\s` and `\b` are
//! ASCII-only: `\w` is `[0-9A-Za-z_]`, `\s` is `[\t\n\f\r ]` (no vertical tab). The `regex`
//! crate reads the same text as Unicode classes, so `^\w+$` would match `prénom` here while
//! the collector does not, and a filter the collector leaves alone would look as if it
//! dropped the record: an unsound claim that data does not leave. Rewriting each Perl class
//! into its ASCII set before compiling keeps the two engines in step. Everything else in the
//! pattern is passed through untouched; syntax the `regex` crate lacks (`\Q…\E`, say) fails
//! to compile, and a consumer treats a pattern it cannot read soundly.

/// Rewrites the Perl classes of a Go RE2 pattern into the ASCII sets Go gives them.
pub fn to_rust(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars().peekable();
    // Inside `[…]` a word boundary has no meaning and is left for the parser to refuse.
    let mut in_class = false;
    // True right after `[` or `[^`, where a `]` is a literal member of the class.
    let mut class_start = false;
    while let Some(c) = chars.next() {
        let at_start = std::mem::take(&mut class_start);
        match c {
            '\\' => {
                let Some(next) = chars.next() else {
                    out.push(c);
                    break;
                };
                match (next, in_class) {
                    ('d', _) => out.push_str("[0-9]"),
                    ('D', _) => out.push_str("[^0-9]"),
                    ('w', _) => out.push_str("[0-9A-Za-z_]"),
                    ('W', _) => out.push_str("[^0-9A-Za-z_]"),
                    ('s', _) => out.push_str("[\\t\\n\\f\\r ]"),
                    ('S', _) => out.push_str("[^\\t\\n\\f\\r ]"),
                    ('b', false) => out.push_str("(?-u:\\b)"),
                    ('B', false) => out.push_str("(?-u:\\B)"),
                    _ => {
                        out.push(c);
                        out.push(next);
                    }
                }
            }
            '[' if !in_class => {
                out.push(c);
                in_class = true;
                class_start = true;
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
            }
            // A POSIX class such as `[:alpha:]` inside a class: copied whole, it is ASCII in
            // both engines.
            '[' if chars.peek() == Some(&':') => {
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == ']' {
                        break;
                    }
                }
            }
            ']' if in_class && !at_start => {
                out.push(c);
                in_class = false;
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::to_rust;
    use regex::Regex;

    fn go(pattern: &str) -> Regex {
        Regex::new(&to_rust(pattern)).unwrap()
    }

    #[test]
    fn perl_classes_are_ascii_as_in_go() {
        assert!(!go(r"^\w+$").is_match("prénom"));
        assert!(go(r"^\w+$").is_match("user_id9"));
        assert!(!go(r"^\d+$").is_match("١٢٣"));
        assert!(go(r"^\D$").is_match("é"));
        assert!(go(r"^\W$").is_match("é"));
        // Go's \s has no vertical tab and no Unicode spaces.
        assert!(!go(r"^\s$").is_match("\u{0b}"));
        assert!(!go(r"^\s$").is_match("\u{a0}"));
        assert!(go(r"^\S$").is_match("\u{a0}"));
        // An ASCII word boundary: é is not a word character, so there is one before it.
        assert!(go(r"a\bé").is_match("aé"));
        assert!(go(r"a\Bb").is_match("ab"));
    }

    #[test]
    fn classes_members_and_escapes_keep_their_meaning() {
        assert!(go(r"^[\w.-]+$").is_match("a.b-c"));
        assert!(!go(r"^[\w.-]+$").is_match("é"));
        assert!(go(r"^[^\d]+$").is_match("é"));
        assert!(!go(r"^[^\d]+$").is_match("1"));
        assert!(go(r"^[]\w]+$").is_match("]a"));
        assert!(go(r"^[[:alpha:]\d]+$").is_match("a1"));
        assert!(go(r"^\\w$").is_match("\\w"));
        assert!(go(r"^\.\*$").is_match(".*"));
        assert_eq!(to_rust(r"\pL\x{41}"), r"\pL\x{41}");
        assert_eq!(to_rust("tail\\"), "tail\\");
    }
}
