//! Demo mode's own hub: the real hub, on a loopback port, with the demo island, so the demo
//! kiosk enrols and syncs exactly as a kiosk in the field does.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use iki_core::{PlaceId, SeededIds, StaffId};
use iki_hub::{Hub, demo_directory, new_enrolment_code, secret_hash};
use iki_hub_store::HubStore;
use iki_hub_store_sqlite::SqliteHubStore;

/// The hub serving in a thread of its own for as long as the demo runs.
pub struct EmbeddedHub {
    pub url: String,
    pub store: Arc<SqliteHubStore>,
    hub: Hub,
}

impl EmbeddedHub {
    /// Starts a fresh hub with its database in `dir`.
    pub fn start(dir: &Path) -> anyhow::Result<Self> {
        let db = dir.join("hub.sqlite3");
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
        let store = Arc::new(SqliteHubStore::open(&db).with_context(|| format!("opening {}", db.display()))?);
        store.load_directory(&demo_directory()).context("loading the demo island into the hub")?;
        let (tx, rx) = std::sync::mpsc::channel();
        let hub = Hub::new(store.clone());
        let serving = hub.clone();
        std::thread::Builder::new().name("embedded hub".into()).spawn(move || {
            let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build() {
                Ok(rt) => rt,
                Err(e) => return drop(tx.send(Err(e.to_string()))),
            };
            runtime.block_on(async move {
                match tokio::net::TcpListener::bind("127.0.0.1:0").await {
                    Ok(listener) => {
                        let _ = tx.send(listener.local_addr().map_err(|e| e.to_string()));
                        let _ = iki_hub::serve(listener, serving, std::future::pending()).await;
                    }
                    Err(e) => drop(tx.send(Err(e.to_string()))),
                }
            });
        })?;
        let addr = rx.recv().context("the embedded hub did not start")?.map_err(anyhow::Error::msg)?;
        Ok(Self { url: format!("http://{addr}"), store, hub })
    }

    /// A one-time enrolment code for kiosk `code` at `place`, as staff would make one:
    /// valid for a day by the hub's own clock (the real one, which checks it), whatever
    /// day the demo's kiosk clock shows.
    pub fn enrolment_code(&self, place: PlaceId, code: &str) -> anyhow::Result<String> {
        let now = self.hub.now();
        let secret = new_enrolment_code();
        let staff = StaffId::new(&mut SeededIds::new(0xDE30, 0));
        self.store.create_enrolment(staff, &secret_hash(&secret), place, code, now.plus_days(1), now)?;
        Ok(secret)
    }
}
