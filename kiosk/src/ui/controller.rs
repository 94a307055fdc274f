//! One person's time at the kiosk, decided without any UI toolkit: a tap, then one
//! decision per screen through the services, with "back" and "start over" everywhere,
//! rapid repeated presses ignored, and an inactivity warning before the kiosk returns to
//! waiting. What was recorded stays recorded whichever way a visit ends.

use iki_core::receipt::Receipt;
use iki_core::{AgeBand, CardUid, Localised, Needs, Points, RideStatus, RideTime, Timestamp};
use iki_devices::sound::{Cue, Prompt};
use iki_kiosk_services::receipts::{self, Lang};
use iki_kiosk_services::{
    BallotReceipt, DestinationView, ItemView, Registration, RideOrder, RideView, ServiceError, ThemeView,
};
use iki_sync::client::HubAddressError;

use crate::ui::model::{Bar, Choice, PrintState, Screen, ScreenModel};
use crate::ui::port::{EnrolFailure, KioskPort, Notice};
use crate::ui::problem::{Problem, hhmm, when};

/// How long things take, in milliseconds of the port's monotonic clock.
#[derive(Debug, Clone, Copy)]
pub struct Pacing {
    /// No input for this long on any screen but waiting: the warning comes up.
    pub warn_after_ms: u64,
    /// …and after this long the kiosk returns to waiting.
    pub return_after_ms: u64,
    /// The same button again within this time is a bounce, not a second press.
    pub repeat_ms: u64,
    /// Keys of the PIN pad and keyboard repeat faster.
    pub key_repeat_ms: u64,
    /// Presses this soon after a new screen appears were meant for the old one.
    pub settle_ms: u64,
    /// A message on the waiting screen goes away after this long.
    pub message_ms: u64,
}

impl Default for Pacing {
    fn default() -> Self {
        Self {
            warn_after_ms: 60_000,
            return_after_ms: 80_000,
            repeat_ms: 600,
            key_repeat_ms: 150,
            settle_ms: 300,
            message_ms: 20_000,
        }
    }
}

/// What a press asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Language(String),
    StartOver,
    Back,
    /// "I need more time" on the inactivity warning.
    Extend,
    Redeem,
    Vote,
    Ride,
    CancelRide,
    Pick(usize),
    Confirm,
    Digit(u8),
    Erase,
    Key(char),
    Keyboard(String),
    Passengers(i8),
    Wheelchair,
    Assistance,
    Register,
    Guest,
    Agree,
    /// The long press on the place's name.
    Staff,
    Reprint,
    Enrol,
    /// Which field of the enrolment screen the keys type into: `hub` or `code`.
    Field(String),
    Volume(i8),
    MakeDefaultLanguage,
}

impl Action {
    /// The views' `act(kind, arg)` as an action (`None` for what no view sends).
    pub fn parse(kind: &str, arg: &str) -> Option<Self> {
        Some(match kind {
            "language" => Action::Language(arg.to_owned()),
            "start-over" => Action::StartOver,
            "back" => Action::Back,
            "extend" => Action::Extend,
            "redeem" => Action::Redeem,
            "vote" => Action::Vote,
            "ride" => Action::Ride,
            "cancel-ride" => Action::CancelRide,
            "pick" => Action::Pick(arg.parse().ok()?),
            "confirm" => Action::Confirm,
            "digit" => Action::Digit(arg.parse().ok().filter(|d| *d < 10)?),
            "erase" => Action::Erase,
            "key" => Action::Key(single_char(arg)?),
            "keyboard" => Action::Keyboard(arg.to_owned()),
            "passengers" => Action::Passengers(arg.parse().ok()?),
            "wheelchair" => Action::Wheelchair,
            "assistance" => Action::Assistance,
            "register" => Action::Register,
            "guest" => Action::Guest,
            "agree" => Action::Agree,
            "staff" => Action::Staff,
            "reprint" => Action::Reprint,
            "enrol" => Action::Enrol,
            "field" => Action::Field(arg.to_owned()),
            "volume" => Action::Volume(arg.parse().ok()?),
            "default-language" => Action::MakeDefaultLanguage,
            _ => return None,
        })
    }

    fn is_key(&self) -> bool {
        matches!(self, Action::Digit(_) | Action::Erase | Action::Key(_))
    }
}

fn single_char(text: &str) -> Option<char> {
    let mut chars = text.chars();
    let c = chars.next()?;
    chars.next().is_none().then_some(c)
}

/// The regions offered at registration (ISO 3166), nearest first.
pub const HOME_REGIONS: [&str; 10] = ["JP-42", "JP-40", "JP-13", "JP-27", "JP", "KR", "CN", "TW", "US", "ZZ"];
/// A PIN is 4 digits; a staff PIN 4 to 8.
const PIN_LEN: usize = 4;
const STAFF_PIN_MAX: usize = 8;
const STAFF_PIN_TRIES: u8 = 3;
const STAFF_LOCK_MS: u64 = 5 * 60_000;
/// Upcoming slots offered besides "now", "in 30 minutes" and "in an hour".
const EXTRA_SLOTS: usize = 6;
/// Keeps a nickname from growing far past what the service accepts (it says why).
const NICKNAME_TYPED_MAX: usize = 24;
/// Enrolment codes from the hub are `XXXX-XXXX-XXXX`.
const CODE_TYPED_MAX: usize = 24;
/// Long enough for `https://` and any hall network's host name, port and path.
const HUB_TYPED_MAX: usize = 120;

/// What the session remembers between screens.
#[derive(Default)]
struct Visit {
    card: Option<CardUid>,
    items: Vec<ItemView>,
    item: Option<usize>,
    pin: String,
    themes: Vec<ThemeView>,
    theme: Option<usize>,
    picks: Vec<u8>,
    ballot: Option<BallotReceipt>,
    destinations: Vec<DestinationView>,
    destination: Option<usize>,
    times: Vec<(String, RideTime)>,
    time: Option<usize>,
    passengers: u8,
    needs: Needs,
    ride: Option<RideView>,
    nickname: String,
    home_region: Option<String>,
    balance: Points,
}

