//! The store of every input file read during one run.
//!
//! Spans point into it by [`FileId`], so diagnostics, provenance and evidence can name
//! `file:line:col` and show the source line without carrying the text around.

use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic};
use crate::limits::Limits;

mod naming;
mod read;

pub use naming::Naming;
pub use read::read_bytes;

/// Index of a file in [`Files`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A place in an input file: 1-based line and column (in characters), and the length of
/// the marked text in characters (at least 1 when shown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// The file.
    pub file: FileId,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub col: u32,
    /// Number of characters marked, on the first line.
    pub len: u32,
}

/// One file that was read.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Where it was read from.
    pub path: PathBuf,
    /// How it is named in documents, the data map, `check` and `diff` output: relative to
    /// the run's base folder (see [`Naming`]), so outputs do not depend on where the tool
    /// runs or how the path was given.
    pub display: String,
    /// How it is named in diagnostics on the terminal: as it opens from the current folder.
    pub local: String,
    /// The whole text.
    pub text: String,
    line_starts: Vec<usize>,
    /// Characters before every [`MARK_EVERY`]-th byte, so that a column is counted from
    /// the nearest mark, not from the start of a line that may be megabytes long (minified
    /// JSON is one line).
    char_marks: Vec<usize>,
    /// Places holding secrets (header values, tokens), never to be quoted in output.
    secrets: Vec<Span>,
    /// A binary file (a protobuf capture): named in diagnostics, never quoted.
    binary: bool,
}

impl SourceFile {
    /// The text of a 1-based line, without its line break.
    pub fn line_text(&self, line: u32) -> Option<&str> {
        if self.binary {
            return None;
        }
        let idx = usize::try_from(line).ok()?.checked_sub(1)?;
        let start = *self.line_starts.get(idx)?;
        let end = self
            .line_starts
            .get(idx + 1)
            .copied()
            .unwrap_or(self.text.len());
        Some(self.text[start..end].trim_end_matches(['\n', '\r']))
    }

    /// The text of a 1-based line as it may be shown to a user: every part marked secret
    /// (see [`Files::mark_secret`]) is replaced by `****`. Renderers quote lines only
    /// through this, so a diagnostic near a token never prints the token.
    pub fn shown_line(&self, line: u32) -> Option<String> {
        let text = self.line_text(line)?;
        let mut ranges: Vec<(usize, usize)> = self
            .secrets
            .iter()
            .filter(|s| s.line == line)
            .map(|s| (s.col as usize - 1, (s.col + s.len.max(1)) as usize - 1))
            .collect();
        ranges.sort_unstable();
        let mut out = String::with_capacity(text.len());
        let mut masked_until = 0;
        for (i, c) in text.chars().enumerate() {
            if let Some(&(_, end)) = ranges.iter().find(|(start, end)| *start <= i && i < *end) {
                if masked_until <= i {
                    out.push_str("****");
                    masked_until = end;
                }
            } else {
                out.push(c);
            }
        }
        Some(mask_secret_assignment(&out))
    }

    /// Line and column (both 1-based, column in characters) of a byte offset.
    pub fn position(&self, byte: usize) -> (u32, u32) {
        let mut byte = byte.min(self.text.len());
        // A parser's error offset may fall inside a character: count it from its start.
        while !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        let idx = match self.line_starts.binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let col = self.chars_before(byte) - self.chars_before(self.line_starts[idx]) + 1;
        (to_u32(idx + 1), to_u32(col))
    }

    /// The number of characters before a byte offset: the mark below it plus the characters
    /// started since (every byte that is not a UTF-8 continuation byte starts one).
    fn chars_before(&self, byte: usize) -> usize {
        let mark = byte / MARK_EVERY;
        let from = mark * MARK_EVERY;
        self.char_marks[mark] + count_chars(&self.text.as_bytes()[from..byte])
    }
}

/// Bytes between two character-count marks of a [`SourceFile`].
const MARK_EVERY: usize = 256;

fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| (**b as i8) >= -0x40).count()
}

fn char_marks(text: &str) -> Vec<usize> {
    let mut marks = Vec::with_capacity(text.len() / MARK_EVERY + 1);
    let mut seen = 0;
    marks.push(0);
    for chunk in text.as_bytes().chunks(MARK_EVERY) {
        seen += count_chars(chunk);
        marks.push(seen);
    }
    marks
}

/// Every file read during a run, in the order they were read, and the limits every read
/// and every parser of their text keeps to.
#[derive(Debug, Default, Clone)]
pub struct Files {
    files: Vec<SourceFile>,
    limits: Limits,
    naming: Naming,
}

impl Files {
    /// An empty store with the default limits.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty store that reads within other limits (`--max-input-size`).
    pub fn with_limits(limits: Limits) -> Self {
        Files {
            files: Vec::new(),
            limits,
            naming: Naming::default(),
        }
    }

    /// The same store, naming the files it reads by other rules (`--repo-root`, the
    /// project file's folder). Set before the first file is read.
    pub fn with_naming(mut self, naming: Naming) -> Self {
        self.naming = naming;
        self
    }

    /// The naming rules of this run.
    pub fn naming_mut(&mut self) -> &mut Naming {
        &mut self.naming
    }

    /// How a path is named in documents, the data map, `check` and `diff` output.
    pub fn shown(&self, path: &Path) -> String {
        self.naming.shown(path)
    }

    /// The limits of this run.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Adds text read from a file the caller read itself (within [`Files::read_bytes`]'s
    /// limits), under the path as given.
    pub fn add_read(&mut self, path: &Path, text: String) -> FileId {
        let display = self.naming.shown(path);
        let local = self.naming.local(path);
        self.add_at(path.to_path_buf(), display, local, text)
    }

    /// Adds text that did not come from disk (tests, stdin, inline values).
    pub fn add(&mut self, display: impl Into<String>, text: impl Into<String>) -> FileId {
        let display = display.into();
        let local = display.clone();
        self.add_at(PathBuf::from(&display), display, local, text.into())
    }

    fn add_at(&mut self, path: PathBuf, display: String, local: String, text: String) -> FileId {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let id = FileId(to_u32(self.files.len()));
        self.files.push(SourceFile {
            path,
            display,
            local,
            char_marks: char_marks(&text),
            text,
            line_starts,
            secrets: Vec::new(),
            binary: false,
        });
        id
    }

    /// Adds a binary file that was read (a protobuf capture), so that diagnostics can name
    /// it; it has no text, and no line of it is ever quoted.
    pub fn add_binary(&mut self, path: &Path) -> FileId {
        let display = self.naming.shown(path);
        let local = self.naming.local(path);
        let id = self.add_at(path.to_path_buf(), display, local, String::new());
        self.files[id.0 as usize].binary = true;
        id
    }

    /// Marks a span (on one line) as a secret: quoted source lines show `****` there.
    pub fn mark_secret(&mut self, span: Span) {
        if let Some(file) = self.files.get_mut(span.file.0 as usize) {
            file.secrets.push(span);
        }
    }

    /// Reads a file from disk, or returns the diagnostic that says why it cannot be read.
    /// `from` is where the path was named, so the user can find the reference to fix.
    /// Only regular files within the input size limit are read (see [`read_bytes`]).
    pub fn read(&mut self, path: &Path, from: Option<Span>) -> Result<FileId, Diagnostic> {
        if let Some(id) = self.files.iter().position(|f| f.path == path) {
            return Ok(FileId(to_u32(id)));
        }
        let display = self.naming.shown(path);
        let local = self.naming.local(path);
        let bytes = self.read_bytes(path, from)?;
        match String::from_utf8(bytes) {
            Ok(text) => Ok(self.add_at(path.to_path_buf(), display, local, text)),
            Err(_) => Err(
                Diagnostic::new(Code::NotUtf8, format!("`{local}` is not UTF-8 text"))
                    .at_opt(from)
                    .hint("save the file as UTF-8"),
            ),
        }
    }

