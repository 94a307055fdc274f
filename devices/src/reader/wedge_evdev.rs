//! Keyboard-wedge readers read straight from their input device (evdev), grabbed so the
//! typed card numbers never reach the kiosk's UI.

use std::time::Instant;

use evdev::{Device, EventSummary, KeyCode};
use iki_core::CardUid;

use crate::reader::polling::{PollingReader, ReaderError};
use crate::reader::wedge::{WedgeError, WedgeFormat, WedgeKey, WedgeParser};

/// The character a key types on a US layout wedge reader (digits and A–F), or Enter.
pub fn key_of(code: KeyCode) -> WedgeKey {
    const DIGITS: [KeyCode; 10] = [
        KeyCode::KEY_0,
        KeyCode::KEY_1,
        KeyCode::KEY_2,
        KeyCode::KEY_3,
        KeyCode::KEY_4,
        KeyCode::KEY_5,
        KeyCode::KEY_6,
        KeyCode::KEY_7,
        KeyCode::KEY_8,
        KeyCode::KEY_9,
    ];
    const KEYPAD: [KeyCode; 10] = [
        KeyCode::KEY_KP0,
        KeyCode::KEY_KP1,
        KeyCode::KEY_KP2,
        KeyCode::KEY_KP3,
        KeyCode::KEY_KP4,
        KeyCode::KEY_KP5,
        KeyCode::KEY_KP6,
        KeyCode::KEY_KP7,
        KeyCode::KEY_KP8,
        KeyCode::KEY_KP9,
    ];
    const HEX: [(KeyCode, char); 6] = [
        (KeyCode::KEY_A, 'A'),
        (KeyCode::KEY_B, 'B'),
        (KeyCode::KEY_C, 'C'),
        (KeyCode::KEY_D, 'D'),
        (KeyCode::KEY_E, 'E'),
        (KeyCode::KEY_F, 'F'),
    ];
    if code == KeyCode::KEY_ENTER || code == KeyCode::KEY_KPENTER {
        return WedgeKey::Enter;
    }
    if let Some(d) = DIGITS.iter().chain(KEYPAD.iter()).position(|&k| k == code) {
        return WedgeKey::Char(char::from(b'0' + (d % 10) as u8));
    }
    HEX.iter().find(|(k, _)| *k == code).map_or(WedgeKey::Other, |(_, c)| WedgeKey::Char(*c))
}

/// A wedge reader at an evdev path (best a stable `/dev/input/by-id/…-event-kbd` link).
pub struct WedgeReader {
    path: String,
    format: WedgeFormat,
    device: Option<Device>,
    parser: WedgeParser,
    started: Instant,
}

impl WedgeReader {
    pub fn new(path: impl Into<String>, format: WedgeFormat) -> Self {
        Self { path: path.into(), format, device: None, parser: WedgeParser::new(format), started: Instant::now() }
    }
}

impl PollingReader for WedgeReader {
    fn name(&self) -> String {
        format!("wedge:{}", self.path)
    }

    fn connect(&mut self) -> Result<(), ReaderError> {
        self.device = None;
        let mut device = Device::open(&self.path).map_err(|e| ReaderError::NotFound(format!("{} ({e})", self.name())))?;
        // Grabbed: the typed numbers go to us only, never to the UI.
        device.grab().map_err(|e| ReaderError::NotFound(format!("{} (cannot take the device: {e})", self.name())))?;
        device.set_nonblocking(true).map_err(|e| ReaderError::NotFound(format!("{} ({e})", self.name())))?;
        self.parser = WedgeParser::new(self.format);
        self.device = Some(device);
        Ok(())
    }

    fn poll(&mut self) -> Result<Option<CardUid>, ReaderError> {
        let name = self.name();
        let Some(device) = self.device.as_mut() else {
            return Err(ReaderError::Lost { reader: name, detail: "not open".into() });
        };
        let fetched: Result<Vec<_>, std::io::Error> = device.fetch_events().map(|events| events.collect());
        let events = match fetched {
            Ok(events) => events,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return Ok(None),
            Err(e) => {
                self.device = None;
                return Err(ReaderError::Lost { reader: name, detail: e.to_string() });
            }
        };
        let at = self.started.elapsed();
        for event in events {
            if let EventSummary::Key(_, code, 1) = event.destructure() {
                match self.parser.feed(key_of(code), at) {
                    Some(Ok(uid)) => return Ok(Some(uid)),
                    Some(Err(WedgeError::Card(e))) => return Err(ReaderError::BadCard(e.to_string())),
                    Some(Err(e)) => return Err(ReaderError::BadCard(e.to_string())),
                    None => {}
                }
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_map_to_hex_digits_and_enter() {
        assert_eq!(key_of(KeyCode::KEY_0), WedgeKey::Char('0'));
        assert_eq!(key_of(KeyCode::KEY_9), WedgeKey::Char('9'));
        assert_eq!(key_of(KeyCode::KEY_KP7), WedgeKey::Char('7'));
        assert_eq!(key_of(KeyCode::KEY_F), WedgeKey::Char('F'));
        assert_eq!(key_of(KeyCode::KEY_G), WedgeKey::Other);
        assert_eq!(key_of(KeyCode::KEY_KPENTER), WedgeKey::Enter);
        assert_eq!(key_of(KeyCode::KEY_LEFTSHIFT), WedgeKey::Other);
    }
}
