//! Receipt printers: ESC/POS over serial, USB printer device files and TCP 9100; Japanese
//! text in Shift_JIS with raster fallback; QR codes; status; the spool; PNG previews.

pub mod bitmap;
pub mod decode;
pub mod driver;
pub mod emulator;
pub mod escpos;
pub mod fonts;
pub mod port;
pub mod preview;
pub mod preview_printer;
pub mod sjis;
pub mod spool;
pub mod status;

pub use driver::{PrintError, PrintReport, ReceiptPrinter};
pub use escpos::{Encoded, PaperWidth, encode};
pub use port::{PrinterConnection, PrinterPort};
pub use status::PrinterStatus;
pub use fonts::ReceiptFonts;
pub use preview_printer::PreviewPrinter;
pub use spool::{Spool, SpoolError, Spooled};

use iki_core::receipt::Receipt;

use crate::health::Health;

/// A receipt printer as the kiosk uses it: the real ESC/POS [`ReceiptPrinter`] or the
/// [`PreviewPrinter`] of demo mode. Every receipt is spooled before it prints.
pub trait Printer: Send {
    fn print(&mut self, receipt: &Receipt) -> Result<PrintReport, PrintError>;
    /// Prints the receipts kept because they could not print; returns how many printed.
    fn print_pending(&mut self) -> Result<usize, PrintError>;
    fn health(&self) -> Health;
    fn describe(&self) -> String;
    fn spool(&self) -> &Spool;

    /// Where the last receipt's picture was written, for a printer that draws pictures
    /// (demo mode shows it on screen).
    fn last_preview(&self) -> Option<std::path::PathBuf> {
        None
    }

    /// Prints the last printed receipt again (staff screen).
    fn reprint_last(&mut self) -> Result<Option<PrintReport>, PrintError> {
        match self.spool().last_printed()? {
            Some(last) => self.print(&last.receipt).map(Some),
            None => Ok(None),
        }
    }
}
