//! Escaping input strings for Markdown, so that a company name such as
//! `*[x](javascript:alert(1))*`, `<script>` or a run of backticks comes out as the same
//! literal text in the Markdown, the HTML and the PDF.
//!
//! The template engine applies [`markdown`] to every value it prints (see
//! `templates.rs`); [`code_span`] makes a safe inline code span for ids and keys.

/// Characters with a meaning somewhere in CommonMark inline syntax or GFM tables; a
/// backslash before any ASCII punctuation makes it literal.
const INLINE: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '<', '>', '!', '&', '|', '~', '#', '$', '{', '}',
];

/// Characters that start a block (list, heading, quote, thematic break) at a line start.
const BLOCK_START: &[char] = &['-', '+', '=', '>', '#'];

/// Escapes a string so that Markdown shows it literally, on one line.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let trimmed = flat.trim_start();
    let mut chars = trimmed.chars().peekable();
    let second = trimmed.chars().nth(1);
    let marker_like = second.is_none_or(|c| !c.is_alphanumeric());
    if let Some(first) = chars.peek().copied()
        && BLOCK_START.contains(&first)
        && marker_like
    {
        out.push('\\');
    }
    let mut digits_only = true;
    while let Some(c) = chars.next() {
        let next_blank = chars.peek().is_none_or(|n| n.is_whitespace());
        if INLINE.contains(&c) {
            out.push('\\');
        } else if digits_only && matches!(c, '.' | ')') && !out.is_empty() && next_blank {
            // `1.` or `1)` before a space would begin an ordered list.
            out.push('\\');
        }
        digits_only = digits_only && c.is_ascii_digit();
        out.push(c);
    }
    out
}

/// An inline code span showing `text` literally: the fence is one backtick longer than
/// the longest run inside. Text containing `|` is escaped as plain text instead, because
/// a pipe would end a table cell even inside a code span.
pub fn code_span(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.is_empty() || flat.contains('|') || flat.trim().is_empty() {
        return markdown(&flat);
    }
    let longest = flat.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if flat.starts_with('`') || flat.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{flat}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_with_meaning_is_escaped() {
        assert_eq!(
            markdown("*[x](javascript:alert(1))*"),
            r"\*\[x\](javascript:alert(1))\*"
        );
        assert_eq!(markdown("<script>"), r"\<script\>");
        assert_eq!(
            markdown("#read(\"/etc/passwd\")"),
            "\\#read(\"/etc/passwd\")"
        );
        assert_eq!(markdown("- item\nnext"), r"\- item next");
        assert_eq!(markdown("2026. year"), r"2026\. year");
        assert_eq!(markdown("1.2"), "1.2");
        assert_eq!(markdown("+31 30"), "+31 30");
        assert_eq!(markdown("---"), r"\---");
        assert_eq!(markdown("a | b"), r"a \| b");
    }

    #[test]
    fn code_spans_outgrow_backtick_runs() {
        assert_eq!(code_span("a"), "`a`");
        assert_eq!(code_span("a``b"), "```a``b```");
        assert_eq!(code_span("`x"), "`` `x ``");
        assert_eq!(code_span("a|b"), r"a\|b");
    }
}
