//! Hub storage as a trait: what the hub's HTTP handlers need from a database, with no SQL.
//!
//! `iki-hub-store-sqlite` implements it on one SQLite file (the default, no set-up); a
//! PostgreSQL crate can follow without touching the handlers. Every method is one
//! transaction. Methods block; the hub calls them off its async threads.

use iki_core::{CardUid, Citizen, CitizenId, Event, Kiosk, KioskId, Place, PlaceId, Points, StaffId, Timestamp};
use iki_sync::protocol::{Change, EventResult};

/// Why storage failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the hub's database failed: {0}")]
    Backend(String),
    #[error("a stored record could not be read: {0}")]
    Corrupt(String),
    #[error("{0}")]
    Conflict(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

pub use iki_sync::staff::{
    AuditEntry, CouponCheck, DispatchRide, Engagement, FlagRecord, KioskStatus, RideUpdate, Role, ThemeResults, VisitCount,
};

/// A staff account as login needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffAccount {
    pub id: StaffId,
    pub username: String,
    pub password_hash: String,
    pub role: Role,
    pub failed_logins: u32,
    pub last_failed_at: Option<Timestamp>,
}

/// A kiosk as authentication sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KioskAccount {
    pub kiosk: Kiosk,
    pub revoked: bool,
}

/// A staff write's answer, kept under the idempotency key it was sent with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffReply {
    /// `POST /v1/staff/…`: a key is good for one request only.
    pub request: String,
    pub status: u16,
    pub body: Vec<u8>,
}

/// One page of the change feed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedPage {
    pub revocations: Vec<Change>,
    pub changes: Vec<Change>,
    pub cursor: u64,
    pub remaining: u64,
}

/// The directory a hub starts with (places, kiosks, stops, catalogue, themes, citizens).
#[derive(Debug, Clone, Default)]
pub struct Directory {
    pub places: Vec<Place>,
    pub kiosks: Vec<Kiosk>,
    pub stops: Vec<iki_core::Stop>,
    pub items: Vec<iki_core::CatalogueItem>,
    pub themes: Vec<iki_core::Theme>,
    /// Citizens with their cards and PIN hashes.
    pub citizens: Vec<(Citizen, Vec<CardUid>, Option<String>)>,
    /// Stopped cards (each also among some citizen's cards), with their replacements.
    pub revoked_cards: Vec<(CardUid, Option<CardUid>)>,
}

