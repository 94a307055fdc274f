//! The sync runner in the background: it pushes and pulls on its own, says the hub is
//! reachable, reports the kiosk's health, and when the hub goes away it says so and backs
//! off — while taps keep being recorded.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use iki_sync::protocol::DeviceReport;
use iki_sync::runner::{RunnerHooks, SyncRunner, SyncTiming};
use iki_system_tests::rig::{STAFF, TestHub, TestKiosk, http};

fn wait_until(what: &str, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn the_runner_syncs_in_the_background_and_notices_when_the_hub_goes() {
    let hub = TestHub::start();
    let token = hub.login(STAFF);
    let kiosk = TestKiosk::enrol(&hub, &token, "ASB", "ASB1X");
    let island = iki_demo_data::island(iki_demo_data::demo_morning());
    let reachable = Arc::new(AtomicBool::new(false));
    let link = kiosk.hub_link.clone();
    let flag = reachable.clone();
    let hooks = RunnerHooks {
        reachable: Box::new(move |r| {
            flag.store(r, Ordering::SeqCst);
            link.set_reachable(r);
        }),
        devices: Box::new(|| vec![DeviceReport { device: "simulated:demo".into(), health: "ok".into(), reason: None }]),
    };
    let timing = SyncTiming { interval: Duration::from_millis(50), backoff_first: Duration::from_millis(50), backoff_max: Duration::from_millis(200) };
    let client = iki_sync::client::SyncClient::new(&hub.url, &kiosk.services.store().read(|tx| tx.sync_value("credential")).unwrap().unwrap());
    let runner = SyncRunner::spawn(kiosk.path.clone(), client, timing, hooks).unwrap();

    kiosk.services.check_in(&island.citizen("ハナ").cards[0]).unwrap();
    kiosk.services.check_in_guest(None).unwrap();
    wait_until("the runner has pushed both events", || kiosk.services.store().read(|tx| tx.outbox_len()).unwrap() == 0);
    wait_until("the hub is reachable", || reachable.load(Ordering::SeqCst) && kiosk.hub_link.is_reachable());
    use iki_hub_store::HubStore;
    assert_eq!(hub.store.event_count().unwrap(), 2);
    wait_until("the health report arrived", || {
        let kiosks: Vec<serde_json::Value> = http().get(format!("{}/v1/staff/kiosks", hub.url)).bearer_auth(&token).send().unwrap().json().unwrap();
        kiosks.iter().any(|k| k["kiosk"]["code"] == "ASB1X" && k["health"]["devices"][0]["device"] == "simulated:demo")
    });
    let status = runner.status();
    assert!(status.last_success.is_some() && status.last_error.is_none() && status.clock_skew_ms.is_some(), "{status:?}");

    // The hub goes away: the runner notices, and the kiosk keeps recording.
    drop(hub);
    kiosk.services.check_in_guest(None).unwrap();
    runner.wake();
    wait_until("the runner noticed", || !reachable.load(Ordering::SeqCst));
    assert!(!kiosk.hub_link.is_reachable(), "redemptions now count against the offline allowance");
    assert!(runner.status().last_error.unwrap().contains("cannot be reached"));
    assert_eq!(kiosk.services.store().read(|tx| tx.outbox_len()).unwrap(), 1, "kept for later");
}