    /// The bytes of a file (a binary property list), within this run's limits, without
    /// adding it to the store.
    pub fn read_bytes(&self, path: &Path, from: Option<Span>) -> Result<Vec<u8>, Diagnostic> {
        read_bytes(path, self.limits.max_input_size).map_err(|d| d.at_opt(from))
    }

    /// The file shown under this name, if one was read: evidence in the data map names
    /// files by display name, and later stages (checks) need the file back to quote it.
    pub fn find(&self, display: &str) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.display == display)
            .map(|i| FileId(to_u32(i)))
    }

    /// The first file read, if any.
    pub fn find_first(&self) -> Option<FileId> {
        (!self.files.is_empty()).then_some(FileId(0))
    }

    /// The file behind an id.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// A span covering `len` characters at a byte offset of a file.
    pub fn span_at(&self, file: FileId, byte: usize, len: usize) -> Span {
        let (line, col) = self.get(file).position(byte);
        Span {
            file,
            line,
            col,
            len: to_u32(len.max(1)),
        }
    }

    /// The span of a whole file (line 1, column 1), for problems about the file as a whole.
    pub fn whole(file: FileId) -> Span {
        Span {
            file,
            line: 1,
            col: 1,
            len: 1,
        }
    }

    /// `path:line` for a span, as documents and JSON evidence cite it.
    pub fn cite(&self, span: Span) -> String {
        format!("{}:{}", self.get(span.file).display, span.line)
    }
}

/// How a path is named in a message on the terminal: relative to the current folder when
/// inside it, else as given (see [`Naming::local`]).
pub fn local(path: &Path) -> String {
    Naming::default().local(path)
}

/// Masks the value of a `key: value` / `KEY=value` / `"key": "value"` line whose key looks
/// like it holds a credential. A heuristic safety net behind [`Files::mark_secret`].
fn mask_secret_assignment(line: &str) -> String {
    static PATTERN: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = PATTERN.get_or_init(|| {
        regex::Regex::new(
            r#"(?i)^(\s*-?\s*["']?[\w.\-]*(?:token|secret|password|passwd|api[_-]?key|apikey|auth|credential|cookie|headers|private[_-]?key|access[_-]?key|x-[\w-]*-(?:team|key))[\w.\-]*["']?\s*[:=]\s*)(\S.*?)(,?)$"#,
        )
        .expect("valid pattern")
    });
    match re.captures(line) {
        Some(c) if !c[2].starts_with("${") && !c[2].starts_with('{') && !c[2].starts_with('[') => {
            format!("{}****{}", &c[1], &c[3])
        }
        _ => line.to_string(),
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_values_are_never_shown() {
        let mut files = Files::new();
        let id = files.add("c.yaml", "headers:\n  authorization: Bearer abc123\n  x-honeycomb-team: s3cr3t\nendpoint: https://e\nkey: ${env:K}\nx-tenant: acme\n");
        assert_eq!(
            files.get(id).shown_line(2).unwrap(),
            "  authorization: ****"
        );
        assert_eq!(
            files.get(id).shown_line(3).unwrap(),
            "  x-honeycomb-team: ****"
        );
        assert_eq!(files.get(id).shown_line(4).unwrap(), "endpoint: https://e");
        assert_eq!(files.get(id).shown_line(5).unwrap(), "key: ${env:K}");
        files.mark_secret(Span {
            file: id,
            line: 6,
            col: 11,
            len: 4,
        });
        assert_eq!(files.get(id).shown_line(6).unwrap(), "x-tenant: ****");
        let json = files.add("s.json", "  \"OTEL_EXPORTER_OTLP_HEADERS\": \"a=b\",\n");
        assert_eq!(
            files.get(json).shown_line(1).unwrap(),
            "  \"OTEL_EXPORTER_OTLP_HEADERS\": ****,"
        );
    }
}