/// Everything the hub stores.
pub trait HubStore: Send + Sync + 'static {
    /// Adds or updates the directory, each entry also going into the change feed.
    fn load_directory(&self, directory: &Directory) -> Result<()>;
    /// Whether the hub has no places yet (a new database).
    fn is_empty(&self) -> Result<bool>;

    fn create_staff(&self, id: StaffId, username: &str, password_hash: &str, role: Role) -> Result<()>;
    fn staff_by_username(&self, username: &str) -> Result<Option<StaffAccount>>;
    /// Counts a wrong password (for the rate limit); a right one clears the count.
    fn record_login(&self, staff: StaffId, succeeded: bool, at: Timestamp) -> Result<()>;
    fn create_session(&self, staff: StaffId, token_hash: &str, expires_at: Timestamp) -> Result<()>;
    /// The staff member and role behind a live session.
    fn session(&self, token_hash: &str, now: Timestamp) -> Result<Option<(StaffId, Role)>>;

    /// Stores a one-time enrolment code (its hash) for a new kiosk at `place`.
    fn create_enrolment(&self, by: StaffId, code_hash: &str, place: PlaceId, kiosk_code: &str, expires_at: Timestamp, now: Timestamp) -> Result<()>;
    /// Uses an enrolment code: creates the kiosk with the credential's hash. `None` when the
    /// code is unknown, used or expired.
    fn enrol(&self, code_hash: &str, credential_hash: &str, kiosk: KioskId, now: Timestamp) -> Result<Option<(Kiosk, Place)>>;
    fn kiosk_by_credential(&self, credential_hash: &str) -> Result<Option<KioskAccount>>;
    /// Refuses the kiosk from its next request on. False if unknown.
    fn revoke_kiosk(&self, by: StaffId, kiosk: KioskId, now: Timestamp) -> Result<bool>;
    fn touch_kiosk(&self, kiosk: KioskId, now: Timestamp) -> Result<()>;

    /// Applies a kiosk's batch exactly once, in one transaction, answering per event.
    fn ingest(&self, kiosk: KioskId, events: &[Event], now: Timestamp) -> Result<Vec<EventResult>>;
    /// The change feed after `cursor`. A cursor past the feed's end (a kiosk that pulled
    /// from this hub before it was restored from a backup) starts again from the beginning,
    /// so the kiosk misses nothing made since.
    fn feed(&self, cursor: u64, limit: usize) -> Result<FeedPage>;
    /// The highest sequence number of `kiosk`'s events this hub holds (0: none).
    fn kiosk_high_seq(&self, kiosk: KioskId) -> Result<u64>;

    /// Stops a card (audited; revocation goes out first in every pull). False if unknown.
    fn revoke_card(&self, by: StaffId, card: &CardUid, replaced_by: Option<&CardUid>, now: Timestamp) -> Result<bool>;
    fn flags(&self) -> Result<Vec<FlagRecord>>;
    /// The whole audit log, oldest first.
    fn audit_log(&self) -> Result<Vec<AuditEntry>>;
    /// Up to `limit` audit entries older than entry `before` (all when `None`), newest first.
    fn audit_page(&self, before: Option<u64>, limit: usize) -> Result<Vec<AuditEntry>>;
    /// The answer kept for a staff member's write sent with idempotency key `key`, if any.
    fn staff_reply(&self, by: StaffId, key: &str) -> Result<Option<StaffReply>>;
    /// Keeps a write's answer under its key for a day (the first answer wins).
    fn keep_staff_reply(&self, by: StaffId, key: &str, reply: &StaffReply, now: Timestamp) -> Result<()>;
    /// A citizen's balance in the hub's ledger.
    fn balance(&self, citizen: CitizenId) -> Result<Points>;
    /// The sum over the hub's ledger: zero while the books balance.
    fn ledger_total(&self) -> Result<Points>;
    /// Events applied, over all kiosks.
    fn event_count(&self) -> Result<u64>;

    /// Registers a citizen at the desk, with a first card if one was tapped (audited).
    fn register_citizen(&self, by: StaffId, citizen: &Citizen, card: Option<&CardUid>, now: Timestamp) -> Result<()>;
    /// Gives a citizen a card (audited). False if the card belongs to someone else.
    fn issue_card(&self, by: StaffId, card: &CardUid, citizen: CitizenId, now: Timestamp) -> Result<bool>;
    /// Sets a citizen's PIN hash (audited, the hash is never logged). False if unknown.
    fn reset_pin(&self, by: StaffId, citizen: CitizenId, pin_hash: &str, now: Timestamp) -> Result<bool>;
    /// Adds (or, negative, removes) points with a reason (audited); returns the new balance.
    fn adjust_points(&self, by: StaffId, citizen: CitizenId, amount: i64, reason: &str, expires_at: Timestamp, now: Timestamp) -> Result<Option<Points>>;
    /// Checks a coupon code and marks it used: valid once.
    fn verify_coupon(&self, by: StaffId, code: &str, now: Timestamp) -> Result<CouponCheck>;
    /// Rides on the dispatch board, by pickup time; `active_only` leaves out finished ones.
    fn rides(&self, active_only: bool) -> Result<Vec<DispatchRide>>;
    /// A dispatcher changes a ride (status by the lifecycle's rules, vehicle, driver, ETA).
    fn update_ride(&self, by: StaffId, ride: iki_core::RideId, update: &RideUpdate, now: Timestamp) -> Result<Option<Result<DispatchRide, iki_core::RuleError>>>;
    /// Check-ins per place, day and kind of visitor, for local days in `from..=to`.
    fn visits(&self, from: iki_core::LocalDay, to: iki_core::LocalDay) -> Result<Vec<VisitCount>>;
    /// Citizens on the books, by kind (`resident`, `e_citizen`).
    fn citizen_counts(&self) -> Result<Vec<(String, u64)>>;
    /// Stores what a kiosk reports about itself.
    fn record_kiosk_health(&self, kiosk: KioskId, health: &serde_json::Value, now: Timestamp) -> Result<()>;
    fn kiosks(&self) -> Result<Vec<KioskStatus>>;
    fn places(&self) -> Result<Vec<Place>>;
    /// Adds or changes a place (audited; kiosks get it in their next pull).
    fn put_place(&self, by: StaffId, place: &Place, now: Timestamp) -> Result<()>;

    /// Adds or changes a catalogue item (audited; kiosks get it in their next pull).
    fn put_item(&self, by: StaffId, item: &iki_core::CatalogueItem, now: Timestamp) -> Result<()>;
    /// Adds or changes a theme (audited; kiosks get it in their next pull).
    fn put_theme(&self, by: StaffId, theme: &iki_core::Theme, now: Timestamp) -> Result<()>;
    fn theme(&self, theme: iki_core::ThemeId) -> Result<Option<iki_core::Theme>>;
    fn theme_results(&self, theme: iki_core::ThemeId) -> Result<Option<ThemeResults>>;
    /// Records a paper ballot from an in-hall session (origin staff; audited), replacing the
    /// citizen's earlier ballot.
    fn paper_ballot(&self, by: StaffId, theme: iki_core::ThemeId, citizen: CitizenId, choices: &iki_core::Choices, now: Timestamp) -> Result<()>;
    fn citizen(&self, citizen: CitizenId) -> Result<Option<Citizen>>;
    /// Citizens whose nickname begins with `query`, or the one with that id or card number.
    fn search_citizens(&self, query: &str, limit: usize) -> Result<Vec<iki_sync::staff::CitizenHit>>;
    /// A citizen's record, cards, balance and ledger (newest first).
    fn citizen_file(&self, citizen: CitizenId) -> Result<Option<iki_sync::staff::CitizenFile>>;
    /// Changes a citizen's record (audited before → after; kiosks get it in their next pull).
    fn update_citizen(&self, by: StaffId, citizen: &Citizen, now: Timestamp) -> Result<bool>;
    fn engagement(&self) -> Result<Engagement>;
    /// The catalogue, each item with its stock as it stands.
    fn items(&self) -> Result<Vec<iki_core::CatalogueItem>>;
    /// Every theme, open or closed.
    fn themes(&self) -> Result<Vec<iki_core::Theme>>;
    fn stops(&self) -> Result<Vec<iki_core::Stop>>;
    /// PIN lockouts (the `attempts`-th wrong PIN in a row) recorded by kiosks since `since`, newest first.
    fn lockouts(&self, since: Timestamp, attempts: u8) -> Result<Vec<iki_sync::staff::Lockout>>;
    /// Check-ins between two days (both included) by the visitor's home region and kind.
    fn regions(&self, from: iki_core::LocalDay, to: iki_core::LocalDay) -> Result<Vec<iki_sync::staff::RegionCount>>;
    /// Citizens registered on or before each day that someone registered, by kind.
    fn growth(&self) -> Result<Vec<iki_sync::staff::GrowthPoint>>;
}
