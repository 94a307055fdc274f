//! Demo and scale data: Iki's real places and destinations, a catalogue, dialogue themes,
//! a handful of named demo citizens, and a generator of N synthetic citizens with cards.
//!
//! Everything is deterministic: the same seed gives the same ids, names and cards, so
//! tests and benchmarks can name a card that is certainly in the directory.

mod island;
mod synthetic;

pub use island::{DemoCitizen, DemoIsland, island};
pub use synthetic::{synthetic_card, synthetic_citizen, SyntheticLoad};

use iki_core::{KioskId, Timestamp};
use iki_store::{Store, StoreError};

/// Loads the island's directory into a kiosk store and makes it the store of the kiosk
/// with `kiosk_code` (e.g. `GNR1`, Gōnoura port's first kiosk).
pub fn load_island(store: &mut Store, island: &DemoIsland, kiosk_code: &str) -> Result<KioskId, StoreError> {
    let kiosk = island
        .kiosks
        .iter()
        .find(|k| k.code == kiosk_code)
        .ok_or_else(|| StoreError::Corrupt(format!("no demo kiosk with code {kiosk_code}")))?
        .id;
    store.transact(|tx| {
        for p in &island.places {
            tx.put_place(p)?;
        }
        for k in &island.kiosks {
            tx.put_kiosk(k)?;
        }
        tx.set_identity(kiosk)?;
        for s in &island.stops {
            tx.put_stop(s)?;
        }
        for i in &island.items {
            tx.put_item(i)?;
        }
        for t in &island.themes {
            tx.put_theme(t)?;
        }
        for d in &island.citizens {
            tx.put_citizen(&d.citizen, d.pin_hash.as_deref())?;
            for card in d.cards.iter().chain(d.revoked.iter().map(|(c, _)| c)) {
                tx.issue_card(card, d.citizen.id, d.citizen.registered_at)?;
            }
            for (card, replaced_by) in &d.revoked {
                tx.revoke_card(card, d.citizen.registered_at, replaced_by.as_ref())?;
            }
        }
        Ok::<_, StoreError>(kiosk)
    })
}

/// The demo's reference time: 2026-12-04 09:30 in Iki (a Friday morning ferry arrival).
pub fn demo_morning() -> Timestamp {
    let day = iki_core::LocalDay::from_ymd(2026, 12, 4).expect("valid date");
    Timestamp::at_local(day, 9 * 60 + 30)
}
