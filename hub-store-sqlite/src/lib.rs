//! The hub's storage on one SQLite file (WAL, `synchronous=FULL`): the default backend,
//! which needs no set-up. The only crate on the hub side that knows SQL.

mod desk;
mod ingest;

use std::path::Path;
use std::sync::Mutex;

use iki_core::{CardUid, CitizenId, Kiosk, KioskId, Place, PlaceId, Points, StaffId, Timestamp};
use iki_hub_store::{
    AuditEntry, Directory, FeedPage, FlagRecord, HubStore, KioskAccount, Result, Role, StaffAccount, StaffReply, StoreError,
};
use iki_sync::protocol::{Change, EventResult};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_hub.sql"),
    include_str!("../migrations/0002_citizen_search.sql"),
    include_str!("../migrations/0003_staff_replies.sql"),
    include_str!("../migrations/0004_growth_index.sql"),
];

fn err(e: rusqlite::Error) -> StoreError {
    StoreError::Backend(e.to_string())
}

fn io(e: std::io::Error) -> StoreError {
    StoreError::Backend(e.to_string())
}

fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn parse<T: std::str::FromStr>(text: &str) -> Result<T> {
    text.parse().map_err(|_| StoreError::Corrupt(format!("bad id {text}")))
}

/// A hub database.
pub struct SqliteHubStore {
    conn: Mutex<Connection>,
}

impl SqliteHubStore {
    /// Opens (creating if missing) the hub's database, bringing its schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        Self::setup(Connection::open(path).map_err(err)?)
    }

    pub fn open_in_memory() -> Result<Self> {
        Self::setup(Connection::open_in_memory().map_err(err)?)
    }

    fn setup(mut conn: Connection) -> Result<Self> {
        conn.pragma_update(None, "journal_mode", "WAL").map_err(err)?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(err)?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(err)?;
        conn.busy_timeout(std::time::Duration::from_secs(10)).map_err(err)?;
        let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(err)?;
        if version as usize > MIGRATIONS.len() {
            return Err(StoreError::Backend(format!(
                "the hub database is at schema {version}, newer than this hub ({}); update the hub",
                MIGRATIONS.len()
            )));
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = conn.transaction().map_err(err)?;
            tx.execute_batch(sql).map_err(err)?;
            tx.pragma_update(None, "user_version", (i + 1) as u32).map_err(err)?;
            tx.commit().map_err(err)?;
        }
        Ok(Self { conn: Mutex::new(conn) })
    }

    /// A consistent copy of the whole database at `to`, made while the hub serves: one read
    /// transaction (`VACUUM INTO`), so it holds every batch whole or not at all. The copy
    /// is written beside `to`, checked, synced and then renamed, so `to` is never half a file.
    pub fn backup_to(&self, to: &Path) -> Result<()> {
        let partial = to.with_extension("partial");
        let _ = std::fs::remove_file(&partial);
        let path = partial.to_str().ok_or_else(|| StoreError::Backend(format!("{} is not a UTF-8 path", partial.display())))?;
        self.read(|c| c.execute("VACUUM INTO ?1", [path]).map_err(err))?;
        let copy = Self::open_existing(&partial)?;
        copy.integrity_check()?;
        drop(copy);
        let file = std::fs::File::open(&partial).map_err(io)?;
        file.sync_all().map_err(io)?;
        std::fs::rename(&partial, to).map_err(io)?;
        if let Some(dir) = to.parent().and_then(|d| std::fs::File::open(if d.as_os_str().is_empty() { Path::new(".") } else { d }).ok()) {
            let _ = dir.sync_all();
        }
        Ok(())
    }

    /// Puts the backup `from` in place as the database at `database` (with the hub stopped).
    /// The backup is copied, upgraded to this hub's schema and checked before anything is
    /// touched; the database it replaces, with its WAL files, is kept beside it as
    /// `<name>.before-restore-<unix seconds>`, whose path is returned. Nothing is deleted.
    pub fn restore(from: &Path, database: &Path, now_unix: u64) -> Result<Option<std::path::PathBuf>> {
        let partial = database.with_extension("restoring");
        std::fs::copy(from, &partial).map_err(|e| StoreError::Backend(format!("copying {}: {e}", from.display())))?;
        let check = Self::open_existing(&partial).and_then(|copy| copy.integrity_check());
        if let Err(e) = check {
            let _ = std::fs::remove_file(&partial);
            return Err(StoreError::Corrupt(format!("{} is not a usable hub backup: {e}", from.display())));
        }
        std::fs::File::open(&partial).and_then(|f| f.sync_all()).map_err(io)?;
        let mut kept = None;
        if database.exists() {
            let aside = database.with_extension(format!("before-restore-{now_unix}"));
            for suffix in ["-wal", "-shm"] {
                let side = std::path::PathBuf::from(format!("{}{suffix}", database.display()));
                if side.exists() {
                    std::fs::rename(&side, format!("{}{suffix}", aside.display())).map_err(io)?;
                }
            }
            std::fs::rename(database, &aside).map_err(io)?;
            kept = Some(aside);
        }
        std::fs::rename(&partial, database).map_err(io)?;
        Ok(kept)
    }

    /// Opens a database that must already exist (a backup, say), upgrading its schema.
    pub fn open_existing(path: &Path) -> Result<Self> {
        let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
        Self::setup(Connection::open_with_flags(path, flags).map_err(|e| StoreError::Backend(format!("{}: {e}", path.display())))?)
    }

    /// SQLite's own consistency check; `Ok(())` when it reports "ok".
    pub fn integrity_check(&self) -> Result<()> {
        self.read(|c| {
            let report: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(err)?;
            if report == "ok" { Ok(()) } else { Err(StoreError::Corrupt(report)) }
        })
    }

    fn write<T>(&self, f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(err)?;
        let out = f(&tx)?;
        tx.commit().map_err(err)?;
        Ok(out)
    }

    fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        f(&conn)
    }
}

