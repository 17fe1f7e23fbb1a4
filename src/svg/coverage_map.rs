//! The coverage map (示意图): villages as circles (inside the service circle) or triangles
//! (outside), service points as squares with their reach drawn round them, a scale bar. Names
//! are placed where they fit clear of every mark and every other name; a name that fits
//! nowhere is left to the table under the map, which has every number.

use std::fmt::Write as _;

use super::map::Box;
use super::text_width;
use crate::xml::escape;

const WIDTH: f64 = 480.0;
const HEIGHT: f64 = 480.0;
const PAD: f64 = 16.0;
/// The strip along the bottom the legend, scale bar and 示意图 note use.
const FOOTER: f64 = 64.0;
/// The label size boxes are reserved for: the largest the theme draws (大).
pub const LABEL_FONT: f64 = 22.0;
/// Half the size of a mark.
const MARK: f64 = 6.0;

/// A village or community to draw.
pub struct MapPlace<'a> {
    /// The name drawn beside its mark, where it fits.
    pub name: &'a str,
    /// Latitude in degrees (WGS-84).
    pub lat: f64,
    /// Longitude in degrees (WGS-84).
    pub lon: f64,
    /// Inside the service circle: drawn as a circle, else as a triangle.
    pub reached: bool,
}

/// A service point to draw.
pub struct MapPoint<'a> {
    /// The point's name, in its tooltip and as a label where it fits.
    pub name: &'a str,
    /// Latitude in degrees (WGS-84).
    pub lat: f64,
    /// Longitude in degrees (WGS-84).
    pub lon: f64,
}

/// Projects (lat, lon) into the drawing area, north up, keeping the aspect ratio; also gives
/// the scale in units per km.
fn projector(all: &[(f64, f64)]) -> (impl Fn((f64, f64)) -> (f64, f64), f64) {
    let lat0 = all.iter().map(|p| p.0).sum::<f64>() / all.len().max(1) as f64;
    let k = lat0.to_radians().cos();
    let xs = || all.iter().map(|p| p.1 * k);
    let ys = || all.iter().map(|p| -p.0);
    let (min_x, max_x) = (xs().fold(f64::MAX, f64::min), xs().fold(f64::MIN, f64::max));
    let (min_y, max_y) = (ys().fold(f64::MAX, f64::min), ys().fold(f64::MIN, f64::max));
    let span_x = (max_x - min_x).max(1e-6);
    let span_y = (max_y - min_y).max(1e-6);
    let scale = ((WIDTH - 2.0 * PAD) / span_x).min((HEIGHT - FOOTER - 2.0 * PAD) / span_y);
    let off_x = (WIDTH - span_x * scale) / 2.0;
    let off_y = (HEIGHT - FOOTER - span_y * scale) / 2.0;
    // One degree of latitude is 111.195 km; `scale` is units per degree.
    let per_km = scale / 111.195;
    (
        move |(lat, lon): (f64, f64)| {
            (
                off_x + (lon * k - min_x) * scale,
                off_y + (-lat - min_y) * scale,
            )
        },
        per_km,
    )
}

fn inside(b: &Box) -> bool {
    b.left >= 2.0 && b.right <= WIDTH - 2.0 && b.top >= 2.0 && b.bottom <= HEIGHT - FOOTER
}

/// A name's box beside, then above or below a mark at (x, y), nearest first.
fn candidates(x: f64, y: f64, width: f64) -> [Box; 4] {
    let h = LABEL_FONT * 1.2;
    // Clear of its own mark by more than the air `Box::overlaps` keeps.
    let gap = MARK + 6.0;
    let beside = |left: f64| Box {
        left,
        top: y - h / 2.0,
        right: left + width,
        bottom: y + h / 2.0,
    };
    let stacked = |top: f64| Box {
        left: x - width / 2.0,
        top,
        right: x + width / 2.0,
        bottom: top + h,
    };
    [
        beside(x + gap),
        beside(x - gap - width),
        stacked(y - gap - h),
        stacked(y + gap),
    ]
}

