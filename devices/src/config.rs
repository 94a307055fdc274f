//! The devices section of a kiosk's configuration file (TOML), with every option explained
//! in `assets/config/devices.example.toml`.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::printer::{PaperWidth, PrinterConnection};
use crate::reader::wedge::WedgeFormat;

/// Which card reader the kiosk has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReaderConfig {
    /// A reader libnfc drives, by connection string (`pn532_uart:/dev/ttyUSB0`, `acr122_usb`).
    Libnfc { connstring: String },
    /// A PC/SC reader through pcscd, the first one or the one whose name contains `name`.
    Pcsc { name: Option<String> },
    /// A keyboard-wedge reader at an evdev path, with its output format.
    Wedge { path: String, #[serde(default)] format: WedgeFormat },
    /// No hardware: the demo's on-screen cards and keyboard shortcuts.
    Simulated,
}

/// Where receipts go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PrinterKind {
    /// An ESC/POS printer.
    Escpos {
        #[serde(flatten)]
        connection: PrinterConnection,
    },
    /// No hardware: each receipt becomes a PNG in `dir`.
    Preview { dir: PathBuf },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrinterConfig {
    #[serde(flatten)]
    pub kind: PrinterKind,
    pub paper: PaperWidth,
    /// Where receipts are kept until printed (and the last ones for reprints).
    pub spool: PathBuf,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SoundConfig {
    pub enabled: bool,
    /// 0.0 to 1.0.
    pub volume: f32,
    /// The folder holding `sounds/` and `voice/<lang>/`.
    pub assets: PathBuf,
}

/// The devices section of the kiosk configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DevicesConfig {
    pub reader: ReaderConfig,
    pub printer: PrinterConfig,
    pub sound: SoundConfig,
}

#[derive(Debug, thiserror::Error)]
#[error("The devices configuration is not valid: {0}")]
pub struct ConfigError(String);

impl DevicesConfig {
    pub fn from_toml(text: &str) -> Result<Self, ConfigError> {
        let config: Self = toml::from_str(text).map_err(|e| ConfigError(e.to_string()))?;
        if !(0.0..=1.0).contains(&config.sound.volume) {
            return Err(ConfigError(format!("sound.volume must be between 0.0 and 1.0, not {}", config.sound.volume)));
        }
        Ok(config)
    }

    /// Demo mode: simulated reader, preview printer, sound on, everything under `dir`.
    pub fn demo(dir: impl Into<PathBuf>, assets: impl Into<PathBuf>) -> Self {
        let dir = dir.into();
        Self {
            reader: ReaderConfig::Simulated,
            printer: PrinterConfig {
                kind: PrinterKind::Preview { dir: dir.join("receipts") },
                paper: PaperWidth::Mm58,
                spool: dir.join("spool"),
            },
            sound: SoundConfig { enabled: true, volume: 0.7, assets: assets.into() },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_example_parses() {
        let text = include_str!("../../assets/config/devices.example.toml");
        let config = DevicesConfig::from_toml(text).unwrap();
        assert_eq!(config.reader, ReaderConfig::Libnfc { connstring: "pn532_uart:/dev/ttyUSB0".into() });
        assert_eq!(config.printer.paper, PaperWidth::Mm80);
        assert!(matches!(config.printer.kind, PrinterKind::Escpos { connection: PrinterConnection::Serial { baud: 38_400, .. } }));
    }

    #[test]
    fn mistakes_are_explained() {
        let bad = include_str!("../../assets/config/devices.example.toml").replace("volume = 0.8", "volume = 3.0");
        assert!(DevicesConfig::from_toml(&bad).unwrap_err().to_string().contains("sound.volume"));
        let unknown = include_str!("../../assets/config/devices.example.toml").replace("kind = \"libnfc\"", "kind = \"magic\"");
        assert!(DevicesConfig::from_toml(&unknown).unwrap_err().to_string().contains("magic"));
    }
}
