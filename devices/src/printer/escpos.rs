//! Rendering a [`Receipt`] to ESC/POS bytes for Japanese receipt printers (Epson TM class).
//!
//! Text the printer's fonts have goes as Shift_JIS, with Kanji mode switched on (`FS &`)
//! around double-byte runs and off (`FS .`) before single-byte text. A line holding any
//! character outside the printer's fonts (Hangul, Chinese-only hanzi, 麵, emoji) is drawn
//! with the kiosk's fonts and sent as a raster image (`GS v 0`); raster and font text never
//! share a line. QR codes use the printer's own `GS ( k` generator.

use iki_core::receipt::{Align, Receipt, ReceiptLine, TextSize};
use serde::{Deserialize, Serialize};

use crate::printer::bitmap::{Bitmap, logo};
use crate::printer::fonts::ReceiptFonts;
use crate::printer::sjis::{self, PrinterGlyph};

pub const ESC: u8 = 0x1B;
pub const GS: u8 = 0x1D;
pub const FS: u8 = 0x1C;
pub const DLE: u8 = 0x10;
pub const LF: u8 = 0x0A;

/// Paper the printer holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaperWidth {
    /// 58 mm roll: 384 dots at 203 dpi, 32 columns of Font A.
    #[serde(rename = "58mm")]
    Mm58,
    /// 80 mm roll: 576 dots at 203 dpi, 48 columns.
    #[serde(rename = "80mm")]
    Mm80,
}

impl PaperWidth {
    pub fn dots(self) -> u32 {
        match self {
            PaperWidth::Mm58 => 384,
            PaperWidth::Mm80 => 576,
        }
    }

    /// Columns of Font A (12 dots each); a Kanji takes two.
    pub fn columns(self) -> usize {
        (self.dots() / COLUMN_DOTS) as usize
    }
}

/// Width of one Font A column in dots, and the height of a text line.
pub const COLUMN_DOTS: u32 = 12;
pub const LINE_DOTS: u32 = 24;
/// The printer's default line pitch (1/6 inch at 203 dpi), which raster text lines match.
pub const LINE_PITCH_DOTS: u32 = 34;

/// ESC/POS bytes and what had to be substituted on the way.
#[derive(Debug, Clone, Default)]
pub struct Encoded {
    pub bytes: Vec<u8>,
    /// Characters no font had, printed as 〓 (logged by the caller).
    pub substituted: Vec<char>,
    /// Lines sent as raster images because the printer's fonts lack a character.
    pub raster_lines: usize,
}

/// Characters that Unicode text often uses where JIS has a twin; printing the twin beats
/// rastering the line.
fn normalise(c: char) -> char {
    match c {
        '\u{301C}' => '\u{FF5E}', // 〜 → ～
        '\u{2016}' => '\u{2225}', // ‖ → ∥
        '\u{A2}' => '\u{FFE0}',
        '\u{A3}' => '\u{FFE1}',
        '\u{AC}' => '\u{FFE2}',
        '\u{2014}' => '\u{2015}',
        '\\' => '\u{FF3C}', // a backslash would print as ¥ under the Japanese character set
        other => other,
    }
}

struct Encoder<'f> {
    paper: PaperWidth,
    fonts: Option<&'f ReceiptFonts>,
    out: Encoded,
}

/// Renders a receipt for a printer with `paper`, drawing lines the printer cannot print
/// with `fonts` (without fonts such characters become 〓).
pub fn encode(receipt: &Receipt, paper: PaperWidth, fonts: Option<&ReceiptFonts>) -> Encoded {
    let mut e = Encoder { paper, fonts, out: Encoded::default() };
    // Initialise; katakana code table; Japanese character set (¥ at 0x5C); Shift_JIS Kanji codes.
    e.raw(&[ESC, b'@', ESC, b't', 1, ESC, b'R', 8, FS, b'C', 1]);
    for line in &receipt.lines {
        e.line(line);
    }
    // Feed to the cutter and cut, leaving one point (partial cut).
    e.raw(&[GS, b'V', 66, 0]);
    e.out
}

