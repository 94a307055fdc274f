//! The loop every polling reader (libnfc, PC/SC, simulated) runs in its own thread: poll,
//! turn polls into taps, report health, and reconnect with backoff when the reader fails.

use std::sync::{Arc, Mutex};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use iki_core::CardUid;

use crate::health::{DeviceStatus, Health};
use crate::reader::TapDetector;

/// A reader that can be asked "what card is on you now?".
pub trait PollingReader: Send + 'static {
    /// How the configuration names this reader, e.g. `pn532_uart:/dev/ttyUSB0`.
    fn name(&self) -> String;
    /// Opens (or re-opens) the reader.
    fn connect(&mut self) -> Result<(), ReaderError>;
    /// The card on the reader now, if any. Waits at most about one poll interval.
    fn poll(&mut self) -> Result<Option<CardUid>, ReaderError>;
}

/// Why a reader failed. Every message says what to check.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReaderError {
    #[error("The card reader {0} was not found. Check that it is plugged in.")]
    NotFound(String),
    #[error("The card reader {reader} stopped answering ({detail}). Check its cable; the kiosk keeps trying.")]
    Lost { reader: String, detail: String },
    #[error("The card reader {reader} sent something unreadable ({detail}).")]
    Garbled { reader: String, detail: String },
    #[error("A card was read but its number is not usable: {0}")]
    BadCard(String),
}

impl ReaderError {
    /// Whether the reader must be re-opened at once (a bad card or one garbled answer
    /// does not; repeated garbled answers do).
    pub fn needs_reconnect(&self) -> bool {
        matches!(self, ReaderError::NotFound(_) | ReaderError::Lost { .. })
    }
}

/// Garbled answers in a row before the reader is re-opened.
const GARBLED_BEFORE_RECONNECT: u32 = 3;

/// What a reader thread reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReaderEvent {
    /// A card was presented (once per tap).
    Tap { uid: CardUid, reader: String, at: Instant },
    /// A card was read but is not usable; the person should try another card.
    Rejected { reader: String, reason: String },
    /// The reader's health changed.
    Health { reader: String, health: Health },
}

/// Timing of the polling loop.
#[derive(Debug, Clone, Copy)]
pub struct PollTiming {
    /// Pause between polls when nothing changed.
    pub interval: Duration,
    /// Missed polls before a card counts as removed.
    pub removal_polls: u32,
    pub backoff_first: Duration,
    pub backoff_max: Duration,
}

impl Default for PollTiming {
    fn default() -> Self {
        Self {
            interval: Duration::from_millis(50),
            removal_polls: 3,
            backoff_first: Duration::from_millis(200),
            backoff_max: Duration::from_secs(10),
        }
    }
}

/// A running reader thread. Dropping it stops the thread.
pub struct ReaderHandle {
    name: String,
    health: Arc<Mutex<Health>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    events: Receiver<ReaderEvent>,
}

impl ReaderHandle {
    /// The reader's latest health, for the staff screen and the hub.
    pub fn status(&self) -> DeviceStatus {
        DeviceStatus { device: self.name.clone(), health: self.health.lock().unwrap_or_else(|p| p.into_inner()).clone() }
    }

    /// The reader's health as a function other threads can call (the staff screen, the
    /// sync runner's health report) while this handle waits for taps.
    pub fn status_source(&self) -> Arc<dyn Fn() -> DeviceStatus + Send + Sync> {
        let (name, health) = (self.name.clone(), self.health.clone());
        Arc::new(move || DeviceStatus { device: name.clone(), health: health.lock().unwrap_or_else(|p| p.into_inner()).clone() })
    }

    /// The next event, waiting at most `timeout`.
    pub fn next_event(&self, timeout: Duration) -> Option<ReaderEvent> {
        match self.events.recv_timeout(timeout) {
            Ok(e) => Some(e),
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => None,
        }
    }

