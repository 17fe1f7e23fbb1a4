//! The `route` kind, built by the real binary from `tests/fixtures/routes`.

mod common;

use common::{Site, decode_qr, svg_in};

fn built() -> Site {
    let site = Site::copy_of("fixtures/routes");
    site.build(&[]).assert_ok();
    site
}

fn geojson(site: &Site, path: &str) -> serde_json::Value {
    serde_json::from_str(&site.read(path)).expect("GeoJSON is JSON")
}

#[test]
fn distances_match_known_values() {
    let site = built();
    let json = geojson(&site, "walk/route.geojson");
    let distance =
        |i: usize| json["features"][i]["properties"]["distance_from_previous_m"].as_f64();
    assert_eq!(distance(0), None, "the first stop has no previous stop");
    // 0.01° of latitude is 1,112 m; 0.01° of longitude at 35°N is 911 m.
    let within = |got: f64, want: f64| (got - want).abs() / want < 0.01;
    assert!(within(distance(1).unwrap(), 1112.0), "{:?}", distance(1));
    assert!(within(distance(2).unwrap(), 911.0), "{:?}", distance(2));
    let page = site.read("walk/index.html");
    assert!(
        page.contains("距上一站约 1.1 公里"),
        "leg shown on the route page"
    );
    assert!(page.contains("距上一站约 910 米"));
    assert!(page.contains("全程直线距离约 2.0 公里"), "total");
    assert!(
        page.contains("步行约 27 分钟"),
        "walking time for walking: true (2.02 km at 4.5 km/h)"
    );
}

