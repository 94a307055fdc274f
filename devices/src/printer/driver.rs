//! The receipt printer as the kiosk uses it: keep the receipt, check the printer, print,
//! and say plainly what went wrong — the receipt is never lost.

use std::time::Duration;

use iki_core::receipt::Receipt;

use crate::health::Health;
use crate::printer::escpos::{PaperWidth, encode};
use crate::printer::fonts::ReceiptFonts;
use crate::printer::port::{PrinterConnection, PrinterPort};
use crate::printer::spool::{Spool, SpoolError, Spooled};
use crate::printer::status::{ASK_ERROR_CAUSE, ASK_OFFLINE_CAUSE, ASK_PAPER, ASK_PRINTER, PrinterStatus};

/// How long to wait for a status answer.
const STATUS_TIMEOUT: Duration = Duration::from_millis(300);

/// Why a receipt did not print. In every case but [`PrintError::NotSaved`] the receipt
/// is kept in the spool and staff can reprint it.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error("The printer is out of paper — your receipt is saved; staff can reprint it.")]
    PaperOut,
    #[error("The printer's cover is open — your receipt is saved; staff can close it and reprint.")]
    CoverOpen,
    #[error("The printer reported an error (perhaps a paper jam) — your receipt is saved; staff can reprint it.")]
    PrinterFault,
    #[error("The printer cannot be reached ({0}) — your receipt is saved; staff can reprint it.")]
    Unreachable(String),
    #[error(transparent)]
    NotSaved(#[from] SpoolError),
}

impl PrintError {
    /// Whether the receipt is kept for a reprint.
    pub fn receipt_kept(&self) -> bool {
        !matches!(self, PrintError::NotSaved(_))
    }

    pub fn code(&self) -> &'static str {
        match self {
            PrintError::PaperOut => "printer.paper_out",
            PrintError::CoverOpen => "printer.cover_open",
            PrintError::PrinterFault => "printer.fault",
            PrintError::Unreachable(_) => "printer.unreachable",
            PrintError::NotSaved(_) => "printer.not_saved",
        }
    }
}

/// What printing did, for logs and the staff screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrintReport {
    pub bytes: usize,
    /// Characters no font had (printed as 〓).
    pub substituted: Vec<char>,
    /// The printer said paper is nearly out.
    pub paper_near_end: bool,
    /// The printer gave no status answer (printed anyway).
    pub status_unknown: bool,
}

/// A receipt printer with its spool.
pub struct ReceiptPrinter {
    connection: PrinterConnection,
    port: Option<Box<dyn PrinterPort>>,
    paper: PaperWidth,
    fonts: Option<ReceiptFonts>,
    spool: Spool,
    health: Health,
}

impl ReceiptPrinter {
    /// A printer on `connection`; it is opened on first use and re-opened after failures.
    pub fn new(connection: PrinterConnection, paper: PaperWidth, fonts: Option<ReceiptFonts>, spool: Spool) -> Self {
        Self { connection, port: None, paper, fonts, spool, health: Health::Missing("not used yet".into()) }
    }

    fn port(&mut self) -> Result<&mut Box<dyn PrinterPort>, PrintError> {
        if self.port.is_none() {
            match self.connection.open() {
                Ok(p) => self.port = Some(p),
                Err(e) => {
                    let reason = format!("{}: {e}", self.connection.describe());
                    self.health = Health::Missing(reason.clone());
                    return Err(PrintError::Unreachable(reason));
                }
            }
        }
        Ok(self.port.as_mut().expect("opened above"))
    }

    fn lost(&mut self, e: std::io::Error) -> PrintError {
        self.port = None;
        let reason = format!("{}: {e}", self.connection.describe());
        self.health = Health::Missing(reason.clone());
        PrintError::Unreachable(reason)
    }

    /// Asks the printer how it is; `Ok(None)` when it does not answer (or answers garbage).
    pub fn status(&mut self) -> Result<Option<PrinterStatus>, PrintError> {
        let mut answers = [0u8; 4];
        for (slot, ask) in answers.iter_mut().zip([ASK_PRINTER, ASK_OFFLINE_CAUSE, ASK_ERROR_CAUSE, ASK_PAPER]) {
            let answer = match self.port()?.ask(&ask, STATUS_TIMEOUT) {
                Ok(a) => a,
                Err(e) => return Err(self.lost(e)),
            };
            match answer {
                Some(b) => *slot = b,
                None => return Ok(None),
            }
        }
        Ok(PrinterStatus::from_answers(answers[0], answers[1], answers[2], answers[3]))
    }

    fn print_spooled(&mut self, spooled: &Spooled) -> Result<PrintReport, PrintError> {
        let result = self.try_print(spooled);
        if let Err(e) = &result {
            tracing::warn!(receipt = spooled.receipt.number, kind = spooled.receipt.kind.as_str(), "receipt kept, not printed: {e}");
        }
        result
    }

    fn try_print(&mut self, spooled: &Spooled) -> Result<PrintReport, PrintError> {
        let status = self.status()?;
        if let Some(s) = status {
            self.health = s.health();
            if s.paper_out {
                return Err(PrintError::PaperOut);
            }
            if s.cover_open {
                return Err(PrintError::CoverOpen);
            }
            if s.error || s.offline {
                return Err(PrintError::PrinterFault);
            }
        }
        let encoded = encode(&spooled.receipt, self.paper, self.fonts.as_ref());
        if !encoded.substituted.is_empty() {
            tracing::warn!(receipt = spooled.receipt.number, "characters no font has were printed as 〓: {:?}", encoded.substituted);
        }
        if let Err(e) = self.port()?.send(&encoded.bytes) {
            return Err(self.lost(e));
        }
        self.spool.printed(spooled)?;
        if status.is_none() {
            self.health = Health::Degraded("the printer does not report its status".into());
        }
        Ok(PrintReport {
            bytes: encoded.bytes.len(),
            substituted: encoded.substituted,
            paper_near_end: status.is_some_and(|s| s.paper_near_end),
            status_unknown: status.is_none(),
        })
    }
}

impl crate::printer::Printer for ReceiptPrinter {
    /// Keeps the receipt, then prints it.
    fn print(&mut self, receipt: &Receipt) -> Result<PrintReport, PrintError> {
        let spooled = self.spool.keep(receipt)?;
        self.print_spooled(&spooled)
    }

    /// Prints every kept receipt that has not printed yet, oldest first; stops at the first failure.
    fn print_pending(&mut self) -> Result<usize, PrintError> {
        let pending = self.spool.pending()?;
        for (n, spooled) in pending.iter().enumerate() {
            if let Err(e) = self.print_spooled(spooled) {
                return if n == 0 { Err(e) } else { Ok(n) };
            }
        }
        Ok(pending.len())
    }

    fn spool(&self) -> &Spool {
        &self.spool
    }

    fn health(&self) -> Health {
        self.health.clone()
    }

    fn describe(&self) -> String {
        self.connection.describe()
    }
}
