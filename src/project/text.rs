//! Free text in `dpia.yaml` that may be given per language.
//!
//! A purpose, a measure, a recipient or a retention note is written by people, and the
//! documents go out in English, Dutch and German. A fact is either a plain string, which
//! counts as written for every language (so a project with plain strings renders exactly
//! as before), or a mapping of language to text (`{en: …, nl: …}`). A document in a
//! language the mapping lacks shows the text in another language with a visible marker,
//! never a translation the tool made up, and `check` reports the gap (DP011).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Language;

/// A free-text fact: one string for every language, or a text per language.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Text {
    /// The same text in every document, whatever its language.
    Plain(String),
    /// A text per document language; a document in a language given here shows it, one
    /// in another language shows a given one with a note that it is only available so.
    ByLanguage(ByLanguage),
}

/// A text per language. At least one is needed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("minProperties" = 1))]
pub struct ByLanguage {
    /// English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
    /// Dutch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nl: Option<String>,
    /// German.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub de: Option<String>,
}

/// The order in which a text stands in for one a document's language lacks: English
/// first, the language most readers of a document in another language read, then German,
/// then Dutch. Fixed, so that the documents do not depend on the order of a mapping.
pub const FALLBACK_ORDER: [Language; 3] = [Language::En, Language::De, Language::Nl];

impl ByLanguage {
    /// The trimmed text in one language, `None` when missing or blank.
    pub fn get(&self, lang: Language) -> Option<&str> {
        let text = match lang {
            Language::En => &self.en,
            Language::Nl => &self.nl,
            Language::De => &self.de,
        };
        text.as_deref().map(str::trim).filter(|t| !t.is_empty())
    }
}

/// A text as one document shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    /// The text.
    pub text: String,
    /// The language the text is in, when it is not the document's (shown with a marker).
    pub only_in: Option<Language>,
}

impl Text {
    /// The text for a document in `lang`: its own, else the first given in
    /// [`FALLBACK_ORDER`] marked with the language it is in; `None` when blank.
    pub fn shown(&self, lang: Language) -> Option<Shown> {
        match self {
            Text::Plain(s) => Some(s.trim()).filter(|t| !t.is_empty()).map(|t| Shown {
                text: t.to_string(),
                only_in: None,
            }),
            Text::ByLanguage(by) => {
                if let Some(t) = by.get(lang) {
                    return Some(Shown {
                        text: t.to_string(),
                        only_in: None,
                    });
                }
                FALLBACK_ORDER.iter().find_map(|l| {
                    by.get(*l).map(|t| Shown {
                        text: t.to_string(),
                        only_in: Some(*l),
                    })
                })
            }
        }
    }

    /// Whether no text is given in any language.
    pub fn is_blank(&self) -> bool {
        self.shown(Language::En).is_none()
    }

    /// The languages given, when the text is per language; `None` for a plain string,
    /// which counts as written for every language.
    pub fn languages(&self) -> Option<Vec<Language>> {
        match self {
            Text::Plain(_) => None,
            Text::ByLanguage(by) => Some(
                Language::ALL
                    .into_iter()
                    .filter(|l| by.get(*l).is_some())
                    .collect(),
            ),
        }
    }

    /// Whether the two say the same in some language (a plain string speaks every one):
    /// a translation added or dropped, not a different text.
    pub fn agrees_with(&self, other: &Text) -> bool {
        Language::ALL.into_iter().any(|l| {
            let own = |t: &Text| t.shown(l).filter(|s| s.only_in.is_none()).map(|s| s.text);
            own(self).is_some() && own(self) == own(other)
        })
    }

    /// The text in one line for messages and `diff`: the plain string, or every language
    /// as `en: …; nl: …`.
    pub fn summary(&self) -> String {
        match self {
            Text::Plain(s) => s.trim().to_string(),
            Text::ByLanguage(by) => Language::ALL
                .into_iter()
                .filter_map(|l| by.get(l).map(|t| format!("{}: {t}", l.code())))
                .collect::<Vec<_>>()
                .join("; "),
        }
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text::Plain(s.to_string())
    }
}

/// A plain scalar (`2024`, `true`) is text like a quoted one, as the project file's
/// validation reads it; a mapping is a text per language.
impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Text;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string, or a mapping of language (en, nl, de) to string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Text, A::Error> {
                ByLanguage::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(Text::ByLanguage)
            }
        }
        d.deserialize_any(Visit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by(en: Option<&str>, nl: Option<&str>, de: Option<&str>) -> Text {
        Text::ByLanguage(ByLanguage {
            en: en.map(str::to_string),
            nl: nl.map(str::to_string),
            de: de.map(str::to_string),
        })
    }

    #[test]
    fn a_document_shows_its_own_language_else_a_marked_fallback() {
        let t = by(None, Some("Kosten beheersen."), Some("Kosten steuern."));
        assert_eq!(t.shown(Language::Nl).unwrap().text, "Kosten beheersen.");
        assert_eq!(t.shown(Language::Nl).unwrap().only_in, None);
        let en = t.shown(Language::En).unwrap();
        assert_eq!(
            (en.text.as_str(), en.only_in),
            ("Kosten steuern.", Some(Language::De))
        );
        assert_eq!(t.languages(), Some(vec![Language::Nl, Language::De]));
        assert_eq!(t.summary(), "nl: Kosten beheersen.; de: Kosten steuern.");
    }

    #[test]
    fn a_plain_string_is_every_language_and_blank_is_missing() {
        let t = Text::from(" Cost control. ");
        assert_eq!(
            t.shown(Language::De),
            Some(Shown {
                text: "Cost control.".into(),
                only_in: None
            })
        );
        assert_eq!(t.languages(), None);
        assert!(Text::from("  ").is_blank());
        assert!(by(Some(" "), None, None).is_blank());
    }

    #[test]
    fn scalars_and_mappings_deserialise() {
        let t: Text = serde_norway::from_str("2024").unwrap();
        assert_eq!(t, Text::from("2024"));
        let t: Text = serde_norway::from_str("{en: a, de: b}").unwrap();
        assert_eq!(t, by(Some("a"), None, Some("b")));
        assert!(serde_norway::from_str::<Text>("{fr: a}").is_err());
    }
}
