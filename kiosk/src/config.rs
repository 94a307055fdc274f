//! The kiosk's configuration file (`kiosk.toml`): where its data lives, the hub, the
//! screen, the staff PIN's hash, and the path of the devices file.

use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KioskConfig {
    /// Holds `kiosk.sqlite3`.
    pub data_dir: PathBuf,
    /// The devices file (reader, printer, sound): see `devices.example.toml`.
    pub devices: PathBuf,
    /// The hub to enrol with and sync to, e.g. `https://hub.iki.example`.
    pub hub_url: Option<String>,
    /// A CA certificate (PEM) to trust for the hub, when it is not in the system store.
    pub hub_ca: Option<PathBuf>,
    /// Pixels per inch of the screen, for 16 mm touch targets.
    #[serde(default = "default_dpi")]
    pub screen_dpi: f32,
    #[serde(default = "default_fullscreen")]
    pub fullscreen: bool,
    /// argon2id hash of the staff PIN (`iki-kiosk hash-pin` makes one).
    pub staff_pin_hash: String,
}

fn default_dpi() -> f32 {
    96.0
}

fn default_fullscreen() -> bool {
    true
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path} is not a valid kiosk configuration: {message}")]
    Invalid { path: PathBuf, message: String },
}

impl KioskConfig {
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: path.into(), source })?;
        Self::parse(&text).map_err(|message| ConfigError::Invalid { path: path.into(), message })
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let config: Self = toml::from_str(text).map_err(|e| e.to_string())?;
        if !(40.0..=600.0).contains(&config.screen_dpi) {
            return Err(format!("screen_dpi must be between 40 and 600, not {}", config.screen_dpi));
        }
        if !config.staff_pin_hash.starts_with("$argon2id$") {
            return Err("staff_pin_hash must be an argon2id hash; make one with `iki-kiosk hash-pin`".into());
        }
        Ok(config)
    }

    pub fn store_path(&self) -> PathBuf {
        self.data_dir.join("kiosk.sqlite3")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_example_parses_and_mistakes_are_explained() {
        let text = include_str!("../../assets/config/kiosk.example.toml");
        let config = KioskConfig::parse(text).unwrap();
        assert_eq!(config.screen_dpi, 102.0);
        assert!(config.fullscreen);
        assert!(KioskConfig::parse(&text.replace("screen_dpi = 102", "screen_dpi = 5")).unwrap_err().contains("screen_dpi"));
        assert!(KioskConfig::parse(&format!("{text}\nwallpaper = 1\n")).unwrap_err().contains("wallpaper"));
        let plain = text.lines().map(|l| if l.starts_with("staff_pin_hash") { "staff_pin_hash = \"1234\"" } else { l }).collect::<Vec<_>>().join("\n");
        assert!(KioskConfig::parse(&plain).unwrap_err().contains("argon2id"));
    }
}
