//! Images pages show: resized to `images.widths` (never upscaled), turned upright, stripped of
//! EXIF (GPS!), served with `srcset`, `width` and `height`, and cached between builds. The
//! photos are made here, byte by byte, rather than committed.

mod common;

use std::io::Cursor;

use common::Site;
use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageEncoder, Rgb, RgbImage};

/// Strings hidden in the test photos' EXIF: none may reach the published files.
const SECRETS: [&[u8]; 3] = [b"Exif", b"GPS-SECRET-POSITION", b"SECRET-CAMERA-OWNER"];

/// A JPEG whose left half is red and right half blue, with an EXIF block carrying
/// `orientation`, a description and a GPS position (as a phone writes them).
fn photo(width: u32, height: u32, orientation: u16) -> Vec<u8> {
    let pixels = RgbImage::from_fn(width, height, |x, _| {
        if x < width / 2 {
            Rgb([220, 20, 20])
        } else {
            Rgb([20, 20, 220])
        }
    });
    let mut bytes = Vec::new();
    let mut encoder = JpegEncoder::new_with_quality(&mut bytes, 90);
    encoder
        .set_exif_metadata(exif(orientation))
        .expect("the JPEG encoder writes EXIF");
    encoder
        .write_image(
            pixels.as_raw(),
            width,
            height,
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    for secret in SECRETS {
        assert!(contains(&bytes, secret), "the test photo carries its EXIF");
    }
    bytes
}

/// A little-endian TIFF block as EXIF stores it: IFD0 (description, orientation, a pointer
/// to the GPS IFD), the GPS IFD (35°8′N 111°13′E and a processing method), then the values
/// too long to sit in their entries.
fn exif(orientation: u16) -> Vec<u8> {
    const ASCII: u16 = 2;
    const SHORT: u16 = 3;
    const LONG: u16 = 4;
    const RATIONAL: u16 = 5;
    const UNDEFINED: u16 = 7;
    let description = b"SECRET-CAMERA-OWNER\0";
    let method = b"ASCII\0\0\0GPS-SECRET-POSITION";
    let (ifd0, gps) = (8u32, 8 + 2 + 3 * 12 + 4);
    let description_at = gps + 2 + 5 * 12 + 4;
    let latitude_at = description_at + description.len() as u32;
    let longitude_at = latitude_at + 24;
    let method_at = longitude_at + 24;
    let mut t = Vec::new();
    t.extend(b"II");
    t.extend(42u16.to_le_bytes());
    t.extend(ifd0.to_le_bytes());
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: u32| {
        t.extend(tag.to_le_bytes());
        t.extend(kind.to_le_bytes());
        t.extend(count.to_le_bytes());
        t.extend(value.to_le_bytes());
    };
    t.extend(3u16.to_le_bytes());
    entry(
        &mut t,
        0x010E,
        ASCII,
        description.len() as u32,
        description_at,
    );
    entry(&mut t, 0x0112, SHORT, 1, u32::from(orientation));
    entry(&mut t, 0x8825, LONG, 1, gps);
    t.extend(0u32.to_le_bytes());
    assert_eq!(t.len() as u32, gps);
    t.extend(5u16.to_le_bytes());
    entry(&mut t, 0x0001, ASCII, 2, u32::from(b'N'));
    entry(&mut t, 0x0002, RATIONAL, 3, latitude_at);
    entry(&mut t, 0x0003, ASCII, 2, u32::from(b'E'));
    entry(&mut t, 0x0004, RATIONAL, 3, longitude_at);
    entry(&mut t, 0x001B, UNDEFINED, method.len() as u32, method_at);
    t.extend(0u32.to_le_bytes());
    assert_eq!(t.len() as u32, description_at);
    t.extend(description);
    for (degrees, minutes) in [(35u32, 8u32), (111, 13)] {
        for (n, d) in [(degrees, 1u32), (minutes, 1), (0, 1)] {
            t.extend(n.to_le_bytes());
            t.extend(d.to_le_bytes());
        }
    }
    t.extend(method);
    t
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    DynamicImage::ImageRgb8(RgbImage::from_pixel(width, height, Rgb([30, 120, 30])))
        .write_to(Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    bytes
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn bytes(site: &Site, path: &str) -> Vec<u8> {
    std::fs::read(site.public().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn dimensions(site: &Site, path: &str) -> (u32, u32) {
    let image = image::load_from_memory(&bytes(site, path)).expect("a readable image");
    (image.width(), image.height())
}

/// A site with one page showing `images/hall.jpg` in its body.
fn site_with_photo(photo: Vec<u8>) -> Site {
    let site = Site::new();
    site.write_bytes("content/images/hall.jpg", &photo);
    site.write(
        "content/news/hall.md",
        "---\ntitle: 新大厅启用\n---\n公共法律服务中心新大厅启用。\n\n![新大厅内景](../images/hall.jpg)\n",
    );
    site
}

fn report(site: &Site) -> serde_json::Value {
    let path = site.root().join("report.json");
    site.build(&["--report", path.to_str().unwrap()])
        .assert_ok();
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn every_width_narrower_than_the_photo_is_published() {
    let site = site_with_photo(photo(2000, 1000, 1));
    site.build(&[]).assert_ok();
    for (path, size) in [
        ("images/hall-480w.jpg", (480, 240)),
        ("images/hall-960w.jpg", (960, 480)),
        ("images/hall-1440w.jpg", (1440, 720)),
        ("images/hall.jpg", (2000, 1000)),
    ] {
        assert_eq!(dimensions(&site, path), size, "{path}");
    }
    let html = site.read("news/hall/index.html");
    let expected = concat!(
        "<img src=\"/images/hall-1440w.jpg\" ",
        "srcset=\"/images/hall-480w.jpg 480w, /images/hall-960w.jpg 960w, ",
        "/images/hall-1440w.jpg 1440w, /images/hall.jpg 2000w\" ",
        "sizes=\"(max-width: 60rem) 100vw, 60rem\" width=\"2000\" height=\"1000\" ",
        "loading=\"lazy\" decoding=\"async\" alt=\"新大厅内景\">"
    );
    assert!(html.contains(expected), "{html}");
}

#[test]
fn small_images_are_never_upscaled() {
    let site = site_with_photo(photo(300, 200, 1));
    site.write(
        "content/site.yaml",
        "title: 测试站\nbase_url: https://example.gov.cn/sfj/\nimages: { widths: [480, 200] }\n",
    );
    site.build(&[]).assert_ok();
    assert!(site.exists("images/hall-200w.jpg"));
    assert!(
        !site.exists("images/hall-480w.jpg"),
        "no 480 px variant of a 300 px image"
    );
    assert_eq!(dimensions(&site, "images/hall.jpg"), (300, 200));
    let html = site.read("news/hall/index.html");
    assert!(
        html.contains("srcset=\"/sfj/images/hall-200w.jpg 200w, /sfj/images/hall.jpg 300w\""),
        "{html}"
    );
    assert!(html.contains("width=\"300\" height=\"200\""), "{html}");
}

#[test]
fn gps_and_all_other_exif_is_stripped_from_every_published_file() {
    let site = site_with_photo(photo(1000, 600, 1));
    let run = site.build(&[]);
    run.assert_ok();
    assert!(!run.stderr.contains("image-gps"), "{}", run.stderr);
    for path in [
        "images/hall.jpg",
        "images/hall-480w.jpg",
        "images/hall-960w.jpg",
    ] {
        let published = bytes(&site, path);
        for secret in SECRETS {
            assert!(
                !contains(&published, secret),
                "{path} still carries {:?}",
                String::from_utf8_lossy(secret)
            );
        }
    }
}

#[test]
fn exif_orientation_is_applied() {
    // Orientation 6: the camera was turned; the stored 1200×600 picture is shown 600×1200,
    // its left (red) half at the top.
    let site = site_with_photo(photo(1200, 600, 6));
    site.build(&[]).assert_ok();
    assert_eq!(dimensions(&site, "images/hall.jpg"), (600, 1200));
    assert_eq!(dimensions(&site, "images/hall-480w.jpg"), (480, 960));
    let upright = image::load_from_memory(&bytes(&site, "images/hall.jpg"))
        .unwrap()
        .to_rgb8();
    let top = upright.get_pixel(300, 100);
    let bottom = upright.get_pixel(300, 1100);
    assert!(top[0] > 150 && top[2] < 100, "top is red: {top:?}");
    assert!(
        bottom[2] > 150 && bottom[0] < 100,
        "bottom is blue: {bottom:?}"
    );
    let html = site.read("news/hall/index.html");
    assert!(html.contains("width=\"600\" height=\"1200\""), "{html}");
}

#[test]
fn a_second_build_processes_no_image() {
    let site = site_with_photo(photo(1000, 600, 1));
    site.write_bytes("content/images/map.png", &png(800, 400));
    site.write(
        "content/about.md",
        "---\ntitle: 关于我们\nimage: images/map.png\nimage_alt: 服务中心位置图\n---\n正文。\n",
    );
    let first = report(&site);
    assert_eq!(first["images"]["processed"], 2, "{first}");
    assert_eq!(first["images"]["reused"], 0);
    let before = common::snapshot(&site.public());
    let second = report(&site);
    assert_eq!(second["images"]["processed"], 0, "{second}");
    assert_eq!(second["images"]["reused"], 2);
    assert_eq!(
        before,
        common::snapshot(&site.public()),
        "same output from the cache"
    );
    assert!(site.root().join(".pufa-cache/images").is_dir());

    site.write_bytes("content/images/map.png", &png(900, 400));
    let changed = report(&site);
    assert_eq!(changed["images"]["processed"], 1, "only the changed image");
    assert_eq!(dimensions(&site, "images/map.png"), (900, 400));
}

#[test]
fn front_matter_images_are_responsive_too() {
    let site = Site::new();
    site.write_bytes("content/images/map.png", &png(800, 400));
    site.write(
        "content/about.md",
        "---\ntitle: 关于我们\nimage: images/map.png\nimage_alt: 服务中心位置图\n---\n正文。\n",
    );
    site.build(&[]).assert_ok();
    let html = site.read("about/index.html");
    let expected = concat!(
        "<img src=\"/images/map-480w.png\" srcset=\"/images/map-480w.png 480w, /images/map.png 800w\" ",
        "sizes=\"(max-width: 60rem) 100vw, 60rem\" width=\"800\" height=\"400\" ",
        "loading=\"lazy\" decoding=\"async\" alt=\"服务中心位置图\">"
    );
    assert!(html.contains(expected), "{html}");
    assert_eq!(dimensions(&site, "images/map-480w.png"), (480, 240));
}

#[test]
fn stop_pages_show_their_photo_responsively() {
    let site = Site::copy_of("fixtures/routes");
    site.write_bytes("content/walk/square.jpg", &photo(1000, 750, 1));
    let stop = std::fs::read_to_string(site.root().join("content/walk/a-start.md")).unwrap();
    site.write(
        "content/walk/a-start.md",
        &stop.replace(
            "order: 1\n",
            "order: 1\nimage: square.jpg\nimage_alt: 起点广场全景\n",
        ),
    );
    site.build(&[]).assert_ok();
    let html = site.read("walk/a-start/index.html");
    assert!(
        html.contains("srcset=\"/sfj/walk/square-480w.jpg 480w, /sfj/walk/square-960w.jpg 960w, /sfj/walk/square.jpg 1000w\""),
        "{html}"
    );
    assert!(html.contains("width=\"1000\" height=\"750\""), "{html}");
}

#[test]
fn a_corrupt_image_is_an_error_naming_the_file_and_the_page() {
    let site = site_with_photo(b"\xFF\xD8\xFF\xE0 this is not really a photo".to_vec());
    site.build(&[]).assert_fails_with(
        1,
        &[
            "error[bad-image]",
            "content/images/hall.jpg",
            "content/news/hall.md:6:1",
        ],
    );
    assert!(!site.exists("index.html"), "nothing is published");

    let site = Site::new();
    site.write_bytes("content/images/map.png", b"\x89PNG\r\n\x1a\n truncated");
    site.write(
        "content/about.md",
        "---\ntitle: 关于我们\nimage: images/map.png\nimage_alt: 位置图\n---\n正文。\n",
    );
    site.build(&[])
        .assert_fails_with(1, &["content/images/map.png", "content/about.md:3:8"]);
}

#[test]
fn an_image_damaged_after_its_header_is_an_error_too() {
    let mut damaged = photo(800, 600, 1);
    damaged.truncate(damaged.len() / 3);
    let site = site_with_photo(damaged);
    site.build(&[]).assert_fails_with(
        1,
        &[
            "content/images/hall.jpg",
            "cut short",
            "content/news/hall.md:6:1",
        ],
    );

    // A PNG whose header reads well but whose pixels are cut off fails while decoding, and
    // still points at the first page that shows it.
    let mut damaged = png(800, 400);
    damaged.truncate(damaged.len() * 2 / 3);
    let site = Site::new();
    site.write_bytes("content/images/map.png", &damaged);
    for page in ["b", "a"] {
        site.write(
            &format!("content/{page}.md"),
            "---\ntitle: 位置\n---\n![位置图](images/map.png)\n",
        );
    }
    site.build(&[])
        .assert_fails_with(1, &["content/images/map.png", "content/a.md:4:1"]);
}

#[test]
fn unreferenced_files_are_copied_as_they_are() {
    let site = Site::new();
    let original = photo(640, 480, 1);
    site.write_bytes("content/files/original.jpg", &original);
    site.write_bytes(
        "content/files/logo.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.write(
        "content/about.md",
        "---\ntitle: 关于我们\n---\n![徽标](files/logo.svg)\n\n[下载原图](files/original.jpg)\n",
    );
    let run = site.build(&[]);
    run.assert_ok();
    assert_eq!(bytes(&site, "files/original.jpg"), original);
    assert!(
        run.stderr.contains("warning[image-gps]")
            && run.stderr.contains("content/files/original.jpg"),
        "a linked original's GPS position is pointed out: {}",
        run.stderr
    );
    assert!(!site.exists("files/original-480w.jpg"));
    let html = site.read("about/index.html");
    assert!(
        html.contains("<img src=\"/files/logo.svg\" alt=\"徽标\""),
        "{html}"
    );
}

#[test]
fn a_variant_name_taken_by_another_file_is_a_collision() {
    let site = site_with_photo(photo(1000, 600, 1));
    site.write_bytes("content/images/hall-480w.jpg", &png(10, 10));
    site.build(&[]).assert_fails_with(
        1,
        &[
            "url-collision",
            "images/hall-480w.jpg",
            "content/images/hall.jpg",
        ],
    );
}

#[test]
fn the_summary_line_counts_images() {
    let site = site_with_photo(photo(1000, 600, 1));
    let run = site.build(&[]);
    run.assert_ok();
    assert!(
        run.stdout
            .contains("(1 image(s) processed, 0 from the cache)"),
        "{}",
        run.stdout
    );
}
