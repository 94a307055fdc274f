//! Staff work at the desk: registering citizens, cards, PINs, point adjustments, coupon
//! checks, ride dispatch, reports and kiosk health. Every write is audited in the same
//! transaction, and every change kiosks need goes into the change feed.

use iki_core::{Account, CardUid, Citizen, CitizenId, KioskId, LocalDay, Lot, Points, RideId, RideStatus, Role as RideRole, StaffId, Timestamp};
use iki_hub_store::{CouponCheck, DispatchRide, KioskStatus, Result, RideUpdate, StoreError, VisitCount};
use iki_sync::protocol::Change;
use iki_sync::staff::{CardLine, CitizenFile, CitizenHit, LedgerLine};
use rusqlite::{OptionalExtension, params};

use crate::ingest::{load_wallet, with_wallet};
use crate::{SqliteHubStore, audit, err, from_json, issue_card, json, parse, publish, upsert_citizen, upsert_item, upsert_place, upsert_theme};

impl SqliteHubStore {
    pub(crate) fn desk_register_citizen(&self, by: StaffId, c: &Citizen, card: Option<&CardUid>, now: Timestamp) -> Result<()> {
        self.write(|tx| {
            upsert_citizen(tx, c, None)?;
            if let Some(card) = card {
                if !issue_card(tx, card, c.id, now)? {
                    return Err(StoreError::Conflict(format!("card {card} already belongs to another citizen")));
                }
            }
            audit(tx, now, by, "register_citizen", &format!("citizen {}", c.id), None, Some(format!("{} {}", c.kind.as_str(), card.map_or(String::new(), |c| c.to_string()))))
        })
    }

    pub(crate) fn desk_issue_card(&self, by: StaffId, card: &CardUid, citizen: CitizenId, now: Timestamp) -> Result<bool> {
        self.write(|tx| {
            let exists: bool = tx.query_row("SELECT 1 FROM citizens WHERE id = ?1", [citizen.to_string()], |_| Ok(())).optional().map_err(err)?.is_some();
            if !exists {
                return Err(StoreError::Conflict(format!("no citizen {citizen}")));
            }
            let issued = issue_card(tx, card, citizen, now)?;
            if issued {
                audit(tx, now, by, "issue_card", &format!("card {card}"), None, Some(format!("citizen {citizen}")))?;
            }
            Ok(issued)
        })
    }

    pub(crate) fn desk_reset_pin(&self, by: StaffId, citizen: CitizenId, pin_hash: &str, now: Timestamp) -> Result<bool> {
        self.write(|tx| {
            let def: Option<String> = tx.query_row("SELECT definition FROM citizens WHERE id = ?1", [citizen.to_string()], |r| r.get(0)).optional().map_err(err)?;
            let Some(def) = def else { return Ok(false) };
            tx.execute("UPDATE citizens SET pin_hash = ?2 WHERE id = ?1", params![citizen.to_string(), pin_hash]).map_err(err)?;
            publish(tx, &Change::Citizen { citizen: from_json(&def)?, pin_hash: Some(pin_hash.to_owned()) })?;
            audit(tx, now, by, "reset_pin", &format!("citizen {citizen}"), None, Some("PIN changed".into()))?;
            Ok(true)
        })
    }

