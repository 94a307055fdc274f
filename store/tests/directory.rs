//! The card directory: a citizen holds several cards, a card belongs to one citizen, and a
//! stopped card names its replacement.

use iki_core::{AgeBand, CardStatus, CardUid, Citizen, CitizenId, CitizenKind, HomeRegion, Nickname, SeededIds, Timestamp};
use iki_store::{Store, StoreError};

fn citizen(ids: &mut SeededIds, nick: &str) -> Citizen {
    Citizen {
        id: CitizenId::new(ids),
        kind: CitizenKind::Resident,
        nickname: Nickname::parse(nick).unwrap(),
        home_region: HomeRegion::parse("JP-42").unwrap(),
        age_band: AgeBand::Sixties,
        registered_at: Timestamp(1_000),
    }
}

#[test]
fn cards_belong_to_one_citizen_and_can_be_stopped_and_replaced() {
    let mut store = Store::open_in_memory().unwrap();
    let mut ids = SeededIds::new(4, 0);
    let (ken, aya) = (citizen(&mut ids, "健"), citizen(&mut ids, "あや"));
    let old = CardUid::parse("felica:0114C0FFEE000001").unwrap();
    let new = CardUid::parse("iso14443a:04C0FFEE000002").unwrap();
    store
        .transact(|tx| {
            tx.put_citizen(&ken, None)?;
            tx.put_citizen(&aya, None)?;
            tx.issue_card(&old, ken.id, Timestamp(1_000))?;
            tx.issue_card(&old, ken.id, Timestamp(1_000))?; // again: no change
            tx.issue_card(&new, ken.id, Timestamp(2_000))
        })
        .unwrap();
    let taken = store.transact(|tx| tx.issue_card(&old, aya.id, Timestamp(3_000))).unwrap_err();
    assert!(matches!(taken, StoreError::CardTaken { .. }));
    assert_eq!(taken.to_string(), "Card felica:0114C0FFEE000001 already belongs to another citizen.");

    assert!(store.transact(|tx| tx.revoke_card(&old, Timestamp(4_000), Some(&new))).unwrap());
    let unknown = CardUid::parse("felica:0114000000000042").unwrap();
    assert!(!store.transact(|tx| tx.revoke_card(&unknown, Timestamp(4_000), None)).unwrap());

    store
        .read(|tx| {
            assert_eq!(tx.cards_of(ken.id)?, vec![new, old], "newest first");
            assert_eq!(tx.card(&old)?.unwrap().status, CardStatus::Revoked { at: Timestamp(4_000), replaced_by: Some(new) });
            assert_eq!(tx.card(&new)?.unwrap().status, CardStatus::Active);
            assert!(tx.cards_of(aya.id)?.is_empty());
            Ok::<_, StoreError>(())
        })
        .unwrap();
}

#[test]
fn a_backup_is_a_whole_store_that_opens_and_the_file_appears_only_when_done() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("kiosk.sqlite3")).unwrap();
    let mut ids = SeededIds::new(5, 0);
    let hana = citizen(&mut ids, "はな");
    let card = CardUid::parse("felica:0114C0FFEE000009").unwrap();
    store.transact(|tx| {
        tx.put_citizen(&hana, None)?;
        tx.issue_card(&card, hana.id, Timestamp(1_000))
    })
    .unwrap();
    let to = dir.path().join("backup.sqlite3");
    store.backup_to(&to).unwrap();
    assert!(!to.with_extension("partial").exists());
    // Changes after the backup are not in it; the backup opens as a store at this schema.
    store.transact(|tx| tx.revoke_card(&card, Timestamp(2_000), None)).unwrap();
    let mut copy = Store::open(&to).unwrap();
    copy.integrity_check().unwrap();
    let status = copy.read(|tx| Ok::<_, StoreError>(tx.card(&card)?.unwrap().status)).unwrap();
    assert_eq!(status, CardStatus::Active);
    // A backup into a folder that does not exist says so.
    let nowhere = dir.path().join("no-such-folder").join("backup.sqlite3");
    assert!(store.backup_to(&nowhere).is_err());
}
