//! `kind: coverage` built by the real binary: distances and times against hand-computed
//! values, the nearest of two close points, the CSV read back with an independent parser and
//! compared with the page, hostile names escaped, and the editor's warnings (also in
//! `check --format json`) for the sample site's uncovered villages.

mod common;

use std::collections::HashMap;

use common::{Site, pufa, snapshot};

fn built() -> (Site, common::Run) {
    let site = Site::copy_of("fixtures/coverage");
    let run = site.build(&[]);
    run.assert_ok();
    (site, run)
}

/// The page's row of each place: (name, [(point name, distance text, minutes)]), by anchor.
struct PageRow {
    name: String,
    points: Vec<(String, String, u64)>,
    counsels: String,
}

fn page_rows(html: &str) -> Vec<PageRow> {
    html.split("<tr id=\"p-")
        .skip(1)
        .map(|row| {
            let row = &row[..row.find("</tr>").unwrap()];
            let name = between(row, "<span class=\"entry-name\">", "<");
            let points = row
                .split("<span class=\"cov-point-name\">")
                .skip(1)
                .map(|p| {
                    let name = strip_tags(&p[..p.find("</span>").unwrap()]);
                    let distance = between(p, "<span class=\"cov-distance\">", "</span>");
                    let (text, minutes) = distance.split_once("，约 ").unwrap();
                    let minutes = minutes.trim_end_matches(" 分钟").parse().unwrap();
                    (name, text.to_string(), minutes)
                })
                .collect();
            let counsels = strip_tags(between(row, "data-label=\"法律顾问\">", "</td>"));
            PageRow {
                name: name.to_string(),
                points,
                counsels,
            }
        })
        .collect()
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let at = text
        .find(start)
        .unwrap_or_else(|| panic!("{start} missing"))
        + start.len();
    &text[at..at + text[at..].find(end).unwrap()]
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in html.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// The distance a page shows, in km: `5.6 公里` or `60 米`.
fn page_km(text: &str) -> f64 {
    if let Some(m) = text.strip_suffix(" 米") {
        m.parse::<f64>().unwrap() / 1000.0
    } else {
        text.strip_suffix(" 公里").unwrap().parse().unwrap()
    }
}

fn csv_rows(bytes: &str) -> Vec<HashMap<String, String>> {
    let text = bytes.trim_start_matches('\u{feff}');
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .map(String::from)
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect()
}

#[test]
fn distances_and_times_match_hand_computed_values() {
    let (site, _) = built();
    let html = site.read("coverage/index.html");
    let rows = page_rows(&html);
    let row = |name: &str| rows.iter().find(|r| r.name == name).unwrap();
    let csv = csv_rows(&site.read("coverage/coverage.csv"));
    let csv_row = |name: &str| csv.iter().find(|r| r["村（社区）"] == name).unwrap();
    // 北村 is 0.05° of meridian north of 甲司法所: 0.05 × π/180 × 6371.0 km = 5.560 km,
    // 22.2 minutes at 15 km/h, shown rounded up.
    let north = csv_row("北村");
    let km: f64 = north["到司法所距离（公里）"].parse().unwrap();
    assert!((km - 5.560).abs() / 5.560 < 0.01, "{km}");
    assert_eq!(north["到司法所时间（分钟）"], "23");
    assert_eq!(north["是否在30分钟服务圈内"], "是");
    assert_eq!(
        row("北村").points[0],
        ("甲司法所".into(), "5.6 公里".into(), 23)
    );
    // 东村 is 0.1° of longitude east at 35°N: 0.1 × cos 35° × 111.195 km = 9.109 km,
    // 36.4 minutes: outside the 30-minute circle.
    let east = csv_row("东村");
    let km: f64 = east["到司法所距离（公里）"].parse().unwrap();
    assert!((km - 9.109).abs() / 9.109 < 0.01, "{km}");
    assert_eq!(east["到司法所时间（分钟）"], "37");
    assert_eq!(east["是否在30分钟服务圈内"], "否");
    assert!(
        html.contains("全县 4 个村（社区）中 3 个在半小时服务圈内"),
        "headline"
    );
}

#[test]
fn of_two_close_points_the_nearer_is_found() {
    let (site, _) = built();
    let csv = csv_rows(&site.read("coverage/coverage.csv"));
    let near = csv.iter().find(|r| r["村（社区）"] == "近村").unwrap();
    // 乙司法所 is 56 m south of 近村, 丙司法所 67 m north; 乙法律服务站 44 m north.
    assert_eq!(near["最近的司法所"], "乙司法所");
    assert_eq!(near["到司法所距离（公里）"], "0.06");
    assert_eq!(near["最近的法律服务站"], "乙法律服务站");
    assert_eq!(near["到法律服务站距离（公里）"], "0.04");
}

#[test]
fn the_csv_reads_back_with_the_numbers_of_the_page() {
    let (site, _) = built();
    let rows = page_rows(&site.read("coverage/index.html"));
    let csv = csv_rows(&site.read("coverage/coverage.csv"));
    assert_eq!(rows.len(), csv.len());
    for row in &rows {
        let name = row.name.replace("&lt;", "<").replace("&gt;", ">");
        let line = csv
            .iter()
            .find(|r| r["村（社区）"].trim_start_matches('\'') == name)
            .unwrap_or_else(|| panic!("{name} not in the CSV"));
        for ((point, distance, minutes), role) in row.points.iter().zip(["司法所", "法律服务站"])
        {
            assert_eq!(&line[&format!("最近的{role}")], point, "{name}");
            assert_eq!(
                line[&format!("到{role}时间（分钟）")],
                minutes.to_string(),
                "{name}"
            );
            let km: f64 = line[&format!("到{role}距离（公里）")].parse().unwrap();
            let shown = page_km(distance);
            let precision = if distance.ends_with(" 米") {
                0.0051
            } else {
                0.051
            };
            assert!(
                (km - shown).abs() <= precision,
                "{name}: CSV {km}, page {distance}"
            );
        }
        let counsels = line["法律顾问"].replace('、', " ");
        for name in counsels.split_whitespace() {
            assert!(row.counsels.contains(name), "{name} on the page");
        }
    }
}

#[test]
fn hostile_names_are_escaped_and_private_phones_stay_out() {
    let (site, _) = built();
    let html = site.read("coverage/index.html");
    assert!(html.contains("=SUM(1)&lt;b&gt;村"));
    assert!(!html.contains("<b>村"));
    let svg = common::svg_in(&html, "coverage-map");
    let doc = roxmltree::Document::parse(&svg).expect("the map parses with a hostile name");
    assert!(
        doc.descendants()
            .any(|n| n.text() == Some("=SUM(1)<b>村：在服务圈内"))
    );
    let csv = site.read("coverage/coverage.csv");
    assert!(
        csv.contains("\r\n乙镇,'=SUM(1)<b>村,"),
        "formula guarded: {csv}"
    );
    // 李顾问 serves 近村 with a private mobile: named, never dialled.
    assert!(html.contains("李顾问"));
    for (path, bytes) in snapshot(&site.public()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("13800000102"), "{path}");
    }
    // The township page lists only its own places.
    let township = site.read("coverage/yi-zhen/index.html");
    assert!(township.contains("近村") && !township.contains("北村"));
}

