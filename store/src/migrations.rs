//! Append-only schema migrations, tracked in SQLite's `user_version`.
//!
//! A migration, once released, is never edited: changes come as a new file at the end.

use rusqlite::Connection;

use crate::{Result, StoreError};

/// One step of the schema.
pub struct Migration {
    pub version: u32,
    pub name: &'static str,
    pub sql: &'static str,
}

/// Every migration, in order. Append only.
pub const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "directory", sql: include_str!("../migrations/0001_directory.sql") },
    Migration { version: 2, name: "event_log", sql: include_str!("../migrations/0002_event_log.sql") },
    Migration { version: 3, name: "projections", sql: include_str!("../migrations/0003_projections.sql") },
    Migration { version: 4, name: "sync_state", sql: include_str!("../migrations/0004_sync_state.sql") },
    Migration { version: 5, name: "hub_wallets", sql: include_str!("../migrations/0005_hub_wallets.sql") },
    Migration { version: 6, name: "ride_dispatch", sql: include_str!("../migrations/0006_ride_dispatch.sql") },
    Migration { version: 7, name: "settings", sql: include_str!("../migrations/0007_settings.sql") },
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS[MIGRATIONS.len() - 1].version;

pub(crate) fn current_version(conn: &Connection) -> Result<u32> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

/// Applies the migrations after the current version, up to `target`, each in its own
/// transaction together with the new `user_version`.
pub(crate) fn migrate(conn: &mut Connection, target: u32) -> Result<()> {
    let found = current_version(conn)?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew { found, known: SCHEMA_VERSION });
    }
    for m in MIGRATIONS.iter().filter(|m| m.version > found && m.version <= target) {
        let tx = conn.transaction()?;
        tx.execute_batch(m.sql)?;
        tx.pragma_update(None, "user_version", m.version)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_contiguous_from_one() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version as usize, i + 1, "migration {} out of order", m.name);
        }
    }
}
