//! Instants and Iki's local calendar days (Japan Standard Time, UTC+9, no daylight saving).

use serde::{Deserialize, Serialize};
use std::fmt;

const MS_PER_MINUTE: i64 = 60_000;
const MS_PER_DAY: i64 = 86_400_000;
/// Japan Standard Time is UTC+9 all year.
const JST_OFFSET_MS: i64 = 9 * 3_600_000;
/// Julian day number of 1970-01-01.
const UNIX_EPOCH_JULIAN_DAY: i32 = 2_440_588;

/// An instant, in milliseconds since the Unix epoch (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn from_unix_ms(ms: i64) -> Self {
        Self(ms)
    }

    pub fn unix_ms(self) -> i64 {
        self.0
    }

    pub fn plus_minutes(self, minutes: i64) -> Self {
        Self(self.0 + minutes * MS_PER_MINUTE)
    }

    pub fn plus_days(self, days: i64) -> Self {
        Self(self.0 + days * MS_PER_DAY)
    }

    /// The local (JST) calendar day this instant falls on.
    pub fn local_day(self) -> LocalDay {
        LocalDay((self.0 + JST_OFFSET_MS).div_euclid(MS_PER_DAY) as i32)
    }

    /// Minutes since local (JST) midnight, 0..1440.
    pub fn local_minute_of_day(self) -> u16 {
        ((self.0 + JST_OFFSET_MS).rem_euclid(MS_PER_DAY) / MS_PER_MINUTE) as u16
    }

    /// The instant of a local (JST) day and minute of that day.
    pub fn at_local(day: LocalDay, minute_of_day: u16) -> Self {
        Self(i64::from(day.0) * MS_PER_DAY + i64::from(minute_of_day) * MS_PER_MINUTE - JST_OFFSET_MS)
    }

    fn to_jst(self) -> Option<time::PrimitiveDateTime> {
        let nanos = i128::from(self.0 + JST_OFFSET_MS) * 1_000_000;
        let utc = time::OffsetDateTime::from_unix_timestamp_nanos(nanos).ok()?;
        Some(time::PrimitiveDateTime::new(utc.date(), utc.time()))
    }
}

impl fmt::Display for Timestamp {
    /// Local Japan time, `2026-12-04 09:30 JST`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_jst() {
            Some(t) => write!(
                f,
                "{} {:02}:{:02} JST",
                LocalDay(self.local_day().0),
                t.hour(),
                t.minute()
            ),
            None => write!(f, "@{}ms", self.0),
        }
    }
}

/// A calendar day in Iki's local time: days since 1970-01-01 (JST).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LocalDay(pub i32);

impl LocalDay {
    pub fn from_ymd(year: i32, month: u8, day: u8) -> Option<Self> {
        let month = time::Month::try_from(month).ok()?;
        let date = time::Date::from_calendar_date(year, month, day).ok()?;
        Some(Self(date.to_julian_day() - UNIX_EPOCH_JULIAN_DAY))
    }

    /// A day written `2026-12-04`.
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.trim().split('-');
        let (y, m, d) = (parts.next()?.parse().ok()?, parts.next()?.parse().ok()?, parts.next()?.parse().ok()?);
        if parts.next().is_some() {
            return None;
        }
        Self::from_ymd(y, m, d)
    }

    pub fn date(self) -> Option<time::Date> {
        time::Date::from_julian_day(self.0 + UNIX_EPOCH_JULIAN_DAY).ok()
    }

    pub fn next(self) -> Self {
        Self(self.0 + 1)
    }
}

impl fmt::Display for LocalDay {
    /// ISO 8601 date, `2026-12-04`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.date() {
            Some(d) => write!(f, "{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day()),
            None => write!(f, "day {}", self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_parse_as_written() {
        assert_eq!(LocalDay::parse("2026-12-04"), LocalDay::from_ymd(2026, 12, 4));
        assert_eq!(LocalDay::parse(" 2026-1-9 ").map(|d| d.to_string()), Some("2026-01-09".into()));
        for bad in ["2026-02-30", "2026-12", "2026-12-04-1", "today", "", "2026-13-01"] {
            assert_eq!(LocalDay::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn local_day_turns_at_jst_midnight() {
        // 2026-12-04 14:59:59.999 UTC is 23:59:59.999 JST on the 4th.
        let day = LocalDay::from_ymd(2026, 12, 4).unwrap();
        let last_ms = Timestamp::at_local(day.next(), 0).0 - 1;
        assert_eq!(Timestamp(last_ms).local_day(), day);
        assert_eq!(Timestamp(last_ms + 1).local_day(), day.next());
        assert_eq!(Timestamp::at_local(day, 0).to_string(), "2026-12-04 00:00 JST");
        assert_eq!(Timestamp::at_local(day, 9 * 60 + 30).local_minute_of_day(), 570);
    }

    #[test]
    fn days_before_the_epoch_are_not_off_by_one() {
        assert_eq!(Timestamp(-1 - JST_OFFSET_MS).local_day(), LocalDay(-1));
        assert_eq!(LocalDay::from_ymd(1969, 12, 31), Some(LocalDay(-1)));
        assert_eq!(LocalDay::from_ymd(2026, 2, 30), None);
    }
}
