//! The admin desktop's client of the staff API (`iki_sync::staff_client`) against a real
//! hub on a loopback port: sign-in and its refusals, finding citizens by nickname, id and
//! card, a citizen's file with the ledger a kiosk's check-in and a staff adjustment wrote,
//! registering, issuing and stopping cards, PINs, and the hub going away.

use iki_core::{AgeBand, CardUid, CitizenKind, Points};
use iki_demo_data::{demo_morning, island};
use iki_sync::staff::{NewCitizen, Role};
use iki_sync::staff_client::{StaffClient, StaffError, idempotently};
use iki_system_tests::rig::{MANAGER, STAFF, TestHub, TestKiosk, http, real_now};

#[test]
fn the_citizen_desk_works_through_the_client() {
    let hub = TestHub::start();
    let mut desk = StaffClient::new(&hub.url, None).unwrap();

    // Signed out, wrong password, then in.
    assert_eq!(desk.search_citizens("さ").unwrap_err(), StaffError::SignedOut);
    assert_eq!(desk.login(STAFF.0, "not the password").unwrap_err(), StaffError::WrongPassword);
    assert_eq!(desk.login(STAFF.0, STAFF.1).unwrap(), Role::Staff);
    assert!(desk.signed_in());

    // A kiosk checks Sakura in; the hub gets the event.
    let token = hub.login(MANAGER);
    let kiosk = TestKiosk::enrol(&hub, &token, "GNR", "GNR1");
    let sakura_card = island(demo_morning()).citizen("さくら").cards[0];
    // Checked in today by the real clock: the hub counts points as of its own time, and
    // points earned on the demo morning expire a year after it.
    kiosk.clock.set(real_now());
    kiosk.services.check_in(&sakura_card).unwrap();
    kiosk.sync();

    // Found by the beginning of her nickname, by her card, and by her id.
    let hits = desk.search_citizens("さく").unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    let sakura = hits[0].citizen.id;
    assert_eq!(hits[0].balance, Points(510));
    assert_eq!(desk.search_citizens(&sakura_card.to_string()).unwrap()[0].citizen.id, sakura);
    assert_eq!(desk.search_citizens(&sakura.to_string()).unwrap()[0].citizen.id, sakura);
    assert!(desk.search_citizens("ぬ").unwrap().is_empty());
    assert!(desk.search_citizens("   ").unwrap().is_empty());

    // Her file: the kiosk's postings with their time, then a staff adjustment on top.
    let file = desk.citizen(sakura).unwrap();
    assert!(file.has_pin);
    assert_eq!(file.cards.len(), 1);
    assert_eq!(file.ledger.iter().map(|l| l.amount.value()).sum::<i64>(), 510);
    assert!(file.ledger.iter().all(|l| l.at.is_some()), "{:?}", file.ledger);
    assert_eq!(desk.adjust_points(sakura, 40, "festival helper").unwrap().balance, Points(550));
    let refused = desk.adjust_points(sakura, 40, "  ").unwrap_err();
    assert!(matches!(refused, StaffError::Refused { .. }), "{refused:?}");
    assert!(refused.to_string().contains("reason"));
    let file = desk.citizen(sakura).unwrap();
    assert_eq!(file.ledger[0].amount, Points(40));
    assert_eq!(file.ledger[0].reason, "staff_adjustment");
    assert!(file.ledger[0].at.is_some());

    // Register a newcomer with a card, replace the card, set a PIN.
    let first = CardUid::parse("iso14443a:04DE5C0000AA01").unwrap();
    let second = CardUid::parse("iso14443a:04DE5C0000AA02").unwrap();
    let new = NewCitizen { kind: CitizenKind::ECitizen, nickname: "みさき".into(), home_region: "JP-13".into(), age_band: AgeBand::Forties, card: Some(first) };
    let misaki = desk.register_citizen(&new).unwrap();
    let taken = desk.register_citizen(&NewCitizen { nickname: "だれか".into(), ..new.clone() }).unwrap_err();
    assert!(matches!(taken, StaffError::Refused { .. }), "the card is someone's already: {taken:?}");
    let bad = desk.register_citizen(&NewCitizen { nickname: "".into(), card: None, ..new.clone() }).unwrap_err();
    assert!(bad.to_string().contains("nickname"), "{bad}");
    desk.revoke_card(&first, Some(&second)).unwrap();
    desk.issue_card(misaki, &second).unwrap();
    assert!(matches!(desk.revoke_card(&first, None).unwrap_err(), StaffError::NotFound(_)));
    desk.reset_pin(misaki, "4826").unwrap();
    assert!(matches!(desk.reset_pin(misaki, "12").unwrap_err(), StaffError::Refused { .. }));
    let file = desk.citizen(misaki).unwrap();
    assert!(file.has_pin);
    assert_eq!(file.cards.iter().filter(|c| c.revoked_at.is_none()).map(|c| c.uid).collect::<Vec<_>>(), vec![second]);
    assert_eq!(file.cards.iter().find(|c| c.uid == first).and_then(|c| c.replaced_by), Some(second));

    // Five wrong passwords pause sign-in with words; the hub gone is "unreachable", retryable.
    let mut other = StaffClient::new(&hub.url, None).unwrap();
    for _ in 0..5 {
        assert_eq!(other.login(MANAGER.0, "guess").unwrap_err(), StaffError::WrongPassword);
    }
    let paused = other.login(MANAGER.0, MANAGER.1).unwrap_err();
    assert!(matches!(paused, StaffError::TooManyAttempts(_)) && paused.to_string().contains("15 minutes"), "{paused:?}");
    drop(kiosk);
    drop(hub);
    let gone = desk.search_citizens("さ").unwrap_err();
    assert!(matches!(gone, StaffError::Unreachable(_)) && gone.is_retryable(), "{gone:?}");
    assert!(gone.to_string().contains("Your entry is kept"));
}

