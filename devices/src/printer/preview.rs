//! PNG previews that look like the paper: for demo mode, the admin desktop and snapshot tests.
//!
//! The preview lays a receipt out on the printer's grid (Font A columns, 24-dot lines,
//! double-size text, centred QR codes, the logo) and draws every character with the
//! kiosk's fonts, so what staff see is what the printer prints.

use iki_core::receipt::{Align, Receipt, ReceiptLine, TextSize};

use crate::printer::bitmap::{Bitmap, logo};
use crate::printer::escpos::{COLUMN_DOTS, LINE_DOTS, LINE_PITCH_DOTS, PaperWidth, wrap};
use crate::printer::fonts::ReceiptFonts;
use crate::printer::sjis;

/// White paper margin around the printed area, in dots.
const MARGIN: u32 = 16;

/// Draws the receipt as the printer would print it.
pub fn render(receipt: &Receipt, paper: PaperWidth, fonts: &ReceiptFonts) -> Bitmap {
    let width = paper.dots();
    let mut blocks: Vec<(Bitmap, Align)> = Vec::new();
    let text = |text: &str, size: TextSize, bold: bool, align: Align, blocks: &mut Vec<(Bitmap, Align)>| {
        let (sx, sy) = size.scale();
        for part in wrap(text, paper.columns() / usize::from(sx)) {
            let drawn = fonts.draw(&part, LINE_DOTS, bold).bitmap;
            let mut line = Bitmap::new(drawn.width(), LINE_PITCH_DOTS);
            line.blit(&drawn, 0, (LINE_PITCH_DOTS - LINE_DOTS) / 2);
            blocks.push((line.scaled(u32::from(sx), u32::from(sy)), align));
        }
    };
    for line in &receipt.lines {
        match line {
            ReceiptLine::Logo => blocks.push((logo(), Align::Centre)),
            ReceiptLine::Text { text: t, size, bold, align } => text(t, *size, *bold, *align, &mut blocks),
            ReceiptLine::Pair { label, value, bold } => {
                let cols = paper.columns();
                let (lw, vw) = (sjis::columns(label), sjis::columns(value));
                if lw + 1 + vw <= cols {
                    text(&format!("{label}{}{value}", " ".repeat(cols - lw - vw)), TextSize::Normal, *bold, Align::Left, &mut blocks);
                } else {
                    text(label, TextSize::Normal, *bold, Align::Left, &mut blocks);
                    text(value, TextSize::Normal, *bold, Align::Right, &mut blocks);
                }
            }
            ReceiptLine::Rule => {
                let mut rule = Bitmap::new(width, LINE_PITCH_DOTS);
                rule.fill_rect(0, LINE_PITCH_DOTS / 2 - 1, width, 2);
                blocks.push((rule, Align::Left));
            }
            ReceiptLine::Qr { payload } => {
                blocks.push((qr(payload, if paper == PaperWidth::Mm58 { 5 } else { 6 }), Align::Centre));
                text(payload, TextSize::Normal, false, Align::Centre, &mut blocks);
            }
            ReceiptLine::Feed { lines } => blocks.push((Bitmap::new(1, LINE_PITCH_DOTS * u32::from(*lines)), Align::Left)),
        }
    }
    let height: u32 = blocks.iter().map(|(b, _)| b.height()).sum();
    let mut page = Bitmap::new(width + 2 * MARGIN, height + 2 * MARGIN);
    let mut y = MARGIN;
    for (block, align) in &blocks {
        let w = block.width().min(width);
        let x = match align {
            Align::Left => 0,
            Align::Centre => (width - w) / 2,
            Align::Right => width - w,
        };
        page.blit(block, MARGIN + x, y);
        y += block.height();
    }
    page
}

/// A QR code like the printer's: model 2, error correction M, `module` dots per module,
/// with a 4-module quiet zone.
fn qr(payload: &str, module: u32) -> Bitmap {
    match qrcode::QrCode::with_error_correction_level(payload.as_bytes(), qrcode::EcLevel::M) {
        Ok(code) => {
            let n = code.width() as u32;
            let mut b = Bitmap::new((n + 8) * module, (n + 8) * module);
            for (i, colour) in code.to_colors().into_iter().enumerate() {
                if colour == qrcode::Color::Dark {
                    let (x, y) = (i as u32 % n, i as u32 / n);
                    b.fill_rect((x + 4) * module, (y + 4) * module, module, module);
                }
            }
            b
        }
        // Too long for a QR code: the printer would refuse too; show an empty box.
        Err(_) => {
            let mut b = Bitmap::new(COLUMN_DOTS * 8, COLUMN_DOTS * 8);
            b.fill_rect(0, 0, COLUMN_DOTS * 8, 2);
            b
        }
    }
}

/// Encodes a bitmap as a 1-bit greyscale PNG (black ink on white paper).
pub fn to_png(image: &Bitmap) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, image.width(), image.height());
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::One);
        let mut writer = encoder.write_header().expect("writing a PNG header to memory");
        // In PNG greyscale 0 is black; in the bitmap 1 is ink.
        let inverted: Vec<u8> = image.bytes().iter().map(|b| !b).collect();
        writer.write_image_data(&inverted).expect("writing PNG data to memory");
    }
    out
}