    pub(crate) fn desk_adjust_points(&self, by: StaffId, citizen: CitizenId, amount: i64, reason: &str, expires_at: Timestamp, now: Timestamp) -> Result<Option<Points>> {
        self.write(|tx| {
            let exists = tx.query_row("SELECT 1 FROM citizens WHERE id = ?1", [citizen.to_string()], |_| Ok(())).optional().map_err(err)?.is_some();
            if !exists || amount == 0 {
                return Ok(None);
            }
            let before = load_wallet(tx, citizen)?.0.available(now);
            let key = format!("staff:{by}:{}", now.0);
            let (from, to) = if amount > 0 { (Account::Issuer, Account::Citizen(citizen)) } else { (Account::Citizen(citizen), Account::Issuer) };
            for (account, signed) in [(from, -amount.abs()), (to, amount.abs())] {
                tx.execute(
                    "INSERT INTO ledger (event_id, account, amount, reason) VALUES (?1, ?2, ?3, 'staff_adjustment')",
                    params![key, account.to_string(), signed],
                )
                .map_err(err)?;
            }
            with_wallet(tx, citizen, None, |w| {
                if amount > 0 {
                    w.earn(Lot { earned_at: now, expires_at, remaining: Points(amount) });
                } else {
                    w.spend(Points(-amount), now);
                }
            })?;
            let (wallet, marks) = load_wallet(tx, citizen)?;
            let after = wallet.available(now);
            publish(tx, &Change::Wallet { citizen, wallet, marks })?;
            audit(tx, now, by, "adjust_points", &format!("citizen {citizen}: {reason}"), Some(before.to_string()), Some(after.to_string()))?;
            Ok(Some(after))
        })
    }