pub struct Session<P: KioskPort> {
    port: P,
    pacing: Pacing,
    model: ScreenModel,
    visit: Visit,
    place: Localised,
    last_input_ms: u64,
    screen_since_ms: u64,
    last_action: Option<(Action, u64)>,
    warned: bool,
    staff_tries: u8,
    staff_locked_until_ms: u64,
}

impl<P: KioskPort> Session<P> {
    pub fn new(port: P) -> Self {
        Self::with_pacing(port, Pacing::default())
    }

    pub fn with_pacing(port: P, pacing: Pacing) -> Self {
        let place = port.place_name();
        let now_ms = port.ticks_ms();
        let model = ScreenModel {
            screen: Screen::Waiting,
            language: "ja".into(),
            place_name: place.ja.clone(),
            clock: String::new(),
            online: port.hub_reachable(),
            nickname: String::new(),
            checked_in_now: false,
            back_again: false,
            points_earned: String::new(),
            port_bonus: String::new(),
            balance: String::new(),
            open_themes: 0,
            ride_number: String::new(),
            ride_destination: String::new(),
            ride_when: String::new(),
            ride_status: String::new(),
            ride_vehicle: String::new(),
            ride_eta: String::new(),
            ride_cancellable: false,
            choices: Vec::new(),
            groups: Vec::new(),
            subject: String::new(),
            question: String::new(),
            cost: String::new(),
            balance_after: String::new(),
            merchant: String::new(),
            coupon_code: String::new(),
            receipt_no: String::new(),
            choose_min: 1,
            choose_max: 1,
            already_voted: false,
            replaced: false,
            closes: String::new(),
            results: Vec::new(),
            ride_time_key: String::new(),
            passengers: 1,
            wheelchair: false,
            assistance: false,
            pin_entered: 0,
            pin_locked: false,
            typed: String::new(),
            typed_hub: String::new(),
            field: String::new(),
            keyboard: "kana".into(),
            guests_today: String::new(),
            staff: Vec::new(),
            outbox: String::new(),
            sync_lag: String::new(),
            kiosk_code: String::new(),
            volume: 70,
            default_language: "ja".into(),
            problem: Problem::default(),
            note: String::new(),
            print: PrintState::default(),
            idle_warning: false,
            idle_seconds_left: 0,
        };
        let mut session = Self {
            port,
            pacing,
            model,
            visit: Visit::default(),
            place,
            last_input_ms: now_ms,
            screen_since_ms: now_ms,
            last_action: None,
            warned: false,
            staff_tries: 0,
            staff_locked_until_ms: 0,
        };
        // What staff set last time: the starting language and the volume.
        if let Some(lang) = session.port.setting("language").filter(|l| ["ja", "en", "ko", "zh"].contains(&l.as_str())) {
            session.model.default_language = lang.clone();
            session.model.language = lang;
        }
        if let Some(volume) = session.port.setting("volume").and_then(|v| v.parse::<u8>().ok()) {
            session.model.volume = volume.min(100);
            session.port.set_volume(session.model.volume);
        }
        session.refresh();
        session.render();
        session
    }

    pub fn model(&self) -> &ScreenModel {
        &self.model
    }

    pub fn port(&self) -> &P {
        &self.port
    }

    fn lang(&self) -> &str {
        &self.model.language
    }

    fn receipt_lang(&self) -> Lang {
        Lang::parse(self.lang()).unwrap_or_default()
    }

    fn name(&self, text: &Localised) -> String {
        text.get(self.lang()).to_owned()
    }

    fn refresh(&mut self) {
        let now = self.port.now();
        self.model.clock = format!("{}  {}", now.local_day(), hhmm(now));
        self.model.online = self.port.hub_reachable();
    }

    fn go(&mut self, screen: Screen) {
        self.model.screen = screen;
        self.screen_since_ms = self.port.ticks_ms();
        self.model.problem = Problem::default();
        self.model.note.clear();
        self.render();
    }

    /// A voice prompt in the screen's language (its cue when no recording exists).
    fn say(&self, prompt: Prompt) {
        self.port.prompt(prompt, &self.model.language);
    }

    fn problem(&mut self, e: &ServiceError) {
        self.model.problem = Problem::from_error(e, self.port.now());
        self.say(Prompt::TryAgain);
    }

    fn explain(&mut self, code: &str) {
        self.model.problem = Problem::new(code);
        self.say(Prompt::TryAgain);
    }

    fn print(&mut self, receipt: Receipt) {
        self.model.print = PrintState { state: "printing".into(), preview: None };
        self.port.print(receipt);
    }

    /// A card was tapped: a new visit begins, whatever was on the screen.
    pub fn tap(&mut self, card: &CardUid) -> &ScreenModel {
        self.last_input_ms = self.port.ticks_ms();
        self.clear_visit();
        self.refresh();
        match self.port.check_in(card) {
            Ok(out) => {
                self.say(Prompt::Welcome);
                let recorded = out.recorded;
                self.visit.card = Some(*card);
                self.visit.balance = out.balance;
                self.model.nickname = out.greeting.nickname.clone();
                self.model.back_again = false;
                self.model.checked_in_now = recorded.is_some();
                self.model.points_earned = recorded.map(|r| r.points.value().to_string()).unwrap_or_default();
                self.model.port_bonus =
                    recorded.filter(|r| r.port_bonus.is_positive()).map(|r| r.port_bonus.value().to_string()).unwrap_or_default();
                if let Some(receipt) = receipts::check_in(&out, self.port.now(), self.receipt_lang()) {
                    self.say(Prompt::ThankYou);
                    self.print(receipt);
                }
                self.load_summary(card);
                self.go(Screen::Greeted);
            }
            Err(ServiceError::Rule(iki_core::RuleError::UnknownCard)) => {
                self.port.cue(Cue::TapAccepted);
                self.visit.card = Some(*card);
                self.go(Screen::Welcome);
            }
            Err(e) => {
                self.go(Screen::Waiting);
                self.problem(&e);
            }
        }
        &self.model
    }

