//! Everything the window shows, as plain data: which screen is up and what is on it. The
//! controller fills it; the adapter copies it into the Slint window.

use std::path::PathBuf;

use crate::ui::port::StatusLine;
use crate::ui::problem::Problem;

/// The screens, one decision each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Waiting,
    Greeted,
    Catalogue,
    ConfirmItem,
    Pin,
    Coupon,
    Themes,
    Ballot,
    BallotDone,
    RideWhere,
    RideWhen,
    RideDetails,
    RideConfirm,
    RideDone,
    CancelRide,
    Welcome,
    Consent,
    Nickname,
    HomeRegion,
    AgeBand,
    Registered,
    GuestDone,
    StaffPin,
    Staff,
    StaffEnrol,
}

impl Screen {
    pub const ALL: [Screen; 25] = [
        Screen::Waiting,
        Screen::Greeted,
        Screen::Catalogue,
        Screen::ConfirmItem,
        Screen::Pin,
        Screen::Coupon,
        Screen::Themes,
        Screen::Ballot,
        Screen::BallotDone,
        Screen::RideWhere,
        Screen::RideWhen,
        Screen::RideDetails,
        Screen::RideConfirm,
        Screen::RideDone,
        Screen::CancelRide,
        Screen::Welcome,
        Screen::Consent,
        Screen::Nickname,
        Screen::HomeRegion,
        Screen::AgeBand,
        Screen::Registered,
        Screen::GuestDone,
        Screen::StaffPin,
        Screen::Staff,
        Screen::StaffEnrol,
    ];

    /// The name the views switch on (and screenshots are named by).
    pub fn tag(self) -> &'static str {
        match self {
            Screen::Waiting => "waiting",
            Screen::Greeted => "greeting",
            Screen::Catalogue => "catalogue",
            Screen::ConfirmItem => "confirm-item",
            Screen::Pin => "pin",
            Screen::Coupon => "coupon",
            Screen::Themes => "themes",
            Screen::Ballot => "ballot",
            Screen::BallotDone => "ballot-done",
            Screen::RideWhere => "ride-where",
            Screen::RideWhen => "ride-when",
            Screen::RideDetails => "ride-details",
            Screen::RideConfirm => "ride-confirm",
            Screen::RideDone => "ride-done",
            Screen::CancelRide => "cancel-ride",
            Screen::Welcome => "welcome",
            Screen::Consent => "consent",
            Screen::Nickname => "nickname",
            Screen::HomeRegion => "home-region",
            Screen::AgeBand => "age-band",
            Screen::Registered => "registered",
            Screen::GuestDone => "guest-done",
            Screen::StaffPin => "staff-pin",
            Screen::Staff => "staff",
            Screen::StaffEnrol => "staff-enrol",
        }
    }
}

/// A big button in a list: a catalogue item, a theme, an option, a destination, a time,
/// a region, an age band. `key` is translated by the views (`Words.choice`); `label` is
/// shown as it is (names from the island's data, already in the screen's language).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Choice {
    pub key: String,
    pub label: String,
    /// A cost, a time, a closing date.
    pub detail: String,
    /// Stock left, when it is limited.
    pub note: String,
    pub group: String,
    pub selected: bool,
    /// Still pressable when false: the press explains why it cannot be chosen.
    pub available: bool,
}

/// One bar of a theme's results.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    pub votes: u32,
    /// Share of the largest option, 0–100 (the bar's length).
    pub percent: u32,
    pub mine: bool,
}

/// How the last receipt is doing: printing, printed, or a `printer.*` code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrintState {
    pub state: String,
    pub preview: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreenModel {
    pub screen: Screen,
    pub language: String,
    pub place_name: String,
    pub clock: String,
    pub online: bool,

    pub nickname: String,
    pub checked_in_now: bool,
    /// Back at the greeting after a service: the check-in lines are not repeated.
    pub back_again: bool,
    pub points_earned: String,
    pub port_bonus: String,
    pub balance: String,
    pub open_themes: usize,
    /// The citizen's upcoming ride, if any.
    pub ride_number: String,
    pub ride_destination: String,
    pub ride_when: String,
    /// `requested`, `assigned`, … (translated by the views).
    pub ride_status: String,
    pub ride_vehicle: String,
    pub ride_eta: String,
    pub ride_cancellable: bool,

    pub choices: Vec<Choice>,
    /// Destinations by kind: (kind, first choice, how many), in the order shown.
    pub groups: Vec<(String, usize, usize)>,
    /// The item, theme or destination being decided on.
    pub subject: String,
    pub question: String,
    pub cost: String,
    pub balance_after: String,
    pub merchant: String,
    pub coupon_code: String,
    pub receipt_no: String,
    pub choose_min: u8,
    pub choose_max: u8,
    pub already_voted: bool,
    pub replaced: bool,
    pub closes: String,
    pub results: Vec<Bar>,
    pub ride_time_key: String,
    pub passengers: u8,
    pub wheelchair: bool,
    pub assistance: bool,
    pub pin_entered: usize,
    pub pin_locked: bool,
    /// What was typed: the nickname, or the enrolment code.
    pub typed: String,
    /// The hub's address on the enrolment screen.
    pub typed_hub: String,
    /// Which enrolment field the keys type into: `hub` or `code`.
    pub field: String,
    /// `kana`, `latin`, `digits` or `address`.
    pub keyboard: String,
    pub guests_today: String,

    pub staff: Vec<StatusLine>,
    pub outbox: String,
    pub sync_lag: String,
    pub kiosk_code: String,
    pub volume: u8,
    pub default_language: String,

    /// What went wrong, in words the views choose (empty code: nothing).
    pub problem: Problem,
    /// A short good-news line (`ride.cancelled`, `staff.enrolled`…), translated by the views.
    pub note: String,
    pub print: PrintState,
    pub idle_warning: bool,
    pub idle_seconds_left: u32,
}
