//! Responsive images. Every JPEG, PNG or WebP image a page shows is decoded once per build,
//! turned upright (EXIF orientation), resized to the site's `images.widths` (never upscaled)
//! and re-encoded. Re-encoding is what strips EXIF — camera, time and the GPS position of a
//! phone photo: the bytes an editor's camera wrote are never published for an image pufa
//! processed, not even at full size.
//!
//! The work is split so that pages can be rendered in parallel without waiting for pixels:
//! [`ImageStore::probe`] reads an image's header only (its size and orientation), which is all
//! a page needs for `width`, `height` and `srcset`; [`ImageStore::render`] later decodes and
//! encodes each image once, in parallel over the images rather than the pages (one page may
//! show thirty photos). Encoded files are cached in `ROOT/.pufa-cache/images/` under a hash of
//! the source bytes, the width, the format and the encoder settings, so an unchanged image is
//! never processed twice.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use fast_image_resize as fir;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::codecs::webp::WebPEncoder;
use image::metadata::Orientation;
use image::{DynamicImage, ImageBuffer, ImageDecoder, ImageEncoder, ImageReader};

use crate::diagnostics::Diagnostic;
use crate::url::{encode_path, site_url};

/// Where encoded images are kept between builds, relative to the site root.
pub const CACHE_DIR: &str = ".pufa-cache/images";

/// The `sizes` of every responsive image: the full viewport up to the theme's 60rem column.
pub const SIZES: &str = "(max-width: 60rem) 100vw, 60rem";

/// Photos are re-encoded at this JPEG quality: visually lossless for photos on screens, about
/// a tenth of a phone camera's file size once resized.
const JPEG_QUALITY: u8 = 82;

/// ICC colour profiles up to this size are kept (phone photos in Display P3 would look dull
/// without theirs); bigger ones are dropped rather than repeated in every small variant.
const MAX_ICC_PROFILE: usize = 64 * 1024;

/// Everything besides the source, width and format that decides the encoded bytes. It is part
/// of every cache key: change it whenever the encoding changes, and old entries stop matching.
const ENCODER_SETTINGS: &str = "pufa images 1; image 0.25: jpeg q82, png default+adaptive, \
    webp lossless, icc<=64KiB; fast_image_resize 6: lanczos3";

/// The formats pufa re-encodes; anything else (SVG, GIF, PDF) is copied as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JPEG, re-encoded as JPEG at each width.
    Jpeg,
    /// PNG, re-encoded as PNG at each width.
    Png,
    /// Re-encoded losslessly: the only WebP encoder `image` has.
    WebP,
}

impl Format {
    /// The format a file is published in, from its extension; `None` for files copied as they
    /// are.
    pub fn of(path: &str) -> Option<Format> {
        let name = path.rsplit('/').next().unwrap_or(path);
        let (_, extension) = name.rsplit_once('.')?;
        match extension.to_ascii_lowercase().as_str() {
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            "webp" => Some(Format::WebP),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Format::Jpeg => "jpeg",
            Format::Png => "png",
            Format::WebP => "webp",
        }
    }
}

/// One published file of an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// The output path, relative to the site root: `images/hall-480w.jpg`.
    pub path: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels, keeping the original's aspect ratio.
    pub height: u32,
}

/// An image as pages show it: its upright size and the files it is published as.
#[derive(Debug)]
pub struct Responsive {
    /// The content path of the source (`images/hall.jpg`), which is also where the full-size
    /// variant is published.
    pub source: String,
    /// The upright size of the original, in pixels.
    pub width: u32,
    /// Height in pixels, after EXIF orientation.
    pub height: u32,
    /// Narrowest first; the last one is the full size, published at `source`.
    pub variants: Vec<Variant>,
    format: Format,
    hash: blake3::Hash,
}