/// Appends a change to the feed.
pub(crate) fn publish(tx: &rusqlite::Transaction<'_>, change: &Change) -> Result<()> {
    let kind = match change {
        Change::Place { .. } => "place",
        Change::Kiosk { .. } => "kiosk",
        Change::Stop { .. } => "stop",
        Change::Item { .. } => "item",
        Change::Theme { .. } => "theme",
        Change::Citizen { .. } => "citizen",
        Change::CardIssued { .. } => "card_issued",
        Change::CardRevoked { .. } => "card_revoked",
        Change::PortArrival { .. } => "port_arrival",
        Change::Wallet { .. } => "wallet",
        Change::Ride { .. } => "ride",
    };
    let body = json(change)?;
    tx.prepare_cached("INSERT INTO changes (kind, body) VALUES (?1, ?2)")
        .and_then(|mut s| s.execute(params![kind, body]))
        .map_err(err)?;
    Ok(())
}

fn audit(tx: &rusqlite::Transaction<'_>, at: Timestamp, by: StaffId, action: &str, subject: &str, before: Option<String>, after: Option<String>) -> Result<()> {
    tx.execute(
        "INSERT INTO audit (at, staff_id, action, subject, before, after) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![at.0, by.to_string(), action, subject, before, after],
    )
    .map_err(err)?;
    Ok(())
}

/// Writes a place and publishes it.
pub(crate) fn upsert_place(tx: &rusqlite::Transaction<'_>, place: &Place) -> Result<()> {
    tx.execute(
        "INSERT INTO places (id, definition) VALUES (?1, ?2) ON CONFLICT(id) DO UPDATE SET definition = excluded.definition",
        params![place.id.to_string(), json(place)?],
    )
    .map_err(err)?;
    publish(tx, &Change::Place { place: place.clone() })
}