    pub(crate) fn desk_verify_coupon(&self, by: StaffId, code: &str, now: Timestamp) -> Result<CouponCheck> {
        self.write(|tx| {
            let row: Option<(String, i64, Option<i64>)> = tx
                .query_row("SELECT item_id, issued_at, used_at FROM coupons WHERE code = ?1", [code], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()
                .map_err(err)?;
            let check = match row {
                None => CouponCheck::Unknown,
                Some((_, _, Some(used))) => CouponCheck::AlreadyUsed { used_at: Timestamp(used) },
                Some((item, issued, None)) => {
                    tx.execute("UPDATE coupons SET used_at = ?2 WHERE code = ?1", params![code, now.0]).map_err(err)?;
                    let name = tx
                        .query_row("SELECT definition FROM catalogue WHERE id = ?1", [&item], |r| r.get::<_, String>(0))
                        .optional()
                        .map_err(err)?
                        .and_then(|d| from_json::<iki_core::CatalogueItem>(&d).ok())
                        .map_or(item, |i| i.name.ja);
                    audit(tx, now, by, "redeem_coupon", &format!("coupon {code}"), Some("valid".into()), Some("used".into()))?;
                    CouponCheck::Valid { item: name, issued_at: Timestamp(issued) }
                }
            };
            Ok(check)
        })
    }

    pub(crate) fn desk_rides(&self, active_only: bool) -> Result<Vec<DispatchRide>> {
        self.read(|c| {
            let sql = if active_only {
                "SELECT definition, status, vehicle, driver, eta FROM rides WHERE status IN ('requested', 'assigned', 'picked_up') ORDER BY pickup_at"
            } else {
                "SELECT definition, status, vehicle, driver, eta FROM rides ORDER BY pickup_at"
            };
            let mut stmt = c.prepare(sql).map_err(err)?;
            let rows = stmt
                .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?, r.get(3)?, r.get::<_, Option<i64>>(4)?)))
                .map_err(err)?;
            rows.map(|row| {
                let (def, status, vehicle, driver, eta) = row.map_err(err)?;
                dispatch_ride(&def, &status, vehicle, driver, eta)
            })
            .collect()
        })
    }

    pub(crate) fn desk_update_ride(&self, by: StaffId, ride: RideId, update: &RideUpdate, now: Timestamp) -> Result<Option<std::result::Result<DispatchRide, iki_core::RuleError>>> {
        self.write(|tx| {
            let row: Option<(String, String)> = tx
                .query_row("SELECT definition, status FROM rides WHERE id = ?1", [ride.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
                .map_err(err)?;
            let Some((def, status)) = row else { return Ok(None) };
            let from = RideStatus::parse(&status).ok_or_else(|| StoreError::Corrupt(status.clone()))?;
            if from != update.status {
                if let Err(e) = from.transition(update.status, RideRole::Operator) {
                    return Ok(Some(Err(e)));
                }
            }
            tx.execute(
                "UPDATE rides SET status = ?2, vehicle = ?3, driver = ?4, eta = ?5 WHERE id = ?1",
                params![ride.to_string(), update.status.as_str(), update.vehicle, update.driver, update.eta.map(|t| t.0)],
            )
            .map_err(err)?;
            publish(tx, &Change::Ride { ride, status: update.status, vehicle: update.vehicle.clone(), eta: update.eta })?;
            audit(tx, now, by, "update_ride", &format!("ride {ride}"), Some(status), Some(json(update)?))?;
            let updated = dispatch_ride(&def, update.status.as_str(), update.vehicle.clone(), update.driver.clone(), update.eta.map(|t| t.0))?;
            Ok(Some(Ok(updated)))
        })
    }

    pub(crate) fn desk_visits(&self, from: LocalDay, to: LocalDay) -> Result<Vec<VisitCount>> {
        self.read(|c| {
            let mut stmt = c
                .prepare(
                    "SELECT v.place_id, v.day, COALESCE(ci.kind, 'guest'), COUNT(*) FROM visits v
                     LEFT JOIN citizens ci ON ci.id = v.citizen_id
                     WHERE v.day BETWEEN ?1 AND ?2 GROUP BY 1, 2, 3 ORDER BY 2, 1, 3",
                )
                .map_err(err)?;
            let rows = stmt
                .query_map(params![from.0, to.0], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i32>(1)?, r.get::<_, String>(2)?, r.get::<_, i64>(3)?)))
                .map_err(err)?;
            rows.map(|row| {
                let (place, day, visitor, visits) = row.map_err(err)?;
                Ok(VisitCount { place: parse(&place)?, day: LocalDay(day), visitor, visits: visits as u64 })
            })
            .collect()
        })
    }

    pub(crate) fn desk_citizen_counts(&self) -> Result<Vec<(String, u64)>> {
        self.read(|c| {
            let mut stmt = c.prepare("SELECT kind, COUNT(*) FROM citizens GROUP BY kind ORDER BY kind").map_err(err)?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))).map_err(err)?;
            rows.collect::<rusqlite::Result<_>>().map_err(err)
        })
    }

    /// Every record of one table's `definition` column, in the query's order.
    pub(crate) fn definitions<T: serde::de::DeserializeOwned>(&self, sql: &str) -> Result<Vec<T>> {
        self.read(|c| {
            let mut stmt = c.prepare(sql).map_err(err)?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0)).map_err(err)?;
            rows.map(|d| from_json(&d.map_err(err)?)).collect()
        })
    }

    pub(crate) fn desk_items(&self) -> Result<Vec<iki_core::CatalogueItem>> {
        self.read(|c| {
            let mut stmt = c.prepare("SELECT definition, stock FROM catalogue ORDER BY id").map_err(err)?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?))).map_err(err)?;
            rows.map(|row| {
                let (definition, stock) = row.map_err(err)?;
                let mut item: iki_core::CatalogueItem = from_json(&definition)?;
                item.stock = stock.map_or(iki_core::Stock::Unlimited, |n| iki_core::Stock::Limited(n.max(0) as u32));
                Ok(item)
            })
            .collect()
        })
    }

    pub(crate) fn desk_lockouts(&self, since: Timestamp, attempts: u8) -> Result<Vec<iki_sync::staff::Lockout>> {
        self.read(|c| {
            let mut stmt = c
                .prepare(
                    "SELECT json_extract(e.body, '$.payload.citizen'), COALESCE(json_extract(ci.definition, '$.nickname'), ''), e.kiosk_id, e.device_time
                     FROM events e LEFT JOIN citizens ci ON ci.id = json_extract(e.body, '$.payload.citizen')
                     WHERE e.kind = 'pin_rejected' AND e.device_time >= ?1 AND json_extract(e.body, '$.payload.live_failures') >= ?2
                     ORDER BY e.device_time DESC",
                )
                .map_err(err)?;
            let rows = stmt
                .query_map(params![since.0, attempts], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, i64>(3)?)))
                .map_err(err)?;
            rows.map(|row| {
                let (citizen, nickname, kiosk, at) = row.map_err(err)?;
                Ok(iki_sync::staff::Lockout { citizen: parse(&citizen)?, nickname, kiosk: parse(&kiosk)?, at: Timestamp(at) })
            })
            .collect()
        })
    }

    /// A citizen's region is in their record; a guest's, if they gave one, in the event.
    pub(crate) fn desk_regions(&self, from: LocalDay, to: LocalDay) -> Result<Vec<iki_sync::staff::RegionCount>> {
        self.read(|c| {
            let mut stmt = c
                .prepare(
                    "SELECT COALESCE(json_extract(ci.definition, '$.home_region'), json_extract(e.body, '$.payload.home_region'), 'unknown'),
                            COALESCE(ci.kind, 'guest'), COUNT(*)
                     FROM visits v LEFT JOIN citizens ci ON ci.id = v.citizen_id LEFT JOIN events e ON e.id = v.event_id
                     WHERE v.day BETWEEN ?1 AND ?2 GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2",
                )
                .map_err(err)?;
            let rows = stmt
                .query_map(params![from.0, to.0], |r| {
                    Ok(iki_sync::staff::RegionCount { home_region: r.get(0)?, visitor: r.get(1)?, visits: r.get::<_, i64>(2)? as u64 })
                })
                .map_err(err)?;
            rows.collect::<rusqlite::Result<_>>().map_err(err)
        })
    }

    /// One pass over the citizens (their registration time is in the record), summed up
    /// day by day in Japan's time.
    pub(crate) fn desk_growth(&self) -> Result<Vec<iki_sync::staff::GrowthPoint>> {
        let per_day: Vec<(i64, String, u64)> = self.read(|c| {
            let mut stmt = c
                .prepare(
                    // `registered_day` is the Japan-time day of `registered_at` (migration 4).
                    "SELECT registered_day, kind, COUNT(*) FROM citizens GROUP BY registered_day, kind ORDER BY registered_day",
                )
                .map_err(err)?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)? as u64))).map_err(err)?;
            rows.collect::<rusqlite::Result<_>>().map_err(err)
        })?;
        let mut out: Vec<iki_sync::staff::GrowthPoint> = Vec::new();
        let (mut residents, mut e_citizens) = (0, 0);
        for (day, kind, n) in per_day {
            match kind.as_str() {
                "resident" => residents += n,
                _ => e_citizens += n,
            }
            let day = LocalDay(day as i32);
            match out.last_mut() {
                Some(last) if last.day == day => (last.residents, last.e_citizens) = (residents, e_citizens),
                _ => out.push(iki_sync::staff::GrowthPoint { day, residents, e_citizens }),
            }
        }
        Ok(out)
    }

    pub(crate) fn desk_record_kiosk_health(&self, kiosk: KioskId, health: &serde_json::Value, now: Timestamp) -> Result<()> {
        self.write(|tx| {
            tx.execute("UPDATE kiosks SET health = ?2, last_seen_at = ?3 WHERE id = ?1", params![kiosk.to_string(), health.to_string(), now.0]).map_err(err)?;
            Ok(())
        })
    }

    pub(crate) fn desk_kiosks(&self) -> Result<Vec<KioskStatus>> {
        self.read(|c| {
            let mut stmt = c.prepare("SELECT definition, revoked_at, last_seen_at, health FROM kiosks ORDER BY code").map_err(err)?;
            let rows = stmt
                .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?, r.get::<_, Option<i64>>(2)?, r.get::<_, Option<String>>(3)?)))
                .map_err(err)?;
            rows.map(|row| {
                let (def, revoked, seen, health) = row.map_err(err)?;
                Ok(KioskStatus {
                    kiosk: from_json(&def)?,
                    revoked: revoked.is_some(),
                    last_seen_at: seen.map(Timestamp),
                    health: health.map(|h| serde_json::from_str(&h)).transpose().map_err(|e| StoreError::Corrupt(e.to_string()))?,
                })
            })
            .collect()
        })
    }
}

