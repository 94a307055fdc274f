//! Every kiosk service end to end on a real (in-memory) store: the happy paths and the
//! refusals, each refusal a typed error that wrote nothing.

mod common;

use common::{generous_rules, kiosk, kiosk_with};
use iki_core::{AgeBand, CardUid, Needs, Points, RideStatus, RideTime, RuleError, Timestamp};
use iki_kiosk_services::{Registration, RideOrder, ServiceError};

fn rule(err: ServiceError) -> RuleError {
    match err {
        ServiceError::Rule(r) => r,
        other => panic!("expected a rule error, got {other:?}"),
    }
}

#[test]
fn e_citizen_arriving_at_a_port_gets_the_welcome_bonus_once() {
    let k = kiosk("GNR1");
    let sakura = k.card("さくら");
    let first = k.services.check_in(&sakura).unwrap();
    let rec = first.recorded.expect("recorded");
    assert_eq!((rec.points, rec.port_bonus), (Points(10), Points(500)));
    assert_eq!(first.balance, Points(510));
    assert_eq!(first.greeting.nickname, "さくら");
    assert_eq!(first.place.ja, "郷ノ浦港");

    let before = k.footprint();
    let again = k.services.check_in(&sakura).unwrap();
    assert_eq!(again.recorded, None, "already checked in today");
    assert_eq!(again.balance, Points(510));
    assert_eq!(k.footprint(), before, "a repeated tap records nothing");

    k.clock.advance_minutes(24 * 60);
    let next_day = k.services.check_in(&sakura).unwrap().recorded.unwrap();
    assert_eq!((next_day.points, next_day.port_bonus), (Points(10), Points(0)));
}

#[test]
fn residents_earn_the_place_points_without_a_bonus() {
    let k = kiosk("GNR1");
    let out = k.services.check_in(&k.card("ハナ")).unwrap();
    assert_eq!(out.recorded.unwrap().port_bonus, Points(0));
    assert_eq!(out.balance, Points(10));
    let telework = kiosk("TWC1");
    assert_eq!(telework.services.check_in(&telework.card("ハナ")).unwrap().balance, Points(20));
}

#[test]
fn unknown_and_stopped_cards_are_refused_everywhere() {
    let k = kiosk("GNR1");
    let unknown = CardUid::parse("felica:0114000000000099").unwrap();
    let old = k.island.citizen("健").revoked[0].0;
    let before = k.footprint();
    for card in [unknown, old] {
        let expected = if card == unknown { RuleError::UnknownCard } else { RuleError::CardRevoked };
        assert_eq!(rule(k.services.check_in(&card).unwrap_err()), expected);
        assert_eq!(rule(k.services.summary(&card).unwrap_err()), expected);
        assert_eq!(rule(k.services.redeem(&card, k.island.item("Iki beef croquette").id, None).unwrap_err()), expected);
        assert_eq!(rule(k.services.cast_ballot(&card, k.island.themes[0].id, &[0]).unwrap_err()), expected);
        let order = RideOrder { destination: k.island.stop("Iki Hospital").id, when: RideTime::Now, passengers: 1, needs: Needs::default() };
        assert_eq!(rule(k.services.request_ride(&card, &order).unwrap_err()), expected);
    }
    assert_eq!(k.footprint(), before);
    // The replacement card works and belongs to the same person.
    assert_eq!(k.services.check_in(&k.card("健")).unwrap().greeting.nickname, "健");
}

#[test]
fn malformed_card_ids_never_reach_the_services() {
    let err = CardUid::parse("iso14443a:88A1B2C3").unwrap_err();
    assert_eq!(RuleError::from(err).code(), "card.cascade_tag");
}

fn form(nickname: &str) -> Registration {
    Registration {
        nickname: nickname.into(),
        home_region: "JP-13".into(),
        age_band: AgeBand::Fifties,
        consent: true,
        pin: Some("9753".into()),
    }
}

