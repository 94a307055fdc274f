//! What the kiosk shows, decided without any UI toolkit: a tap becomes a greeting with the
//! check-in and the balance, or a plain message; "start over" goes back to waiting.

use iki_core::{CardUid, Localised, Timestamp};
use iki_kiosk_services::{CheckInOutcome, KioskServices, ServiceError};

/// What the screens need from the kiosk; [`KioskServices`] is the real one.
pub trait KioskPort {
    fn place_name(&self) -> Localised;
    fn now(&self) -> Timestamp;
    fn hub_reachable(&self) -> bool;
    fn check_in(&self, card: &CardUid) -> Result<CheckInOutcome, ServiceError>;
}

/// The kiosk services with the hub's reachability.
pub struct ServicesPort<'a> {
    pub services: &'a KioskServices,
    pub hub: iki_kiosk_services::HubLink,
}

impl KioskPort for ServicesPort<'_> {
    fn place_name(&self) -> Localised {
        self.services
            .store()
            .read(|tx| tx.identity())
            .map(|i| i.place.name)
            .unwrap_or_else(|_| Localised::new("壱岐", "Iki"))
    }

    fn now(&self) -> Timestamp {
        self.services.now()
    }

    fn hub_reachable(&self) -> bool {
        self.hub.is_reachable()
    }

    fn check_in(&self, card: &CardUid) -> Result<CheckInOutcome, ServiceError> {
        self.services.check_in(card)
    }
}

/// Which screen is up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Waiting,
    Greeted,
}

/// Everything the window shows, as plain data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreenModel {
    pub screen: Screen,
    pub language: String,
    pub place_name: String,
    pub clock: String,
    pub online: bool,
    pub nickname: String,
    pub checked_in_now: bool,
    pub points_earned: String,
    pub port_bonus: String,
    pub balance: String,
    /// A refusal or a problem, in words a person can act on (empty when none).
    pub message: String,
}

/// One person's time at the kiosk.
pub struct Session<P: KioskPort> {
    port: P,
    model: ScreenModel,
    place: Localised,
}

fn clock(now: Timestamp) -> String {
    let minute = now.local_minute_of_day();
    format!("{} {:02}:{:02}", now.local_day(), minute / 60, minute % 60)
}

impl<P: KioskPort> Session<P> {
    pub fn new(port: P) -> Self {
        let place = port.place_name();
        let model = ScreenModel {
            screen: Screen::Waiting,
            language: "ja".into(),
            place_name: place.ja.clone(),
            clock: clock(port.now()),
            online: port.hub_reachable(),
            nickname: String::new(),
            checked_in_now: false,
            points_earned: String::new(),
            port_bonus: String::new(),
            balance: String::new(),
            message: String::new(),
        };
        Self { port, model, place }
    }

    pub fn model(&self) -> &ScreenModel {
        &self.model
    }

    /// A card was tapped.
    pub fn tap(&mut self, card: &CardUid) -> &ScreenModel {
        self.refresh();
        match self.port.check_in(card) {
            Ok(out) => {
                let recorded = out.recorded;
                self.model.screen = Screen::Greeted;
                self.model.nickname = out.greeting.nickname;
                self.model.checked_in_now = recorded.is_some();
                self.model.points_earned = recorded.map(|r| r.points.value().to_string()).unwrap_or_default();
                self.model.port_bonus =
                    recorded.filter(|r| r.port_bonus.is_positive()).map(|r| r.port_bonus.value().to_string()).unwrap_or_default();
                self.model.balance = out.balance.to_string();
                self.model.message.clear();
            }
            Err(e) => {
                self.model.screen = Screen::Waiting;
                self.model.message = e.to_string();
            }
        }
        &self.model
    }

    pub fn choose_language(&mut self, language: &str) -> &ScreenModel {
        self.model.language = language.to_owned();
        self.model.place_name = self.place.get(language).to_owned();
        &self.model
    }

    pub fn start_over(&mut self) -> &ScreenModel {
        self.refresh();
        self.model.screen = Screen::Waiting;
        self.model.message.clear();
        &self.model
    }

    fn refresh(&mut self) {
        self.model.clock = clock(self.port.now());
        self.model.online = self.port.hub_reachable();
    }
}