fn dispatch_ride(def: &str, status: &str, vehicle: Option<String>, driver: Option<String>, eta: Option<i64>) -> Result<DispatchRide> {
    let payload: iki_core::Payload = from_json(def)?;
    let iki_core::Payload::RideRequested { ride, number, citizen, pickup, destination, pickup_at, passengers, needs, .. } = payload else {
        return Err(StoreError::Corrupt("a ride row without its request".into()));
    };
    Ok(DispatchRide {
        ride,
        number,
        citizen,
        pickup,
        destination,
        pickup_at,
        passengers: passengers.get(),
        needs,
        status: RideStatus::parse(status).ok_or_else(|| StoreError::Corrupt(status.to_owned()))?,
        vehicle,
        driver,
        eta: eta.map(Timestamp),
    })
}

impl SqliteHubStore {
    pub(crate) fn desk_put_item(&self, by: StaffId, item: &iki_core::CatalogueItem, now: Timestamp) -> Result<()> {
        self.write(|tx| {
            let before: Option<String> = tx.query_row("SELECT definition FROM catalogue WHERE id = ?1", [item.id.to_string()], |r| r.get(0)).optional().map_err(err)?;
            upsert_item(tx, item)?;
            audit(tx, now, by, "put_item", &format!("item {}", item.id), before, Some(json(item)?))
        })
    }

