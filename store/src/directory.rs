//! The directory: places, kiosks, stops, citizens, cards, catalogue and themes.
//!
//! These rows are mirrored from the hub (demo data and tests load them directly), not
//! made by kiosk events — except a citizen who registers at this kiosk, whose row the
//! event projection writes.

use iki_core::{
    AgeBand, CardStatus, CardUid, CatalogueItem, Citizen, CitizenId, CitizenKind, HomeRegion, ItemId, Kiosk, KioskId,
    Nickname, Place, PlaceId, Stock, Stop, StopId, Theme, ThemeId, Timestamp,
};
use rusqlite::{OptionalExtension, params};

use crate::codec::{card, from_json, parse, to_json, ts};
use crate::{Result, Store, StoreError, Tx};

/// Which kiosk this database belongs to, and where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct KioskIdentity {
    pub kiosk: Kiosk,
    pub place: Place,
}

/// A card as the directory knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardRecord {
    pub uid: CardUid,
    pub citizen: CitizenId,
    pub issued_at: Timestamp,
    pub status: CardStatus,
}

/// A citizen with what the kiosk needs beyond the core record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitizenRecord {
    pub citizen: Citizen,
    /// argon2id PHC string, if the citizen set a PIN.
    pub pin_hash: Option<String>,
    /// When the citizen first arrived at a ferry port (e-citizens' welcome bonus).
    pub port_arrival_at: Option<Timestamp>,
}

fn citizen_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<(String, String, String, String, String, i64, Option<String>, Option<i64>)> {
    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?, row.get(6)?, row.get(7)?))
}

