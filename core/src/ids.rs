//! Typed identifiers: a UUIDv7 per kind of thing, so a citizen id can never stand in for a ride id.
//!
//! UUIDv7 sorts by creation time, which keeps SQLite's indexes append-friendly. The
//! core never draws randomness itself: an [`IdSource`] hands it fresh UUIDs.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
pub use uuid::Uuid;

/// Where fresh UUIDs come from: the system's clock and random source in the kiosk,
/// a seeded generator in tests and demo data.
pub trait IdSource {
    fn next_uuid(&mut self) -> Uuid;
}

/// Builds a UUIDv7 from a Unix time in milliseconds and 10 random bytes.
pub fn uuid_v7(unix_ms: u64, random: [u8; 10]) -> Uuid {
    uuid::Builder::from_unix_timestamp_millis(unix_ms, &random).into_uuid()
}

/// A deterministic [`IdSource`] (SplitMix64 over a seed) for demo data and tests: the same
/// seed always yields the same ids, one millisecond apart.
#[derive(Debug, Clone)]
pub struct SeededIds {
    unix_ms: u64,
    state: u64,
}

impl SeededIds {
    pub fn new(seed: u64, start_unix_ms: u64) -> Self {
        Self { unix_ms: start_unix_ms, state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

impl IdSource for SeededIds {
    fn next_uuid(&mut self) -> Uuid {
        self.unix_ms += 1;
        let a = self.next_u64().to_le_bytes();
        let b = self.next_u64().to_le_bytes();
        let mut random = [0u8; 10];
        random[..8].copy_from_slice(&a);
        random[8..].copy_from_slice(&b[..2]);
        uuid_v7(self.unix_ms, random)
    }
}

/// A text that is not a valid identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{text}” is not a valid {kind} id")]
pub struct IdParseError {
    pub kind: &'static str,
    pub text: String,
}

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            pub fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            pub fn new(ids: &mut impl IdSource) -> Self {
                Self(ids.next_uuid())
            }

            pub fn as_uuid(&self) -> &Uuid {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }

        impl FromStr for $name {
            type Err = IdParseError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::try_parse(s)
                    .map(Self)
                    .map_err(|_| IdParseError { kind: $kind, text: s.chars().take(64).collect() })
            }
        }
    };
}

typed_id!(/// A person on the island's books: a resident or an e-citizen.
    CitizenId, "citizen");
typed_id!(/// A telework centre, ferry port or community hall.
    PlaceId, "place");
typed_id!(/// One kiosk terminal at a place.
    KioskId, "kiosk");
typed_id!(/// One immutable event in a kiosk's log.
    EventId, "event");
typed_id!(/// An item in the points catalogue.
    ItemId, "item");
typed_id!(/// A theme of the citizens' dialogue.
    ThemeId, "theme");
typed_id!(/// A ride request for on-demand transport.
    RideId, "ride");
typed_id!(/// A destination stop of on-demand transport.
    StopId, "stop");
typed_id!(/// A member of hall staff.
    StaffId, "staff");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_ids_are_v7_distinct_and_repeatable() {
        let mut a = SeededIds::new(7, 1_780_000_000_000);
        let mut b = SeededIds::new(7, 1_780_000_000_000);
        let x = CitizenId::new(&mut a);
        let y = CitizenId::new(&mut a);
        assert_ne!(x, y);
        assert_eq!(x, CitizenId::new(&mut b));
        assert_eq!(x.as_uuid().get_version_num(), 7);
        assert!(x < y, "v7 ids sort by creation time");
    }

    #[test]
    fn parsing_round_trips_and_rejects_garbage() {
        let id = PlaceId::new(&mut SeededIds::new(1, 0));
        assert_eq!(id.to_string().parse::<PlaceId>().unwrap(), id);
        let err = "not-an-id".parse::<PlaceId>().unwrap_err();
        assert_eq!(err.to_string(), "“not-an-id” is not a valid place id");
    }
}
