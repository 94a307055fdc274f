//! The staff desk against a real hub, with kiosks: citizens and cards registered at the
//! desk reach kiosks, points adjusted with a reason, PINs reset, coupons checked once,
//! rides dispatched and seen at the next tap, reports and the open-data export, kiosk health.

use iki_core::{CardUid, Needs, Points, RideStatus, RideTime};
use iki_kiosk_services::RideOrder;
use iki_sync::protocol::{DeviceReport, KioskHealth};
use iki_system_tests::rig::{STAFF, TestHub, TestKiosk, http, real_now};
use serde_json::{Value, json};

fn post(hub: &TestHub, token: &str, path: &str, body: Value) -> reqwest::blocking::Response {
    http().post(format!("{}{path}", hub.url)).bearer_auth(token).json(&body).send().unwrap()
}

fn get(hub: &TestHub, token: &str, path: &str) -> reqwest::blocking::Response {
    http().get(format!("{}{path}", hub.url)).bearer_auth(token).send().unwrap()
}

#[test]
fn desk_work_reaches_the_kiosks() {
    let hub = TestHub::start();
    let token = hub.login(STAFF);
    let kiosk = TestKiosk::enrol(&hub, &token, "GNR", "GNR1X");
    kiosk.hub_link.set_reachable(true);

    // A resident registered at the desk with a card tapped on the staff reader.
    let card = CardUid::parse("felica:0114DE5C00000001").unwrap();
    let r = post(&hub, &token, "/v1/staff/citizens", json!({"kind": "resident", "nickname": "とし子", "home_region": "JP-42", "age_band": "70_plus", "card": card}));
    assert_eq!(r.status(), 200);
    let citizen = r.json::<Value>().unwrap()["citizen"].as_str().unwrap().to_owned();
    let bad = post(&hub, &token, "/v1/staff/citizens", json!({"kind": "resident", "nickname": "", "home_region": "JP-42", "age_band": "70_plus"}));
    assert_eq!(bad.status(), 422);
    assert!(bad.json::<Value>().unwrap()["message"].as_str().unwrap().contains("nickname"));

    // A correction: the nickname she prefers.
    assert_eq!(post(&hub, &token, &format!("/v1/staff/citizens/{citizen}"), json!({"nickname": "とし"})).status(), 204);
    assert_eq!(post(&hub, &token, &format!("/v1/staff/citizens/{citizen}"), json!({"home_region": "Nagasaki"})).status(), 422);

    // Points with a reason (and none without), a PIN.
    let no_reason = post(&hub, &token, &format!("/v1/staff/citizens/{citizen}/points"), json!({"amount": 1000, "reason": " "}));
    assert_eq!(no_reason.status(), 400);
    let adjusted = post(&hub, &token, &format!("/v1/staff/citizens/{citizen}/points"), json!({"amount": 1000, "reason": "community clean-up volunteer"}));
    assert_eq!(adjusted.json::<Value>().unwrap()["balance"], 1000);
    assert_eq!(post(&hub, &token, &format!("/v1/staff/citizens/{citizen}/pin"), json!({"pin": "12"})).status(), 422);
    assert_eq!(post(&hub, &token, &format!("/v1/staff/citizens/{citizen}/pin"), json!({"pin": "7391"})).status(), 204);

    kiosk.sync();
    assert_eq!(kiosk.services.summary(&card).unwrap().balance, Points(1_000), "the kiosk sees the desk's points");
    assert_eq!(kiosk.services.identify(&card).unwrap().nickname, "とし", "and the corrected nickname");
    let island = iki_demo_data::island(iki_demo_data::demo_morning());
    let coupon = kiosk.services.redeem(&card, island.item("Iki shōchū, mini bottle").id, Some("7391")).unwrap().coupon_code;
    kiosk.sync();

    // A merchant calls: the coupon is valid once.
    let first = post(&hub, &token, "/v1/staff/coupons/verify", json!({"code": coupon})).json::<Value>().unwrap();
    assert_eq!(first["coupon"], "valid");
    assert_eq!(first["item"], "壱岐焼酎 ミニボトル");
    assert_eq!(post(&hub, &token, "/v1/staff/coupons/verify", json!({"code": coupon})).json::<Value>().unwrap()["coupon"], "already_used");
    assert_eq!(post(&hub, &token, "/v1/staff/coupons/verify", json!({"code": "IKI-0000-0000"})).json::<Value>().unwrap()["coupon"], "unknown");

    // A ride: requested at the kiosk, dispatched at the desk, seen at the next tap.
    let order = RideOrder { destination: island.stop("Iki Hospital").id, when: RideTime::Now, passengers: 1, needs: Needs { wheelchair: true, assistance: false } };
    let ride = kiosk.services.request_ride(&card, &order).unwrap().ride;
    kiosk.sync();
    let board: Vec<Value> = get(&hub, &token, "/v1/staff/rides").json().unwrap();
    assert_eq!(board.len(), 1);
    assert_eq!(board[0]["number"], ride.number);
    let eta = iki_demo_data::demo_morning().plus_minutes(20).0;
    let assigned = post(&hub, &token, &format!("/v1/staff/rides/{}", ride.id), json!({"status": "assigned", "vehicle": "壱岐 500 あ 12-34", "driver": "松本", "eta": eta}));
    assert_eq!(assigned.status(), 200);
    let wrong = post(&hub, &token, &format!("/v1/staff/rides/{}", ride.id), json!({"status": "requested"}));
    assert_eq!(wrong.status(), 409);
    kiosk.sync();
    let seen = &kiosk.services.summary(&card).unwrap().rides[0];
    assert_eq!((seen.status, seen.vehicle.as_deref()), (RideStatus::Assigned, Some("壱岐 500 あ 12-34")));
    assert_eq!(seen.eta.map(|t| t.0), Some(eta));
    assert_eq!(post(&hub, &token, &format!("/v1/staff/rides/{}", ride.id), json!({"status": "no_show"})).status(), 200);
    kiosk.sync();
    assert!(kiosk.services.summary(&card).unwrap().rides.is_empty(), "a no-show is no longer ahead of the rider");

    // Reports and open data.
    for _ in 0..6 {
        kiosk.services.check_in_guest(Some("KR")).unwrap();
    }
    kiosk.services.check_in(&card).unwrap();
    kiosk.sync();
    let visits: Vec<Value> = get(&hub, &token, "/v1/staff/reports/visits?from=2026-12-01&to=2026-12-31").json().unwrap();
    assert!(visits.iter().any(|v| v["visitor"] == "guest" && v["visits"] == 6), "{visits:?}");
    let csv = get(&hub, &token, "/v1/staff/open-data/visits.csv?from=2026-12-01&to=2026-12-31").text().unwrap();
    assert!(csv.starts_with("date,place_code,place_name,visitor,visits\n"));
    assert!(csv.contains("2026-12-04,GNR,Gōnoura Port,guest,6"), "{csv}");
    assert!(csv.contains("2026-12-04,GNR,Gōnoura Port,resident,<5"), "a single resident is not published: {csv}");
    assert!(!csv.contains("とし") && !csv.contains(&citizen), "no personal data");
    assert_eq!(get(&hub, &token, "/v1/staff/open-data/visits.csv?from=2026-12-31&to=2026-12-01").status(), 400);
    let progress: Value = get(&hub, &token, "/v1/staff/reports/progress").json().unwrap();
    assert_eq!(progress["target"], 500_000);
    assert_eq!(progress["residents"], 3, "Hana, Ken and Toshiko");

    // Kiosk health, as the staff's kiosk list shows it.
    let report = KioskHealth {
        devices: vec![DeviceReport { device: "pn532_uart:/dev/ttyUSB0".into(), health: "ok".into(), reason: None }],
        outbox: 0,
        rejected: 0,
        clock_skew_ms: Some(120),
        reported_at: iki_demo_data::demo_morning(),
    };
    kiosk.client.report_health(&report).unwrap();
    let kiosks: Vec<Value> = get(&hub, &token, "/v1/staff/kiosks").json().unwrap();
    let me = kiosks.iter().find(|k| k["kiosk"]["code"] == "GNR1X").unwrap();
    assert_eq!(me["health"]["devices"][0]["device"], "pn532_uart:/dev/ttyUSB0");
    assert!(me["last_seen_at"].is_number());

    // Every write above is in the audit log.
    let manager = hub.login(iki_system_tests::rig::MANAGER);
    let audit: Vec<Value> = get(&hub, &manager, "/v1/staff/audit").json().unwrap();
    let actions: Vec<&str> = audit.iter().filter_map(|e| e["action"].as_str()).collect();
    for action in ["register_citizen", "update_citizen", "adjust_points", "reset_pin", "redeem_coupon", "update_ride"] {
        assert!(actions.contains(&action), "{action} missing from {actions:?}");
    }
    let adjustment = audit.iter().find(|e| e["action"] == "adjust_points").unwrap();
    assert_eq!((adjustment["before"].as_str(), adjustment["after"].as_str()), (Some("0 pt"), Some("1,000 pt")));
    assert!(!audit.iter().any(|e| e.to_string().contains("7391")), "the PIN is never logged");
    // Paged, newest first, three at a time: the pages are the whole log, each entry once.
    let (mut seen, mut before) = (Vec::<u64>::new(), None::<u64>);
    loop {
        let path = before.map_or("/v1/staff/audit?limit=3".to_owned(), |b| format!("/v1/staff/audit?limit=3&before={b}"));
        let page: Vec<Value> = get(&hub, &manager, &path).json().unwrap();
        let ids: Vec<u64> = page.iter().map(|e| e["id"].as_u64().unwrap()).collect();
        assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");
        seen.extend(&ids);
        if ids.len() < 3 {
            break;
        }
        before = ids.last().copied();
    }
    let oldest_first: Vec<u64> = audit.iter().map(|e| e["id"].as_u64().unwrap()).collect();
    assert_eq!(seen.iter().rev().copied().collect::<Vec<_>>(), oldest_first);
}

