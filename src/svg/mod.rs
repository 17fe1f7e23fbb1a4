//! Pictures drawn at build time as inline SVG: no tiles, no scripts, no requests to other hosts.
//! Colours come from the theme's CSS classes, so high-contrast mode applies to them too.

pub mod chart;
pub mod coverage_map;
pub mod map;
pub mod qr;

/// Approximate rendered width of `text` at `font_size`: CJK and full-width characters are
/// square, Latin letters and digits about 0.6 em.
pub fn text_width(text: &str, font_size: f64) -> f64 {
    text.chars()
        .map(|c| if crate::text::is_cjk(c) { 1.0 } else { 0.6 })
        .sum::<f64>()
        * font_size
}