impl Responsive {
    /// The variants and their widths, for `srcset`.
    pub fn srcset(&self, base_path: &str) -> String {
        self.variants
            .iter()
            .map(|v| format!("{} {}w", url(base_path, &v.path), v.width))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The plain `src`, for browsers without `srcset`: the widest of the site's widths, so an
    /// old office browser does not download a 12-megapixel original.
    pub fn src(&self, base_path: &str) -> String {
        let shown = match self.variants.len() {
            1 => &self.variants[0],
            n => &self.variants[n - 2],
        };
        url(base_path, &shown.path)
    }

    /// The `<img>` tag Markdown images become. `alt` and `title` are plain text.
    pub fn img_tag(&self, base_path: &str, alt: &str, title: &str) -> String {
        let escape = crate::xml::escape;
        let title = match title {
            "" => String::new(),
            t => format!(" title=\"{}\"", escape(t)),
        };
        format!(
            "<img src=\"{}\" srcset=\"{}\" sizes=\"{SIZES}\" width=\"{}\" height=\"{}\" loading=\"lazy\" decoding=\"async\" alt=\"{}\"{title}>",
            self.src(base_path),
            self.srcset(base_path),
            self.width,
            self.height,
            escape(alt),
        )
    }

    /// The variants besides the full size, which is published at the source's own path.
    pub fn resized(&self) -> &[Variant] {
        &self.variants[..self.variants.len() - 1]
    }
}

fn url(base_path: &str, path: &str) -> String {
    site_url(base_path, &format!("/{}", encode_path(path)))
}

/// Where a page shows an image, so that a problem found while processing the image later
/// points at the page and line an editor can look at.
#[derive(Debug, Clone)]
pub struct Reference(Diagnostic);

impl Reference {
    /// A reference at byte `offset` of the page `file` whose text is `text`.
    pub fn at_offset(file: &str, text: &str, offset: usize) -> Reference {
        Reference(Diagnostic::error("bad-image", file, "").at_offset(text, offset))
    }

    /// A reference at `line:column` (1-based) of the page `file`.
    pub fn at(file: &str, text: &str, line: usize, column: usize) -> Reference {
        Reference(Diagnostic::error("bad-image", file, "").at(text, line, column))
    }

    /// The error about the image `source` (a content path), located at this reference.
    pub fn bad_image(&self, source: &str, reason: &str) -> Diagnostic {
        let mut diagnostic = self.0.clone();
        diagnostic.message = format!("the image content/{source} {reason}");
        diagnostic.with_help(
            "open the file in an image viewer; re-save or re-export it as JPEG or PNG, or replace it",
        )
    }

    fn key(&self) -> (&str, Option<usize>, Option<usize>) {
        (&self.0.file, self.0.line, self.0.column)
    }
}

/// How many images a build encoded and how many it took from the cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImageCounts {
    /// Images encoded by this build.
    pub processed: usize,
    /// Images whose variants were taken from the cache instead.
    pub reused: usize,
}

/// One image of the build: its header, probed once, and every place that shows it.
#[derive(Default)]
struct Entry {
    probe: OnceLock<Result<Arc<Responsive>, String>>,
    references: Mutex<Vec<Reference>>,
}

/// The images of one build, shared by the threads rendering pages.
pub struct ImageStore {
    content_dir: PathBuf,
    cache_dir: PathBuf,
    /// The site's widths, ascending, without duplicates or zeros.
    widths: Vec<u32>,
    entries: Mutex<HashMap<String, Arc<Entry>>>,
    caching: AtomicBool,
    processed: AtomicUsize,
    reused: AtomicUsize,
    temporary: AtomicU64,
}

