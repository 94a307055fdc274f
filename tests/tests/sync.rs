//! Kiosks and a real hub on a loopback port: registration at one kiosk reaches the other,
//! revocation reaches every kiosk, a repeated push changes nothing, and every route refuses
//! callers it should.

use iki_core::{AgeBand, CardUid, Points, RuleError};
use iki_kiosk_services::Registration;
use iki_sync::protocol::{Outcome, PushRequest, PushResponse};
use iki_system_tests::rig::{MANAGER, STAFF, TestHub, TestKiosk, http};
use serde_json::json;

fn registration(nickname: &str) -> Registration {
    Registration { nickname: nickname.into(), home_region: "JP-40".into(), age_band: AgeBand::Forties, consent: true, pin: None }
}

#[test]
fn a_citizen_registered_at_one_kiosk_is_known_at_another() {
    let hub = TestHub::start();
    let token = hub.login(STAFF);
    let gonoura = TestKiosk::enrol(&hub, &token, "GNR", "GNR9");
    let ashibe = TestKiosk::enrol(&hub, &token, "ASB", "ASB9");
    let card = CardUid::parse("iso14443a:04ABCDEF123456").unwrap();

    let reg = gonoura.services.register_e_citizen(&card, &registration("ゆうき")).unwrap();
    gonoura.services.check_in(&card).unwrap();
    assert_eq!(
        ashibe.services.check_in(&card).unwrap_err().rule(),
        Some(&RuleError::UnknownCard),
        "not synced yet"
    );
    gonoura.sync();
    ashibe.sync();
    assert_eq!(ashibe.services.identify(&card).unwrap().citizen, reg.greeting.citizen);
    ashibe.services.check_in(&card).unwrap();
    ashibe.sync();

    use iki_hub_store::HubStore;
    assert_eq!(hub.store.event_count().unwrap(), 3, "registration and two check-ins, each once");
    assert_eq!(hub.store.ledger_total().unwrap(), Points::ZERO, "the hub's books balance");
    // 10 + the first-arrival bonus at Gōnoura, then 10 at Ashibe: the bonus once, because
    // Ashibe heard of the arrival when it pulled.
    assert_eq!(hub.store.balance(reg.greeting.citizen).unwrap(), Points(520));
    assert!(hub.store.flags().unwrap().is_empty());
    assert_eq!(gonoura.services.store().read(|tx| tx.outbox_len()).unwrap(), 0);
}

#[test]
fn a_revoked_card_is_refused_at_every_kiosk() {
    let hub = TestHub::start();
    let token = hub.login(STAFF);
    let kiosks = [TestKiosk::enrol(&hub, &token, "GNR", "GNR8"), TestKiosk::enrol(&hub, &token, "IDJ", "IDJ8")];
    let island = iki_demo_data::island(iki_demo_data::demo_morning());
    let sakura = island.citizen("さくら").cards[0];
    for k in &kiosks {
        k.services.check_in(&sakura).unwrap();
    }
    let r = http().post(format!("{}/v1/staff/cards/{sakura}/revoke", hub.url)).bearer_auth(&token).send().unwrap();
    assert_eq!(r.status(), 204);
    for k in &kiosks {
        k.sync();
        assert_eq!(k.services.summary(&sakura).unwrap_err().rule(), Some(&RuleError::CardRevoked));
    }
    // Ken's old card was stopped before the kiosks were enrolled: they learnt it on their first pull.
    let old = island.citizen("健").revoked[0].0;
    assert_eq!(kiosks[0].services.check_in(&old).unwrap_err().rule(), Some(&RuleError::CardRevoked));
}

#[test]
fn pushing_the_same_batch_again_changes_nothing() {
    let hub = TestHub::start();
    let token = hub.login(STAFF);
    let kiosk = TestKiosk::enrol(&hub, &token, "GNR", "GNR7");
    let island = iki_demo_data::island(iki_demo_data::demo_morning());
    kiosk.services.check_in(&island.citizen("ハナ").cards[0]).unwrap();
    kiosk.services.check_in_guest(Some("KR")).unwrap();
    let events = kiosk.services.store().outbox_batch(0, 100).unwrap();
    let credential = kiosk.services.store().read(|tx| tx.sync_value("credential")).unwrap().unwrap();
    let push = || -> PushResponse {
        http()
            .post(format!("{}/v1/sync/push", hub.url))
            .bearer_auth(&credential)
            .json(&PushRequest { events: events.clone() })
            .send()
            .unwrap()
            .json()
            .unwrap()
    };
    let first = push();
    assert!(first.results.iter().all(|r| r.outcome == Outcome::Accepted), "{first:?}");
    let again = push();
    assert!(again.results.iter().all(|r| r.outcome == Outcome::Duplicate), "{again:?}");
    use iki_hub_store::HubStore;
    assert_eq!(hub.store.event_count().unwrap(), 2);
    assert_eq!(hub.store.ledger_total().unwrap(), Points::ZERO);
    // A different event under a used sequence number is refused, never applied.
    let mut forged = events[0].clone();
    forged.id = iki_core::EventId::new(&mut iki_core::SeededIds::new(9, 0));
    let r: PushResponse = http()
        .post(format!("{}/v1/sync/push", hub.url))
        .bearer_auth(&credential)
        .json(&PushRequest { events: vec![forged] })
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert!(matches!(&r.results[0].outcome, Outcome::Rejected { reason } if reason.contains("already used")));
    assert_eq!(hub.store.event_count().unwrap(), 2);
}

