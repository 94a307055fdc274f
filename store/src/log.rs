//! The event log and the outbox: appending an event applies its projections and queues it
//! for the hub in the same transaction.

use iki_core::{Actor, CardUid, EVENT_SCHEMA_VERSION, Event, EventId, Payload, Points, Timestamp};
use rusqlite::{OptionalExtension, params};

use crate::codec::{from_json, to_json};
use crate::{Result, Store, StoreError, Tx};

impl Tx<'_> {
    /// Appends an event with the next sequence number, applies it to the projections and
    /// puts it in the outbox. Durable when the surrounding transaction commits.
    pub fn append(&mut self, id: EventId, device_time: Timestamp, actor: Actor, payload: Payload) -> Result<Event> {
        let kiosk = self.identity()?.kiosk.id;
        let seq = self.next_seq()? as i64;
        let event = Event {
            id,
            kiosk,
            seq: seq as u64,
            device_time,
            actor,
            schema: EVENT_SCHEMA_VERSION,
            payload,
        };
        self.tx
            .prepare_cached("INSERT INTO events (seq, id, kind, device_time, schema, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?
            .execute(params![
                seq,
                event.id.to_string(),
                event.payload.kind(),
                event.device_time.0,
                event.schema,
                to_json(&event)?
            ])?;
        self.project(&event)?;
        self.queue(&event)?;
        Ok(event)
    }

    /// Puts a logged event in the outbox, with what it spends (for the offline allowance).
    fn queue(&mut self, event: &Event) -> Result<()> {
        let (card, spend) = match event.payload.card_spend() {
            Some((card, spend)) => (Some(card.to_string()), spend.0),
            None => (None, 0),
        };
        self.tx
            .prepare_cached("INSERT INTO outbox (seq, card_uid, spend) VALUES (?1, ?2, ?3) ON CONFLICT(seq) DO NOTHING")?
            .execute(params![event.seq as i64, card, spend])?;
        Ok(())
    }

    /// The hub holds this kiosk's events only through `held_through` (it was restored from
    /// a backup): every later event it had acknowledged goes back in the outbox to be sent
    /// again. Events the hub refused stay refused. Returns how many were queued again.
    pub fn requeue_after(&mut self, held_through: u64) -> Result<u64> {
        let bodies: Vec<String> = {
            let mut stmt = self.tx.prepare_cached(
                "SELECT body FROM events WHERE seq > ?1
                   AND seq NOT IN (SELECT seq FROM outbox) AND seq NOT IN (SELECT seq FROM sync_rejections)
                 ORDER BY seq",
            )?;
            let rows = stmt.query_map([held_through as i64], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for body in &bodies {
            self.queue(&decode_event(body)?)?;
        }
        Ok(bodies.len() as u64)
    }

    /// The sequence number the next appended event will get.
    pub fn next_seq(&self) -> Result<u64> {
        let seq: i64 = self.tx.query_row("SELECT COALESCE(MAX(seq), 0) + 1 FROM events", [], |r| r.get(0))?;
        Ok(seq as u64)
    }

    /// The event with this id, if it is in the log.
    pub fn event(&self, id: EventId) -> Result<Option<Event>> {
        let body: Option<String> = self
            .tx
            .prepare_cached("SELECT body FROM events WHERE id = ?1")?
            .query_row([id.to_string()], |r| r.get(0))
            .optional()?;
        body.map(|b| decode_event(&b)).transpose()
    }

    /// The event with this sequence number, if it is in the log.
    pub fn event_at(&self, seq: u64) -> Result<Option<Event>> {
        let body: Option<String> = self
            .tx
            .prepare_cached("SELECT body FROM events WHERE seq = ?1")?
            .query_row([seq as i64], |r| r.get(0))
            .optional()?;
        body.map(|b| decode_event(&b)).transpose()
    }

    /// The number of events in the log.
    pub fn event_count(&self) -> Result<u64> {
        Ok(self.tx.query_row("SELECT COUNT(*) FROM events", [], |r| r.get::<_, i64>(0))? as u64)
    }

    /// Events the hub has not acknowledged, in sequence order, after `after_seq`.
    pub fn outbox_batch(&self, after_seq: u64, limit: usize) -> Result<Vec<Event>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT e.body FROM outbox o JOIN events e ON e.seq = o.seq WHERE o.seq > ?1 ORDER BY o.seq LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![after_seq as i64, limit as i64], |r| r.get::<_, String>(0))?;
        rows.map(|b| decode_event(&b?)).collect()
    }

    pub fn outbox_len(&self) -> Result<u64> {
        Ok(self.tx.query_row("SELECT COUNT(*) FROM outbox", [], |r| r.get::<_, i64>(0))? as u64)
    }

    /// Removes acknowledged events from the outbox (the log keeps them). Acknowledging
    /// twice is harmless.
    pub fn acknowledge(&mut self, seqs: &[u64]) -> Result<()> {
        let mut stmt = self.tx.prepare_cached("DELETE FROM outbox WHERE seq = ?1")?;
        for &seq in seqs {
            stmt.execute([seq as i64])?;
        }
        Ok(())
    }

    /// What a card has spent in events the hub has not acknowledged yet.
    pub fn pending_spend(&self, card: &CardUid) -> Result<Points> {
        let sum: i64 = self
            .tx
            .prepare_cached("SELECT COALESCE(SUM(spend), 0) FROM outbox WHERE card_uid = ?1")?
            .query_row([card.to_string()], |r| r.get(0))?;
        Ok(Points(sum))
    }
}

fn decode_event(body: &str) -> Result<Event> {
    let event: Event = from_json(body)?;
    if event.schema > EVENT_SCHEMA_VERSION {
        return Err(StoreError::Corrupt(format!("event schema {} is newer than {EVENT_SCHEMA_VERSION}", event.schema)));
    }
    Ok(event)
}

impl Store {
    /// Unacknowledged events after `after_seq`, for the sync client.
    pub fn outbox_batch(&mut self, after_seq: u64, limit: usize) -> Result<Vec<Event>> {
        self.read(|tx| tx.outbox_batch(after_seq, limit))
    }

    /// Marks events as received by the hub.
    pub fn acknowledge(&mut self, seqs: &[u64]) -> Result<()> {
        self.transact(|tx| tx.acknowledge(seqs))
    }
}
