//! A standalone, accessible HTML page from the Markdown: `lang` attribute, title, real
//! tables, print CSS, the data-flow picture inline, and a content security policy that
//! forbids every external request (no fonts, scripts or images from elsewhere).

use pulldown_cmark::{Event, Tag, TagEnd};

use super::markdown;

/// The file name documents use to refer to the picture.
pub const PICTURE: &str = "data-flow.svg";

/// The page's style sheet: readable on screen, tables that print with repeated headers.
const CSS: &str = r#"
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  line-height: 1.5; color: #1b1b1b; background: #fff; margin: 0; }
main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
h1 { font-size: 1.9rem; margin-top: 0; }
h2 { margin-top: 2.2rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; }
h3 { margin-top: 1.6rem; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; font-size: .95rem; }
th, td { border: 1px solid #999; padding: .35rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #eef1f4; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .9em;
  background: #f3f3f3; padding: 0 .2em; overflow-wrap: anywhere; }
span.picture { display: block; margin: 1.5rem 0; overflow-x: auto; }
span.picture svg { max-width: 100%; height: auto; }
strong { font-weight: 700; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h2, h3 { break-after: avoid; }
  thead { display: table-header-group; }
  tr, span.picture { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"#;

/// Renders a page. `lang` is the document language; `svg` the data-flow picture.
pub fn page(markdown_text: &str, lang: &str, svg: &str) -> String {
    let events = markdown::events(markdown_text);
    let title = markdown::title(&events);
    let mut body = String::new();
    pulldown_cmark::html::push_html(&mut body, with_picture(events, svg).into_iter());
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        escape_html(&title),
        lang = escape_html(lang),
    )
}

/// Replaces the image that refers to the picture with the SVG itself; any other image
/// keeps only its text (no external requests).
fn with_picture<'a>(events: Vec<Event<'a>>, svg: &str) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut in_image = false;
    for e in events {
        match e {
            Event::Start(Tag::Image { dest_url, .. }) => {
                in_image = true;
                if dest_url.ends_with(PICTURE) {
                    out.push(Event::Html(
                        format!("<span class=\"picture\">{svg}</span>").into(),
                    ));
                }
            }
            Event::End(TagEnd::Image) => in_image = false,
            _ if in_image => {}
            Event::Start(Tag::Link { .. }) | Event::End(TagEnd::Link) => {}
            other => out.push(other),
        }
    }
    out
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}
