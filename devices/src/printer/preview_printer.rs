//! The simulated printer for demos and tests: "prints" each receipt as a PNG that looks
//! like the paper, through the same spool as the real printer.

use std::path::PathBuf;

use iki_core::receipt::Receipt;

use crate::health::Health;
use crate::printer::driver::{PrintError, PrintReport};
use crate::printer::escpos::PaperWidth;
use crate::printer::fonts::ReceiptFonts;
use crate::printer::preview::{render, to_png};
use crate::printer::spool::{Spool, Spooled};

pub struct PreviewPrinter {
    dir: PathBuf,
    paper: PaperWidth,
    fonts: ReceiptFonts,
    spool: Spool,
    last_png: Option<PathBuf>,
}

impl PreviewPrinter {
    pub fn new(dir: impl Into<PathBuf>, paper: PaperWidth, fonts: ReceiptFonts, spool: Spool) -> Self {
        Self { dir: dir.into(), paper, fonts, spool, last_png: None }
    }

    /// Where the last receipt's picture was written.
    pub fn last_png(&self) -> Option<&PathBuf> {
        self.last_png.as_ref()
    }

    fn write(&mut self, spooled: &Spooled) -> Result<PrintReport, PrintError> {
        let png = to_png(&render(&spooled.receipt, self.paper, &self.fonts));
        std::fs::create_dir_all(&self.dir).map_err(|e| PrintError::Unreachable(format!("{}: {e}", self.dir.display())))?;
        let path = self.dir.join(format!("{:06}-{}.png", spooled.receipt.number, spooled.receipt.kind.as_str()));
        std::fs::write(&path, &png).map_err(|e| PrintError::Unreachable(format!("{}: {e}", path.display())))?;
        self.spool.printed(spooled)?;
        self.last_png = Some(path);
        Ok(PrintReport { bytes: png.len(), ..PrintReport::default() })
    }
}

impl crate::printer::Printer for PreviewPrinter {
    fn print(&mut self, receipt: &Receipt) -> Result<PrintReport, PrintError> {
        let spooled = self.spool.keep(receipt)?;
        self.write(&spooled)
    }

    fn print_pending(&mut self) -> Result<usize, PrintError> {
        let pending = self.spool.pending()?;
        for spooled in &pending {
            self.write(spooled)?;
        }
        Ok(pending.len())
    }

    fn spool(&self) -> &Spool {
        &self.spool
    }

    fn health(&self) -> Health {
        Health::Ok
    }

    fn last_preview(&self) -> Option<PathBuf> {
        self.last_png.clone()
    }

    fn describe(&self) -> String {
        format!("preview printer (PNG files in {})", self.dir.display())
    }
}