    /// A card the reader could not read: the reason, on the waiting screen.
    pub fn unreadable(&mut self, code: &str) -> &ScreenModel {
        self.last_input_ms = self.port.ticks_ms();
        self.clear_visit();
        self.go(Screen::Waiting);
        self.explain(code);
        &self.model
    }

    fn load_summary(&mut self, card: &CardUid) {
        match self.port.summary(card) {
            Ok(summary) => {
                self.visit.balance = summary.balance;
                self.visit.ride = summary.rides.into_iter().filter(|r| r.status.is_active()).min_by_key(|r| r.pickup_at);
                self.model.open_themes = summary.open_themes.iter().filter(|t| t.my_choices.is_none()).count();
                self.visit.themes = summary.open_themes;
            }
            Err(e) => self.problem(&e),
        }
    }

    fn clear_visit(&mut self) {
        self.visit = Visit { passengers: 1, ..Visit::default() };
        self.model.print = PrintState::default();
        self.model.idle_warning = false;
        self.warned = false;
    }

    /// A press on the screen. Bounces and presses meant for the previous screen are ignored.
    pub fn act(&mut self, action: Action) -> &ScreenModel {
        let now_ms = self.port.ticks_ms();
        let repeat = if action.is_key() { self.pacing.key_repeat_ms } else { self.pacing.repeat_ms };
        let bounced = matches!(&self.last_action, Some((last, at)) if *last == action && now_ms.saturating_sub(*at) < repeat);
        let unsettled = now_ms.saturating_sub(self.screen_since_ms) < self.pacing.settle_ms && !matches!(action, Action::Language(_));
        if bounced || unsettled {
            return &self.model;
        }
        self.last_action = Some((action.clone(), now_ms));
        self.last_input_ms = now_ms;
        self.model.idle_warning = false;
        self.warned = false;
        self.refresh();
        self.handle(action);
        &self.model
    }

    fn handle(&mut self, action: Action) {
        let screen = self.model.screen;
        match action {
            Action::Language(lang) => {
                if ["ja", "en", "ko", "zh"].contains(&lang.as_str()) {
                    self.model.language = lang;
                    self.render();
                }
            }
            Action::StartOver => self.start_over(),
            Action::Back => self.back(),
            Action::Extend => {}
            Action::Redeem if self.visit.card.is_some() => self.open_catalogue(),
            Action::Vote if self.visit.card.is_some() => self.open_themes(),
            Action::Ride if self.visit.card.is_some() => self.open_rides(),
            Action::CancelRide if self.visit.ride.as_ref().is_some_and(|r| r.status == RideStatus::Requested) => {
                self.go(Screen::CancelRide)
            }
            Action::Pick(i) => self.pick(screen, i),
            Action::Confirm => self.confirm(screen),
            Action::Digit(d) => self.digit(screen, d),
            Action::Erase => self.erase(screen),
            Action::Key(c) if matches!(screen, Screen::Nickname | Screen::StaffEnrol) => self.key(c),
            Action::Keyboard(mode) if ["kana", "latin", "digits", "address"].contains(&mode.as_str()) => {
                self.model.keyboard = mode;
            }
            Action::Passengers(step) if screen == Screen::RideDetails => {
                let max = iki_core::Passengers::MAX;
                self.visit.passengers = (i16::from(self.visit.passengers) + i16::from(step)).clamp(1, i16::from(max)) as u8;
                self.render();
            }
            Action::Wheelchair if screen == Screen::RideDetails => {
                self.visit.needs.wheelchair = !self.visit.needs.wheelchair;
                self.render();
            }
            Action::Assistance if screen == Screen::RideDetails => {
                self.visit.needs.assistance = !self.visit.needs.assistance;
                self.render();
            }
            Action::Register if screen == Screen::Welcome => self.go(Screen::Consent),
            Action::Agree if screen == Screen::Consent => {
                self.model.keyboard = if self.lang() == "ja" { "kana".into() } else { "latin".into() };
                self.go(Screen::Nickname);
            }
            Action::Guest if matches!(screen, Screen::Welcome | Screen::Waiting) => self.guest(),
            Action::Staff => {
                self.clear_visit();
                self.visit.pin.clear();
                self.go(Screen::StaffPin);
                self.port.cue(Cue::Attention);
            }
            Action::Reprint if screen == Screen::Staff => {
                self.model.print = PrintState { state: "printing".into(), preview: None };
                self.port.reprint_last();
            }
            Action::Enrol if screen == Screen::Staff => {
                self.model.typed.clear();
                self.model.typed_hub = self.port.hub_address();
                // Start where typing is needed: the address when none is known yet.
                let field = if self.model.typed_hub.is_empty() { "hub" } else { "code" };
                self.go(Screen::StaffEnrol);
                self.enrol_field(field);
            }
            Action::Field(field) if screen == Screen::StaffEnrol && ["hub", "code"].contains(&field.as_str()) => {
                self.enrol_field(&field);
            }
            Action::Volume(step) if screen == Screen::Staff => {
                self.model.volume = (i16::from(self.model.volume) + i16::from(step)).clamp(0, 100) as u8;
                self.port.set_volume(self.model.volume);
                self.port.save_setting("volume", &self.model.volume.to_string());
                self.port.cue(Cue::Confirmation);
            }
            Action::MakeDefaultLanguage if screen == Screen::Staff => {
                self.model.default_language = self.model.language.clone();
                self.port.save_setting("language", &self.model.language);
                self.model.note = "staff.language-saved".into();
            }
            // A press that means nothing on this screen (a stale view): nothing happens.
            _ => {}
        }
    }

    /// Points the enrolment screen's keys at a field, with the keys that field needs.
    fn enrol_field(&mut self, field: &str) {
        self.model.field = field.into();
        self.model.keyboard = if field == "hub" { "address" } else { "digits" }.into();
    }

    /// A kiosk not yet enrolled: straight to the staff PIN (then enrolment), not a press.
    pub fn needs_enrolment(&mut self) -> &ScreenModel {
        self.handle(Action::Staff);
        &self.model
    }

