//! Local JPEG, PNG and WebP images become responsive `<img>` tags: `srcset` over the widths the
//! build publishes, `width` and `height` so the text does not jump as photos load, and lazy
//! loading. Runs before the links pass, which handles every image this pass leaves alone:
//! external ones, SVG and GIF files copied as they are, and missing files (its errors).

use std::sync::Arc;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::Spanned;
use super::links::{self, LinkTargets, PagePlace};
use crate::diagnostics::Diagnostic;
use crate::images::{Reference, Responsive};

/// What the images pass found on one page.
#[derive(Debug, Default)]
pub struct ImageReport {
    /// The processed images the page shows, in order.
    pub shown: Vec<Arc<Responsive>>,
    /// Images that could not be read or decoded, and processed images without alt text.
    pub diagnostics: Vec<Diagnostic>,
}

/// The images pass: each local JPEG, PNG or WebP image becomes a responsive `<img>` (registered
/// with the build's image store); everything else is left for the links pass.
pub fn responsive<'a>(
    events: Vec<Spanned<'a>>,
    place: &PagePlace,
    targets: &LinkTargets,
) -> (Vec<Spanned<'a>>, ImageReport) {
    let mut report = ImageReport::default();
    let Some(store) = targets.images else {
        return (events, report);
    };
    let mut out = Vec::with_capacity(events.len());
    let mut events = events.into_iter();
    while let Some((event, range)) = events.next() {
        let Event::Start(Tag::Image {
            dest_url, title, ..
        }) = &event
        else {
            out.push((event, range));
            continue;
        };
        let offset = place.body_start + range.start;
        let image = local_path(dest_url, place.dir)
            .filter(|path| targets.assets.contains(path))
            .and_then(|path| {
                store.probe(&path, Reference::at_offset(place.file, place.text, offset))
            });
        let image = match image {
            Some(Ok(image)) => image,
            Some(Err(bad)) => {
                report.diagnostics.push(bad);
                out.push((event, range));
                continue;
            }
            None => {
                out.push((event, range));
                continue;
            }
        };
        let alt = alt_text(&mut events);
        if alt.trim().is_empty() {
            report
                .diagnostics
                .push(links::missing_alt(place.file, place.text, offset));
        }
        let tag = image.img_tag(targets.base_path, alt.trim(), title);
        out.push((Event::InlineHtml(tag.into()), range));
        report.shown.push(image);
    }
    (out, report)
}

/// The content path a Markdown image points at, if it is a file of the site.
fn local_path(dest: &str, dir: &str) -> Option<String> {
    if dest.is_empty() || links::has_scheme(dest) || dest.starts_with("//") {
        return None;
    }
    let path = dest.split(['#', '?']).next().unwrap_or("");
    links::join(dir, &links::percent_decode(path))
}

/// Consumes the events up to the image's end, returning its alt text as plain text.
fn alt_text<'a>(events: &mut impl Iterator<Item = Spanned<'a>>) -> String {
    let mut alt = String::new();
    let mut depth = 0;
    for (event, _) in events {
        match event {
            Event::Start(Tag::Image { .. }) => depth += 1,
            Event::End(TagEnd::Image) if depth == 0 => break,
            Event::End(TagEnd::Image) => depth -= 1,
            Event::Text(text) | Event::Code(text) => alt.push_str(&text),
            Event::SoftBreak | Event::HardBreak => alt.push(' '),
            _ => {}
        }
    }
    alt
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};
    use std::io::Cursor;

    use super::super::tests::{html_of, parse};
    use super::*;
    use crate::images::ImageStore;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_pixel(width, height, image::Rgb([200, 30, 30]));
        let mut bytes = Vec::new();
        image::DynamicImage::ImageRgb8(image)
            .write_to(Cursor::new(&mut bytes), image::ImageFormat::Png)
            .unwrap();
        bytes
    }

    fn run(markdown: &str, files: &[(&str, Vec<u8>)]) -> (String, ImageReport) {
        let dir = tempfile::tempdir().unwrap();
        for (path, bytes) in files {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, bytes).unwrap();
        }
        let store = ImageStore::new(dir.path(), dir.path().join("cache"), &[480, 960]);
        let pages = HashMap::new();
        let excluded = HashMap::new();
        let assets: HashSet<String> = files.iter().map(|(p, _)| p.to_string()).collect();
        let targets = LinkTargets {
            pages: &pages,
            excluded: &excluded,
            assets: &assets,
            base_path: "/sfj/",
            unsafe_html: false,
            images: Some(&store),
        };
        let place = PagePlace {
            file: "content/news/a.md",
            text: markdown,
            body_start: 0,
            dir: "news",
        };
        let (events, report) = responsive(parse(markdown), &place, &targets);
        (html_of(events), report)
    }

    #[test]
    fn local_photos_get_srcset_size_and_lazy_loading() {
        let (html, report) = run(
            "![调解室 *内景*](../images/%E5%A4%A7%E5%8E%85.png \"大厅\")",
            &[("images/大厅.png", png(1000, 500))],
        );
        assert!(
            html.contains(concat!(
                "<img src=\"/sfj/images/%E5%A4%A7%E5%8E%85-960w.png\" ",
                "srcset=\"/sfj/images/%E5%A4%A7%E5%8E%85-480w.png 480w, ",
                "/sfj/images/%E5%A4%A7%E5%8E%85-960w.png 960w, ",
                "/sfj/images/%E5%A4%A7%E5%8E%85.png 1000w\" ",
                "sizes=\"(max-width: 60rem) 100vw, 60rem\" width=\"1000\" height=\"500\" ",
                "loading=\"lazy\" decoding=\"async\" alt=\"调解室 内景\" title=\"大厅\">"
            )),
            "{html}"
        );
        assert_eq!(report.shown.len(), 1);
        assert!(report.diagnostics.is_empty());
    }

    #[test]
    fn missing_alt_is_a_warning_and_other_images_are_left_to_the_links_pass() {
        let (html, report) = run(
            "![](../images/a.png)\n\n![logo](../images/logo.svg) ![x](https://www.gov.cn/a.png) ![y](../images/none.png)",
            &[
                ("images/a.png", png(4, 3)),
                ("images/logo.svg", b"<svg/>".to_vec()),
            ],
        );
        assert!(html.contains("srcset=\"/sfj/images/a.png 4w\""), "{html}");
        assert!(html.contains("<img src=\"../images/logo.svg\""), "{html}");
        assert!(
            html.contains("<img src=\"https://www.gov.cn/a.png\""),
            "{html}"
        );
        let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["image-alt"]);
    }

    #[test]
    fn a_corrupt_image_is_an_error_at_the_line_that_shows_it() {
        let (_, report) = run(
            "正文\n\n![大厅](../images/hall.jpg)\n",
            &[("images/hall.jpg", b"not a photo at all".to_vec())],
        );
        let error = &report.diagnostics[0];
        assert_eq!(error.code, "bad-image");
        assert_eq!(error.line, Some(3));
        assert!(
            error.message.contains("content/images/hall.jpg"),
            "{}",
            error.message
        );
    }
}