impl Tx<'_> {
    /// This kiosk's identity, or [`StoreError::NotProvisioned`].
    pub fn identity(&self) -> Result<KioskIdentity> {
        let kiosk: Option<String> = self
            .tx
            .query_row(
                "SELECT k.definition FROM kiosk_identity i JOIN kiosks k ON k.id = i.kiosk_id",
                [],
                |r| r.get(0),
            )
            .optional()?;
        let kiosk: Kiosk = from_json(&kiosk.ok_or(StoreError::NotProvisioned)?)?;
        let place = self.place(kiosk.place)?.ok_or_else(|| StoreError::Corrupt(format!("kiosk {} has no place", kiosk.id)))?;
        Ok(KioskIdentity { kiosk, place })
    }

    pub fn place(&self, id: PlaceId) -> Result<Option<Place>> {
        self.definition("SELECT definition FROM places WHERE id = ?1", &id.to_string())
    }

    pub fn places(&self) -> Result<Vec<Place>> {
        self.definitions("SELECT definition FROM places ORDER BY id")
    }

    pub fn stop(&self, id: StopId) -> Result<Option<Stop>> {
        self.definition("SELECT definition FROM stops WHERE id = ?1", &id.to_string())
    }

    pub fn stops(&self) -> Result<Vec<Stop>> {
        self.definitions("SELECT definition FROM stops ORDER BY id")
    }

    /// Looks a card up by its canonical identifier (the primary key).
    pub fn card(&self, uid: &CardUid) -> Result<Option<CardRecord>> {
        let row = self
            .tx
            .prepare_cached("SELECT citizen_id, issued_at, revoked_at, replaced_by FROM cards WHERE uid = ?1")?
            .query_row([uid.to_string()], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, Option<i64>>(2)?, r.get::<_, Option<String>>(3)?))
            })
            .optional()?;
        let Some((citizen, issued_at, revoked_at, replaced_by)) = row else { return Ok(None) };
        let status = match revoked_at {
            None => CardStatus::Active,
            Some(at) => CardStatus::Revoked { at: ts(at), replaced_by: replaced_by.as_deref().map(card).transpose()? },
        };
        Ok(Some(CardRecord { uid: *uid, citizen: parse(&citizen, "citizen id")?, issued_at: ts(issued_at), status }))
    }

    /// The cards a citizen holds, newest first, revoked ones included.
    pub fn cards_of(&self, citizen: CitizenId) -> Result<Vec<CardUid>> {
        let mut stmt = self.tx.prepare_cached("SELECT uid FROM cards WHERE citizen_id = ?1 ORDER BY issued_at DESC")?;
        let uids = stmt.query_map([citizen.to_string()], |r| r.get::<_, String>(0))?;
        uids.map(|u| card(&u?)).collect()
    }

    pub fn citizen(&self, id: CitizenId) -> Result<Option<CitizenRecord>> {
        let row = self
            .tx
            .prepare_cached(
                "SELECT id, kind, nickname, home_region, age_band, registered_at, pin_hash, port_arrival_at
                 FROM citizens WHERE id = ?1",
            )?
            .query_row([id.to_string()], citizen_from_row)
            .optional()?;
        let Some((id, kind, nickname, region, age, registered_at, pin_hash, port_arrival_at)) = row else {
            return Ok(None);
        };
        let bad = |what: &str, v: &str| StoreError::Corrupt(format!("bad {what} “{v}”"));
        let citizen = Citizen {
            id: parse(&id, "citizen id")?,
            kind: CitizenKind::parse(&kind).ok_or_else(|| bad("citizen kind", &kind))?,
            nickname: Nickname::parse(&nickname).map_err(|_| bad("nickname", &nickname))?,
            home_region: HomeRegion::parse(&region).map_err(|_| bad("home region", &region))?,
            age_band: AgeBand::parse(&age).ok_or_else(|| bad("age band", &age))?,
            registered_at: ts(registered_at),
        };
        Ok(Some(CitizenRecord { citizen, pin_hash, port_arrival_at: port_arrival_at.map(ts) }))
    }

    pub fn citizen_count(&self) -> Result<u64> {
        Ok(self.tx.query_row("SELECT COUNT(*) FROM citizens", [], |r| r.get::<_, i64>(0))? as u64)
    }

    /// A catalogue item with its current stock.
    pub fn item(&self, id: ItemId) -> Result<Option<CatalogueItem>> {
        let row = self
            .tx
            .prepare_cached("SELECT definition, stock FROM catalogue WHERE id = ?1")?
            .query_row([id.to_string()], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?)))
            .optional()?;
        row.map(|(def, stock)| item_with_stock(&def, stock)).transpose()
    }

    /// Items offered at `now`, cheapest first.
    pub fn catalogue(&self, now: Timestamp) -> Result<Vec<CatalogueItem>> {
        let mut stmt = self.tx.prepare_cached("SELECT definition, stock FROM catalogue")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?)))?;
        let mut items = rows
            .map(|row| {
                let (def, stock) = row?;
                item_with_stock(&def, stock)
            })
            .filter(|i| i.as_ref().map_or(true, |i| i.is_offered_at(now)))
            .collect::<Result<Vec<_>>>()?;
        items.sort_by_key(|i| (i.cost, i.id));
        Ok(items)
    }

    pub fn theme(&self, id: ThemeId) -> Result<Option<Theme>> {
        self.definition("SELECT definition FROM themes WHERE id = ?1", &id.to_string())
    }

    /// Themes open for voting at `now`, closing soonest first.
    pub fn open_themes(&self, now: Timestamp) -> Result<Vec<Theme>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT definition FROM themes WHERE opens_at <= ?1 AND closes_at > ?1 ORDER BY closes_at, id",
        )?;
        let rows = stmt.query_map([now.0], |r| r.get::<_, String>(0))?;
        rows.map(|d| from_json(&d?)).collect()
    }

    fn definition<T: serde::de::DeserializeOwned>(&self, sql: &str, id: &str) -> Result<Option<T>> {
        let def: Option<String> = self.tx.prepare_cached(sql)?.query_row([id], |r| r.get(0)).optional()?;
        def.map(|d| from_json(&d)).transpose()
    }

    fn definitions<T: serde::de::DeserializeOwned>(&self, sql: &str) -> Result<Vec<T>> {
        let mut stmt = self.tx.prepare_cached(sql)?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.map(|d| from_json(&d?)).collect()
    }

    // ---- Writes that mirror the hub's directory (demo data, tests; later the sync pull) ----

    pub fn put_place(&mut self, place: &Place) -> Result<()> {
        self.put_definition("places", &place.id.to_string(), place)
    }

    pub fn put_kiosk(&mut self, kiosk: &Kiosk) -> Result<()> {
        self.tx.execute(
            "INSERT INTO kiosks (id, place_id, definition) VALUES (?1, ?2, ?3)
             ON CONFLICT(id) DO UPDATE SET place_id = excluded.place_id, definition = excluded.definition",
            params![kiosk.id.to_string(), kiosk.place.to_string(), to_json(kiosk)?],
        )?;
        Ok(())
    }

    /// Makes this database the store of `kiosk` (which must already be in the directory).
    pub fn set_identity(&mut self, kiosk: KioskId) -> Result<()> {
        self.tx.execute(
            "INSERT INTO kiosk_identity (singleton, kiosk_id) VALUES (1, ?1)
             ON CONFLICT(singleton) DO UPDATE SET kiosk_id = excluded.kiosk_id",
            [kiosk.to_string()],
        )?;
        Ok(())
    }

    pub fn put_stop(&mut self, stop: &Stop) -> Result<()> {
        self.put_definition("stops", &stop.id.to_string(), stop)
    }

    /// Upserts a row of a table that holds only an id and a JSON definition.
    fn put_definition<T: serde::Serialize>(&mut self, table: &'static str, id: &str, value: &T) -> Result<()> {
        self.tx.execute(
            &format!(
                "INSERT INTO {table} (id, definition) VALUES (?1, ?2)
                 ON CONFLICT(id) DO UPDATE SET definition = excluded.definition"
            ),
            params![id, to_json(value)?],
        )?;
        Ok(())
    }

    /// Adds or updates a citizen; the PIN hash and port arrival are kept unless given.
    pub fn put_citizen(&mut self, c: &Citizen, pin_hash: Option<&str>) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO citizens (id, kind, nickname, home_region, age_band, registered_at, pin_hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, nickname = excluded.nickname,
                   home_region = excluded.home_region, age_band = excluded.age_band,
                   pin_hash = COALESCE(excluded.pin_hash, citizens.pin_hash)",
            )?
            .execute(params![
                c.id.to_string(),
                c.kind.as_str(),
                c.nickname.as_str(),
                c.home_region.as_str(),
                c.age_band.as_str(),
                c.registered_at.0,
                pin_hash
            ])?;
        Ok(())
    }

    /// Gives a card to a citizen. Giving it again to the same citizen changes nothing;
    /// a card that belongs to someone else is refused with [`StoreError::CardTaken`].
    pub fn issue_card(&mut self, uid: &CardUid, citizen: CitizenId, at: Timestamp) -> Result<()> {
        let inserted = self
            .tx
            .prepare_cached("INSERT INTO cards (uid, citizen_id, issued_at) VALUES (?1, ?2, ?3) ON CONFLICT(uid) DO NOTHING")?
            .execute(params![uid.to_string(), citizen.to_string(), at.0])?;
        if inserted == 0 && self.card(uid)?.is_some_and(|c| c.citizen != citizen) {
            return Err(StoreError::CardTaken { card: uid.to_string() });
        }
        Ok(())
    }

    /// Stops a card (lost, stolen, broken), naming its replacement if there is one.
    /// Returns false if the card is unknown.
    pub fn revoke_card(&mut self, uid: &CardUid, at: Timestamp, replaced_by: Option<&CardUid>) -> Result<bool> {
        let n = self.tx.execute(
            "UPDATE cards SET revoked_at = ?2, replaced_by = ?3 WHERE uid = ?1",
            params![uid.to_string(), at.0, replaced_by.map(|u| u.to_string())],
        )?;
        Ok(n == 1)
    }

    pub fn put_item(&mut self, item: &CatalogueItem) -> Result<()> {
        self.tx.execute(
            "INSERT INTO catalogue (id, stock, definition) VALUES (?1, ?2, ?3)
             ON CONFLICT(id) DO UPDATE SET stock = excluded.stock, definition = excluded.definition",
            params![item.id.to_string(), item.stock.as_count(), to_json(item)?],
        )?;
        Ok(())
    }

    pub fn put_theme(&mut self, theme: &Theme) -> Result<()> {
        self.tx.execute(
            "INSERT INTO themes (id, opens_at, closes_at, definition) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(id) DO UPDATE SET opens_at = excluded.opens_at, closes_at = excluded.closes_at,
               definition = excluded.definition",
            params![theme.id.to_string(), theme.opens_at.0, theme.closes_at.0, to_json(theme)?],
        )?;
        Ok(())
    }
}

