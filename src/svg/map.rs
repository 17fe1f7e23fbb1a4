//! The route's schematic map (示意图): stops projected with a local equirectangular projection
//! into a fixed `viewBox`, joined in order, numbered, labelled so no label runs off the picture.
//! No tiles and no borders: it shows order and rough distances, not geography.

use std::fmt::Write as _;

use super::{escape, text_width};
use crate::geo::haversine_km;

// Small enough that text stays legible when a 360 px phone shows the whole picture.
const WIDTH: f64 = 480.0;
const HEIGHT: f64 = 360.0;
const PAD: f64 = 30.0;
const FONT: f64 = 17.0;
const RADIUS: f64 = 13.0;
const LABEL_GAP: f64 = 21.0;
/// Longer names are cut on the map (the full name is in the list and the marker's tooltip).
const LABEL_CHARS: usize = 8;

/// A stop to draw.
pub struct MapStop<'a> {
    pub number: usize,
    pub name: &'a str,
    pub lat: f64,
    pub lon: f64,
}

/// Where a stop lands in the picture, and where its label goes.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub x: f64,
    pub y: f64,
    pub label_x: f64,
    pub label_y: f64,
    /// Labels right of the marker start at `label_x`; left of it, they end there.
    pub label_left: bool,
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
    let scale = ((WIDTH - 2.0 * PAD) * 0.66 / span_x).min((HEIGHT - 2.0 * PAD) / span_y);
    let off_x = (WIDTH - span_x * scale) / 2.0;
    let off_y = (HEIGHT - span_y * scale) / 2.0;
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
    (x.clamp(PAD, WIDTH - PAD), y.clamp(PAD, HEIGHT - PAD))
}

fn min_max(values: &[f64]) -> (f64, f64) {
    values
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(*v), hi.max(*v)))
}

/// Places markers and labels: each label beside its marker, on the side with room, then
/// labels on one side pushed apart vertically so they never overlap or leave the picture.
pub fn place(stops: &[MapStop]) -> Vec<Placed> {
    let points = separate(project(stops));
    let mut placed: Vec<Placed> = stops
        .iter()
        .zip(&points)
        .map(|(stop, &(x, y))| {
            let width = text_width(&label_text(stop), FONT);
            let label_left = x + RADIUS + 6.0 + width > WIDTH - 4.0;
            let label_x = if label_left {
                x - RADIUS - 6.0
            } else {
                x + RADIUS + 6.0
            };
            Placed {
                x,
                y,
                label_x,
                label_y: y + FONT * 0.35,
                label_left,
            }
        })
        .collect();
    for side in [false, true] {
        let mut on_side: Vec<usize> = (0..placed.len())
            .filter(|&i| placed[i].label_left == side)
            .collect();
        on_side.sort_by(|&a, &b| placed[a].label_y.total_cmp(&placed[b].label_y));
        spread(&mut placed, &on_side);
    }
    placed
}

/// Pushes label baselines apart by at least `LABEL_GAP`, keeping them inside the picture.
fn spread(placed: &mut [Placed], order: &[usize]) {
    let top = FONT + 2.0;
    let bottom = HEIGHT - 6.0;
    let mut previous = f64::MIN;
    for &i in order {
        let y = placed[i].label_y.max(previous + LABEL_GAP).max(top);
        placed[i].label_y = y;
        previous = y;
    }
    let mut next = f64::MAX;
    for &i in order.iter().rev() {
        let y = placed[i].label_y.min(next - LABEL_GAP).min(bottom);
        placed[i].label_y = y;
        next = y;
    }
}

fn label_text(stop: &MapStop) -> String {
    let short: String = stop.name.chars().take(LABEL_CHARS).collect();
    let cut = if stop.name.chars().count() > LABEL_CHARS {
        "…"
    } else {
        ""
    };
    format!("{}. {short}{cut}", stop.number)
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
    for (i, (stop, p)) in stops.iter().zip(&placed).enumerate() {
        let class = if current == Some(i) {
            "map-stop current"
        } else {
            "map-stop"
        };
        let anchor = if p.label_left { "end" } else { "start" };
        let label_mid = p.label_y - FONT * 0.35;
        let leader = if (label_mid - p.y).abs() > FONT * 0.6 {
            let edge = if p.label_left {
                p.label_x + 2.0
            } else {
                p.label_x - 2.0
            };
            format!(
                "<line class=\"map-leader\" x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{edge:.1}\" y2=\"{label_mid:.1}\"/>",
                p.x, p.y
            )
        } else {
            String::new()
        };
        let _ = write!(
            svg,
            "<g class=\"{class}\"><title>{}. {}</title>{leader}<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{RADIUS}\"/><text class=\"map-number\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\
<text class=\"map-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{}</text></g>",
            stop.number,
            escape(stop.name),
            p.x,
            p.y,
            p.x,
            p.y + FONT * 0.35,
            stop.number,
            p.label_x,
            p.label_y,
            escape(&label_text(stop))
        );
    }
    scale_bar(&mut svg, stops, &placed);
    let _ = write!(
        svg,
        "<text class=\"map-note\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">示意图 · 上北下南</text>",
        WIDTH - 8.0,
        HEIGHT - 10.0
    );
    svg.push_str("</svg>");
    svg
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
    fn labels_stay_inside_and_do_not_overlap() {
        let stops = stops();
        let placed = place(&stops);
        for (stop, p) in stops.iter().zip(&placed) {
            let width = text_width(&label_text(stop), FONT);
            let (left, right) = if p.label_left {
                (p.label_x - width, p.label_x)
            } else {
                (p.label_x, p.label_x + width)
            };
            assert!(
                left >= 0.0 && right <= WIDTH,
                "{} runs off: {left}..{right}",
                stop.name
            );
            assert!(
                p.label_y >= FONT && p.label_y <= HEIGHT,
                "{} y {}",
                stop.name,
                p.label_y
            );
        }
        for i in 0..placed.len() {
            for j in i + 1..placed.len() {
                if placed[i].label_left == placed[j].label_left {
                    assert!(
                        (placed[i].label_y - placed[j].label_y).abs() >= LABEL_GAP - 1e-9,
                        "labels {i} and {j} overlap"
                    );
                }
            }
        }
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
        roxmltree::Document::parse(&svg).expect("well-formed SVG");
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
            let parsed = roxmltree::Document::parse(&svg);
            proptest::prop_assert!(parsed.is_ok(), "{svg}: {parsed:?}");
        }
    }
}
