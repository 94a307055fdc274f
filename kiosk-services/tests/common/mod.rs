//! Shared set-up for the kiosk-services tests: a kiosk on the demo island with a manual clock.

#![allow(dead_code)]

use std::sync::Arc;

use iki_core::{CardUid, Points, Rules};
use iki_demo_data::{DemoIsland, demo_morning, island, load_island};
use iki_kiosk_services::{HubLink, KioskServices, ManualClock};
use iki_store::Store;

pub struct Kiosk {
    pub services: KioskServices,
    pub island: DemoIsland,
    pub clock: ManualClock,
    pub hub: HubLink,
}

/// A kiosk with code `code` (e.g. `GNR1`) on an in-memory store, at the demo morning,
/// with the hub reachable.
pub fn kiosk(code: &str) -> Kiosk {
    kiosk_with(code, Rules::default())
}

/// Rules whose e-citizen welcome bonus is big enough to redeem anything on day one.
pub fn generous_rules() -> Rules {
    Rules { port_first_arrival_bonus: Points(5_000), ..Rules::default() }
}

pub fn kiosk_with(code: &str, rules: Rules) -> Kiosk {
    let island = island(demo_morning());
    let mut store = Store::open_in_memory().unwrap();
    load_island(&mut store, &island, code).unwrap();
    let clock = ManualClock::new(demo_morning());
    let hub = HubLink::default();
    hub.set_reachable(true);
    let services = KioskServices::new(store, rules, Arc::new(clock.clone()), hub.clone());
    Kiosk { services, island, clock, hub }
}

impl Kiosk {
    pub fn card(&self, nickname: &str) -> CardUid {
        self.island.citizen(nickname).cards[0]
    }

    /// (events, outbox rows, ledger rows' sum, citizens): what "nothing written" compares.
    pub fn footprint(&self) -> (u64, u64, Points, u64) {
        self.services
            .store()
            .read(|tx| Ok::<_, iki_store::StoreError>((tx.event_count()?, tx.outbox_len()?, tx.ledger_total()?, tx.citizen_count()?)))
            .unwrap()
    }

    /// Checks in on `days` successive mornings, to collect points.
    pub fn collect_points(&self, card: &CardUid, days: i64) {
        for _ in 0..days {
            self.services.check_in(card).unwrap();
            self.clock.advance_minutes(24 * 60);
        }
    }
}
