//! Projections: how each event changes the ledger, lots, visits, ballots, rides, coupons
//! and PIN failures, and the reads the kiosk services make of them.

use iki_core::{
    Account, Ballot, BallotOrigin, CitizenId, Choices, Event, LocalDay, Lot, Needs, Passengers, Payload, PlaceId,
    Points, RideId, RideStatus, StopId, ThemeId, Timestamp, Wallet,
};
use rusqlite::{OptionalExtension, params};

use crate::codec::{from_json, parse, to_json, ts};
use crate::{Result, StoreError, Tx};

/// A ride as the kiosk knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RideRecord {
    pub id: RideId,
    pub number: String,
    pub citizen: CitizenId,
    pub pickup: PlaceId,
    pub destination: StopId,
    pub pickup_at: Timestamp,
    pub asap: bool,
    pub passengers: Passengers,
    pub needs: Needs,
    pub status: RideStatus,
    /// Set by dispatch: the vehicle coming, and when it is expected.
    pub vehicle: Option<String>,
    pub eta: Option<Timestamp>,
}

const RIDE_COLUMNS: &str =
    "id, number, citizen_id, pickup_place, destination, pickup_at, asap, passengers, wheelchair, assistance, status, vehicle, eta";

/// A `rides` row as SQLite holds it, before the core types check it.
struct RideRow {
    id: String,
    number: String,
    citizen: String,
    pickup: String,
    destination: String,
    pickup_at: i64,
    asap: bool,
    passengers: u8,
    wheelchair: bool,
    assistance: bool,
    status: String,
    vehicle: Option<String>,
    eta: Option<i64>,
}

fn ride_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RideRow> {
    Ok(RideRow {
        id: r.get(0)?,
        number: r.get(1)?,
        citizen: r.get(2)?,
        pickup: r.get(3)?,
        destination: r.get(4)?,
        pickup_at: r.get(5)?,
        asap: r.get(6)?,
        passengers: r.get(7)?,
        wheelchair: r.get(8)?,
        assistance: r.get(9)?,
        status: r.get(10)?,
        vehicle: r.get(11)?,
        eta: r.get(12)?,
    })
}

fn ride_record(row: RideRow) -> Result<RideRecord> {
    Ok(RideRecord {
        id: parse(&row.id, "ride id")?,
        number: row.number,
        citizen: parse(&row.citizen, "citizen id")?,
        pickup: parse(&row.pickup, "place id")?,
        destination: parse(&row.destination, "stop id")?,
        pickup_at: ts(row.pickup_at),
        asap: row.asap,
        passengers: Passengers::new(row.passengers).map_err(|_| StoreError::Corrupt("ride passengers".into()))?,
        needs: Needs { wheelchair: row.wheelchair, assistance: row.assistance },
        status: RideStatus::parse(&row.status).ok_or_else(|| StoreError::Corrupt(format!("ride status {}", row.status)))?,
        vehicle: row.vehicle,
        eta: row.eta.map(ts),
    })
}