#[test]
fn routes_refuse_the_wrong_callers_and_staff_writes_are_audited() {
    let hub = TestHub::start();
    let staff_token = hub.login(STAFF);
    let kiosk = TestKiosk::enrol(&hub, &staff_token, "GNR", "GNR6");
    let credential = kiosk.services.store().read(|tx| tx.sync_value("credential")).unwrap().unwrap();
    // Every staff route in the hub's route table (all but sign-in itself).
    let staff_routes: Vec<(&str, String)> = iki_hub::route_table()
        .into_iter()
        .filter(|(_, p)| p.starts_with("/v1/staff/") && *p != "/v1/staff/login")
        .map(|(m, p)| {
            let path = p
                .replace("{kiosk}", "0192f3c4-0000-7000-8000-000000000000")
                .replace("{citizen}", "0192f3c4-0000-7000-8000-000000000001")
                .replace("{ride}", "0192f3c4-0000-7000-8000-000000000002")
                .replace("{theme}", "0192f3c4-0000-7000-8000-000000000003")
                .replace("{card}", "felica:0114B3A1C2D3E4F5");
            (m, path)
        })
        .collect();
    assert!(staff_routes.len() > 20);
    for (method, path) in &staff_routes {
        for token in [None, Some("not-a-session"), Some(credential.as_str())] {
            let mut req = http().request(method.parse().unwrap(), format!("{}{path}", hub.url)).json(&json!({}));
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            assert_eq!(req.send().unwrap().status(), 401, "{method} {path} with {token:?}");
        }
    }
    for path in ["/v1/sync/pull", "/v1/sync/push"] {
        let r = http().post(format!("{}{path}", hub.url)).bearer_auth(&staff_token).json(&json!({"events": []})).send().unwrap();
        assert!(matches!(r.status().as_u16(), 401 | 405), "{path} with a staff token: {}", r.status());
    }
    assert_eq!(http().get(format!("{}/v1/staff/audit", hub.url)).bearer_auth(&staff_token).send().unwrap().status(), 403, "managers only");
    let doc: serde_json::Value = http().get(format!("{}/v1/openapi.json", hub.url)).send().unwrap().json().unwrap();
    assert_eq!(doc["info"]["title"], "Iki Circle hub", "the hub serves its OpenAPI document");

    // A revoked kiosk is refused on its next request.
    let manager = hub.login(MANAGER);
    let kiosk_id = kiosk.services.store().read(|tx| tx.identity()).unwrap().kiosk.id;
    assert_eq!(http().post(format!("{}/v1/staff/kiosks/{kiosk_id}/revoke", hub.url)).bearer_auth(&manager).send().unwrap().status(), 204);
    let refused = kiosk.client.pull(&mut kiosk.services.store(), |_, _| {}).unwrap_err();
    assert!(!refused.is_retryable() && refused.to_string().contains("revoked"), "{refused}");

    // Wrong passwords are rate limited.
    let attempt = |password: &str| {
        http().post(format!("{}/v1/staff/login", hub.url)).json(&json!({"username": STAFF.0, "password": password})).send().unwrap().status()
    };
    for _ in 0..5 {
        assert_eq!(attempt("wrong"), 401);
    }
    assert_eq!(attempt("wrong"), 429);
    assert_eq!(attempt(STAFF.1), 429, "even the right password waits");

    // Every staff write left an audit entry.
    let audit: Vec<serde_json::Value> = http().get(format!("{}/v1/staff/audit", hub.url)).bearer_auth(&manager).send().unwrap().json().unwrap();
    let actions: Vec<&str> = audit.iter().filter_map(|e| e["action"].as_str()).collect();
    assert!(actions.contains(&"create_enrolment_code") && actions.contains(&"revoke_kiosk"), "{actions:?}");
}