impl Encoder<'_> {
    fn raw(&mut self, bytes: &[u8]) {
        self.out.bytes.extend_from_slice(bytes);
    }

    fn align(&mut self, align: Align) {
        let n = match align {
            Align::Left => 0,
            Align::Centre => 1,
            Align::Right => 2,
        };
        self.raw(&[ESC, b'a', n]);
    }

    fn style(&mut self, size: TextSize, bold: bool) {
        let (w, h) = size.scale();
        self.raw(&[GS, b'!', ((w - 1) << 4) | (h - 1), ESC, b'E', u8::from(bold)]);
    }

    fn line(&mut self, line: &ReceiptLine) {
        match line {
            ReceiptLine::Logo => {
                self.align(Align::Centre);
                self.raster(&logo());
                self.raw(&[LF]);
            }
            ReceiptLine::Text { text, size, bold, align } => {
                let (w, _) = size.scale();
                let width = self.paper.columns() / usize::from(w);
                self.align(*align);
                self.style(*size, *bold);
                for part in wrap(text, width) {
                    self.text_line(&part, *size, *bold);
                }
                self.style(TextSize::Normal, false);
            }
            ReceiptLine::Pair { label, value, bold } => {
                self.align(Align::Left);
                self.style(TextSize::Normal, *bold);
                let width = self.paper.columns();
                let (lw, vw) = (sjis::columns(label), sjis::columns(value));
                if lw + 1 + vw <= width {
                    self.text_line(&format!("{label}{}{value}", " ".repeat(width - lw - vw)), TextSize::Normal, *bold);
                } else {
                    for part in wrap(label, width) {
                        self.text_line(&part, TextSize::Normal, *bold);
                    }
                    self.align(Align::Right);
                    for part in wrap(value, width) {
                        self.text_line(&part, TextSize::Normal, *bold);
                    }
                }
                self.style(TextSize::Normal, false);
            }
            ReceiptLine::Rule => {
                self.align(Align::Left);
                let rule = "-".repeat(self.paper.columns());
                self.text_line(&rule, TextSize::Normal, false);
            }
            ReceiptLine::Qr { payload } => {
                self.align(Align::Centre);
                self.qr(payload);
                self.raw(&[LF]);
                self.text_line(payload, TextSize::Normal, false);
            }
            ReceiptLine::Feed { lines } => self.raw(&[ESC, b'd', *lines]),
        }
    }

    /// One printed line: Shift_JIS text if the printer has every character, else raster.
    fn text_line(&mut self, text: &str, size: TextSize, bold: bool) {
        let text: String = text.chars().map(normalise).collect();
        if sjis::printable(&text) {
            let mut kanji = false;
            for c in text.chars() {
                match sjis::glyph(c) {
                    PrinterGlyph::Single(b) => {
                        if kanji {
                            self.raw(&[FS, b'.']);
                            kanji = false;
                        }
                        self.raw(&[b]);
                    }
                    PrinterGlyph::Double(pair) => {
                        if !kanji {
                            self.raw(&[FS, b'&']);
                            kanji = true;
                        }
                        self.raw(&pair);
                    }
                    PrinterGlyph::Missing => unreachable!("printable() checked every character"),
                }
            }
            if kanji {
                self.raw(&[FS, b'.']);
            }
            self.raw(&[LF]);
            return;
        }
        let (sx, sy) = size.scale();
        let drawn = match self.fonts {
            Some(fonts) => {
                let d = fonts.draw(&text, LINE_DOTS, bold);
                self.out.substituted.extend(&d.substituted);
                d.bitmap
            }
            None => {
                // No fonts to draw with: print what the printer can, 〓 for the rest.
                let shown: String = text
                    .chars()
                    .map(|c| if sjis::glyph(c) == PrinterGlyph::Missing { '〓' } else { c })
                    .collect();
                self.out.substituted.extend(text.chars().filter(|c| sjis::glyph(*c) == PrinterGlyph::Missing));
                return self.text_line(&shown, size, bold);
            }
        };
        let mut strip = Bitmap::new(drawn.width(), LINE_PITCH_DOTS);
        strip.blit(&drawn, 0, (LINE_PITCH_DOTS - LINE_DOTS) / 2);
        let strip = strip.scaled(u32::from(sx), u32::from(sy));
        let cropped = crop_width(&strip, self.paper.dots());
        self.out.raster_lines += 1;
        self.raster(&cropped);
    }

    /// `GS v 0`: a raster image, in strips of at most 256 rows.
    fn raster(&mut self, image: &Bitmap) {
        let row = image.row_bytes() as usize;
        for chunk in image.bytes().chunks(row * 256) {
            let rows = chunk.len() / row;
            self.raw(&[GS, b'v', b'0', 0, (row & 0xFF) as u8, (row >> 8) as u8, (rows & 0xFF) as u8, (rows >> 8) as u8]);
            self.raw(chunk);
        }
    }

    /// `GS ( k`: QR model 2, module size, error correction M, store, print.
    fn qr(&mut self, payload: &str) {
        let data = payload.as_bytes();
        let data = &data[..data.len().min(7089)];
        let module = if self.paper == PaperWidth::Mm58 { 5 } else { 6 };
        self.raw(&[GS, b'(', b'k', 4, 0, 0x31, 0x41, 0x32, 0]);
        self.raw(&[GS, b'(', b'k', 3, 0, 0x31, 0x43, module]);
        self.raw(&[GS, b'(', b'k', 3, 0, 0x31, 0x45, 0x31]);
        let len = data.len() + 3;
        self.raw(&[GS, b'(', b'k', (len & 0xFF) as u8, (len >> 8) as u8, 0x31, 0x50, 0x30]);
        self.raw(data);
        self.raw(&[GS, b'(', b'k', 3, 0, 0x31, 0x51, 0x30]);
    }
}