#[test]
fn an_unknown_card_registers_as_an_e_citizen_then_checks_in() {
    let k = kiosk("ASB1");
    let card = CardUid::parse("iso14443a:04DEADBEEF0101").unwrap();
    let reg = k.services.register_e_citizen(&card, &form("  ようこ ")).unwrap();
    assert_eq!(reg.greeting.nickname, "ようこ");
    assert_eq!(k.services.identify(&card).unwrap().citizen, reg.greeting.citizen);
    let out = k.services.check_in(&card).unwrap();
    assert_eq!(out.recorded.unwrap().port_bonus, Points(500), "first arrival at Ashibe port");
    // The PIN is stored only as an argon2id hash.
    let stored = k.services.store().read(|tx| tx.citizen(reg.greeting.citizen)).unwrap().unwrap();
    assert!(stored.pin_hash.unwrap().starts_with("$argon2id$"));
}

#[test]
fn bad_registrations_say_why_and_write_nothing() {
    let k = kiosk("GNR1");
    let card = CardUid::parse("iso14443a:04DEADBEEF0202").unwrap();
    let before = k.footprint();
    let cases: Vec<(Registration, RuleError)> = vec![
        (Registration { consent: false, ..form("ようこ") }, RuleError::ConsentRequired),
        (form(""), RuleError::InvalidNickname { max: 20 }),
        (Registration { home_region: "Tokyo".into(), ..form("ようこ") }, RuleError::InvalidHomeRegion),
        (Registration { pin: Some("12".into()), ..form("ようこ") }, RuleError::InvalidPin),
    ];
    for (f, expected) in cases {
        assert_eq!(rule(k.services.register_e_citizen(&card, &f).unwrap_err()), expected);
    }
    let taken = k.card("さくら");
    assert_eq!(rule(k.services.register_e_citizen(&taken, &form("にせもの")).unwrap_err()), RuleError::CardAlreadyRegistered);
    assert_eq!(k.footprint(), before);
}

#[test]
fn guests_are_counted_without_a_card_or_name() {
    let k = kiosk("IDJ1");
    assert_eq!(k.services.check_in_guest(Some("KR")).unwrap().guests_today, 1);
    let second = k.services.check_in_guest(None).unwrap();
    assert_eq!(second.guests_today, 2);
    assert_eq!(second.place.en, "Indōji Port");
    assert_eq!(rule(k.services.check_in_guest(Some("Korea")).unwrap_err()), RuleError::InvalidHomeRegion);
}

#[test]
fn redemption_spends_points_and_issues_a_coupon() {
    let k = kiosk_with("GNR1", generous_rules());
    let sakura = k.card("さくら");
    k.services.check_in(&sakura).unwrap();
    let croquette = k.island.item("Iki beef croquette");
    let r = k.services.redeem(&sakura, croquette.id, None).unwrap();
    assert_eq!(r.cost, Points(150));
    assert_eq!(r.balance_after, Points(5_010 - 150));
    assert!(r.coupon_code.starts_with("IKI-"));
    assert_eq!(r.qr_payload, format!("IKI1:COUPON:{}", r.coupon_code));
    assert!(!r.offline);
    let listed = k.services.catalogue().unwrap();
    let after = listed.iter().find(|i| i.id == croquette.id).unwrap();
    assert_eq!(after.stock, Some(99), "stock went down by one");
    assert!(listed.iter().find(|i| i.name.en == "Fresh sea urchin, jar").unwrap().needs_pin);
    assert_eq!(k.services.summary(&sakura).unwrap().balance, Points(4_860));
}

#[test]
fn redemption_refusals_write_nothing() {
    let k = kiosk_with("GNR1", generous_rules());
    let hana = k.card("ハナ");
    k.services.check_in(&hana).unwrap(); // 10 points
    let before = k.footprint();
    let croquette = k.island.item("Iki beef croquette").id;
    assert_eq!(
        rule(k.services.redeem(&hana, croquette, None).unwrap_err()),
        RuleError::InsufficientPoints { balance: Points(10), cost: Points(150) }
    );
    let mut sold_out = k.island.item("Share car, 1 hour").clone();
    sold_out.stock = iki_core::Stock::Limited(0);
    k.services.store().transact(|tx| tx.put_item(&sold_out)).unwrap();
    let sakura = k.card("さくら");
    k.services.check_in(&sakura).unwrap();
    let before_sakura = k.footprint();
    assert_eq!(rule(k.services.redeem(&sakura, sold_out.id, None).unwrap_err()), RuleError::OutOfStock);
    let gone = iki_core::ItemId::from_uuid(iki_core::ids::Uuid::nil());
    assert_eq!(rule(k.services.redeem(&sakura, gone, None).unwrap_err()), RuleError::UnknownItem);
    assert_eq!(k.footprint(), before_sakura);
    assert_ne!(before, before_sakura);
}