    /// Back to waiting; everything recorded stays recorded.
    pub fn start_over(&mut self) {
        self.clear_visit();
        self.model.language = self.model.default_language.clone();
        self.model.typed.clear();
        self.go(Screen::Waiting);
    }

    fn back(&mut self) {
        let to = match self.model.screen {
            Screen::Waiting => return,
            Screen::Greeted | Screen::Welcome | Screen::StaffPin | Screen::Staff => return self.start_over(),
            Screen::Catalogue | Screen::Themes | Screen::RideWhere | Screen::CancelRide => Screen::Greeted,
            Screen::ConfirmItem => Screen::Catalogue,
            Screen::Pin => Screen::ConfirmItem,
            Screen::Coupon | Screen::BallotDone | Screen::RideDone => return self.greet_again(),
            Screen::Ballot => Screen::Themes,
            Screen::RideWhen => Screen::RideWhere,
            Screen::RideDetails => Screen::RideWhen,
            Screen::RideConfirm => Screen::RideDetails,
            Screen::Consent => Screen::Welcome,
            Screen::Nickname => Screen::Consent,
            Screen::HomeRegion => Screen::Nickname,
            Screen::AgeBand => Screen::HomeRegion,
            Screen::Registered => return self.greet_again(),
            Screen::GuestDone => return self.start_over(),
            Screen::StaffEnrol => Screen::Staff,
        };
        if to == Screen::Nickname {
            self.model.typed = self.visit.nickname.clone();
        }
        self.go(to);
    }

    /// The greeting again, with the balance and ride as they are now.
    fn greet_again(&mut self) {
        if let Some(card) = self.visit.card {
            self.model.back_again = true;
            self.load_summary(&card);
            self.go(Screen::Greeted);
        } else {
            self.start_over();
        }
    }

    // ── points ──────────────────────────────────────────────────────────────

    fn open_catalogue(&mut self) {
        match self.port.catalogue() {
            Ok(items) => {
                self.visit.items = items;
                self.go(Screen::Catalogue);
            }
            Err(e) => self.problem(&e),
        }
    }

    fn pick(&mut self, screen: Screen, i: usize) {
        match screen {
            Screen::Catalogue => {
                let Some(item) = self.visit.items.get(i) else { return };
                if item.stock == Some(0) {
                    return self.explain("redeem.out_of_stock");
                }
                if item.cost > self.visit.balance {
                    let problem = ServiceError::Rule(iki_core::RuleError::InsufficientPoints { balance: self.visit.balance, cost: item.cost });
                    return self.problem(&problem);
                }
                self.visit.item = Some(i);
                self.go(Screen::ConfirmItem);
            }
            Screen::Themes => {
                let Some(theme) = self.visit.themes.get(i) else { return };
                self.visit.picks = theme.my_choices.clone().unwrap_or_default();
                self.visit.theme = Some(i);
                self.go(Screen::Ballot);
            }
            Screen::Ballot => {
                let Some(theme) = self.visit.theme.and_then(|t| self.visit.themes.get(t)) else { return };
                let Ok(option) = u8::try_from(i) else { return };
                if usize::from(option) >= theme.options.len() {
                    return;
                }
                let max = theme.choose.1;
                if let Some(at) = self.visit.picks.iter().position(|p| *p == option) {
                    self.visit.picks.remove(at);
                } else if max == 1 {
                    self.visit.picks = vec![option];
                } else if self.visit.picks.len() < usize::from(max) {
                    self.visit.picks.push(option);
                } else {
                    let (min, max) = theme.choose;
                    let got = self.visit.picks.len() + 1;
                    return self.problem(&ServiceError::Rule(iki_core::RuleError::WrongChoiceCount { min, max, got }));
                }
                self.render();
            }
            Screen::RideWhere => {
                if i < self.visit.destinations.len() {
                    self.visit.destination = Some(i);
                    self.visit.times = ride_times(&self.port.rules().booking, self.port.now());
                    self.go(Screen::RideWhen);
                }
            }
            Screen::RideWhen => {
                if i < self.visit.times.len() {
                    self.visit.time = Some(i);
                    self.go(Screen::RideDetails);
                }
            }
            Screen::HomeRegion => {
                if let Some(region) = HOME_REGIONS.get(i) {
                    self.visit.home_region = Some((*region).to_owned());
                    self.go(Screen::AgeBand);
                }
            }
            Screen::AgeBand => {
                if let Some(band) = AgeBand::ALL.get(i) {
                    self.register(*band);
                }
            }
            _ => {}
        }
    }

    fn confirm(&mut self, screen: Screen) {
        match screen {
            Screen::ConfirmItem => {
                let Some(item) = self.visit.item.and_then(|i| self.visit.items.get(i)) else { return };
                if item.needs_pin {
                    self.visit.pin.clear();
                    self.model.pin_locked = false;
                    self.go(Screen::Pin);
                    self.port.cue(Cue::Attention);
                } else {
                    self.redeem(None);
                }
            }
            Screen::Pin => {
                if self.visit.pin.len() != PIN_LEN {
                    return self.explain("register.invalid_pin");
                }
                let pin = std::mem::take(&mut self.visit.pin);
                self.redeem(Some(&pin));
            }
            Screen::Ballot => self.vote(),
            Screen::RideDetails => self.go(Screen::RideConfirm),
            Screen::RideConfirm => self.request_ride(),
            Screen::CancelRide => self.cancel_ride(),
            Screen::Nickname => {
                let typed = self.model.typed.trim().to_owned();
                if typed.is_empty() {
                    return self.explain("register.invalid_nickname");
                }
                self.visit.nickname = typed;
                self.go(Screen::HomeRegion);
            }
            Screen::Registered => self.checked_in_after_registering(),
            Screen::StaffPin => self.staff_pin(),
            // One enrolment at a time: a second press while the first is on its way would
            // spend the one-time code twice.
            Screen::StaffEnrol if self.model.note == "staff.enrolling" => {}
            Screen::StaffEnrol => {
                let hub = match iki_sync::client::hub_address(&self.model.typed_hub) {
                    Ok(hub) => hub,
                    Err(e) => {
                        self.enrol_field("hub");
                        return self.explain(match e {
                            HubAddressError::Empty => "staff.hub-missing",
                            HubAddressError::Invalid(_) => "staff.hub-invalid",
                        });
                    }
                };
                let code = self.model.typed.trim().to_owned();
                if code.is_empty() {
                    self.enrol_field("code");
                    return self.explain("staff.code-missing");
                }
                // What will be used, written out in full (`https://` added), for staff to see.
                self.model.typed_hub = hub.clone();
                self.port.enrol(&hub, &code);
                self.model.note = "staff.enrolling".into();
            }
            _ => {}
        }
    }