/// A write sent again under the same idempotency key (its answer was lost on the way) is
/// answered again, not applied again; a new key applies it anew; a key serves one request.
#[test]
fn a_write_sent_again_is_applied_once() {
    let hub = TestHub::start();
    let mut desk = StaffClient::new(&hub.url, None).unwrap();
    desk.login(STAFF.0, STAFF.1).unwrap();
    let ken = island(demo_morning()).citizen("健").citizen.id;
    let before = desk.citizen(ken).unwrap().balance;
    let adjust = |key: &str| idempotently(Some(key), || desk.adjust_points(ken, 30, "beach clean-up")).unwrap().balance;
    assert_eq!(adjust("adjust-0001"), before + Points(30));
    assert_eq!(adjust("adjust-0001"), before + Points(30), "the same answer, and nothing applied twice");
    assert_eq!(desk.citizen(ken).unwrap().balance, before + Points(30));
    assert_eq!(adjust("adjust-0002"), before + Points(60), "a new action is a new write");

    // On the wire: the kept answer says so; a key is for one request; a malformed key is refused.
    let token = hub.login(STAFF);
    let send = |path: &str, key: &str, body: serde_json::Value| {
        http().post(format!("{}{path}", hub.url)).bearer_auth(&token).header("Idempotency-Key", key).json(&body).send().unwrap()
    };
    let points = format!("/v1/staff/citizens/{ken}/points");
    let again = send(&points, "adjust-0002", serde_json::json!({"amount": 30, "reason": "beach clean-up"}));
    assert_eq!(again.status(), 200);
    assert_eq!(again.headers().get("idempotent-replayed").map(|v| v.to_str().unwrap()), Some("true"));
    assert_eq!(again.json::<serde_json::Value>().unwrap()["balance"], serde_json::to_value(before + Points(60)).unwrap());
    let elsewhere = send("/v1/staff/coupons/verify", "adjust-0002", serde_json::json!({"code": "IKI-0000"}));
    assert_eq!(elsewhere.status(), 422);
    assert_eq!(send(&points, "x", serde_json::json!({"amount": 30, "reason": "r"})).status(), 400);
    // A refused write keeps nothing: the same key may carry the corrected write.
    assert_eq!(send(&points, "adjust-0003", serde_json::json!({"amount": 30, "reason": " "})).status(), 400);
    assert_eq!(send(&points, "adjust-0003", serde_json::json!({"amount": 30, "reason": "typo fixed"})).status(), 200);
    assert_eq!(desk.citizen(ken).unwrap().balance, before + Points(90));
}
