//! Applying a kiosk's batch exactly once: each event is keyed by (kiosk, sequence) and by
//! its id; a repeat is answered `Duplicate` and changes nothing. Applied events update the
//! hub's projections, and what no kiosk could have known is flagged.

use iki_core::{CitizenId, EVENT_SCHEMA_VERSION, Event, KioskId, Payload, Timestamp, Wallet};
use iki_sync::protocol::{EventResult, Flag, Outcome};
use rusqlite::{OptionalExtension, Transaction, params};

use crate::{err, issue_card, json, upsert_citizen};
use iki_hub_store::Result;

pub(crate) fn batch(tx: &Transaction<'_>, kiosk: KioskId, events: &[Event], now: Timestamp) -> Result<Vec<EventResult>> {
    let results = events.iter().map(|e| Ok(EventResult { seq: e.seq, outcome: one(tx, kiosk, e, now)? })).collect::<Result<Vec<_>>>()?;
    // One wallet report per citizen whose points moved in this batch.
    let mut touched: Vec<CitizenId> = events
        .iter()
        .filter_map(|e| match &e.payload {
            Payload::CheckedIn { citizen, .. } | Payload::ItemRedeemed { citizen, .. } => Some(*citizen),
            _ => None,
        })
        .collect();
    touched.sort();
    touched.dedup();
    for citizen in touched {
        let (wallet, marks) = load_wallet(tx, citizen)?;
        crate::publish(tx, &iki_sync::protocol::Change::Wallet { citizen, wallet, marks })?;
    }
    // And the stock of every item redeemed, so other kiosks stop offering what is gone.
    let mut items: Vec<iki_core::ItemId> =
        events.iter().filter_map(|e| if let Payload::ItemRedeemed { item, .. } = &e.payload { Some(*item) } else { None }).collect();
    items.sort();
    items.dedup();
    for id in items {
        let row: Option<(String, Option<i64>)> = tx
            .query_row("SELECT definition, stock FROM catalogue WHERE id = ?1", [id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
            .map_err(err)?;
        if let Some((definition, stock)) = row {
            let mut item: iki_core::CatalogueItem = crate::from_json(&definition)?;
            item.stock = stock.map_or(iki_core::Stock::Unlimited, |n| iki_core::Stock::Limited(n.max(0) as u32));
            crate::publish(tx, &iki_sync::protocol::Change::Item { item })?;
        }
    }
    Ok(results)
}

type Marks = Vec<(KioskId, u64)>;

pub(crate) fn load_wallet(tx: &Transaction<'_>, citizen: CitizenId) -> Result<(Wallet, Marks)> {
    let row: Option<(String, String)> = tx
        .prepare_cached("SELECT wallet, marks FROM wallets WHERE citizen_id = ?1")
        .and_then(|mut s| s.query_row([citizen.to_string()], |r| Ok((r.get(0)?, r.get(1)?))).optional())
        .map_err(err)?;
    match row {
        Some((w, m)) => Ok((crate::from_json(&w)?, crate::from_json(&m)?)),
        None => Ok((Wallet::default(), Vec::new())),
    }
}

/// Changes a citizen's wallet, for kiosk event `(kiosk, seq)` or (with `None`) for staff;
/// returns what `f` returns.
pub(crate) fn with_wallet<T>(tx: &Transaction<'_>, citizen: CitizenId, event: Option<(KioskId, u64)>, f: impl FnOnce(&mut Wallet) -> T) -> Result<T> {
    let (mut wallet, mut marks) = load_wallet(tx, citizen)?;
    let out = f(&mut wallet);
    if let Some((kiosk, seq)) = event {
        match marks.iter_mut().find(|(k, _)| *k == kiosk) {
            Some((_, m)) => *m = (*m).max(seq),
            None => marks.push((kiosk, seq)),
        }
    }
    let (wallet_json, marks_json) = (json(&wallet)?, json(&marks)?);
    tx.prepare_cached(
        "INSERT INTO wallets (citizen_id, wallet, marks) VALUES (?1, ?2, ?3)
         ON CONFLICT(citizen_id) DO UPDATE SET wallet = excluded.wallet, marks = excluded.marks",
    )
    .and_then(|mut s| s.execute(params![citizen.to_string(), wallet_json, marks_json]))
    .map_err(err)?;
    Ok(out)
}

fn rejected(reason: impl Into<String>) -> Outcome {
    Outcome::Rejected { reason: reason.into() }
}

fn one(tx: &Transaction<'_>, kiosk: KioskId, e: &Event, now: Timestamp) -> Result<Outcome> {
    if e.kiosk != kiosk {
        return Ok(rejected("the event names another kiosk than the one sending it"));
    }
    if e.schema > EVENT_SCHEMA_VERSION {
        return Ok(rejected(format!("event schema {} is newer than this hub understands ({EVENT_SCHEMA_VERSION})", e.schema)));
    }
    // Seen before? The same event again is a harmless retry; anything else is refused.
    let seen: Option<(String, String)> = tx
        .prepare_cached("SELECT id, outcome FROM events WHERE kiosk_id = ?1 AND seq = ?2")
        .and_then(|mut s| s.query_row(params![kiosk.to_string(), e.seq as i64], |r| Ok((r.get(0)?, r.get(1)?))).optional())
        .map_err(err)?;
    if let Some((id, outcome)) = seen {
        return Ok(if id == e.id.to_string() {
            serde_json::from_str::<Outcome>(&outcome).map_or(Outcome::Duplicate, |o| match o {
                Outcome::Rejected { reason } => Outcome::Rejected { reason },
                _ => Outcome::Duplicate,
            })
        } else {
            rejected(format!("sequence number {} was already used by another event", e.seq))
        });
    }
    let id_taken: bool = tx
        .prepare_cached("SELECT 1 FROM events WHERE id = ?1")
        .and_then(|mut s| s.query_row([e.id.to_string()], |_| Ok(())).optional())
        .map_err(err)?
        .is_some();
    if id_taken {
        return Ok(rejected(format!("event id {} was already used", e.id)));
    }
    let outcome = apply(tx, e, now)?;
    let (outcome_json, body) = (json(&outcome)?, json(e)?);
    tx.prepare_cached(
        "INSERT INTO events (kiosk_id, seq, id, kind, device_time, received_at, outcome, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )
    .and_then(|mut s| {
        s.execute(params![
            kiosk.to_string(),
            e.seq as i64,
            e.id.to_string(),
            e.payload.kind(),
            e.device_time.0,
            now.0,
            outcome_json,
            body
        ])
    })
    .map_err(err)?;
    if let Outcome::Flagged { flag } = &outcome {
        tx.execute(
            "INSERT INTO flags (kiosk_id, seq, raised_at, body) VALUES (?1, ?2, ?3, ?4)",
            params![kiosk.to_string(), e.seq as i64, now.0, json(flag)?],
        )
        .map_err(err)?;
    }
    Ok(outcome)
}

/// Updates the hub's projections; returns the outcome to answer.
fn apply(tx: &Transaction<'_>, e: &Event, now: Timestamp) -> Result<Outcome> {
    let mut outcome = Outcome::Accepted;
    let id = e.id.to_string();
    match &e.payload {
        Payload::CitizenRegistered { citizen, kind, nickname, home_region, age_band, card, pin_hash, .. } => {
            let c = iki_core::Citizen {
                id: *citizen,
                kind: *kind,
                nickname: nickname.clone(),
                home_region: home_region.clone(),
                age_band: *age_band,
                registered_at: e.device_time,
            };
            upsert_citizen(tx, &c, pin_hash.as_deref())?;
            if !issue_card(tx, card, *citizen, e.device_time)? {
                outcome = Outcome::Flagged { flag: Flag::CardRegisteredTwice { card: *card } };
            }
        }
        Payload::CheckedIn { citizen, place, day, points, port_arrival, port_bonus, expires_at, .. } => {
            let earned = *points + *port_bonus;
            if earned.is_positive() {
                let lot = iki_core::Lot { earned_at: e.device_time, expires_at: *expires_at, remaining: earned };
                with_wallet(tx, *citizen, Some((e.kiosk, e.seq)), |w| w.earn(lot))?;
            }
            tx.prepare_cached("INSERT INTO visits (event_id, citizen_id, place_id, day, kind) VALUES (?1, ?2, ?3, ?4, 'citizen')")
                .and_then(|mut s| s.execute(params![id, citizen.to_string(), place.to_string(), day.0]))
                .map_err(err)?;
            if *port_arrival {
                let had: Option<i64> = tx
                    .query_row("SELECT port_arrival_at FROM citizens WHERE id = ?1", [citizen.to_string()], |r| r.get(0))
                    .optional()
                    .map_err(err)?
                    .flatten();
                if had.is_some() {
                    if port_bonus.is_positive() {
                        outcome = Outcome::Flagged { flag: Flag::PortBonusTwice { citizen: *citizen } };
                    }
                } else {
                    tx.execute("UPDATE citizens SET port_arrival_at = ?2 WHERE id = ?1", params![citizen.to_string(), e.device_time.0])
                        .map_err(err)?;
                    crate::publish(tx, &iki_sync::protocol::Change::PortArrival { citizen: *citizen, at: e.device_time })?;
                }
            }
        }
        Payload::GuestCheckedIn { place, day, .. } => {
            tx.prepare_cached("INSERT INTO visits (event_id, citizen_id, place_id, day, kind) VALUES (?1, NULL, ?2, ?3, 'guest')")
                .and_then(|mut s| s.execute(params![id, place.to_string(), day.0]))
                .map_err(err)?;
        }
        Payload::ItemRedeemed { citizen, card, item, cost, coupon, .. } => {
            let short = with_wallet(tx, *citizen, Some((e.kiosk, e.seq)), |w| w.spend(*cost, e.device_time))?;
            if short.is_positive() {
                // Kiosks offline at the same time each allowed it; the points were spent,
                // so the books record it, the citizen owes the difference, and staff see it.
                outcome = Outcome::Flagged { flag: Flag::OfflineOverspend { card: *card, short_by: short.0 } };
            }
            tx.execute("UPDATE catalogue SET stock = MAX(stock - 1, 0) WHERE id = ?1 AND stock IS NOT NULL", [item.to_string()]).map_err(err)?;
            tx.execute(
                "INSERT INTO coupons (code, citizen_id, item_id, issued_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT(code) DO NOTHING",
                params![coupon, citizen.to_string(), item.to_string(), e.device_time.0],
            )
            .map_err(err)?;
        }
        Payload::PinRejected { .. } => {}
        Payload::BallotCast { theme, citizen, choices, origin } => {
            let closes_at: Option<i64> = tx
                .query_row("SELECT closes_at FROM themes WHERE id = ?1", [theme.to_string()], |r| r.get(0))
                .optional()
                .map_err(err)?;
            let Some(closes_at) = closes_at else { return Ok(rejected("the theme is not known to the hub")) };
            if e.device_time.0 >= closes_at || now.0 >= closes_at {
                outcome = Outcome::Flagged { flag: Flag::BallotAfterClose };
            }
            // The latest ballot by the kiosk's clock wins, whatever order kiosks sync in.
            tx.execute(
                "INSERT INTO ballots (theme_id, citizen_id, choices, origin, cast_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(theme_id, citizen_id) DO UPDATE SET choices = excluded.choices, origin = excluded.origin,
                   cast_at = excluded.cast_at WHERE excluded.cast_at >= ballots.cast_at",
                params![theme.to_string(), citizen.to_string(), json(choices)?, origin.as_str(), e.device_time.0],
            )
            .map_err(err)?;
        }
        Payload::RideRequested { ride, citizen, pickup_at, .. } => {
            tx.execute(
                "INSERT INTO rides (id, citizen_id, pickup_at, status, definition) VALUES (?1, ?2, ?3, 'requested', ?4) ON CONFLICT(id) DO NOTHING",
                params![ride.to_string(), citizen.to_string(), pickup_at.0, json(&e.payload)?],
            )
            .map_err(err)?;
        }
        Payload::RideCancelled { ride, .. } => {
            tx.execute("UPDATE rides SET status = 'cancelled' WHERE id = ?1 AND status IN ('requested', 'assigned')", [ride.to_string()])
                .map_err(err)?;
        }
    }
    for p in e.payload.postings(e.actor) {
        for (account, amount) in [(p.from, -p.amount.0), (p.to, p.amount.0)] {
            tx.prepare_cached("INSERT INTO ledger (event_id, account, amount, reason) VALUES (?1, ?2, ?3, ?4)")
                .and_then(|mut s| s.execute(params![id, account.to_string(), amount, p.reason.as_str()]))
                .map_err(err)?;
        }
    }
    Ok(outcome)
}
