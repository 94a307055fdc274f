//! What the hub's process tests share: the real `iki-hub` binary started on a database,
//! a staff account, a kiosk enrolled through the staff API, and newcomers at that kiosk.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use iki_core::{CardTech, CardUid, Rules};
use iki_kiosk_services::{HubLink, KioskServices, ManualClock};
use iki_store::Store;
use iki_sync::client::SyncClient;

/// The password of the staff account `ken` that [`create_staff`] makes.
pub const PASSWORD: &str = "a long staff password";

/// The `iki-hub` binary with these arguments.
pub fn hub_command(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_iki-hub"));
    c.args(args);
    c
}

/// The hub serving `db` (with the demo island) on `listen`; returns the process and the
/// address it listens on, once it does.
pub fn start_hub(db: &Path, listen: &str) -> (Child, String) {
    let mut child = hub_command(&["serve", "--demo", "--listen", listen, "--database"])
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

/// The staff account `ken` in `db`.
pub fn create_staff(db: &Path) {
    let mut create = hub_command(&["create-staff", "--username", "ken", "--database"]).arg(db).stdin(Stdio::piped()).stdout(Stdio::null()).spawn().unwrap();
    writeln!(create.stdin.take().unwrap(), "{PASSWORD}").unwrap();
    assert!(create.wait().unwrap().success());
}

/// `ken`'s session token, or `None` if the hub refuses the sign-in.
pub fn login(url: &str) -> Option<String> {
    let http = iki_sync::client::http_client(None).unwrap();
    let r = http.post(format!("{url}/v1/staff/login")).json(&serde_json::json!({"username": "ken", "password": PASSWORD})).send().ok()?;
    r.status().is_success().then(|| r.json::<serde_json::Value>().unwrap()["token"].as_str().unwrap().to_owned())
}

/// A kiosk at `place` enrolled with the hub at `url` and the island pulled: its store's
/// path and credential.
pub fn enrolled_kiosk(url: &str, dir: &Path, place: &str, kiosk_code: &str) -> (PathBuf, String) {
    let http = iki_sync::client::http_client(None).unwrap();
    let island = iki_demo_data::island(iki_demo_data::demo_morning());
    let code: serde_json::Value = http
        .post(format!("{url}/v1/staff/enrolment-codes"))
        .bearer_auth(login(url).unwrap())
        .json(&serde_json::json!({"place": island.place(place).id, "kiosk_code": kiosk_code}))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let kiosk_db = dir.join(format!("{kiosk_code}.sqlite3"));
    let mut store = Store::open(&kiosk_db).unwrap();
    let client = SyncClient::enrol(url, code["code"].as_str().unwrap(), &mut store).unwrap();
    client.pull(&mut store, |_, _| {}).unwrap();
    let credential = store.read(|tx| tx.sync_value("credential")).unwrap().unwrap();
    (kiosk_db, credential)
}

/// Newcomers `range` registered and checked in at the kiosk, with a guest each: three
/// events per newcomer, waiting in the outbox.
pub fn newcomers(kiosk_db: &Path, range: std::ops::Range<u64>) {
    let store = Store::open(kiosk_db).unwrap();
    let services = KioskServices::new(store, Rules::default(), Arc::new(ManualClock::new(iki_demo_data::demo_morning())), HubLink::default());
    for n in range {
        let b = n.to_be_bytes();
        let card = CardUid::from_bytes(CardTech::Felica, &[0x01, 0x2E, b[2], b[3], b[4], b[5], b[6], b[7]]).unwrap();
        let form = iki_kiosk_services::Registration { nickname: format!("b{n}"), home_region: "JP-42".into(), age_band: iki_core::AgeBand::Unstated, consent: true, pin: None };
        services.register_e_citizen(&card, &form).unwrap();
        services.check_in(&card).unwrap();
        services.check_in_guest(None).unwrap();
    }
}
