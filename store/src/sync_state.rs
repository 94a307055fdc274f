//! What sync keeps in the kiosk store: the change-feed cursor, refused events, and the
//! directory changes pulled from the hub (the hub is the authority; these overwrite);
//! and the kiosk's own settings from its staff screen.

use iki_core::{CardUid, CitizenId, Timestamp};
use rusqlite::{OptionalExtension, params};

use crate::{Result, Tx};

impl Tx<'_> {
    /// A remembered sync value (`pull_cursor`, `last_push_at` …).
    pub fn sync_value(&self, key: &str) -> Result<Option<String>> {
        Ok(self.tx.query_row("SELECT value FROM sync_state WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }

    pub fn set_sync_value(&mut self, key: &str, value: &str) -> Result<()> {
        self.tx.execute(
            "INSERT INTO sync_state (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// A setting staff made on the kiosk (`volume`, `language`).
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self.tx.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// Records that the hub refused an event (it leaves the outbox; staff can see why).
    pub fn reject(&mut self, seq: u64, reason: &str, at: Timestamp) -> Result<()> {
        self.tx.execute(
            "INSERT INTO sync_rejections (seq, reason, rejected_at) VALUES (?1, ?2, ?3) ON CONFLICT(seq) DO NOTHING",
            params![seq as i64, reason, at.0],
        )?;
        self.acknowledge(&[seq])
    }

    /// Events the hub refused: (sequence number, reason).
    pub fn rejections(&self) -> Result<Vec<(u64, String)>> {
        let mut stmt = self.tx.prepare_cached("SELECT seq, reason FROM sync_rejections ORDER BY seq")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, String>(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The hub says the citizen has made their first port arrival (somewhere).
    pub fn mark_port_arrival(&mut self, citizen: CitizenId, at: Timestamp) -> Result<()> {
        self.tx.execute(
            "UPDATE citizens SET port_arrival_at = COALESCE(port_arrival_at, ?2) WHERE id = ?1",
            params![citizen.to_string(), at.0],
        )?;
        Ok(())
    }

    /// The hub says this card belongs to `citizen`: record it, whoever held it here.
    pub fn mirror_card(&mut self, uid: &CardUid, citizen: CitizenId, at: Timestamp) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO cards (uid, citizen_id, issued_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT(uid) DO UPDATE SET citizen_id = excluded.citizen_id",
            )?
            .execute(params![uid.to_string(), citizen.to_string(), at.0])?;
        Ok(())
    }
}
