//! The sync client in the background: push, pull, sleep; back off with jitter when the hub
//! cannot be reached; report progress and lag. It never blocks a tap — it has its own
//! connection to the kiosk store (WAL lets the kiosk write meanwhile).

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use iki_core::Timestamp;
use iki_store::Store;

use crate::client::{SyncClient, SyncError};
use crate::protocol::{DeviceReport, KioskHealth};

/// What the kiosk's staff screen shows about sync.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncStatus {
    /// When the last full push and pull succeeded (the computer's clock).
    pub last_success: Option<Timestamp>,
    /// Events not yet acknowledged by the hub.
    pub outbox: u64,
    /// Directory changes still to pull at the last pull.
    pub remaining: u64,
    /// The hub's clock minus the kiosk's, in milliseconds, at the last push.
    pub clock_skew_ms: Option<i64>,
    pub last_error: Option<String>,
    /// Events the hub refused (kept in the store with the reason).
    pub rejected: u64,
}

impl SyncStatus {
    /// Whole minutes since the last successful sync, by the same clock that stamped it
    /// (never the demo's clock); `None` before the first.
    pub fn lag_minutes(&self) -> Option<i64> {
        self.last_success.map(|t| (now().unix_ms() - t.unix_ms()).max(0) / 60_000)
    }
}

/// Timing of the loop.
#[derive(Debug, Clone, Copy)]
pub struct SyncTiming {
    pub interval: Duration,
    pub backoff_first: Duration,
    pub backoff_max: Duration,
}

impl Default for SyncTiming {
    fn default() -> Self {
        Self { interval: Duration::from_secs(5), backoff_first: Duration::from_secs(1), backoff_max: Duration::from_secs(120) }
    }
}

/// How the runner talks to the rest of the kiosk.
pub struct RunnerHooks {
    /// Hears whether the hub answered (the kiosk services use it for the offline allowance).
    pub reachable: Box<dyn Fn(bool) + Send>,
    /// The devices' health, reported to the hub after each successful sync.
    pub devices: Box<dyn Fn() -> Vec<DeviceReport> + Send>,
}

impl Default for RunnerHooks {
    fn default() -> Self {
        Self { reachable: Box::new(|_| {}), devices: Box::new(Vec::new) }
    }
}

/// The running sync loop. Dropping it stops the loop after the step in progress.
pub struct SyncRunner {
    status: Arc<Mutex<SyncStatus>>,
    stop: Arc<AtomicBool>,
    wake: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

fn now() -> Timestamp {
    Timestamp(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64))
}

impl SyncRunner {
    /// Starts syncing the store at `path` with `client`.
    pub fn spawn(path: PathBuf, client: SyncClient, timing: SyncTiming, hooks: RunnerHooks) -> Result<Self, SyncError> {
        let mut store = Store::open(&path)?;
        let status = Arc::new(Mutex::new(SyncStatus::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let wake = Arc::new(AtomicBool::new(false));
        let thread = {
            let (status, stop, wake) = (status.clone(), stop.clone(), wake.clone());
            std::thread::Builder::new()
                .name("sync".into())
                .spawn(move || {
                    let mut backoff = timing.backoff_first;
                    let mut jitter = 0x5EED_u64 ^ now().0 as u64;
                    while !stop.load(Ordering::SeqCst) {
                        let result = step(&client, &mut store, &status, &hooks);
                        let pause = match result {
                            Ok(()) => {
                                (hooks.reachable)(true);
                                backoff = timing.backoff_first;
                                timing.interval
                            }
                            Err(e) => {
                                if e.is_retryable() {
                                    tracing::info!("sync: {e}");
                                } else {
                                    tracing::warn!("sync: {e}");
                                }
                                (hooks.reachable)(false);
                                status.lock().unwrap_or_else(|p| p.into_inner()).last_error = Some(e.to_string());
                                jitter = jitter.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                                let spread = backoff.as_millis() as u64 / 2 + 1;
                                let pause = backoff + Duration::from_millis((jitter >> 33) % spread);
                                backoff = (backoff * 2).min(timing.backoff_max);
                                pause
                            }
                        };
                        let until = Instant::now() + pause;
                        while Instant::now() < until && !stop.load(Ordering::SeqCst) && !wake.swap(false, Ordering::SeqCst) {
                            std::thread::sleep(Duration::from_millis(20));
                        }
                    }
                })
                .expect("spawning the sync thread")
        };
        Ok(Self { status, stop, wake, thread: Some(thread) })
    }

    pub fn status(&self) -> SyncStatus {
        self.status.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Syncs now instead of at the next interval (e.g. right after a redemption).
    pub fn wake(&self) {
        self.wake.store(true, Ordering::SeqCst);
    }
}

impl Drop for SyncRunner {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn step(client: &SyncClient, store: &mut Store, status: &Mutex<SyncStatus>, hooks: &RunnerHooks) -> Result<(), SyncError> {
    let mut pushed = client.push(store)?;
    let mut remaining = 0;
    if client.pull(store, |_, left| remaining = left)?.requeued > 0 {
        // A restored hub lost some of this kiosk's events: send them again now.
        pushed = client.push(store)?;
    }
    let (outbox, rejected) = store.read(|tx| Ok::<_, iki_store::StoreError>((tx.outbox_len()?, tx.rejections()?.len() as u64)))?;
    let at = now();
    let report = {
        let mut s = status.lock().unwrap_or_else(|p| p.into_inner());
        s.last_success = Some(at);
        s.outbox = outbox;
        s.remaining = remaining;
        s.rejected = rejected;
        s.last_error = None;
        if let Some(server) = pushed.server_time {
            s.clock_skew_ms = Some(server.0 - at.0);
        }
        KioskHealth { devices: (hooks.devices)(), outbox, rejected, clock_skew_ms: s.clock_skew_ms, reported_at: at }
    };
    client.report_health(&report)
}
