//! Property tests over random sequences of kiosk actions on a real store: the books
//! balance, no wallet goes below zero, the ledger agrees with the lots and with a replay
//! of the event log, and each citizen keeps at most one ballot per theme.

mod common;

use common::{Kiosk, generous_rules, kiosk_with};
use iki_core::{Account, Books, Needs, Points, RideTime};
use iki_kiosk_services::RideOrder;
use iki_store::StoreError;
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Action {
    CheckIn { who: usize },
    Redeem { who: usize, item: usize },
    Vote { who: usize, theme: usize, picks: Vec<u8> },
    Ride { who: usize, minutes_ahead: u16 },
    CancelLatestRide { who: usize },
    Guest,
    Wait { hours: u16 },
    HubReachable(bool),
}

fn action() -> impl Strategy<Value = Action> {
    // `who` indexes the four demo citizens; items and themes index the demo island's.
    prop_oneof![
        4 => (0usize..4).prop_map(|who| Action::CheckIn { who }),
        4 => (0usize..4, 0usize..7).prop_map(|(who, item)| Action::Redeem { who, item }),
        3 => (0usize..4, 0usize..3, proptest::collection::vec(0u8..5, 0..4)).prop_map(|(who, theme, picks)| Action::Vote { who, theme, picks }),
        2 => (0usize..4, 0u16..600).prop_map(|(who, minutes_ahead)| Action::Ride { who, minutes_ahead }),
        1 => (0usize..4).prop_map(|who| Action::CancelLatestRide { who }),
        1 => Just(Action::Guest),
        2 => (1u16..2000).prop_map(|hours| Action::Wait { hours }),
        1 => any::<bool>().prop_map(Action::HubReachable),
    ]
}

const PINS: [Option<&str>; 4] = [Some("1234"), Some("2468"), None, None];

fn run(k: &Kiosk, a: &Action) {
    let who = |i: usize| &k.island.citizens[i];
    // Refusals are expected and fine; the invariants are checked after every action.
    let _ = match a {
        Action::CheckIn { who: w } => k.services.check_in(&who(*w).cards[0]).map(|_| ()),
        Action::Redeem { who: w, item } => {
            k.services.redeem(&who(*w).cards[0], k.island.items[*item].id, PINS[*w]).map(|_| ())
        }
        Action::Vote { who: w, theme, picks } => {
            k.services.cast_ballot(&who(*w).cards[0], k.island.themes[*theme].id, picks).map(|_| ())
        }
        Action::Ride { who: w, minutes_ahead } => {
            let at = k.services.now().plus_minutes(i64::from(*minutes_ahead / 15 * 15));
            let at = iki_core::Timestamp(at.0 - at.0.rem_euclid(60_000 * 15));
            let order = RideOrder {
                destination: k.island.stops[*minutes_ahead as usize % k.island.stops.len()].id,
                when: if *minutes_ahead < 30 { RideTime::Now } else { RideTime::Slot(at) },
                passengers: 1 + (*minutes_ahead % 9) as u8,
                needs: Needs::default(),
            };
            k.services.request_ride(&who(*w).cards[0], &order).map(|_| ())
        }
        Action::CancelLatestRide { who: w } => {
            let card = who(*w).cards[0];
            match k.services.rides(&card).unwrap().last() {
                Some(r) => k.services.cancel_ride(&card, r.id).map(|_| ()),
                None => Ok(()),
            }
        }
        Action::Guest => k.services.check_in_guest(Some("JP-40")).map(|_| ()),
        Action::Wait { hours } => {
            k.clock.advance_minutes(i64::from(*hours) * 60);
            Ok(())
        }
        Action::HubReachable(r) => {
            k.hub.set_reachable(*r);
            Ok(())
        }
    };
}

struct Snapshot {
    total: Points,
    issuer: Points,
    /// Per demo citizen: (ledger balance, sum of lot remainders, available now, most ballots on one theme).
    citizens: Vec<(Points, Points, Points, u64)>,
}

fn snapshot(k: &Kiosk) -> Snapshot {
    let now = k.services.now();
    k.services
        .store()
        .read(|tx| {
            let mut citizens = Vec::new();
            for d in &k.island.citizens {
                let id = d.citizen.id;
                let lots: Points = tx.lots(id)?.iter().map(|l| l.remaining).sum();
                let mut most_ballots = 0;
                for t in &k.island.themes {
                    most_ballots = most_ballots.max(tx.ballot_count(t.id, id)?);
                }
                citizens.push((tx.ledger_balance(Account::Citizen(id))?, lots, tx.available_points(id, now)?, most_ballots));
            }
            Ok::<_, StoreError>(Snapshot { total: tx.ledger_total()?, issuer: tx.ledger_balance(Account::Issuer)?, citizens })
        })
        .unwrap()
}

fn check_invariants(k: &Kiosk) -> Result<(), TestCaseError> {
    let events = k.services.store().outbox_batch(0, 1 << 20).unwrap();
    let mut books = Books::default();
    for e in &events {
        for p in e.payload.postings(e.actor) {
            books.post(&p);
        }
    }
    let s = snapshot(k);
    prop_assert_eq!(s.total, Points::ZERO, "the books balance");
    prop_assert_eq!(s.issuer, books.balance(Account::Issuer), "issuer agrees with a replay of the log");
    for (d, (ledger, lots, available, ballots)) in k.island.citizens.iter().zip(s.citizens) {
        let name = d.citizen.nickname.as_str();
        prop_assert_eq!(ledger, lots, "ledger agrees with the lots of {}", name);
        prop_assert_eq!(ledger, books.balance(Account::Citizen(d.citizen.id)), "ledger agrees with a replay for {}", name);
        prop_assert!(available >= Points::ZERO && available <= lots);
        prop_assert!(ballots <= 1, "one ballot per citizen per theme");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn invariants_hold_after_any_sequence_of_actions(actions in proptest::collection::vec(action(), 1..40)) {
        let k = kiosk_with("GNR1", generous_rules());
        for a in &actions {
            run(&k, a);
            check_invariants(&k)?;
        }
    }
}
