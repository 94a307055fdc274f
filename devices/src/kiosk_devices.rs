//! The kiosk's devices started together from configuration, with one health list for the
//! staff screen and the hub.

use crate::config::{DevicesConfig, PrinterKind, ReaderConfig};
use crate::health::{DeviceStatus, Health};
use crate::printer::fonts::{FontError, ReceiptFonts};
use crate::printer::{PreviewPrinter, Printer, ReceiptPrinter, Spool, SpoolError};
use crate::reader::{LibnfcReader, PcscReader, PollTiming, ReaderHandle, SimulatedCards, WedgeReader, spawn};
use crate::sound::{Cue, Prompt, SoundLibrary, Speaker};

/// Why the devices could not start (a reader or printer that is merely missing does
/// start, and reports itself missing).
#[derive(Debug, thiserror::Error)]
pub enum DevicesError {
    #[error(transparent)]
    Spool(#[from] SpoolError),
    #[error(transparent)]
    Fonts(#[from] FontError),
}

pub struct Devices {
    pub reader: ReaderHandle,
    pub printer: Box<dyn Printer>,
    speaker: Option<Speaker>,
    sounds: SoundLibrary,
    simulated: Option<SimulatedCards>,
}

impl Devices {
    pub fn start(config: &DevicesConfig) -> Result<Self, DevicesError> {
        let timing = PollTiming::default();
        let mut simulated = None;
        let reader = match &config.reader {
            ReaderConfig::Libnfc { connstring } => spawn(LibnfcReader::new(connstring.clone()), timing),
            ReaderConfig::Pcsc { name } => spawn(PcscReader::new(name.clone()), timing),
            ReaderConfig::Wedge { path, format } => spawn(WedgeReader::new(path.clone(), *format), timing),
            ReaderConfig::Simulated => {
                let cards = SimulatedCards::default();
                let handle = spawn(cards.reader("demo"), timing);
                simulated = Some(cards);
                handle
            }
        };
        let spool = Spool::open(&config.printer.spool)?;
        let printer: Box<dyn Printer> = match &config.printer.kind {
            PrinterKind::Escpos { connection } => {
                let fonts = ReceiptFonts::system()
                    .inspect_err(|e| tracing::warn!("{e}; characters the printer lacks will print as 〓"))
                    .ok();
                Box::new(ReceiptPrinter::new(connection.clone(), config.printer.paper, fonts, spool))
            }
            PrinterKind::Preview { dir } => {
                Box::new(PreviewPrinter::new(dir.clone(), config.printer.paper, ReceiptFonts::system()?, spool))
            }
        };
        let speaker = config.sound.enabled.then(|| Speaker::open(config.sound.volume));
        Ok(Self { reader, printer, speaker, sounds: SoundLibrary::new(&config.sound.assets), simulated })
    }

    /// The demo's card reader, when the configuration asked for the simulated one.
    pub fn simulated_cards(&self) -> Option<&SimulatedCards> {
        self.simulated.as_ref()
    }

    pub fn cue(&self, cue: Cue) {
        if let Some(s) = &self.speaker {
            s.play(self.sounds.cue(cue));
        }
    }

    pub fn prompt(&self, prompt: Prompt, lang: &str) {
        if let Some(s) = &self.speaker {
            s.play(self.sounds.prompt(prompt, lang));
        }
    }

    /// Every device's health.
    pub fn status(&self) -> Vec<DeviceStatus> {
        vec![
            self.reader.status(),
            DeviceStatus { device: self.printer.describe(), health: self.printer.health() },
            DeviceStatus {
                device: "sound".into(),
                health: self.speaker.as_ref().map_or(Health::Missing("turned off in the configuration".into()), Speaker::health),
            },
        ]
    }
}
