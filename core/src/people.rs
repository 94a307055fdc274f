//! People on the island's books: residents and e-citizens (guests stay anonymous).

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::error::RuleError;
use crate::ids::CitizenId;
use crate::time::Timestamp;

/// What kind of citizen someone is; anonymous guests are not citizens and have no record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CitizenKind {
    /// Lives on Iki (has an address on the island).
    Resident,
    /// Registered fan of the island who lives elsewhere (電子市民).
    ECitizen,
}

impl CitizenKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CitizenKind::Resident => "resident",
            CitizenKind::ECitizen => "e_citizen",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "resident" => Some(CitizenKind::Resident),
            "e_citizen" => Some(CitizenKind::ECitizen),
            _ => None,
        }
    }
}

/// Age band, asked at registration for engagement statistics; never an exact age.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AgeBand {
    #[serde(rename = "under_18")]
    Under18,
    #[serde(rename = "18_29")]
    From18To29,
    #[serde(rename = "30s")]
    Thirties,
    #[serde(rename = "40s")]
    Forties,
    #[serde(rename = "50s")]
    Fifties,
    #[serde(rename = "60s")]
    Sixties,
    #[serde(rename = "70_plus")]
    SeventyPlus,
    #[serde(rename = "unstated")]
    Unstated,
}

impl AgeBand {
    pub const ALL: [AgeBand; 8] = [
        AgeBand::Under18,
        AgeBand::From18To29,
        AgeBand::Thirties,
        AgeBand::Forties,
        AgeBand::Fifties,
        AgeBand::Sixties,
        AgeBand::SeventyPlus,
        AgeBand::Unstated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AgeBand::Under18 => "under_18",
            AgeBand::From18To29 => "18_29",
            AgeBand::Thirties => "30s",
            AgeBand::Forties => "40s",
            AgeBand::Fifties => "50s",
            AgeBand::Sixties => "60s",
            AgeBand::SeventyPlus => "70_plus",
            AgeBand::Unstated => "unstated",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.as_str() == text)
    }
}

/// The name a citizen chose to be greeted by: 1 to 20 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Nickname(String);

impl Nickname {
    pub const MAX_CHARS: usize = 20;

    pub fn parse(text: &str) -> Result<Self, RuleError> {
        let text = text.trim();
        let chars = text.chars().count();
        if chars == 0 || chars > Self::MAX_CHARS || text.chars().any(char::is_control) {
            return Err(RuleError::InvalidNickname { max: Self::MAX_CHARS });
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Nickname {
    type Error = RuleError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Nickname> for String {
    fn from(n: Nickname) -> String {
        n.0
    }
}

impl fmt::Display for Nickname {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where someone lives: an ISO 3166-1 country code, optionally with an ISO 3166-2
/// subdivision (`JP-40` is Fukuoka, `JP-42` Nagasaki, `KR`, `TW`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct HomeRegion(String);

impl HomeRegion {
    pub fn parse(text: &str) -> Result<Self, RuleError> {
        let text = text.trim();
        let (country, sub) = match text.split_once('-') {
            Some((c, s)) => (c, Some(s)),
            None => (text, None),
        };
        let country_ok = country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase());
        let sub_ok = sub.is_none_or(|s| {
            (1..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        });
        if !(country_ok && sub_ok) {
            return Err(RuleError::InvalidHomeRegion);
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for HomeRegion {
    type Error = RuleError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<HomeRegion> for String {
    fn from(r: HomeRegion) -> String {
        r.0
    }
}

/// A citizen as the directory knows them. A citizen may hold several cards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citizen {
    pub id: CitizenId,
    pub kind: CitizenKind,
    pub nickname: Nickname,
    pub home_region: HomeRegion,
    pub age_band: AgeBand,
    pub registered_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nicknames_are_bounded_and_trimmed() {
        assert_eq!(Nickname::parse("  さくら ").unwrap().as_str(), "さくら");
        assert!(Nickname::parse("").is_err());
        assert!(Nickname::parse("あ".repeat(21).as_str()).is_err());
        assert!(Nickname::parse("a\u{7}b").is_err());
        assert!(Nickname::parse("壱岐の海が大好きな人です二十文字ちょうど").is_ok());
    }

    #[test]
    fn home_regions_follow_iso_3166() {
        for ok in ["JP", "JP-40", "JP-13", "KR", "CN-SH"] {
            assert!(HomeRegion::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "jp", "JPN", "JP-", "JP-1234", "日本"] {
            assert!(HomeRegion::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn age_bands_round_trip_in_text_and_json_alike() {
        for band in AgeBand::ALL {
            assert_eq!(AgeBand::parse(band.as_str()), Some(band));
            assert_eq!(serde_json::to_value(band).unwrap(), band.as_str());
        }
    }
}