/// Writes a catalogue item (with its stock) and publishes it.
pub(crate) fn upsert_item(tx: &rusqlite::Transaction<'_>, item: &iki_core::CatalogueItem) -> Result<()> {
    tx.execute(
        "INSERT INTO catalogue (id, stock, definition) VALUES (?1, ?2, ?3)
         ON CONFLICT(id) DO UPDATE SET stock = excluded.stock, definition = excluded.definition",
        params![item.id.to_string(), item.stock.as_count(), json(item)?],
    )
    .map_err(err)?;
    publish(tx, &Change::Item { item: item.clone() })
}

/// Writes a theme and publishes it.
pub(crate) fn upsert_theme(tx: &rusqlite::Transaction<'_>, theme: &iki_core::Theme) -> Result<()> {
    tx.execute(
        "INSERT INTO themes (id, closes_at, definition) VALUES (?1, ?2, ?3)
         ON CONFLICT(id) DO UPDATE SET closes_at = excluded.closes_at, definition = excluded.definition",
        params![theme.id.to_string(), theme.closes_at.0, json(theme)?],
    )
    .map_err(err)?;
    publish(tx, &Change::Theme { theme: theme.clone() })
}

pub(crate) fn upsert_citizen(tx: &rusqlite::Transaction<'_>, c: &iki_core::Citizen, pin_hash: Option<&str>) -> Result<()> {
    let definition = json(c)?;
    tx.prepare_cached(
        "INSERT INTO citizens (id, kind, definition, pin_hash) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, definition = excluded.definition,
           pin_hash = COALESCE(excluded.pin_hash, citizens.pin_hash)",
    )
    .and_then(|mut s| s.execute(params![c.id.to_string(), c.kind.as_str(), definition, pin_hash]))
    .map_err(err)?;
    publish(tx, &Change::Citizen { citizen: c.clone(), pin_hash: pin_hash.map(str::to_owned) })
}

/// Gives a card to a citizen; false (and nothing written) if it belongs to someone else.
pub(crate) fn issue_card(tx: &rusqlite::Transaction<'_>, card: &CardUid, citizen: CitizenId, at: Timestamp) -> Result<bool> {
    let owner: Option<String> = tx
        .prepare_cached("SELECT citizen_id FROM cards WHERE uid = ?1")
        .and_then(|mut s| s.query_row([card.to_string()], |r| r.get(0)).optional())
        .map_err(err)?;
    match owner {
        Some(o) if o != citizen.to_string() => Ok(false),
        Some(_) => Ok(true),
        None => {
            tx.prepare_cached("INSERT INTO cards (uid, citizen_id, issued_at) VALUES (?1, ?2, ?3)")
                .and_then(|mut s| s.execute(params![card.to_string(), citizen.to_string(), at.0]))
                .map_err(err)?;
            publish(tx, &Change::CardIssued { card: *card, citizen, at })?;
            Ok(true)
        }
    }
}

impl HubStore for SqliteHubStore {
    fn load_directory(&self, d: &Directory) -> Result<()> {
        self.write(|tx| {
            for p in &d.places {
                upsert_place(tx, p)?;
            }
            for k in &d.kiosks {
                tx.execute(
                    "INSERT INTO kiosks (id, place_id, code, definition) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT(id) DO UPDATE SET place_id = excluded.place_id, code = excluded.code, definition = excluded.definition",
                    params![k.id.to_string(), k.place.to_string(), k.code, json(k)?],
                )
                .map_err(err)?;
                publish(tx, &Change::Kiosk { kiosk: k.clone() })?;
            }
            for s in &d.stops {
                tx.execute(
                    "INSERT INTO stops (id, definition) VALUES (?1, ?2) ON CONFLICT(id) DO UPDATE SET definition = excluded.definition",
                    params![s.id.to_string(), json(s)?],
                )
                .map_err(err)?;
                publish(tx, &Change::Stop { stop: s.clone() })?;
            }
            for i in &d.items {
                upsert_item(tx, i)?;
            }
            for t in &d.themes {
                upsert_theme(tx, t)?;
            }
            for (c, cards, pin) in &d.citizens {
                upsert_citizen(tx, c, pin.as_deref())?;
                for card in cards {
                    if !issue_card(tx, card, c.id, c.registered_at)? {
                        return Err(StoreError::Conflict(format!("card {card} already belongs to another citizen")));
                    }
                }
            }
            for (card, replaced_by) in &d.revoked_cards {
                let n = tx
                    .execute(
                        "UPDATE cards SET revoked_at = COALESCE(revoked_at, issued_at), replaced_by = ?2 WHERE uid = ?1 AND revoked_at IS NULL",
                        params![card.to_string(), replaced_by.map(|r| r.to_string())],
                    )
                    .map_err(err)?;
                if n == 1 {
                    publish(tx, &Change::CardRevoked { card: *card, at: Timestamp(0), replaced_by: *replaced_by })?;
                }
            }
            Ok(())
        })
    }

