//! The admin desktop's desk (what every Tauri command calls) against a real hub on a
//! loopback port: sign-in and its problems, search, a citizen's file, adjusting points, and
//! the hub going away — each problem with the code the frontend puts into words.

use iki_admin_desktop::desk::Desk;
use iki_system_tests::rig::{MANAGER, STAFF, TestHub};

#[test]
fn the_desk_signs_in_finds_citizens_and_adjusts_points() {
    let hub = TestHub::start();
    let desk = Desk::new(&hub.url, None).unwrap();
    assert_eq!(desk.who(), None);
    assert_eq!(desk.search("ハ").unwrap_err().code, "signed_out");
    assert_eq!(desk.sign_in("", "").unwrap_err().code, "missing_credentials");
    let wrong = desk.sign_in(STAFF.0, "no").unwrap_err();
    assert_eq!((wrong.code.as_str(), wrong.retryable), ("wrong_password", false));
    let me = desk.sign_in(STAFF.0, STAFF.1).unwrap();
    assert_eq!((me.username.as_str(), me.role.as_str()), (STAFF.0, "staff"));
    assert_eq!(desk.who(), Some(me));

    let rows = desk.search("ハナ").unwrap();
    assert_eq!(rows.len(), 1);
    let hana = &rows[0];
    assert_eq!((hana.kind.as_str(), hana.home_region.as_str()), ("resident", "JP-42"));
    assert_eq!(hana.cards, vec!["felica:0114B3A1C2D3E4F5".to_owned()]);

    let file = desk.citizen(&hana.id).unwrap();
    assert!(file.has_pin);
    assert_eq!(desk.citizen("not-a-number").unwrap_err().code, "bad_citizen_id");
    let balance = desk.adjust_points(&hana.id, 25, "helped at the hall").unwrap();
    assert_eq!(balance, hana.balance + 25);
    let refused = desk.adjust_points(&hana.id, 25, "").unwrap_err();
    assert_eq!(refused.code, "bad_request");
    assert!(refused.message.contains("reason"), "{}", refused.message);
    assert_eq!(desk.citizen(&hana.id).unwrap().ledger[0].amount.value(), 25);

    // A manager sees the same; signing out ends the session.
    desk.sign_out();
    assert_eq!(desk.who(), None);
    assert_eq!(desk.sign_in(MANAGER.0, MANAGER.1).unwrap().role, "manager");

    // The hub gone: a retryable problem, not a crash.
    drop(hub);
    let gone = desk.search("ハ").unwrap_err();
    assert_eq!((gone.code.as_str(), gone.retryable), ("unreachable", true));
}
