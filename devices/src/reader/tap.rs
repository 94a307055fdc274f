//! Turning a reader's polls into taps: a card held on the reader is one tap; taking it
//! away and presenting it again is a new tap.

use iki_core::CardUid;

/// Remembers what is on the reader between polls.
#[derive(Debug, Clone)]
pub struct TapDetector {
    on_reader: Option<CardUid>,
    absent_polls: u32,
    /// Polls with no card before a card counts as removed (readers miss a poll now and then).
    removal_polls: u32,
}

impl TapDetector {
    pub fn new(removal_polls: u32) -> Self {
        Self { on_reader: None, absent_polls: 0, removal_polls: removal_polls.max(1) }
    }

    /// Feeds one poll's result; returns the card if this poll is a new tap.
    pub fn observe(&mut self, seen: Option<CardUid>) -> Option<CardUid> {
        match seen {
            Some(uid) => {
                self.absent_polls = 0;
                if self.on_reader == Some(uid) {
                    None
                } else {
                    self.on_reader = Some(uid);
                    Some(uid)
                }
            }
            None => {
                self.absent_polls = self.absent_polls.saturating_add(1);
                if self.absent_polls >= self.removal_polls {
                    self.on_reader = None;
                }
                None
            }
        }
    }

    /// The card believed to be on the reader.
    pub fn on_reader(&self) -> Option<CardUid> {
        self.on_reader
    }

    /// Forgets the card (after the reader was reconnected, say).
    pub fn reset(&mut self) {
        self.on_reader = None;
        self.absent_polls = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_is_one_tap_and_re_presenting_is_another() {
        let a = CardUid::parse("iso14443a:04A1B2C3D4E5F6").unwrap();
        let b = CardUid::parse("felica:0114B3A1C2D3E4F5").unwrap();
        let mut d = TapDetector::new(2);
        let polls = [Some(a), Some(a), None, Some(a), None, None, Some(a), Some(b), Some(b), None, None, None];
        let taps: Vec<_> = polls.into_iter().filter_map(|p| d.observe(p)).collect();
        // One missed poll does not end the tap; two do. A different card is a new tap at once.
        assert_eq!(taps, vec![a, a, b]);
        assert_eq!(d.on_reader(), None);
    }
}
