//! Migrations: from an empty file, and from every earlier schema with data in it, the store
//! reaches the current schema with its data intact and usable.

use iki_core::{
    Actor, CardStatus, CardUid, Citizen, CitizenId, CitizenKind, EventId, HomeRegion, Kiosk, KioskId, LocalDay,
    Localised, Nickname, Payload, Place, PlaceId, PlaceKind, Points, SeededIds, Timestamp,
};
use iki_store::{MIGRATIONS, SCHEMA_VERSION, Store, StoreError};
use rusqlite::{Connection, params};

struct Fixture {
    place: Place,
    kiosk: Kiosk,
    citizen: Citizen,
    card: CardUid,
}

fn fixture() -> Fixture {
    let mut ids = SeededIds::new(99, 1_780_000_000_000);
    let place = Place {
        id: PlaceId::new(&mut ids),
        kind: PlaceKind::FerryPort,
        code: "GNR".into(),
        name: Localised::new("郷ノ浦港", "Gōnoura Port"),
        location: iki_core::Coordinates { lat: 33.7478, lon: 129.6893 },
        checkin_points: Points(10),
        pin_threshold: Points(1000),
    };
    let kiosk = Kiosk { id: KioskId::new(&mut ids), place: place.id, code: "GNR1".into(), label: "GNR kiosk 1".into() };
    let citizen = Citizen {
        id: CitizenId::new(&mut ids),
        kind: CitizenKind::ECitizen,
        nickname: Nickname::parse("さくら").unwrap(),
        home_region: HomeRegion::parse("JP-40").unwrap(),
        age_band: iki_core::AgeBand::From18To29,
        registered_at: Timestamp(1_780_000_000_000),
    };
    Fixture { place, kiosk, citizen, card: CardUid::parse("iso14443a:04A1B2C3D4E5F6").unwrap() }
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

/// Rows as each schema version wrote them, inserted with plain SQL as an old build would.
fn insert_rows_of(version: u32, conn: &Connection, f: &Fixture) {
    match version {
        1 => {
            conn.execute("INSERT INTO places (id, definition) VALUES (?1, ?2)", params![f.place.id.to_string(), json(&f.place)])
                .unwrap();
            conn.execute(
                "INSERT INTO kiosks (id, place_id, definition) VALUES (?1, ?2, ?3)",
                params![f.kiosk.id.to_string(), f.place.id.to_string(), json(&f.kiosk)],
            )
            .unwrap();
            conn.execute("INSERT INTO kiosk_identity (singleton, kiosk_id) VALUES (1, ?1)", [f.kiosk.id.to_string()]).unwrap();
            conn.execute(
                "INSERT INTO citizens (id, kind, nickname, home_region, age_band, registered_at)
                 VALUES (?1, 'e_citizen', 'さくら', 'JP-40', '18_29', ?2)",
                params![f.citizen.id.to_string(), f.citizen.registered_at.0],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO cards (uid, citizen_id, issued_at) VALUES (?1, ?2, 0)",
                params![f.card.to_string(), f.citizen.id.to_string()],
            )
            .unwrap();
        }
        2 => {
            let event = iki_core::Event {
                id: EventId::new(&mut SeededIds::new(5, 1_780_000_000_000)),
                kiosk: f.kiosk.id,
                seq: 1,
                device_time: Timestamp(1_780_000_000_000),
                actor: Actor::Guest,
                schema: 1,
                payload: Payload::GuestCheckedIn { place: f.place.id, day: LocalDay(20_600), home_region: None },
            };
            conn.execute(
                "INSERT INTO events (seq, id, kind, device_time, schema, body) VALUES (1, ?1, 'guest_checked_in', ?2, 1, ?3)",
                params![event.id.to_string(), event.device_time.0, json(&event)],
            )
            .unwrap();
            conn.execute("INSERT INTO outbox (seq) VALUES (1)", []).unwrap();
        }
        3 => {
            conn.execute("INSERT INTO guest_visits (event_seq, place_id, day) VALUES (1, ?1, 20600)", [f.place.id.to_string()])
                .unwrap();
        }
        4 => {
            conn.execute("INSERT INTO sync_state (key, value) VALUES ('pull_cursor', '17')", []).unwrap();
        }
        5 => {
            conn.execute(
                "INSERT INTO hub_wallets (citizen_id, wallet, mark) VALUES (?1, '{\"lots\":[],\"debt\":0}', 0)",
                [f.citizen.id.to_string()],
            )
            .unwrap();
        }
        6 => {} // two new nullable columns; version 3's rows must survive them (checked below)
        7 => {
            conn.execute("INSERT INTO settings (key, value) VALUES ('volume', '60')", []).unwrap();
        }
        v => panic!("add the rows schema version {v} writes to this test"),
    }
}

#[test]
fn every_migration_has_rows_in_this_test() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("all.sqlite3");
    drop(Store::open(&path).unwrap());
    let conn = Connection::open(&path).unwrap();
    for m in MIGRATIONS {
        insert_rows_of(m.version, &conn, &fixture());
    }
}

