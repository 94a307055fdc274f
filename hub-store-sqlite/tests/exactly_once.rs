//! Property test of ingestion: however a kiosk's events are split into batches, re-sent
//! and repeated (as retries after lost answers do), the hub ends in the same state as
//! after one clean pass — same events, same balances, books balanced.

use std::sync::Arc;

use iki_core::{AgeBand, CardTech, CardUid, Event, Points, Rules};
use iki_hub_store::HubStore;
use iki_hub_store_sqlite::SqliteHubStore;
use iki_kiosk_services::{HubLink, KioskServices, ManualClock, Registration};
use iki_store::Store;
use iki_sync::protocol::Outcome;

use proptest::prelude::*;

/// A morning's events at one kiosk: registrations, check-ins, redemptions, ballots, guests.
fn kiosk_events() -> (Vec<Event>, Vec<iki_core::CitizenId>, iki_hub_store::Directory) {
    let island = iki_demo_data::island(iki_demo_data::demo_morning());
    let mut store = Store::open_in_memory().unwrap();
    iki_demo_data::load_island(&mut store, &island, "GNR1").unwrap();
    let clock = ManualClock::new(iki_demo_data::demo_morning());
    let services = KioskServices::new(store, Rules::default(), Arc::new(clock.clone()), HubLink::default());
    let mut citizens = Vec::new();
    for n in 0..12u64 {
        let b = n.to_be_bytes();
        let card = CardUid::from_bytes(CardTech::Iso14443a, &[0x04, 0x5E, b[3], b[4], b[5], b[6], b[7]]).unwrap();
        let form = Registration { nickname: format!("p{n}"), home_region: "JP-40".into(), age_band: AgeBand::Unstated, consent: true, pin: None };
        citizens.push(services.register_e_citizen(&card, &form).unwrap().greeting.citizen);
        services.check_in(&card).unwrap();
        if n % 3 == 0 {
            services.redeem(&card, island.item("Iki beef croquette").id, None).unwrap();
        }
        services.cast_ballot(&card, island.themes[0].id, &[(n % 4) as u8]).unwrap();
        services.check_in_guest(None).unwrap();
    }
    let events = services.store().outbox_batch(0, 10_000).unwrap();
    let directory = iki_hub_store::Directory {
        places: island.places.clone(),
        kiosks: island.kiosks.clone(),
        stops: island.stops.clone(),
        items: island.items.clone(),
        themes: island.themes.clone(),
        ..Default::default()
    };
    (events, citizens, directory)
}

fn hub(directory: &iki_hub_store::Directory) -> SqliteHubStore {
    let hub = SqliteHubStore::open_in_memory().unwrap();
    hub.load_directory(directory).unwrap();
    hub
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn any_batching_and_any_retries_apply_each_event_once(
        cuts in proptest::collection::vec(1usize..12, 1..30),
        repeats in proptest::collection::vec(0u8..3, 1..30),
    ) {
        let (events, citizens, directory) = kiosk_events();
        let kiosk = events[0].kiosk;
        let now = iki_demo_data::demo_morning();

        let clean = hub(&directory);
        clean.ingest(kiosk, &events, now).unwrap();

        // Push in order, in batches of varying size; some batches are sent again (the
        // answer was lost) and the kiosk then resends from the first unacknowledged event.
        let messy = hub(&directory);
        let mut from = 0;
        let mut applied_until = 0; // events[..applied_until] have reached the hub
        let mut step = 0;
        while from < events.len() {
            let size = cuts[step % cuts.len()];
            let end = (from + size).min(events.len());
            for attempt in 0..=repeats[step % repeats.len()] {
                let results = messy.ingest(kiosk, &events[from..end], now).unwrap();
                prop_assert_eq!(results.len(), end - from);
                for (i, r) in results.iter().enumerate() {
                    let seen_before = attempt > 0 || from + i < applied_until;
                    prop_assert_eq!(r.outcome == Outcome::Duplicate, seen_before, "event {} attempt {}: {:?}", from + i, attempt, r);
                }
            }
            applied_until = applied_until.max(end);
            // Every fourth batch the kiosk "lost" an answer and starts again a little earlier.
            from = if step % 4 == 3 { end.saturating_sub(size / 2 + 1).max(from + 1) } else { end };
            step += 1;
        }
        prop_assert_eq!(messy.event_count().unwrap(), events.len() as u64);
        prop_assert_eq!(messy.event_count().unwrap(), clean.event_count().unwrap());
        prop_assert_eq!(messy.ledger_total().unwrap(), Points::ZERO);
        for c in &citizens {
            prop_assert_eq!(messy.balance(*c).unwrap(), clean.balance(*c).unwrap());
        }
        prop_assert_eq!(messy.flags().unwrap(), clean.flags().unwrap());
    }
}