    fn is_empty(&self) -> Result<bool> {
        self.read(|c| c.query_row("SELECT NOT EXISTS (SELECT 1 FROM places)", [], |r| r.get(0)).map_err(err))
    }

    fn create_staff(&self, id: StaffId, username: &str, password_hash: &str, role: Role) -> Result<()> {
        self.write(|tx| {
            let n = tx
                .execute(
                    "INSERT INTO staff (id, username, password_hash, role) VALUES (?1, ?2, ?3, ?4) ON CONFLICT(username) DO NOTHING",
                    params![id.to_string(), username, password_hash, role.as_str()],
                )
                .map_err(err)?;
            if n == 0 {
                return Err(StoreError::Conflict(format!("a staff account named {username} exists already")));
            }
            Ok(())
        })
    }

    fn staff_by_username(&self, username: &str) -> Result<Option<StaffAccount>> {
        self.read(|c| {
            let row = c
                .query_row(
                    "SELECT id, password_hash, role, failed_logins, last_failed_at FROM staff WHERE username = ?1",
                    [username],
                    |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, i64>(3)?, r.get::<_, Option<i64>>(4)?)),
                )
                .optional()
                .map_err(err)?;
            row.map(|(id, password_hash, role, failed, last)| {
                Ok(StaffAccount {
                    id: parse(&id)?,
                    username: username.to_owned(),
                    password_hash,
                    role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("role {role}")))?,
                    failed_logins: failed as u32,
                    last_failed_at: last.map(Timestamp),
                })
            })
            .transpose()
        })
    }

    fn record_login(&self, staff: StaffId, succeeded: bool, at: Timestamp) -> Result<()> {
        self.write(|tx| {
            if succeeded {
                tx.execute("UPDATE staff SET failed_logins = 0, last_failed_at = NULL WHERE id = ?1", [staff.to_string()])
            } else {
                tx.execute("UPDATE staff SET failed_logins = failed_logins + 1, last_failed_at = ?2 WHERE id = ?1", params![staff.to_string(), at.0])
            }
            .map_err(err)?;
            Ok(())
        })
    }

    fn create_session(&self, staff: StaffId, token_hash: &str, expires_at: Timestamp) -> Result<()> {
        self.write(|tx| {
            tx.execute("INSERT INTO sessions (token_hash, staff_id, expires_at) VALUES (?1, ?2, ?3)", params![token_hash, staff.to_string(), expires_at.0])
                .map_err(err)?;
            Ok(())
        })
    }

    fn session(&self, token_hash: &str, now: Timestamp) -> Result<Option<(StaffId, Role)>> {
        self.read(|c| {
            let row = c
                .query_row(
                    "SELECT s.staff_id, st.role FROM sessions s JOIN staff st ON st.id = s.staff_id WHERE s.token_hash = ?1 AND s.expires_at > ?2",
                    params![token_hash, now.0],
                    |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
                )
                .optional()
                .map_err(err)?;
            row.map(|(id, role)| Ok((parse(&id)?, Role::parse(&role).ok_or_else(|| StoreError::Corrupt(role.clone()))?))).transpose()
        })
    }

    fn create_enrolment(&self, by: StaffId, code_hash: &str, place: PlaceId, kiosk_code: &str, expires_at: Timestamp, now: Timestamp) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO enrolment_codes (code_hash, place_id, kiosk_code, created_by, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![code_hash, place.to_string(), kiosk_code, by.to_string(), expires_at.0],
            )
            .map_err(|e| StoreError::Conflict(format!("the enrolment code could not be stored: {e}")))?;
            audit(tx, now, by, "create_enrolment_code", &format!("place {place} kiosk {kiosk_code}"), None, Some(format!("expires {expires_at}")))
        })
    }

    fn enrol(&self, code_hash: &str, credential_hash: &str, kiosk: KioskId, now: Timestamp) -> Result<Option<(Kiosk, Place)>> {
        self.write(|tx| {
            let row = tx
                .query_row(
                    "SELECT place_id, kiosk_code FROM enrolment_codes WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2",
                    params![code_hash, now.0],
                    |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
                )
                .optional()
                .map_err(err)?;
            let Some((place_id, code)) = row else { return Ok(None) };
            let place: Place = from_json(&tx.query_row("SELECT definition FROM places WHERE id = ?1", [&place_id], |r| r.get::<_, String>(0)).map_err(err)?)?;
            // Re-enrolling a kiosk code gives that kiosk a new identity and credential.
            let k = Kiosk { id: kiosk, place: place.id, code: code.clone(), label: format!("{code} kiosk") };
            tx.execute("UPDATE kiosks SET code = code || '-retired-' || ?2, revoked_at = COALESCE(revoked_at, ?2) WHERE code = ?1", params![code, now.0])
                .map_err(err)?;
            tx.execute(
                "INSERT INTO kiosks (id, place_id, code, definition, credential_hash, enrolled_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![k.id.to_string(), place_id, code, json(&k)?, credential_hash, now.0],
            )
            .map_err(err)?;
            tx.execute("UPDATE enrolment_codes SET used_at = ?2 WHERE code_hash = ?1", params![code_hash, now.0]).map_err(err)?;
            publish(tx, &Change::Kiosk { kiosk: k.clone() })?;
            Ok(Some((k, place)))
        })
    }

    fn kiosk_by_credential(&self, credential_hash: &str) -> Result<Option<KioskAccount>> {
        self.read(|c| {
            let row = c
                .query_row("SELECT definition, revoked_at FROM kiosks WHERE credential_hash = ?1", [credential_hash], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?))
                })
                .optional()
                .map_err(err)?;
            row.map(|(def, revoked)| Ok(KioskAccount { kiosk: from_json(&def)?, revoked: revoked.is_some() })).transpose()
        })
    }

    fn revoke_kiosk(&self, by: StaffId, kiosk: KioskId, now: Timestamp) -> Result<bool> {
        self.write(|tx| {
            let n = tx.execute("UPDATE kiosks SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL", params![kiosk.to_string(), now.0]).map_err(err)?;
            if n == 1 {
                audit(tx, now, by, "revoke_kiosk", &format!("kiosk {kiosk}"), Some("active".into()), Some("revoked".into()))?;
            }
            Ok(n == 1)
        })
    }

    fn touch_kiosk(&self, kiosk: KioskId, now: Timestamp) -> Result<()> {
        self.write(|tx| {
            tx.execute("UPDATE kiosks SET last_seen_at = ?2 WHERE id = ?1", params![kiosk.to_string(), now.0]).map_err(err)?;
            Ok(())
        })
    }

    fn ingest(&self, kiosk: KioskId, events: &[iki_core::Event], now: Timestamp) -> Result<Vec<EventResult>> {
        self.write(|tx| ingest::batch(tx, kiosk, events, now))
    }

    fn feed(&self, cursor: u64, limit: usize) -> Result<FeedPage> {
        self.read(|c| {
            let max: i64 = c.query_row("SELECT COALESCE(MAX(seq), 0) FROM changes", [], |r| r.get(0)).map_err(err)?;
            // Past the end: this database is older than what the kiosk pulled (a restore).
            let after = if cursor as i64 > max { 0 } else { cursor as i64 };
            let bodies = |sql: &str, args: &[&dyn rusqlite::ToSql]| -> Result<Vec<(i64, String)>> {
                let mut stmt = c.prepare_cached(sql).map_err(err)?;
                let rows = stmt.query_map(args, |r| Ok((r.get(0)?, r.get(1)?))).map_err(err)?;
                rows.collect::<rusqlite::Result<_>>().map_err(err)
            };
            let revocations = bodies("SELECT seq, body FROM changes WHERE kind = 'card_revoked' AND seq > ?1 ORDER BY seq", &[&after])?;
            let page = bodies(
                "SELECT seq, body FROM changes WHERE seq > ?1 AND kind != 'card_revoked' ORDER BY seq LIMIT ?2",
                &[&after, &(limit as i64)],
            )?;
            let next = page.last().map_or(max.max(after), |(s, _)| *s);
            let remaining: i64 = c
                .query_row("SELECT COUNT(*) FROM changes WHERE seq > ?1 AND kind != 'card_revoked'", [next], |r| r.get(0))
                .map_err(err)?;
            Ok(FeedPage {
                revocations: revocations.iter().map(|(_, b)| from_json(b)).collect::<Result<_>>()?,
                changes: page.iter().map(|(_, b)| from_json(b)).collect::<Result<_>>()?,
                cursor: next as u64,
                remaining: remaining as u64,
            })
        })
    }

    fn kiosk_high_seq(&self, kiosk: KioskId) -> Result<u64> {
        self.read(|c| {
            c.prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM events WHERE kiosk_id = ?1")
                .and_then(|mut s| s.query_row([kiosk.to_string()], |r| r.get::<_, i64>(0)))
                .map(|seq| seq as u64)
                .map_err(err)
        })
    }

    fn revoke_card(&self, by: StaffId, card: &CardUid, replaced_by: Option<&CardUid>, now: Timestamp) -> Result<bool> {
        self.write(|tx| {
            let n = tx
                .execute(
                    "UPDATE cards SET revoked_at = ?2, replaced_by = ?3 WHERE uid = ?1 AND revoked_at IS NULL",
                    params![card.to_string(), now.0, replaced_by.map(ToString::to_string)],
                )
                .map_err(err)?;
            if n == 1 {
                publish(tx, &Change::CardRevoked { card: *card, at: now, replaced_by: replaced_by.copied() })?;
                audit(tx, now, by, "revoke_card", &format!("card {card}"), Some("active".into()), Some(match replaced_by {
                    Some(r) => format!("revoked, replaced by {r}"),
                    None => "revoked".into(),
                }))?;
            }
            Ok(n == 1)
        })
    }

    fn flags(&self) -> Result<Vec<FlagRecord>> {
        self.read(|c| {
            let mut stmt = c.prepare("SELECT kiosk_id, seq, raised_at, body FROM flags ORDER BY id").map_err(err)?;
            let rows = stmt
                .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?, r.get::<_, String>(3)?)))
                .map_err(err)?;
            rows.map(|row| {
                let (kiosk, seq, at, body) = row.map_err(err)?;
                Ok(FlagRecord { kiosk: parse(&kiosk)?, seq: seq as u64, raised_at: Timestamp(at), flag: from_json(&body)? })
            })
            .collect()
        })
    }

    fn staff_reply(&self, by: StaffId, key: &str) -> Result<Option<StaffReply>> {
        self.read(|c| {
            c.prepare_cached("SELECT request, status, body FROM staff_replies WHERE staff_id = ?1 AND key = ?2")
                .and_then(|mut s| {
                    s.query_row(params![by.to_string(), key], |r| {
                        Ok(StaffReply { request: r.get(0)?, status: r.get::<_, i64>(1)? as u16, body: r.get(2)? })
                    })
                    .optional()
                })
                .map_err(err)
        })
    }

    fn keep_staff_reply(&self, by: StaffId, key: &str, reply: &StaffReply, now: Timestamp) -> Result<()> {
        self.write(|tx| {
            tx.execute("DELETE FROM staff_replies WHERE kept_at < ?1", [now.plus_days(-1).0]).map_err(err)?;
            tx.execute(
                "INSERT INTO staff_replies (staff_id, key, request, status, body, kept_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(staff_id, key) DO NOTHING",
                params![by.to_string(), key, reply.request, i64::from(reply.status), reply.body, now.0],
            )
            .map_err(err)?;
            Ok(())
        })
    }

    fn audit_log(&self) -> Result<Vec<AuditEntry>> {
        self.audit_entries("ORDER BY a.id", params![])
    }

    fn audit_page(&self, before: Option<u64>, limit: usize) -> Result<Vec<AuditEntry>> {
        let before = before.map_or(i64::MAX, |b| b as i64);
        self.audit_entries("WHERE a.id < ?1 ORDER BY a.id DESC LIMIT ?2", params![before, limit as i64])
    }

    fn balance(&self, citizen: CitizenId) -> Result<Points> {
        self.read(|c| {
            c.query_row("SELECT COALESCE(SUM(amount), 0) FROM ledger WHERE account = ?1", [format!("citizen:{citizen}")], |r| r.get(0))
                .map(Points)
                .map_err(err)
        })
    }

    fn ledger_total(&self) -> Result<Points> {
        self.read(|c| c.query_row("SELECT COALESCE(SUM(amount), 0) FROM ledger", [], |r| r.get(0)).map(Points).map_err(err))
    }

    fn event_count(&self) -> Result<u64> {
        self.read(|c| c.query_row("SELECT COUNT(*) FROM events", [], |r| r.get::<_, i64>(0)).map(|n| n as u64).map_err(err))
    }

    fn register_citizen(&self, by: StaffId, citizen: &iki_core::Citizen, card: Option<&CardUid>, now: Timestamp) -> Result<()> {
        self.desk_register_citizen(by, citizen, card, now)
    }

    fn issue_card(&self, by: StaffId, card: &CardUid, citizen: CitizenId, now: Timestamp) -> Result<bool> {
        self.desk_issue_card(by, card, citizen, now)
    }

    fn reset_pin(&self, by: StaffId, citizen: CitizenId, pin_hash: &str, now: Timestamp) -> Result<bool> {
        self.desk_reset_pin(by, citizen, pin_hash, now)
    }

    fn adjust_points(&self, by: StaffId, citizen: CitizenId, amount: i64, reason: &str, expires_at: Timestamp, now: Timestamp) -> Result<Option<Points>> {
        self.desk_adjust_points(by, citizen, amount, reason, expires_at, now)
    }

    fn verify_coupon(&self, by: StaffId, code: &str, now: Timestamp) -> Result<iki_hub_store::CouponCheck> {
        self.desk_verify_coupon(by, code, now)
    }

    fn rides(&self, active_only: bool) -> Result<Vec<iki_hub_store::DispatchRide>> {
        self.desk_rides(active_only)
    }

    fn update_ride(
        &self,
        by: StaffId,
        ride: iki_core::RideId,
        update: &iki_hub_store::RideUpdate,
        now: Timestamp,
    ) -> Result<Option<std::result::Result<iki_hub_store::DispatchRide, iki_core::RuleError>>> {
        self.desk_update_ride(by, ride, update, now)
    }

    fn visits(&self, from: iki_core::LocalDay, to: iki_core::LocalDay) -> Result<Vec<iki_hub_store::VisitCount>> {
        self.desk_visits(from, to)
    }

    fn citizen_counts(&self) -> Result<Vec<(String, u64)>> {
        self.desk_citizen_counts()
    }

    fn record_kiosk_health(&self, kiosk: KioskId, health: &serde_json::Value, now: Timestamp) -> Result<()> {
        self.desk_record_kiosk_health(kiosk, health, now)
    }

    fn kiosks(&self) -> Result<Vec<iki_hub_store::KioskStatus>> {
        self.desk_kiosks()
    }

    fn put_place(&self, by: StaffId, place: &Place, now: Timestamp) -> Result<()> {
        self.desk_put_place(by, place, now)
    }

    fn put_item(&self, by: StaffId, item: &iki_core::CatalogueItem, now: Timestamp) -> Result<()> {
        self.desk_put_item(by, item, now)
    }

    fn put_theme(&self, by: StaffId, theme: &iki_core::Theme, now: Timestamp) -> Result<()> {
        self.desk_put_theme(by, theme, now)
    }

    fn theme(&self, theme: iki_core::ThemeId) -> Result<Option<iki_core::Theme>> {
        self.desk_theme(theme)
    }

    fn theme_results(&self, theme: iki_core::ThemeId) -> Result<Option<iki_hub_store::ThemeResults>> {
        self.desk_theme_results(theme)
    }

    fn paper_ballot(&self, by: StaffId, theme: iki_core::ThemeId, citizen: CitizenId, choices: &iki_core::Choices, now: Timestamp) -> Result<()> {
        self.desk_paper_ballot(by, theme, citizen, choices, now)
    }

    fn citizen(&self, citizen: CitizenId) -> Result<Option<iki_core::Citizen>> {
        self.desk_citizen(citizen)
    }

    fn search_citizens(&self, query: &str, limit: usize) -> Result<Vec<iki_sync::staff::CitizenHit>> {
        self.desk_search_citizens(query, limit)
    }

    fn citizen_file(&self, citizen: CitizenId) -> Result<Option<iki_sync::staff::CitizenFile>> {
        self.desk_citizen_file(citizen)
    }

    fn update_citizen(&self, by: StaffId, citizen: &iki_core::Citizen, now: Timestamp) -> Result<bool> {
        self.desk_update_citizen(by, citizen, now)
    }

    fn engagement(&self) -> Result<iki_hub_store::Engagement> {
        self.desk_engagement()
    }

    fn items(&self) -> Result<Vec<iki_core::CatalogueItem>> {
        self.desk_items()
    }

    fn themes(&self) -> Result<Vec<iki_core::Theme>> {
        self.definitions("SELECT definition FROM themes ORDER BY closes_at DESC")
    }

    fn stops(&self) -> Result<Vec<iki_core::Stop>> {
        self.definitions("SELECT definition FROM stops ORDER BY id")
    }

    fn lockouts(&self, since: Timestamp, attempts: u8) -> Result<Vec<iki_sync::staff::Lockout>> {
        self.desk_lockouts(since, attempts)
    }

    fn regions(&self, from: iki_core::LocalDay, to: iki_core::LocalDay) -> Result<Vec<iki_sync::staff::RegionCount>> {
        self.desk_regions(from, to)
    }

    fn growth(&self) -> Result<Vec<iki_sync::staff::GrowthPoint>> {
        self.desk_growth()
    }

    fn places(&self) -> Result<Vec<Place>> {
        self.definitions("SELECT definition FROM places ORDER BY id")
    }
}

impl SqliteHubStore {
    /// Audit entries with the staff member's user name, in the order and range `tail` says.
    fn audit_entries(&self, tail: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<AuditEntry>> {
        self.read(|c| {
            let sql = format!(
                "SELECT a.id, a.at, a.staff_id, s.username, a.action, a.subject, a.before, a.after
                 FROM audit a LEFT JOIN staff s ON s.id = a.staff_id {tail}"
            );
            let mut stmt = c.prepare(&sql).map_err(err)?;
            let rows = stmt
                .query_map(args, |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?))
                })
                .map_err(err)?;
            rows.map(|row| {
                let (id, at, staff, staff_name, action, subject, before, after) = row.map_err(err)?;
                Ok(AuditEntry { id: id as u64, at: Timestamp(at), staff: parse(&staff)?, staff_name, action, subject, before, after })
            })
            .collect()
        })
    }
}