#[test]
fn the_editor_is_warned_where_the_promise_is_broken() {
    let (_, run) = built();
    for needle in [
        "warning[no-counsel]: no village counsel (村（居）法律顾问) serves 东村（甲镇）",
        "content/coverage/places.yaml:4:5",
        "warning[outside-circle]: 东村 is outside the 30-minute circle: the nearest service point, 甲司法所, is 9.1 km away, about 37 minutes",
        "warning[no-location]: 丁法律服务站 (法律服务站) has no `location`",
        "content/directory/offices.yaml:25:9",
        "warning[unknown-place]: `北材` is not a village or community of the places list",
        "did you mean `北村`?",
    ] {
        assert!(
            run.stderr.contains(needle),
            "{needle} missing:\n{}",
            run.stderr
        );
    }
    assert!(!run.stderr.contains("serves 北村"), "北村 has a counsel");
}

#[test]
fn the_sample_sites_uncovered_village_is_reported_in_check_json() {
    let root = env!("CARGO_MANIFEST_DIR");
    let run = pufa(&["check", "--root", root, "--format", "json"]);
    let found: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let codes: Vec<(String, String)> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let has = |code: &str, text: &str| codes.iter().any(|(c, m)| c == code && m.contains(text));
    assert!(has("no-counsel", "后河村（祁家河乡）"), "{codes:?}");
    assert!(has("outside-circle", "后河村"), "{codes:?}");
    assert!(!has("no-counsel", "水头村"), "{codes:?}");
    let outside = codes.iter().filter(|(c, _)| c == "outside-circle").count();
    assert!(
        (1..10).contains(&outside),
        "a real mix of reached and unreached: {outside}"
    );
}