fn item_with_stock(definition: &str, stock: Option<i64>) -> Result<CatalogueItem> {
    let mut item: CatalogueItem = from_json(definition)?;
    item.stock = match stock {
        None => Stock::Unlimited,
        Some(n) => Stock::Limited(u32::try_from(n).map_err(|_| StoreError::Corrupt(format!("stock {n}")))?),
    };
    Ok(item)
}

/// Loads citizens and their cards in bulk, in one transaction: the synthetic 500,000-citizen
/// directory, and later a new kiosk's first snapshot from the hub.
pub struct DirectoryLoader<'a, 'c> {
    tx: &'a mut Tx<'c>,
}

impl<'c> DirectoryLoader<'_, 'c> {
    pub fn citizen(&mut self, c: &Citizen, cards: &[CardUid]) -> Result<()> {
        self.tx.put_citizen(c, None)?;
        for uid in cards {
            self.tx.issue_card(uid, c.id, c.registered_at)?;
        }
        Ok(())
    }
}

impl Store {
    /// Runs `f` with a [`DirectoryLoader`] inside one transaction.
    pub fn load_directory<T>(&mut self, f: impl FnOnce(&mut DirectoryLoader<'_, '_>) -> Result<T>) -> Result<T> {
        self.transact(|tx| f(&mut DirectoryLoader { tx }))
    }
}
