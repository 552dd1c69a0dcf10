//! Edits of a file's original text at positions the span-keeping trees (`crate::tree`)
//! report, so that everything not edited — comments, order, quoting, blank lines — stays
//! byte for byte as it was. Nothing is re-serialised.

/// One replacement in a text: `remove` bytes at `at` give way to `insert`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// Byte offset in the original text.
    pub at: usize,
    /// Bytes of the original removed there.
    pub remove: usize,
    /// Text put there.
    pub insert: String,
}

/// The byte offset of a 1-based line and a 1-based column counted in characters; `None`
/// past the end.
pub fn offset(text: &str, line: u32, col: u32) -> Option<usize> {
    let start = line_start(text, line)?;
    let rest = &text[start..];
    let mut chars = rest.char_indices();
    for _ in 1..col {
        chars.next()?;
    }
    Some(start + chars.next().map_or(rest.len(), |(i, _)| i))
}

/// The byte offset where a 1-based line starts (the text's length for the line after the
/// last one).
pub fn line_start(text: &str, line: u32) -> Option<usize> {
    if line == 0 {
        return None;
    }
    let mut at = 0;
    for _ in 1..line {
        at += text[at..].find('\n')? + 1;
    }
    Some(at)
}

/// The byte offset just after the line holding `at` (after its newline).
pub fn after_line(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}

/// Applies edits (in any order; they must not overlap). Edits at the same offset keep the
/// order given.
pub fn apply(text: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<(usize, &Edit)> = edits.iter().enumerate().collect();
    sorted.sort_by_key(|(i, e)| (e.at, *i));
    let mut out = String::with_capacity(text.len() + 256);
    let mut pos = 0;
    for (_, e) in sorted {
        if e.at < pos {
            continue;
        }
        out.push_str(&text[pos..e.at]);
        out.push_str(&e.insert);
        pos = e.at + e.remove;
    }
    out.push_str(&text[pos.min(text.len())..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_count_characters_per_line() {
        let t = "ab\ncä d\n";
        assert_eq!(offset(t, 2, 3), Some(6));
        assert_eq!(line_start(t, 3), Some(t.len()));
        assert_eq!(after_line(t, 4), t.len());
    }

    #[test]
    fn edits_keep_the_rest() {
        let t = "a: 1 # keep\nb: 2\n";
        let e = [Edit {
            at: 3,
            remove: 1,
            insert: "0".into(),
        }];
        assert_eq!(apply(t, &e), "a: 0 # keep\nb: 2\n");
    }
}
