//! The real [`KioskPort`]: the kiosk services on the kiosk's store, the printer on a thread
//! of its own, the speaker, the sync runner and enrolment. Nothing here waits on the
//! printer or the network on the caller's thread.

use std::cell::{Cell, RefCell};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use iki_core::receipt::Receipt;
use iki_core::{CardUid, ItemId, Localised, RideId, Rules, ThemeId, Timestamp};
use iki_devices::printer::Printer;
use iki_devices::sound::{Cue, Prompt};
use iki_devices::{DeviceStatus, Health, SoundOut};
use iki_kiosk_services::{
    BallotReceipt, CheckInOutcome, CitizenSummary, DestinationView, GuestCheckIn, HubLink, ItemView, KioskServices,
    Redemption, Registered, Registration, RideOrder, RideReceipt, ServiceError, ThemeView,
};
use iki_store::Store;
use iki_sync::client::{SyncClient, SyncError};
use iki_sync::runner::{RunnerHooks, SyncRunner, SyncStatus, SyncTiming};

use crate::ui::{EnrolFailure, KioskPort, Notice, StaffStatus, StatusLine};

/// A monotonic clock: the real one, or one a test moves by hand.
#[derive(Clone)]
pub enum Ticks {
    Real(Instant),
    Manual(Rc<Cell<u64>>),
}

impl Ticks {
    pub fn ms(&self) -> u64 {
        match self {
            Ticks::Real(start) => start.elapsed().as_millis() as u64,
            Ticks::Manual(ms) => ms.get(),
        }
    }
}

enum Job {
    Print(Box<Receipt>),
    Reprint,
    Pending,
}

/// The printer on its own thread: receipts go in, [`Notice::Printed`] comes out.
pub struct PrinterWorker {
    jobs: Sender<Job>,
    status: Arc<Mutex<DeviceStatus>>,
}

impl PrinterWorker {
    pub fn spawn(mut printer: Box<dyn Printer>, notices: Sender<Notice>) -> Self {
        let (jobs, rx) = channel::<Job>();
        let status = Arc::new(Mutex::new(DeviceStatus { device: printer.describe(), health: printer.health() }));
        let shared = status.clone();
        std::thread::Builder::new()
            .name("printer".into())
            .spawn(move || {
                for job in rx {
                    let (number, result) = match job {
                        Job::Print(receipt) => (receipt.number, printer.print(&receipt).map(|_| true)),
                        Job::Reprint => (0, printer.reprint_last().map(|r| r.is_some())),
                        Job::Pending => (0, printer.print_pending().map(|n| n > 0)),
                    };
                    let failure = match &result {
                        Ok(_) => None,
                        Err(e) => {
                            tracing::warn!("printer: {e}");
                            Some(e.code())
                        }
                    };
                    let health = if let Some(code) = failure { Health::Missing(code.into()) } else { printer.health() };
                    *shared.lock().unwrap_or_else(|p| p.into_inner()) = DeviceStatus { device: printer.describe(), health };
                    if matches!(result, Ok(false)) {
                        continue;
                    }
                    let preview = if failure.is_none() { printer.last_preview() } else { None };
                    if notices.send(Notice::Printed { number, failure, preview }).is_err() {
                        return;
                    }
                }
            })
            .expect("spawning the printer thread");
        Self { jobs, status }
    }

    fn send(&self, job: Job) {
        if self.jobs.send(job).is_err() {
            tracing::error!("the printer thread has stopped");
        }
    }

