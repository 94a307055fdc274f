//! Which characters a Japanese receipt printer can print from its own fonts: ASCII and
//! half-width katakana as single Shift_JIS bytes, and JIS X 0208 as double bytes.
//!
//! `encoding_rs`'s Shift_JIS is Windows-31J, which also maps NEC and IBM extensions (①,
//! 髙, 﨑 …) that printers with a plain JIS X 0208 font print wrongly; those count as
//! missing here and go to the raster path like Hangul, Chinese-only hanzi and emoji.

use encoding_rs::SHIFT_JIS;

/// How one character prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrinterGlyph {
    /// One byte: ASCII or half-width katakana (with the katakana code table selected).
    Single(u8),
    /// Two bytes in Kanji mode: a JIS X 0208 character.
    Double([u8; 2]),
    /// Not in the printer's fonts: print the line as an image, or substitute.
    Missing,
}

/// Half-width on a receipt: ASCII, Latin letters with accents (ō, é) and half-width
/// katakana take one column; everything else takes two.
pub fn is_half_width(c: char) -> bool {
    c.is_ascii() || ('\u{A0}'..='\u{24F}').contains(&c) || ('\u{FF61}'..='\u{FF9F}').contains(&c)
}

/// Columns a character takes on the printer's grid: 1 for half-width, 2 for full-width.
pub fn char_columns(c: char) -> usize {
    if is_half_width(c) { 1 } else { 2 }
}

/// Whether a Shift_JIS double-byte code is inside JIS X 0208 (rows 1–8 and 16–84).
fn in_jis_x_0208(lead: u8, trail: u8) -> bool {
    match lead {
        0x81..=0x84 => true,
        0x88 => trail >= 0x9F,
        0x89..=0x9F | 0xE0..=0xE9 => true,
        0xEA => trail <= 0xA4,
        _ => false,
    }
}

pub fn glyph(c: char) -> PrinterGlyph {
    if c == '\u{A5}' || c == '\u{203E}' {
        // ¥ and ‾ share 0x5C/0x7E with \ and ~ under the Japanese character set.
        return PrinterGlyph::Single(if c == '\u{A5}' { 0x5C } else { 0x7E });
    }
    if c.is_ascii() {
        return if c.is_ascii_graphic() || c == ' ' { PrinterGlyph::Single(c as u8) } else { PrinterGlyph::Missing };
    }
    let mut utf8 = [0u8; 4];
    let (bytes, _, unmappable) = SHIFT_JIS.encode(c.encode_utf8(&mut utf8));
    if unmappable {
        return PrinterGlyph::Missing;
    }
    match *bytes {
        [b @ 0xA1..=0xDF] => PrinterGlyph::Single(b),
        [lead, trail] if in_jis_x_0208(lead, trail) => PrinterGlyph::Double([lead, trail]),
        _ => PrinterGlyph::Missing,
    }
}

/// Display columns of a text on the printer.
pub fn columns(text: &str) -> usize {
    text.chars().map(char_columns).sum()
}

/// Whether every character of `text` prints from the printer's own fonts.
pub fn printable(text: &str) -> bool {
    text.chars().all(|c| glyph(c) != PrinterGlyph::Missing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_what_a_jis_printer_has() {
        assert_eq!(glyph('A'), PrinterGlyph::Single(b'A'));
        assert_eq!(glyph('ｱ'), PrinterGlyph::Single(0xB1));
        assert_eq!(glyph('壱'), PrinterGlyph::Double([0x88, 0xEB]));
        assert_eq!(glyph('岐'), PrinterGlyph::Double([0x8A, 0xF2]));
        assert_eq!(glyph('ー'), PrinterGlyph::Double([0x81, 0x5B]));
        assert_eq!(glyph('¥'), PrinterGlyph::Single(0x5C));
        for missing in ['麵', '한', '😀', '①', '髙', '﨑', '\u{7}', '温'] {
            if missing == '温' {
                assert!(matches!(glyph(missing), PrinterGlyph::Double(_)), "温 is JIS X 0208");
            } else {
                assert_eq!(glyph(missing), PrinterGlyph::Missing, "{missing}");
            }
        }
        assert_eq!(columns("IKI 壱岐"), 8);
        assert!(printable("郷ノ浦港 10 pt"));
        assert!(!printable("이키시"));
    }
}
