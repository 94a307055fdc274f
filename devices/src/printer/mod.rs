//! Receipt printers: ESC/POS over serial, USB printer device files and TCP 9100; Japanese
//! text in Shift_JIS with raster fallback; QR codes; status; the spool; PNG previews.

pub mod spool;

pub use spool::{Spool, SpoolError, Spooled};
