//! Glob patterns for `replace_match` / `replace_all_matches` (OTTL compiles them with
//! gobwas/glob without separators): `*` any run of characters, `?` one character,
//! `[abc]` / `[!abc]` / `[a-z]` classes, `{a,b}` alternatives, `\` escapes. The whole
//! string must match.

use regex::Regex;

use super::{EvalError, EvalResult};

/// Compiles a glob into an anchored regex (within the pattern limits).
pub(crate) fn compile(glob: &str) -> EvalResult<Regex> {
    let mut re = String::from("(?s)^");
    let mut chars = glob.chars().peekable();
    let mut depth = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '*' => re.push_str(".*"),
            '?' => re.push('.'),
            '\\' => match chars.next() {
                Some(n) => re.push_str(&regex::escape(&n.to_string())),
                None => return Err(EvalError::Config("trailing `\\` in glob".into())),
            },
            '[' => {
                re.push('[');
                if chars.peek() == Some(&'!') {
                    chars.next();
                    re.push('^');
                }
                let mut closed = false;
                for n in chars.by_ref() {
                    if n == ']' {
                        closed = true;
                        break;
                    }
                    if matches!(n, '\\' | '[' | '^' | '&' | '~') {
                        re.push('\\');
                    }
                    re.push(n);
                }
                if !closed {
                    return Err(EvalError::Config("unclosed `[` in glob".into()));
                }
                re.push(']');
            }
            '{' => {
                depth += 1;
                re.push_str("(?:");
            }
            '}' if depth > 0 => {
                depth -= 1;
                re.push(')');
            }
            ',' if depth > 0 => re.push('|'),
            other => re.push_str(&regex::escape(&other.to_string())),
        }
    }
    if depth > 0 {
        return Err(EvalError::Config("unclosed `{` in glob".into()));
    }
    re.push('$');
    super::regex(&re)
}

#[cfg(test)]
mod tests {
    use super::compile;

    #[test]
    fn globs_match_whole_strings() {
        assert!(compile("*").unwrap().is_match(""));
        assert!(compile("/api/*/users").unwrap().is_match("/api/v1/users"));
        assert!(!compile("/api/*/users").unwrap().is_match("/api/v1/users/x"));
        assert!(compile("a?c").unwrap().is_match("abc"));
        assert!(compile("{get,post}").unwrap().is_match("post"));
        assert!(compile("[!x]y").unwrap().is_match("ay"));
        assert!(!compile("[!x]y").unwrap().is_match("xy"));
        assert!(compile("a.b").unwrap().is_match("a.b"));
        assert!(!compile("a.b").unwrap().is_match("axb"));
    }
}
