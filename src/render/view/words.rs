//! Free text from `dpia.yaml` as one document shows it.
//!
//! A fact given per language (`{en: …, nl: …}`) shows the document's own text. When it
//! lacks that language the document shows the text it has (in the order English, German,
//! Dutch) followed by a marker in the document's words, e.g. "(only available in German)",
//! so no reader takes a foreign text for an oversight or a translation the tool made up.
//! The marker is plain text and goes through the same escaping as the fact.
//!
//! The view is built once and then set to each language ([`super::View::in_language`]);
//! a [`Words`] keeps the whole fact so it can be shown again in the next language.

use serde::{Serialize, Serializer};

use crate::project::{Language, Text};

/// A free-text fact and how the current document shows it; templates see a string.
#[derive(Debug, Clone, PartialEq)]
pub struct Words {
    text: Text,
    shown: String,
}

impl Words {
    /// The fact as a document in `lang` shows it; `None` when it is blank.
    pub fn new(text: Option<&Text>, lang: &str) -> Option<Words> {
        let text = text?.clone();
        let shown = show(&text, lang)?;
        Some(Words { text, shown })
    }

    /// Shows the fact for a document in `lang` from now on.
    pub fn set_language(&mut self, lang: &str) {
        if let Some(shown) = show(&self.text, lang) {
            self.shown = shown;
        }
    }

    /// The text as shown, marker included.
    pub fn as_str(&self) -> &str {
        &self.shown
    }
}

impl Serialize for Words {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.shown)
    }
}

/// A language the tool has no templates for (a `--templates` folder may add one) reads
/// the fallback order from English and gets the marker in English.
fn show(text: &Text, lang: &str) -> Option<String> {
    let doc = Language::from_code(lang);
    let shown = text.shown(doc.unwrap_or(Language::En))?;
    let shown = match (shown.only_in, doc) {
        (Some(from), doc) => format!(
            "{} {}",
            shown.text,
            marker(doc.unwrap_or(Language::En), from)
        ),
        (None, None) if text.languages().is_some() => {
            format!("{} {}", shown.text, marker(Language::En, Language::En))
        }
        (None, _) => shown.text,
    };
    Some(shown)
}

/// "(only available in LANGUAGE)" in the document's language.
pub fn marker(doc: Language, text: Language) -> &'static str {
    use Language::{De, En, Nl};
    match (doc, text) {
        (En, En) => "(only available in English)",
        (En, Nl) => "(only available in Dutch)",
        (En, De) => "(only available in German)",
        (Nl, En) => "(alleen beschikbaar in het Engels)",
        (Nl, Nl) => "(alleen beschikbaar in het Nederlands)",
        (Nl, De) => "(alleen beschikbaar in het Duits)",
        (De, En) => "(nur auf Englisch verfügbar)",
        (De, Nl) => "(nur auf Niederländisch verfügbar)",
        (De, De) => "(nur auf Deutsch verfügbar)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::ByLanguage;

    fn nl_only() -> Text {
        Text::ByLanguage(ByLanguage {
            nl: Some("Kosten beheersen.".into()),
            ..ByLanguage::default()
        })
    }

    #[test]
    fn a_missing_language_shows_the_fallback_with_a_marker_in_the_documents_words() {
        let mut w = Words::new(Some(&nl_only()), "nl").unwrap();
        assert_eq!(w.as_str(), "Kosten beheersen.");
        w.set_language("de");
        assert_eq!(
            w.as_str(),
            "Kosten beheersen. (nur auf Niederländisch verfügbar)"
        );
        w.set_language("en");
        assert_eq!(w.as_str(), "Kosten beheersen. (only available in Dutch)");
    }

    #[test]
    fn a_plain_string_shows_unchanged_everywhere() {
        let plain = Text::from("Cost control.");
        for lang in ["en", "nl", "de", "fr"] {
            assert_eq!(
                Words::new(Some(&plain), lang).unwrap().as_str(),
                "Cost control."
            );
        }
        assert!(Words::new(Some(&Text::from(" ")), "en").is_none());
    }

    #[test]
    fn a_language_without_built_in_words_reads_english() {
        let w = Words::new(Some(&nl_only()), "fr").unwrap();
        assert_eq!(w.as_str(), "Kosten beheersen. (only available in Dutch)");
    }
}
