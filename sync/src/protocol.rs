//! The sync wire format between kiosks and the hub, version 1 (`/v1/...`), JSON.
//!
//! A kiosk authenticates with `Authorization: Bearer <credential>`, the credential it got
//! by enrolling. It pushes its outbox in sequence order and gets one result per event;
//! it pulls the hub's change feed from a cursor.

use iki_core::{CardUid, CatalogueItem, Citizen, Event, Kiosk, Place, Stop, Theme, Timestamp};
use serde::{Deserialize, Serialize};

/// The protocol version this build speaks; it is also the path prefix (`/v1`).
pub const PROTOCOL_VERSION: u16 = 1;

/// Exchanging a one-time enrolment code for a kiosk credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolRequest {
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnrolResponse {
    pub kiosk: Kiosk,
    pub place: Place,
    /// The kiosk's bearer credential; the hub keeps only its hash. Shown once.
    pub credential: String,
}

/// A batch of a kiosk's events, in sequence order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushRequest {
    pub events: Vec<Event>,
}

/// What became of one pushed event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// Applied now.
    Accepted,
    /// Applied before (a retry): nothing changed.
    Duplicate,
    /// Applied, and flagged for staff to review.
    Flagged { flag: Flag },
    /// Not applied, never to be retried; the reason says why.
    Rejected { reason: String },
}

/// Something the hub noticed that no single kiosk could have known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "flag", rename_all = "snake_case")]
pub enum Flag {
    /// A redemption spent more than the citizen had across all kiosks (offline at the time).
    OfflineOverspend { card: CardUid, short_by: i64 },
    /// A ballot that reached the hub after its theme closed (cast offline before close).
    BallotAfterClose,
    /// A card registered at two kiosks for different people while both were offline.
    CardRegisteredTwice { card: CardUid },
    /// A second first-arrival bonus, given by a kiosk that had not heard of the first.
    PortBonusTwice { citizen: iki_core::CitizenId },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventResult {
    pub seq: u64,
    #[serde(flatten)]
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    pub results: Vec<EventResult>,
    /// The hub's clock, so kiosks can see their skew.
    pub server_time: Timestamp,
}

/// One change of what kiosks mirror.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    Place { place: Place },
    Kiosk { kiosk: Kiosk },
    Stop { stop: Stop },
    Item { item: CatalogueItem },
    Theme { theme: Theme },
    Citizen { citizen: Citizen, pin_hash: Option<String> },
    CardIssued { card: CardUid, citizen: iki_core::CitizenId, at: Timestamp },
    CardRevoked { card: CardUid, at: Timestamp, replaced_by: Option<CardUid> },
    /// An e-citizen's first arrival at a ferry port (the welcome bonus is given once).
    PortArrival { citizen: iki_core::CitizenId, at: Timestamp },
    /// A citizen's wallet as the hub has it, and per kiosk the highest sequence number of
    /// that kiosk's events it includes (a kiosk replays its own later events on top).
    Wallet { citizen: iki_core::CitizenId, wallet: iki_core::Wallet, marks: Vec<(iki_core::KioskId, u64)> },
    /// A dispatcher moved a ride along (the rider sees it at the next tap).
    Ride { ride: iki_core::RideId, status: iki_core::RideStatus, vehicle: Option<String>, eta: Option<Timestamp> },
}

/// A page of the change feed. Revocations after the cursor come first, always all of them;
/// then a page of the other changes. `cursor` is where the next pull starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    pub revocations: Vec<Change>,
    pub changes: Vec<Change>,
    pub cursor: u64,
    /// Changes still to come after this page (for progress bars).
    pub remaining: u64,
    pub server_time: Timestamp,
    /// The highest sequence number of the pulling kiosk's own events the hub holds. Added
    /// within version 1 (absent from older hubs, ignored by older kiosks). Lower than what
    /// the hub once acknowledged means the hub was restored from a backup and lost events:
    /// the kiosk sends them again, and the hub's exactly-once ingestion keeps that safe.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held_through: Option<u64>,
}

/// An error answer from the hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub error: String,
    pub message: String,
}

/// One device's health as a kiosk reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceReport {
    pub device: String,
    /// `ok`, `degraded` or `missing`.
    pub health: String,
    pub reason: Option<String>,
}

/// What a kiosk tells the hub about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KioskHealth {
    pub devices: Vec<DeviceReport>,
    pub outbox: u64,
    pub rejected: u64,
    pub clock_skew_ms: Option<i64>,
    pub reported_at: Timestamp,
}
