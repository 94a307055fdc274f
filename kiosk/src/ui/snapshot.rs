//! Screenshots of the kiosk window as PNG, from Slint's software renderer (no display needed).

use slint::ComponentHandle;

use crate::KioskWindow;

/// The window as it looks now, as a PNG.
pub fn render_png(window: &KioskWindow) -> Result<Vec<u8>, String> {
    let shot = window.window().take_snapshot().map_err(|e| e.to_string())?;
    let (w, h) = (shot.width(), shot.height());
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, w, h);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
        writer.write_image_data(shot.as_bytes()).map_err(|e| e.to_string())?;
    }
    Ok(out)
}
