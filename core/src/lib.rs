//! Iki Circle's domain core: the types and rules every kiosk action obeys, with no I/O.
//!
//! Nothing here reads a clock, a disk, a network or a random source: time and fresh ids
//! come in as arguments ([`Timestamp`], [`IdSource`]), so every rule is a pure function
//! that tests can drive exhaustively. Storage (`iki-store`), devices, sync and the UIs
//! are built around this crate; it knows none of them.

pub mod card;
pub mod catalogue;
pub mod dialogue;
pub mod error;
pub mod event;
pub mod ids;
pub mod people;
pub mod place;
pub mod points;
pub mod receipt;
pub mod ride;
pub mod rules;
pub mod secret;
pub mod text;
pub mod time;

pub use card::{CardIdError, CardStatus, CardTech, CardUid};
pub use catalogue::{CatalogueItem, ItemCategory, Stock};
pub use dialogue::{Ballot, BallotOrigin, Choices, Eligibility, Theme, VotingMethod};
pub use error::RuleError;
pub use event::{Actor, EVENT_SCHEMA_VERSION, Event, Payload};
pub use ids::{
    CitizenId, EventId, IdSource, ItemId, KioskId, PlaceId, RideId, SeededIds, StaffId, StopId,
    ThemeId,
};
pub use people::{AgeBand, Citizen, CitizenKind, HomeRegion, Nickname};
pub use place::{Coordinates, Kiosk, Place, PlaceKind, Stop, StopKind};
pub use points::{Account, AccountLimits, Books, Lot, Points, Posting, PostingReason, Wallet};
pub use ride::{BookingWindow, Needs, Passengers, RideStatus, RideTime, Role};
pub use rules::Rules;
pub use text::Localised;
pub use time::{LocalDay, Timestamp};
