//! The `reports` kind built by the real binary: a published report's disclosure metadata, its
//! contents, its checked figures, its charts (with the same numbers as tables), the year
//! archives and the reports feed.

mod common;

use common::Site;

const REPORT: &str = "content/reports/2024-annual.md";

fn built() -> (Site, common::Run) {
    let site = Site::copy_of("fixtures/reports");
    let run = site.build(&[]);
    run.assert_ok();
    (site, run)
}

/// The text between `start` (included) and the next `end` after it (included).
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("{start} missing"));
    let to = text[from..]
        .find(end)
        .unwrap_or_else(|| panic!("{end} missing"));
    &text[from..from + to + end.len()]
}

/// Every `<tag …>…</tag>` element of `html`, in order.
fn elements<'a>(html: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(from) = rest.find(open) {
        let to = rest[from..].find(close).expect("closed") + from + close.len();
        found.push(&rest[from..to]);
        rest = &rest[to..];
    }
    found
}

/// The values of `attr="…"` in `html`, in order.
fn attributes<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!("{attr}=\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            &rest[..rest.find('"').expect("closing quote")]
        })
        .collect()
}

#[test]
fn the_report_page_carries_the_disclosure_metadata() {
    let (site, _) = built();
    let html = site.read("reports/2024-annual/index.html");
    let table = between(&html, "<table class=\"disclosure\">", "</table>");
    for (name, value) in [
        ("索引号", "CESHI0001/2025-00001"),
        ("主题分类", "法治政府建设"),
        ("发布机构", "测试县司法局"),
        ("成文日期", "2024年12月31日"),
        ("文号", "测司发〔2025〕1号"),
        ("发布日期", "2025年2月19日"),
        ("信息来源", "测试县人民政府"),
    ] {
        let row = format!("<th scope=\"row\">{name}</th><td>{value}</td>");
        assert!(table.contains(&row), "{row} missing from\n{table}");
    }
    assert!(html.contains("<meta name=\"ContentSource\" content=\"测试县人民政府\">"));
    assert!(html.contains("<meta name=\"PubDate\" content=\"2025-02-19\">"));
    assert_eq!(html.matches("<h1").count(), 1);
    assert!(!html.contains("style="), "no inline styles (CSP)");
    assert!(
        elements(&html, "<script", "</script>")
            .iter()
            .all(|s| s.contains(" src=\"")),
        "no inline scripts (CSP)"
    );
}

#[test]
fn key_figures_show_each_stat_as_the_document_gives_it() {
    let (site, _) = built();
    let html = site.read("reports/2024-annual/index.html");
    let figures = between(&html, "<section class=\"key-figures\"", "</section>");
    for (label, value, unit) in [
        ("受理矛盾纠纷", "656", "件"),
        ("调解成功率", "98", "%"),
        ("法律援助案件", "344", "件"),
        ("法律援助经费", "1,234,567", "元"),
    ] {
        let shown = format!(
            "<dt>{label}</dt><dd><span class=\"figure-value\">{value}</span><span class=\"figure-unit\">{unit}</span></dd>"
        );
        assert!(figures.contains(&shown), "{shown}");
    }
    assert!(
        !html.contains("95.7"),
        "the stated figure is shown, not ours"
    );
}

#[test]
fn the_table_of_contents_nests_keeps_numbering_and_links_to_heading_ids() {
    let (site, _) = built();
    let html = site.read("reports/2024-annual/index.html");
    let toc = between(&html, "<nav class=\"toc\"", "</nav>");
    let targets = attributes(toc, "href");
    assert_eq!(targets.len(), 6, "{toc}");
    for target in &targets {
        let id = target.strip_prefix('#').expect("an in-page link");
        assert!(
            html.contains(&format!(" id=\"{id}\">")),
            "no heading with id {id}"
        );
    }
    for title in [
        ">一、主要举措和成效</a>",
        ">（一）统筹依法治县</a>",
        ">1.强化组织领导</a>",
        ">二、存在的问题和不足</a>",
    ] {
        assert!(toc.contains(title), "{title} kept with its numbering");
    }
    let first = between(toc, "一、主要举措和成效", "二、存在的问题和不足");
    assert_eq!(first.matches("<ol>").count(), 2, "two levels under 一、");
    assert!(html.contains("<h4 id=\"1强化组织领导\">1.强化组织领导</h4>"));
}

/// A chart as drawn: its title, and each bar's label, length and value text.
struct Drawn {
    title: String,
    bars: Vec<(String, f64, String)>,
}

