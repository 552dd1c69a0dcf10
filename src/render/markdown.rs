//! The one Markdown dialect every output reads: this module owns the pulldown-cmark
//! options, so the HTML and the PDF see the same structure as the Markdown file.
//!
//! Raw HTML is never passed through: any HTML the parser finds (from a template or from a
//! string that escaped escaping) becomes literal text.

use pulldown_cmark::{Event, Options, Parser};

/// The parser options: GFM tables, nothing else (no smart punctuation, no math, no
/// heading attributes), so that only what the templates write has structure.
pub fn options() -> Options {
    Options::ENABLE_TABLES
}

/// The events of a Markdown text, with raw HTML turned into text.
pub fn events(markdown: &str) -> Vec<Event<'_>> {
    Parser::new_ext(markdown, options())
        .map(|e| match e {
            Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
            other => other,
        })
        .collect()
}

/// The plain text of the first level-1 heading: the document title.
pub fn title(events: &[Event<'_>]) -> String {
    use pulldown_cmark::{HeadingLevel, Tag, TagEnd};
    let mut inside = false;
    let mut out = String::new();
    for e in events {
        match e {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) => inside = true,
            Event::End(TagEnd::Heading(HeadingLevel::H1)) if inside => break,
            Event::Text(t) | Event::Code(t) if inside => out.push_str(t),
            _ => {}
        }
    }
    out
}
