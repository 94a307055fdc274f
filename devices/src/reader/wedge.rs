//! Keyboard-wedge readers: cheap USB readers that "type" the card number and Enter.
//!
//! [`WedgeParser`] turns the keystroke stream into card identifiers, in the format the
//! reader is configured for (hex or decimal digits, either byte order). The evdev source
//! that feeds it grabs the device so the keystrokes never reach the UI.

use std::time::Duration;

use iki_core::{CardIdError, CardTech, CardUid};
use serde::{Deserialize, Serialize};

/// How a wedge reader writes the identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WedgeDigits {
    /// Hexadecimal digits, two per byte (`04A1B2C3`).
    Hex,
    /// The identifier as one decimal number (`0123456789`, typical of 10-digit readers).
    Decimal,
}

/// A wedge reader's output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WedgeFormat {
    pub digits: WedgeDigits,
    /// The reader prints the bytes last-first (common for decimal output of MIFARE UIDs).
    pub reversed: bool,
    /// What the reader reads: most wedge readers read ISO 14443-A UIDs.
    pub tech: WedgeTech,
    /// For decimal output: how many bytes the number stands for (4 or 7 for ISO 14443-A, 8 for FeliCa).
    pub uid_bytes: u8,
    /// Keystrokes further apart than this start a new identifier (stray typing is dropped).
    #[serde(with = "millis")]
    pub max_gap: Duration,
}

/// The card technology a wedge reader reads (kept apart from the core type for config files).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WedgeTech {
    Iso14443a,
    Felica,
}

impl From<WedgeTech> for CardTech {
    fn from(t: WedgeTech) -> CardTech {
        match t {
            WedgeTech::Iso14443a => CardTech::Iso14443a,
            WedgeTech::Felica => CardTech::Felica,
        }
    }
}

mod millis {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(d.as_millis() as u64)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        Ok(Duration::from_millis(u64::deserialize(d)?))
    }
}

impl Default for WedgeFormat {
    fn default() -> Self {
        Self { digits: WedgeDigits::Hex, reversed: false, tech: WedgeTech::Iso14443a, uid_bytes: 4, max_gap: Duration::from_millis(100) }
    }
}

/// A key as the wedge source reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WedgeKey {
    /// A digit or letter key, as the character it types (case ignored).
    Char(char),
    Enter,
    /// Any other key (shift, tab …): ignored.
    Other,
}

/// Why typed input was not a card identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WedgeError {
    #[error("The reader typed “{0}”, which is not a card number in the configured format. Check the reader's settings (hex or decimal).")]
    NotInFormat(String),
    #[error("The reader typed a number too large for a {bytes}-byte card identifier. Check the reader's settings.")]
    TooLarge { bytes: u8 },
    #[error(transparent)]
    Card(#[from] CardIdError),
}

/// Collects keystrokes until Enter and parses them.
#[derive(Debug, Clone)]
pub struct WedgeParser {
    format: WedgeFormat,
    typed: String,
    last_key_at: Option<Duration>,
}

impl WedgeParser {
    pub fn new(format: WedgeFormat) -> Self {
        Self { format, typed: String::new(), last_key_at: None }
    }

    /// Feeds one key press at time `at` (any monotonic clock). Returns a result when Enter
    /// ends an identifier.
    pub fn feed(&mut self, key: WedgeKey, at: Duration) -> Option<Result<CardUid, WedgeError>> {
        if let Some(last) = self.last_key_at {
            if at.saturating_sub(last) > self.format.max_gap {
                self.typed.clear();
            }
        }
        self.last_key_at = Some(at);
        match key {
            WedgeKey::Char(c) => {
                if self.typed.len() < 64 {
                    self.typed.push(c.to_ascii_uppercase());
                }
                None
            }
            WedgeKey::Enter if self.typed.is_empty() => None,
            WedgeKey::Enter => Some(parse(&std::mem::take(&mut self.typed), &self.format)),
            WedgeKey::Other => None,
        }
    }
}