/// A label's box as the map reserves it: 22 units a CJK character (the 大 size), 0.6 em
/// otherwise, 1.2 em high, centred on its `y`.
fn label_box(x: f64, y: f64, text: &str) -> [f64; 4] {
    let font = 22.0;
    let width: f64 = text
        .chars()
        .map(|c| if c.is_ascii() { 0.6 } else { 1.0 })
        .sum::<f64>()
        * font;
    [x, y - 0.6 * font, x + width, y + 0.6 * font]
}

fn overlap(a: &[f64; 4], b: &[f64; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// The sample site's coverage page, built into a fresh folder.
fn sample_coverage_page() -> String {
    let out = tempfile::tempdir().unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    pufa(&[
        "build",
        "--root",
        root,
        "--out",
        out.path().to_str().unwrap(),
    ])
    .assert_ok();
    std::fs::read_to_string(out.path().join("coverage/index.html")).unwrap()
}

fn class(n: &roxmltree::Node) -> String {
    n.attribute("class").unwrap_or("").to_string()
}

fn num(n: &roxmltree::Node, a: &str) -> f64 {
    n.attribute(a).unwrap().parse().unwrap()
}

/// One mark per place of the table; outside the circle a triangle (path), inside a circle:
/// shape, not only colour.
fn assert_place_marks(doc: &roxmltree::Document, html: &str) {
    let places: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| class(n).split(' ').any(|c| c == "cov-place"))
        .collect();
    let rows = page_rows(html);
    assert_eq!(places.len(), rows.len(), "one mark per place");
    assert_eq!(places.len(), 31);
    let outside: Vec<_> = places
        .iter()
        .filter(|n| class(n).contains("cov-out"))
        .collect();
    assert_eq!(
        outside.len(),
        html.matches("<span class=\"cov-status cov-out\">").count()
    );
    assert!(!outside.is_empty());
    for n in &places {
        let shape = n
            .children()
            .find(|c| c.is_element() && c.tag_name().name() != "title")
            .unwrap();
        let want = if class(n).contains("cov-out") {
            "path"
        } else {
            "circle"
        };
        assert_eq!(shape.tag_name().name(), want);
    }
}

/// Most names are drawn, each inside the picture, over no other name and no mark.
fn assert_labels_clear(doc: &roxmltree::Document) {
    let view: Vec<f64> = doc
        .root_element()
        .attribute("viewBox")
        .unwrap()
        .split(' ')
        .map(|v| v.parse().unwrap())
        .collect();
    let labels: Vec<[f64; 4]> = doc
        .descendants()
        .filter(|n| class(n) == "map-label")
        .map(|n| label_box(num(&n, "x"), num(&n, "y"), n.text().unwrap_or("")))
        .collect();
    assert!(labels.len() >= 10, "most names fit: {}", labels.len());
    let marks: Vec<[f64; 4]> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "circle" && n.attribute("r") == Some("6"))
        .map(|n| {
            let (x, y) = (num(&n, "cx"), num(&n, "cy"));
            [x - 6.0, y - 6.0, x + 6.0, y + 6.0]
        })
        .collect();
    assert!(marks.len() > 20, "{}", marks.len());
    for (i, a) in labels.iter().enumerate() {
        assert!(
            a[0] >= 0.0 && a[1] >= 0.0 && a[2] <= view[2] && a[3] <= view[3],
            "label {i} inside: {a:?}"
        );
        for b in &labels[i + 1..] {
            assert!(!overlap(a, b), "labels overlap: {a:?} {b:?}");
        }
        for m in &marks {
            assert!(!overlap(a, m), "label {a:?} covers a mark {m:?}");
        }
    }
}

#[test]
fn the_map_has_one_mark_per_place_and_labels_that_never_overlap() {
    let html = sample_coverage_page();
    let svg = common::svg_in(&html, "coverage-map");
    let doc = roxmltree::Document::parse(&svg).expect("the map is well-formed XML");
    assert_place_marks(&doc, &html);
    assert_labels_clear(&doc);
    assert!(
        svg.contains("示意图") && svg.contains("公里</text>"),
        "note and scale bar"
    );
}

#[test]
fn each_place_is_found_by_the_real_search_script() {
    let (site, _) = built();
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/coverage/search.test.js");
    let output = std::process::Command::new("node")
        .arg("--test")
        .arg(script)
        .env("PUFA_SITE", site.public())
        .output()
        .expect("Node.js runs the search script (install nodejs)");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        report.contains("# pass 2") && report.contains("# fail 0"),
        "{report}"
    );
}