    fn digit(&mut self, screen: Screen, d: u8) {
        let max = match screen {
            Screen::Pin if !self.model.pin_locked => PIN_LEN,
            Screen::StaffPin => STAFF_PIN_MAX,
            Screen::StaffEnrol => return self.key(char::from(b'0' + d)),
            _ => return,
        };
        if self.visit.pin.len() < max {
            self.visit.pin.push(char::from(b'0' + d));
            self.model.problem = Problem::default();
        }
        self.render();
    }

    fn erase(&mut self, screen: Screen) {
        match screen {
            Screen::Pin | Screen::StaffPin => {
                self.visit.pin.pop();
            }
            Screen::StaffEnrol if self.model.field == "hub" => {
                self.model.typed_hub.pop();
            }
            Screen::Nickname | Screen::StaffEnrol => {
                self.model.typed.pop();
            }
            _ => {}
        }
        self.render();
    }

    fn key(&mut self, c: char) {
        match c {
            '゛' | '゜' => {
                if let Some(last) = self.model.typed.pop() {
                    self.model.typed.push(voiced(last, c == '゜').unwrap_or(last));
                }
            }
            _ if self.model.screen == Screen::StaffEnrol && self.model.field == "hub" => {
                // Host names are case-blind; lower case reads as an address does.
                if self.model.typed_hub.chars().count() < HUB_TYPED_MAX && !c.is_whitespace() {
                    self.model.typed_hub.extend(c.to_lowercase());
                }
            }
            _ => {
                let code = self.model.screen == Screen::StaffEnrol;
                let max = if code { CODE_TYPED_MAX } else { NICKNAME_TYPED_MAX };
                if self.model.typed.chars().count() < max {
                    // Enrolment codes are upper-case hexadecimal, whichever keys were used.
                    self.model.typed.extend(if code { c.to_uppercase().collect::<Vec<_>>() } else { vec![c] });
                }
            }
        }
        self.model.problem = Problem::default();
    }

    fn redeem(&mut self, pin: Option<&str>) {
        let (Some(card), Some(item)) = (self.visit.card, self.visit.item.and_then(|i| self.visit.items.get(i))) else { return };
        match self.port.redeem(&card, item.id, pin) {
            Ok(coupon) => {
                self.say(Prompt::ThankYou);
                self.visit.balance = coupon.balance_after;
                let receipt = receipts::coupon(&coupon, &self.place, self.receipt_lang());
                self.go(Screen::Coupon);
                self.model.coupon_code = coupon.coupon_code;
                self.model.receipt_no = coupon.receipt_no.to_string();
                self.model.balance_after = coupon.balance_after.to_string();
                self.print(receipt);
            }
            Err(e) => {
                let locked = matches!(e.rule(), Some(iki_core::RuleError::PinLocked { .. }));
                let on_pin = matches!(e.rule(), Some(iki_core::RuleError::PinWrong { .. } | iki_core::RuleError::PinRequired { .. })) || locked;
                if on_pin && self.model.screen != Screen::Pin {
                    self.go(Screen::Pin);
                }
                self.model.pin_locked = locked;
                self.visit.pin.clear();
                self.render();
                self.problem(&e);
            }
        }
    }

    // ── dialogue ────────────────────────────────────────────────────────────

    fn open_themes(&mut self) {
        let Some(card) = self.visit.card else { return };
        match self.port.open_themes(&card) {
            Ok(themes) => {
                self.visit.themes = themes;
                self.go(Screen::Themes);
            }
            Err(e) => self.problem(&e),
        }
    }

    fn vote(&mut self) {
        let (Some(card), Some(theme)) = (self.visit.card, self.visit.theme.and_then(|t| self.visit.themes.get(t))) else { return };
        let (min, max) = theme.choose;
        let got = self.visit.picks.len();
        if got < usize::from(min) || got > usize::from(max) {
            return self.problem(&ServiceError::Rule(iki_core::RuleError::WrongChoiceCount { min, max, got }));
        }
        let mut picks = self.visit.picks.clone();
        picks.sort_unstable();
        match self.port.cast_ballot(&card, theme.id, &picks) {
            Ok(ballot) => {
                self.say(Prompt::ThankYou);
                let receipt = receipts::ballot(&ballot, &self.place, self.port.now(), self.receipt_lang());
                self.model.receipt_no = ballot.receipt_no.to_string();
                self.visit.ballot = Some(ballot);
                if let Some(t) = self.visit.theme.and_then(|t| self.visit.themes.get_mut(t)) {
                    t.my_choices = Some(picks);
                }
                self.go(Screen::BallotDone);
                self.print(receipt);
            }
            Err(e) => self.problem(&e),
        }
    }

    // ── rides ───────────────────────────────────────────────────────────────

    fn open_rides(&mut self) {
        match self.port.destinations() {
            Ok(mut destinations) => {
                // Grouped on screen: ports, the hospital, town halls, sights, the rest.
                destinations.sort_by_key(|d| d.kind as u8);
                self.visit.destinations = destinations;
                self.visit.passengers = 1;
                self.visit.needs = Needs::default();
                self.go(Screen::RideWhere);
            }
            Err(e) => self.problem(&e),
        }
    }

