//! Demo mode, the README's run command: the kiosk window over a fresh kiosk store enrolled
//! with its own hub on loopback (the demo island), the simulated reader with the demo
//! cards on screen, receipts drawn as pictures, and sound.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use iki_core::{CardUid, Rules, Timestamp};
use iki_demo_data::{demo_morning, island};
use iki_devices::Devices;
use iki_devices::config::DevicesConfig;
use iki_kiosk::app::{self, AppOptions, Autoplay, Step};
use iki_kiosk::live::{EnrolTarget, LiveParts, LivePort};
use iki_kiosk_services::{Clock, HubLink, KioskServices};
use iki_store::Store;
use iki_sync::client::SyncClient;
use iki_sync::runner::SyncTiming;

use iki_kiosk::embedded_hub::EmbeddedHub;

/// The demo island's morning (09:30 JST), moving on with real time.
struct DemoClock {
    start: Instant,
    at: Timestamp,
}

impl Clock for DemoClock {
    fn now(&self) -> Timestamp {
        Timestamp(self.at.0 + self.start.elapsed().as_millis() as i64)
    }
}

/// The staff PIN in demo mode (the demo panel says so).
pub const DEMO_STAFF_PIN: &str = "2580";

pub fn run(data_dir: &Path, assets: &Path, fullscreen: bool, autoplay: bool, startup: Instant) -> anyhow::Result<()> {
    std::fs::create_dir_all(data_dir).with_context(|| format!("creating {}", data_dir.display()))?;
    let db = data_dir.join("kiosk.sqlite3");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    for dir in ["receipts", "spool"] {
        let _ = std::fs::remove_dir_all(data_dir.join(dir));
    }
    let demo = island(demo_morning());
    let hub_server = EmbeddedHub::start(data_dir)?;
    {
        let mut store = Store::open(&db).with_context(|| format!("opening {}", db.display()))?;
        let code = hub_server.enrolment_code(demo.place("GNR").id, "GNR1")?;
        let client = SyncClient::enrol(&hub_server.url, &code, &mut store).context("enrolling with the demo hub")?;
        client.pull(&mut store, |_, _| {}).context("pulling the demo island")?;
    }
    let hub = HubLink::default();
    hub.set_reachable(true);
    let clock = Arc::new(DemoClock { start: Instant::now(), at: demo_morning() });
    let services = Arc::new(KioskServices::new(Store::open(&db)?, Rules::default(), clock, hub.clone()));
    let kept = services.clone();
    let devices = Devices::start(&DevicesConfig::demo(data_dir, assets)).context("starting the demo's devices")?;
    let mut salt = [0u8; iki_core::secret::SALT_LEN];
    salt[..4].copy_from_slice(b"demo");
    let staff_pin_hash = iki_core::secret::hash_secret(DEMO_STAFF_PIN, &salt);
    let enrol = EnrolTarget { store_path: db.clone(), default_hub: Some(hub_server.url.clone()), ca: None };
    let (parts, reader, simulated) = LiveParts::from_devices(devices, services, hub, staff_pin_hash, Some(enrol));
    let simulated = simulated.context("demo mode runs on the simulated reader")?;
    let port = LivePort::new(parts);
    port.start_sync(SyncTiming::default())?;

    let card = |name: &str| demo.citizen(name).cards[0];
    let cards: Vec<(String, CardUid)> = vec![
        ("さくら — e-citizen, Fukuoka (PIN 2468)".into(), card("さくら")),
        ("ハナ — resident (PIN 1234)".into(), card("ハナ")),
        ("Minjun — e-citizen, Busan".into(), card("Minjun")),
        ("健 — resident".into(), card("健")),
        ("健 — old card, reported lost".into(), demo.citizen("健").revoked[0].0),
        ("A card new to Iki".into(), CardUid::parse("iso14443a:04C0FFEE123456")?),
    ];
    println!("Iki Circle kiosk demo — hub {} — receipts in {}", hub_server.url, data_dir.join("receipts").display());
    let autoplay = autoplay.then(|| Autoplay { steps: tour(), dir: data_dir.join("screens") });
    app::run(port, reader, AppOptions { dpi: 96.0, fullscreen, demo: Some((simulated, cards)), startup_probe: Some(startup), autoplay })?;

    // Whatever the runner had not sent yet goes now; then both sets of books must balance.
    let mut store = Store::open(&db)?;
    if let Some(client) = SyncClient::from_store(&mut store, None)? {
        while store.read(|tx| tx.outbox_len())? > 0 {
            let pushed = client.push(&mut store)?;
            if pushed.sent == 0 {
                break;
            }
        }
    }
    drop(kept);
    use iki_hub_store::HubStore;
    let (events, outbox, total) = store.read(|tx| Ok::<_, iki_store::StoreError>((tx.event_count()?, tx.outbox_len()?, tx.ledger_total()?)))?;
    let (hub_events, hub_total) = (hub_server.store.event_count()?, hub_server.store.ledger_total()?);
    println!("kiosk: {events} events recorded / outbox {outbox} / ledger Σ = {total}");
    println!("hub: {hub_events} events / ledger Σ = {hub_total}");
    anyhow::ensure!(total == iki_core::Points::ZERO && hub_total == iki_core::Points::ZERO, "the books do not balance");
    Ok(())
}

/// The tour `--autoplay` plays: a coupon, a ride, a newcomer, a guest and a stopped card.
fn tour() -> Vec<Step> {
    use Step::{Press, Shot, Tap};
    vec![
        Shot("01-waiting"),
        Tap(0),
        Shot("02-greeting"),
        Press("redeem", ""),
        Shot("03-catalogue"),
        Press("pick", "0"),
        Shot("04-confirm"),
        Press("confirm", ""),
        Shot("05-coupon"),
        Shot("06-coupon-printed"),
        Press("start-over", ""),
        Tap(1),
        Press("ride", ""),
        Shot("07-ride-where"),
        Press("pick", "5"),
        Press("pick", "0"),
        Press("wheelchair", ""),
        Press("confirm", ""),
        Press("confirm", ""),
        Shot("08-ride-booked"),
        Press("start-over", ""),
        Tap(5),
        Shot("09-welcome"),
        Press("guest", ""),
        Shot("10-guest"),
        Press("start-over", ""),
        Tap(4),
        Shot("11-stopped-card"),
    ]
}
