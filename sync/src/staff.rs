//! The staff API's wire format, version 1, shared by the hub (which serves it) and the
//! admin desktop's client (`staff_client`, feature `client`): sign-in, and the citizen
//! desk — search, a citizen's file, registration, cards, PINs and point adjustments.

use iki_core::{AgeBand, CardUid, Citizen, CitizenId, CitizenKind, Points, Timestamp};
use serde::{Deserialize, Serialize};

/// A member of staff's role: managers also see the audit log and manage places and staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Staff,
    Manager,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Staff => "staff",
            Role::Manager => "manager",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "staff" => Some(Role::Staff),
            "manager" => Some(Role::Manager),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginResponse {
    pub token: String,
    pub role: Role,
    pub expires_at: Timestamp,
}

/// `GET /v1/staff/citizens?q=…`: a nickname's beginning, a citizen's id, or a card number.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CitizenSearch {
    pub q: String,
}

/// A card as the desk sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardLine {
    pub uid: CardUid,
    pub issued_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
    pub replaced_by: Option<CardUid>,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitizenHit {
    pub citizen: Citizen,
    pub cards: Vec<CardLine>,
    pub balance: Points,
}

/// One line of a citizen's points ledger, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerLine {
    /// When the kiosk recorded it, or when staff adjusted.
    pub at: Option<Timestamp>,
    pub amount: Points,
    /// `check_in`, `port_bonus`, `redemption`, `staff_adjustment`, …
    pub reason: String,
}

/// `GET /v1/staff/citizens/{id}`: everything the desk shows about one citizen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitizenFile {
    pub citizen: Citizen,
    pub cards: Vec<CardLine>,
    pub balance: Points,
    pub has_pin: bool,
    pub ledger: Vec<LedgerLine>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewCitizen {
    pub kind: CitizenKind,
    pub nickname: String,
    pub home_region: String,
    pub age_band: AgeBand,
    pub card: Option<CardUid>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitizenCreated {
    pub citizen: CitizenId,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CardRequest {
    pub card: CardUid,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RevokeCardRequest {
    pub replaced_by: Option<CardUid>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PinRequest {
    pub pin: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Adjustment {
    pub amount: i64,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balance {
    pub balance: Points,
}

/// A flag for staff to review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagRecord {
    pub kiosk: iki_core::KioskId,
    pub seq: u64,
    pub raised_at: Timestamp,
    #[serde(flatten)]
    pub flag: crate::protocol::Flag,
}

/// One staff write: who, what, when, before → after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// The entry's number, for paging back (added within v1; 0 from older hubs).
    #[serde(default)]
    pub id: u64,
    pub at: Timestamp,
    pub staff: iki_core::StaffId,
    /// The account's user name, when it still exists.
    #[serde(default)]
    pub staff_name: Option<String>,
    pub action: String,
    pub subject: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// What a merchant hears when they check a coupon code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "coupon", rename_all = "snake_case")]
pub enum CouponCheck {
    /// Valid, and now marked used.
    Valid { item: String, issued_at: Timestamp },
    AlreadyUsed { used_at: Timestamp },
    Unknown,
}

/// A ride on the dispatch board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DispatchRide {
    pub ride: iki_core::RideId,
    pub number: String,
    pub citizen: CitizenId,
    pub pickup: iki_core::PlaceId,
    pub destination: iki_core::StopId,
    pub pickup_at: Timestamp,
    pub passengers: u8,
    pub needs: iki_core::Needs,
    pub status: iki_core::RideStatus,
    pub vehicle: Option<String>,
    pub driver: Option<String>,
    pub eta: Option<Timestamp>,
}

/// A dispatcher's change to a ride.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RideUpdate {
    pub status: iki_core::RideStatus,
    pub vehicle: Option<String>,
    pub driver: Option<String>,
    pub eta: Option<Timestamp>,
}

/// Check-ins counted per place, day and kind of visitor (`resident`, `e_citizen`, `guest`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitCount {
    pub place: iki_core::PlaceId,
    pub day: iki_core::LocalDay,
    pub visitor: String,
    pub visits: u64,
}

/// A kiosk as the staff screen lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KioskStatus {
    pub kiosk: iki_core::Kiosk,
    pub revoked: bool,
    pub last_seen_at: Option<Timestamp>,
    /// What the kiosk last reported about itself (devices, outbox), as it sent it.
    pub health: Option<serde_json::Value>,
}

/// A theme's result: votes per option, and ballots by where they were cast.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeResults {
    pub theme: iki_core::Theme,
    pub votes: Vec<u32>,
    pub ballots: u64,
    pub by_origin: Vec<(String, u64)>,
}

/// How engaged citizens are, across the island.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Engagement {
    /// Citizens who checked in at least once, and on at least two different days.
    pub visiting_citizens: u64,
    pub returning_citizens: u64,
    pub ballots: u64,
    pub voting_citizens: u64,
    pub points_earned: i64,
    pub points_spent: i64,
}

/// `POST /v1/staff/enrolment-codes`: a one-time code for a new kiosk at a place.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EnrolmentCodeRequest {
    pub place: iki_core::PlaceId,
    /// The kiosk's short name at that place, e.g. `GNR3`.
    pub kiosk_code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentCode {
    /// `XXXX-XXXX-XXXX`, typed on the kiosk's staff screen; shown once.
    pub code: String,
    pub expires_at: Timestamp,
}

/// `POST /v1/staff/coupons/verify`: a coupon code read from a receipt.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CouponRequest {
    pub code: String,
}

/// `POST /v1/staff/citizens/{id}`: the fields to change; the others stay.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CitizenEdit {
    pub kind: Option<CitizenKind>,
    pub nickname: Option<String>,
    pub home_region: Option<String>,
    pub age_band: Option<AgeBand>,
}

/// `POST /v1/staff/themes/{id}/ballots`: a paper ballot from an in-hall session.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PaperBallot {
    pub citizen: CitizenId,
    /// Option indices, from 0.
    pub choices: Vec<u8>,
}

/// A period of days for reports, both ends included: `from=2026-12-01&to=2026-12-04`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Period {
    pub from: String,
    pub to: String,
}

/// `GET /v1/staff/reports/progress`: citizens now, against the city's goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub residents: u64,
    pub e_citizens: u64,
    pub total: u64,
    pub target: u64,
}

/// `GET /v1/staff/reports/regions`: check-ins in a period by where the visitor lives
/// (`JP-42`, `KR`, or `unknown` for guests who did not say) and kind of visitor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionCount {
    pub home_region: String,
    pub visitor: String,
    pub visits: u64,
}

/// `GET /v1/staff/lockouts`: a citizen's card locked at a kiosk by wrong PINs, in the last day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lockout {
    pub citizen: CitizenId,
    pub nickname: String,
    pub kiosk: iki_core::KioskId,
    pub at: Timestamp,
}

/// `GET /v1/staff/reports/growth`: citizens registered on or before each day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrowthPoint {
    pub day: iki_core::LocalDay,
    pub residents: u64,
    pub e_citizens: u64,
}