/// Boxes filed by the square cells of the picture they touch, so checking a label against
/// thousands of marks looks only at its neighbours.
#[derive(Default)]
struct Buckets {
    boxes: Vec<Box>,
    cells: std::collections::HashMap<(i64, i64), Vec<usize>>,
}

/// The side of a bucket's cell, in user units: about one label high.
const CELL: f64 = 32.0;

impl Buckets {
    fn cells_of(b: &Box) -> impl Iterator<Item = (i64, i64)> {
        // `overlaps` counts air around a box, so file it by its padded extent.
        let (x0, x1) = (
            ((b.left - 8.0) / CELL).floor() as i64,
            ((b.right + 8.0) / CELL).floor() as i64,
        );
        let (y0, y1) = (
            ((b.top - 8.0) / CELL).floor() as i64,
            ((b.bottom + 8.0) / CELL).floor() as i64,
        );
        (x0..=x1).flat_map(move |x| (y0..=y1).map(move |y| (x, y)))
    }

    fn add(&mut self, b: Box) {
        let i = self.boxes.len();
        self.boxes.push(b);
        for cell in Self::cells_of(&b) {
            self.cells.entry(cell).or_default().push(i);
        }
    }

    /// Whether `b` overlaps any box filed so far.
    fn hits(&self, b: &Box) -> bool {
        Self::cells_of(b)
            .filter_map(|cell| self.cells.get(&cell))
            .flatten()
            .any(|&i| self.boxes[i].overlaps(b))
    }
}

/// Every mark's position and each name's box, if it found a place: places first, then points.
pub fn layout(
    places: &[MapPlace],
    points: &[MapPoint],
) -> (Vec<(f64, f64)>, Vec<Option<Box>>, f64) {
    let all: Vec<(f64, f64)> = places
        .iter()
        .map(|p| (p.lat, p.lon))
        .chain(points.iter().map(|p| (p.lat, p.lon)))
        .collect();
    let (project, per_km) = projector(&all);
    let xy: Vec<(f64, f64)> = all.iter().map(|&p| project(p)).collect();
    let marks: Vec<Box> = xy
        .iter()
        .map(|&(x, y)| Box {
            left: x - MARK,
            top: y - MARK,
            right: x + MARK,
            bottom: y + MARK,
        })
        .collect();
    let names = places
        .iter()
        .map(|p| p.name)
        .chain(points.iter().map(|p| p.name));
    let mut taken = Buckets::default();
    for mark in &marks {
        taken.add(*mark);
    }
    let labels = names
        .zip(&xy)
        .map(|(name, &(x, y))| {
            let width = text_width(name, LABEL_FONT);
            let found = candidates(x, y, width)
                .into_iter()
                .find(|b| inside(b) && !taken.hits(b));
            if let Some(b) = found {
                taken.add(b);
            }
            found
        })
        .collect();
    (xy, labels, per_km)
}

/// The whole SVG, with `title` and `description` for screen readers.
pub fn coverage_map(
    places: &[MapPlace],
    points: &[MapPoint],
    reach_km: f64,
    title: &str,
    description: &str,
) -> String {
    let (xy, labels, per_km) = layout(places, points);
    let mut svg = String::with_capacity(4096 + places.len() * 200);
    let _ = write!(
        svg,
        "<svg class=\"coverage-map\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-labelledby=\"cov-map-title cov-map-desc\">\
<title id=\"cov-map-title\">{}</title><desc id=\"cov-map-desc\">{}</desc>\
<rect class=\"map-bg\" x=\"0\" y=\"0\" width=\"{WIDTH}\" height=\"{HEIGHT}\"/>",
        escape(title),
        escape(description)
    );
    let (place_xy, point_xy) = xy.split_at(places.len());
    draw_reach(&mut svg, point_xy, reach_km * per_km);
    // Points under places, so a village beside its office stays visible.
    draw_points(&mut svg, points, point_xy);
    draw_places(&mut svg, places, place_xy);
    draw_labels(&mut svg, places, points, &labels);
    footer(&mut svg, per_km);
    svg.push_str("</svg>");
    svg
}

