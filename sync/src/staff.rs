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
