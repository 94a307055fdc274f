//! Reading an ESC/POS byte stream back into what a printer would do: the tests' and the
//! diagnostic tool's way to check that bytes say what the receipt meant.
//!
//! Commands are parsed by their length, never by scanning, and anything unknown or
//! malformed is an error, so a test cannot pass on bytes a printer would garble.

use encoding_rs::SHIFT_JIS;

use crate::printer::bitmap::Bitmap;
use crate::printer::escpos::{DLE, ESC, FS, GS, LF};

/// What the printer does, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrinterOp {
    /// A line of font text, decoded from Shift_JIS (`¥` where 0x5C printed as yen).
    Text(String),
    Image(Bitmap),
    Qr { payload: String, module: u8 },
    Feed(u8),
    Cut,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("byte {offset}: unknown or unsupported command {bytes:02X?}")]
    Unknown { offset: usize, bytes: Vec<u8> },
    #[error("byte {offset}: command cut short")]
    Truncated { offset: usize },
    #[error("byte {offset}: a double-byte character outside Kanji mode")]
    DoubleByteOutsideKanji { offset: usize },
    #[error("byte {offset}: a single-byte character inside Kanji mode")]
    SingleByteInsideKanji { offset: usize },
    #[error("byte {offset}: text that is not valid Shift_JIS")]
    BadText { offset: usize },
}

/// Parses a whole print job.
pub fn decode(bytes: &[u8]) -> Result<Vec<PrinterOp>, DecodeError> {
    let mut ops = Vec::new();
    let mut line: Vec<u8> = Vec::new();
    let mut kanji = false;
    let mut qr_module = 3u8;
    let mut qr_data: Option<String> = None;
    let mut i = 0;
    let need = |i: usize, n: usize| if i + n <= bytes.len() { Ok(()) } else { Err(DecodeError::Truncated { offset: i }) };
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            LF => {
                let (text, bad) = SHIFT_JIS.decode_without_bom_handling(&line);
                if bad {
                    return Err(DecodeError::BadText { offset: i });
                }
                ops.push(PrinterOp::Text(text.replace('\\', "¥")));
                line.clear();
                i += 1;
            }
            ESC => {
                need(i, 2)?;
                match bytes[i + 1] {
                    b'@' => {
                        kanji = false;
                        i += 2;
                    }
                    b't' | b'R' | b'E' | b'a' | b'-' | b'2' | b'3' => {
                        i += if bytes[i + 1] == b'2' { 2 } else { 3 };
                    }
                    b'd' => {
                        need(i, 3)?;
                        ops.push(PrinterOp::Feed(bytes[i + 2]));
                        i += 3;
                    }
                    _ => return Err(DecodeError::Unknown { offset: i, bytes: bytes[i..(i + 2)].to_vec() }),
                }
            }
            FS => {
                need(i, 2)?;
                match bytes[i + 1] {
                    b'&' => {
                        kanji = true;
                        i += 2;
                    }
                    b'.' => {
                        kanji = false;
                        i += 2;
                    }
                    b'C' | b'!' | b'-' => i += 3,
                    _ => return Err(DecodeError::Unknown { offset: i, bytes: bytes[i..(i + 2)].to_vec() }),
                }
            }
            GS => {
                need(i, 3)?;
                match bytes[i + 1] {
                    b'!' | b'a' => i += 3,
                    b'V' => {
                        i += if matches!(bytes[i + 2], 0 | 1 | 0x30 | 0x31) { 3 } else { 4 };
                        ops.push(PrinterOp::Cut);
                    }
                    b'v' => {
                        need(i, 8)?;
                        let x = usize::from(bytes[i + 4]) | usize::from(bytes[i + 5]) << 8;
                        let y = usize::from(bytes[i + 6]) | usize::from(bytes[i + 7]) << 8;
                        need(i, 8 + x * y)?;
                        let mut image = Bitmap::new(x as u32 * 8, y as u32);
                        for row in 0..y {
                            for col in 0..x * 8 {
                                if bytes[i + 8 + row * x + col / 8] & (0x80 >> (col % 8)) != 0 {
                                    image.set(col as u32, row as u32);
                                }
                            }
                        }
                        ops.push(PrinterOp::Image(image));
                        i += 8 + x * y;
                    }
                    b'(' if bytes[i + 2] == b'k' => {
                        need(i, 8)?;
                        let len = usize::from(bytes[i + 3]) | usize::from(bytes[i + 4]) << 8;
                        need(i, 5 + len)?;
                        let body = &bytes[i + 5..i + 5 + len];
                        match (body[0], body[1]) {
                            (0x31, 0x43) => qr_module = body[2],
                            (0x31, 0x50) => qr_data = Some(String::from_utf8_lossy(&body[3..]).into_owned()),
                            (0x31, 0x51) => {
                                let payload = qr_data.take().ok_or(DecodeError::Unknown { offset: i, bytes: body.to_vec() })?;
                                ops.push(PrinterOp::Qr { payload, module: qr_module });
                            }
                            _ => {}
                        }
                        i += 5 + len;
                    }
                    _ => return Err(DecodeError::Unknown { offset: i, bytes: bytes[i..(i + 3)].to_vec() }),
                }
            }
            DLE => {
                need(i, 3)?;
                i += 3;
            }
            0x81..=0x9F | 0xE0..=0xFC => {
                if !kanji {
                    return Err(DecodeError::DoubleByteOutsideKanji { offset: i });
                }
                need(i, 2)?;
                line.extend_from_slice(&bytes[i..i + 2]);
                i += 2;
            }
            0x20..=0x7E | 0xA1..=0xDF => {
                if kanji {
                    return Err(DecodeError::SingleByteInsideKanji { offset: i });
                }
                line.push(b);
                i += 1;
            }
            _ => return Err(DecodeError::Unknown { offset: i, bytes: vec![b] }),
        }
    }
    Ok(ops)
}

/// The text lines of a decoded job, for assertions.
pub fn text_lines(ops: &[PrinterOp]) -> Vec<String> {
    ops.iter()
        .filter_map(|op| match op {
            PrinterOp::Text(t) => Some(t.trim().to_owned()),
            _ => None,
        })
        .collect()
}
