//! Drawing text into bitmaps with the kiosk's fonts: for receipt lines the printer's own
//! fonts lack (Hangul, Chinese-only hanzi, 麵 …) and for PNG previews of whole receipts.
//!
//! Faces are tried in order: Morisawa BIZ UD Gothic for Japanese (made for legibility),
//! then Noto Sans CJK for Korean and Chinese. A character no face has is drawn as 〓 and
//! reported, never silently dropped.

use std::path::{Path, PathBuf};

use ab_glyph::{Font, FontVec, PxScale, ScaleFont, point};

use crate::printer::bitmap::Bitmap;
use crate::printer::sjis::is_half_width;

/// Where Debian's packages put the faces (`fonts-morisawa-bizud-gothic`, `fonts-noto-cjk`).
pub const SYSTEM_FACES: [(&str, u32); 3] = [
    ("/usr/share/fonts/truetype/bizud-gothic/BIZUDGothic-Regular.ttf", 0),
    // Noto Sans CJK is a collection; face 0 is Japanese, 1 Korean, 2 Simplified Chinese.
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 1),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
];

/// The mark drawn for a character no face has (JIS's "geta" substitution mark).
pub const SUBSTITUTE: char = '〓';

#[derive(Debug, thiserror::Error)]
pub enum FontError {
    #[error("No receipt font was found (looked for {0}). Install the Debian packages fonts-morisawa-bizud-gothic and fonts-noto-cjk.")]
    NoneFound(String),
    #[error("The font {path} could not be read: {detail}")]
    Unreadable { path: PathBuf, detail: String },
}

/// A text drawn into a bitmap, with the characters that had to be substituted.
#[derive(Debug, Clone)]
pub struct DrawnText {
    pub bitmap: Bitmap,
    pub substituted: Vec<char>,
}

/// The faces receipts are drawn with.
pub struct ReceiptFonts {
    faces: Vec<FontVec>,
}

impl std::fmt::Debug for ReceiptFonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ReceiptFonts({} faces)", self.faces.len())
    }
}

impl ReceiptFonts {
    /// The system's faces; missing files are skipped, but at least one must load.
    pub fn system() -> Result<Self, FontError> {
        let faces: Vec<FontVec> = SYSTEM_FACES.iter().filter_map(|(p, i)| load(Path::new(p), *i).ok()).collect();
        if faces.is_empty() {
            let looked: Vec<&str> = SYSTEM_FACES.iter().map(|(p, _)| *p).collect();
            return Err(FontError::NoneFound(looked.join(", ")));
        }
        Ok(Self { faces })
    }

    /// Faces from specific files, in order of preference.
    pub fn from_files(files: &[(PathBuf, u32)]) -> Result<Self, FontError> {
        let faces = files.iter().map(|(p, i)| load(p, *i)).collect::<Result<Vec<_>, _>>()?;
        if faces.is_empty() {
            return Err(FontError::NoneFound("an empty list".into()));
        }
        Ok(Self { faces })
    }

    fn face_for(&self, c: char) -> Option<&FontVec> {
        self.faces.iter().find(|f| f.glyph_id(c).0 != 0)
    }

    /// Whether some face has `c`.
    pub fn covers(&self, c: char) -> bool {
        c == ' ' || self.face_for(c).is_some()
    }

    /// Draws one line of text `height` dots tall. Half-width characters get `height / 2`
    /// dots of advance and full-width ones `height`, so drawn text keeps the printer's grid.
    pub fn draw(&self, text: &str, height: u32, bold: bool) -> DrawnText {
        let cell = height / 2;
        let width: u32 = text.chars().map(|c| if is_half_width(c) { cell } else { height }).sum::<u32>().max(1);
        let mut bitmap = Bitmap::new(width + u32::from(bold), height);
        let mut substituted = Vec::new();
        // The glyph's em is the line height less a little air; the baseline sits at 84 %.
        let em = height as f32 * 0.92;
        let baseline = height as f32 * 0.84;
        let mut x = 0u32;
        for c in text.chars() {
            let advance = if is_half_width(c) { cell } else { height };
            if c != ' ' {
                let (face, ch) = match self.face_for(c) {
                    Some(f) => (f, c),
                    None => {
                        substituted.push(c);
                        match self.face_for(SUBSTITUTE) {
                            Some(f) => (f, SUBSTITUTE),
                            None => {
                                bitmap.fill_rect(x + 2, 2, advance.saturating_sub(4), height.saturating_sub(4));
                                x += advance;
                                continue;
                            }
                        }
                    }
                };
                let scale = PxScale::from(em * face.height_unscaled() / face.units_per_em().unwrap_or(1000.0));
                let scaled = face.as_scaled(scale);
                let id = scaled.glyph_id(ch);
                let left = x as f32 + (advance as f32 - scaled.h_advance(id)).max(0.0) / 2.0;
                let glyph = id.with_scale_and_position(scale, point(left, baseline));
                if let Some(outline) = face.outline_glyph(glyph) {
                    let bounds = outline.px_bounds();
                    outline.draw(|gx, gy, coverage| {
                        if coverage >= 0.5 {
                            let (px, py) = (bounds.min.x as i32 + gx as i32, bounds.min.y as i32 + gy as i32);
                            if px >= 0 && py >= 0 {
                                bitmap.set(px as u32, py as u32);
                                if bold {
                                    bitmap.set(px as u32 + 1, py as u32);
                                }
                            }
                        }
                    });
                }
            }
            x += advance;
        }
        DrawnText { bitmap, substituted }
    }
}

fn load(path: &Path, index: u32) -> Result<FontVec, FontError> {
    let bytes = std::fs::read(path).map_err(|e| FontError::Unreadable { path: path.to_owned(), detail: e.to_string() })?;
    FontVec::try_from_vec_and_index(bytes, index).map_err(|e| FontError::Unreadable { path: path.to_owned(), detail: e.to_string() })
}
