//! NFC card identifiers: FeliCa IDm and ISO 14443-A UIDs, one canonical text form, strict parsing.
//!
//! The canonical form is `felica:0123456789ABCDEF` or `iso14443a:04A1B2C3D4E5F6`:
//! lower-case technology, colon, upper-case hex with no separators. It is what the card
//! directory stores and what sync sends.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

use crate::time::Timestamp;

/// The radio technology a card identifier was read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CardTech {
    /// Sony FeliCa (Suica, nimoca, SUGOCA …): an 8-byte IDm.
    Felica,
    /// ISO/IEC 14443 Type A (MIFARE, NTAG): a 4, 7 or 10-byte UID.
    Iso14443a,
}

impl CardTech {
    pub fn prefix(self) -> &'static str {
        match self {
            CardTech::Felica => "felica",
            CardTech::Iso14443a => "iso14443a",
        }
    }

    fn valid_lengths(self) -> &'static [usize] {
        match self {
            CardTech::Felica => &[8],
            CardTech::Iso14443a => &[4, 7, 10],
        }
    }
}

/// Why a card identifier was refused. Every message says what the person can do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardIdError {
    #[error("No card number was read. Please hold the card flat on the reader.")]
    Empty,
    #[error("The card type “{0}” is not known. Use an Iki card or a transit IC card (FeliCa).")]
    UnknownTechnology(String),
    #[error("The card number has a character that is not hexadecimal at position {position}. Please tap the card again.")]
    NotHex { position: usize },
    #[error("A {tech} card number must be {expected} bytes long, but {got} bytes were read. Please tap the card again.")]
    WrongLength { tech: &'static str, expected: &'static str, got: usize },
    #[error("The card number was read incompletely (cascade tag). Please hold the card still and tap again.")]
    CascadeTag,
    #[error("This card shows a different number at every tap, so it cannot be recognised. Please use another card; staff can issue an Iki card.")]
    RandomUid,
    #[error("The card number is blank. Please tap the card again, or ask staff.")]
    Blank,
}

impl CardIdError {
    /// Stable key for translations and logs.
    pub fn code(&self) -> &'static str {
        match self {
            CardIdError::Empty => "card.empty",
            CardIdError::UnknownTechnology(_) => "card.unknown_technology",
            CardIdError::NotHex { .. } => "card.not_hex",
            CardIdError::WrongLength { .. } => "card.wrong_length",
            CardIdError::CascadeTag => "card.cascade_tag",
            CardIdError::RandomUid => "card.random_uid",
            CardIdError::Blank => "card.blank",
        }
    }
}

/// A validated card identifier in canonical form.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CardUid {
    tech: CardTech,
    len: u8,
    bytes: [u8; 10],
}

impl CardUid {
    /// Validates raw identifier bytes as read by a reader.
    pub fn from_bytes(tech: CardTech, raw: &[u8]) -> Result<Self, CardIdError> {
        if raw.is_empty() {
            return Err(CardIdError::Empty);
        }
        if !tech.valid_lengths().contains(&raw.len()) {
            return Err(CardIdError::WrongLength {
                tech: tech.prefix(),
                expected: match tech {
                    CardTech::Felica => "8",
                    CardTech::Iso14443a => "4, 7 or 10",
                },
                got: raw.len(),
            });
        }
        if raw.iter().all(|&b| b == 0x00) || raw.iter().all(|&b| b == 0xFF) {
            return Err(CardIdError::Blank);
        }
        if tech == CardTech::Iso14443a {
            // ISO 14443-3: 0x88 is the cascade tag, never a UID's first byte; a 4-byte
            // UID starting 0x08 is a random ID that changes at every activation.
            if raw[0] == 0x88 {
                return Err(CardIdError::CascadeTag);
            }
            if raw.len() == 4 && raw[0] == 0x08 {
                return Err(CardIdError::RandomUid);
            }
        }
        let mut bytes = [0u8; 10];
        bytes[..raw.len()].copy_from_slice(raw);
        Ok(Self { tech, len: raw.len() as u8, bytes })
    }

