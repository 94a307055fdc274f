//! QR codes as SVG, for enrolment codes shown on screen.

use qrcode::{Color, EcLevel, QrCode};

/// `text` as a QR code: an SVG of black modules on white with a four-module quiet zone.
pub fn svg(text: &str) -> String {
    let Ok(code) = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M) else {
        return String::new();
    };
    let width = code.width();
    let size = width + 8;
    let mut path = String::new();
    for (i, colour) in code.to_colors().iter().enumerate() {
        if *colour == Color::Dark {
            path.push_str(&format!("M{},{}h1v1h-1z", i % width + 4, i / width + 4));
        }
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" shape-rendering=\"crispEdges\" role=\"img\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_code_is_a_square_svg_with_dark_modules() {
        let svg = super::svg("ABCD-EF01-2345");
        // Version 1 is 21 modules; with the quiet zone, 29.
        assert!(svg.contains("viewBox=\"0 0 29 29\""), "{svg}");
        // The finder pattern's corner module is dark.
        assert!(svg.contains("M4,4h1v1h-1z"));
    }
}
