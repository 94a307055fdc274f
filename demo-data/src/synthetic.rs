//! Synthetic citizens for scale tests: residents and e-citizens with plausible nicknames,
//! home regions, age bands and cards, derived from an index so card look-ups can name them.

use iki_core::{
    AgeBand, CardTech, CardUid, Citizen, CitizenId, CitizenKind, HomeRegion, Nickname, SeededIds, Timestamp,
};
use iki_store::{Store, StoreError};

const SYLLABLES: [&str; 24] = [
    "あ", "い", "う", "か", "き", "さ", "し", "す", "た", "ち", "な", "の", "は", "ひ", "ま", "み", "や", "ゆ", "ら",
    "り", "る", "わ", "こ", "と",
];
/// Where e-citizens come from, weighted roughly as the plan expects (Fukuoka first).
const REGIONS: [&str; 12] =
    ["JP-40", "JP-40", "JP-40", "JP-13", "JP-13", "JP-27", "JP-42", "JP-41", "JP-43", "KR", "TW", "CN"];
/// Keeps synthetic card bytes apart from the demo cards (which start 0x0114 / 0x04A1 …).
const CARD_MASK: u64 = 0x5A5A_5A5A_5A5A;

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The first card of synthetic citizen `index` (< 2^48): a FeliCa IDm for seven in ten,
/// a 7-byte ISO 14443-A UID for the rest. Distinct indices give distinct cards.
pub fn synthetic_card(index: u64) -> CardUid {
    let body = (index ^ CARD_MASK).to_be_bytes();
    if mix(index) % 10 < 7 {
        let mut idm = [0x01, 0x2E, 0, 0, 0, 0, 0, 0];
        idm[2..].copy_from_slice(&body[2..]);
        CardUid::from_bytes(CardTech::Felica, &idm).expect("valid IDm")
    } else {
        let mut uid = [0x04, 0, 0, 0, 0, 0, 0];
        uid[1..].copy_from_slice(&body[2..]);
        CardUid::from_bytes(CardTech::Iso14443a, &uid).expect("valid UID")
    }
}

/// A second card for one citizen in twenty (a MIFARE island card beside a transit card).
fn second_card(index: u64) -> Option<CardUid> {
    (mix(index ^ 0xC0FFEE) % 20 == 0).then(|| {
        let body = (index ^ CARD_MASK).to_be_bytes();
        let mut uid = [0x04, 0xEE, 0, 0, 0, 0, 0, 0, 0, 0];
        uid[4..].copy_from_slice(&body[2..]);
        CardUid::from_bytes(CardTech::Iso14443a, &uid).expect("valid 10-byte UID")
    })
}

/// Synthetic citizen `index` with their cards. One in twenty is a resident (the island has
/// ~25,000 of its 500,000 target citizens living on it).
pub fn synthetic_citizen(seed: u64, index: u64, ids: &mut SeededIds) -> (Citizen, Vec<CardUid>) {
    let h = mix(seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let kind = if h % 20 == 0 { CitizenKind::Resident } else { CitizenKind::ECitizen };
    let nick: String = (0..3).map(|i| SYLLABLES[((h >> (8 * i)) % 24) as usize]).collect();
    let region = if kind == CitizenKind::Resident { "JP-42" } else { REGIONS[((h >> 24) % 12) as usize] };
    let age = AgeBand::ALL[((h >> 32) % 8) as usize];
    let citizen = Citizen {
        id: CitizenId::new(ids),
        kind,
        nickname: Nickname::parse(&nick).expect("three syllables"),
        home_region: HomeRegion::parse(region).expect("valid region"),
        age_band: age,
        registered_at: Timestamp(1_735_657_200_000 + (h >> 40) as i64 * 1_000),
    };
    let mut cards = vec![synthetic_card(index)];
    cards.extend(second_card(index));
    (citizen, cards)
}

/// Loading `count` synthetic citizens into a store in one transaction.
pub struct SyntheticLoad {
    pub seed: u64,
    pub count: u64,
}

impl SyntheticLoad {
    /// Loads the citizens; `progress` hears every 50,000. Returns the number of cards issued.
    pub fn run(&self, store: &mut Store, mut progress: impl FnMut(u64)) -> Result<u64, StoreError> {
        let mut ids = SeededIds::new(self.seed, 1_735_657_200_000);
        store.load_directory(|loader| {
            let mut cards = 0;
            for index in 0..self.count {
                let (citizen, c) = synthetic_citizen(self.seed, index, &mut ids);
                cards += c.len() as u64;
                loader.citizen(&citizen, &c)?;
                if (index + 1) % 50_000 == 0 {
                    progress(index + 1);
                }
            }
            Ok(cards)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn cards_are_distinct_and_valid() {
        let mut seen = HashSet::new();
        let mut ids = SeededIds::new(1, 0);
        for i in 0..20_000 {
            let (_, cards) = synthetic_citizen(1, i, &mut ids);
            for c in cards {
                assert!(seen.insert(c), "card {c} issued twice");
                assert_eq!(CardUid::parse(&c.to_string()), Ok(c));
            }
        }
        let felica = seen.iter().filter(|c| c.tech() == CardTech::Felica).count();
        assert!((12_000..16_000).contains(&felica), "about seven in ten are FeliCa: {felica}");
    }
}
