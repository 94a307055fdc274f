//! A refusal or a failure as the screen shows it: a stable code the views translate
//! (`Words.problem` in `ui/words.slint`) and up to three values formatted for the reader.

use iki_core::{CardIdError, RuleError, Timestamp};
use iki_kiosk_services::ServiceError;

/// What went wrong, ready to be put in words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problem {
    pub code: String,
    pub args: [String; 3],
}

impl Problem {
    pub fn new(code: &str) -> Self {
        Self { code: code.into(), args: Default::default() }
    }

    fn with(code: &str, a: impl ToString, b: impl ToString, c: impl ToString) -> Self {
        Self { code: code.into(), args: [a.to_string(), b.to_string(), c.to_string()] }
    }

    pub fn is_none(&self) -> bool {
        self.code.is_empty()
    }
}

/// `09:30`, Japan time.
pub fn hhmm(at: Timestamp) -> String {
    let m = at.local_minute_of_day();
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// `12/05 09:30` when not today, `09:30` when today.
pub fn when(at: Timestamp, now: Timestamp) -> String {
    if at.local_day() == now.local_day() {
        hhmm(at)
    } else {
        let day = at.local_day().to_string();
        format!("{}/{} {}", &day[5..7], &day[8..10], hhmm(at))
    }
}

fn minute(m: u16) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

impl Problem {
    pub fn from_error(e: &ServiceError, now: Timestamp) -> Self {
        let Some(rule) = e.rule() else { return Problem::new(e.code()) };
        match rule {
            RuleError::Card(CardIdError::RandomUid) => Problem::new("card.random_uid"),
            RuleError::Card(_) => Problem::new("card.unreadable"),
            RuleError::InvalidNickname { max } => Problem::with("register.invalid_nickname", max, "", ""),
            RuleError::InsufficientPoints { balance, cost } => Problem::with(rule.code(), balance, cost, ""),
            RuleError::OfflineAllowanceExceeded { allowance, pending } => Problem::with(rule.code(), allowance, pending, ""),
            RuleError::PinRequired { threshold } | RuleError::NoPinSet { threshold } => Problem::with(rule.code(), threshold, "", ""),
            RuleError::PinWrong { attempts_left } => Problem::with(rule.code(), attempts_left, "", ""),
            RuleError::PinLocked { until } => Problem::with(rule.code(), when(*until, now), "", ""),
            RuleError::ThemeNotOpenYet { opens_at } => Problem::with(rule.code(), when(*opens_at, now), "", ""),
            RuleError::ThemeClosed { closed_at } => Problem::with(rule.code(), when(*closed_at, now), "", ""),
            RuleError::WrongChoiceCount { min, max, got } => Problem::with(rule.code(), min, max, got),
            RuleError::RideOutsideWindow { from_minute, to_minute, days_ahead } => {
                Problem::with(rule.code(), minute(*from_minute), minute(*to_minute), days_ahead)
            }
            RuleError::RideNotOnSlot { slot_minutes } => Problem::with(rule.code(), slot_minutes, "", ""),
            RuleError::PassengersOutOfRange { max } => Problem::with(rule.code(), max, "", ""),
            RuleError::RideNotCancellable { status } => Problem::with(rule.code(), status, "", ""),
            other => Problem::new(other.code()),
        }
    }
}
