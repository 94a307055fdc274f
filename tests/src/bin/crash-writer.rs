//! `crash-writer DB`: records kiosk actions in a loop and reports each one on stdout only
//! after it is durable, so a test can kill it at any moment and check what survived.

use std::io::Write;
use std::sync::Arc;

use anyhow::Context;
use iki_core::{AgeBand, CardTech, CardUid, Rules};
use iki_demo_data::{demo_morning, island, load_island};
use iki_kiosk_services::{HubLink, KioskServices, ManualClock, Registration};
use iki_store::{Store, StoreError};

/// The card of the e-citizen registered at sequence `n`.
fn card_for(n: u64) -> CardUid {
    let b = n.to_be_bytes();
    CardUid::from_bytes(CardTech::Iso14443a, &[0x04, 0xC7, b[3], b[4], b[5], b[6], b[7]]).expect("valid UID")
}

fn main() -> anyhow::Result<()> {
    let path = std::env::args().nth(1).context("usage: crash-writer DB")?;
    let mut store = Store::open(&path)?;
    let island = island(demo_morning());
    if let Err(StoreError::NotProvisioned) = store.read(|tx| tx.identity()) {
        load_island(&mut store, &island, "GNR1")?;
    }
    let hana = island.citizen("ハナ").cards[0];
    let theme = island.themes[0].id;
    let services = KioskServices::new(store, Rules::default(), Arc::new(ManualClock::new(demo_morning())), HubLink::default());
    let mut out = std::io::stdout().lock();
    writeln!(out, "ready")?;
    out.flush()?;
    loop {
        let n = services.store().read(|tx| tx.next_seq())?;
        let recorded = match n % 4 {
            0 => services.check_in_guest(Some("JP-40")).map(|g| g.receipt_no),
            1 => services
                .register_e_citizen(
                    &card_for(n),
                    &Registration { nickname: format!("crash{n}"), home_region: "JP-13".into(), age_band: AgeBand::Unstated, consent: true, pin: None },
                )
                .map(|r| r.receipt_no),
            2 => services.check_in(&card_for(n - 1)).map(|c| c.recorded.map_or(0, |r| r.receipt_no)),
            _ => services.cast_ballot(&hana, theme, &[(n % 4) as u8]).map(|b| b.receipt_no),
        };
        match recorded {
            Ok(0) => {}
            Ok(seq) => {
                writeln!(out, "recorded {seq}")?;
                out.flush()?;
            }
            // A registration the previous run did not finish leaves its check-in nothing to check.
            Err(e) if e.code() == "card.unknown" => {}
            Err(e) => return Err(e.into()),
        }
    }
}
