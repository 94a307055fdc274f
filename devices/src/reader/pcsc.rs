//! PC/SC readers (through pcscd): for contactless readers libnfc does not drive, such as
//! Sony's RC-S300 and the ACR122U in CCID mode. The card's identifier is read with the
//! PC/SC Part 3 `GET DATA` command (`FF CA 00 00 00`): a FeliCa IDm (8 bytes) or an
//! ISO 14443-A UID (4, 7 or 10 bytes).
//!
//! Sony's older RC-S380 is not a CCID device and has no Linux PC/SC driver; it needs its
//! own (nfcpy-style) driver, which Iki Circle does not have yet.

use std::ffi::CString;

use iki_core::{CardTech, CardUid};

use crate::reader::polling::{PollingReader, ReaderError};

const GET_UID: [u8; 5] = [0xFF, 0xCA, 0x00, 0x00, 0x00];

/// A PC/SC reader, chosen by (part of) its name; the first reader when no name is given.
pub struct PcscReader {
    wanted: Option<String>,
    context: Option<pcsc::Context>,
    reader: Option<CString>,
}

impl PcscReader {
    pub fn new(name_contains: Option<String>) -> Self {
        Self { wanted: name_contains, context: None, reader: None }
    }

    fn label(&self) -> String {
        format!("pcsc:{}", self.wanted.as_deref().unwrap_or("first reader"))
    }

    fn lost(&mut self, detail: impl std::fmt::Display) -> ReaderError {
        self.context = None;
        self.reader = None;
        ReaderError::Lost { reader: self.label(), detail: detail.to_string() }
    }
}

/// The card identifier in a `GET DATA` answer (`uid… 90 00`).
pub fn uid_from_answer(answer: &[u8]) -> Result<CardUid, ReaderError> {
    let Some((uid, sw)) = answer.split_last_chunk::<2>() else {
        return Err(ReaderError::BadCard("the reader's answer was too short".into()));
    };
    if *sw != [0x90, 0x00] {
        return Err(ReaderError::BadCard(format!("the reader could not read the card's number (status {:02X}{:02X})", sw[0], sw[1])));
    }
    let tech = if uid.len() == 8 { CardTech::Felica } else { CardTech::Iso14443a };
    CardUid::from_bytes(tech, uid).map_err(|e| ReaderError::BadCard(e.to_string()))
}

impl PollingReader for PcscReader {
    fn name(&self) -> String {
        self.label()
    }

    fn connect(&mut self) -> Result<(), ReaderError> {
        self.context = None;
        self.reader = None;
        let context = match pcsc::Context::establish(pcsc::Scope::User) {
            Ok(c) => c,
            Err(pcsc::Error::NoService | pcsc::Error::ServiceStopped) => {
                return Err(ReaderError::NotFound(format!("{} (the PC/SC service pcscd is not running)", self.label())));
            }
            Err(e) => return Err(ReaderError::NotFound(format!("{} ({e})", self.label()))),
        };
        let readers = context.list_readers_owned().map_err(|e| ReaderError::NotFound(format!("{} ({e})", self.label())))?;
        let reader = readers
            .into_iter()
            .find(|r| self.wanted.as_deref().is_none_or(|w| r.to_string_lossy().contains(w)))
            .ok_or_else(|| ReaderError::NotFound(format!("{} (no such PC/SC reader is connected)", self.label())))?;
        self.reader = Some(reader);
        self.context = Some(context);
        Ok(())
    }

    fn poll(&mut self) -> Result<Option<CardUid>, ReaderError> {
        let (Some(context), Some(reader)) = (self.context.as_ref(), self.reader.as_ref()) else {
            return Err(self.lost("not open"));
        };
        let card = match context.connect(reader, pcsc::ShareMode::Shared, pcsc::Protocols::ANY) {
            Ok(card) => card,
            Err(pcsc::Error::NoSmartcard | pcsc::Error::RemovedCard | pcsc::Error::UnresponsiveCard) => return Ok(None),
            Err(e) => return Err(self.lost(e)),
        };
        let mut buf = [0u8; pcsc::MAX_BUFFER_SIZE];
        match card.transmit(&GET_UID, &mut buf) {
            Ok(answer) => uid_from_answer(answer).map(Some),
            Err(pcsc::Error::RemovedCard | pcsc::Error::ResetCard) => Ok(None),
            Err(e) => Err(self.lost(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_data_answers_become_card_ids() {
        let felica = uid_from_answer(&[0x01, 0x14, 0xB3, 0xA1, 0xC2, 0xD3, 0xE4, 0xF5, 0x90, 0x00]).unwrap();
        assert_eq!(felica.to_string(), "felica:0114B3A1C2D3E4F5");
        let mifare = uid_from_answer(&[0x04, 0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 0xF6, 0x90, 0x00]).unwrap();
        assert_eq!(mifare.to_string(), "iso14443a:04A1B2C3D4E5F6");
        assert!(matches!(uid_from_answer(&[0x6A, 0x81]), Err(ReaderError::BadCard(m)) if m.contains("6A81")));
        assert!(uid_from_answer(&[0x90]).is_err());
    }
}
