//! The hub killed with SIGKILL in the middle of batches, and restarted on the same
//! database, while a kiosk keeps pushing: every event ends up applied exactly once, the
//! books balance and SQLite's integrity check passes.

mod common;

use std::time::{Duration, Instant};

use common::{create_staff, enrolled_kiosk, newcomers, start_hub};
use iki_core::Points;
use iki_hub_store::HubStore;
use iki_hub_store_sqlite::SqliteHubStore;
use iki_store::Store;
use iki_sync::client::SyncClient;

#[test]
fn sigkill_mid_batch_loses_and_doubles_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hub.sqlite3");
    create_staff(&db);
    let (mut hub, addr) = start_hub(&db, "127.0.0.1:0");
    let url = format!("http://{addr}");

    // A kiosk enrolled through the staff API, with 3,000 events waiting in the outbox.
    let (kiosk_db, credential) = enrolled_kiosk(&url, dir.path(), "IDJ", "IDJ9");
    newcomers(&kiosk_db, 0..1_000);
    let store = || Store::open(&kiosk_db).unwrap();
    let client = SyncClient::new(&url, &credential);

    // Push while the hub is killed and restarted, five times, then until the outbox is empty.
    let mut kills = 0;
    let mut rng = 0x5151_u64;
    let started = Instant::now();
    while store().read(|tx| tx.outbox_len()).unwrap() > 0 {
        assert!(started.elapsed() < Duration::from_secs(120), "sync never finished");
        if kills < 5 {
            rng = rng.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let delay = Duration::from_millis(5 + (rng >> 33) % 60);
            let pusher = {
                let client = SyncClient::new(&url, &credential);
                let path = kiosk_db.clone();
                std::thread::spawn(move || {
                    let mut store = Store::open(path).unwrap();
                    let _ = client.push(&mut store);
                })
            };
            std::thread::sleep(delay);
            hub.kill().unwrap(); // SIGKILL
            hub.wait().unwrap();
            pusher.join().unwrap();
            kills += 1;
            hub = start_hub(&db, &addr).0;
        } else {
            client.push(&mut store()).unwrap();
        }
    }
    hub.kill().unwrap();
    hub.wait().unwrap();

    let hub_store = SqliteHubStore::open(&db).unwrap();
    hub_store.integrity_check().unwrap();
    let kiosk_events = store().read(|tx| tx.event_count()).unwrap();
    assert_eq!(kiosk_events, 3_000);
    assert_eq!(kills, 5);
    assert_eq!(hub_store.event_count().unwrap(), kiosk_events, "every event exactly once");
    assert_eq!(hub_store.ledger_total().unwrap(), Points::ZERO);
}