    /// Parses the canonical text form, `felica:…` or `iso14443a:…` (hex in either case).
    pub fn parse(text: &str) -> Result<Self, CardIdError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(CardIdError::Empty);
        }
        let (prefix, hex) = text
            .split_once(':')
            .ok_or_else(|| CardIdError::UnknownTechnology(text.chars().take(16).collect()))?;
        let tech = match prefix {
            "felica" => CardTech::Felica,
            "iso14443a" => CardTech::Iso14443a,
            other => return Err(CardIdError::UnknownTechnology(other.chars().take(16).collect())),
        };
        Self::from_bytes(tech, &decode_hex(hex)?)
    }

    pub fn tech(&self) -> CardTech {
        self.tech
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }
}

/// Decodes hex digits with no separators, naming the first bad character's position.
fn decode_hex(hex: &str) -> Result<Vec<u8>, CardIdError> {
    if hex.is_empty() {
        return Err(CardIdError::Empty);
    }
    let digits: Vec<u8> = hex
        .chars()
        .enumerate()
        .map(|(position, c)| {
            c.to_digit(16).map(|d| d as u8).ok_or(CardIdError::NotHex { position })
        })
        .collect::<Result<_, _>>()?;
    if digits.len() % 2 == 1 {
        return Err(CardIdError::NotHex { position: digits.len() });
    }
    Ok(digits.chunks(2).map(|p| p[0] << 4 | p[1]).collect())
}

impl fmt::Display for CardUid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tech.prefix())?;
        f.write_str(":")?;
        for b in self.bytes() {
            write!(f, "{b:02X}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for CardUid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CardUid({self})")
    }
}

impl FromStr for CardUid {
    type Err = CardIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for CardUid {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CardUid {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        CardUid::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Whether a card may still be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum CardStatus {
    Active,
    /// Lost, stolen or broken; `replaced_by` names the card that took its place, if any.
    Revoked { at: Timestamp, replaced_by: Option<CardUid> },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_form_round_trips() {
        for text in ["felica:0101120C8D2F3A4B", "iso14443a:04A1B2C3D4E5F6", "iso14443a:1A2B3C4D"] {
            let uid = CardUid::parse(text).unwrap();
            assert_eq!(uid.to_string(), text);
        }
        assert_eq!(
            CardUid::parse(" iso14443a:04a1b2c3d4e5f6 ").unwrap().to_string(),
            "iso14443a:04A1B2C3D4E5F6"
        );
    }

    #[test]
    fn malformed_identifiers_say_what_is_wrong() {
        let cases: &[(&str, &str)] = &[
            ("", "card.empty"),
            ("felica:", "card.empty"),
            ("mifare:04A1B2C3", "card.unknown_technology"),
            ("04A1B2C3", "card.unknown_technology"),
            ("felica:0101120C8D2F3A4", "card.not_hex"),
            ("felica:0101120C8D2F3A4G", "card.not_hex"),
            ("felica:01:01:12:0C:8D:2F:3A:4B", "card.not_hex"),
            ("felica:0101120C8D2F3A", "card.wrong_length"),
            ("iso14443a:04A1B2C3D4", "card.wrong_length"),
            ("iso14443a:88A1B2C3", "card.cascade_tag"),
            ("iso14443a:08A1B2C3", "card.random_uid"),
            ("felica:0000000000000000", "card.blank"),
            ("iso14443a:FFFFFFFF", "card.blank"),
        ];
        for (text, code) in cases {
            let err = CardUid::parse(text).expect_err(text);
            assert_eq!(err.code(), *code, "{text}: {err}");
            assert!(err.to_string().ends_with('.'), "message is a sentence: {err}");
        }
    }

    #[test]
    fn bytes_keep_their_length() {
        let ten = [0x04, 1, 2, 3, 4, 5, 6, 7, 8, 9];
        let uid = CardUid::from_bytes(CardTech::Iso14443a, &ten).unwrap();
        assert_eq!(uid.bytes(), &ten);
        assert_ne!(uid, CardUid::from_bytes(CardTech::Iso14443a, &ten[..7]).unwrap());
    }

    #[test]
    fn serde_uses_the_canonical_text() {
        let uid = CardUid::parse("felica:0101120C8D2F3A4B").unwrap();
        let json = serde_json::to_string(&uid).unwrap();
        assert_eq!(json, "\"felica:0101120C8D2F3A4B\"");
        assert_eq!(serde_json::from_str::<CardUid>(&json).unwrap(), uid);
        assert!(serde_json::from_str::<CardUid>("\"felica:00\"").is_err());
    }
}
