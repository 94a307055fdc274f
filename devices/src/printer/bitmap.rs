//! One-bit images: raster lines for the printer and the pixels of PNG previews.

/// A black-and-white image, rows packed 8 pixels to a byte, leftmost pixel in the high bit
/// (the layout of ESC/POS `GS v 0`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bitmap {
    width: u32,
    height: u32,
    bytes: Vec<u8>,
}

impl Bitmap {
    pub fn new(width: u32, height: u32) -> Self {
        Self { width, height, bytes: vec![0; (width.div_ceil(8) * height) as usize] }
    }

    pub fn width(&self) -> u32 {
        self.width
    }

    pub fn height(&self) -> u32 {
        self.height
    }

    pub fn row_bytes(&self) -> u32 {
        self.width.div_ceil(8)
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn set(&mut self, x: u32, y: u32) {
        if x < self.width && y < self.height {
            let i = (y * self.row_bytes() + x / 8) as usize;
            self.bytes[i] |= 0x80 >> (x % 8);
        }
    }

    pub fn get(&self, x: u32, y: u32) -> bool {
        x < self.width && y < self.height && self.bytes[(y * self.row_bytes() + x / 8) as usize] & (0x80 >> (x % 8)) != 0
    }

    pub fn fill_rect(&mut self, x: u32, y: u32, w: u32, h: u32) {
        for yy in y..(y + h).min(self.height) {
            for xx in x..(x + w).min(self.width) {
                self.set(xx, yy);
            }
        }
    }

    /// Copies `other` in with its top-left corner at (x, y); black wins.
    pub fn blit(&mut self, other: &Bitmap, x: u32, y: u32) {
        for yy in 0..other.height {
            for xx in 0..other.width {
                if other.get(xx, yy) {
                    self.set(x + xx, y + yy);
                }
            }
        }
    }

    /// The same image scaled up by whole factors (for double-size text).
    pub fn scaled(&self, sx: u32, sy: u32) -> Bitmap {
        let mut out = Bitmap::new(self.width * sx, self.height * sy);
        for y in 0..self.height {
            for x in 0..self.width {
                if self.get(x, y) {
                    out.fill_rect(x * sx, y * sy, sx, sy);
                }
            }
        }
        out
    }

    /// Number of black pixels (tests use it to see that something was drawn).
    pub fn ink(&self) -> usize {
        self.bytes.iter().map(|b| b.count_ones() as usize).sum()
    }
}

/// The island's receipt logo, drawn by code (no outside artwork): a ring with a wave
/// inside it, standing for an island in the sea, 96 dots square.
pub fn logo() -> Bitmap {
    let size = 96u32;
    let mut b = Bitmap::new(size, size);
    let c = size as f32 / 2.0;
    for y in 0..size {
        for x in 0..size {
            let (dx, dy) = (x as f32 + 0.5 - c, y as f32 + 0.5 - c);
            let r = (dx * dx + dy * dy).sqrt();
            let ring = (40.0..46.0).contains(&r);
            let wave_y = c + 10.0 + 6.0 * (dx / 9.0).sin();
            let wave = r < 38.0 && (y as f32 - wave_y).abs() < 3.0;
            let island = r < 38.0 && y as f32 <= wave_y - 3.0 && dy > -14.0 + (dx * dx) / 40.0;
            if ring || wave || island {
                b.set(x, y);
            }
        }
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_pixels_msb_first() {
        let mut b = Bitmap::new(10, 2);
        b.set(0, 0);
        b.set(9, 1);
        assert_eq!(b.row_bytes(), 2);
        assert_eq!(b.bytes(), &[0x80, 0x00, 0x00, 0x40]);
        assert!(b.get(9, 1) && !b.get(8, 1));
        assert_eq!(b.scaled(2, 3).ink(), 2 * 6);
        assert!(logo().ink() > 1_000);
    }
}