/// The image cut to at most `dots` wide.
fn crop_width(image: &Bitmap, dots: u32) -> Bitmap {
    if image.width() <= dots {
        return image.clone();
    }
    let mut out = Bitmap::new(dots, image.height());
    for y in 0..image.height() {
        for x in 0..dots {
            if image.get(x, y) {
                out.set(x, y);
            }
        }
    }
    out
}

/// Splits text into lines of at most `columns` printer columns, at spaces where it can.
pub fn wrap(text: &str, columns: usize) -> Vec<String> {
    let columns = columns.max(2);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in text.split_inclusive(' ') {
        let w = sjis::columns(word.trim_end());
        if used > 0 && used + w > columns {
            lines.push(line.trim_end().to_owned());
            line.clear();
            used = 0;
        }
        for c in word.chars() {
            let cw = sjis::char_columns(c);
            if used + cw > columns {
                lines.push(line.trim_end().to_owned());
                line.clear();
                used = 0;
                if c == ' ' {
                    continue;
                }
            }
            line.push(c);
            used += cw;
        }
    }
    if !line.trim().is_empty() || lines.is_empty() {
        lines.push(line.trim_end().to_owned());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_by_printer_columns() {
        assert_eq!(wrap("Iki Circle points", 10), vec!["Iki Circle", "points"]);
        assert_eq!(wrap("壱岐市いきサークル", 8), vec!["壱岐市い", "きサーク", "ル"]);
        assert_eq!(wrap("", 10), vec![""]);
        for line in wrap("フェリー・ジェットフォイル 500円割引 Ferry discount", 16) {
            assert!(sjis::columns(&line) <= 16, "{line}");
        }
    }

    #[test]
    fn paper_widths() {
        assert_eq!(PaperWidth::Mm58.columns(), 32);
        assert_eq!(PaperWidth::Mm80.columns(), 48);
    }
}
