//! The kiosk's local store: an SQLite event log, its outbox, the projections and the card directory.
//!
//! This is the only crate in the kiosk that knows SQL. Recording an action is one
//! transaction — event, projections and outbox row together — committed with
//! `synchronous=FULL` in WAL mode, so an action confirmed to a person survives a crash
//! or a power cut (see ARCHITECTURE.md, "Durability").

mod codec;
mod directory;
mod log;
mod migrations;
mod projections;
mod sync_state;

use std::path::Path;

use rusqlite::{Connection, ErrorCode, TransactionBehavior};

pub use directory::{CardRecord, CitizenRecord, DirectoryLoader, KioskIdentity};
pub use migrations::{MIGRATIONS, Migration, SCHEMA_VERSION};
pub use projections::RideRecord;

/// Why the store could not do what was asked. Whatever the error, the transaction was
/// rolled back: nothing of it was written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("The kiosk's disk is full, so nothing was recorded. Please tell staff; what was recorded before is safe.")]
    DiskFull,
    #[error("The kiosk's database is busy. Please try again in a moment.")]
    Busy,
    #[error("This kiosk has not been set up for a place yet. Staff need to enrol it.")]
    NotProvisioned,
    #[error("The kiosk's database was written by a newer version of the software (schema {found}; this version knows up to {known}). Please update the kiosk software.")]
    SchemaTooNew { found: u32, known: u32 },
    #[error("Card {card} already belongs to another citizen.")]
    CardTaken { card: String },
    #[error("A stored record could not be read ({0}). Please tell staff; the kiosk's data needs checking.")]
    Corrupt(String),
    #[error("The kiosk's database failed: {0}")]
    Sqlite(rusqlite::Error),
}

impl StoreError {
    /// Whether trying the same thing again later can succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self, StoreError::DiskFull | StoreError::Busy)
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy,
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => StoreError::Corrupt(e.to_string()),
            _ => StoreError::Sqlite(e),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open kiosk database.
pub struct Store {
    conn: Connection,
}

/// One transaction on the store. Reads see a consistent snapshot; writes become durable
/// together when the closure passed to [`Store::transact`] returns `Ok`, or not at all.
pub struct Tx<'c> {
    tx: rusqlite::Transaction<'c>,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        Self::open_at_version(path, SCHEMA_VERSION)
    }

    /// Opens the database and migrates it only up to `version`: for migration tests.
    #[doc(hidden)]
    pub fn open_at_version(path: impl AsRef<Path>, version: u32) -> Result<Self> {
        let conn = Connection::open(path)?;
        Self::setup(conn, version)
    }

    /// A private in-memory store, for tests and benchmarks of logic above the store.
    pub fn open_in_memory() -> Result<Self> {
        Self::setup(Connection::open_in_memory()?, SCHEMA_VERSION)
    }

    fn setup(mut conn: Connection, version: u32) -> Result<Self> {
        // WAL: readers never block the writer. synchronous=FULL: in WAL mode, NORMAL may
        // lose the last commits on power loss; FULL syncs the WAL at every commit, which
        // is what "confirmed means recorded" needs.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrations::migrate(&mut conn, version)?;
        Ok(Self { conn })
    }

    /// Runs `f` in one write transaction and commits if it returns `Ok`. The commit is
    /// durable before this returns.
    pub fn transact<T, E: From<StoreError>>(&mut self, f: impl FnOnce(&mut Tx<'_>) -> Result<T, E>) -> Result<T, E> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let mut tx = Tx { tx };
        let out = f(&mut tx)?;
        tx.tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }

    /// Runs `f` on a read snapshot; nothing it does is written.
    pub fn read<T, E: From<StoreError>>(&mut self, f: impl FnOnce(&Tx<'_>) -> Result<T, E>) -> Result<T, E> {
        let tx = self.conn.transaction().map_err(StoreError::from)?;
        let tx = Tx { tx };
        f(&tx)
    }

    /// The schema version the database is at.
    pub fn schema_version(&self) -> Result<u32> {
        migrations::current_version(&self.conn)
    }

    /// SQLite's own consistency check; `Ok(())` when it reports "ok".
    /// A consistent copy of the whole store at `to`, taken while the kiosk runs (one read
    /// transaction, `VACUUM INTO`); written beside `to`, checked, synced, then renamed.
    pub fn backup_to(&self, to: &Path) -> Result<()> {
        let partial = to.with_extension("partial");
        let _ = std::fs::remove_file(&partial);
        let cannot = |e: std::io::Error| StoreError::Corrupt(format!("the backup {} could not be written: {e}", to.display()));
        let path = partial.to_str().ok_or_else(|| StoreError::Corrupt(format!("{} is not a UTF-8 path", partial.display())))?;
        self.conn.execute("VACUUM INTO ?1", [path])?;
        let copy = Connection::open_with_flags(&partial, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let report: String = copy.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        drop(copy);
        if report != "ok" {
            return Err(StoreError::Corrupt(report));
        }
        std::fs::File::open(&partial).and_then(|f| f.sync_all()).map_err(cannot)?;
        std::fs::rename(&partial, to).map_err(cannot)
    }

    pub fn integrity_check(&self) -> Result<()> {
        let report: String = self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if report == "ok" { Ok(()) } else { Err(StoreError::Corrupt(report)) }
    }

    /// Caps the database at its current size plus `extra_pages`, so the next writes hit
    /// SQLite's "database or disk is full": how tests reach the full-disk path.
    #[doc(hidden)]
    pub fn cap_size_for_tests(&self, extra_pages: u32) -> Result<()> {
        let pages: u32 = self.conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
        self.conn.pragma_update(None, "max_page_count", pages + extra_pages)?;
        Ok(())
    }

    /// SQLite's plan for a query, one line per step (for tests that guard the indexes).
    #[doc(hidden)]
    pub fn query_plan(&self, sql: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(3))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The durability settings in force, as `(journal_mode, synchronous)`.
    pub fn durability(&self) -> Result<(String, i64)> {
        let mode: String = self.conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
        let sync: i64 = self.conn.query_row("PRAGMA synchronous", [], |r| r.get(0))?;
        Ok((mode, sync))
    }
}