#[test]
fn pin_above_the_threshold_with_lockout() {
    let k = kiosk_with("GNR1", generous_rules());
    let sakura = k.card("さくら"); // demo PIN 2468
    k.services.check_in(&sakura).unwrap();
    let urchin = k.island.item("Fresh sea urchin, jar").id;
    assert_eq!(rule(k.services.redeem(&sakura, urchin, None).unwrap_err()), RuleError::PinRequired { threshold: Points(400) });
    assert_eq!(rule(k.services.redeem(&sakura, urchin, Some("24")).unwrap_err()), RuleError::InvalidPin);

    let before = k.footprint();
    assert_eq!(rule(k.services.redeem(&sakura, urchin, Some("1111")).unwrap_err()), RuleError::PinWrong { attempts_left: 2 });
    assert_eq!(k.footprint().0, before.0 + 1, "a wrong PIN is recorded");
    assert_eq!(rule(k.services.redeem(&sakura, urchin, Some("2222")).unwrap_err()), RuleError::PinWrong { attempts_left: 1 });
    let locked = rule(k.services.redeem(&sakura, urchin, Some("3333")).unwrap_err());
    let until = k.services.now().plus_minutes(15);
    assert_eq!(locked, RuleError::PinLocked { until });
    // Even the right PIN is refused while locked, and nothing more is recorded.
    let during = k.footprint();
    assert_eq!(rule(k.services.redeem(&sakura, urchin, Some("2468")).unwrap_err()), RuleError::PinLocked { until });
    assert_eq!(k.footprint(), during);

    k.clock.advance_minutes(15);
    let r = k.services.redeem(&sakura, urchin, Some("2468")).unwrap();
    assert_eq!(r.cost, Points(1_500));
    // Success clears the count: one wrong PIN later leaves two tries again.
    assert_eq!(rule(k.services.redeem(&sakura, urchin, Some("0000")).unwrap_err()), RuleError::PinWrong { attempts_left: 2 });
}

#[test]
fn a_citizen_without_a_pin_is_sent_to_staff() {
    let k = kiosk_with("GNR1", generous_rules());
    let minjun = k.card("Minjun");
    k.services.check_in(&minjun).unwrap();
    let urchin = k.island.item("Fresh sea urchin, jar").id;
    assert_eq!(rule(k.services.redeem(&minjun, urchin, Some("1234")).unwrap_err()), RuleError::NoPinSet { threshold: Points(400) });
}

#[test]
fn offline_spending_is_bounded_per_card() {
    let k = kiosk_with("GNR1", generous_rules());
    k.hub.set_reachable(false);
    let sakura = k.card("さくら");
    k.services.check_in(&sakura).unwrap();
    let shochu = k.island.item("Iki shōchū, mini bottle").id; // 500, over the port's PIN threshold
    let first = k.services.redeem(&sakura, shochu, Some("2468")).unwrap();
    assert!(first.offline);
    k.services.redeem(&sakura, shochu, Some("2468")).unwrap(); // 1,000 pending: the allowance
    let before = k.footprint();
    assert_eq!(
        rule(k.services.redeem(&sakura, k.island.item("Iki beef croquette").id, None).unwrap_err()),
        RuleError::OfflineAllowanceExceeded { allowance: Points(1_000), pending: Points(1_000) }
    );
    assert_eq!(k.footprint(), before);
    assert_eq!(k.services.summary(&sakura).unwrap().pending_offline_spend, Points(1_000));

    // Once the hub has acknowledged the spends, the allowance is free again.
    let mut store = k.services.store();
    let seqs: Vec<u64> = store.outbox_batch(0, 100).unwrap().iter().map(|e| e.seq).collect();
    store.acknowledge(&seqs).unwrap();
    drop(store);
    k.services.redeem(&sakura, k.island.item("Iki beef croquette").id, None).unwrap();
}