impl Tx<'_> {
    /// Applies one event to every projection it touches.
    pub(crate) fn project(&mut self, e: &Event) -> Result<()> {
        let seq = e.seq as i64;
        let at = e.device_time;
        for posting in e.payload.postings(e.actor) {
            for (account, amount) in [(posting.from, -posting.amount.0), (posting.to, posting.amount.0)] {
                self.tx
                    .prepare_cached("INSERT INTO ledger (event_seq, account, amount, reason, author) VALUES (?1, ?2, ?3, ?4, ?5)")?
                    .execute(params![seq, account.to_string(), amount, posting.reason.as_str(), to_json(&posting.author)?])?;
            }
        }
        match &e.payload {
            Payload::CitizenRegistered { citizen, kind, nickname, home_region, age_band, card, pin_hash, .. } => {
                let c = iki_core::Citizen {
                    id: *citizen,
                    kind: *kind,
                    nickname: nickname.clone(),
                    home_region: home_region.clone(),
                    age_band: *age_band,
                    registered_at: at,
                };
                self.put_citizen(&c, pin_hash.as_deref())?;
                self.issue_card(card, *citizen, at)?;
            }
            Payload::CheckedIn { citizen, place, day, points, port_arrival, port_bonus, expires_at, .. } => {
                self.tx
                    .prepare_cached("INSERT INTO visits (citizen_id, place_id, day, event_seq) VALUES (?1, ?2, ?3, ?4)")?
                    .execute(params![citizen.to_string(), place.to_string(), day.0, seq])?;
                let earned = *points + *port_bonus;
                if earned.is_positive() {
                    self.tx
                        .prepare_cached(
                            "INSERT INTO lots (citizen_id, event_seq, earned_at, expires_at, amount, remaining)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                        )?
                        .execute(params![citizen.to_string(), seq, at.0, expires_at.0, earned.0])?;
                }
                if *port_arrival {
                    self.tx.execute(
                        "UPDATE citizens SET port_arrival_at = COALESCE(port_arrival_at, ?2) WHERE id = ?1",
                        params![citizen.to_string(), at.0],
                    )?;
                }
            }
            Payload::GuestCheckedIn { place, day, home_region } => {
                self.tx.execute(
                    "INSERT INTO guest_visits (event_seq, place_id, day, home_region) VALUES (?1, ?2, ?3, ?4)",
                    params![seq, place.to_string(), day.0, home_region.as_ref().map(|r| r.as_str())],
                )?;
            }
            Payload::ItemRedeemed { citizen, item, cost, coupon, .. } => {
                self.tx.execute(
                    "INSERT INTO coupons (code, event_seq, citizen_id, item_id, cost, issued_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![coupon, seq, citizen.to_string(), item.to_string(), cost.0, at.0],
                )?;
                self.tx.execute("UPDATE catalogue SET stock = stock - 1 WHERE id = ?1 AND stock IS NOT NULL", [item.to_string()])?;
                self.tx.execute("DELETE FROM pin_failures WHERE citizen_id = ?1", [citizen.to_string()])?;
            }
            Payload::PinRejected { citizen, live_failures, .. } => {
                self.tx.execute(
                    "INSERT INTO pin_failures (citizen_id, failures, last_failure_at) VALUES (?1, ?2, ?3)
                     ON CONFLICT(citizen_id) DO UPDATE SET failures = excluded.failures, last_failure_at = excluded.last_failure_at",
                    params![citizen.to_string(), live_failures, at.0],
                )?;
            }
            Payload::BallotCast { theme, citizen, choices, origin } => {
                self.tx
                    .prepare_cached(
                        "INSERT INTO ballots (theme_id, citizen_id, choices, origin, cast_at, event_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                         ON CONFLICT(theme_id, citizen_id) DO UPDATE SET choices = excluded.choices, origin = excluded.origin,
                           cast_at = excluded.cast_at, event_seq = excluded.event_seq",
                    )?
                    .execute(params![theme.to_string(), citizen.to_string(), to_json(choices)?, origin.as_str(), at.0, seq])?;
            }
            Payload::RideRequested { ride, number, citizen, pickup, destination, pickup_at, asap, passengers, needs } => {
                self.tx.execute(
                    "INSERT INTO rides (id, number, citizen_id, pickup_place, destination, pickup_at, asap, passengers, wheelchair,
                       assistance, status, requested_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
                    params![
                        ride.to_string(),
                        number,
                        citizen.to_string(),
                        pickup.to_string(),
                        destination.to_string(),
                        pickup_at.0,
                        asap,
                        passengers.get(),
                        needs.wheelchair,
                        needs.assistance,
                        RideStatus::Requested.as_str(),
                        at.0
                    ],
                )?;
            }
            Payload::RideCancelled { ride, .. } => {
                self.tx.execute(
                    "UPDATE rides SET status = ?2, updated_at = ?3 WHERE id = ?1",
                    params![ride.to_string(), RideStatus::Cancelled.as_str(), at.0],
                )?;
            }
        }
        Ok(())
    }

    /// The citizen's wallet: the hub's last report (if any), with this kiosk's own later
    /// earnings and spends replayed on top in sequence order (the rules live in the core).
    pub fn wallet(&self, citizen: CitizenId) -> Result<Wallet> {
        let snapshot: Option<(String, i64)> = self
            .tx
            .prepare_cached("SELECT wallet, mark FROM hub_wallets WHERE citizen_id = ?1")?
            .query_row([citizen.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let (mut wallet, mark) = match snapshot {
            Some((w, mark)) => (from_json::<Wallet>(&w)?, mark),
            None => (Wallet::default(), 0),
        };
        let mut stmt = self.tx.prepare_cached(
            "SELECT event_seq, 0, amount, earned_at, expires_at FROM lots WHERE citizen_id = ?1 AND event_seq > ?2
             UNION ALL
             SELECT l.event_seq, 1, -l.amount, e.device_time, 0 FROM ledger l JOIN events e ON e.seq = l.event_seq
               WHERE l.account = ?3 AND l.amount < 0 AND l.event_seq > ?2
             ORDER BY 1, 2",
        )?;
        let rows = stmt.query_map(params![citizen.to_string(), mark, Account::Citizen(citizen).to_string()], |r| {
            Ok((r.get::<_, i64>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?, r.get::<_, i64>(4)?))
        })?;
        for row in rows {
            let (is_spend, amount, at, expires_at) = row?;
            if is_spend == 1 {
                wallet.spend(Points(amount), ts(at));
            } else {
                wallet.earn(Lot { earned_at: ts(at), expires_at: ts(expires_at), remaining: Points(amount) });
            }
        }
        Ok(wallet)
    }

    /// Records the hub's report of a citizen's wallet and how far it includes this kiosk's events.
    pub fn put_hub_wallet(&mut self, citizen: CitizenId, wallet: &Wallet, mark: u64) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO hub_wallets (citizen_id, wallet, mark) VALUES (?1, ?2, ?3)
                 ON CONFLICT(citizen_id) DO UPDATE SET wallet = excluded.wallet, mark = excluded.mark",
            )?
            .execute(params![citizen.to_string(), to_json(wallet)?, mark as i64])?;
        Ok(())
    }

    /// The citizen's lots that still hold points, oldest first (expired ones included).
    pub fn lots(&self, citizen: CitizenId) -> Result<Vec<Lot>> {
        Ok(self.wallet(citizen)?.lots)
    }

    /// Points the citizen can spend at `now` (negative while they owe points).
    pub fn available_points(&self, citizen: CitizenId, now: Timestamp) -> Result<Points> {
        Ok(self.wallet(citizen)?.available(now))
    }

    /// The ledger balance of an account (for a citizen: including lots expired but not yet
    /// written off by the hub).
    pub fn ledger_balance(&self, account: Account) -> Result<Points> {
        let sum: i64 = self
            .tx
            .prepare_cached("SELECT COALESCE(SUM(amount), 0) FROM ledger WHERE account = ?1")?
            .query_row([account.to_string()], |r| r.get(0))?;
        Ok(Points(sum))
    }

    /// The sum over every account; zero while the books balance.
    pub fn ledger_total(&self) -> Result<Points> {
        Ok(Points(self.tx.query_row("SELECT COALESCE(SUM(amount), 0) FROM ledger", [], |r| r.get(0))?))
    }

    pub fn checked_in(&self, citizen: CitizenId, place: PlaceId, day: LocalDay) -> Result<bool> {
        Ok(self
            .tx
            .prepare_cached("SELECT 1 FROM visits WHERE citizen_id = ?1 AND place_id = ?2 AND day = ?3")?
            .query_row(params![citizen.to_string(), place.to_string(), day.0], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Check-ins recorded here per place and day: (citizens, guests).
    pub fn visits_on(&self, place: PlaceId, day: LocalDay) -> Result<(u64, u64)> {
        let citizens: i64 = self.tx.query_row(
            "SELECT COUNT(*) FROM visits WHERE place_id = ?1 AND day = ?2",
            params![place.to_string(), day.0],
            |r| r.get(0),
        )?;
        let guests: i64 = self.tx.query_row(
            "SELECT COUNT(*) FROM guest_visits WHERE place_id = ?1 AND day = ?2",
            params![place.to_string(), day.0],
            |r| r.get(0),
        )?;
        Ok((citizens as u64, guests as u64))
    }

    pub fn ballot(&self, theme: ThemeId, citizen: CitizenId) -> Result<Option<Ballot>> {
        let row = self
            .tx
            .prepare_cached("SELECT choices, origin, cast_at FROM ballots WHERE theme_id = ?1 AND citizen_id = ?2")?
            .query_row(params![theme.to_string(), citizen.to_string()], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?))
            })
            .optional()?;
        let Some((choices, origin, cast_at)) = row else { return Ok(None) };
        let origin = match origin.as_str() {
            "kiosk" => BallotOrigin::Kiosk,
            "staff" => BallotOrigin::Staff,
            "online" => BallotOrigin::Online,
            other => return Err(StoreError::Corrupt(format!("ballot origin {other}"))),
        };
        Ok(Some(Ballot { theme, citizen, choices: from_json(&choices)?, origin, cast_at: ts(cast_at) }))
    }

    /// Every ballot's choices on a theme, one per citizen.
    pub fn ballots_on(&self, theme: ThemeId) -> Result<Vec<Choices>> {
        let mut stmt = self.tx.prepare_cached("SELECT choices FROM ballots WHERE theme_id = ?1")?;
        let rows = stmt.query_map([theme.to_string()], |r| r.get::<_, String>(0))?;
        rows.map(|c| from_json(&c?)).collect()
    }

    pub fn ballot_count(&self, theme: ThemeId, citizen: CitizenId) -> Result<u64> {
        Ok(self.tx.query_row(
            "SELECT COUNT(*) FROM ballots WHERE theme_id = ?1 AND citizen_id = ?2",
            params![theme.to_string(), citizen.to_string()],
            |r| r.get::<_, i64>(0),
        )? as u64)
    }

    pub fn ride(&self, id: RideId) -> Result<Option<RideRecord>> {
        self.tx
            .prepare_cached(&format!("SELECT {RIDE_COLUMNS} FROM rides WHERE id = ?1"))?
            .query_row([id.to_string()], ride_from_row)
            .optional()?
            .map(ride_record)
            .transpose()
    }

    /// The citizen's rides that are still ahead of them, soonest first.
    pub fn active_rides(&self, citizen: CitizenId) -> Result<Vec<RideRecord>> {
        let mut stmt = self.tx.prepare_cached(&format!(
            "SELECT {RIDE_COLUMNS} FROM rides WHERE citizen_id = ?1 AND status IN ('requested', 'assigned', 'picked_up')
             ORDER BY pickup_at, number"
        ))?;
        let rows = stmt.query_map([citizen.to_string()], ride_from_row)?;
        rows.map(|r| ride_record(r?)).collect()
    }

    /// Dispatch moved a ride along (from the hub's change feed).
    pub fn update_ride_from_hub(&mut self, ride: RideId, status: RideStatus, vehicle: Option<&str>, eta: Option<Timestamp>) -> Result<()> {
        self.tx.execute(
            "UPDATE rides SET status = ?2, vehicle = ?3, eta = ?4 WHERE id = ?1",
            params![ride.to_string(), status.as_str(), vehicle, eta.map(|t| t.0)],
        )?;
        Ok(())
    }

    /// Wrong PINs recorded for the citizen, and when the last was.
    pub fn pin_failures(&self, citizen: CitizenId) -> Result<(u8, Option<Timestamp>)> {
        let row = self
            .tx
            .prepare_cached("SELECT failures, last_failure_at FROM pin_failures WHERE citizen_id = ?1")?
            .query_row([citizen.to_string()], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))
            .optional()?;
        Ok(row.map_or((0, None), |(n, at)| (n.clamp(0, 255) as u8, Some(ts(at)))))
    }

    /// Whether a coupon code has been issued here.
    pub fn coupon_exists(&self, code: &str) -> Result<bool> {
        Ok(self.tx.query_row("SELECT 1 FROM coupons WHERE code = ?1", [code], |_| Ok(())).optional()?.is_some())
    }
}
