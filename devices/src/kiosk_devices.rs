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
    sound: SoundOut,
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
        Ok(Self { reader, printer, sound: SoundOut { speaker, sounds: SoundLibrary::new(&config.sound.assets) }, simulated })
    }

    /// The demo's card reader, when the configuration asked for the simulated one.
    pub fn simulated_cards(&self) -> Option<&SimulatedCards> {
        self.simulated.as_ref()
    }

    pub fn cue(&self, cue: Cue) {
        self.sound.cue(cue);
    }

    pub fn prompt(&self, prompt: Prompt, lang: &str) {
        self.sound.prompt(prompt, lang);
    }

    /// The devices apart, so each can live on the thread that uses it: the reader's
    /// handle, the printer (for a printing thread), and the speaker with its sounds.
    pub fn into_parts(self) -> (ReaderHandle, Box<dyn Printer>, SoundOut, Option<SimulatedCards>) {
        (self.reader, self.printer, self.sound, self.simulated)
    }

    /// Every device's health.
    pub fn status(&self) -> Vec<DeviceStatus> {
        vec![
            self.reader.status(),
            DeviceStatus { device: self.printer.describe(), health: self.printer.health() },
            self.sound.status(),
        ]
    }
}

/// The speaker with the kiosk's sounds; without a speaker (turned off) it stays silent.
pub struct SoundOut {
    speaker: Option<Speaker>,
    sounds: SoundLibrary,
}

impl SoundOut {
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

    /// 0.0 (silent) to 1.0.
    pub fn set_volume(&self, volume: f32) {
        if let Some(s) = &self.speaker {
            s.set_volume(volume.clamp(0.0, 1.0));
        }
    }

    pub fn status(&self) -> DeviceStatus {
        DeviceStatus {
            device: "sound".into(),
            health: self.speaker.as_ref().map_or(Health::Missing("turned off in the configuration".into()), Speaker::health),
        }
    }

    /// What has been played, newest last (for tests and the staff screen).
    pub fn played(&self) -> Vec<String> {
        self.speaker.as_ref().map(Speaker::played).unwrap_or_default()
    }
}
