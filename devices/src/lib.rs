//! Devices: the only crate that will know libnfc, PC/SC, serial ports, printers and ALSA.
//!
//! Not built yet — issue 3 (card readers through libnfc/`nfc1`, keyboard-wedge and PC/SC;
//! ESC/POS printers over serial, USB and TCP; rodio sound cues). Until then this crate
//! exports nothing, so nothing can mistake it for a working driver. Card identifiers it
//! will emit are `iki_core::CardUid`, whose parsing already lives in the core.
