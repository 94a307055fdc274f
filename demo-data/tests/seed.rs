//! `iki-seed` builds a kiosk store with the island and N synthetic citizens; running it
//! again is harmless, and a clash of cards says what to do.

use std::process::Command;

use iki_demo_data::synthetic_card;
use iki_store::Store;

#[test]
fn seeds_a_directory_idempotently() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.sqlite3");
    let run = |seed: &str| {
        Command::new(env!("CARGO_BIN_EXE_iki-seed"))
            .args(["--citizens", "3000", "--seed", seed, "--database"])
            .arg(&db)
            .output()
            .unwrap()
    };
    let first = run("1");
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert!(String::from_utf8_lossy(&first.stdout).contains("3004 citizens in the directory"));

    let mut store = Store::open(&db).unwrap();
    for i in [0, 1_500, 2_999] {
        assert!(store.read(|tx| tx.card(&synthetic_card(i))).unwrap().is_some(), "card of citizen {i}");
    }
    assert!(store.read(|tx| tx.card(&synthetic_card(3_000))).unwrap().is_none());
    drop(store);

    let again = run("1");
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    assert!(String::from_utf8_lossy(&again.stdout).contains("3004 citizens in the directory"), "nothing doubled");

    let other_seed = run("2");
    assert!(!other_seed.status.success());
    let stderr = String::from_utf8_lossy(&other_seed.stderr);
    assert!(stderr.contains("already belongs to another citizen") && stderr.contains("use a new --database"), "{stderr}");
}
