//! The receipt document: what a kiosk prints, independent of any printer.
//!
//! The kiosk services build a [`Receipt`]; `iki-devices` renders it to ESC/POS bytes for a
//! real printer or to a PNG preview that looks like the paper.

use serde::{Deserialize, Serialize};

/// Horizontal placement of a line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    #[default]
    Left,
    Centre,
    Right,
}

/// Character size: normal, twice as tall, or twice as tall and wide (headings, totals).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextSize {
    #[default]
    Normal,
    Tall,
    Double,
}

impl TextSize {
    /// (width, height) multipliers.
    pub fn scale(self) -> (u8, u8) {
        match self {
            TextSize::Normal => (1, 1),
            TextSize::Tall => (1, 2),
            TextSize::Double => (2, 2),
        }
    }
}

/// One line (or block) of a receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "line", rename_all = "snake_case")]
pub enum ReceiptLine {
    /// The island's logo, printed as an image.
    Logo,
    Text { text: String, size: TextSize, bold: bool, align: Align },
    /// A label on the left and a value on the right, e.g. a total.
    Pair { label: String, value: String, bold: bool },
    /// A horizontal rule across the paper.
    Rule,
    /// A QR code with its payload printed under it.
    Qr { payload: String },
    /// Blank lines.
    Feed { lines: u8 },
}

/// What kind of receipt this is, for reprints and logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReceiptKind {
    CheckIn,
    Registration,
    GuestCheckIn,
    Coupon,
    Ballot,
    Ride,
    Test,
}

impl ReceiptKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReceiptKind::CheckIn => "check_in",
            ReceiptKind::Registration => "registration",
            ReceiptKind::GuestCheckIn => "guest_check_in",
            ReceiptKind::Coupon => "coupon",
            ReceiptKind::Ballot => "ballot",
            ReceiptKind::Ride => "ride",
            ReceiptKind::Test => "test",
        }
    }
}

/// A receipt: its kind, the receipt number (the kiosk's event sequence number, or 0 for a
/// test print), and its lines top to bottom. The printer cuts after the last line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub kind: ReceiptKind,
    pub number: u64,
    pub lines: Vec<ReceiptLine>,
}

impl Receipt {
    pub fn new(kind: ReceiptKind, number: u64) -> Self {
        Self { kind, number, lines: Vec::new() }
    }

    pub fn logo(mut self) -> Self {
        self.lines.push(ReceiptLine::Logo);
        self
    }

    pub fn heading(mut self, text: impl Into<String>) -> Self {
        self.lines.push(ReceiptLine::Text { text: text.into(), size: TextSize::Double, bold: true, align: Align::Centre });
        self
    }

    pub fn centred(mut self, text: impl Into<String>) -> Self {
        self.lines.push(ReceiptLine::Text { text: text.into(), size: TextSize::Normal, bold: false, align: Align::Centre });
        self
    }

    pub fn text(mut self, text: impl Into<String>) -> Self {
        self.lines.push(ReceiptLine::Text { text: text.into(), size: TextSize::Normal, bold: false, align: Align::Left });
        self
    }

    pub fn big(mut self, text: impl Into<String>) -> Self {
        self.lines.push(ReceiptLine::Text { text: text.into(), size: TextSize::Tall, bold: true, align: Align::Centre });
        self
    }

    pub fn pair(mut self, label: impl Into<String>, value: impl Into<String>) -> Self {
        self.lines.push(ReceiptLine::Pair { label: label.into(), value: value.into(), bold: false });
        self
    }

    pub fn total(mut self, label: impl Into<String>, value: impl Into<String>) -> Self {
        self.lines.push(ReceiptLine::Pair { label: label.into(), value: value.into(), bold: true });
        self
    }

    pub fn rule(mut self) -> Self {
        self.lines.push(ReceiptLine::Rule);
        self
    }

    pub fn qr(mut self, payload: impl Into<String>) -> Self {
        self.lines.push(ReceiptLine::Qr { payload: payload.into() });
        self
    }

    pub fn feed(mut self, lines: u8) -> Self {
        self.lines.push(ReceiptLine::Feed { lines });
        self
    }

    /// All the text on the receipt, one entry per text-bearing line (for tests and logs
    /// of what was printed).
    pub fn texts(&self) -> Vec<String> {
        self.lines
            .iter()
            .filter_map(|l| match l {
                ReceiptLine::Text { text, .. } => Some(text.clone()),
                ReceiptLine::Pair { label, value, .. } => Some(format!("{label} {value}")),
                ReceiptLine::Qr { payload } => Some(payload.clone()),
                _ => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_keeps_order_and_round_trips() {
        let r = Receipt::new(ReceiptKind::Coupon, 7).logo().heading("クーポン").pair("残高", "360 pt").qr("IKI1:COUPON:X").rule();
        assert_eq!(r.lines.len(), 5);
        assert_eq!(r.texts(), vec!["クーポン", "残高 360 pt", "IKI1:COUPON:X"]);
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<Receipt>(&json).unwrap(), r);
    }
}
