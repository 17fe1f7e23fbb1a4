//! The route's schematic map (示意图): stops projected with a local equirectangular projection
//! into a fixed `viewBox`, joined in order, numbered, labelled so no label runs off the picture.
//! No tiles and no borders: it shows order and rough distances, not geography.

use std::fmt::Write as _;

use super::text_width;
use crate::geo::haversine_km;
use crate::xml::escape;

// The picture's user units. The theme sets the text sizes (`.map-label` 20 units at 中, 25 at
// 大), so on a phone, where 480 units fill about 340 px, a label is still 14 px at 中.
const WIDTH: f64 = 480.0;
const HEIGHT: f64 = 360.0;
const PAD: f64 = 30.0;
/// The label size boxes are reserved for: the largest the theme draws (大). Smaller sizes sit
/// inside the same boxes, so what does not overlap at 大 overlaps at no size.
pub const LABEL_FONT: f64 = 25.0;
const RADIUS: f64 = 16.0;
/// Space between a label and its marker, or another label.
const GAP: f64 = 4.0;
/// The strip along the bottom the scale bar and the 示意图 note use.
const FOOTER: f64 = 44.0;

/// A stop to draw.
pub struct MapStop<'a> {
    /// The stop's number on the route, drawn in its circle and used in the legend.
    pub number: usize,
    /// The stop's name, drawn beside it where it fits (else listed in the legend).
    pub name: &'a str,
    /// Latitude in degrees (WGS-84).
    pub lat: f64,
    /// Longitude in degrees (WGS-84).
    pub lon: f64,
}

/// A rectangle in user units: where a label's text (at its largest) or a marker lies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Box {
    /// Left edge, in the drawing's user units (x grows to the right).
    pub left: f64,
    /// Top edge, in user units (y grows downwards).
    pub top: f64,
    /// Right edge, in user units.
    pub right: f64,
    /// Bottom edge, in user units.
    pub bottom: f64,
}

impl Box {
    fn around(x: f64, y: f64, r: f64) -> Box {
        Box {
            left: x - r,
            top: y - r,
            right: x + r,
            bottom: y + r,
        }
    }

    /// Whether the two overlap, counting `GAP` of air between them.
    pub fn overlaps(&self, other: &Box) -> bool {
        self.left < other.right + GAP
            && other.left < self.right + GAP
            && self.top < other.bottom + GAP
            && other.top < self.bottom + GAP
    }

    fn inside(&self) -> bool {
        self.left >= 2.0
            && self.right <= WIDTH - 2.0
            && self.top >= 2.0
            && self.bottom <= HEIGHT - FOOTER
    }
}

/// Where a stop lands in the picture, and where its full name goes, if it fits anywhere.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    /// The stop's centre, in user units from the left edge.
    pub x: f64,
    /// The stop's centre, in user units from the top edge.
    pub y: f64,
    /// The name's box at its largest size; `None`: the name is in the legend under the map.
    pub label: Option<Box>,
}

/// Projects stops into the picture, keeping the aspect ratio and centring the drawing.
pub fn project(stops: &[MapStop]) -> Vec<(f64, f64)> {
    if stops.is_empty() {
        return Vec::new();
    }
    let lat0 = stops.iter().map(|s| s.lat).sum::<f64>() / stops.len() as f64;
    let k = lat0.to_radians().cos();
    let xs: Vec<f64> = stops.iter().map(|s| s.lon * k).collect();
    let ys: Vec<f64> = stops.iter().map(|s| -s.lat).collect();
    let (min_x, max_x) = min_max(&xs);
    let (min_y, max_y) = min_max(&ys);
    let span_x = (max_x - min_x).max(1e-9);
    let span_y = (max_y - min_y).max(1e-9);
    // Labels need room: reserve a third of the width for them.
    let scale = ((WIDTH - 2.0 * PAD) * 0.66 / span_x).min((HEIGHT - FOOTER - 2.0 * PAD) / span_y);
    let off_x = (WIDTH - span_x * scale) / 2.0;
    let off_y = (HEIGHT - FOOTER - span_y * scale) / 2.0;
    xs.iter()
        .zip(&ys)
        .map(|(x, y)| (off_x + (x - min_x) * scale, off_y + (y - min_y) * scale))
        .collect()
}

