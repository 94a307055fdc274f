//! On-demand transport: ride requests, the booking window and the status lifecycle.

use serde::{Deserialize, Serialize};

use crate::error::RuleError;
use crate::time::{LocalDay, Timestamp};

/// When the rider wants to be picked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "when", content = "at", rename_all = "snake_case")]
pub enum RideTime {
    /// As soon as a vehicle can come.
    Now,
    /// A slot inside the booking window.
    Slot(Timestamp),
}

/// How many people ride: 1 to 9.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Passengers(u8);

impl Passengers {
    pub const MAX: u8 = 9;

    pub fn new(n: u8) -> Result<Self, RuleError> {
        if (1..=Self::MAX).contains(&n) { Ok(Self(n)) } else { Err(RuleError::PassengersOutOfRange { max: Self::MAX }) }
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Passengers {
    type Error = RuleError;
    fn try_from(n: u8) -> Result<Self, RuleError> {
        Self::new(n)
    }
}

impl From<Passengers> for u8 {
    fn from(p: Passengers) -> u8 {
        p.0
    }
}

/// What the vehicle and driver must be ready for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Needs {
    pub wheelchair: bool,
    pub assistance: bool,
}

/// When rides can be booked: service hours each local day, up to some days ahead, in
/// slots of a fixed length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingWindow {
    /// First pickup, minutes after local midnight (07:00 = 420).
    pub service_start_minute: u16,
    /// No pickup at or after this minute (19:00 = 1140).
    pub service_end_minute: u16,
    pub max_days_ahead: u16,
    pub slot_minutes: u16,
}

impl Default for BookingWindow {
    fn default() -> Self {
        Self { service_start_minute: 7 * 60, service_end_minute: 19 * 60, max_days_ahead: 7, slot_minutes: 15 }
    }
}

impl BookingWindow {
    /// The pickup time a request stands for, or why it cannot be booked.
    pub fn pickup_time(&self, when: RideTime, now: Timestamp) -> Result<Timestamp, RuleError> {
        let at = match when {
            RideTime::Now => now,
            RideTime::Slot(at) => at,
        };
        let minute = at.local_minute_of_day();
        let in_hours = (self.service_start_minute..self.service_end_minute).contains(&minute);
        let outside = RuleError::RideOutsideWindow {
            from_minute: self.service_start_minute,
            to_minute: self.service_end_minute,
            days_ahead: self.max_days_ahead,
        };
        if !in_hours {
            return Err(outside);
        }
        if let RideTime::Slot(at) = when {
            if at < now {
                return Err(RuleError::RideInThePast);
            }
            let last_day = LocalDay(now.local_day().0 + i32::from(self.max_days_ahead));
            if at.local_day() > last_day {
                return Err(outside);
            }
            if minute % self.slot_minutes != 0 || at.unix_ms() % 60_000 != 0 {
                return Err(RuleError::RideNotOnSlot { slot_minutes: self.slot_minutes });
            }
        }
        Ok(at)
    }

    /// The bookable slots of a local day that are not yet past, for the ride screen.
    pub fn slots_on(&self, day: LocalDay, now: Timestamp) -> Vec<Timestamp> {
        (self.service_start_minute..self.service_end_minute)
            .step_by(usize::from(self.slot_minutes.max(1)))
            .map(|m| Timestamp::at_local(day, m))
            .filter(|&t| self.pickup_time(RideTime::Slot(t), now).is_ok())
            .collect()
    }
}

/// Who is changing a ride's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The rider, at a kiosk.
    Rider,
    /// The dispatch operator (hall staff).
    Operator,
}

/// Where a ride is in its life: requested → assigned → picked up → completed, or
/// cancelled, or a no-show (set by an operator only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RideStatus {
    Requested,
    Assigned,
    PickedUp,
    Completed,
    Cancelled,
    NoShow,
}

