//! The card reader on the staff PC, through `iki_devices`: chosen by `IKI_READER`, read on
//! its own thread, every tap, refusal and health change handed to a callback (which the
//! app turns into a window event). `simulated` is for demos and the end-to-end test: the
//! screen then offers "tap a card" itself.

use std::sync::Arc;
use std::time::Duration;

use iki_core::CardUid;
use iki_devices::reader::{LibnfcReader, PcscReader, PollTiming, ReaderEvent, ReaderHandle, SimulatedCards, WedgeReader, spawn};
use iki_devices::{DeviceStatus, Health};
use serde::Serialize;

/// Which reader the staff PC has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReaderChoice {
    /// No reader: card numbers are typed.
    None,
    Simulated,
    Libnfc(String),
    Pcsc(Option<String>),
    Wedge(String),
}

impl ReaderChoice {
    /// `IKI_READER`: unset or `none`, `simulated`, `libnfc:<connstring>` (e.g.
    /// `libnfc:acr122_usb`), `pcsc` or `pcsc:<name part>`, `wedge:/dev/input/by-id/…`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (kind, arg) = text.split_once(':').map_or((text, None), |(k, a)| (k, Some(a.trim().to_owned())));
        match (kind, arg) {
            ("" | "none", None) => Ok(Self::None),
            ("simulated", None) => Ok(Self::Simulated),
            ("libnfc", Some(c)) if !c.is_empty() => Ok(Self::Libnfc(c)),
            ("pcsc", name) => Ok(Self::Pcsc(name.filter(|n| !n.is_empty()))),
            ("wedge", Some(p)) if !p.is_empty() => Ok(Self::Wedge(p)),
            _ => Err(format!(
                "IKI_READER “{text}” is not understood; use none, simulated, libnfc:<connection>, pcsc[:<name>] or wedge:<input device path>"
            )),
        }
    }

    pub fn from_env() -> Result<Self, String> {
        Self::parse(&std::env::var("IKI_READER").unwrap_or_default())
    }
}

/// What the window hears from the reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReaderNote {
    /// A card was tapped: its number in canonical form.
    Tap { card: String },
    /// A card was read but cannot be used (a phone's random id, a bad read).
    Rejected { reason: String },
    Health { device: String, ok: bool, reason: Option<String> },
}

impl From<&DeviceStatus> for ReaderNote {
    fn from(s: &DeviceStatus) -> Self {
        let reason = match &s.health {
            Health::Ok => None,
            Health::Degraded(r) | Health::Missing(r) => Some(r.clone()),
        };
        ReaderNote::Health { device: s.device.clone(), ok: s.health.is_ok(), reason }
    }
}

/// A running reader: its health for the window, and the simulated cards when simulated.
pub struct StaffReader {
    pub status: Arc<dyn Fn() -> DeviceStatus + Send + Sync>,
    pub simulated: Option<SimulatedCards>,
    /// Simulated taps, one at a time.
    hand: Arc<std::sync::Mutex<()>>,
}

impl StaffReader {
    /// Starts the reader on its own thread, calling `notify` for each tap, refusal and
    /// health change until the process ends. `None` when there is no reader.
    pub fn start(choice: &ReaderChoice, notify: impl Fn(ReaderNote) + Send + 'static) -> Option<Self> {
        let timing = PollTiming::default();
        let mut simulated = None;
        let handle: ReaderHandle = match choice {
            ReaderChoice::None => return None,
            ReaderChoice::Simulated => {
                let cards = SimulatedCards::default();
                let handle = spawn(cards.reader("staff desk (simulated)"), timing);
                simulated = Some(cards);
                handle
            }
            ReaderChoice::Libnfc(c) => spawn(LibnfcReader::new(c.clone()), timing),
            ReaderChoice::Pcsc(name) => spawn(PcscReader::new(name.clone()), timing),
            ReaderChoice::Wedge(path) => spawn(WedgeReader::new(path.clone(), Default::default()), timing),
        };
        let status = handle.status_source();
        std::thread::Builder::new()
            .name("staff-reader".into())
            .spawn(move || {
                loop {
                    match handle.next_event(Duration::from_secs(1)) {
                        Some(ReaderEvent::Tap { uid, .. }) => notify(ReaderNote::Tap { card: uid.to_string() }),
                        Some(ReaderEvent::Rejected { reason, .. }) => notify(ReaderNote::Rejected { reason }),
                        Some(ReaderEvent::Health { .. }) => notify((&handle.status()).into()),
                        None => {}
                    }
                }
            })
            .ok()?;
        Some(Self { status, simulated, hand: Arc::default() })
    }

