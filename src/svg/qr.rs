//! QR codes for the signs at each stop: error correction level Q (readable with a quarter of
//! the code dirty or torn), a quiet zone of 4 modules, drawn as one SVG path. Black on white
//! whatever the colour mode, because phones read that best.

use std::fmt::Write as _;

use qrcode::{Color, EcLevel, QrCode};

use crate::xml::escape;

/// Modules of white border around the code, as the QR standard requires.
pub const QUIET_ZONE: usize = 4;

/// An SVG QR code encoding `text`, or why it cannot be made (text too long).
pub fn qr_svg(text: &str, label: &str) -> Result<String, String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::Q)
        .map_err(|e| format!("cannot make a QR code for `{text}`: {e}"))?;
    let width = code.width();
    let size = width + 2 * QUIET_ZONE;
    let colors = code.to_colors();
    let mut path = String::with_capacity(width * width * 4);
    for (i, color) in colors.iter().enumerate() {
        if *color == Color::Dark {
            let (x, y) = (i % width + QUIET_ZONE, i / width + QUIET_ZONE);
            let _ = write!(path, "M{x} {y}h1v1h-1z");
        }
    }
    Ok(format!(
        "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"{}\">\
<title>{}</title><rect width=\"{size}\" height=\"{size}\" fill=\"#ffffff\"/><path fill=\"#000000\" d=\"{path}\"/></svg>",
        escape(label),
        escape(label)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Decoding the code back to its URL is tested on the built signs, in tests/route.rs.

    #[test]
    fn the_quiet_zone_is_four_modules() {
        let svg = qr_svg("https://example.gov.cn/", "二维码").unwrap();
        let d_start = svg.find(" d=\"M").unwrap() + 5;
        let first: Vec<usize> = svg[d_start..]
            .split(['h', ' '])
            .take(2)
            .map(|n| n.parse().unwrap())
            .collect();
        assert_eq!(
            first,
            [QUIET_ZONE, QUIET_ZONE],
            "the finder pattern starts after the quiet zone"
        );
    }

    #[test]
    fn output_is_deterministic() {
        assert_eq!(
            qr_svg("https://a.gov.cn/x/", "x").unwrap(),
            qr_svg("https://a.gov.cn/x/", "x").unwrap()
        );
    }
}
