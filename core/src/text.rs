//! Text shown to people in more than one language: Japanese first, English always.

use serde::{Deserialize, Serialize};

/// A name or sentence in Japanese and English; Korean and Chinese are optional and
/// fall back to English, then Japanese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Localised {
    pub ja: String,
    pub en: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ko: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zh: Option<String>,
}

impl Localised {
    pub fn new(ja: impl Into<String>, en: impl Into<String>) -> Self {
        Self { ja: ja.into(), en: en.into(), ko: None, zh: None }
    }

    /// The text for a language tag (`ja`, `en`, `ko`, `zh`); unknown tags get Japanese.
    pub fn get(&self, lang: &str) -> &str {
        match lang {
            "en" => &self.en,
            "ko" => self.ko.as_deref().unwrap_or(&self.en),
            "zh" => self.zh.as_deref().unwrap_or(&self.en),
            _ => &self.ja,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falls_back_to_english_then_japanese() {
        let t = Localised::new("郷ノ浦港", "Gōnoura Port");
        assert_eq!(t.get("ja"), "郷ノ浦港");
        assert_eq!(t.get("ko"), "Gōnoura Port");
        assert_eq!(t.get("xx"), "郷ノ浦港");
    }
}
