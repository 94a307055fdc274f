//! Test rigs: a real hub serving on a loopback port (in its own runtime thread) and kiosks
//! enrolled with it through the real staff API and sync client.

use std::path::PathBuf;
use std::sync::Arc;

use iki_core::{PlaceId, Rules, StaffId};
use iki_hub::{Hub, demo_directory, hash_password};
use iki_hub_store::{HubStore, Role};
use iki_hub_store_sqlite::SqliteHubStore;
use iki_kiosk_services::{HubLink, KioskServices, ManualClock};
use iki_store::Store;
use iki_sync::client::SyncClient;
use serde_json::{Value, json};

pub const MANAGER: (&str, &str) = ("aiko", "correct horse battery staple");
pub const STAFF: (&str, &str) = ("ken", "island ferry at seven");

/// A hub on 127.0.0.1 with the demo directory and two staff accounts.
pub struct TestHub {
    pub url: String,
    pub addr: std::net::SocketAddr,
    pub store: Arc<SqliteHubStore>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    _dir: tempfile::TempDir,
}

impl TestHub {
    pub fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(SqliteHubStore::open(dir.path().join("hub.sqlite3")).unwrap());
        store.load_directory(&demo_directory()).unwrap();
        for ((name, password), role) in [(MANAGER, Role::Manager), (STAFF, Role::Staff)] {
            let id = StaffId::new(&mut iki_core::SeededIds::new(name.bytes().map(u64::from).sum(), 0));
            store.create_staff(id, name, &hash_password(password), role).unwrap();
        }
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let hub = Hub::new(store.clone());
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                addr_tx.send(listener.local_addr().unwrap()).unwrap();
                iki_hub::serve(listener, hub, async {
                    let _ = stop_rx.await;
                })
                .await
                .unwrap();
            });
        });
        let addr = addr_rx.recv().unwrap();
        Self { url: format!("http://{addr}"), addr, store, shutdown: Some(stop_tx), thread: Some(thread), _dir: dir }
    }

    /// Signs in and returns the session token.
    pub fn login(&self, (user, password): (&str, &str)) -> String {
        let r = http().post(format!("{}/v1/staff/login", self.url)).json(&json!({"username": user, "password": password})).send().unwrap();
        assert!(r.status().is_success(), "login {user}: {}", r.status());
        r.json::<Value>().unwrap()["token"].as_str().unwrap().to_owned()
    }

    /// A one-time enrolment code for a kiosk `code` at `place`.
    pub fn enrolment_code(&self, token: &str, place: PlaceId, code: &str) -> String {
        let r = http()
            .post(format!("{}/v1/staff/enrolment-codes", self.url))
            .bearer_auth(token)
            .json(&json!({"place": place, "kiosk_code": code}))
            .send()
            .unwrap();
        assert!(r.status().is_success(), "enrolment code: {}", r.status());
        r.json::<Value>().unwrap()["code"].as_str().unwrap().to_owned()
    }
}

impl Drop for TestHub {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The real time, which the hub goes by (the demo island is set on 2026-12-04).
pub fn real_now() -> iki_core::Timestamp {
    iki_core::Timestamp(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64))
}

pub fn http() -> reqwest::blocking::Client {
    iki_sync::client::http_client(None).unwrap()
}

/// A kiosk enrolled with the hub: its store file, its services and its sync client.
pub struct TestKiosk {
    pub path: PathBuf,
    pub services: KioskServices,
    pub client: SyncClient,
    pub clock: ManualClock,
    pub hub_link: HubLink,
    _dir: tempfile::TempDir,
}

impl TestKiosk {
    /// Enrols a new kiosk `code` at the demo place `place_code` (e.g. GNR) and pulls the directory.
    pub fn enrol(hub: &TestHub, token: &str, place_code: &str, code: &str) -> Self {
        let island = iki_demo_data::island(iki_demo_data::demo_morning());
        let place = island.place(place_code).id;
        let enrolment = hub.enrolment_code(token, place, code);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.sqlite3");
        let mut store = Store::open(&path).unwrap();
        let client = SyncClient::enrol(&hub.url, &enrolment, &mut store).unwrap();
        client.pull(&mut store, |_, _| {}).unwrap();
        let clock = ManualClock::new(iki_demo_data::demo_morning());
        let hub_link = HubLink::default();
        let services = KioskServices::new(store, Rules::default(), Arc::new(clock.clone()), hub_link.clone());
        Self { path, services, client, clock, hub_link, _dir: dir }
    }

    /// One push and one pull through the real client.
    pub fn sync(&self) {
        let mut store = self.services.store();
        self.client.push(&mut store).unwrap();
        self.client.pull(&mut store, |_, _| {}).unwrap();
    }
}
