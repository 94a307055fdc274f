//! Devices: the only crate that knows libnfc, PC/SC, evdev, serial ports, printers and ALSA.
//!
//! Everything above it sees card taps (`iki_core::CardUid`), receipts
//! (`iki_core::receipt::Receipt`) and sound cues. Each real driver has a simulated twin
//! for demos and tests, beside it, never instead of it.

pub mod config;
pub mod health;
mod kiosk_devices;
pub mod printer;
pub mod reader;
pub mod sound;

pub use health::{DeviceStatus, Health};
pub use kiosk_devices::{Devices, DevicesError, SoundOut};