    fn request_ride(&mut self) {
        let Some(card) = self.visit.card else { return };
        let (Some(dest), Some(time)) = (self.visit.destination, self.visit.time) else { return };
        let (Some(dest), Some((_, when))) = (self.visit.destinations.get(dest), self.visit.times.get(time)) else { return };
        let Ok(passengers) = iki_core::Passengers::new(self.visit.passengers) else { return };
        let order = RideOrder { destination: dest.id, when: *when, passengers: passengers.get(), needs: self.visit.needs };
        match self.port.request_ride(&card, &order) {
            Ok(receipt) => {
                self.say(Prompt::ThankYou);
                let paper = receipts::ride(&receipt, self.port.now(), self.receipt_lang());
                self.model.receipt_no = receipt.receipt_no.to_string();
                self.visit.ride = Some(receipt.ride);
                self.go(Screen::RideDone);
                self.print(paper);
            }
            Err(e) => self.problem(&e),
        }
    }

    fn cancel_ride(&mut self) {
        let (Some(card), Some(ride)) = (self.visit.card, self.visit.ride.as_ref().map(|r| r.id)) else { return };
        match self.port.cancel_ride(&card, ride) {
            Ok(receipt) => {
                self.say(Prompt::ThankYou);
                let paper = receipts::ride(&receipt, self.port.now(), self.receipt_lang());
                self.greet_again();
                self.model.note = "ride.cancelled".into();
                self.print(paper);
            }
            Err(e) => self.problem(&e),
        }
    }

    // ── newcomers ───────────────────────────────────────────────────────────

    fn guest(&mut self) {
        match self.port.check_in_guest(None) {
            Ok(guest) => {
                self.say(Prompt::ThankYou);
                let receipt = receipts::guest(&guest, self.port.now(), self.receipt_lang());
                self.visit.card = None;
                self.go(Screen::GuestDone);
                self.model.guests_today = guest.guests_today.to_string();
                self.print(receipt);
            }
            Err(e) => self.problem(&e),
        }
    }

    fn register(&mut self, age_band: AgeBand) {
        let Some(card) = self.visit.card else { return };
        let form = Registration {
            nickname: self.visit.nickname.clone(),
            home_region: self.visit.home_region.clone().unwrap_or_default(),
            age_band,
            consent: true,
            pin: None,
        };
        match self.port.register(&card, &form) {
            Ok(registered) => {
                self.say(Prompt::ThankYou);
                let receipt = receipts::registration(&registered, &self.place, self.port.now(), self.receipt_lang());
                self.model.nickname = registered.greeting.nickname;
                self.model.receipt_no = registered.receipt_no.to_string();
                self.go(Screen::Registered);
                self.print(receipt);
            }
            Err(e) => {
                // A nickname the rules refuse goes back to the keyboard to be changed.
                if e.code() == "register.invalid_nickname" {
                    self.model.typed = self.visit.nickname.clone();
                    self.go(Screen::Nickname);
                }
                self.problem(&e);
            }
        }
    }

    fn checked_in_after_registering(&mut self) {
        if let Some(card) = self.visit.card {
            let print = std::mem::take(&mut self.model.print);
            self.tap(&card);
            if self.model.print.state.is_empty() {
                self.model.print = print;
            }
        }
    }

    // ── staff ───────────────────────────────────────────────────────────────

    fn staff_pin(&mut self) {
        let now_ms = self.port.ticks_ms();
        if now_ms < self.staff_locked_until_ms {
            self.visit.pin.clear();
            self.render();
            return self.explain("staff.locked");
        }
        let pin = std::mem::take(&mut self.visit.pin);
        if pin.len() >= PIN_LEN && self.port.staff_pin_ok(&pin) {
            self.staff_tries = 0;
            self.say(Prompt::ThankYou);
            self.go(Screen::Staff);
        } else {
            self.staff_tries += 1;
            if self.staff_tries >= STAFF_PIN_TRIES {
                self.staff_tries = 0;
                self.staff_locked_until_ms = now_ms + STAFF_LOCK_MS;
                self.render();
                return self.explain("staff.locked");
            }
            self.render();
            self.model.problem = Problem { code: "staff.pin-wrong".into(), args: [(STAFF_PIN_TRIES - self.staff_tries).to_string(), String::new(), String::new()] };
            self.port.cue(Cue::Error);
        }
    }

    // ── time passing ────────────────────────────────────────────────────────

    /// Called about once a second: the clock, the link, finished prints, and the
    /// inactivity warning and return.
    pub fn tick(&mut self) -> &ScreenModel {
        self.refresh();
        for notice in self.port.notices() {
            self.notice(notice);
        }
        let idle = self.port.ticks_ms().saturating_sub(self.last_input_ms);
        if self.model.screen == Screen::Waiting {
            if !self.model.problem.is_none() && idle >= self.pacing.message_ms {
                self.model.problem = Problem::default();
            }
        } else if idle >= self.pacing.return_after_ms {
            self.start_over();
        } else if idle >= self.pacing.warn_after_ms {
            self.model.idle_warning = true;
            self.model.idle_seconds_left = ((self.pacing.return_after_ms - idle).div_ceil(1000)) as u32;
            if !self.warned {
                self.warned = true;
                self.port.cue(Cue::Attention);
            }
        }
        if self.model.screen == Screen::Staff {
            self.render();
        }
        &self.model
    }

    fn notice(&mut self, notice: Notice) {
        match notice {
            Notice::Printed { failure: None, preview, .. } => {
                self.model.print = PrintState { state: "printed".into(), preview };
                self.say(Prompt::TakeYourReceipt);
            }
            Notice::Printed { failure: Some(code), .. } => {
                self.model.print = PrintState { state: code.into(), preview: None };
                self.say(Prompt::TryAgain);
            }
            Notice::Enrolled(Ok(code)) => {
                // The kiosk now knows where it stands.
                self.place = self.port.place_name();
                self.model.place_name = self.name(&self.place);
                self.model.note = "staff.enrolled".into();
                self.model.kiosk_code = code;
                self.say(Prompt::ThankYou);
            }
            Notice::Enrolled(Err(failure)) => {
                let (code, arg) = match failure {
                    EnrolFailure::Unreachable { hub } => ("staff.hub-unreachable", hub),
                    EnrolFailure::CodeRefused => ("staff.code-refused", String::new()),
                    EnrolFailure::Other(why) => ("staff.enrol-failed", why),
                };
                self.model.note.clear();
                self.model.problem = Problem { code: code.into(), args: [arg, String::new(), String::new()] };
                self.port.cue(Cue::Error);
            }
        }
    }