#[test]
fn from_empty_to_current() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("new.sqlite3")).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    store.integrity_check().unwrap();
    assert_eq!(store.durability().unwrap(), ("wal".to_string(), 2), "WAL with synchronous=FULL");
}

#[test]
fn from_every_earlier_version_with_data() {
    let f = fixture();
    for from in 0..SCHEMA_VERSION {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("v{from}.sqlite3"));
        let old = Store::open_at_version(&path, from).unwrap();
        assert_eq!(old.schema_version().unwrap(), from);
        drop(old);
        let conn = Connection::open(&path).unwrap();
        for v in 1..=from {
            insert_rows_of(v, &conn, &f);
        }
        drop(conn);

        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION, "from {from}");
        store.integrity_check().unwrap();
        if from == 0 {
            continue;
        }
        let card = store.read(|tx| tx.card(&f.card)).unwrap().expect("card kept");
        assert_eq!((card.citizen, card.status), (f.citizen.id, CardStatus::Active));
        assert_eq!(store.read(|tx| tx.identity()).unwrap().place, f.place);
        assert_eq!(store.outbox_batch(0, 10).unwrap().len(), if from >= 2 { 1 } else { 0 }, "old outbox kept and readable");
        // The upgraded store records new events after the old ones.
        let seq = store
            .transact(|tx| {
                tx.append(
                    EventId::new(&mut SeededIds::new(from.into(), 1_790_000_000_000)),
                    Timestamp(1_790_000_000_000),
                    Actor::Guest,
                    Payload::GuestCheckedIn { place: f.place.id, day: LocalDay(20_700), home_region: None },
                )
            })
            .unwrap()
            .seq;
        assert_eq!(seq, if from >= 2 { 2 } else { 1 });
    }
}

#[test]
fn reopening_is_idempotent_and_a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.sqlite3");
    drop(Store::open(&path).unwrap());
    drop(Store::open(&path).unwrap());
    Connection::open(&path).unwrap().pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
    match Store::open(&path) {
        Err(e @ StoreError::SchemaTooNew { .. }) => assert!(e.to_string().contains("update the kiosk software")),
        Err(other) => panic!("unexpected {other}"),
        Ok(_) => panic!("a newer schema must be refused"),
    }
}

#[test]
fn an_unprovisioned_store_says_so_and_records_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    assert!(matches!(store.read(|tx| tx.identity()), Err(StoreError::NotProvisioned)));
    let err = store
        .transact(|tx| {
            tx.append(
                EventId::new(&mut SeededIds::new(1, 0)),
                Timestamp(0),
                Actor::Guest,
                Payload::GuestCheckedIn { place: PlaceId::new(&mut SeededIds::new(2, 0)), day: LocalDay(0), home_region: None },
            )
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::NotProvisioned));
    assert_eq!(store.read(|tx| tx.event_count()).unwrap(), 0);
}

#[test]
fn a_file_that_is_not_a_database_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("garbage.sqlite3");
    std::fs::write(&path, vec![0x42u8; 8192]).unwrap();
    match Store::open(&path) {
        Err(StoreError::Corrupt(_)) => {}
        Err(other) => panic!("expected Corrupt, got {other:?}"),
        Ok(_) => panic!("garbage opened as a database"),
    }
}

/// A hub restored from a backup holds this kiosk's events only up to some point: the
/// events after it that the hub had acknowledged go back in the outbox, in order; the ones
/// it refused stay refused; asking again queues nothing twice.
#[test]
fn events_a_restored_hub_lost_go_back_in_the_outbox() {
    let f = fixture();
    let mut store = Store::open_in_memory().unwrap();
    store
        .transact(|tx| {
            tx.put_place(&f.place)?;
            tx.put_kiosk(&f.kiosk)?;
            tx.set_identity(f.kiosk.id)?;
            let mut ids = SeededIds::new(7, 1_790_000_000_000);
            for _ in 0..5 {
                let guest = Payload::GuestCheckedIn { place: f.place.id, day: LocalDay(20_700), home_region: None };
                tx.append(EventId::new(&mut ids), Timestamp(1_790_000_000_000), Actor::Guest, guest)?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
    // The hub acknowledged all five and refused the fourth; then it was restored to hold two.
    store.acknowledge(&[1, 2, 3, 5]).unwrap();
    store.transact(|tx| tx.reject(4, "refused", Timestamp(1_790_000_000_000))).unwrap();
    assert_eq!(store.read(|tx| tx.outbox_len()).unwrap(), 0);
    assert_eq!(store.transact(|tx| tx.requeue_after(2)).unwrap(), 2);
    let queued: Vec<u64> = store.outbox_batch(0, 10).unwrap().iter().map(|e| e.seq).collect();
    assert_eq!(queued, [3, 5], "the lost ones, not the refused one");
    assert_eq!(store.transact(|tx| tx.requeue_after(2)).unwrap(), 0, "already queued");
    assert_eq!(store.transact(|tx| tx.requeue_after(5)).unwrap(), 0, "the hub holds everything");
}