#[test]
fn voting_replaces_a_ballot_until_close() {
    let k = kiosk("GNR1");
    let sakura = k.card("さくら");
    let theme = &k.island.themes[0]; // single choice, results visible
    let first = k.services.cast_ballot(&sakura, theme.id, &[1]).unwrap();
    assert!(!first.replaced);
    assert_eq!(first.chosen[0].en, "Tourist information");
    assert_eq!(first.results.as_ref().unwrap()[1].1, 1);
    let second = k.services.cast_ballot(&sakura, theme.id, &[2]).unwrap();
    assert!(second.replaced);
    let results = second.results.unwrap();
    assert_eq!(results.iter().map(|(_, n)| n).sum::<u32>(), 1, "one ballot per citizen");
    assert_eq!(results[2].1, 1);
    let themes = k.services.open_themes(&sakura).unwrap();
    assert_eq!(themes.iter().find(|t| t.id == theme.id).unwrap().my_choices, Some(vec![2]));

    let hidden = &k.island.themes[2];
    assert_eq!(k.services.cast_ballot(&sakura, hidden.id, &[0]).unwrap().results, None);

    k.clock.set(Timestamp(theme.closes_at.0));
    let before = k.footprint();
    assert!(matches!(rule(k.services.cast_ballot(&sakura, theme.id, &[0]).unwrap_err()), RuleError::ThemeClosed { .. }));
    assert_eq!(k.footprint(), before);
}

#[test]
fn ballot_refusals_write_nothing() {
    let k = kiosk("GNR1");
    let sakura = k.card("さくら");
    let residents_only = &k.island.themes[1];
    let before = k.footprint();
    assert_eq!(rule(k.services.cast_ballot(&sakura, residents_only.id, &[0]).unwrap_err()), RuleError::NotEligible);
    let hana = k.card("ハナ");
    assert_eq!(
        rule(k.services.cast_ballot(&hana, residents_only.id, &[0, 1, 2]).unwrap_err()),
        RuleError::WrongChoiceCount { min: 1, max: 2, got: 3 }
    );
    assert_eq!(rule(k.services.cast_ballot(&hana, residents_only.id, &[7]).unwrap_err()), RuleError::UnknownOption);
    let gone = iki_core::ThemeId::from_uuid(iki_core::ids::Uuid::nil());
    assert_eq!(rule(k.services.cast_ballot(&hana, gone, &[0]).unwrap_err()), RuleError::UnknownTheme);
    assert_eq!(k.footprint(), before);
    assert_eq!(k.services.cast_ballot(&hana, residents_only.id, &[3, 0]).unwrap().chosen.len(), 2);
}

#[test]
fn rides_are_requested_shown_and_cancelled() {
    let k = kiosk("GNR1");
    let hana = k.card("ハナ");
    let hospital = k.island.stop("Iki Hospital").id;
    let now = RideOrder { destination: hospital, when: RideTime::Now, passengers: 2, needs: Needs { wheelchair: true, assistance: true } };
    let receipt = k.services.request_ride(&hana, &now).unwrap();
    assert_eq!(receipt.ride.number, format!("GNR1-{:05}", receipt.receipt_no));
    assert_eq!(receipt.ride.destination.ja, "壱岐病院");
    assert_eq!(receipt.ride.pickup.en, "Gōnoura Port");
    assert_eq!(receipt.ride.status, RideStatus::Requested);
    assert!(receipt.ride.asap && receipt.ride.needs.wheelchair);

    let slot = k.services.rules().booking.slots_on(k.services.now().local_day(), k.services.now())[2];
    let later = k.services.request_ride(&hana, &RideOrder { when: RideTime::Slot(slot), passengers: 1, ..now }).unwrap();
    let summary = k.services.summary(&hana).unwrap();
    assert_eq!(summary.rides.len(), 2, "both show at the next tap");
    assert_eq!(summary.rides[0].id, receipt.ride.id, "soonest first");

    let sakura = k.card("さくら");
    let before = k.footprint();
    assert_eq!(rule(k.services.cancel_ride(&sakura, later.ride.id).unwrap_err()), RuleError::RideNotYours);
    assert_eq!(k.footprint(), before);
    let cancelled = k.services.cancel_ride(&hana, later.ride.id).unwrap();
    assert_eq!(cancelled.ride.status, RideStatus::Cancelled);
    assert_eq!(k.services.rides(&hana).unwrap().len(), 1);
    let again = rule(k.services.cancel_ride(&hana, later.ride.id).unwrap_err());
    assert_eq!(again, RuleError::RideNotCancellable { status: "cancelled" });
}

