//! The island's rules for check-in, redemption, PINs and offline spending, as pure decisions.

use serde::{Deserialize, Serialize};

use crate::catalogue::CatalogueItem;
use crate::error::RuleError;
use crate::people::CitizenKind;
use crate::place::{Place, PlaceKind};
use crate::points::{AccountLimits, Lot, Points};
use crate::ride::BookingWindow;
use crate::time::Timestamp;

/// Island-wide settings. Per-place settings (check-in points, PIN threshold) live on [`Place`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rules {
    /// Points expire this many days after they were earned.
    pub expiry_days: u16,
    /// The most a card may spend while the hub cannot be reached and its spends are unacknowledged.
    pub offline_allowance: Points,
    /// Wrong PINs allowed before the PIN locks.
    pub pin_attempts: u8,
    pub pin_lockout_minutes: u16,
    /// Extra points for an e-citizen's first check-in at a ferry port: the welcome to the island.
    pub port_first_arrival_bonus: Points,
    pub limits: AccountLimits,
    pub booking: BookingWindow,
    /// The version of the registration consent text the kiosk shows.
    pub consent_version: u16,
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            expiry_days: 365,
            offline_allowance: Points(1_000),
            pin_attempts: 3,
            pin_lockout_minutes: 15,
            port_first_arrival_bonus: Points(500),
            limits: AccountLimits::default(),
            booking: BookingWindow::default(),
            consent_version: 1,
        }
    }
}

/// What the store knows when a citizen taps to check in.
#[derive(Debug, Clone, Copy)]
pub struct CheckInFacts {
    pub kind: CitizenKind,
    pub place_kind: PlaceKind,
    pub place_points: Points,
    pub already_today: bool,
    pub had_port_arrival: bool,
    pub balance: Points,
}

/// The outcome of a check-in tap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckInDecision {
    /// Already checked in at this place today: nothing to record.
    AlreadyToday,
    /// Record a check-in earning these points (capped by the wallet limit).
    Award { points: Points, port_bonus: Points },
}

/// What the store knows when a citizen asks for an item.
#[derive(Debug, Clone, Copy)]
pub struct RedemptionFacts<'a> {
    pub item: &'a CatalogueItem,
    pub now: Timestamp,
    pub available: Points,
    pub pending_offline: Points,
    pub hub_reachable: bool,
}

impl Rules {
    pub fn check_in(&self, f: &CheckInFacts) -> CheckInDecision {
        if f.already_today {
            return CheckInDecision::AlreadyToday;
        }
        let bonus = if f.kind == CitizenKind::ECitizen && f.place_kind == PlaceKind::FerryPort && !f.had_port_arrival {
            self.port_first_arrival_bonus
        } else {
            Points::ZERO
        };
        let points = self.limits.cap_award(f.kind, f.balance, f.place_points);
        let port_bonus = self.limits.cap_award(f.kind, f.balance + points, bonus);
        CheckInDecision::Award { points, port_bonus }
    }

    /// Whether the citizen is a first arrival at a port (recorded even if the bonus was capped).
    pub fn is_port_arrival(&self, kind: CitizenKind, place_kind: PlaceKind, had_port_arrival: bool) -> bool {
        kind == CitizenKind::ECitizen && place_kind == PlaceKind::FerryPort && !had_port_arrival
    }

    /// Everything about a redemption except the PIN.
    pub fn check_redemption(&self, f: &RedemptionFacts<'_>) -> Result<(), RuleError> {
        if !f.item.is_offered_at(f.now) {
            return Err(RuleError::ItemNotOffered);
        }
        if !f.item.stock.is_available() {
            return Err(RuleError::OutOfStock);
        }
        if f.available < f.item.cost {
            return Err(RuleError::InsufficientPoints { balance: f.available, cost: f.item.cost });
        }
        if !f.hub_reachable && f.pending_offline + f.item.cost > self.offline_allowance {
            return Err(RuleError::OfflineAllowanceExceeded {
                allowance: self.offline_allowance,
                pending: f.pending_offline,
            });
        }
        Ok(())
    }

    pub fn needs_pin(&self, place: &Place, cost: Points) -> bool {
        cost > place.pin_threshold
    }

    /// Wrong PINs that still count: a lockout that has run out starts the count afresh.
    pub fn live_pin_failures(&self, failures: u8, last_failure: Option<Timestamp>, now: Timestamp) -> u8 {
        match last_failure {
            Some(last) if failures >= self.pin_attempts && now >= self.pin_unlocks_at(last) => 0,
            _ => failures,
        }
    }

    pub fn pin_unlocks_at(&self, last_failure: Timestamp) -> Timestamp {
        last_failure.plus_minutes(i64::from(self.pin_lockout_minutes))
    }

    /// Refuses PIN entry while locked.
    pub fn check_pin_unlocked(&self, failures: u8, last_failure: Option<Timestamp>, now: Timestamp) -> Result<(), RuleError> {
        match last_failure {
            Some(last) if self.live_pin_failures(failures, last_failure, now) >= self.pin_attempts => {
                Err(RuleError::PinLocked { until: self.pin_unlocks_at(last) })
            }
            _ => Ok(()),
        }
    }

