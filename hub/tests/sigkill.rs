//! The hub killed with SIGKILL in the middle of batches, and restarted on the same
//! database, while a kiosk keeps pushing: every event ends up applied exactly once, the
//! books balance and SQLite's integrity check passes.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use iki_core::{CardTech, CardUid, Points, Rules};
use iki_hub_store::HubStore;
use iki_hub_store_sqlite::SqliteHubStore;
use iki_kiosk_services::{HubLink, KioskServices, ManualClock};
use iki_store::Store;
use iki_sync::client::SyncClient;

const PASSWORD: &str = "a long staff password";

fn start_hub(db: &std::path::Path, listen: &str) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_iki-hub"))
        .args(["serve", "--demo", "--listen", listen, "--database"])
        .arg(db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("hub said {line:?}")).to_owned();
    (child, addr)
}

#[test]
fn sigkill_mid_batch_loses_and_doubles_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hub.sqlite3");
    let mut create = Command::new(env!("CARGO_BIN_EXE_iki-hub"))
        .args(["create-staff", "--username", "ken", "--database"])
        .arg(&db)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    writeln!(create.stdin.take().unwrap(), "{PASSWORD}").unwrap();
    assert!(create.wait().unwrap().success());
    let (mut hub, addr) = start_hub(&db, "127.0.0.1:0");
    let url = format!("http://{addr}");

    // Enrol a kiosk through the staff API.
    let http = iki_sync::client::http_client(None).unwrap();
    let login: serde_json::Value = http
        .post(format!("{url}/v1/staff/login"))
        .json(&serde_json::json!({"username": "ken", "password": PASSWORD}))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let island = iki_demo_data::island(iki_demo_data::demo_morning());
    let code: serde_json::Value = http
        .post(format!("{url}/v1/staff/enrolment-codes"))
        .bearer_auth(login["token"].as_str().unwrap())
        .json(&serde_json::json!({"place": island.place("IDJ").id, "kiosk_code": "IDJ9"}))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let kiosk_db = dir.path().join("kiosk.sqlite3");
    let mut store = Store::open(&kiosk_db).unwrap();
    let client = SyncClient::enrol(&url, code["code"].as_str().unwrap(), &mut store).unwrap();
    client.pull(&mut store, |_, _| {}).unwrap();
    let credential = store.read(|tx| tx.sync_value("credential")).unwrap().unwrap();
    let services = KioskServices::new(store, Rules::default(), Arc::new(ManualClock::new(iki_demo_data::demo_morning())), HubLink::default());

    // 3,000 events waiting in the outbox.
    for n in 0..1_000u64 {
        let b = n.to_be_bytes();
        let card = CardUid::from_bytes(CardTech::Felica, &[0x01, 0x2F, b[2], b[3], b[4], b[5], b[6], b[7]]).unwrap();
        let form = iki_kiosk_services::Registration {
            nickname: format!("k{n}"),
            home_region: "JP-40".into(),
            age_band: iki_core::AgeBand::Unstated,
            consent: true,
            pin: None,
        };
        services.register_e_citizen(&card, &form).unwrap();
        services.check_in(&card).unwrap();
        services.check_in_guest(None).unwrap();
    }

    // Push while the hub is killed and restarted, five times, then until the outbox is empty.
    let mut kills = 0;
    let mut rng = 0x5151_u64;
    let started = Instant::now();
    while services.store().read(|tx| tx.outbox_len()).unwrap() > 0 {
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
            let mut store = services.store();
            client.push(&mut store).unwrap();
        }
    }
    hub.kill().unwrap();
    hub.wait().unwrap();

    let hub_store = SqliteHubStore::open(&db).unwrap();
    hub_store.integrity_check().unwrap();
    let kiosk_events = services.store().read(|tx| tx.event_count()).unwrap();
    assert_eq!(kiosk_events, 3_000);
    assert_eq!(kills, 5);
    assert_eq!(hub_store.event_count().unwrap(), kiosk_events, "every event exactly once");
    assert_eq!(hub_store.ledger_total().unwrap(), Points::ZERO);
}