impl RideStatus {
    pub const ALL: [RideStatus; 6] = [
        RideStatus::Requested,
        RideStatus::Assigned,
        RideStatus::PickedUp,
        RideStatus::Completed,
        RideStatus::Cancelled,
        RideStatus::NoShow,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RideStatus::Requested => "requested",
            RideStatus::Assigned => "assigned",
            RideStatus::PickedUp => "picked_up",
            RideStatus::Completed => "completed",
            RideStatus::Cancelled => "cancelled",
            RideStatus::NoShow => "no_show",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Whether the ride is still ahead of the rider (shown at the next tap).
    pub fn is_active(self) -> bool {
        matches!(self, RideStatus::Requested | RideStatus::Assigned | RideStatus::PickedUp)
    }

    /// Checks a status change against the lifecycle and who may make it.
    pub fn transition(self, to: RideStatus, by: Role) -> Result<RideStatus, RuleError> {
        use RideStatus::*;
        let allowed = match (self, to) {
            (Requested, Assigned) | (Assigned, PickedUp) | (PickedUp, Completed) => by == Role::Operator,
            (Requested | Assigned, Cancelled) => true,
            (Assigned, NoShow) => {
                if by != Role::Operator {
                    return Err(RuleError::OperatorOnly);
                }
                true
            }
            _ => false,
        };
        if allowed {
            Ok(to)
        } else if by == Role::Rider && to == Cancelled {
            Err(RuleError::RideNotCancellable { status: self.as_str() })
        } else if by == Role::Rider {
            Err(RuleError::OperatorOnly)
        } else {
            Err(RuleError::RideTransition { from: self.as_str(), to: to.as_str() })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> LocalDay {
        LocalDay::from_ymd(2026, 12, 4).unwrap()
    }

    #[test]
    fn booking_window_accepts_slots_in_service_hours_only() {
        let w = BookingWindow::default();
        let now = Timestamp::at_local(day(), 9 * 60 + 7);
        assert_eq!(w.pickup_time(RideTime::Now, now), Ok(now));
        let slot = Timestamp::at_local(day(), 10 * 60 + 30);
        assert_eq!(w.pickup_time(RideTime::Slot(slot), now), Ok(slot));
        assert!(matches!(w.pickup_time(RideTime::Slot(Timestamp::at_local(day(), 19 * 60)), now), Err(RuleError::RideOutsideWindow { .. })));
        assert!(matches!(w.pickup_time(RideTime::Slot(Timestamp::at_local(LocalDay(day().0 + 8), 600)), now), Err(RuleError::RideOutsideWindow { .. })));
        assert!(w.pickup_time(RideTime::Slot(Timestamp::at_local(LocalDay(day().0 + 7), 600)), now).is_ok());
        assert_eq!(w.pickup_time(RideTime::Slot(Timestamp::at_local(day(), 9 * 60)), now), Err(RuleError::RideInThePast));
        assert_eq!(w.pickup_time(RideTime::Slot(Timestamp::at_local(day(), 10 * 60 + 10)), now), Err(RuleError::RideNotOnSlot { slot_minutes: 15 }));
        let night = Timestamp::at_local(day(), 22 * 60);
        assert!(matches!(w.pickup_time(RideTime::Now, night), Err(RuleError::RideOutsideWindow { .. })));
    }

    #[test]
    fn slots_of_today_start_after_now() {
        let w = BookingWindow::default();
        let now = Timestamp::at_local(day(), 18 * 60 + 20);
        let slots = w.slots_on(day(), now);
        assert_eq!(slots.len(), 2, "18:30 and 18:45");
        assert_eq!(slots[0].local_minute_of_day(), 18 * 60 + 30);
    }

    #[test]
    fn lifecycle_table() {
        use RideStatus::*;
        let op = Role::Operator;
        let rider = Role::Rider;
        let ok = [(Requested, Assigned, op), (Assigned, PickedUp, op), (PickedUp, Completed, op), (Requested, Cancelled, rider), (Assigned, Cancelled, rider), (Assigned, NoShow, op), (Requested, Cancelled, op)];
        for (from, to, by) in ok {
            assert_eq!(from.transition(to, by), Ok(to), "{from:?}->{to:?} by {by:?}");
        }
        assert_eq!(Assigned.transition(NoShow, rider), Err(RuleError::OperatorOnly));
        assert_eq!(Requested.transition(Assigned, rider), Err(RuleError::OperatorOnly));
        assert_eq!(PickedUp.transition(Cancelled, rider), Err(RuleError::RideNotCancellable { status: "picked_up" }));
        assert!(Completed.transition(Requested, op).is_err());
        assert!(Cancelled.transition(Assigned, op).is_err());
        assert!(NoShow.transition(Completed, op).is_err());
    }

    #[test]
    fn passengers_are_one_to_nine() {
        assert!(Passengers::new(0).is_err());
        assert!(Passengers::new(10).is_err());
        assert_eq!(Passengers::new(9).unwrap().get(), 9);
    }
}
