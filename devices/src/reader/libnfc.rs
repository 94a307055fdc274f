//! Card readers driven by libnfc (through `nfc1`): PN532 boards on a serial port, ACR122U
//! and other PN53x readers on USB, chosen by a libnfc connection string such as
//! `pn532_uart:/dev/ttyUSB0` or `acr122_usb`.
//!
//! Each poll selects an ISO 14443-A target at 106 kbps, then FeliCa at 212 and 424 kbps.
//! While a card stays on the reader it is not selected again: `is_present_any` pings it,
//! which is how "held" stays one tap and "taken away" is noticed.

use iki_core::{CardTech, CardUid};
use nfc1::target_info::TargetInfo;
use nfc1::{BaudRate, Context, Device, Modulation, ModulationType, Property};

use crate::reader::polling::{PollingReader, ReaderError};

const ISO14443A_106: Modulation = Modulation { modulation_type: ModulationType::Iso14443a, baud_rate: BaudRate::Baud106 };
const FELICA_212: Modulation = Modulation { modulation_type: ModulationType::Felica, baud_rate: BaudRate::Baud212 };
const FELICA_424: Modulation = Modulation { modulation_type: ModulationType::Felica, baud_rate: BaudRate::Baud424 };

/// An open libnfc device with its context. Field order matters: the device closes before
/// the context is released.
struct Open {
    device: Device,
    _context: Context,
}

/// A libnfc reader.
pub struct LibnfcReader {
    connstring: String,
    open: Option<Open>,
    /// The card selected and, as far as we know, still on the reader.
    selected: Option<CardUid>,
}

impl LibnfcReader {
    pub fn new(connstring: impl Into<String>) -> Self {
        Self { connstring: connstring.into(), open: None, selected: None }
    }

    fn lost(&mut self, detail: impl std::fmt::Display) -> ReaderError {
        self.open = None;
        self.selected = None;
        ReaderError::Lost { reader: self.connstring.clone(), detail: detail.to_string() }
    }

    /// Selects a target with `modulation`; `Ok(None)` when no card answers.
    fn select(&mut self, modulation: &Modulation) -> Result<Option<CardUid>, ReaderError> {
        let Some(open) = self.open.as_mut() else { return Err(self.lost("not open")) };
        let target = match open.device.initiator_select_passive_target(modulation) {
            Ok(t) => t,
            // With infinite select off a PN532 answers "no target" at once; silence means
            // the reader itself is not answering.
            Err(nfc1::Error::Timeout) => return Err(self.lost("the reader did not answer")),
            Err(nfc1::Error::Io) => {
                return Err(ReaderError::Garbled { reader: self.connstring.clone(), detail: "the reader's answer was garbled".into() });
            }
            Err(e) => return Err(self.lost(e)),
        };
        // nfc1 hands back an empty ISO 14443-A template when nothing was found.
        let uid = match target.target_info {
            TargetInfo::Iso14443a(a) if a.uid_len > 0 => CardUid::from_bytes(CardTech::Iso14443a, &a.uid[..a.uid_len.min(10)]),
            TargetInfo::Felica(f) if f.len > 0 => CardUid::from_bytes(CardTech::Felica, &f.id),
            _ => return Ok(None),
        };
        match uid {
            Ok(uid) => Ok(Some(uid)),
            Err(e) => {
                if let Some(open) = self.open.as_mut() {
                    let _ = open.device.initiator_deselect_target();
                }
                Err(ReaderError::BadCard(e.to_string()))
            }
        }
    }
}

impl PollingReader for LibnfcReader {
    fn name(&self) -> String {
        self.connstring.clone()
    }

    fn connect(&mut self) -> Result<(), ReaderError> {
        self.open = None;
        self.selected = None;
        let not_found = |_| ReaderError::NotFound(self.connstring.clone());
        let mut context = Context::new().map_err(not_found)?;
        let mut device = context.open_with_connstring(&self.connstring).map_err(not_found)?;
        device.initiator_init().map_err(|e| self.lost(e))?;
        // Without infinite select a PN532 answers "no card" at once instead of waiting.
        device.set_property_bool(Property::InfiniteSelect, false).map_err(|e| self.lost(e))?;
        self.open = Some(Open { device, _context: context });
        Ok(())
    }

    fn poll(&mut self) -> Result<Option<CardUid>, ReaderError> {
        if let Some(uid) = self.selected {
            let Some(open) = self.open.as_mut() else { return Err(self.lost("not open")) };
            match open.device.initiator_target_is_present_any() {
                Ok(()) => return Ok(Some(uid)),
                // Released (or no saved target): the card was taken away. A timeout or
                // RF error most likely means the same; selecting again below confirms it.
                Err(
                    nfc1::Error::TargetReleased
                    | nfc1::Error::InvalidArgument
                    | nfc1::Error::Timeout
                    | nfc1::Error::RfTransmissionError
                    | nfc1::Error::DeviceNotSupported,
                ) => self.selected = None,
                Err(nfc1::Error::Io) => {
                    self.selected = None;
                    return Err(ReaderError::Garbled { reader: self.connstring.clone(), detail: "the reader's answer was garbled".into() });
                }
                Err(e) => return Err(self.lost(e)),
            }
        }
        for modulation in [ISO14443A_106, FELICA_212, FELICA_424] {
            if let Some(uid) = self.select(&modulation)? {
                self.selected = Some(uid);
                return Ok(Some(uid));
            }
        }
        Ok(None)
    }
}