impl ImageStore {
    /// A store for one build: sources under `content_dir`, encoded copies cached in `cache_dir`
    /// between builds, one copy per width of `widths` narrower than the original (zero and repeated
    /// widths ignored).
    pub fn new(content_dir: &Path, cache_dir: PathBuf, widths: &[u32]) -> ImageStore {
        let mut widths: Vec<u32> = widths.iter().copied().filter(|&w| w > 0).collect();
        widths.sort_unstable();
        widths.dedup();
        ImageStore {
            content_dir: content_dir.to_path_buf(),
            cache_dir,
            widths,
            entries: Mutex::new(HashMap::new()),
            caching: AtomicBool::new(true),
            processed: AtomicUsize::new(0),
            reused: AtomicUsize::new(0),
            temporary: AtomicU64::new(0),
        }
    }

    /// The image at content path `path` as pages show it, reading its header the first time
    /// any page asks. `None` when pufa copies the file as it is (not JPEG, PNG or WebP by its
    /// name); an error, located at `reference`, when the file is not a readable image.
    pub fn probe(
        &self,
        path: &str,
        reference: Reference,
    ) -> Option<Result<Arc<Responsive>, Diagnostic>> {
        let format = Format::of(path)?;
        let entry = lock(&self.entries)
            .entry(path.to_string())
            .or_default()
            .clone();
        let result = entry
            .probe
            .get_or_init(|| self.read_header(path, format).map(Arc::new));
        let outcome = match result {
            Ok(image) => Ok(image.clone()),
            Err(reason) => Err(reference.bad_image(path, reason)),
        };
        lock(&entry.references).push(reference);
        Some(outcome)
    }

    /// Every image pages show, sorted by path, with the place that first shows it.
    pub fn shown(&self) -> Vec<(Arc<Responsive>, Reference)> {
        let entries = lock(&self.entries);
        let mut shown: Vec<(Arc<Responsive>, Reference)> = entries
            .values()
            .filter_map(|entry| {
                let image = entry.probe.get()?.as_ref().ok()?.clone();
                let references = lock(&entry.references);
                let first = references.iter().min_by(|a, b| a.key().cmp(&b.key()))?;
                Some((image, first.clone()))
            })
            .collect();
        shown.sort_by(|a, b| a.0.source.cmp(&b.0.source));
        shown
    }

    /// Whether the asset at content path `path` is published processed rather than copied.
    pub fn is_processed(&self, path: &str) -> bool {
        lock(&self.entries)
            .get(path)
            .is_some_and(|entry| entry.probe.get().is_some_and(Result::is_ok))
    }

    /// How many images were encoded and how many came from the cache so far.
    pub fn counts(&self) -> ImageCounts {
        ImageCounts {
            processed: self.processed.load(Ordering::Relaxed),
            reused: self.reused.load(Ordering::Relaxed),
        }
    }

    /// Creates the cache folder. When it cannot be created the build still works, processing
    /// every image every time; the warning says why.
    pub fn prepare_cache(&self) -> Option<Diagnostic> {
        let error = std::fs::create_dir_all(&self.cache_dir).err()?;
        self.caching.store(false, Ordering::Relaxed);
        Some(
            Diagnostic::warning(
                "image-cache",
                self.cache_dir.display().to_string(),
                format!("cannot create the image cache folder: {error}"),
            )
            .with_help("images are processed again on every build until the folder can be written"),
        )
    }

    /// Every published file of `image` with its bytes: from the cache when all are there,
    /// else decoded once and encoded at each width. The error says what is wrong with the file.
    pub fn render(&self, image: &Responsive) -> Result<Vec<(String, Vec<u8>)>, String> {
        let keys: Vec<PathBuf> = image
            .variants
            .iter()
            .map(|v| self.cache_file(image, v))
            .collect();
        let cached: Vec<Option<Vec<u8>>> = keys
            .iter()
            .map(|key| match self.caching.load(Ordering::Relaxed) {
                true => std::fs::read(key).ok(),
                false => None,
            })
            .collect();
        if cached.iter().all(Option::is_some) {
            self.reused.fetch_add(1, Ordering::Relaxed);
            return Ok(image
                .variants
                .iter()
                .zip(cached.into_iter().flatten())
                .map(|(v, bytes)| (v.path.clone(), bytes))
                .collect());
        }
        let upright = self.decode(image)?;
        let mut resizer = fir::Resizer::new();
        let mut files = Vec::with_capacity(image.variants.len());
        for ((variant, key), cached) in image.variants.iter().zip(&keys).zip(cached) {
            let bytes = match cached {
                Some(bytes) => bytes,
                None => {
                    let bytes = encode(&upright, variant, image.format, &mut resizer)?;
                    self.keep(key, &bytes);
                    bytes
                }
            };
            files.push((variant.path.clone(), bytes));
        }
        self.processed.fetch_add(1, Ordering::Relaxed);
        Ok(files)
    }

