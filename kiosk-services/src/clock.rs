//! Time, fresh ids and the hub's reachability, as the services see them.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

use iki_core::ids::{Uuid, uuid_v7};
use iki_core::{IdSource, Timestamp};

/// Where the services read the time.
pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
}

/// The machine's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        let ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        Timestamp(ms)
    }
}

/// A clock that moves only when told: for tests and for demo scenarios.
#[derive(Debug, Clone, Default)]
pub struct ManualClock(Arc<AtomicI64>);

impl ManualClock {
    pub fn new(at: Timestamp) -> Self {
        Self(Arc::new(AtomicI64::new(at.0)))
    }

    pub fn set(&self, at: Timestamp) {
        self.0.store(at.0, Ordering::SeqCst);
    }

    pub fn advance_minutes(&self, minutes: i64) {
        self.0.fetch_add(minutes * 60_000, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        Timestamp(self.0.load(Ordering::SeqCst))
    }
}

/// UUIDv7 ids from the system clock and the operating system's random source.
#[derive(Debug, Default, Clone, Copy)]
pub struct RandomIds;

impl IdSource for RandomIds {
    fn next_uuid(&mut self) -> Uuid {
        let mut random = [0u8; 10];
        fill_random(&mut random);
        uuid_v7(SystemClock.now().0.max(0) as u64, random)
    }
}

/// Fills `buf` from the operating system's random source. Without one the kiosk cannot
/// make unguessable ids or coupon codes, so it stops rather than carry on predictably.
pub(crate) fn fill_random(buf: &mut [u8]) {
    getrandom::fill(buf).expect("the operating system's random source failed");
}

/// Whether the hub answered lately; the sync client sets it, the services read it.
/// Starts as unreachable, so a kiosk that never synced spends within the offline allowance.
#[derive(Debug, Clone, Default)]
pub struct HubLink(Arc<AtomicBool>);

impl HubLink {
    pub fn set_reachable(&self, reachable: bool) {
        self.0.store(reachable, Ordering::SeqCst);
    }

    pub fn is_reachable(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}
