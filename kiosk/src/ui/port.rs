//! What the screens need from the rest of the kiosk, as one trait: the kiosk services (the
//! one durable write per action), the devices (sound, printer) and the link to the hub.
//! [`crate::live::LivePort`] is the real one; tests may pass a fake.

use iki_core::receipt::Receipt;
use iki_core::{CardUid, ItemId, Localised, RideId, Rules, ThemeId, Timestamp};
use iki_devices::sound::{Cue, Prompt};
use iki_kiosk_services::{
    BallotReceipt, CheckInOutcome, CitizenSummary, DestinationView, GuestCheckIn, ItemView, Redemption, Registered,
    Registration, RideOrder, RideReceipt, ServiceError, ThemeView,
};

/// Something that finished away from the UI thread, told to the session on its next tick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// A receipt printed (with the picture demo mode shows), or why not: a `printer.*`
    /// code. A receipt that did not print is kept in the spool for a reprint.
    Printed { number: u64, failure: Option<&'static str>, preview: Option<std::path::PathBuf> },
    /// Enrolment from the staff screen: the kiosk's code, or what went wrong.
    Enrolled(Result<String, EnrolFailure>),
}

/// Why enrolment from the staff screen did not work, in the terms staff can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnrolFailure {
    /// Nothing answered at the address: a typing mistake, the network, or the hub is down.
    Unreachable { hub: String },
    /// The hub answered and refused the code (mistyped, used already, or expired).
    CodeRefused,
    /// Anything else, in the words of whatever failed (for the installer's eyes).
    Other(String),
}

/// One line of the staff screen: a device or the sync link, and how it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusLine {
    pub name: String,
    pub ok: bool,
    pub detail: String,
}

/// Everything the staff screen shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StaffStatus {
    pub lines: Vec<StatusLine>,
    /// Events recorded here and not yet acknowledged by the hub.
    pub outbox: u64,
    /// Minutes since the last successful sync (`None`: never).
    pub lag_minutes: Option<i64>,
    pub kiosk_code: String,
}

/// The kiosk as the screens use it. Every method returns promptly: the services do one
/// durable SQLite write; printing, sound and the network happen on other threads.
pub trait KioskPort {
    fn place_name(&self) -> Localised;
    fn now(&self) -> Timestamp;
    fn rules(&self) -> Rules;
    /// A monotonic clock in milliseconds, for debouncing and the inactivity timer.
    fn ticks_ms(&self) -> u64;
    fn hub_reachable(&self) -> bool;

    fn check_in(&self, card: &CardUid) -> Result<CheckInOutcome, ServiceError>;
    fn summary(&self, card: &CardUid) -> Result<CitizenSummary, ServiceError>;
    fn register(&self, card: &CardUid, form: &Registration) -> Result<Registered, ServiceError>;
    fn check_in_guest(&self, home_region: Option<&str>) -> Result<GuestCheckIn, ServiceError>;
    fn catalogue(&self) -> Result<Vec<ItemView>, ServiceError>;
    fn redeem(&self, card: &CardUid, item: ItemId, pin: Option<&str>) -> Result<Redemption, ServiceError>;
    fn open_themes(&self, card: &CardUid) -> Result<Vec<ThemeView>, ServiceError>;
    fn cast_ballot(&self, card: &CardUid, theme: ThemeId, picked: &[u8]) -> Result<BallotReceipt, ServiceError>;
    fn destinations(&self) -> Result<Vec<DestinationView>, ServiceError>;
    fn request_ride(&self, card: &CardUid, order: &RideOrder) -> Result<RideReceipt, ServiceError>;
    fn cancel_ride(&self, card: &CardUid, ride: RideId) -> Result<RideReceipt, ServiceError>;

    /// Plays a cue (never waits for it).
    fn cue(&self, cue: Cue);
    /// Plays a voice prompt in a language, or its cue when there is no recording.
    fn prompt(&self, prompt: Prompt, lang: &str);
    /// Hands a receipt to the printing thread; a [`Notice::Printed`] follows.
    fn print(&self, receipt: Receipt);
    /// Prints the last receipt again; a [`Notice::Printed`] follows.
    fn reprint_last(&self);
    fn staff_status(&self) -> StaffStatus;
    /// Checks a staff PIN against its argon2id hash.
    fn staff_pin_ok(&self, pin: &str) -> bool;
    /// The hub address to offer on the enrolment screen: the one this kiosk is enrolled
    /// with, else the configuration's, else empty.
    fn hub_address(&self) -> String;
    /// Enrols the kiosk with the hub at `hub` (canonical, see
    /// [`iki_sync::client::hub_address`]) by a one-time code, away from the UI thread; a
    /// [`Notice::Enrolled`] follows.
    fn enrol(&self, hub: &str, code: &str);
    /// 0 to 100.
    fn set_volume(&self, percent: u8);
    /// A setting staff made (`volume`, `language`), kept across restarts.
    fn setting(&self, key: &str) -> Option<String>;
    fn save_setting(&self, key: &str, value: &str);
    /// What finished since the last call.
    fn notices(&self) -> Vec<Notice>;
}
