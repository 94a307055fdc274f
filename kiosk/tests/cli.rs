//! The kiosk's commands for installers, run as the real binary: `enrol` with a one-time
//! code from a real hub on loopback (no screen), `check-in` of a card sent to the hub at
//! once, `backup` of the enrolled store, and the plain words when the configuration has
//! no hub, the code is wrong or the card is not a card.

use std::process::Command;

use iki_demo_data::{demo_morning, island};
use iki_kiosk::embedded_hub::EmbeddedHub;
use iki_store::Store;

fn kiosk(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_iki-kiosk")).args(args).output().unwrap()
}

fn config(dir: &std::path::Path, hub_url: Option<&str>) -> std::path::PathBuf {
    let path = dir.join("kiosk.toml");
    let hub = hub_url.map(|u| format!("hub_url = \"{u}\"\n")).unwrap_or_default();
    let pin_hash = iki_core::secret::hash_secret("2468", &[7; 16]);
    std::fs::write(&path, format!("data_dir = \"{}\"\ndevices = \"{}\"\n{hub}staff_pin_hash = \"{pin_hash}\"\n", dir.join("data").display(), dir.join("devices.toml").display())).unwrap();
    path
}

#[test]
fn a_kiosk_enrols_headlessly_and_backs_up_its_store() {
    let dir = tempfile::tempdir().unwrap();
    let hub = EmbeddedHub::start(dir.path()).unwrap();
    let demo = island(demo_morning());
    let code = hub.enrolment_code(demo.place("ASB").id, "ASB7").unwrap();

    let no_hub = config(dir.path(), None);
    let refused = kiosk(&["enrol", "--config", no_hub.to_str().unwrap(), "--code", &code]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("no hub address"), "{}", String::from_utf8_lossy(&refused.stderr));
    let bad_address = kiosk(&["enrol", "--config", no_hub.to_str().unwrap(), "--hub", "ftp://hub", "--code", &code]);
    assert!(String::from_utf8_lossy(&bad_address.stderr).contains("not a web address"), "{}", String::from_utf8_lossy(&bad_address.stderr));

    let path = config(dir.path(), Some(&hub.url));
    let config = path.to_str().unwrap();
    let wrong = kiosk(&["enrol", "--config", config, "--code", "0000-0000-0000"]);
    assert!(!wrong.status.success(), "a wrong code is refused");
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("not valid"), "{}", String::from_utf8_lossy(&wrong.stderr));
    // --hub wins over kiosk.toml's address.
    let elsewhere = kiosk(&["enrol", "--config", config, "--hub", "http://127.0.0.1:9", "--code", &code]);
    assert!(String::from_utf8_lossy(&elsewhere.stderr).contains("http://127.0.0.1:9"), "{}", String::from_utf8_lossy(&elsewhere.stderr));
    let out = kiosk(&["enrol", "--config", config, "--code", &code]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "enrolled as kiosk ASB7");

    // A card checked in without the screen reaches the hub at once.
    let hana = "felica:0114B3A1C2D3E4F5";
    let out = kiosk(&["check-in", "--config", config, "--card", hana]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.starts_with("checked in ハナ") && said.contains("sent to the hub; 0 events waiting"), "{said}");
    let bad = kiosk(&["check-in", "--config", config, "--card", "not-a-card"]);
    assert!(!bad.status.success());

    let backup = dir.path().join("kiosk-backup.sqlite3");
    let out = kiosk(&["backup", "--config", config, "--to", backup.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut copy = Store::open(&backup).unwrap();
    assert_eq!(copy.read(|tx| tx.identity()).unwrap().kiosk.code, "ASB7", "the backup is the enrolled kiosk");
}
