//! Card readers: libnfc (PN532, ACR122U), keyboard-wedge, PC/SC, and a simulated reader,
//! all emitting the same [`ReaderEvent`]s.

pub mod libnfc;
pub mod pcsc;
pub mod pn532_emulator;
pub mod polling;
pub mod simulated;
pub mod tap;
pub mod wedge;
pub mod wedge_evdev;

pub use libnfc::LibnfcReader;
pub use pcsc::PcscReader;
pub use polling::{PollTiming, PollingReader, ReaderError, ReaderEvent, ReaderHandle, spawn};
pub use simulated::{SimulatedCards, SimulatedReader};
pub use tap::TapDetector;
pub use wedge_evdev::WedgeReader;