    // ── the model from the visit ────────────────────────────────────────────

    /// Fills the language-dependent parts of the model from what the visit holds.
    fn render(&mut self) {
        self.model.place_name = self.name(&self.place);
        self.model.balance = self.visit.balance.to_string();
        self.model.choices.clear();
        self.model.groups.clear();
        self.render_ride();
        let lang = self.model.language.clone();
        let name = |t: &Localised| t.get(&lang).to_owned();
        match self.model.screen {
            Screen::Catalogue => {
                let balance = self.visit.balance;
                self.model.choices = self
                    .visit
                    .items
                    .iter()
                    .map(|item| Choice {
                        label: name(&item.name),
                        detail: item.cost.to_string(),
                        // Why it cannot be chosen, or how many are left (words in the view).
                        note: if item.stock == Some(0) {
                            "out".into()
                        } else if item.cost > balance {
                            "points".into()
                        } else {
                            item.stock.map(|s| s.to_string()).unwrap_or_default()
                        },
                        group: picture(item.category).into(),
                        available: item.stock != Some(0) && item.cost <= balance,
                        ..Choice::default()
                    })
                    .collect();
            }
            Screen::ConfirmItem | Screen::Pin | Screen::Coupon => {
                if let Some(item) = self.visit.item.and_then(|i| self.visit.items.get(i)) {
                    self.model.subject = name(&item.name);
                    self.model.cost = item.cost.to_string();
                    self.model.merchant = item.merchant.clone();
                    if self.model.screen != Screen::Coupon {
                        self.model.balance_after = Points(self.visit.balance.value() - item.cost.value()).to_string();
                    }
                }
                self.model.pin_entered = self.visit.pin.len();
            }
            Screen::Themes => {
                let now = self.port.now();
                self.model.choices = self
                    .visit
                    .themes
                    .iter()
                    .map(|t| Choice {
                        label: name(&t.title),
                        detail: when(t.closes_at, now),
                        selected: t.my_choices.is_some(),
                        available: true,
                        ..Choice::default()
                    })
                    .collect();
            }
            Screen::Ballot => {
                if let Some(theme) = self.visit.theme.and_then(|t| self.visit.themes.get(t)) {
                    self.model.subject = name(&theme.title);
                    self.model.question = name(&theme.question);
                    self.model.choose_min = theme.choose.0;
                    self.model.choose_max = theme.choose.1;
                    self.model.already_voted = theme.my_choices.is_some();
                    self.model.closes = when(theme.closes_at, self.port.now());
                    let picks = &self.visit.picks;
                    self.model.choices = theme
                        .options
                        .iter()
                        .enumerate()
                        .map(|(i, o)| Choice {
                            label: name(o),
                            selected: u8::try_from(i).is_ok_and(|i| picks.contains(&i)),
                            available: true,
                            ..Choice::default()
                        })
                        .collect();
                }
            }
            Screen::BallotDone => {
                if let Some(ballot) = &self.visit.ballot {
                    self.model.subject = name(&ballot.theme);
                    self.model.replaced = ballot.replaced;
                    self.model.closes = when(ballot.closes_at, self.port.now());
                    self.model.choices =
                        ballot.chosen.iter().map(|c| Choice { label: name(c), selected: true, ..Choice::default() }).collect();
                    let chosen: Vec<&Localised> = ballot.chosen.iter().collect();
                    self.model.results = ballot
                        .results
                        .as_ref()
                        .map(|results| {
                            let top = results.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
                            results
                                .iter()
                                .map(|(label, votes)| Bar {
                                    label: name(label),
                                    votes: *votes,
                                    percent: votes * 100 / top,
                                    mine: chosen.contains(&label),
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                }
            }
            Screen::RideWhere => {
                self.model.choices = self
                    .visit
                    .destinations
                    .iter()
                    .map(|d| Choice { label: name(&d.name), group: d.kind.as_str().into(), available: true, ..Choice::default() })
                    .collect();
                for (i, choice) in self.model.choices.iter().enumerate() {
                    match self.model.groups.last_mut() {
                        Some((kind, _, count)) if *kind == choice.group => *count += 1,
                        _ => self.model.groups.push((choice.group.clone(), i, 1)),
                    }
                }
            }
            Screen::RideWhen => {
                self.model.choices = self
                    .visit
                    .times
                    .iter()
                    .map(|(key, t)| Choice {
                        key: key.clone(),
                        label: match t {
                            RideTime::Now => String::new(),
                            RideTime::Slot(at) => when(*at, self.port.now()),
                        },
                        available: true,
                        ..Choice::default()
                    })
                    .collect();
                self.fill_order();
            }
            Screen::RideDetails | Screen::RideConfirm => self.fill_order(),
            Screen::HomeRegion => {
                self.model.choices = HOME_REGIONS
                    .iter()
                    .map(|r| Choice { key: format!("region.{r}"), available: true, ..Choice::default() })
                    .collect();
            }
            Screen::AgeBand => {
                self.model.choices = AgeBand::ALL
                    .iter()
                    .map(|b| Choice { key: format!("age.{}", b.as_str()), available: true, ..Choice::default() })
                    .collect();
            }
            Screen::Nickname | Screen::StaffEnrol => {}
            Screen::StaffPin => self.model.pin_entered = self.visit.pin.len(),
            Screen::Staff => {
                let status = self.port.staff_status();
                self.model.staff = status.lines;
                self.model.outbox = status.outbox.to_string();
                self.model.sync_lag = status.lag_minutes.map(|m| m.to_string()).unwrap_or_default();
                if self.model.kiosk_code.is_empty() {
                    self.model.kiosk_code = status.kiosk_code;
                }
            }
            _ => {}
        }
    }

    fn fill_order(&mut self) {
        let lang = self.model.language.clone();
        if let Some(d) = self.visit.destination.and_then(|d| self.visit.destinations.get(d)) {
            self.model.subject = d.name.get(&lang).to_owned();
        }
        if let Some((key, t)) = self.visit.time.and_then(|t| self.visit.times.get(t)) {
            self.model.ride_time_key = key.clone();
            self.model.closes = match t {
                RideTime::Now => String::new(),
                RideTime::Slot(at) => when(*at, self.port.now()),
            };
        }
        self.model.passengers = self.visit.passengers;
        self.model.wheelchair = self.visit.needs.wheelchair;
        self.model.assistance = self.visit.needs.assistance;
    }

    fn render_ride(&mut self) {
        let now = self.port.now();
        let lang = self.model.language.clone();
        let ride = self.visit.ride.as_ref();
        self.model.ride_number = ride.map(|r| r.number.clone()).unwrap_or_default();
        self.model.ride_destination = ride.map(|r| r.destination.get(&lang).to_owned()).unwrap_or_default();
        self.model.ride_when = ride.map(|r| if r.asap { String::new() } else { when(r.pickup_at, now) }).unwrap_or_default();
        self.model.ride_status = ride.map(|r| r.status.as_str().to_owned()).unwrap_or_default();
        self.model.ride_vehicle = ride.and_then(|r| r.vehicle.clone()).unwrap_or_default();
        self.model.ride_eta = ride.and_then(|r| r.eta).map(|t| when(t, now)).unwrap_or_default();
        self.model.ride_cancellable = ride.is_some_and(|r| r.status == RideStatus::Requested);
    }
}

/// Now, in about 30 minutes, in about an hour (the first slot at or after), then the next
/// few slots; only what the booking window allows.
fn ride_times(window: &iki_core::BookingWindow, now: Timestamp) -> Vec<(String, RideTime)> {
    let mut out = Vec::new();
    if window.pickup_time(RideTime::Now, now).is_ok() {
        out.push(("now".to_owned(), RideTime::Now));
    }
    let mut slots = window.slots_on(now.local_day(), now);
    slots.extend(window.slots_on(now.local_day().next(), now));
    for (key, minutes) in [("in30", 30), ("in60", 60)] {
        if let Some(at) = slots.iter().find(|t| **t >= now.plus_minutes(minutes)) {
            out.push((key.to_owned(), RideTime::Slot(*at)));
        }
    }
    let after = out.iter().filter_map(|(_, t)| if let RideTime::Slot(at) = t { Some(*at) } else { None }).max();
    out.extend(slots.into_iter().filter(|t| after.is_none_or(|a| *t > a)).take(EXTRA_SLOTS).map(|t| ("slot".to_owned(), RideTime::Slot(t))));
    out
}

/// The picture the catalogue draws for an item (`ui/widgets.slint`, `Pictogram`).
fn picture(category: iki_core::ItemCategory) -> &'static str {
    match category {
        iki_core::ItemCategory::Transport => "ferry",
        iki_core::ItemCategory::LocalProduct => "bottle",
        iki_core::ItemCategory::Workspace => "laptop",
        iki_core::ItemCategory::Experience => "museum",
    }
}

/// A kana with its voicing mark (か + ゛ = が, は + ゜ = ぱ); `None` when it takes none.
fn voiced(c: char, semi: bool) -> Option<char> {
    const PLAIN: &str = "かきくけこさしすせそたちつてとはひふへほカキクケコサシスセソタチツテトハヒフヘホうウ";
    const VOICED: &str = "がぎぐげござじずぜぞだぢづでどばびぶべぼガギグゲゴザジズゼゾダヂヅデドバビブベボゔヴ";
    const HALF: &str = "はひふへほハヒフヘホ";
    const SEMI: &str = "ぱぴぷぺぽパピプペポ";
    let (from, to) = if semi { (HALF, SEMI) } else { (PLAIN, VOICED) };
    from.chars().position(|p| p == c).and_then(|i| to.chars().nth(i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_view_action_parses_and_nonsense_does_not() {
        assert_eq!(Action::parse("pick", "3"), Some(Action::Pick(3)));
        assert_eq!(Action::parse("digit", "7"), Some(Action::Digit(7)));
        assert_eq!(Action::parse("digit", "12"), None);
        assert_eq!(Action::parse("key", "あ"), Some(Action::Key('あ')));
        assert_eq!(Action::parse("key", "ab"), None);
        assert_eq!(Action::parse("passengers", "-1"), Some(Action::Passengers(-1)));
        assert_eq!(Action::parse("field", "hub"), Some(Action::Field("hub".into())));
        assert_eq!(Action::parse("launch", ""), None);
    }

    #[test]
    fn voicing_marks_combine_with_kana() {
        assert_eq!(voiced('か', false), Some('が'));
        assert_eq!(voiced('は', true), Some('ぱ'));
        assert_eq!(voiced('あ', false), None);
        assert_eq!(voiced('ウ', false), Some('ヴ'));
    }

    #[test]
    fn ride_times_offer_now_then_slots_inside_the_window() {
        let window = iki_core::BookingWindow::default();
        let morning = iki_demo_data::demo_morning(); // 09:30 JST
        let times = ride_times(&window, morning);
        assert_eq!(times[0], ("now".to_owned(), RideTime::Now));
        assert_eq!(times[1].0, "in30");
        assert_eq!(times[1].1, RideTime::Slot(morning.plus_minutes(30)));
        assert_eq!(times[2].1, RideTime::Slot(morning.plus_minutes(60)));
        assert_eq!(times.len(), 3 + EXTRA_SLOTS);
        let night = Timestamp::at_local(morning.local_day(), 22 * 60);
        let late = ride_times(&window, night);
        assert!(late.iter().all(|(k, _)| k != "now"), "no ride now at 22:00");
        assert!(!late.is_empty(), "tomorrow's slots are offered");
    }
}