/// Parses one typed identifier (without the Enter).
pub fn parse(typed: &str, format: &WedgeFormat) -> Result<CardUid, WedgeError> {
    let not_in_format = || WedgeError::NotInFormat(typed.chars().take(32).collect());
    let mut bytes = match format.digits {
        WedgeDigits::Hex => {
            if typed.len() % 2 != 0 || !typed.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(not_in_format());
            }
            (0..typed.len()).step_by(2).map(|i| u8::from_str_radix(&typed[i..i + 2], 16)).collect::<Result<Vec<_>, _>>().map_err(|_| not_in_format())?
        }
        WedgeDigits::Decimal => {
            if typed.is_empty() || typed.len() > 20 || !typed.bytes().all(|b| b.is_ascii_digit()) {
                return Err(not_in_format());
            }
            let n: u128 = typed.parse().map_err(|_| not_in_format())?;
            let width = usize::from(format.uid_bytes.clamp(1, 10));
            if width < 16 && n >> (8 * width) != 0 {
                return Err(WedgeError::TooLarge { bytes: format.uid_bytes });
            }
            n.to_be_bytes()[16 - width..].to_vec()
        }
    };
    if format.reversed {
        bytes.reverse();
    }
    Ok(CardUid::from_bytes(format.tech.into(), &bytes)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn type_in(parser: &mut WedgeParser, text: &str, start_ms: u64) -> Option<Result<CardUid, WedgeError>> {
        let mut out = None;
        for (i, c) in text.chars().enumerate() {
            let at = Duration::from_millis(start_ms + 10 * i as u64);
            out = parser.feed(WedgeKey::Char(c), at);
        }
        out.or_else(|| parser.feed(WedgeKey::Enter, Duration::from_millis(start_ms + 10 * text.len() as u64)))
    }

    #[test]
    fn hex_and_decimal_in_either_byte_order() {
        let hex = WedgeFormat::default();
        assert_eq!(parse("04a1b2c3d4e5f6", &hex).unwrap().to_string(), "iso14443a:04A1B2C3D4E5F6");
        let reversed = WedgeFormat { reversed: true, ..hex };
        assert_eq!(parse("4D3C2B1A", &reversed).unwrap().to_string(), "iso14443a:1A2B3C4D");
        // 0x1A2B3C4D = 439041101
        let decimal = WedgeFormat { digits: WedgeDigits::Decimal, ..hex };
        assert_eq!(parse("0439041101", &decimal).unwrap().to_string(), "iso14443a:1A2B3C4D");
        let decimal_le = WedgeFormat { digits: WedgeDigits::Decimal, reversed: true, ..hex };
        assert_eq!(parse("1295788826", &decimal_le).unwrap().to_string(), "iso14443a:1A2B3C4D"); // 0x4D3C2B1A
        let felica = WedgeFormat { tech: WedgeTech::Felica, ..hex };
        assert_eq!(parse("0114B3A1C2D3E4F5", &felica).unwrap().tech(), CardTech::Felica);
    }

    #[test]
    fn bad_input_is_an_error_not_a_card() {
        let hex = WedgeFormat::default();
        assert!(matches!(parse("04A1B2C", &hex), Err(WedgeError::NotInFormat(_))));
        assert!(matches!(parse("HELLO!", &hex), Err(WedgeError::NotInFormat(_))));
        assert!(matches!(parse("04A1B2C3D4", &hex), Err(WedgeError::Card(CardIdError::WrongLength { .. }))));
        let decimal = WedgeFormat { digits: WedgeDigits::Decimal, ..hex };
        assert_eq!(parse("4294967296", &decimal), Err(WedgeError::TooLarge { bytes: 4 }));
        assert!(matches!(parse("12ab", &decimal), Err(WedgeError::NotInFormat(_))));
    }

    #[test]
    fn keystrokes_become_one_identifier_per_enter_and_stray_typing_is_dropped() {
        let mut p = WedgeParser::new(WedgeFormat::default());
        assert_eq!(type_in(&mut p, "1A2B3C4D", 0).unwrap().unwrap().to_string(), "iso14443a:1A2B3C4D");
        // Someone typed "99" a second ago, then the reader typed a card: the gap drops "99".
        p.feed(WedgeKey::Char('9'), Duration::from_millis(5_000));
        p.feed(WedgeKey::Char('9'), Duration::from_millis(5_010));
        assert_eq!(type_in(&mut p, "04A1B2C3D4E5F6", 6_000).unwrap().unwrap().to_string(), "iso14443a:04A1B2C3D4E5F6");
        assert_eq!(p.feed(WedgeKey::Enter, Duration::from_millis(6_500)), None, "a bare Enter is nothing");
        assert_eq!(p.feed(WedgeKey::Other, Duration::from_millis(6_600)), None);
    }
}
