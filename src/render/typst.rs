//! Typst markup from the same Markdown events the HTML is made of. Every piece of text
//! is escaped (each ASCII punctuation character gets a backslash, so `#read(..)`, `$`,
//! `<label>`, `@ref`, `*`, `_` and friends stay literal); inline code becomes a `raw`
//! call on an escaped string literal. Markup is produced with function calls (`#strong[..]`,
//! `#table(..)`) rather than delimiters, so no input character can close them.
//!
//! Layout: a title page (everything before the first level-2 heading: the title and the
//! lead lines with organisation, version, date and status), a table of contents, then the
//! body with numbered headings, page numbers, and tables whose header row repeats when
//! they break across pages.

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use super::html::PICTURE;
use super::markdown;

/// What the writer needs besides the Markdown.
pub struct TypstDoc<'a> {
    /// Language code for hyphenation and the table of contents' title.
    pub lang: &'a str,
    /// `(year, month, day)` for the PDF's date, or none for an undated draft.
    pub date: Option<(i32, u32, u32)>,
}

/// Converts Markdown to a complete Typst document.
pub fn document(markdown_text: &str, doc: &TypstDoc<'_>) -> String {
    let events = markdown::events(markdown_text);
    let title = markdown::title(&events);
    let mut w = Writer::default();
    w.out.push_str(&preamble(&title, doc));
    w.out.push_str("#page(numbering: none)[\n#v(22%)\n");
    w.title_page = true;
    for e in events {
        w.event(e);
    }
    if w.title_page {
        w.end_title_page();
    }
    w.out
}

fn preamble(title: &str, doc: &TypstDoc<'_>) -> String {
    let date = match doc.date {
        Some((y, m, d)) => format!("datetime(year: {y}, month: {m}, day: {d})"),
        None => "none".to_string(),
    };
    format!(
        "#set document(title: {}, date: {date})\n\
#set text(lang: {}, size: 10.5pt)\n\
#set page(paper: \"a4\", margin: (x: 2.2cm, y: 2.4cm))\n\
#set par(justify: false)\n\
#set heading(numbering: \"1.1\")\n\
#show heading: set block(above: 1.4em, below: 0.8em)\n\
#set table(stroke: 0.5pt + luma(140), inset: 5pt, align: left + top)\n\
#show table.cell.where(y: 0): set text(weight: \"bold\")\n\
#show raw: set text(size: 0.95em)\n\
#set image(width: 100%)\n",
        string(title),
        string(doc.lang),
    )
}

/// A Typst string literal.
pub fn string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Inline code with a zero-width space after `_ : / . @` so that long ids and paths can
/// wrap inside table cells (Typst breaks raw text only at spaces and hyphens).
fn breakable(code: &str) -> String {
    let mut out = String::with_capacity(code.len() + 8);
    for c in code.chars() {
        out.push(c);
        if matches!(c, '_' | ':' | '/' | '.' | '@') {
            out.push('\u{200B}');
        }
    }
    out
}