fn drawn(svg: &str) -> Drawn {
    let doc = roxmltree::Document::parse(svg).expect("the chart is well-formed SVG");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("role"), Some("img"));
    let title = root
        .children()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text())
        .expect("a <title>")
        .to_string();
    let bars = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("chart-row"))
        .map(|row| {
            let class = |c: &str| {
                row.children()
                    .find(|n| n.attribute("class") == Some(c))
                    .unwrap_or_else(|| panic!("{c} in a row"))
            };
            let tooltip = row.children().find(|n| n.has_tag_name("title")).unwrap();
            let label = tooltip.text().unwrap().split('：').next().unwrap();
            let width: f64 = class("chart-bar")
                .attribute("width")
                .unwrap()
                .parse()
                .unwrap();
            let value = class("chart-value").text().unwrap();
            (label.to_string(), width, value.to_string())
        })
        .collect();
    Drawn { title, bars }
}

#[test]
fn each_chart_is_svg_with_one_proportional_bar_per_entry_and_the_same_numbers_as_a_table() {
    let (site, _) = built();
    let html = site.read("reports/2024-annual/index.html");
    let figures = elements(&html, "<figure class=\"chart-figure\"", "</figure>");
    assert_eq!(figures.len(), 3);
    let expected: [(&str, &[(&str, f64)]); 3] = [
        (
            "人民调解（单位：件）",
            &[("受理矛盾纠纷", 656.0), ("调解成功", 628.0)],
        ),
        (
            "法律援助案件类型（单位：件）",
            &[
                ("刑事案件", 191.0),
                ("民事案件", 151.0),
                ("行政案件", 2.0),
                ("通过调解等方式化解的行政争议案件数量统计", 0.0),
            ],
        ),
        ("经费（单位：元）", &[("法律援助经费", 1_234_567.0)]),
    ];
    for (figure, (title, entries)) in figures.iter().zip(expected) {
        let chart = drawn(between(figure, "<svg", "</svg>"));
        assert_eq!(chart.title, title);
        assert_eq!(chart.bars.len(), entries.len(), "one bar per entry");
        let scale = chart.bars[0].1 / entries[0].1;
        for ((label, width, _), (want_label, value)) in chart.bars.iter().zip(entries) {
            assert_eq!(label, want_label);
            assert!(
                (width - value * scale).abs() < 0.02,
                "{label}: length {width} is not proportional to {value}"
            );
        }
        let table = between(figure, "<table class=\"chart-table\">", "</table>");
        let doc = roxmltree::Document::parse(table).expect("the data table is well-formed");
        let rows: Vec<(String, String)> = doc
            .descendants()
            .filter(|n| n.has_tag_name("tr"))
            .skip(1)
            .map(|tr| {
                let cells: Vec<&str> = tr
                    .children()
                    .filter(|n| n.is_element())
                    .map(|n| n.text().unwrap_or(""))
                    .collect();
                (cells[0].to_string(), cells[1].to_string())
            })
            .collect();
        let in_chart: Vec<(String, String)> = chart
            .bars
            .iter()
            .map(|(label, _, value)| (label.clone(), value.clone()))
            .collect();
        assert_eq!(rows, in_chart, "the table carries the chart's numbers");
    }
    assert!(
        figures[2].contains(">1,234,567</text>") && figures[2].contains("<td>1,234,567</td>"),
        "large values are grouped by thousands"
    );
    assert!(figures[1].contains("…</tspan>"), "a too-long label is cut");
}

#[test]
fn a_ratio_that_does_not_match_warns_naming_the_file_and_both_numbers() {
    let (_, run) = built();
    assert!(
        run.stderr.contains(
            "warning[figure-mismatch]: `调解成功率` is given as 98%, but 调解成功 / 受理矛盾纠纷 = 628 / 656 = 95.7%"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!("--> {REPORT}:14:28")),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches("figure-mismatch").count(),
        1,
        "the sum 344 = 191 + 151 + 2 matches: no warning for it"
    );
    assert!(run.stdout.contains("1 warning(s)"), "{}", run.stdout);
}

#[test]
fn figures_that_match_to_the_rounding_shown_give_no_warning() {
    let site = Site::copy_of("fixtures/reports");
    let path = site.root().join(REPORT);
    let text = std::fs::read_to_string(&path).unwrap();
    site.write(REPORT, &text.replace("value: 98,", "value: 95.7,"));
    let run = site.build(&[]);
    run.assert_ok();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    site.write(REPORT, &text.replace("value: 98,", "value: 96,"));
    let run = site.build(&[]);
    assert!(
        !run.stderr.contains("figure-mismatch"),
        "96 is 95.7 rounded"
    );
}

