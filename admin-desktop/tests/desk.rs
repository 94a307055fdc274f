//! The admin desktop's desk (what every Tauri command calls) against a real hub on a
//! loopback port: sign-in and its problems, every desk's reads and writes, and the hub
//! going away — each problem with the code the frontend puts into words.

use iki_admin_desktop::desk::{Desk, ThemeDraft, now};
use iki_core::{CardUid, Eligibility, Localised, Needs, RideStatus, RideTime, VotingMethod};
use iki_kiosk_services::RideOrder;
use iki_sync::staff::{CitizenEdit, CouponCheck, NewCitizen, RideUpdate};
use iki_system_tests::rig::{MANAGER, STAFF, TestHub, TestKiosk};

fn desk(hub: &TestHub, exports: &std::path::Path) -> Desk {
    Desk::new(&hub.url, None, exports.to_owned()).unwrap()
}

fn text(ja: &str, en: &str) -> Localised {
    Localised { ja: ja.into(), en: en.into(), ko: None, zh: None }
}

#[test]
fn the_desk_signs_in_finds_citizens_and_adjusts_points() {
    let hub = TestHub::start();
    let exports = tempfile::tempdir().unwrap();
    let desk = desk(&hub, exports.path());
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

#[test]
fn every_desk_works_against_the_hub() {
    let hub = TestHub::start();
    let exports = tempfile::tempdir().unwrap();
    let desk = desk(&hub, exports.path());
    desk.sign_in(STAFF.0, STAFF.1).unwrap();

    // Citizens: registered with the card tapped on the staff reader, corrected, a second
    // card, the first one lost and replaced, a PIN.
    let first_card = "iso14443a:04C0FFEE123456";
    let new = NewCitizen {
        kind: iki_core::CitizenKind::ECitizen,
        nickname: "みなと".into(),
        home_region: "JP-13".into(),
        age_band: iki_core::AgeBand::Thirties,
        card: Some(CardUid::parse(first_card).unwrap()),
    };
    let id = desk.register(&new).unwrap();
    assert_eq!(desk.register(&new).unwrap_err().code, "conflict", "the same card twice");
    let edit = CitizenEdit { nickname: Some("みなと2".into()), ..Default::default() };
    desk.edit_citizen(&id, &edit).unwrap();
    let bad = CitizenEdit { home_region: Some("Tokyo".into()), ..Default::default() };
    assert_eq!(desk.edit_citizen(&id, &bad).unwrap_err().retryable, false);
    assert_eq!(desk.issue_card(&id, "not a card").unwrap_err().code, "bad_card");
    desk.replace_card(&id, first_card, Some("iso14443a:04C0FFEE123457")).unwrap();
    desk.reset_pin(&id, "2580").unwrap();
    let file = desk.citizen(&id).unwrap();
    assert_eq!(file.citizen.nickname.to_string(), "みなと2");
    assert!(file.has_pin);
    let cards: Vec<_> = file.cards.iter().map(|c| (c.uid.to_string(), c.revoked_at.is_some())).collect();
    assert!(cards.contains(&(CardUid::parse(first_card).unwrap().to_string(), true)), "{cards:?}");
    assert_eq!(desk.search("iso14443a:04C0FFEE123457").unwrap()[0].id, id, "found by the new card");

    // Catalogue: a new item, then its stock changed.
    let before = desk.items().unwrap().len();
    let item = serde_json::json!({
        "id": null, "name": {"ja": "壱岐牛コロッケ", "en": "Iki beef croquette"}, "category": "local_product", "cost": 80,
        "stock": {"stock": "limited", "count": 30}, "merchant": "郷ノ浦の肉屋", "available_from": null, "available_until": null,
    });
    desk.put_item(item.clone()).unwrap();
    let items = desk.items().unwrap();
    assert_eq!(items.len(), before + 1);
    let saved = items.iter().find(|i| i.name.en == "Iki beef croquette").unwrap();
    let mut changed = serde_json::to_value(saved).unwrap();
    changed["stock"] = serde_json::json!({"stock": "limited", "count": 12});
    desk.put_item(changed).unwrap();
    assert_eq!(desk.items().unwrap().len(), before + 1, "the same item, changed");
    let mut free = item;
    free["cost"] = 0.into();
    assert_eq!(desk.put_item(free).unwrap_err().code, "bad_request");

    // Themes: created from the form, a paper ballot by card, results, export, close.
    let day = now().local_day();
    let draft = |options: Vec<Localised>, method| ThemeDraft {
        title: text("図書館の開館時間", "Library hours"),
        question: text("何時まで開いていてほしいですか？", "Until when should it open?"),
        options,
        method,
        eligibility: Eligibility::AllCitizens,
        opens: format!("{} 00:00", iki_core::LocalDay(day.0 - 1)),
        closes: format!("{} 23:59", iki_core::LocalDay(day.0 + 7)),
        results_visible: true,
    };
    let options = vec![text("18時", "6 pm"), text("20時", "8 pm"), text("22時", "10 pm")];
    let one_option = desk.create_theme(draft(vec![text("18時", "6 pm")], VotingMethod::Single)).unwrap_err();
    assert!(!one_option.retryable && !one_option.message.is_empty(), "{one_option:?}");
    let theme = desk.create_theme(draft(options, VotingMethod::Single)).unwrap();
    assert!(desk.themes().unwrap().iter().any(|t| t.id.to_string() == theme));
    desk.paper_ballot(&theme, "iso14443a:04C0FFEE123457", vec![1]).unwrap();
    desk.paper_ballot(&theme, &id, vec![2]).unwrap();
    assert_eq!(desk.paper_ballot(&theme, &id, vec![0, 1]).unwrap_err().retryable, false, "one choice only");
    let results = desk.theme_results(&theme).unwrap();
    assert_eq!((results.votes.clone(), results.ballots), (vec![0, 0, 1], 1), "a new ballot replaces the old");
    assert_eq!(results.by_origin, vec![("staff".to_owned(), 1)]);
    let csv = desk.theme_results_csv(&theme).unwrap();
    assert_eq!(std::fs::read_to_string(&csv.path).unwrap(), "option,option_ja,option_en,votes\n1,18時,6 pm,0\n2,20時,8 pm,0\n3,22時,10 pm,1\n");
    desk.close_theme(&theme).unwrap();
    assert!(desk.theme_results(&theme).unwrap().theme.closes_at <= now());

    // Rides: requested at a kiosk, dispatched at the desk.
    let token = hub.login(STAFF);
    let kiosk = TestKiosk::enrol(&hub, &token, "GNR", "GNR9");
    kiosk.hub_link.set_reachable(true);
    let island = iki_demo_data::island(iki_demo_data::demo_morning());
    let hana = CardUid::parse("felica:0114B3A1C2D3E4F5").unwrap();
    let order = RideOrder { destination: island.stop("Iki Hospital").id, when: RideTime::Now, passengers: 2, needs: Needs::default() };
    let ride = kiosk.services.request_ride(&hana, &order).unwrap().ride;
    kiosk.services.check_in(&hana).unwrap();
    // Three wrong PINs at the kiosk (now, by the hub's clock) pause the new citizen's card.
    desk.adjust_points(&id, 500, "welcome").unwrap();
    kiosk.sync();
    kiosk.clock.set(now());
    let minato = CardUid::parse("iso14443a:04C0FFEE123457").unwrap();
    let shochu = island.item("Iki shōchū, mini bottle").id;
    for _ in 0..3 {
        assert!(kiosk.services.redeem(&minato, shochu, Some("1111")).is_err());
    }
    kiosk.clock.set(iki_demo_data::demo_morning());
    kiosk.services.check_in_guest(Some("KR")).unwrap();
    kiosk.services.check_in_guest(None).unwrap();
    kiosk.sync();
    let board = desk.board(false).unwrap();
    assert_eq!(board.rides.len(), 1);
    assert!(board.stops.iter().any(|s| s.id == board.rides[0].destination));
    let update = RideUpdate { status: RideStatus::Assigned, vehicle: Some("壱岐 500 あ 12-34".into()), driver: Some("松本".into()), eta: None };
    assert_eq!(desk.update_ride(&ride.id.to_string(), &update).unwrap().status, RideStatus::Assigned);
    let back = RideUpdate { status: RideStatus::Requested, ..update };
    assert_eq!(desk.update_ride(&ride.id.to_string(), &back).unwrap_err().retryable, false);

    // Places and kiosks: an enrolment code with its QR, a kiosk stopped.
    let sites = desk.sites().unwrap();
    let gnr = sites.places.iter().find(|p| p.code == "GNR").unwrap();
    let code = desk.enrolment_code(&gnr.id.to_string(), "GNR7").unwrap();
    assert_eq!(code.code.len(), 14, "{}", code.code);
    assert!(code.qr_svg.starts_with("<svg"));
    assert_eq!(desk.enrolment_code(&gnr.id.to_string(), "GNR 7!").unwrap_err().code, "bad_request");
    let gnr9 = sites.kiosks.iter().find(|k| k.kiosk.code == "GNR9").unwrap();
    desk.revoke_kiosk(&gnr9.kiosk.id.to_string()).unwrap();
    assert!(desk.sites().unwrap().kiosks.iter().find(|k| k.kiosk.code == "GNR9").unwrap().revoked);

    // Dashboard, reports and the open-data export (with progress, whole file or none).
    let dash = desk.dashboard(now()).unwrap();
    assert_eq!(dash.progress.target, 500_000);
    assert!(dash.growth.last().is_some_and(|g| g.residents + g.e_citizens == dash.progress.total), "{:?}", dash.growth.last());
    assert_eq!(dash.rides.len(), 1);
    let lockouts: Vec<_> = dash.lockouts.iter().map(|l| (l.nickname.as_str(), l.kiosk)).collect();
    assert_eq!(lockouts, [("みなと2", gnr9.kiosk.id)], "one lockout, on the third wrong PIN");
    let (from, to) = ("2026-11-01", "2026-12-31");
    let reports = desk.reports(from, to).unwrap();
    assert!(!reports.places.is_empty());
    let regions: Vec<_> = reports.regions.iter().map(|r| (r.home_region.as_str(), r.visitor.as_str(), r.visits)).collect();
    assert_eq!(regions, [("JP-42", "resident", 1), ("KR", "guest", 1), ("unknown", "guest", 1)]);
    assert_eq!(reports.visits.iter().map(|v| v.visits).sum::<u64>(), 3);
    assert_eq!(desk.reports("2026-12-31", "2026-11-01").unwrap_err().code, "bad_request");
    assert_eq!(desk.reports("yesterday", to).unwrap_err().code, "bad_date");
    let preview = desk.open_data_preview(from, to).unwrap();
    assert_eq!(preview.header, ["date", "place_code", "place_name", "visitor", "visits"]);
    let mut seen = Vec::new();
    let exported = desk.export_open_data(from, to, &mut |bytes, total| seen.push((bytes, total))).unwrap();
    assert_eq!(seen.last().map(|s| s.0), Some(exported.bytes));
    assert_eq!(std::fs::metadata(&exported.path).unwrap().len(), exported.bytes);
    assert!(!exported.path.with_extension("csv.partial").exists());

    // Coupons, and the audit log for managers only.
    assert_eq!(desk.verify_coupon("IKI-0000-0000").unwrap(), CouponCheck::Unknown);
    assert_eq!(desk.verify_coupon("  ").unwrap_err().code, "missing_code");
    assert_eq!(desk.audit(None).unwrap_err().code, "not_allowed");
    // Places are for managers: a new community hall, then a change to it.
    let hall = serde_json::json!({
        "kind": "community_hall", "code": "YNM", "name": {"ja": "湯ノ本公民館", "en": "Yunomoto Community Hall", "ko": "유노모토 공민관"},
        "location": {"lat": 33.74, "lon": 129.74}, "checkin_points": 10, "pin_threshold": 1000,
    });
    assert_eq!(desk.put_place(hall.clone()).unwrap_err().code, "not_allowed");
    desk.sign_in(MANAGER.0, MANAGER.1).unwrap();
    desk.put_place(hall.clone()).unwrap();
    let added = desk.sites().unwrap().places.into_iter().find(|p| p.code == "YNM").expect("the new hall is listed");
    assert_eq!(added.name.ko.as_deref(), Some("유노모토 공민관"));
    let mut changed = serde_json::to_value(&added).unwrap();
    changed["checkin_points"] = 20.into();
    desk.put_place(changed).unwrap();
    let places = desk.sites().unwrap().places;
    assert_eq!(places.iter().filter(|p| p.code == "YNM").map(|p| p.checkin_points.value()).collect::<Vec<_>>(), [20], "changed, not added twice");
    let mut bad = hall.clone();
    bad["code"] = "ynm 1".into();
    assert_eq!(desk.put_place(bad).unwrap_err().code, "bad_request");
    let mut twice = hall.clone();
    twice["code"] = "ISD".into();
    let taken = desk.put_place(twice).unwrap_err();
    assert_eq!(taken.code, "place_code_taken", "Ishida's hall already has ISD: {taken:?}");
    assert_eq!(desk.put_place(serde_json::json!({"code": "YNM"})).unwrap_err().code, "bad_place");
    let page = desk.audit(None).unwrap();
    assert!(!page.more, "one page holds this test's writes");
    let audit = page.entries;
    assert!(audit.windows(2).all(|w| w[0].id > w[1].id), "newest first");
    assert!(audit.iter().any(|a| a.action == "put_place" && a.staff_name.as_deref() == Some(MANAGER.0)), "the place is audited");
    for action in ["register_citizen", "update_citizen", "issue_card", "revoke_card", "reset_pin", "put_item", "put_theme", "paper_ballot", "update_ride", "create_enrolment_code", "revoke_kiosk"] {
        assert!(audit.iter().any(|a| a.action == action && a.staff_name.as_deref() == Some(STAFF.0)), "{action} audited as ken");
    }

    // An export into a folder that cannot be made says so.
    let blocked = tempfile::NamedTempFile::new().unwrap();
    let nowhere = Desk::new(&hub.url, None, blocked.path().join("sub")).unwrap();
    nowhere.sign_in(STAFF.0, STAFF.1).unwrap();
    assert_eq!(nowhere.export_open_data(from, to, &mut |_, _| {}).unwrap_err().code, "cannot_save");
}