/// Escapes text for Typst markup.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
            out.push(c);
        } else if c.is_control() {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

#[derive(Default)]
struct Writer {
    out: String,
    title_page: bool,
    /// Text collected for a code block or an image's alt text.
    capture: Option<String>,
    /// Open lists: `true` for ordered.
    lists: Vec<bool>,
}

impl Writer {
    fn event(&mut self, e: Event<'_>) {
        if let Some(buf) = self.capture.as_mut() {
            match &e {
                Event::Text(t) | Event::Code(t) => {
                    buf.push_str(t);
                    return;
                }
                Event::End(TagEnd::CodeBlock) | Event::End(TagEnd::Image) => {}
                _ => return,
            }
        }
        match e {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.out.push_str(&escape(&t)),
            Event::Code(t) => {
                self.out
                    .push_str(&format!("#raw({})", string(&breakable(&t))));
            }
            Event::SoftBreak => self.out.push(' '),
            Event::HardBreak => self.out.push_str("\\\n"),
            Event::Rule => self.out.push_str("\n#line(length: 100%)\n"),
            Event::Html(t) | Event::InlineHtml(t) => self.out.push_str(&escape(&t)),
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Heading { level, .. } => self.heading(level),
            Tag::Paragraph => {}
            Tag::Emphasis => self.out.push_str("#emph["),
            Tag::Strong => self.out.push_str("#strong["),
            Tag::Strikethrough => self.out.push_str("#strike["),
            Tag::BlockQuote(_) => self.out.push_str("#quote(block: true)["),
            Tag::CodeBlock(_) => self.capture = Some(String::new()),
            Tag::List(start) => {
                self.lists.push(start.is_some());
                match start {
                    Some(n) => self.out.push_str(&format!("#enum(start: {n}, ")),
                    None => self.out.push_str("#list("),
                }
            }
            Tag::Item => self.out.push('['),
            Tag::Table(aligns) => {
                let n = aligns.len().max(1);
                self.out
                    .push_str(&format!("#table(columns: ({}), ", "auto, ".repeat(n)));
            }
            Tag::TableHead => self.out.push_str("table.header("),
            Tag::TableRow => {}
            Tag::TableCell => self.out.push('['),
            Tag::Image { dest_url, .. } => {
                self.capture = Some(String::new());
                if !dest_url.ends_with(PICTURE) {
                    self.capture = Some("\u{0}skip".into());
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(HeadingLevel::H1) if self.title_page => {
                self.out.push_str("]]\n#v(1.5em)\n");
            }
            TagEnd::Heading(HeadingLevel::H1) => self.out.push_str("]\n\n"),
            TagEnd::Heading(_) => self.out.push_str("\n\n"),
            TagEnd::Paragraph => {
                self.out
                    .push_str(if self.lists.is_empty() { "\n\n" } else { " " })
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::BlockQuote(_) => {
                self.out.push(']')
            }
            TagEnd::CodeBlock => {
                let code = self.capture.take().unwrap_or_default();
                self.out
                    .push_str(&format!("#raw(block: true, {})\n\n", string(&code)));
            }
            TagEnd::List(_) => {
                self.lists.pop();
                self.out.push_str(")\n");
                if self.lists.is_empty() {
                    self.out.push('\n');
                }
            }
            TagEnd::Item => self.out.push_str("], "),
            TagEnd::Table => self.out.push_str(")\n\n"),
            TagEnd::TableHead => self.out.push_str("), "),
            TagEnd::TableCell => self.out.push_str("], "),
            TagEnd::Image => {
                let alt = self.capture.take().unwrap_or_default();
                if !alt.starts_with('\u{0}') {
                    self.out.push_str(&format!(
                        "#figure(image({}, alt: {}))\n\n",
                        string(PICTURE),
                        string(&alt)
                    ));
                }
            }
            _ => {}
        }
    }

    fn heading(&mut self, level: HeadingLevel) {
        if level == HeadingLevel::H1 {
            if self.title_page {
                self.out
                    .push_str("#block(width: 100%)[#text(size: 24pt, weight: \"bold\")[");
            } else {
                self.out.push_str("\n#heading(level: 1, numbering: none)[");
            }
            return;
        }
        if self.title_page {
            self.end_title_page();
        }
        let depth = heading_depth(level);
        self.out.push('\n');
        self.out.push_str(&"=".repeat(depth));
        self.out.push(' ');
    }

    fn end_title_page(&mut self) {
        self.title_page = false;
        self.out.push_str("]\n#set page(numbering: \"1 / 1\", number-align: center)\n#counter(page).update(1)\n#outline(depth: 2)\n#pagebreak(weak: true)\n");
    }
}

/// `##` is the first numbered level in Typst's terms.
fn heading_depth(level: HeadingLevel) -> usize {
    match level {
        HeadingLevel::H1 | HeadingLevel::H2 => 1,
        HeadingLevel::H3 => 2,
        HeadingLevel::H4 => 3,
        HeadingLevel::H5 => 4,
        HeadingLevel::H6 => 5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_markup_character_is_escaped() {
        assert_eq!(
            escape("#read(\"/etc/passwd\")"),
            "\\#read\\(\\\"\\/etc\\/passwd\\\"\\)"
        );
        assert_eq!(
            escape("$x$ <l> @r *b* _i_"),
            "\\$x\\$ \\<l\\> \\@r \\*b\\* \\_i\\_"
        );
        assert_eq!(string("a\"b\\c"), "\"a\\\"b\\\\c\"");
    }

    #[test]
    fn structure_uses_function_calls() {
        let doc = TypstDoc {
            lang: "en",
            date: None,
        };
        let out = document(
            "# Title\n\nLead\n\n## One\n\n| a | b |\n|---|---|\n| *x* | `y` |\n",
            &doc,
        );
        assert!(out.contains("#table(columns: (auto, auto, ), table.header([a], [b], ), [#emph[x]], [#raw(\"y\")], )"), "{out}");
        assert!(out.contains("\n= One\n"), "{out}");
        assert!(out.contains("#outline("), "{out}");
    }
}
