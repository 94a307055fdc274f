//! The hub's database upgrades in place: a database an earlier hub wrote (schema 2, the
//! first release with the citizen desk) opens in this hub, gains the later migrations and
//! keeps and serves its data; a database newer than this hub is refused and left as it is.

use iki_demo_data::{demo_morning, island};
use iki_hub_store::{HubStore, StaffReply};
use iki_hub_store_sqlite::SqliteHubStore;
use rusqlite::{Connection, params};

/// A database as a hub at schema 2 left it, with three citizens of the demo island.
fn schema_2_database(path: &std::path::Path) -> Vec<iki_core::Citizen> {
    let c = Connection::open(path).unwrap();
    c.execute_batch(include_str!("../migrations/0001_hub.sql")).unwrap();
    c.execute_batch(include_str!("../migrations/0002_citizen_search.sql")).unwrap();
    c.pragma_update(None, "user_version", 2).unwrap();
    let citizens: Vec<iki_core::Citizen> = island(demo_morning()).citizens.into_iter().take(3).map(|p| p.citizen).collect();
    for citizen in &citizens {
        c.execute(
            "INSERT INTO citizens (id, kind, definition) VALUES (?1, ?2, ?3)",
            params![citizen.id.to_string(), citizen.kind.as_str(), serde_json::to_string(citizen).unwrap()],
        )
        .unwrap();
    }
    citizens
}

fn schema_version(path: &std::path::Path) -> u32 {
    Connection::open(path).unwrap().pragma_query_value(None, "user_version", |r| r.get(0)).unwrap()
}

#[test]
fn an_earlier_hub_database_upgrades_and_keeps_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hub.sqlite3");
    let citizens = schema_2_database(&path);

    let store = SqliteHubStore::open(&path).unwrap();
    store.integrity_check().unwrap();
    // The citizens are there, found by the desk, counted by kind and by registration day
    // (the day column the upgrade added is filled for rows written before it).
    let counted: u64 = store.citizen_counts().unwrap().iter().map(|(_, n)| n).sum();
    assert_eq!(counted, 3);
    let growth = store.growth().unwrap();
    let last = growth.last().expect("a growth point");
    assert_eq!(last.residents + last.e_citizens, 3);
    assert_eq!(growth.iter().map(|g| g.day).max(), citizens.iter().map(|c| c.registered_at.local_day()).max());
    let first = citizens[0].nickname.as_str().chars().take(2).collect::<String>();
    assert!(store.search_citizens(&first, 10).unwrap().iter().any(|h| h.citizen.id == citizens[0].id));
    // What the later migrations brought works: answers kept for staff writes.
    let staff = iki_core::StaffId::new(&mut iki_core::SeededIds::new(5, 0));
    let reply = StaffReply { request: "POST /v1/staff/coupons/verify".into(), status: 200, body: b"{}".to_vec() };
    store.keep_staff_reply(staff, "key-00000001", &reply, demo_morning()).unwrap();
    assert_eq!(store.staff_reply(staff, "key-00000001").unwrap(), Some(reply));
    drop(store);
    let upgraded = schema_version(&path);
    assert!(upgraded > 2);

    // Opening again changes nothing; a database from a newer hub is refused, untouched.
    drop(SqliteHubStore::open(&path).unwrap());
    assert_eq!(schema_version(&path), upgraded);
    Connection::open(&path).unwrap().pragma_update(None, "user_version", upgraded + 1).unwrap();
    let refused = SqliteHubStore::open(&path).err().expect("a newer database is refused");
    assert!(refused.to_string().contains("newer than this hub"), "{refused}");
    assert_eq!(schema_version(&path), upgraded + 1);
}