    pub(crate) fn desk_put_place(&self, by: StaffId, place: &iki_core::Place, now: Timestamp) -> Result<()> {
        self.write(|tx| {
            let before: Option<String> = tx.query_row("SELECT definition FROM places WHERE id = ?1", [place.id.to_string()], |r| r.get(0)).optional().map_err(err)?;
            // The code is on receipts and ride numbers: one place per code.
            let taken: Option<String> = tx
                .query_row(
                    "SELECT id FROM places WHERE json_extract(definition, '$.code') = ?1 AND id != ?2",
                    params![place.code, place.id.to_string()],
                    |r| r.get(0),
                )
                .optional()
                .map_err(err)?;
            if taken.is_some() {
                return Err(StoreError::Conflict(format!("Another place already has the code {}. Choose another code.", place.code)));
            }
            upsert_place(tx, place)?;
            audit(tx, now, by, "put_place", &format!("place {}", place.code), before, Some(json(place)?))
        })
    }

    pub(crate) fn desk_put_theme(&self, by: StaffId, theme: &iki_core::Theme, now: Timestamp) -> Result<()> {
        self.write(|tx| {
            let before: Option<String> = tx.query_row("SELECT definition FROM themes WHERE id = ?1", [theme.id.to_string()], |r| r.get(0)).optional().map_err(err)?;
            upsert_theme(tx, theme)?;
            audit(tx, now, by, "put_theme", &format!("theme {}", theme.id), before, Some(json(theme)?))
        })
    }

    pub(crate) fn desk_theme(&self, theme: iki_core::ThemeId) -> Result<Option<iki_core::Theme>> {
        self.read(|c| {
            let def: Option<String> = c.query_row("SELECT definition FROM themes WHERE id = ?1", [theme.to_string()], |r| r.get(0)).optional().map_err(err)?;
            def.map(|d| from_json(&d)).transpose()
        })
    }