#[test]
fn catalogue_themes_paper_ballots_and_engagement() {
    let hub = TestHub::start();
    let token = hub.login(STAFF);
    let kiosk = TestKiosk::enrol(&hub, &token, "KTM", "KTM1X");
    let island = iki_demo_data::island(iki_demo_data::demo_morning());

    // A new catalogue item reaches the kiosk.
    let mut item = island.item("Iki beef croquette").clone();
    item.id = iki_core::ItemId::new(&mut iki_core::SeededIds::new(77, 0));
    item.name = iki_core::Localised::new("壱岐ゆず", "Iki yuzu");
    assert_eq!(post(&hub, &token, "/v1/staff/catalogue", serde_json::to_value(&item).unwrap()).status(), 204);
    let mut free = item.clone();
    free.cost = Points(0);
    assert_eq!(post(&hub, &token, "/v1/staff/catalogue", serde_json::to_value(&free).unwrap()).status(), 400);
    kiosk.sync();
    assert!(kiosk.services.catalogue().unwrap().iter().any(|i| i.name.en == "Iki yuzu"));

    // A new theme: refused when it makes no sense, then created, voted on at the kiosk and on paper.
    let mut theme = island.themes[0].clone();
    theme.id = iki_core::ThemeId::new(&mut iki_core::SeededIds::new(78, 0));
    theme.title = iki_core::Localised::new("公民館の開館時間", "Community hall hours");
    theme.options.truncate(1);
    assert_eq!(post(&hub, &token, "/v1/staff/themes", serde_json::to_value(&theme).unwrap()).status(), 422);
    theme.options = island.themes[0].options.clone();
    theme.opens_at = iki_core::Timestamp(0);
    theme.closes_at = real_now().plus_days(365);
    assert_eq!(post(&hub, &token, "/v1/staff/themes", serde_json::to_value(&theme).unwrap()).status(), 204);
    kiosk.sync();
    let hana = island.citizen("ハナ");
    kiosk.services.cast_ballot(&hana.cards[0], theme.id, &[2]).unwrap();
    kiosk.sync();
    let paper = |citizen: iki_core::CitizenId, choices: Vec<u8>| {
        post(&hub, &token, &format!("/v1/staff/themes/{}/ballots", theme.id), json!({"citizen": citizen, "choices": choices})).status()
    };
    assert_eq!(paper(island.citizen("健").citizen.id, vec![2]), 204);
    assert_eq!(paper(island.citizen("さくら").citizen.id, vec![0, 1]), 422, "single choice");
    let results: Value = get(&hub, &token, &format!("/v1/staff/themes/{}/results", theme.id)).json().unwrap();
    assert_eq!(results["votes"], json!([0, 0, 2, 0]));
    assert_eq!(results["by_origin"], json!([["kiosk", 1], ["staff", 1]]));
    assert_eq!(post(&hub, &token, &format!("/v1/staff/themes/{}/close", theme.id), json!({})).status(), 204);
    assert_eq!(paper(island.citizen("さくら").citizen.id, vec![1]), 422, "closed");
    kiosk.sync();
    // The hub closed it by its own (real) clock; the kiosk's clock follows the real time here.
    kiosk.clock.set(real_now().plus_minutes(1));
    assert!(kiosk.services.open_themes(&hana.cards[0]).unwrap().iter().all(|t| t.id != theme.id), "closed at the kiosk too");
    kiosk.clock.set(iki_demo_data::demo_morning());

    // A manager changes the hall's check-in points; the kiosk uses them from its next pull.
    let manager = hub.login(iki_system_tests::rig::MANAGER);
    let mut hall = island.place("KTM").clone();
    hall.checkin_points = Points(25);
    assert_eq!(post(&hub, &token, "/v1/staff/places", serde_json::to_value(&hall).unwrap()).status(), 403, "managers only");
    assert_eq!(post(&hub, &manager, "/v1/staff/places", serde_json::to_value(&hall).unwrap()).status(), 204);
    let places: Vec<Value> = get(&hub, &token, "/v1/staff/places").json().unwrap();
    assert!(places.iter().any(|p| p["code"] == "KTM" && p["checkin_points"] == 25));
    kiosk.sync();

    kiosk.services.check_in(&hana.cards[0]).unwrap();
    kiosk.sync();
    let engagement: Value = get(&hub, &token, "/v1/staff/reports/engagement").json().unwrap();
    assert_eq!(engagement["visiting_citizens"], 1);
    assert_eq!(engagement["ballots"], 2);
    assert_eq!(engagement["voting_citizens"], 2);
    assert_eq!(engagement["points_earned"], 25);
}