    /// The next tap, skipping health reports, waiting at most `timeout` in all.
    pub fn next_tap(&self, timeout: Duration) -> Option<CardUid> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            if let ReaderEvent::Tap { uid, .. } = self.next_event(left)? {
                return Some(uid);
            }
        }
    }
}

impl Drop for ReaderHandle {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Starts `reader` in its own thread.
pub fn spawn(reader: impl PollingReader, timing: PollTiming) -> ReaderHandle {
    let name = reader.name();
    let stop = Arc::new(AtomicBool::new(false));
    let health = Arc::new(Mutex::new(Health::Missing("starting".into())));
    let (tx, events) = channel();
    let thread = {
        let (stop, health) = (stop.clone(), health.clone());
        std::thread::Builder::new()
            .name(format!("reader {name}"))
            .spawn(move || run(reader, timing, &stop, &health, &tx))
            .expect("spawning a reader thread")
    };
    ReaderHandle { name, health, stop, thread: Some(thread), events }
}

fn run(mut reader: impl PollingReader, timing: PollTiming, stop: &AtomicBool, shared: &Mutex<Health>, tx: &Sender<ReaderEvent>) {
    let name = reader.name();
    let health = |h: Health| {
        *shared.lock().unwrap_or_else(|p| p.into_inner()) = h.clone();
        ReaderEvent::Health { reader: name.clone(), health: h }
    };
    let mut detector = TapDetector::new(timing.removal_polls);
    let mut backoff = timing.backoff_first;
    let mut connected = false;
    let mut garbled = 0u32;
    let mut jitter = 0x9E37_79B9_u64 ^ (name.len() as u64);
    while !stop.load(Ordering::SeqCst) {
        if !connected {
            match reader.connect() {
                Ok(()) => {
                    connected = true;
                    backoff = timing.backoff_first;
                    detector.reset();
                    if tx.send(health(Health::Ok)).is_err() {
                        return;
                    }
                }
                Err(e) => {
                    if tx.send(health(Health::Missing(e.to_string()))).is_err() {
                        return;
                    }
                    // Exponential backoff with jitter, so many kiosks do not retry in step.
                    jitter = jitter.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    let spread = backoff.as_millis() as u64 / 4 + 1;
                    sleep_unless_stopped(backoff + Duration::from_millis((jitter >> 33) % spread), stop);
                    backoff = (backoff * 2).min(timing.backoff_max);
                    continue;
                }
            }
        }
        match reader.poll() {
            Ok(seen) => {
                if garbled > 0 {
                    garbled = 0;
                    if tx.send(health(Health::Ok)).is_err() {
                        return;
                    }
                }
                if let Some(uid) = detector.observe(seen) {
                    if tx.send(ReaderEvent::Tap { uid, reader: name.clone(), at: Instant::now() }).is_err() {
                        return;
                    }
                }
                sleep_unless_stopped(timing.interval, stop);
            }
            Err(e @ ReaderError::Garbled { .. }) => {
                garbled += 1;
                if garbled >= GARBLED_BEFORE_RECONNECT {
                    connected = false;
                }
                if tx.send(health(Health::Degraded(e.to_string()))).is_err() {
                    return;
                }
                sleep_unless_stopped(timing.interval, stop);
            }
            Err(e) if !e.needs_reconnect() => {
                if tx.send(ReaderEvent::Rejected { reader: name.clone(), reason: e.to_string() }).is_err() {
                    return;
                }
                sleep_unless_stopped(timing.interval, stop);
            }
            Err(e) => {
                connected = false;
                if tx.send(health(Health::Missing(e.to_string()))).is_err() {
                    return;
                }
            }
        }
    }
}

fn sleep_unless_stopped(d: Duration, stop: &AtomicBool) {
    let deadline = Instant::now() + d;
    while !stop.load(Ordering::SeqCst) {
        let Some(left) = deadline.checked_duration_since(Instant::now()) else { return };
        std::thread::sleep(left.min(Duration::from_millis(20)));
    }
}
