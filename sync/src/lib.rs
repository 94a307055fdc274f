//! Sync client: will push a kiosk's outbox to the hub and pull the hub's change feed.
//!
//! Not built yet — issue 4. What it will read and acknowledge already exists in
//! `iki-store`: `Store::outbox_batch` (unacknowledged events in sequence order) and
//! `Store::acknowledge`. This crate exports nothing until it works.