    /// The error for a wrong PIN, given the live failures including this one.
    pub fn wrong_pin(&self, live_failures: u8, now: Timestamp) -> RuleError {
        if live_failures >= self.pin_attempts {
            RuleError::PinLocked { until: self.pin_unlocks_at(now) }
        } else {
            RuleError::PinWrong { attempts_left: self.pin_attempts - live_failures }
        }
    }

    /// The lot an award of points forms.
    pub fn lot_for(&self, earned_at: Timestamp, amount: Points) -> Lot {
        Lot { earned_at, expires_at: earned_at.plus_days(i64::from(self.expiry_days)), remaining: amount }
    }
}

/// A 4-digit PIN as typed on the PIN pad.
pub fn check_pin_format(pin: &str) -> Result<(), RuleError> {
    if pin.len() == 4 && pin.bytes().all(|b| b.is_ascii_digit()) { Ok(()) } else { Err(RuleError::InvalidPin) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{ItemCategory, Stock};
    use crate::ids::{ItemId, SeededIds};
    use crate::text::Localised;

    fn facts(kind: CitizenKind, place_kind: PlaceKind) -> CheckInFacts {
        CheckInFacts { kind, place_kind, place_points: Points(10), already_today: false, had_port_arrival: false, balance: Points(0) }
    }

    #[test]
    fn first_port_arrival_is_for_e_citizens_once() {
        let r = Rules::default();
        let award = |f| r.check_in(&f);
        assert_eq!(award(facts(CitizenKind::ECitizen, PlaceKind::FerryPort)), CheckInDecision::Award { points: Points(10), port_bonus: Points(500) });
        assert_eq!(award(facts(CitizenKind::Resident, PlaceKind::FerryPort)), CheckInDecision::Award { points: Points(10), port_bonus: Points(0) });
        assert_eq!(award(facts(CitizenKind::ECitizen, PlaceKind::CommunityHall)), CheckInDecision::Award { points: Points(10), port_bonus: Points(0) });
        let again = CheckInFacts { had_port_arrival: true, ..facts(CitizenKind::ECitizen, PlaceKind::FerryPort) };
        assert_eq!(award(again), CheckInDecision::Award { points: Points(10), port_bonus: Points(0) });
        let today = CheckInFacts { already_today: true, ..facts(CitizenKind::ECitizen, PlaceKind::FerryPort) };
        assert_eq!(award(today), CheckInDecision::AlreadyToday);
        let full = CheckInFacts { balance: Points(49_995), ..facts(CitizenKind::ECitizen, PlaceKind::FerryPort) };
        assert_eq!(award(full), CheckInDecision::Award { points: Points(5), port_bonus: Points(0) });
    }

    #[test]
    fn redemption_checks_stock_balance_and_offline_allowance() {
        let r = Rules::default();
        let mut item = CatalogueItem {
            id: ItemId::new(&mut SeededIds::new(1, 0)),
            name: Localised::new("焼酎", "Shochu"),
            category: ItemCategory::LocalProduct,
            cost: Points(600),
            stock: Stock::Limited(1),
            merchant: "distillery".into(),
            available_from: None,
            available_until: None,
        };
        let f = |item: &CatalogueItem, available, pending, hub_reachable| {
            r.check_redemption(&RedemptionFacts { item, now: Timestamp(0), available: Points(available), pending_offline: Points(pending), hub_reachable })
        };
        assert_eq!(f(&item, 600, 0, false), Ok(()));
        assert_eq!(f(&item, 599, 0, true), Err(RuleError::InsufficientPoints { balance: Points(599), cost: Points(600) }));
        assert_eq!(f(&item, 5000, 500, false), Err(RuleError::OfflineAllowanceExceeded { allowance: Points(1000), pending: Points(500) }));
        assert_eq!(f(&item, 5000, 500, true), Ok(()));
        item.stock = Stock::Limited(0);
        assert_eq!(f(&item, 5000, 0, true), Err(RuleError::OutOfStock));
        item.available_until = Some(Timestamp(0));
        assert_eq!(f(&item, 5000, 0, true), Err(RuleError::ItemNotOffered));
    }

    #[test]
    fn pin_locks_after_the_allowed_attempts_and_unlocks_later() {
        let r = Rules::default();
        let t = Timestamp(1_000_000);
        assert_eq!(r.wrong_pin(1, t), RuleError::PinWrong { attempts_left: 2 });
        assert_eq!(r.wrong_pin(3, t), RuleError::PinLocked { until: t.plus_minutes(15) });
        assert!(r.check_pin_unlocked(3, Some(t), t.plus_minutes(14)).is_err());
        assert!(r.check_pin_unlocked(3, Some(t), t.plus_minutes(15)).is_ok());
        assert_eq!(r.live_pin_failures(3, Some(t), t.plus_minutes(15)), 0);
        assert_eq!(r.live_pin_failures(2, Some(t), t.plus_minutes(60)), 2);
        assert!(check_pin_format("0420").is_ok());
        assert!(check_pin_format("42").is_err());
        assert!(check_pin_format("12a4").is_err());
    }
}