#[test]
fn the_route_page_lists_stops_in_order_and_draws_them() {
    let site = built();
    let page = site.read("walk/index.html");
    let first = page.find("第 1 站：起点广场").unwrap();
    let second = page.find("第 2 站：北边公园").unwrap();
    let third = page.find("第 3 站：东北角").unwrap();
    assert!(first < second && second < third);
    let svg = svg_in(&page, "route-map");
    let doc = roxmltree::Document::parse(&svg).expect("the map is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.attribute("role"), Some("img"));
    assert!(doc.descendants().any(|n| n.has_tag_name("title")));
    assert!(doc.descendants().any(|n| n.has_tag_name("desc")));
    assert!(svg.contains("示意图"));
    let markers: Vec<String> = doc
        .descendants()
        .filter(|n| {
            n.attribute("class")
                .is_some_and(|c| c.starts_with("map-stop"))
        })
        .map(|g| {
            g.descendants()
                .find(|t| t.attribute("class") == Some("map-number"))
                .unwrap()
                .text()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        markers,
        ["1", "2", "3"],
        "one numbered marker per stop, in order"
    );
    assert!(
        doc.descendants().any(|n| n.has_tag_name("polyline")),
        "the path joins the stops"
    );
    assert_eq!(
        svg.matches("http").count(),
        1,
        "only the SVG namespace: no tiles or other hosts"
    );
    assert!(
        !svg.contains("<image") && !svg.contains("href"),
        "no images or links to fetch"
    );
    assert!(!svg.contains("style="), "colours come from theme classes");
}

#[test]
fn geojson_has_points_in_lon_lat_order_and_the_line() {
    let site = built();
    let json = geojson(&site, "walk/route.geojson");
    assert_eq!(json["type"], "FeatureCollection");
    let features = json["features"].as_array().unwrap();
    assert_eq!(features.len(), 4, "three points and one line");
    assert_eq!(features[0]["geometry"]["type"], "Point");
    assert_eq!(
        features[0]["geometry"]["coordinates"],
        serde_json::json!([111.0, 35.0]),
        "[lon, lat]"
    );
    assert_eq!(features[0]["properties"]["name"], "起点广场");
    assert_eq!(
        features[0]["properties"]["url"],
        "https://sfj.example.gov.cn/sfj/walk/a-start/"
    );
    assert_eq!(features[3]["geometry"]["type"], "LineString");
    assert_eq!(
        features[3]["geometry"]["coordinates"],
        serde_json::json!([[111.0, 35.0], [111.0, 35.01], [111.01, 35.01]])
    );
}

#[test]
fn qr_codes_decode_to_each_stops_absolute_url() {
    let site = built();
    for stop in ["a-start", "b-north", "c-east"] {
        let url = format!("https://sfj.example.gov.cn/sfj/walk/{stop}/");
        assert_eq!(decode_qr(&site.read(&format!("walk/{stop}/qr.svg"))), url);
        let sign = site.read(&format!("walk/{stop}/sign/index.html"));
        assert_eq!(decode_qr(&svg_in(&sign, "qr")), url, "the sign's QR code");
        assert!(sign.contains(&url), "the URL is written out on the sign");
        assert!(sign.contains("12348"));
    }
    let sign = site.read("walk/b-north/sign/index.html");
    assert!(
        sign.contains("第 2 站") && sign.contains("北边公园") && sign.contains("下一站：东北角")
    );
    assert!(
        site.read("walk/c-east/sign/index.html")
            .contains("本站为线路终点")
    );
}

#[test]
fn stop_pages_link_neighbours_map_apps_and_highlight_themselves() {
    let site = built();
    let page = site.read("walk/b-north/index.html");
    assert!(page.contains("href=\"/sfj/walk/a-start/\">上一站：起点广场"));
    assert!(page.contains("href=\"/sfj/walk/c-east/\">下一站：东北角"));
    assert!(
        page.contains("href=\"geo:35.01,111?q=35.01,111("),
        "geo: URI"
    );
    assert!(
        page.contains("uri.amap.com/marker?position=111,35.01&amp;"),
        "Amap with lon,lat"
    );
    assert!(page.contains("coordinate=wgs84"));
    assert!(page.contains("openstreetmap.org/?mlat=35.01&amp;mlon=111"));
    assert!(page.contains("href=\"/sfj/walk/b-north/sign/\""));
    let svg = svg_in(&page, "route-map");
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let current: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("map-stop current"))
        .collect();
    assert_eq!(current.len(), 1);
    assert!(
        current[0].descendants().any(|t| t.text() == Some("2")),
        "stop 2 is highlighted"
    );
    let first = site.read("walk/a-start/index.html");
    assert!(
        first.contains("起点路1号（示例）")
            && first.contains("宪法合影")
            && first.contains("谜语竞猜")
    );
}

#[test]
fn several_routes_are_independent() {
    let site = built();
    let other = geojson(&site, "loop/route.geojson");
    assert_eq!(other["features"].as_array().unwrap().len(), 3);
    assert_eq!(
        other["features"][0]["properties"]["name"], "第二线路甲站",
        "order 10 before order 20"
    );
    assert_eq!(
        other["features"][0]["properties"]["number"], 1,
        "numbering restarts per route"
    );
    assert!(
        site.read("loop/index.html")
            .contains("第 2 站：第二线路乙站")
    );
    assert!(!site.read("loop/index.html").contains("起点广场"));
}

#[test]
fn a_stop_far_from_the_others_warns_about_swapped_coordinates() {
    let site = Site::copy_of("fixtures/routes");
    site.write(
        "content/walk/d-swapped.md",
        "---\ntitle: 坐标写反\norder: 4\nlocation: { lat: 111.0, lon: 35.0 }\n---\n",
    );
    // lat 111 is out of range: an error, not a warning.
    site.build(&[]).assert_fails_with(
        1,
        &[
            "content/walk/d-swapped.md:4:18",
            "latitude (lat) 111 is outside",
        ],
    );
    site.write(
        "content/walk/d-swapped.md",
        "---\ntitle: 坐标写反\norder: 4\nlocation: { lat: 35.0, lon: 35.0 }\n---\n",
    );
    let run = site.build(&[]);
    run.assert_ok();
    assert!(run.stderr.contains("warning[far-stop]"), "{}", run.stderr);
    assert!(
        run.stderr.contains("content/walk/d-swapped.md:4:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("swapped"), "{}", run.stderr);
}

#[test]
fn an_example_or_local_base_url_warns_in_build_and_check_when_signs_are_printed() {
    let site = Site::copy_of("fixtures/routes");
    let warning = "warning[placeholder-base-url]: base_url `https://sfj.example.gov.cn/sfj/` is an example or local address";
    let run = site.build(&[]);
    run.assert_ok();
    assert!(run.stderr.contains(warning), "{}", run.stderr);
    assert!(run.stderr.contains("printed signs would point nowhere"));
    assert!(
        run.stderr.contains("content/site.yaml:2:11"),
        "{}",
        run.stderr
    );
    let check = common::pufa(&["check", "--root", site.root().to_str().unwrap()]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stdout.contains(warning) || check.stderr.contains(warning),
        "check warns too: {}{}",
        check.stdout,
        check.stderr
    );
    let local = site.build(&["--base-url", "http://127.0.0.1:8080/sfj/"]);
    assert!(
        local
            .stderr
            .contains("base_url `http://127.0.0.1:8080/sfj/` is an example or local address"),
        "{}",
        local.stderr
    );
    let real = site.build(&["--base-url", "https://www.county.gov.cn/sfj/"]);
    real.assert_ok();
    assert!(
        !real.stderr.contains("placeholder-base-url"),
        "{}",
        real.stderr
    );
}

#[test]
fn an_example_base_url_is_no_warning_for_a_site_without_signs() {
    let site = Site::new();
    site.write("content/_index.md", "---\ntitle: 首页\n---\n");
    let run = site.build(&[]);
    run.assert_ok();
    assert!(
        !run.stderr.contains("placeholder-base-url"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_signs_address_may_break_only_after_a_slash_or_a_hyphen() {
    let site = built();
    let html = site.read("walk/a-start/sign/index.html");
    let open = "<p class=\"sign-url\">";
    let start = html.find(open).expect("the sign's address") + open.len();
    let text = &html[start..start + html[start..].find("</p>").unwrap()];
    let parts: Vec<&str> = text.split("<wbr>").collect();
    assert!(parts.len() > 3, "{text}");
    for part in &parts[..parts.len() - 1] {
        assert!(
            part.ends_with('/') || part.ends_with('-'),
            "a break after `{part}`"
        );
    }
    assert_eq!(
        parts.concat(),
        "https://sfj.example.gov.cn/sfj/walk/a-start/"
    );
}

/// A label's or marker's rectangle in the map's user units.
#[derive(Debug, Clone, Copy)]
struct Rect {
    left: f64,
    top: f64,
    right: f64,
    bottom: f64,
}

impl Rect {
    fn overlaps(&self, o: &Rect) -> bool {
        self.left < o.right && o.left < self.right && self.top < o.bottom && o.top < self.bottom
    }
}

/// The size the theme draws map names at in 大 mode, its largest (`.map-label` 25 units).
const LARGEST_LABEL: f64 = 25.0;

/// Width of a name at `font`, counting CJK and full-width characters as 1 em and the rest as
/// 0.6 em — generous for the digits, dot and space of `3. `.
fn width_of(text: &str, font: f64) -> f64 {
    text.chars()
        .map(|c| if (c as u32) >= 0x2E80 { 1.0 } else { 0.6 })
        .sum::<f64>()
        * font
}

fn number(node: roxmltree::Node, name: &str) -> f64 {
    node.attribute(name)
        .unwrap_or_else(|| panic!("no {name}"))
        .parse()
        .unwrap()
}

/// The box of every stop's circle.
fn marker_boxes(doc: &roxmltree::Document) -> Vec<Rect> {
    doc.descendants()
        .filter(|n| n.has_tag_name("circle"))
        .map(|c| {
            let (x, y, r) = (number(c, "cx"), number(c, "cy"), number(c, "r"));
            Rect {
                left: x - r,
                top: y - r,
                right: x + r,
                bottom: y + r,
            }
        })
        .collect()
}

/// Each name on the map with the box it takes at the largest label size; names must start at
/// their `x` and be centred on their `y`.
fn label_boxes(doc: &roxmltree::Document, page: &str) -> Vec<(String, Rect)> {
    doc.descendants()
        .filter(|n| n.attribute("class") == Some("map-label"))
        .map(|t| {
            let text = t.text().unwrap_or_default().to_string();
            let (x, y) = (number(t, "x"), number(t, "y"));
            assert_eq!(t.attribute("dominant-baseline"), Some("central"), "{page}");
            assert!(
                t.attribute("text-anchor").is_none_or(|a| a == "start"),
                "{page}"
            );
            let half = LARGEST_LABEL * 0.6;
            (
                text.clone(),
                Rect {
                    left: x,
                    top: y - half,
                    right: x + width_of(&text, LARGEST_LABEL),
                    bottom: y + half,
                },
            )
        })
        .collect()
}

/// Every map's names: whole, inside the picture and clear of each other and of every marker.
fn check_map_labels(html: &str, page: &str) -> usize {
    let svg = common::svg_in(html, "route-map");
    let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    let root = doc.root_element();
    let view: Vec<f64> = root
        .attribute("viewBox")
        .unwrap()
        .split(' ')
        .map(|v| v.parse().unwrap())
        .collect();
    let markers = marker_boxes(&doc);
    let labels = label_boxes(&doc, page);
    for (i, (text, r)) in labels.iter().enumerate() {
        assert!(!text.contains('…'), "{page}: `{text}` is cut");
        assert!(
            r.left >= view[0] && r.top >= view[1] && r.right <= view[2] && r.bottom <= view[3],
            "{page}: `{text}` leaves the picture: {r:?}"
        );
        for m in &markers {
            assert!(!r.overlaps(m), "{page}: `{text}` covers a marker {m:?}");
        }
        for (other, o) in &labels[i + 1..] {
            assert!(!r.overlaps(o), "{page}: `{text}` overlaps `{other}`");
        }
    }
    for (i, a) in markers.iter().enumerate() {
        for b in &markers[i + 1..] {
            assert!(
                !a.overlaps(b) || (a.left - b.left).abs() + (a.top - b.top).abs() > 20.0,
                "{page}: markers too close to tell apart"
            );
        }
    }
    let legend = html.contains("<p class=\"map-legend\">图中编号：");
    let stops = markers.len();
    assert!(
        labels.len() == stops || legend,
        "{page}: {} of {stops} names on the map and no legend",
        labels.len()
    );
    labels.len()
}

#[test]
fn map_names_are_whole_inside_and_clear_of_each_other_on_every_route_map() {
    let fixture = built();
    let mut checked = 0;
    for page in [
        "walk/index.html",
        "walk/a-start/index.html",
        "loop/index.html",
    ] {
        check_map_labels(&fixture.read(page), page);
        checked += 1;
    }
    let out = tempfile::tempdir().unwrap();
    common::pufa(&[
        "build",
        "--root",
        env!("CARGO_MANIFEST_DIR"),
        "--out",
        out.path().to_str().unwrap(),
    ])
    .assert_ok();
    let mut placed = 0;
    for page in [
        "route/index.html",
        "route/03-dayu-park/index.html",
        "index.html",
    ] {
        let html = std::fs::read_to_string(out.path().join(page)).unwrap();
        placed += check_map_labels(&html, page);
        checked += 1;
    }
    assert_eq!(checked, 6);
    assert!(
        placed >= 2,
        "the sample's maps name some stops on the picture itself"
    );
}