/// Nudges markers that would cover each other apart (a schematic may bend geography a little
/// so every number stays readable), keeping them inside the picture.
fn separate(mut points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    let min_gap = 2.0 * RADIUS + 4.0;
    for _ in 0..50 {
        let mut moved = false;
        for i in 0..points.len() {
            for j in i + 1..points.len() {
                let (dx, dy) = (points[j].0 - points[i].0, points[j].1 - points[i].1);
                let distance = dx.hypot(dy);
                if distance >= min_gap {
                    continue;
                }
                let (ux, uy) = if distance < 1e-6 {
                    (1.0, 0.0)
                } else {
                    (dx / distance, dy / distance)
                };
                let push = (min_gap - distance) / 2.0 + 0.01;
                points[i] = clamp((points[i].0 - ux * push, points[i].1 - uy * push));
                points[j] = clamp((points[j].0 + ux * push, points[j].1 + uy * push));
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    points
}

fn clamp((x, y): (f64, f64)) -> (f64, f64) {
    (
        x.clamp(PAD, WIDTH - PAD),
        y.clamp(PAD, HEIGHT - FOOTER - RADIUS),
    )
}

fn min_max(values: &[f64]) -> (f64, f64) {
    values
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(*v), hi.max(*v)))
}

/// Places markers, then each stop's full name (never cut) in the first spot around its
/// marker that stays inside the picture and clear of every marker and every label placed so
/// far: beside it, above or below it, then further off with a leader line. A name that fits
/// nowhere goes to the legend under the map, and its marker keeps its number.
pub fn place(stops: &[MapStop]) -> Vec<Placed> {
    let points = separate(project(stops));
    let markers: Vec<Box> = points
        .iter()
        .map(|&(x, y)| Box::around(x, y, RADIUS))
        .collect();
    let mut taken: Vec<Box> = Vec::new();
    stops
        .iter()
        .zip(&points)
        .map(|(stop, &(x, y))| {
            let width = text_width(&label_text(stop), LABEL_FONT);
            let label = candidates(x, y, width)
                .into_iter()
                .find(|b| b.inside() && !markers.iter().chain(&taken).any(|o| o.overlaps(b)));
            taken.extend(label);
            Placed { x, y, label }
        })
        .collect()
}

/// Label boxes around a marker at (x, y), nearest first.
fn candidates(x: f64, y: f64, width: f64) -> Vec<Box> {
    let h = LABEL_FONT * 1.2;
    let near = RADIUS + GAP + 2.0;
    let mut boxes = Vec::new();
    for step in 0..6 {
        let shift = step as f64 * (h + GAP);
        for dy in [0.0, -shift, shift] {
            let top = y - h / 2.0 + dy;
            let extra = if step == 0 { 0.0 } else { 12.0 };
            boxes.push(Box {
                left: x + near + extra,
                top,
                right: x + near + extra + width,
                bottom: top + h,
            });
            boxes.push(Box {
                left: x - near - extra - width,
                top,
                right: x - near - extra,
                bottom: top + h,
            });
            if step == 0 {
                for top in [y - near - h, y + near] {
                    boxes.push(Box {
                        left: x - width / 2.0,
                        top,
                        right: x + width / 2.0,
                        bottom: top + h,
                    });
                }
            }
        }
    }
    boxes
}

fn label_text(stop: &MapStop) -> String {
    format!("{}. {}", stop.number, stop.name)
}

/// The names the map could not place, as the legend under it: `3. 大禹公园`.
pub fn legend(stops: &[MapStop], placed: &[Placed]) -> Vec<String> {
    stops
        .iter()
        .zip(placed)
        .filter(|(_, p)| p.label.is_none())
        .map(|(stop, _)| label_text(stop))
        .collect()
}

/// The whole SVG. `current` is the index of the stop to highlight on a stop's own page.
pub fn route_map(
    stops: &[MapStop],
    current: Option<usize>,
    title: &str,
    description: &str,
) -> String {
    let placed = place(stops);
    let mut svg = String::with_capacity(2048);
    let _ = write!(
        svg,
        "<svg class=\"route-map\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-labelledby=\"map-title map-desc\">\
<title id=\"map-title\">{}</title><desc id=\"map-desc\">{}</desc>",
        escape(title),
        escape(description)
    );
    let _ = write!(
        svg,
        "<rect class=\"map-bg\" x=\"0\" y=\"0\" width=\"{WIDTH}\" height=\"{HEIGHT}\"/>"
    );
    draw_path(&mut svg, &placed);
    draw_stops(&mut svg, stops, &placed, current);
    scale_bar(&mut svg, stops, &placed);
    let _ = write!(
        svg,
        "<text class=\"map-note\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">示意图 · 上北下南</text>",
        WIDTH - 8.0,
        HEIGHT - 10.0
    );
    svg.push_str("</svg>");
    let names = legend(stops, &placed);
    if !names.is_empty() {
        let _ = write!(
            svg,
            "<p class=\"map-legend\">图中编号：{}</p>",
            escape(&names.join("；"))
        );
    }
    svg
}

/// The route as one line through the stops in order (nothing for a single stop).
fn draw_path(svg: &mut String, placed: &[Placed]) {
    if placed.len() > 1 {
        let points: Vec<String> = placed
            .iter()
            .map(|p| format!("{:.1},{:.1}", p.x, p.y))
            .collect();
        let _ = write!(
            svg,
            "<polyline class=\"map-path\" points=\"{}\"/>",
            points.join(" ")
        );
    }
}

/// Each stop as a numbered circle, `current` highlighted, with its name where it fits.
fn draw_stops(svg: &mut String, stops: &[MapStop], placed: &[Placed], current: Option<usize>) {
    for (i, (stop, p)) in stops.iter().zip(placed).enumerate() {
        let class = if current == Some(i) {
            "map-stop current"
        } else {
            "map-stop"
        };
        let _ = write!(
            svg,
            "<g class=\"{class}\"><title>{}. {}</title>{}<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{RADIUS}\"/><text class=\"map-number\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" dominant-baseline=\"central\">{}</text>{}</g>",
            stop.number,
            escape(stop.name),
            p.label.map(|b| leader(p, &b)).unwrap_or_default(),
            p.x,
            p.y,
            p.x,
            p.y,
            stop.number,
            p.label.map(|b| label(stop, &b)).unwrap_or_default(),
        );
    }
}

/// A name in its box, drawn from the box's left edge on its middle line.
fn label(stop: &MapStop, b: &Box) -> String {
    format!(
        "<text class=\"map-label\" x=\"{:.1}\" y=\"{:.1}\" dominant-baseline=\"central\">{}</text>",
        b.left,
        (b.top + b.bottom) / 2.0,
        escape(&label_text(stop))
    )
}

/// A thin line from the marker's edge to a name placed away from it.
fn leader(p: &Placed, b: &Box) -> String {
    let cx = p.x.clamp(b.left, b.right);
    let cy = p.y.clamp(b.top, b.bottom);
    let (dx, dy) = (cx - p.x, cy - p.y);
    let distance = dx.hypot(dy);
    if distance < RADIUS + GAP + 8.0 {
        return String::new();
    }
    format!(
        "<line class=\"map-leader\" x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{cx:.1}\" y2=\"{cy:.1}\"/>",
        p.x + dx / distance * RADIUS,
        p.y + dy / distance * RADIUS
    )
}

/// A bar of a round distance (100 m … 50 km) about a sixth of the picture wide.
fn scale_bar(svg: &mut String, stops: &[MapStop], placed: &[Placed]) {
    let Some((a, b)) = (0..stops.len())
        .flat_map(|i| (i + 1..stops.len()).map(move |j| (i, j)))
        .max_by(|&(a, b), &(c, d)| {
            let d1 = (placed[a].x - placed[b].x).hypot(placed[a].y - placed[b].y);
            let d2 = (placed[c].x - placed[d].x).hypot(placed[c].y - placed[d].y);
            d1.total_cmp(&d2)
        })
    else {
        return;
    };
    let pixels = (placed[a].x - placed[b].x).hypot(placed[a].y - placed[b].y);
    let km = haversine_km((stops[a].lat, stops[a].lon), (stops[b].lat, stops[b].lon));
    if pixels < 1.0 || km <= 0.0 {
        return;
    }
    let want_km = km / pixels * (WIDTH / 6.0);
    let nice = [0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0]
        .into_iter()
        .rfind(|&n| n <= want_km)
        .unwrap_or(0.1);
    let length = nice / km * pixels;
    let label = if nice < 1.0 {
        format!("{} 米", (nice * 1000.0) as i64)
    } else {
        format!("{nice} 公里")
    };
    let (x, y) = (10.0, HEIGHT - 14.0);
    let _ = write!(
        svg,
        "<g class=\"map-scale\"><path d=\"M{x:.1} {:.1}V{y:.1}H{:.1}V{:.1}\"/><text x=\"{x:.1}\" y=\"{:.1}\">{label}</text></g>",
        y - 6.0,
        x + length,
        y - 6.0,
        y - 10.0
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stops() -> Vec<MapStop<'static>> {
        vec![
            MapStop {
                number: 1,
                name: "夏县未成年人法治教育中心",
                lat: 35.1405,
                lon: 111.2195,
            },
            MapStop {
                number: 2,
                name: "税务局法治宣传教育基地",
                lat: 35.1372,
                lon: 111.2268,
            },
            MapStop {
                number: 3,
                name: "大禹公园",
                lat: 35.1470,
                lon: 111.2130,
            },
            MapStop {
                number: 4,
                name: "司马温公祠",
                lat: 35.1998,
                lon: 111.1000,
            },
            MapStop {
                number: 5,
                name: "水头村",
                lat: 35.2070,
                lon: 111.1210,
            },
        ]
    }

    #[test]
    fn north_is_up_and_east_is_right() {
        let p = project(&stops());
        assert!(p[4].1 < p[0].1, "the northern stop is higher");
        assert!(p[1].0 > p[3].0, "the eastern stop is further right");
    }

    #[test]
    fn names_are_whole_inside_and_clear_of_markers_and_each_other() {
        let stops = stops();
        let placed = place(&stops);
        let markers: Vec<Box> = placed
            .iter()
            .map(|p| Box::around(p.x, p.y, RADIUS))
            .collect();
        let labels: Vec<Box> = placed.iter().filter_map(|p| p.label).collect();
        assert!(labels.len() >= 3, "most names fit: {placed:?}");
        for (i, b) in labels.iter().enumerate() {
            assert!(b.inside(), "label {i} leaves the picture: {b:?}");
            assert!(
                !markers.iter().any(|m| m.overlaps(b)),
                "label {i} covers a marker"
            );
            assert!(
                !labels[i + 1..].iter().any(|o| o.overlaps(b)),
                "label {i} overlaps another"
            );
        }
        let svg = route_map(&stops, None, "图", "说明");
        for stop in &stops {
            assert!(
                svg.contains(stop.name),
                "{} is on the map or in its legend, whole",
                stop.name
            );
        }
        assert!(!svg.contains('…'), "no name is cut");
    }

    #[test]
    fn a_name_that_fits_nowhere_goes_to_the_legend() {
        let crowded: Vec<MapStop> = (0..12)
            .map(|i| MapStop {
                number: i + 1,
                name: "一个名字非常非常长的法治宣传教育基地",
                lat: 35.0 + (i % 4) as f64 * 0.001,
                lon: 111.0 + (i / 4) as f64 * 0.001,
            })
            .collect();
        let placed = place(&crowded);
        let names = legend(&crowded, &placed);
        assert!(!names.is_empty());
        assert_eq!(
            names.len(),
            placed.iter().filter(|p| p.label.is_none()).count()
        );
        let svg = route_map(&crowded, None, "图", "说明");
        assert!(svg.contains("<p class=\"map-legend\">图中编号："), "{svg}");
    }

    #[test]
    fn markers_never_cover_each_other() {
        let placed = place(&stops());
        for i in 0..placed.len() {
            for j in i + 1..placed.len() {
                let d = (placed[i].x - placed[j].x).hypot(placed[i].y - placed[j].y);
                assert!(d >= 2.0 * RADIUS, "markers {i} and {j} overlap ({d:.1})");
            }
        }
    }

    #[test]
    fn the_svg_is_accessible_and_marks_the_current_stop() {
        let svg = route_map(&stops(), Some(2), "路线示意图", "五个站点");
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("<title id=\"map-title\">路线示意图</title>"));
        assert_eq!(svg.matches("class=\"map-stop current\"").count(), 1);
        assert!(svg.contains("示意图"));
        assert!(!svg.contains("style="), "colours come from CSS classes");
        let end = svg.find("</svg>").unwrap() + "</svg>".len();
        roxmltree::Document::parse(&svg[..end]).expect("well-formed SVG");
    }

    proptest::proptest! {
        #![proptest_config(crate::hostile::config(96))]

        /// Hostile stop names and titles, and any coordinates (one place, far apart), give a
        /// well-formed SVG with numbers for every coordinate.
        #[test]
        fn any_stops_give_a_well_formed_map(
            names in proptest::collection::vec(crate::hostile::text(30), 1..6),
            title in crate::hostile::text(30),
            lats in proptest::collection::vec(-89.0f64..89.0, 6),
            lons in proptest::collection::vec(-179.0f64..179.0, 6),
            same_place in proptest::bool::ANY,
        ) {
            let stops: Vec<MapStop> = names
                .iter()
                .enumerate()
                .map(|(i, name)| MapStop {
                    number: i + 1,
                    name,
                    lat: if same_place { lats[0] } else { lats[i] },
                    lon: if same_place { lons[0] } else { lons[i] },
                })
                .collect();
            let svg = route_map(&stops, Some(0), &title, &title);
            proptest::prop_assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
            // The drawing, and the legend of names that did not fit as HTML after it.
            let (drawing, legend) = svg.split_at(svg.find("</svg>").map_or(0, |e| e + "</svg>".len()));
            let parsed = roxmltree::Document::parse(drawing);
            proptest::prop_assert!(parsed.is_ok(), "{svg}: {parsed:?}");
            proptest::prop_assert!(!legend.contains("<script"), "{legend}");
        }
    }
}