#[test]
fn ride_refusals_write_nothing() {
    let k = kiosk("GNR1");
    let hana = k.card("ハナ");
    let hospital = k.island.stop("Iki Hospital").id;
    let base = RideOrder { destination: hospital, when: RideTime::Now, passengers: 1, needs: Needs::default() };
    let before = k.footprint();
    let nine_days = k.services.now().plus_days(9);
    let cases = [
        (RideOrder { passengers: 0, ..base }, "ride.passengers_out_of_range"),
        (RideOrder { passengers: 10, ..base }, "ride.passengers_out_of_range"),
        (RideOrder { when: RideTime::Slot(nine_days), ..base }, "ride.outside_window"),
        (RideOrder { when: RideTime::Slot(k.services.now().plus_minutes(-60)), ..base }, "ride.in_the_past"),
        (RideOrder { destination: iki_core::StopId::from_uuid(iki_core::ids::Uuid::nil()), ..base }, "ride.unknown_stop"),
    ];
    for (order, code) in cases {
        assert_eq!(k.services.request_ride(&hana, &order).unwrap_err().code(), code);
    }
    k.clock.advance_minutes(12 * 60); // 21:30, after service hours
    assert_eq!(k.services.request_ride(&hana, &base).unwrap_err().code(), "ride.outside_window");
    assert_eq!(k.footprint(), before);
}

#[test]
fn the_summary_shows_what_the_screen_after_a_tap_needs() {
    let k = kiosk("GNR1");
    let hana = k.card("ハナ");
    k.services.check_in(&hana).unwrap();
    let s = k.services.summary(&hana).unwrap();
    assert!(s.checked_in_here_today);
    assert_eq!(s.balance, Points(10));
    assert_eq!(s.open_themes.len(), 3);
    assert_eq!(s.expiring_soon, None, "points last a year");
    k.clock.advance_minutes(340 * 24 * 60);
    let s = k.services.summary(&hana).unwrap();
    assert_eq!(s.expiring_soon.map(|(p, _)| p), Some(Points(10)));
    assert!(!s.checked_in_here_today);
    k.clock.advance_minutes(30 * 24 * 60);
    assert_eq!(k.services.summary(&hana).unwrap().balance, Points(0), "expired");
}

#[test]
fn a_full_disk_is_reported_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let island = iki_demo_data::island(iki_demo_data::demo_morning());
    let mut store = iki_store::Store::open(dir.path().join("kiosk.sqlite3")).unwrap();
    iki_demo_data::load_island(&mut store, &island, "GNR1").unwrap();
    let clock = iki_kiosk_services::ManualClock::new(iki_demo_data::demo_morning());
    let services = iki_kiosk_services::KioskServices::new(
        store,
        iki_core::Rules::default(),
        std::sync::Arc::new(clock.clone()),
        iki_kiosk_services::HubLink::default(),
    );
    let hana = island.citizen("ハナ").cards[0];
    services.check_in(&hana).unwrap();
    services.store().cap_size_for_tests(0).unwrap();
    let mut refused = 0;
    for _ in 0..50 {
        match services.check_in_guest(Some("JP-40")) {
            Ok(_) => {}
            Err(e) => {
                assert_eq!(e.code(), "store.disk_full");
                assert!(e.to_string().contains("disk is full"), "{e}");
                refused += 1;
            }
        }
    }
    assert!(refused > 0, "the capped database must fill up");
    let store = services.store();
    store.integrity_check().unwrap();
    drop(store);
    // What was recorded before is intact, and recording works again once there is room.
    assert_eq!(services.summary(&hana).unwrap().balance, Points(10));
    services.store().cap_size_for_tests(10_000).unwrap();
    services.check_in_guest(None).unwrap();
}