    pub fn status(&self) -> DeviceStatus {
        self.status.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// How the kiosk enrols: the store's path (a connection of its own, so the UI's store is
/// never held while the network answers), the hub address the configuration suggests, and
/// the certificate to trust for it.
#[derive(Clone)]
pub struct EnrolTarget {
    pub store_path: PathBuf,
    /// `hub_url` from kiosk.toml: offered on the enrolment screen, used by `iki-kiosk enrol`.
    pub default_hub: Option<String>,
    pub ca: Option<PathBuf>,
}

impl EnrolTarget {
    /// Exchanges a one-time code at the hub `hub` for the kiosk's credential and pulls the
    /// island; returns the kiosk's code (e.g. `GNR3`). Blocks on the network: call it off
    /// the UI thread.
    pub fn enrol(&self, hub: &str, code: &str) -> Result<String, EnrolError> {
        let mut store = Store::open(&self.store_path)?;
        let http = iki_sync::client::http_client(self.ca.as_deref())?;
        let client = SyncClient::enrol_with(http, hub, code, &mut store)?;
        client.pull(&mut store, |_, _| {})?;
        Ok(store.read(|tx| tx.identity())?.kiosk.code)
    }

    /// The hub the store is enrolled with (`None` before enrolment or if it cannot be read).
    pub fn enrolled_hub(&self) -> Option<String> {
        let mut store = Store::open(&self.store_path).ok()?;
        store.read(|tx| tx.sync_value("hub_url")).ok().flatten()
    }
}

/// Why [`EnrolTarget::enrol`] failed.
#[derive(Debug, thiserror::Error)]
pub enum EnrolError {
    #[error(transparent)]
    Sync(#[from] SyncError),
    #[error(transparent)]
    Store(#[from] iki_store::StoreError),
}

impl EnrolError {
    /// What staff are told, having tried the hub at `hub`.
    fn failure(self, hub: &str) -> EnrolFailure {
        match self {
            EnrolError::Sync(SyncError::Unreachable(_)) => EnrolFailure::Unreachable { hub: hub.to_owned() },
            EnrolError::Sync(SyncError::Refused(_)) => EnrolFailure::CodeRefused,
            e => EnrolFailure::Other(e.to_string()),
        }
    }
}

pub struct LivePort {
    pub services: Arc<KioskServices>,
    pub hub: HubLink,
    printer: PrinterWorker,
    sound: Option<SoundOut>,
    reader_status: Arc<dyn Fn() -> DeviceStatus + Send + Sync>,
    sync: RefCell<Option<SyncRunner>>,
    staff_pin_hash: String,
    enrol: Option<EnrolTarget>,
    notices_tx: Sender<Notice>,
    notices: Receiver<Notice>,
    ticks: Ticks,
    cues: RefCell<Vec<Cue>>,
}

/// What a [`LivePort`] is made of.
pub struct LiveParts {
    pub services: Arc<KioskServices>,
    pub hub: HubLink,
    pub printer: Box<dyn Printer>,
    pub sound: Option<SoundOut>,
    pub reader_status: Arc<dyn Fn() -> DeviceStatus + Send + Sync>,
    pub staff_pin_hash: String,
    pub enrol: Option<EnrolTarget>,
    pub ticks: Ticks,
}

impl LiveParts {
    /// The parts from started devices, with the real clock; returns the reader (for the
    /// window's tap thread) and the simulated reader's cards when there is one.
    pub fn from_devices(
        devices: iki_devices::Devices,
        services: Arc<KioskServices>,
        hub: HubLink,
        staff_pin_hash: String,
        enrol: Option<EnrolTarget>,
    ) -> (Self, iki_devices::reader::ReaderHandle, Option<iki_devices::reader::SimulatedCards>) {
        let (reader, printer, sound, simulated) = devices.into_parts();
        let reader_status = reader.status_source();
        let parts = LiveParts {
            services,
            hub,
            printer,
            sound: Some(sound),
            reader_status,
            staff_pin_hash,
            enrol,
            ticks: Ticks::Real(Instant::now()),
        };
        (parts, reader, simulated)
    }
}

impl LivePort {
    pub fn new(parts: LiveParts) -> Self {
        let (notices_tx, notices) = channel();
        let printer = PrinterWorker::spawn(parts.printer, notices_tx.clone());
        // Receipts that could not print last time go out first.
        printer.send(Job::Pending);
        Self {
            services: parts.services,
            hub: parts.hub,
            printer,
            sound: parts.sound,
            reader_status: parts.reader_status,
            sync: RefCell::new(None),
            staff_pin_hash: parts.staff_pin_hash,
            enrol: parts.enrol,
            notices_tx,
            notices,
            ticks: parts.ticks,
            cues: RefCell::new(Vec::new()),
        }
    }

    /// Starts syncing with the hub the store is enrolled with (nothing when it is not).
    pub fn start_sync(&self, timing: SyncTiming) -> anyhow::Result<bool> {
        let Some(target) = &self.enrol else { return Ok(false) };
        let client = {
            let mut store = Store::open(&target.store_path)?;
            SyncClient::from_store(&mut store, target.ca.as_deref())?
        };
        let Some(client) = client else { return Ok(false) };
        let hub = self.hub.clone();
        let printer = self.printer.status.clone();
        let reader = self.reader_status.clone();
        let hooks = RunnerHooks {
            reachable: Box::new(move |up| hub.set_reachable(up)),
            devices: Box::new(move || {
                let printer = printer.lock().unwrap_or_else(|p| p.into_inner()).clone();
                [reader(), printer].into_iter().map(report).collect()
            }),
        };
        *self.sync.borrow_mut() = Some(SyncRunner::spawn(target.store_path.clone(), client, timing, hooks)?);
        Ok(true)
    }

    /// The last cues asked for, oldest first (the staff screen's sound check and tests).
    pub fn cues(&self) -> Vec<Cue> {
        self.cues.borrow().clone()
    }

    fn remember(&self, cue: Cue) {
        let mut cues = self.cues.borrow_mut();
        if cues.len() >= 64 {
            cues.remove(0);
        }
        cues.push(cue);
    }

    /// Whether the store belongs to an enrolled kiosk (it knows its place).
    pub fn enrolled(&self) -> bool {
        self.services.store().read(|tx| tx.identity()).is_ok()
    }

    /// Syncs now rather than at the next interval (after something was recorded).
    fn nudge_sync(&self) {
        if let Some(sync) = self.sync.borrow().as_ref() {
            sync.wake();
        }
    }
}

fn health_text(health: &Health) -> String {
    match health {
        Health::Ok => String::new(),
        Health::Degraded(why) | Health::Missing(why) => why.clone(),
    }
}

fn report(status: DeviceStatus) -> iki_sync::protocol::DeviceReport {
    let (health, reason) = match status.health {
        Health::Ok => ("ok", None),
        Health::Degraded(why) => ("degraded", Some(why)),
        Health::Missing(why) => ("missing", Some(why)),
    };
    iki_sync::protocol::DeviceReport { device: status.device, health: health.into(), reason }
}

fn line(status: DeviceStatus) -> StatusLine {
    StatusLine { name: status.device, ok: status.health.is_ok(), detail: health_text(&status.health) }
}

impl KioskPort for LivePort {
    fn place_name(&self) -> Localised {
        self.services.store().read(|tx| tx.identity()).map(|i| i.place.name).unwrap_or_else(|_| Localised::new("壱岐", "Iki"))
    }

    fn now(&self) -> Timestamp {
        self.services.now()
    }

    fn rules(&self) -> Rules {
        self.services.rules().clone()
    }

    fn ticks_ms(&self) -> u64 {
        self.ticks.ms()
    }

    fn hub_reachable(&self) -> bool {
        self.hub.is_reachable()
    }

    fn check_in(&self, card: &CardUid) -> Result<CheckInOutcome, ServiceError> {
        let out = self.services.check_in(card);
        self.nudge_sync();
        out
    }

    fn summary(&self, card: &CardUid) -> Result<CitizenSummary, ServiceError> {
        self.services.summary(card)
    }

    fn register(&self, card: &CardUid, form: &Registration) -> Result<Registered, ServiceError> {
        let out = self.services.register_e_citizen(card, form);
        self.nudge_sync();
        out
    }

    fn check_in_guest(&self, home_region: Option<&str>) -> Result<GuestCheckIn, ServiceError> {
        let out = self.services.check_in_guest(home_region);
        self.nudge_sync();
        out
    }

    fn catalogue(&self) -> Result<Vec<ItemView>, ServiceError> {
        self.services.catalogue()
    }

    fn redeem(&self, card: &CardUid, item: ItemId, pin: Option<&str>) -> Result<Redemption, ServiceError> {
        let out = self.services.redeem(card, item, pin);
        self.nudge_sync();
        out
    }

    fn open_themes(&self, card: &CardUid) -> Result<Vec<ThemeView>, ServiceError> {
        self.services.open_themes(card)
    }

    fn cast_ballot(&self, card: &CardUid, theme: ThemeId, picked: &[u8]) -> Result<BallotReceipt, ServiceError> {
        let out = self.services.cast_ballot(card, theme, picked);
        self.nudge_sync();
        out
    }

    fn destinations(&self) -> Result<Vec<DestinationView>, ServiceError> {
        self.services.destinations()
    }

    fn request_ride(&self, card: &CardUid, order: &RideOrder) -> Result<RideReceipt, ServiceError> {
        let out = self.services.request_ride(card, order);
        self.nudge_sync();
        out
    }

    fn cancel_ride(&self, card: &CardUid, ride: RideId) -> Result<RideReceipt, ServiceError> {
        let out = self.services.cancel_ride(card, ride);
        self.nudge_sync();
        out
    }

    fn cue(&self, cue: Cue) {
        self.remember(cue);
        if let Some(sound) = &self.sound {
            sound.cue(cue);
        }
    }

    fn prompt(&self, prompt: Prompt, lang: &str) {
        self.remember(prompt.fallback());
        if let Some(sound) = &self.sound {
            sound.prompt(prompt, lang);
        }
    }

    fn print(&self, receipt: Receipt) {
        self.printer.send(Job::Print(Box::new(receipt)));
    }

    fn reprint_last(&self) {
        self.printer.send(Job::Reprint);
    }

    fn staff_status(&self) -> StaffStatus {
        let mut lines = vec![line((self.reader_status)()), line(self.printer.status())];
        if let Some(sound) = &self.sound {
            lines.push(line(sound.status()));
        }
        let sync = self.sync.borrow().as_ref().map(SyncRunner::status);
        let outbox = self.services.store().read(|tx| tx.outbox_len()).unwrap_or(0);
        let lag_minutes = sync.as_ref().and_then(SyncStatus::lag_minutes);
        lines.push(StatusLine {
            name: "sync".into(),
            ok: self.hub.is_reachable(),
            detail: sync.and_then(|s| s.last_error).unwrap_or_default(),
        });
        let kiosk_code = self.services.store().read(|tx| tx.identity()).map(|i| i.kiosk.code).unwrap_or_default();
        StaffStatus { lines, outbox, lag_minutes, kiosk_code }
    }

    fn staff_pin_ok(&self, pin: &str) -> bool {
        iki_core::secret::verify_secret(pin, &self.staff_pin_hash)
    }

    fn hub_address(&self) -> String {
        let Some(target) = &self.enrol else { return String::new() };
        target.enrolled_hub().or_else(|| target.default_hub.clone()).unwrap_or_default()
    }

    fn enrol(&self, hub: &str, code: &str) {
        let Some(target) = self.enrol.clone() else {
            let _ = self.notices_tx.send(Notice::Enrolled(Err(EnrolFailure::Other("this kiosk has no store to enrol".into()))));
            return;
        };
        let (hub, code) = (hub.to_owned(), code.to_owned());
        let tx = self.notices_tx.clone();
        std::thread::spawn(move || {
            let outcome = target.enrol(&hub, &code).map_err(|e| {
                tracing::warn!("enrolment with the hub at {hub} failed: {e}");
                e.failure(&hub)
            });
            let _ = tx.send(Notice::Enrolled(outcome));
        });
    }

    fn set_volume(&self, percent: u8) {
        if let Some(sound) = &self.sound {
            sound.set_volume(f32::from(percent.min(100)) / 100.0);
        }
    }

    fn setting(&self, key: &str) -> Option<String> {
        self.services.store().read(|tx| tx.setting(key)).unwrap_or_else(|e| {
            tracing::warn!("reading the setting {key}: {e}");
            None
        })
    }

    fn save_setting(&self, key: &str, value: &str) {
        if let Err(e) = self.services.store().transact(|tx| tx.set_setting(key, value)) {
            tracing::warn!("saving the setting {key}: {e}");
        }
    }

    fn notices(&self) -> Vec<Notice> {
        let notices: Vec<Notice> = self.notices.try_iter().collect();
        if notices.iter().any(|n| matches!(n, Notice::Enrolled(Ok(_)))) && self.sync.borrow().is_none() {
            if let Err(e) = self.start_sync(SyncTiming::default()) {
                tracing::warn!("sync did not start after enrolment: {e}");
            }
        }
        notices
    }
}