    fn read_header(&self, path: &str, format: Format) -> Result<Responsive, String> {
        let bytes = std::fs::read(self.content_dir.join(path))
            .map_err(|e| format!("cannot be read: {e}"))?;
        if bytes.starts_with(&[0xFF, 0xD8]) && !jpeg_is_complete(&bytes) {
            return Err("is cut short: its end is missing (an interrupted copy or upload?)".into());
        }
        let mut decoder = decoder(&bytes)?;
        let (width, height) = decoder.dimensions();
        within_limits(width, height, decoder.total_bytes())?;
        let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
        let (width, height) = if turns_sideways(orientation) {
            (height, width)
        } else {
            (width, height)
        };
        if width == 0 || height == 0 {
            return Err("has no pixels".into());
        }
        Ok(Responsive {
            source: path.to_string(),
            width,
            height,
            variants: variants(path, width, height, &self.widths),
            format,
            hash: blake3::hash(&bytes),
        })
    }

    /// Decodes the source, checks it is still the file that was probed, and turns it upright.
    fn decode(&self, image: &Responsive) -> Result<Upright, String> {
        let bytes = std::fs::read(self.content_dir.join(&image.source))
            .map_err(|e| format!("cannot be read: {e}"))?;
        if blake3::hash(&bytes) != image.hash {
            return Err("changed while pufa was building; build again".into());
        }
        let mut decoder = decoder(&bytes)?;
        let (width, height) = decoder.dimensions();
        within_limits(width, height, decoder.total_bytes())?;
        let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
        let icc_profile = decoder
            .icc_profile()
            .ok()
            .flatten()
            .filter(|p| p.len() <= MAX_ICC_PROFILE);
        let mut pixels = DynamicImage::from_decoder(decoder)
            .map_err(|e| format!("is damaged and cannot be decoded ({e})"))?;
        pixels.apply_orientation(orientation);
        Ok(Upright {
            pixels: eight_bit(pixels),
            icc_profile,
        })
    }

    fn cache_file(&self, image: &Responsive, variant: &Variant) -> PathBuf {
        let mut key = blake3::Hasher::new();
        key.update(image.hash.as_bytes());
        key.update(&variant.width.to_le_bytes());
        key.update(image.format.name().as_bytes());
        key.update(ENCODER_SETTINGS.as_bytes());
        let hex = key.finalize().to_hex();
        self.cache_dir
            .join(format!("{}.{}", &hex[..32], image.format.name()))
    }

    /// Stores an encoded file in the cache, best effort: written beside and renamed, so that a
    /// build running at the same time (`pufa serve`) never reads half a file.
    fn keep(&self, key: &Path, bytes: &[u8]) {
        if !self.caching.load(Ordering::Relaxed) {
            return;
        }
        let n = self.temporary.fetch_add(1, Ordering::Relaxed);
        let temporary = key.with_extension(format!("{}-{n}.partial", std::process::id()));
        if std::fs::write(&temporary, bytes).is_err() || std::fs::rename(&temporary, key).is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
    }
}

