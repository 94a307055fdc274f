//! The simulated reader for demos and tests: a card is "on" it while the demo says so.
//!
//! It runs through the same polling loop and tap detection as the real readers, so a
//! demo tap behaves like a real one (held = one tap). It can also be unplugged, to show
//! and test the reconnect path.

use std::sync::{Arc, Mutex};

use iki_core::CardUid;

use crate::reader::polling::{PollingReader, ReaderError};

#[derive(Debug, Default)]
struct State {
    on_reader: Option<CardUid>,
    unplugged: bool,
    bad_read: Option<String>,
}

/// The demo's and tests' side of a simulated reader.
#[derive(Debug, Clone, Default)]
pub struct SimulatedCards(Arc<Mutex<State>>);

impl SimulatedCards {
    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        f(&mut self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Puts a card on the reader (it stays until [`remove`](Self::remove)).
    pub fn present(&self, uid: CardUid) {
        self.with(|s| s.on_reader = Some(uid));
    }

    pub fn remove(&self) {
        self.with(|s| s.on_reader = None);
    }

    /// Makes the next poll read garbage, as a damaged card would.
    pub fn present_unreadable(&self, why: &str) {
        self.with(|s| s.bad_read = Some(why.to_owned()));
    }

    /// Pulls the reader's cable (or plugs it back in).
    pub fn set_unplugged(&self, unplugged: bool) {
        self.with(|s| s.unplugged = unplugged);
    }

    /// A reader to run with [`crate::reader::polling::spawn`].
    pub fn reader(&self, name: &str) -> SimulatedReader {
        SimulatedReader { cards: self.clone(), name: name.to_owned() }
    }
}

/// The reader half, run by the polling loop.
pub struct SimulatedReader {
    cards: SimulatedCards,
    name: String,
}

impl PollingReader for SimulatedReader {
    fn name(&self) -> String {
        format!("simulated:{}", self.name)
    }

    fn connect(&mut self) -> Result<(), ReaderError> {
        if self.cards.with(|s| s.unplugged) { Err(ReaderError::NotFound(self.name())) } else { Ok(()) }
    }

    fn poll(&mut self) -> Result<Option<CardUid>, ReaderError> {
        self.cards.with(|s| {
            if s.unplugged {
                return Err(ReaderError::Lost { reader: format!("simulated:{}", self.name), detail: "unplugged".into() });
            }
            if let Some(why) = s.bad_read.take() {
                return Err(ReaderError::BadCard(why));
            }
            Ok(s.on_reader)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::health::Health;
    use crate::reader::polling::{PollTiming, ReaderEvent, spawn};
    use std::time::Duration;

    fn fast() -> PollTiming {
        PollTiming {
            interval: Duration::from_millis(5),
            removal_polls: 2,
            backoff_first: Duration::from_millis(10),
            backoff_max: Duration::from_millis(40),
        }
    }

    #[test]
    fn taps_removal_and_reconnect_through_the_real_loop() {
        let cards = SimulatedCards::default();
        let handle = spawn(cards.reader("demo"), fast());
        let wait = Duration::from_secs(2);
        assert!(matches!(handle.next_event(wait), Some(ReaderEvent::Health { health: Health::Ok, .. })));
        let a = CardUid::parse("iso14443a:04A1B2C3D4E5F6").unwrap();
        cards.present(a);
        assert_eq!(handle.next_tap(wait), Some(a));
        // Held on the reader: no second tap.
        assert_eq!(handle.next_tap(Duration::from_millis(100)), None);
        cards.remove();
        std::thread::sleep(Duration::from_millis(50));
        cards.present(a);
        assert_eq!(handle.next_tap(wait), Some(a), "taken away and presented again is a new tap");

        cards.present_unreadable("cascade tag");
        assert!(matches!(handle.next_event(wait), Some(ReaderEvent::Rejected { .. })));

        cards.set_unplugged(true);
        let lost = handle.next_event(wait).unwrap();
        assert!(matches!(lost, ReaderEvent::Health { health: Health::Missing(_), .. }), "{lost:?}");
        cards.set_unplugged(false);
        loop {
            match handle.next_event(wait).expect("reconnects") {
                ReaderEvent::Health { health: Health::Ok, .. } => break,
                ReaderEvent::Health { health: Health::Missing(reason), .. } => assert!(reason.contains("plugged")),
                other => panic!("unexpected {other:?}"),
            }
        }
        // After reconnecting, the card still on the reader counts as a new tap.
        assert_eq!(handle.next_tap(wait), Some(a));
    }
}
