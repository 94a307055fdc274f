//! Events: every kiosk action becomes one immutable, versioned record; state is their projection.
//!
//! Wire format: JSON, payload tagged by `type`, the schema version in `schema`. A reader
//! refuses a schema newer than [`EVENT_SCHEMA_VERSION`] rather than guess.

use serde::{Deserialize, Serialize};

use crate::card::CardUid;
use crate::dialogue::{BallotOrigin, Choices};
use crate::ids::{CitizenId, EventId, ItemId, KioskId, PlaceId, RideId, StaffId, StopId, ThemeId};
use crate::people::{AgeBand, CitizenKind, HomeRegion, Nickname};
use crate::points::{Account, Points, Posting, PostingReason};
use crate::ride::{Needs, Passengers};
use crate::time::{LocalDay, Timestamp};

/// The version of the event format this build writes and the newest it reads.
pub const EVENT_SCHEMA_VERSION: u16 = 1;

/// Who caused an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "actor", content = "id", rename_all = "snake_case")]
pub enum Actor {
    /// A citizen identified by their card.
    Citizen(CitizenId),
    /// An anonymous visitor.
    Guest,
    /// A member of hall staff.
    Staff(StaffId),
    /// The system itself (expiry runs, reconciliation).
    System,
}

/// One immutable record of something that happened at a kiosk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub id: EventId,
    pub kiosk: KioskId,
    /// Per-kiosk sequence number, 1, 2, 3 … with no gaps.
    pub seq: u64,
    /// The kiosk's clock when it happened (may be skewed; the hub keeps its own time too).
    pub device_time: Timestamp,
    pub actor: Actor,
    pub schema: u16,
    pub payload: Payload,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Payload {
    /// An unknown card registered as an e-citizen at a kiosk.
    CitizenRegistered {
        citizen: CitizenId,
        kind: CitizenKind,
        nickname: Nickname,
        home_region: HomeRegion,
        age_band: AgeBand,
        card: CardUid,
        consent_version: u16,
        /// argon2id PHC string; the PIN itself is never stored or sent.
        pin_hash: Option<String>,
    },
    /// A citizen checked in at a place (the first time that local day). The points
    /// earned form one lot that expires at `expires_at`.
    CheckedIn {
        citizen: CitizenId,
        card: CardUid,
        place: PlaceId,
        day: LocalDay,
        points: Points,
        /// True for an e-citizen's first check-in at a ferry port, even if the bonus was capped.
        port_arrival: bool,
        port_bonus: Points,
        expires_at: Timestamp,
    },
    /// An anonymous guest checked in (counted for visitor trends; no card is kept).
    GuestCheckedIn { place: PlaceId, day: LocalDay, home_region: Option<HomeRegion> },
    /// Points spent on a catalogue item; the coupon code is printed on the receipt.
    ItemRedeemed { citizen: CitizenId, card: CardUid, item: ItemId, cost: Points, coupon: String, hub_reachable: bool },
    /// A wrong PIN was entered; `live_failures` counts it and the wrong ones before it
    /// since the last success or the last lockout that ran out.
    PinRejected { citizen: CitizenId, card: CardUid, live_failures: u8 },
    /// A ballot; a later ballot by the same citizen on the same theme replaces it.
    BallotCast { theme: ThemeId, citizen: CitizenId, choices: Choices, origin: BallotOrigin },
    /// A ride was requested.
    RideRequested {
        ride: RideId,
        number: String,
        citizen: CitizenId,
        pickup: PlaceId,
        destination: StopId,
        pickup_at: Timestamp,
        asap: bool,
        passengers: Passengers,
        needs: Needs,
    },
    /// The rider cancelled a ride.
    RideCancelled { ride: RideId, citizen: CitizenId },
}

impl Payload {
    /// Stable name of the event type (the JSON tag).
    pub fn kind(&self) -> &'static str {
        match self {
            Payload::CitizenRegistered { .. } => "citizen_registered",
            Payload::CheckedIn { .. } => "checked_in",
            Payload::GuestCheckedIn { .. } => "guest_checked_in",
            Payload::ItemRedeemed { .. } => "item_redeemed",
            Payload::PinRejected { .. } => "pin_rejected",
            Payload::BallotCast { .. } => "ballot_cast",
            Payload::RideRequested { .. } => "ride_requested",
            Payload::RideCancelled { .. } => "ride_cancelled",
        }
    }

    /// The ledger postings this event makes; together they always sum to zero.
    pub fn postings(&self, author: Actor) -> Vec<Posting> {
        let mut out = Vec::new();
        let mut post = |from, to, amount: Points, reason| {
            if amount.is_positive() {
                out.push(Posting { from, to, amount, reason, author });
            }
        };
        match self {
            Payload::CheckedIn { citizen, points, port_bonus, .. } => {
                post(Account::Issuer, Account::Citizen(*citizen), *points, PostingReason::CheckIn);
                post(Account::Issuer, Account::Citizen(*citizen), *port_bonus, PostingReason::PortArrivalBonus);
            }
            Payload::ItemRedeemed { citizen, cost, .. } => {
                post(Account::Citizen(*citizen), Account::Redeemed, *cost, PostingReason::Redemption);
            }
            _ => {}
        }
        out
    }

    /// The card and amount this event spends, which count against the card's offline
    /// allowance until the hub acknowledges the event.
    pub fn card_spend(&self) -> Option<(&CardUid, Points)> {
        match self {
            Payload::ItemRedeemed { card, cost, .. } => Some((card, *cost)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::SeededIds;

    #[test]
    fn wire_format_is_tagged_and_versioned() {
        let mut ids = SeededIds::new(1, 1_780_000_000_000);
        let citizen = CitizenId::new(&mut ids);
        let event = Event {
            id: EventId::new(&mut ids),
            kiosk: KioskId::new(&mut ids),
            seq: 1,
            device_time: Timestamp(1_780_000_000_000),
            actor: Actor::Citizen(citizen),
            schema: EVENT_SCHEMA_VERSION,
            payload: Payload::CheckedIn {
                citizen,
                card: CardUid::parse("felica:0101120C8D2F3A4B").unwrap(),
                place: PlaceId::new(&mut ids),
                day: LocalDay(20_000),
                points: Points(10),
                port_arrival: false,
                port_bonus: Points(0),
                expires_at: Timestamp(1_811_536_000_000),
            },
        };
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(json["payload"]["type"], "checked_in");
        assert_eq!(json["schema"], 1);
        assert_eq!(json["actor"]["actor"], "citizen");
        let back: Event = serde_json::from_value(json).unwrap();
        assert_eq!(back, event);
        let postings = event.payload.postings(event.actor);
        assert_eq!(postings.len(), 1, "a zero bonus makes no posting");
    }
}