/// Warnings for JPEG files published as they are (linked, not shown) whose EXIF records where
/// they were taken: pufa strips metadata only from the images it processes.
pub fn located_copies(
    content_dir: &Path,
    assets: &[String],
    images: &ImageStore,
) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    assets
        .par_iter()
        .filter(|path| Format::of(path) == Some(Format::Jpeg) && !images.is_processed(path))
        .filter(|path| jpeg_head(&content_dir.join(path)).is_some_and(|head| has_gps(&head)))
        .map(|path| {
            Diagnostic::warning(
                "image-gps",
                format!("content/{path}"),
                "this photo is published as it is, with the GPS position where it was taken",
            )
            .with_help("show it in a page (![…](…)) so pufa strips its metadata, or remove the position with a photo editor")
        })
        .collect()
}

/// The start of a file, where a JPEG keeps its EXIF block (at most 64 KiB, right after SOI).
fn jpeg_head(path: &Path) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut head = Vec::with_capacity(70 * 1024);
    std::fs::File::open(path)
        .ok()?
        .take(70 * 1024)
        .read_to_end(&mut head)
        .ok()?;
    Some(head)
}

/// Whether a JPEG's EXIF block has a GPS section (IFD0 tag 0x8825).
fn has_gps(jpeg: &[u8]) -> bool {
    let mut at = 2;
    while at + 4 <= jpeg.len() && jpeg[at] == 0xFF {
        let marker = jpeg[at + 1];
        let length = usize::from(u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]));
        let segment = jpeg.get(at + 4..at + 2 + length).unwrap_or(&[]);
        if marker == 0xE1 && segment.starts_with(b"Exif\0\0") {
            return tiff_has_gps(&segment[6..]);
        }
        if marker == 0xDA {
            break;
        }
        at += 2 + length;
    }
    false
}

fn tiff_has_gps(tiff: &[u8]) -> bool {
    let little = tiff.starts_with(b"II");
    let u16_at = |i: usize| {
        tiff.get(i..i + 2).map(|b| match little {
            true => u16::from_le_bytes([b[0], b[1]]),
            false => u16::from_be_bytes([b[0], b[1]]),
        })
    };
    let u32_at = |i: usize| {
        tiff.get(i..i + 4).map(|b| match little {
            true => u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
            false => u32::from_be_bytes([b[0], b[1], b[2], b[3]]),
        })
    };
    let Some(ifd0) = u32_at(4).map(|o| o as usize) else {
        return false;
    };
    let entries = u16_at(ifd0).unwrap_or(0);
    (0..usize::from(entries)).any(|i| u16_at(ifd0 + 2 + i * 12) == Some(0x8825))
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// The largest image pufa decodes: 64 megapixels (a 12 MP phone photo is 12), so that a small
/// file declaring a huge size cannot make the build allocate gigabytes and abort.
const MAX_PIXELS: u64 = 64_000_000;

/// The most memory one decoded image may take (64 MP at 8 bytes per pixel, 16-bit RGBA).
const MAX_DECODED_BYTES: u64 = 512 * 1024 * 1024;

/// Refuses an image before decoding it if its declared size is beyond the limits.
fn within_limits(width: u32, height: u32, decoded_bytes: u64) -> Result<(), String> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels > MAX_PIXELS || decoded_bytes > MAX_DECODED_BYTES {
        return Err(format!(
            "is {width}×{height} pixels ({} megapixels); pufa takes images of up to {} megapixels: save it smaller (e.g. 4000×3000)",
            pixels / 1_000_000,
            MAX_PIXELS / 1_000_000
        ));
    }
    Ok(())
}

/// A decoder for whatever the bytes are (by their signature, not the file name), with the
/// decoder's own allocation limit set as a second guard.
fn decoder(bytes: &[u8]) -> Result<impl ImageDecoder + '_, String> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| format!("cannot be read: {e}"))?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    reader.limits(limits);
    reader.into_decoder().map_err(unreadable)
}