    /// Simulated readers only: a card is laid on the reader and lifted a moment later, as a
    /// hand would. Taps follow one another: a card still down from the last tap is lifted
    /// first, long enough for the reader to notice, so every call is a tap of its own.
    pub fn simulate_tap(&self, card: &str) -> Result<(), String> {
        let cards = self.simulated.clone().ok_or("This desk's reader is a real one; tap a real card.")?;
        let uid = CardUid::parse(card.trim()).map_err(|e| e.to_string())?;
        let hand = self.hand.clone();
        std::thread::spawn(move || {
            let _one_at_a_time = hand.lock().unwrap_or_else(|p| p.into_inner());
            let timing = PollTiming::default();
            cards.remove();
            std::thread::sleep(timing.interval * (timing.removal_polls + 2));
            cards.present(uid);
            std::thread::sleep(HOLD);
            cards.remove();
        });
        Ok(())
    }
}

/// How long a simulated tap holds the card on the reader.
const HOLD: Duration = Duration::from_millis(600);

/// A new card number, as a blank MIFARE card from the box would have (7 bytes, NXP).
pub fn blank_card() -> String {
    let mut uid = [0u8; 7];
    let _ = getrandom::fill(&mut uid[1..]);
    uid[0] = 0x04;
    let hex: String = uid.iter().map(|b| format!("{b:02x}")).collect();
    format!("iso14443a:{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn reader_choices_parse_and_wrong_ones_say_what_is_allowed() {
        assert_eq!(ReaderChoice::parse("").unwrap(), ReaderChoice::None);
        assert_eq!(ReaderChoice::parse("simulated").unwrap(), ReaderChoice::Simulated);
        assert_eq!(ReaderChoice::parse("libnfc:pn532_uart:/dev/ttyUSB0").unwrap(), ReaderChoice::Libnfc("pn532_uart:/dev/ttyUSB0".into()));
        assert_eq!(ReaderChoice::parse("pcsc").unwrap(), ReaderChoice::Pcsc(None));
        assert_eq!(ReaderChoice::parse("pcsc:ACR122").unwrap(), ReaderChoice::Pcsc(Some("ACR122".into())));
        let e = ReaderChoice::parse("usb").unwrap_err();
        assert!(e.contains("simulated, libnfc"), "{e}");
        assert!(ReaderChoice::parse("libnfc:").is_err());
    }

    #[test]
    fn a_simulated_tap_reaches_the_callback_once_as_a_card_number() {
        let (tx, rx) = mpsc::channel();
        let reader = StaffReader::start(&ReaderChoice::Simulated, move |n| {
            let _ = tx.send(n);
        })
        .unwrap();
        let card = blank_card();
        assert!(CardUid::parse(&card).is_ok(), "{card}");
        reader.simulate_tap(&card).unwrap();
        let taps = || -> Vec<_> {
            std::iter::from_fn(|| rx.recv_timeout(Duration::from_secs(2)).ok()).filter(|n| matches!(n, ReaderNote::Tap { .. })).collect()
        };
        let tap = ReaderNote::Tap { card: CardUid::parse(&card).unwrap().to_string() };
        assert_eq!(taps(), [tap.clone()]);
        // The same card again, at once: a second tap.
        reader.simulate_tap(&card).unwrap();
        assert_eq!(taps(), [tap]);
        assert!(reader.simulate_tap("not a card").is_err());
    }
}
