//! Backups taken by `iki-hub backup` while the hub serves a kiosk pushing thousands of
//! events: each backup is a consistent database (every batch whole, no gap in the kiosk's
//! sequence, the books balanced), old ones are pruned to `--keep`; `iki-hub restore` puts
//! one in place of a database, keeping the one it replaces, and a hub serves from it; and
//! kiosks send a restored hub again what it lost, and miss nothing made after the restore.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use common::{PASSWORD, create_staff, enrolled_kiosk, hub_command, login, newcomers, start_hub};
use iki_core::{CardUid, Points};
use iki_hub_store::HubStore;
use iki_hub_store_sqlite::SqliteHubStore;
use iki_store::Store;
use iki_sync::client::SyncClient;

/// The hub serving `db` on a free loopback port, and its URL.
fn serve(db: &Path) -> (Child, String) {
    let (child, addr) = start_hub(db, "127.0.0.1:0");
    (child, format!("http://{addr}"))
}

fn run(command: &mut Command) -> String {
    let out = command.output().unwrap();
    assert!(out.status.success(), "{command:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Events in a backup, and whether they are the kiosk's sequence 1..=n with no gap.
fn events_without_gaps(backup: &Path) -> (u64, bool) {
    let c = rusqlite::Connection::open(backup).unwrap();
    let (n, max): (i64, Option<i64>) = c.query_row("SELECT COUNT(*), MAX(seq) FROM events", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    (n as u64, max.unwrap_or(0) == n)
}

#[test]
fn backups_while_serving_are_whole_and_restore_into_a_working_hub() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hub.sqlite3");
    create_staff(&db);
    let (mut hub, url) = serve(&db);

    // A kiosk with 3,000 events waiting.
    let (kiosk_db, credential) = enrolled_kiosk(&url, dir.path(), "GNR", "GNR8");
    newcomers(&kiosk_db, 0..1_000);

    // Push in small batches on one thread while backups are taken on this one.
    let done = Arc::new(AtomicBool::new(false));
    let pusher = {
        let (client, path, done) = (SyncClient::new(&url, &credential), kiosk_db.clone(), done.clone());
        std::thread::spawn(move || {
            let mut store = Store::open(path).unwrap();
            while store.read(|tx| tx.outbox_len()).unwrap() > 0 {
                client.push(&mut store).unwrap();
            }
            done.store(true, Ordering::SeqCst);
        })
    };
    let mut taken = Vec::new();
    for n in 0.. {
        let file = dir.path().join(format!("during-{n}.sqlite3"));
        run(hub_command(&["backup", "--database"]).arg(&db).arg("--to").arg(&file));
        taken.push((file.clone(), events_without_gaps(&file)));
        if done.load(Ordering::SeqCst) {
            break;
        }
    }
    pusher.join().unwrap();
    eprintln!("events in the backups taken while the kiosk pushed: {:?}", taken.iter().map(|(_, (n, _))| n).collect::<Vec<_>>());

    // Each backup was whole: a prefix of the kiosk's sequence, the books balanced.
    for (file, (events, whole)) in &taken {
        assert!(whole, "{} has a gap in the kiosk's sequence", file.display());
        assert!(*events <= 3_000);
        let copy = SqliteHubStore::open_existing(file).unwrap();
        copy.integrity_check().unwrap();
        assert_eq!(copy.ledger_total().unwrap(), Points::ZERO, "{}", file.display());
    }
    let newest = &taken[taken.len() - 1].0;

    // Into a folder, named by time, keeping the newest two.
    let backups = dir.path().join("backups");
    std::fs::create_dir(&backups).unwrap();
    let mut named = Vec::new();
    for _ in 0..3 {
        let said = run(hub_command(&["backup", "--keep", "2", "--database"]).arg(&db).arg("--to").arg(&backups));
        named.push(PathBuf::from(said.lines().next().unwrap().strip_prefix("backed up to ").unwrap()));
        std::thread::sleep(std::time::Duration::from_millis(1_050)); // names are to the second
    }
    let mut left: Vec<_> = std::fs::read_dir(&backups).unwrap().map(|e| e.unwrap().path()).collect();
    left.sort();
    assert_eq!(left, named[1..], "--keep 2 keeps the newest two");

    // A backup of the finished database, then the hub stopped.
    let final_backup = dir.path().join("final.sqlite3");
    run(hub_command(&["backup", "--database"]).arg(&db).arg("--to").arg(&final_backup));
    hub.kill().unwrap();
    hub.wait().unwrap();

    // Restore into a fresh place: the hub serves it, staff sign in, every event is there.
    let fresh = dir.path().join("restored").join("hub.sqlite3");
    std::fs::create_dir(fresh.parent().unwrap()).unwrap();
    let said = run(hub_command(&["restore", "--from"]).arg(&final_backup).arg("--database").arg(&fresh));
    assert!(said.starts_with("restored"), "{said}");
    let (mut restored, restored_url) = serve(&fresh);
    assert!(login(&restored_url).is_some(), "the staff account came back");
    restored.kill().unwrap();
    restored.wait().unwrap();
    assert_eq!(SqliteHubStore::open(&fresh).unwrap().event_count().unwrap(), 3_000);

    // Restoring over a database keeps the one it replaces; a damaged backup is refused
    // and changes nothing.
    let said = run(hub_command(&["restore", "--from"]).arg(newest).arg("--database").arg(&fresh));
    let kept = said.rsplit("kept as ").next().unwrap().trim();
    assert_eq!(SqliteHubStore::open_existing(Path::new(kept)).unwrap().event_count().unwrap(), 3_000);
    let damaged = dir.path().join("damaged.sqlite3");
    std::fs::write(&damaged, b"SQLite format 3\0 but not really").unwrap();
    let refused = hub_command(&["restore", "--from"]).arg(&damaged).arg("--database").arg(&fresh).output().unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not a usable hub backup"), "{}", String::from_utf8_lossy(&refused.stderr));
    assert_eq!(SqliteHubStore::open(&fresh).unwrap().event_count().unwrap(), taken[taken.len() - 1].1.0, "the database is the restored backup");
    let missing = hub_command(&["backup", "--database"]).arg(dir.path().join("none.sqlite3")).arg("--to").arg(&backups).output().unwrap();
    assert!(String::from_utf8_lossy(&missing.stderr).contains("there is no hub database"));
}

/// A hub restored from last night's backup has lost what kiosks sent since. At its next
/// sync a kiosk hears how far the hub holds its sequence and sends the rest again; and the
/// change feed, which the restore took back behind the kiosk's cursor, still brings the
/// kiosk what staff make after the restore.
#[test]
fn kiosks_send_again_what_a_restored_hub_lost() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hub.sqlite3");
    create_staff(&db);
    let (mut hub, url) = serve(&db);
    let (kiosk_db, credential) = enrolled_kiosk(&url, dir.path(), "GNR", "GNR9");
    let sync = |url: &str| {
        let client = SyncClient::new(url, &credential);
        let mut store = Store::open(&kiosk_db).unwrap();
        let pushed = client.push(&mut store).unwrap();
        let pulled = client.pull(&mut store, |_, _| {}).unwrap();
        (pushed, pulled, store)
    };

    newcomers(&kiosk_db, 0..5);
    assert_eq!(sync(&url).0.accepted, 15);
    let backup = dir.path().join("nightly.sqlite3");
    run(hub_command(&["backup", "--database"]).arg(&db).arg("--to").arg(&backup));
    newcomers(&kiosk_db, 5..10);
    let (pushed, _, mut store) = sync(&url);
    assert_eq!(pushed.accepted, 15);
    assert_eq!(store.read(|tx| tx.outbox_len()).unwrap(), 0, "the hub acknowledged all 30");
    let cursor_before: u64 = store.read(|tx| tx.sync_value("pull_cursor")).unwrap().unwrap().parse().unwrap();
    drop(store);
    hub.kill().unwrap();
    hub.wait().unwrap();

    // The database is lost; last night's backup goes back in its place.
    run(hub_command(&["restore", "--from"]).arg(&backup).arg("--database").arg(&db));
    let (mut hub, url) = serve(&db);
    assert_eq!(SqliteHubStore::open_existing(&db).unwrap().event_count().unwrap(), 15);
    // Staff register a newcomer on the restored hub: a change numbered behind the kiosk's cursor.
    let mut staff = iki_sync::staff_client::StaffClient::new(&url, None).unwrap();
    staff.login("ken", PASSWORD).unwrap();
    let card = CardUid::parse("felica:012E0000DEADBEEF").unwrap();
    let new = iki_sync::staff::NewCitizen { kind: iki_core::CitizenKind::Resident, nickname: "ふくこ".into(), home_region: "JP-42".into(), age_band: iki_core::AgeBand::Unstated, card: Some(card) };
    staff.register_citizen(&new).unwrap();

    let (_, pulled, store) = sync(&url);
    assert_eq!(pulled.requeued, 15, "the 15 events the restore lost go back in the outbox");
    assert!(pulled.cursor < cursor_before, "the restored feed ends behind the kiosk's cursor; the kiosk followed it back");
    drop(store);
    let (pushed, pulled, mut store) = sync(&url);
    assert_eq!((pushed.accepted, pushed.duplicates), (15, 0), "sent again, each once");
    assert_eq!(pulled.requeued, 0, "nothing more is missing");
    assert!(store.read(|tx| tx.card(&card)).unwrap().is_some(), "the newcomer registered after the restore reached the kiosk");
    assert_eq!(store.read(|tx| tx.outbox_len()).unwrap(), 0);
    hub.kill().unwrap();
    hub.wait().unwrap();
    let hub_store = SqliteHubStore::open_existing(&db).unwrap();
    assert_eq!(hub_store.event_count().unwrap(), 30, "every event once");
    assert_eq!(hub_store.ledger_total().unwrap(), Points::ZERO, "the books balance");
}