/// Whether a JPEG has its end-of-image marker after its first scan. The decoder fills a
/// truncated photo with grey rather than failing, so a cut-short upload is caught here. In the
/// compressed data a 0xFF byte is always followed by 0x00 or a restart marker, so 0xFF 0xD9
/// after the scan starts can only be the real end.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let mut at = 2;
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            return false;
        }
        let marker = bytes[at + 1];
        if marker == 0xFF {
            at += 1;
            continue;
        }
        let length = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        if marker == 0xDA {
            let scan = (at + 2 + length).min(bytes.len());
            return bytes[scan..].windows(2).any(|w| w == [0xFF, 0xD9]);
        }
        at += 2 + length;
    }
    false
}

fn unreadable(error: image::ImageError) -> String {
    format!("is not a JPEG, PNG or WebP image pufa can read ({error})")
}

fn turns_sideways(orientation: Orientation) -> bool {
    matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

/// The published files of an upright `width`×`height` image: one per site width narrower
/// than the original, then the original size at the source's own path.
fn variants(source: &str, width: u32, height: u32, widths: &[u32]) -> Vec<Variant> {
    let (stem, extension) = source.rsplit_once('.').unwrap_or((source, ""));
    let mut variants: Vec<Variant> = widths
        .iter()
        .filter(|&&w| w < width)
        .map(|&w| Variant {
            path: format!("{stem}-{w}w.{extension}"),
            width: w,
            height: scaled_height(width, height, w),
        })
        .collect();
    variants.push(Variant {
        path: source.to_string(),
        width,
        height,
    });
    variants
}

fn scaled_height(width: u32, height: u32, to: u32) -> u32 {
    let scaled = (u64::from(height) * u64::from(to) + u64::from(width) / 2) / u64::from(width);
    u32::try_from(scaled).unwrap_or(u32::MAX).max(1)
}

/// Decoded pixels, upright, with the colour profile to keep.
struct Upright {
    pixels: DynamicImage,
    icc_profile: Option<Vec<u8>>,
}

/// Grey, RGB or RGBA with 8 bits a channel: what the resizer and every encoder take.
fn eight_bit(image: DynamicImage) -> DynamicImage {
    match image {
        DynamicImage::ImageLuma8(_) | DynamicImage::ImageRgb8(_) | DynamicImage::ImageRgba8(_) => {
            image
        }
        other if other.color().has_alpha() => DynamicImage::ImageRgba8(other.to_rgba8()),
        other if !other.color().has_color() => DynamicImage::ImageLuma8(other.to_luma8()),
        other => DynamicImage::ImageRgb8(other.to_rgb8()),
    }
}

fn encode(
    upright: &Upright,
    variant: &Variant,
    format: Format,
    resizer: &mut fir::Resizer,
) -> Result<Vec<u8>, String> {
    let resized;
    let pixels = if variant.width == upright.pixels.width() {
        &upright.pixels
    } else {
        resized = resize(&upright.pixels, variant, resizer)?;
        &resized
    };
    let failed = |e: image::ImageError| format!("cannot be encoded as {}: {e}", format.name());
    let mut out = Vec::new();
    let icc = upright.icc_profile.clone();
    match format {
        Format::Jpeg => {
            let mut encoder = JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
            keep_profile(&mut encoder, icc);
            pixels.write_with_encoder(encoder).map_err(failed)?;
        }
        Format::Png => {
            let mut encoder = PngEncoder::new_with_quality(
                &mut out,
                CompressionType::Default,
                FilterType::Adaptive,
            );
            keep_profile(&mut encoder, icc);
            pixels.write_with_encoder(encoder).map_err(failed)?;
        }
        Format::WebP => {
            let mut encoder = WebPEncoder::new_lossless(&mut out);
            keep_profile(&mut encoder, icc);
            pixels.write_with_encoder(encoder).map_err(failed)?;
        }
    }
    Ok(out)
}

fn keep_profile(encoder: &mut impl ImageEncoder, profile: Option<Vec<u8>>) {
    if let Some(profile) = profile {
        // An encoder that cannot embed a profile still writes a correct image.
        let _ = encoder.set_icc_profile(profile);
    }
}

/// Resizes in RGBA whatever the layout: each pixel layout fast_image_resize is instantiated for
/// costs pufa about 14 s of release compile (its kernels for every CPU extension), against a
/// few milliseconds a photo for the conversion. The untyped `Resizer::resize` would
/// instantiate all thirteen layouts.
fn resize(
    image: &DynamicImage,
    variant: &Variant,
    resizer: &mut fir::Resizer,
) -> Result<DynamicImage, String> {
    let converted;
    let rgba = match image {
        DynamicImage::ImageRgba8(rgba) => rgba,
        other => {
            converted = other.to_rgba8();
            &converted
        }
    };
    let failed = |e: &dyn std::fmt::Display| format!("cannot be resized: {e}");
    let source = fir::images::TypedImageRef::<fir::pixels::U8x4>::from_buffer(
        rgba.width(),
        rgba.height(),
        rgba.as_raw(),
    )
    .map_err(|e| failed(&e))?;
    let mut pixels = vec![0; variant.width as usize * variant.height as usize * 4];
    let mut target = fir::images::TypedImage::<fir::pixels::U8x4>::from_buffer(
        variant.width,
        variant.height,
        &mut pixels,
    )
    .map_err(|e| failed(&e))?;
    let options = fir::ResizeOptions::new().use_alpha(image.color().has_alpha());
    resizer
        .resize_typed(&source, &mut target, &options)
        .map_err(|e| failed(&e))?;
    let resized = ImageBuffer::from_raw(variant.width, variant.height, pixels)
        .map(DynamicImage::ImageRgba8)
        .ok_or_else(|| failed(&"the resized buffer has the wrong size"))?;
    Ok(match image {
        DynamicImage::ImageLuma8(_) => DynamicImage::ImageLuma8(resized.to_luma8()),
        DynamicImage::ImageRgba8(_) => resized,
        _ => DynamicImage::ImageRgb8(resized.to_rgb8()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = Vec::new();
        DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
            width,
            height,
            image::Rgb([10, 80, 160]),
        ))
        .write_to(Cursor::new(&mut bytes), image::ImageFormat::Jpeg)
        .unwrap();
        bytes
    }

    #[test]
    fn transparency_and_grey_survive_resizing() {
        let dir = tempfile::tempdir().unwrap();
        let logo = image::RgbaImage::from_fn(1000, 500, |x, _| match x < 500 {
            true => image::Rgba([0, 0, 0, 0]),
            false => image::Rgba([200, 0, 0, 255]),
        });
        let grey = image::GrayImage::from_pixel(1000, 500, image::Luma([77]));
        for (name, picture) in [
            ("logo.png", DynamicImage::ImageRgba8(logo)),
            ("grey.png", DynamicImage::ImageLuma8(grey)),
        ] {
            picture.save(dir.path().join(name)).unwrap();
        }
        let store = ImageStore::new(dir.path(), dir.path().join("cache"), &[480]);
        let at = || Reference::at("content/a.md", "a", 1, 1);
        let resized = |name: &str| {
            let image = store.probe(name, at()).unwrap().unwrap();
            let files = store.render(&image).unwrap();
            image::load_from_memory(&files[0].1).unwrap()
        };
        let logo = resized("logo.png");
        assert_eq!(logo.color(), image::ColorType::Rgba8);
        assert_eq!(logo.to_rgba8().get_pixel(10, 10)[3], 0, "still transparent");
        assert_eq!(logo.to_rgba8().get_pixel(470, 10)[0], 200);
        let grey = resized("grey.png");
        assert_eq!(grey.color(), image::ColorType::L8);
        assert_eq!(grey.to_luma8().get_pixel(100, 100)[0], 77);
    }

    #[test]
    fn formats_come_from_the_file_name() {
        assert_eq!(Format::of("images/大厅.JPG"), Some(Format::Jpeg));
        assert_eq!(Format::of("a.jpeg"), Some(Format::Jpeg));
        assert_eq!(Format::of("a.png"), Some(Format::Png));
        assert_eq!(Format::of("a.webp"), Some(Format::WebP));
        assert_eq!(Format::of("logo.svg"), None);
        assert_eq!(Format::of("v1.2/readme"), None);
    }

    #[test]
    fn variants_are_the_narrower_widths_then_the_original() {
        let widths = [480, 960, 1440];
        let names = |v: Vec<Variant>| -> Vec<(String, u32, u32)> {
            v.into_iter().map(|v| (v.path, v.width, v.height)).collect()
        };
        assert_eq!(
            names(variants("img/hall.v2.jpg", 1000, 667, &widths)),
            [
                ("img/hall.v2-480w.jpg".to_string(), 480, 320),
                ("img/hall.v2-960w.jpg".to_string(), 960, 640),
                ("img/hall.v2.jpg".to_string(), 1000, 667),
            ]
        );
        assert_eq!(
            names(variants("a.png", 960, 10, &widths)),
            [
                ("a-480w.png".to_string(), 480, 5),
                ("a.png".to_string(), 960, 10)
            ]
        );
        assert_eq!(variants("a.png", 300, 3000, &widths).len(), 1);
        assert_eq!(scaled_height(4000, 1, 480), 1, "never zero pixels high");
    }

    #[test]
    fn a_jpeg_without_its_end_marker_is_cut_short() {
        let whole = jpeg(64, 48);
        assert!(jpeg_is_complete(&whole));
        assert!(!jpeg_is_complete(&whole[..whole.len() - 2]));
        assert!(!jpeg_is_complete(&whole[..whole.len() / 2]));
        // An EXIF thumbnail's end marker, before the scan, does not count.
        let mut with_thumbnail = vec![0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x06, 0xFF, 0xD9, 0x00, 0x00];
        with_thumbnail.extend(&whole[2..whole.len() - 2]);
        assert!(!jpeg_is_complete(&with_thumbnail));
    }

    #[test]
    fn each_image_is_probed_once_and_encoded_once_across_builds() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/images")).unwrap();
        std::fs::write(dir.path().join("content/images/hall.jpg"), jpeg(1000, 500)).unwrap();
        let store = || {
            ImageStore::new(
                &dir.path().join("content"),
                dir.path().join(CACHE_DIR),
                &[960, 0, 480, 480],
            )
        };
        let at = |line| Reference::at("content/a.md", "a\nb\nc\n", line, 1);
        let first = store();
        assert!(first.prepare_cache().is_none());
        let image = first.probe("images/hall.jpg", at(3)).unwrap().unwrap();
        let again = first.probe("images/hall.jpg", at(1)).unwrap().unwrap();
        assert!(Arc::ptr_eq(&image, &again), "probed once");
        assert!(first.probe("images/logo.svg", at(1)).is_none());
        assert_eq!(image.srcset("/sfj/").matches(", ").count(), 2);
        assert_eq!(image.src("/"), "/images/hall-960w.jpg");
        let shown = first.shown();
        assert_eq!(shown.len(), 1);
        assert_eq!(shown[0].1.key(), ("content/a.md", Some(1), Some(1)));
        let files = first.render(&image).unwrap();
        let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "images/hall-480w.jpg",
                "images/hall-960w.jpg",
                "images/hall.jpg"
            ]
        );
        assert_eq!(
            first.counts(),
            ImageCounts {
                processed: 1,
                reused: 0
            }
        );

        let second = store();
        let image = second.probe("images/hall.jpg", at(1)).unwrap().unwrap();
        assert_eq!(second.render(&image).unwrap(), files, "same bytes");
        assert_eq!(
            second.counts(),
            ImageCounts {
                processed: 0,
                reused: 1
            }
        );
    }
}