#[test]
fn a_sum_that_does_not_add_up_warns_but_builds() {
    let site = Site::copy_of("fixtures/reports");
    let text = std::fs::read_to_string(site.root().join(REPORT)).unwrap();
    site.write(
        REPORT,
        &text.replace(
            "{ label: 行政案件, value: 2,",
            "{ label: 行政案件, value: 3,",
        ),
    );
    let run = site.build(&[]);
    run.assert_ok();
    assert!(
        run.stderr.contains(
            "`法律援助案件` is given as 344件, but 刑事案件 + 民事案件 + 行政案件 = 191 + 151 + 3 = 345件"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(&format!("--> {REPORT}:15:")));
}

#[test]
fn malformed_disclosure_numbers_warn_with_the_fix() {
    let site = Site::copy_of("fixtures/reports");
    let text = std::fs::read_to_string(site.root().join(REPORT)).unwrap();
    site.write(
        REPORT,
        &text
            .replace("CESHI0001/2025-00001", "2025-1")
            .replace("测司发〔2025〕1号", "测司发[2025]1号"),
    );
    let run = site.build(&[]);
    run.assert_ok();
    assert!(
        run.stderr.contains(
            "warning[index-number]: `2025-1` is not written as a disclosure index number"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("help: write `doc_number: 测司发〔2025〕1号`")
    );
}

#[test]
fn reports_are_listed_newest_first_and_archived_by_year() {
    let (site, _) = built();
    let position = |html: &str, title: &str| {
        html.find(title)
            .unwrap_or_else(|| panic!("{title} missing"))
    };
    let list = site.read("reports/index.html");
    let annual = position(&list, "2024年法治政府建设情况的报告");
    let midyear = position(&list, "2024年上半年工作报告");
    let older = position(&list, "2023年法治政府建设情况的报告");
    assert!(annual < midyear && midyear < older, "newest first");
    for year in ["2025", "2024"] {
        assert!(
            list.contains(&format!("href=\"/reports/{year}/\"")),
            "{year}"
        );
    }
    let y2024 = site.read("reports/2024/index.html");
    assert!(y2024.contains("<h1>2024年公开报告</h1>"));
    assert!(position(&y2024, "上半年工作报告") < position(&y2024, "2023年法治政府"));
    assert!(
        !y2024.contains("2024年法治政府建设情况的报告</a>"),
        "published 2025"
    );
    assert!(y2024.contains("<span aria-current=\"page\">2024年"));
    let y2025 = site.read("reports/2025/index.html");
    assert!(y2025.contains("href=\"/reports/2024-annual/\""));
    assert!(
        !site.exists("reports/2023/index.html"),
        "no report published in 2023"
    );
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://sfj.example.gov.cn/reports/2025/</loc>"));
}

#[test]
fn the_reports_feed_exists_beside_the_site_feed_and_parses() {
    let (site, _) = built();
    let atom = site.read("reports/atom.xml");
    let doc = roxmltree::Document::parse(&atom).expect("reports/atom.xml is XML");
    let ids: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .filter_map(|e| e.children().find(|n| n.has_tag_name("id"))?.text())
        .collect();
    assert_eq!(
        ids,
        [
            "https://sfj.example.gov.cn/reports/2024-annual/",
            "https://sfj.example.gov.cn/reports/2024-midyear/",
            "https://sfj.example.gov.cn/reports/2023-annual/",
        ]
    );
    assert!(atom.contains("href=\"https://sfj.example.gov.cn/reports/atom.xml\""));
    assert!(atom.contains("<title>公开报告 - 测试县司法局</title>"));
    assert!(site.exists("atom.xml"), "the site feed is still written");
    let page = site.read("reports/2024-annual/index.html");
    assert!(page.contains(
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"公开报告 - 测试县司法局\" href=\"/reports/atom.xml\">"
    ));
}

#[test]
fn report_links_work_under_a_base_path() {
    let site = Site::copy_of("fixtures/reports");
    site.build(&["--base-url", "https://www.example.gov.cn/sfj/"])
        .assert_ok();
    let page = site.read("reports/2024-annual/index.html");
    assert!(page.contains("href=\"/sfj/reports/2025/\""));
    assert!(page.contains("href=\"/sfj/reports/atom.xml\""));
    let list = site.read("reports/index.html");
    assert!(list.contains("href=\"/sfj/reports/2024/\""));
    assert!(
        site.read("reports/atom.xml")
            .contains("<id>https://www.example.gov.cn/sfj/reports/2024-annual/</id>")
    );
}

#[test]
fn a_report_signed_after_it_was_published_warns() {
    let site = Site::copy_of("fixtures/reports");
    let text = std::fs::read_to_string(site.root().join(REPORT)).unwrap();
    site.write(
        REPORT,
        &text.replace("signed: 2024-12-31", "signed: 2025-12-31"),
    );
    let run = site.build(&[]);
    run.assert_ok();
    assert!(
        run.stderr.contains(
            "warning[report-dates]: the report is signed on 2025-12-31 but published on 2025-02-19"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(&format!("--> {REPORT}:7:9")));
}
