//! What each service returns: everything a screen shows and a receipt prints.

use iki_core::{
    AgeBand, CitizenId, CitizenKind, ItemId, Localised, LocalDay, Needs, Points, RideId, RideStatus, StopKind, ThemeId,
    Timestamp,
};

/// Who tapped, as the greeting shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Greeting {
    pub citizen: CitizenId,
    pub nickname: String,
    pub kind: CitizenKind,
}

/// The result of a check-in tap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckInOutcome {
    pub greeting: Greeting,
    pub place: Localised,
    pub day: LocalDay,
    /// `None` when the citizen had already checked in here today (nothing recorded).
    pub recorded: Option<CheckInRecorded>,
    /// Points available after the check-in.
    pub balance: Points,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckInRecorded {
    /// Receipt number: the kiosk's event sequence number.
    pub receipt_no: u64,
    pub points: Points,
    /// An e-citizen's welcome bonus at their first ferry-port arrival.
    pub port_bonus: Points,
    pub points_expire_at: Timestamp,
}

/// What an unknown card's owner fills in to become an e-citizen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub nickname: String,
    /// ISO 3166 code, e.g. `JP-40` for Fukuoka.
    pub home_region: String,
    pub age_band: AgeBand,
    /// The person agreed to the consent text shown.
    pub consent: bool,
    /// A 4-digit PIN for larger redemptions, if they want one.
    pub pin: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registered {
    pub greeting: Greeting,
    pub receipt_no: u64,
}

/// An anonymous guest's check-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuestCheckIn {
    pub place: Localised,
    pub day: LocalDay,
    pub receipt_no: u64,
    /// Guests counted at this place today, this one included.
    pub guests_today: u64,
}

/// A catalogue item as the redemption screen lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemView {
    pub id: ItemId,
    pub name: Localised,
    /// What kind of thing it is (the screen draws a picture for each).
    pub category: iki_core::ItemCategory,
    pub cost: Points,
    /// `None` for unlimited.
    pub stock: Option<u32>,
    pub merchant: String,
    /// Whether this kiosk will ask for the PIN.
    pub needs_pin: bool,
}

/// A redemption: the coupon to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redemption {
    pub receipt_no: u64,
    pub item: Localised,
    pub merchant: String,
    pub cost: Points,
    pub coupon_code: String,
    /// What the receipt's QR code encodes.
    pub qr_payload: String,
    pub balance_after: Points,
    pub issued_at: Timestamp,
    /// Recorded while the hub could not be reached; counts against the offline allowance.
    pub offline: bool,
}

/// A theme as the voting screen shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeView {
    pub id: ThemeId,
    pub title: Localised,
    pub question: Localised,
    pub options: Vec<Localised>,
    /// (min, max) options to choose.
    pub choose: (u8, u8),
    pub closes_at: Timestamp,
    /// The citizen's current choices, if they have voted.
    pub my_choices: Option<Vec<u8>>,
}

/// A ballot recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BallotReceipt {
    pub receipt_no: u64,
    pub theme: Localised,
    pub chosen: Vec<Localised>,
    /// A previous ballot of this citizen on this theme was replaced.
    pub replaced: bool,
    pub closes_at: Timestamp,
    /// Votes per option, when the theme shows its results.
    pub results: Option<Vec<(Localised, u32)>>,
}

/// A destination button on the ride screen.
#[derive(Debug, Clone, PartialEq)]
pub struct DestinationView {
    pub id: iki_core::StopId,
    pub kind: StopKind,
    pub name: Localised,
}

/// What the rider asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RideOrder {
    pub destination: iki_core::StopId,
    pub when: iki_core::RideTime,
    pub passengers: u8,
    pub needs: Needs,
}

/// A ride, as the receipt and the next tap show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RideView {
    pub id: RideId,
    /// Printed on the receipt and told to the dispatcher, e.g. `GNR1-00042`.
    pub number: String,
    pub pickup: Localised,
    pub destination: Localised,
    pub pickup_at: Timestamp,
    pub asap: bool,
    pub passengers: u8,
    pub needs: Needs,
    pub status: RideStatus,
    /// Set by dispatch: the vehicle coming, and when it is expected.
    pub vehicle: Option<String>,
    pub eta: Option<Timestamp>,
}

/// A ride request or cancellation recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RideReceipt {
    pub receipt_no: u64,
    pub ride: RideView,
}

/// Everything the screen after a tap shows about the citizen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitizenSummary {
    pub greeting: Greeting,
    pub balance: Points,
    /// Spent here but not yet acknowledged by the hub.
    pub pending_offline_spend: Points,
    /// The next lot to expire within 30 days: how much, and when.
    pub expiring_soon: Option<(Points, Timestamp)>,
    pub checked_in_here_today: bool,
    pub rides: Vec<RideView>,
    pub open_themes: Vec<ThemeView>,
}
