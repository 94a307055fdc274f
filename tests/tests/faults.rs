//! Sync through a fault-injecting proxy: connections dropped before and after the hub
//! commits, duplicated requests, 503s before and after the hub commits, slow answers.
//! Zero events lost, zero applied twice, the books balanced.

use std::collections::HashSet;

use iki_core::{AgeBand, CardTech, CardUid, Points};
use iki_hub_store::HubStore;
use iki_kiosk_services::Registration;
use iki_sync::client::SyncClient;
use iki_system_tests::proxy::{Fault, FaultProxy};
use iki_system_tests::rig::{STAFF, TestHub, TestKiosk};

#[test]
fn nothing_is_lost_or_doubled_through_a_faulty_network() {
    let hub = TestHub::start();
    let token = hub.login(STAFF);
    let kiosk = TestKiosk::enrol(&hub, &token, "GNR", "GNR4");
    let credential = kiosk.services.store().read(|tx| tx.sync_value("credential")).unwrap().unwrap();
    let proxy = FaultProxy::start(hub.addr, 0x1D1, 400);
    let client = SyncClient::new(&proxy.url, &credential);

    // A busy morning: registrations, check-ins, guests, ballots, rides — pushed in small
    // bursts while the network misbehaves.
    let island = iki_demo_data::island(iki_demo_data::demo_morning());
    let theme = island.themes[0].id;
    let mut retries = 0;
    for round in 0..30u64 {
        for i in 0..10u64 {
            let n = round * 10 + i;
            let b = n.to_be_bytes();
            let card = CardUid::from_bytes(CardTech::Iso14443a, &[0x04, 0xFA, b[3], b[4], b[5], b[6], b[7]]).unwrap();
            let form = Registration { nickname: format!("旅人{n}"), home_region: "JP-13".into(), age_band: AgeBand::Unstated, consent: true, pin: None };
            kiosk.services.register_e_citizen(&card, &form).unwrap();
            kiosk.services.check_in(&card).unwrap();
            kiosk.services.cast_ballot(&card, theme, &[(n % 4) as u8]).unwrap();
            kiosk.services.check_in_guest(None).unwrap();
        }
        // Sync until the outbox is empty, retrying whatever the network does.
        loop {
            let mut store = kiosk.services.store();
            let pushed = client.push(&mut store).and_then(|_| client.pull(&mut store, |_, _| {}));
            match pushed {
                Ok(_) if store.read(|tx| tx.outbox_len()).unwrap() == 0 => break,
                Ok(_) => {}
                Err(e) => {
                    assert!(e.is_retryable(), "{e}");
                    retries += 1;
                    assert!(retries < 2_000, "sync never got through");
                }
            }
        }
    }
    let injected: HashSet<Fault> = proxy.injected.lock().unwrap().iter().copied().collect();
    for fault in [Fault::DropBeforeHub, Fault::DropAfterHub, Fault::Duplicate, Fault::ServiceUnavailable, Fault::ServiceUnavailableAfterHub, Fault::Slow] {
        assert!(injected.contains(&fault), "{fault:?} was never injected");
    }

    let kiosk_events = kiosk.services.store().read(|tx| tx.event_count()).unwrap();
    assert_eq!(kiosk_events, 1_200);
    assert_eq!(hub.store.event_count().unwrap(), kiosk_events, "every event exactly once");
    assert_eq!(hub.store.ledger_total().unwrap(), Points::ZERO, "the books balance");
    assert!(kiosk.services.store().read(|tx| tx.rejections()).unwrap().is_empty());
    assert!(hub.store.flags().unwrap().is_empty(), "nothing for staff to review: no ballot after close, no overspend");
    eprintln!("{retries} retries; faults injected: {:?}", proxy.injected.lock().unwrap().iter().filter(|f| **f != Fault::Pass).count());
}
