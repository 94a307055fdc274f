//! Card readers: libnfc (PN532, ACR122U), keyboard-wedge, PC/SC, and a simulated reader,
//! all emitting the same [`ReaderEvent`]s.

pub mod libnfc;
pub mod pn532_emulator;
pub mod polling;
pub mod simulated;
pub mod tap;
pub mod wedge;

pub use libnfc::LibnfcReader;
pub use polling::{PollTiming, PollingReader, ReaderError, ReaderEvent, ReaderHandle, spawn};
pub use simulated::{SimulatedCards, SimulatedReader};
pub use tap::TapDetector;
