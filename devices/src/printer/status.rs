//! Printer status from `DLE EOT`: what a receipt printer says about paper, cover and errors.

use crate::health::Health;

/// `DLE EOT n` requests: printer, offline cause, error cause, roll paper sensor.
pub const ASK_PRINTER: [u8; 3] = [0x10, 0x04, 1];
pub const ASK_OFFLINE_CAUSE: [u8; 3] = [0x10, 0x04, 2];
pub const ASK_ERROR_CAUSE: [u8; 3] = [0x10, 0x04, 3];
pub const ASK_PAPER: [u8; 3] = [0x10, 0x04, 4];

/// What the printer reported.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PrinterStatus {
    pub offline: bool,
    pub cover_open: bool,
    pub paper_out: bool,
    pub paper_near_end: bool,
    pub error: bool,
}

/// Whether a byte is a `DLE EOT` answer at all (fixed bits 0xx1xx10).
pub fn is_status_byte(b: u8) -> bool {
    b & 0x93 == 0x12
}

impl PrinterStatus {
    /// Builds the status from the answers to [`ASK_PRINTER`], [`ASK_OFFLINE_CAUSE`],
    /// [`ASK_ERROR_CAUSE`] and [`ASK_PAPER`]. `None` if any answer is not a status byte.
    pub fn from_answers(printer: u8, offline: u8, error: u8, paper: u8) -> Option<Self> {
        if ![printer, offline, error, paper].into_iter().all(is_status_byte) {
            return None;
        }
        Some(Self {
            offline: printer & 0x08 != 0,
            cover_open: offline & 0x04 != 0,
            paper_out: offline & 0x20 != 0 || paper & 0x60 == 0x60,
            paper_near_end: paper & 0x0C == 0x0C,
            error: offline & 0x40 != 0 || error & 0x6C != 0,
        })
    }

    /// The answers a printer in this state gives, in request order (for emulators in tests).
    pub fn answers(&self) -> [u8; 4] {
        let mut printer = 0x12;
        let mut offline = 0x12;
        let mut error = 0x12;
        let mut paper = 0x12;
        if self.offline || self.cover_open || self.paper_out || self.error {
            printer |= 0x08;
        }
        if self.cover_open {
            offline |= 0x04;
        }
        if self.paper_out {
            offline |= 0x20;
            paper |= 0x60;
        }
        if self.paper_near_end {
            paper |= 0x0C;
        }
        if self.error {
            offline |= 0x40;
            error |= 0x20;
        }
        [printer, offline, error, paper]
    }

    pub fn health(&self) -> Health {
        if self.paper_out {
            Health::Missing("out of paper".into())
        } else if self.cover_open {
            Health::Missing("cover open".into())
        } else if self.error {
            Health::Missing("printer error (check for a paper jam or the cutter)".into())
        } else if self.offline {
            Health::Missing("offline".into())
        } else if self.paper_near_end {
            Health::Degraded("paper nearly out".into())
        } else {
            Health::Ok
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_round_trip_and_garbage_is_refused() {
        for s in [
            PrinterStatus::default(),
            PrinterStatus { paper_out: true, offline: true, ..Default::default() },
            PrinterStatus { cover_open: true, offline: true, ..Default::default() },
            PrinterStatus { paper_near_end: true, ..Default::default() },
            PrinterStatus { error: true, offline: true, ..Default::default() },
        ] {
            let [a, b, c, d] = s.answers();
            assert_eq!(PrinterStatus::from_answers(a, b, c, d), Some(s));
        }
        // Epson's documented example of a printer out of paper: n=1 1A, n=2 32, n=4 7E.
        let out = PrinterStatus::from_answers(0x1A, 0x32, 0x12, 0x7E).unwrap();
        assert!(out.paper_out && out.offline && out.paper_near_end);
        assert_eq!(PrinterStatus::from_answers(0x12, 0x12, 0x12, 0xFF), None);
        assert_eq!(PrinterStatus::default().health(), Health::Ok);
    }
}
