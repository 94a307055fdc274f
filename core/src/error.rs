//! Why a rule refused an action, in words a person at a kiosk or a desk can act on.
//!
//! Each variant's `Display` is a plain English sentence that says what to do next; the
//! kiosk translates by [`RuleError::code`], a stable key.

use crate::card::CardIdError;
use crate::points::Points;
use crate::time::Timestamp;

fn hhmm(minute: &u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// A rule of the domain said no. Nothing was recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error(transparent)]
    Card(#[from] CardIdError),
    #[error("This card is not registered. You can register as an e-citizen or check in as a guest.")]
    UnknownCard,
    #[error("This card has been stopped (reported lost or replaced). Please use your new card, or ask staff for help.")]
    CardRevoked,
    #[error("This card already belongs to a citizen. Tap it to check in.")]
    CardAlreadyRegistered,
    #[error("To register, please agree to how Iki uses your information.")]
    ConsentRequired,
    #[error("Please enter a nickname of 1 to {max} characters.")]
    InvalidNickname { max: usize },
    #[error("Please choose where you live from the list.")]
    InvalidHomeRegion,
    #[error("A PIN is 4 digits. Please enter 4 numbers.")]
    InvalidPin,

    #[error("You have {balance}, but this costs {cost}. Collect more points by checking in at Iki's places.")]
    InsufficientPoints { balance: Points, cost: Points },
    #[error("Sorry, this item is out of stock. Please choose another one.")]
    OutOfStock,
    #[error("This item is not offered at the moment. Please choose another one.")]
    ItemNotOffered,
    #[error("The kiosk cannot reach the island's server, so each card can spend up to {allowance} until it reconnects; this card has {pending} waiting. Please try a smaller item, or come back later.")]
    OfflineAllowanceExceeded { allowance: Points, pending: Points },
    #[error("Items over {threshold} need your 4-digit PIN. Please enter it.")]
    PinRequired { threshold: Points },
    #[error("Items over {threshold} need a PIN, and this card has none yet. Staff at the counter can set one for you.")]
    NoPinSet { threshold: Points },
    #[error("That PIN is not right. You can try {attempts_left} more time(s).")]
    PinWrong { attempts_left: u8 },
    #[error("The PIN was entered wrongly too many times. For your safety it is locked until {until}. Staff can help you sooner.")]
    PinLocked { until: Timestamp },

    #[error("This theme is not open for voting yet. Voting opens {opens_at}.")]
    ThemeNotOpenYet { opens_at: Timestamp },
    #[error("Voting on this theme closed {closed_at}. You can see the results.")]
    ThemeClosed { closed_at: Timestamp },
    #[error("This theme is for island residents only. Thank you for your interest; please look at the other themes.")]
    NotEligible,
    #[error("Please choose each option only once.")]
    DuplicateChoice,
    #[error("That option is not part of this theme. Please choose from the list.")]
    UnknownOption,
    #[error("Please choose between {min} and {max} options (you chose {got}).")]
    WrongChoiceCount { min: u8, max: u8, got: usize },
    #[error("This theme is not set up correctly: it needs at least two options, sensible limits and a close after it opens.")]
    InvalidTheme,

    #[error("Rides run from {} to {}, up to {days_ahead} days ahead. Please choose another time.", hhmm(from_minute), hhmm(to_minute))]
    RideOutsideWindow { from_minute: u16, to_minute: u16, days_ahead: u16 },
    #[error("That time has already passed. Please choose a later time.")]
    RideInThePast,
    #[error("Please choose one of the listed times (every {slot_minutes} minutes).")]
    RideNotOnSlot { slot_minutes: u16 },
    #[error("A ride is for 1 to {max} people. Please change the number of passengers.")]
    PassengersOutOfRange { max: u8 },
    #[error("This ride is already {status} and can no longer be cancelled here. Please call the dispatch desk.")]
    RideNotCancellable { status: &'static str },
    #[error("Only the dispatch operator can make this change.")]
    OperatorOnly,
    #[error("A ride cannot go from {from} to {to}.")]
    RideTransition { from: &'static str, to: &'static str },
    #[error("This ride was booked with another card. Please tap the card you booked with.")]
    RideNotYours,

    #[error("This item is no longer in the catalogue. Please choose another one.")]
    UnknownItem,
    #[error("This theme is no longer available. Please go back and choose another.")]
    UnknownTheme,
    #[error("This ride could not be found. Please check the number on your receipt.")]
    UnknownRide,
    #[error("That destination is not served. Please choose one from the list.")]
    UnknownStop,
}

impl RuleError {
    /// Stable key for translations and logs.
    pub fn code(&self) -> &'static str {
        match self {
            RuleError::Card(e) => e.code(),
            RuleError::UnknownCard => "card.unknown",
            RuleError::CardRevoked => "card.revoked",
            RuleError::CardAlreadyRegistered => "card.already_registered",
            RuleError::ConsentRequired => "register.consent_required",
            RuleError::InvalidNickname { .. } => "register.invalid_nickname",
            RuleError::InvalidHomeRegion => "register.invalid_home_region",
            RuleError::InvalidPin => "register.invalid_pin",
            RuleError::InsufficientPoints { .. } => "redeem.insufficient_points",
            RuleError::OutOfStock => "redeem.out_of_stock",
            RuleError::ItemNotOffered => "redeem.item_not_offered",
            RuleError::OfflineAllowanceExceeded { .. } => "redeem.offline_allowance_exceeded",
            RuleError::PinRequired { .. } => "redeem.pin_required",
            RuleError::NoPinSet { .. } => "redeem.no_pin_set",
            RuleError::PinWrong { .. } => "redeem.pin_wrong",
            RuleError::PinLocked { .. } => "redeem.pin_locked",
            RuleError::ThemeNotOpenYet { .. } => "vote.not_open_yet",
            RuleError::ThemeClosed { .. } => "vote.closed",
            RuleError::NotEligible => "vote.not_eligible",
            RuleError::DuplicateChoice => "vote.duplicate_choice",
            RuleError::UnknownOption => "vote.unknown_option",
            RuleError::WrongChoiceCount { .. } => "vote.wrong_choice_count",
            RuleError::InvalidTheme => "vote.invalid_theme",
            RuleError::RideOutsideWindow { .. } => "ride.outside_window",
            RuleError::RideInThePast => "ride.in_the_past",
            RuleError::RideNotOnSlot { .. } => "ride.not_on_slot",
            RuleError::PassengersOutOfRange { .. } => "ride.passengers_out_of_range",
            RuleError::RideNotCancellable { .. } => "ride.not_cancellable",
            RuleError::OperatorOnly => "ride.operator_only",
            RuleError::RideTransition { .. } => "ride.transition",
            RuleError::RideNotYours => "ride.not_yours",
            RuleError::UnknownItem => "redeem.unknown_item",
            RuleError::UnknownTheme => "vote.unknown_theme",
            RuleError::UnknownRide => "ride.unknown",
            RuleError::UnknownStop => "ride.unknown_stop",
        }
    }
}
