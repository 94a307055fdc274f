//! Receipt printers: ESC/POS over serial, USB printer device files and TCP 9100; Japanese
//! text in Shift_JIS with raster fallback; QR codes; status; the spool; PNG previews.

pub mod bitmap;
pub mod decode;
pub mod driver;
pub mod escpos;
pub mod fonts;
pub mod port;
pub mod preview;
pub mod sjis;
pub mod spool;
pub mod status;

pub use driver::{PrintError, PrintReport, ReceiptPrinter};
pub use escpos::{Encoded, PaperWidth, encode};
pub use port::{PrinterConnection, PrinterPort};
pub use status::PrinterStatus;
pub use fonts::ReceiptFonts;
pub use spool::{Spool, SpoolError, Spooled};