#[test]
fn a_second_welcome_bonus_given_offline_is_flagged() {
    let hub = TestHub::start();
    let token = hub.login(STAFF);
    let gonoura = TestKiosk::enrol(&hub, &token, "GNR", "GNR5");
    let ashibe = TestKiosk::enrol(&hub, &token, "ASB", "ASB5");
    let card = CardUid::parse("iso14443a:04ABCDEF654321").unwrap();
    gonoura.services.register_e_citizen(&card, &registration("まさき")).unwrap();
    gonoura.sync();
    ashibe.sync();
    // Both ports are offline when the newcomer arrives at each: both give the bonus.
    assert_eq!(gonoura.services.check_in(&card).unwrap().recorded.unwrap().port_bonus, Points(500));
    assert_eq!(ashibe.services.check_in(&card).unwrap().recorded.unwrap().port_bonus, Points(500));
    gonoura.sync();
    ashibe.sync();
    use iki_hub_store::HubStore;
    let flags = hub.store.flags().unwrap();
    assert_eq!(flags.len(), 1, "{flags:?}");
    assert!(matches!(flags[0].flag, iki_sync::protocol::Flag::PortBonusTwice { .. }));
    assert_eq!(hub.store.ledger_total().unwrap(), Points::ZERO);
    // Staff see it through the API.
    let listed: Vec<serde_json::Value> = http().get(format!("{}/v1/staff/flags", hub.url)).bearer_auth(&token).send().unwrap().json().unwrap();
    assert_eq!(listed[0]["flag"], "port_bonus_twice");
}

#[test]
fn points_earned_at_one_kiosk_can_be_spent_at_another() {
    let hub = TestHub::start();
    let token = hub.login(STAFF);
    let gonoura = TestKiosk::enrol(&hub, &token, "GNR", "GNR3");
    let ashibe = TestKiosk::enrol(&hub, &token, "ASB", "ASB3");
    gonoura.hub_link.set_reachable(true);
    ashibe.hub_link.set_reachable(true);
    let island = iki_demo_data::island(iki_demo_data::demo_morning());
    let sakura = island.citizen("さくら").cards[0];
    assert_eq!(gonoura.services.check_in(&sakura).unwrap().balance, Points(510));
    gonoura.sync();
    ashibe.sync();
    assert_eq!(ashibe.services.summary(&sakura).unwrap().balance, Points(510), "Ashibe sees Gōnoura's points");
    let shochu = island.item("Iki shōchū, mini bottle").id;
    assert_eq!(ashibe.services.redeem(&sakura, shochu, Some("2468")).unwrap().balance_after, Points(10));
    ashibe.sync();
    gonoura.sync();
    assert_eq!(gonoura.services.summary(&sakura).unwrap().balance, Points(10), "and Gōnoura sees the spend");
    let stock = |k: &TestKiosk| k.services.catalogue().unwrap().into_iter().find(|i| i.id == shochu).unwrap().stock;
    assert_eq!(stock(&gonoura), Some(39), "stock taken at Ashibe is gone at Gōnoura too");
    use iki_hub_store::HubStore;
    assert!(hub.store.flags().unwrap().is_empty());
    assert_eq!(hub.store.ledger_total().unwrap(), Points::ZERO);
}

#[test]
fn two_kiosks_offline_with_the_same_card_overspend_within_the_allowance_and_are_flagged() {
    let hub = TestHub::start();
    let token = hub.login(STAFF);
    let gonoura = TestKiosk::enrol(&hub, &token, "GNR", "GNR2");
    let ashibe = TestKiosk::enrol(&hub, &token, "ASB", "ASB2");
    let island = iki_demo_data::island(iki_demo_data::demo_morning());
    let sakura = island.citizen("さくら").cards[0];
    gonoura.services.check_in(&sakura).unwrap(); // 510 points
    gonoura.sync();
    ashibe.sync();
    // The island's link goes down. Each kiosk lets the card spend within its offline allowance.
    let shochu = island.item("Iki shōchū, mini bottle").id; // 500
    gonoura.services.redeem(&sakura, shochu, Some("2468")).unwrap();
    ashibe.services.redeem(&sakura, shochu, Some("2468")).unwrap();
    let third = ashibe.services.redeem(&sakura, shochu, Some("2468")).unwrap_err();
    assert!(matches!(third.rule(), Some(RuleError::InsufficientPoints { .. })), "{third}");
    // The link comes back: the hub applies both, books the debt and flags it.
    gonoura.sync();
    ashibe.sync();
    gonoura.sync();
    use iki_hub_store::HubStore;
    let flags = hub.store.flags().unwrap();
    assert_eq!(flags.len(), 1, "{flags:?}");
    match &flags[0].flag {
        iki_sync::protocol::Flag::OfflineOverspend { card, short_by } => {
            assert_eq!(*card, sakura);
            assert_eq!(*short_by, 490, "510 earned, 1,000 spent");
        }
        other => panic!("unexpected flag {other:?}"),
    }
    assert_eq!(hub.store.ledger_total().unwrap(), Points::ZERO, "the books still balance");
    for k in [&gonoura, &ashibe] {
        assert_eq!(k.services.summary(&sakura).unwrap().balance, Points(-490), "every kiosk sees the debt");
        let err = k.services.redeem(&sakura, island.item("Iki beef croquette").id, None).unwrap_err();
        assert!(matches!(err.rule(), Some(RuleError::InsufficientPoints { .. })));
    }
    // The next check-in pays the debt back first.
    gonoura.clock.advance_minutes(24 * 60);
    assert_eq!(gonoura.services.check_in(&sakura).unwrap().balance, Points(-480));
}