    pub(crate) fn desk_theme_results(&self, id: iki_core::ThemeId) -> Result<Option<iki_hub_store::ThemeResults>> {
        let Some(theme) = self.desk_theme(id)? else { return Ok(None) };
        self.read(|c| {
            let mut stmt = c.prepare("SELECT choices, origin FROM ballots WHERE theme_id = ?1").map_err(err)?;
            let rows = stmt.query_map([id.to_string()], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))).map_err(err)?;
            let mut ballots = Vec::new();
            let mut by_origin: Vec<(String, u64)> = Vec::new();
            for row in rows {
                let (choices, origin) = row.map_err(err)?;
                ballots.push(from_json::<iki_core::Choices>(&choices)?);
                match by_origin.iter_mut().find(|(o, _)| *o == origin) {
                    Some((_, n)) => *n += 1,
                    None => by_origin.push((origin, 1)),
                }
            }
            by_origin.sort();
            Ok(Some(iki_hub_store::ThemeResults { votes: theme.tally(&ballots), ballots: ballots.len() as u64, theme, by_origin }))
        })
    }

    pub(crate) fn desk_paper_ballot(&self, by: StaffId, theme: iki_core::ThemeId, citizen: CitizenId, choices: &iki_core::Choices, now: Timestamp) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO ballots (theme_id, citizen_id, choices, origin, cast_at) VALUES (?1, ?2, ?3, 'staff', ?4)
                 ON CONFLICT(theme_id, citizen_id) DO UPDATE SET choices = excluded.choices, origin = 'staff', cast_at = excluded.cast_at",
                params![theme.to_string(), citizen.to_string(), json(choices)?, now.0],
            )
            .map_err(err)?;
            audit(tx, now, by, "paper_ballot", &format!("theme {theme} citizen {citizen}"), None, Some(json(choices)?))
        })
    }

    pub(crate) fn desk_citizen(&self, citizen: CitizenId) -> Result<Option<Citizen>> {
        self.read(|c| {
            let def: Option<String> = c.query_row("SELECT definition FROM citizens WHERE id = ?1", [citizen.to_string()], |r| r.get(0)).optional().map_err(err)?;
            def.map(|d| from_json(&d)).transpose()
        })
    }

    pub(crate) fn desk_search_citizens(&self, query: &str, limit: usize) -> Result<Vec<CitizenHit>> {
        let query = query.trim();
        if query.is_empty() {
            return Ok(Vec::new());
        }
        self.read(|c| {
            let ids: Vec<String> = if let Ok(card) = CardUid::parse(query) {
                c.query_row("SELECT citizen_id FROM cards WHERE uid = ?1", [card.to_string()], |r| r.get(0)).optional().map_err(err)?.into_iter().collect()
            } else if let Ok(id) = query.parse::<CitizenId>() {
                vec![id.to_string()]
            } else {
                // A range on the indexed nickname: everything that begins with the query.
                let mut stmt = c
                    .prepare_cached(
                        "SELECT id FROM citizens WHERE json_extract(definition, '$.nickname') >= ?1
                           AND json_extract(definition, '$.nickname') < ?1 || char(1114111)
                         ORDER BY json_extract(definition, '$.nickname'), id LIMIT ?2",
                    )
                    .map_err(err)?;
                stmt.query_map(params![query, limit as i64], |r| r.get(0)).and_then(|rows| rows.collect()).map_err(err)?
            };
            let mut hits = Vec::new();
            for id in ids.into_iter().take(limit) {
                let def: Option<String> = c.query_row("SELECT definition FROM citizens WHERE id = ?1", [&id], |r| r.get(0)).optional().map_err(err)?;
                let Some(def) = def else { continue };
                hits.push(CitizenHit { citizen: from_json(&def)?, cards: cards_of(c, &id)?, balance: balance_of(c, &id)? });
            }
            Ok(hits)
        })
    }

    pub(crate) fn desk_citizen_file(&self, citizen: CitizenId) -> Result<Option<CitizenFile>> {
        self.read(|c| {
            let id = citizen.to_string();
            let row: Option<(String, bool)> = c
                .query_row("SELECT definition, pin_hash IS NOT NULL FROM citizens WHERE id = ?1", [&id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
                .map_err(err)?;
            let Some((def, has_pin)) = row else { return Ok(None) };
            let mut stmt = c
                .prepare_cached(
                    "SELECT l.amount, l.reason, l.event_id, e.device_time FROM ledger l LEFT JOIN events e ON e.id = l.event_id
                     WHERE l.account = ?1 ORDER BY l.id DESC LIMIT 500",
                )
                .map_err(err)?;
            let ledger = stmt
                .query_map([format!("citizen:{citizen}")], |r| {
                    let (amount, reason, key, at): (i64, String, Option<String>, Option<i64>) = (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
                    // A staff adjustment's key ends with the time it was made.
                    let at = at.or_else(|| key.filter(|k| k.starts_with("staff:")).and_then(|k| k.rsplit(':').next()?.parse().ok()));
                    Ok(LedgerLine { at: at.map(Timestamp), amount: Points(amount), reason })
                })
                .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
                .map_err(err)?;
            Ok(Some(CitizenFile { citizen: from_json(&def)?, cards: cards_of(c, &id)?, balance: balance_of(c, &id)?, has_pin, ledger }))
        })
    }

    pub(crate) fn desk_update_citizen(&self, by: StaffId, c: &Citizen, now: Timestamp) -> Result<bool> {
        self.write(|tx| {
            let before: Option<String> = tx.query_row("SELECT definition FROM citizens WHERE id = ?1", [c.id.to_string()], |r| r.get(0)).optional().map_err(err)?;
            let Some(before) = before else { return Ok(false) };
            upsert_citizen(tx, c, None)?;
            audit(tx, now, by, "update_citizen", &format!("citizen {}", c.id), Some(before), Some(json(c)?))?;
            Ok(true)
        })
    }

    pub(crate) fn desk_engagement(&self) -> Result<iki_hub_store::Engagement> {
        self.read(|c| {
            let one = |sql: &str| c.query_row(sql, [], |r| r.get::<_, i64>(0)).map_err(err);
            Ok(iki_hub_store::Engagement {
                visiting_citizens: one("SELECT COUNT(DISTINCT citizen_id) FROM visits WHERE citizen_id IS NOT NULL")? as u64,
                returning_citizens: one(
                    "SELECT COUNT(*) FROM (SELECT citizen_id FROM visits WHERE citizen_id IS NOT NULL GROUP BY citizen_id HAVING COUNT(DISTINCT day) >= 2)",
                )? as u64,
                ballots: one("SELECT COUNT(*) FROM ballots")? as u64,
                voting_citizens: one("SELECT COUNT(DISTINCT citizen_id) FROM ballots")? as u64,
                points_earned: one("SELECT COALESCE(SUM(amount), 0) FROM ledger WHERE account LIKE 'citizen:%' AND amount > 0")?,
                points_spent: one("SELECT COALESCE(SUM(amount), 0) FROM ledger WHERE account = 'redeemed'")?,
            })
        })
    }
}

fn cards_of(c: &rusqlite::Connection, citizen: &str) -> Result<Vec<CardLine>> {
    let mut stmt = c
        .prepare_cached("SELECT uid, issued_at, revoked_at, replaced_by FROM cards WHERE citizen_id = ?1 ORDER BY issued_at, uid")
        .map_err(err)?;
    let rows: Vec<(String, i64, Option<i64>, Option<String>)> =
        stmt.query_map([citizen], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).and_then(|rows| rows.collect()).map_err(err)?;
    rows.into_iter()
        .map(|(uid, issued, revoked, replaced)| {
            let card = |text: &str| CardUid::parse(text).map_err(|e| StoreError::Corrupt(format!("card {text}: {e}")));
            Ok(CardLine {
                uid: card(&uid)?,
                issued_at: Timestamp(issued),
                revoked_at: revoked.map(Timestamp),
                replaced_by: replaced.as_deref().map(card).transpose()?,
            })
        })
        .collect()
}

fn balance_of(c: &rusqlite::Connection, citizen: &str) -> Result<Points> {
    c.query_row("SELECT COALESCE(SUM(amount), 0) FROM ledger WHERE account = ?1", [format!("citizen:{citizen}")], |r| r.get(0))
        .map(Points)
        .map_err(err)
}