/// The reach of each service point: a circle of `radius` drawing units round it.
fn draw_reach(svg: &mut String, point_xy: &[(f64, f64)], radius: f64) {
    for &(x, y) in point_xy {
        let _ = write!(
            svg,
            "<circle class=\"cov-reach\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{:.1}\"/>",
            radius
        );
    }
}

/// Each service point as a square, named for screen readers.
fn draw_points(svg: &mut String, points: &[MapPoint], point_xy: &[(f64, f64)]) {
    for (point, &(x, y)) in points.iter().zip(point_xy) {
        let _ = write!(
            svg,
            "<g class=\"cov-point\"><title>{}</title><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{}\" height=\"{}\"/></g>",
            escape(point.name),
            x - MARK,
            y - MARK,
            2.0 * MARK,
            2.0 * MARK
        );
    }
}

/// Each place as a circle (inside the service circle) or a triangle (outside), with its state
/// for screen readers.
fn draw_places(svg: &mut String, places: &[MapPlace], place_xy: &[(f64, f64)]) {
    for (place, &(x, y)) in places.iter().zip(place_xy) {
        let shape = if place.reached {
            format!("<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{MARK}\"/>")
        } else {
            format!(
                "<path d=\"M{x:.1} {:.1}L{:.1} {:.1}H{:.1}Z\"/>",
                y - MARK,
                x + MARK,
                y + MARK,
                x - MARK
            )
        };
        let (class, state) = if place.reached {
            ("cov-place cov-in", "在服务圈内")
        } else {
            ("cov-place cov-out", "在服务圈外")
        };
        let _ = write!(
            svg,
            "<g class=\"{class}\"><title>{}：{state}</title>{shape}</g>",
            escape(place.name)
        );
    }
}

/// The names that found a clear spot in [`layout`], places first, then service points.
fn draw_labels(svg: &mut String, places: &[MapPlace], points: &[MapPoint], labels: &[Option<Box>]) {
    let names = places
        .iter()
        .map(|p| p.name)
        .chain(points.iter().map(|p| p.name));
    for (name, label) in names.zip(labels) {
        if let Some(b) = label {
            let _ = write!(
                svg,
                "<text class=\"map-label\" x=\"{:.1}\" y=\"{:.1}\" dominant-baseline=\"central\">{}</text>",
                b.left,
                (b.top + b.bottom) / 2.0,
                escape(name)
            );
        }
    }
}

/// The legend, a scale bar of a round distance, and the 示意图 note.
fn footer(svg: &mut String, per_km: f64) {
    let y = HEIGHT - FOOTER + 20.0;
    let _ = write!(
        svg,
        "<g class=\"cov-legend\"><circle class=\"cov-in\" cx=\"14\" cy=\"{y:.1}\" r=\"{MARK}\"/><text x=\"26\" y=\"{y:.1}\" dominant-baseline=\"central\">圈内</text>\
<path class=\"cov-out\" d=\"M104 {:.1}L{:.1} {:.1}H{:.1}Z\"/><text x=\"116\" y=\"{y:.1}\" dominant-baseline=\"central\">圈外</text>\
<rect class=\"cov-point\" x=\"188\" y=\"{:.1}\" width=\"12\" height=\"12\"/><text x=\"206\" y=\"{y:.1}\" dominant-baseline=\"central\">服务点</text></g>",
        y - MARK,
        104.0 + MARK,
        y + MARK,
        104.0 - MARK,
        y - MARK,
    );
    let nice = [0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0]
        .into_iter()
        .rfind(|&km| km * per_km <= WIDTH / 4.0)
        .unwrap_or(0.5);
    let length = nice * per_km;
    let (x, y) = (10.0, HEIGHT - 12.0);
    let _ = write!(
        svg,
        "<g class=\"map-scale\"><path d=\"M{x:.1} {:.1}V{y:.1}H{:.1}V{:.1}\"/><text x=\"{:.1}\" y=\"{:.1}\">{nice} 公里</text></g>\
<text class=\"map-note\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">示意图 · 上北下南</text>",
        y - 6.0,
        x + length,
        y - 6.0,
        x + length + 6.0,
        y,
        WIDTH - 8.0,
        y
    );
}
