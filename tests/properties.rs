//! Property tests through the real binary: a site whose page titles, tags and directory
//! entries hold arbitrary hostile text still builds, and every output that carries that text
//! — HTML, Atom, sitemap, CSV, JSON, vCard — is well formed and has it escaped.
//! Few cases (each is a real build), so `cargo test` stays quick.

mod common;

use common::Site;
use proptest::prelude::*;

/// Fragments that break escapers, mixed with arbitrary characters.
fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => proptest::sample::select(vec![
            "<", ">", "\"", "'", "&", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
            "\u{1b}[2K", "\u{7}", "\r", "\n", "\t", "\u{202e}", "\u{feff}", "\u{fffe}", "]]>",
            "=cmd|' /C calc'!A0", "+1", "@SUM(1)", ",", ";", "\\", "调解", "法律援助", "a", " ",
            "{{ site.title }}", "{% raw %}", "&amp;", "\u{85}", "\u{2028}",
        ])
        .prop_map(str::to_string),
        1 => any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 1..12).prop_map(|p| p.concat())
}

/// A YAML double-quoted scalar holding exactly `text`: everything but printable ASCII is
/// written as an escape, so the YAML reader sees no raw control or non-character.
fn yaml_quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            c => out.push_str(&format!("\\U{:08X}", u32::from(c))),
        }
    }
    out.push('"');
    out
}

/// What XML can hold of `text` (its writers drop the rest).
fn xml_kept(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}'))
        .collect()
}

fn hostile_site(title: &str, tag: &str, name: &str, hours: &str) -> Site {
    let site = Site::new();
    site.write(
        "content/site.yaml",
        "title: 测试站\nbase_url: https://example.gov.cn/\nregions: [水头镇]\n",
    );
    site.write(
        "content/news/a.md",
        &format!(
            "---\ntitle: {}\ndate: 2024-05-01\ntags: [{}]\nsummary: {}\n---\n正文\n",
            yaml_quoted(title),
            yaml_quoted(tag),
            yaml_quoted(hours)
        ),
    );
    site.write("content/news/_index.md", "---\ntitle: 新闻\n---\n");
    site.write(
        "content/directory/_index.md",
        "---\ntitle: 名录\nkind: directory\n---\n",
    );
    site.write(
        "content/directory/offices.yaml",
        &format!(
            "title: {}\nentries:\n  - id: a\n    name: {}\n    region: 水头镇\n    phone: \"0359-1234567\"\n    hours: {}\n    services: [{}, 法律咨询]\n",
            yaml_quoted(title),
            yaml_quoted(name),
            yaml_quoted(hours),
            yaml_quoted(tag)
        ),
    );
    site
}

/// No element or attribute the input could have smuggled in.
fn assert_no_injected_markup(html: &str) -> Result<(), TestCaseError> {
    for raw in ["<script>alert", "<img src=x"] {
        prop_assert!(!html.contains(raw), "{raw} unescaped in\n{html}");
    }
    Ok(())
}

proptest! {
    // Each case is a real build: 24 keep `cargo test` quick; PROPTEST_CASES=500 searches deeper.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(24),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn hostile_text_comes_out_escaped_in_every_format(
        title in hostile(),
        tag in hostile(),
        name in hostile(),
        hours in hostile(),
    ) {
        let name = format!("所{name}");
        let title = format!("题{title}");
        let tag = format!("标{tag}");
        let site = hostile_site(&title, &tag, &name, &hours);
        let run = site.build(&["--quiet"]);
        prop_assert_eq!(run.code, 0, "{}", run.stderr);

        for page in ["news/a/index.html", "directory/offices/index.html", "index.html", "news/index.html"] {
            assert_no_injected_markup(&site.read(page))?;
        }
        for feed in ["atom.xml", "sitemap.xml"] {
            let xml = site.read(feed);
            let parsed = roxmltree::Document::parse(&xml);
            prop_assert!(parsed.is_ok(), "{feed}: {parsed:?}\n{xml}");
        }
        let atom = site.read("atom.xml");
        let atom = roxmltree::Document::parse(&atom).unwrap();
        let titles: Vec<String> = atom
            .descendants()
            .filter(|n| n.has_tag_name("title"))
            .map(|n| n.text().unwrap_or("").to_string())
            .collect();
        let kept = xml_kept(&title).replace("\r\n", "\n").replace('\r', "\n");
        prop_assert!(titles.iter().any(|t| t.replace('\r', "\n") == kept), "{kept:?} not in {titles:?}");

        let csv_text = site.read("directory/offices.csv");
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        let row = reader.records().next().expect("an entry row");
        prop_assert!(row.is_ok(), "{row:?}");
        let row = row.unwrap();
        for cell in row.iter() {
            prop_assert!(!cell.starts_with(['=', '+', '-', '@']), "formula cell {cell:?}");
        }
        // The directory keeps names as written, minus surrounding white space.
        let name = name.trim();
        prop_assert!(row.iter().any(|c| c == name), "{name:?} not in {row:?}");

        let json: serde_json::Value = serde_json::from_str(&site.read("directory/offices.json")).expect("valid JSON");
        prop_assert_eq!(json["entries"][0]["name"].as_str(), Some(name));

        let vcf = site.read("directory/offices.vcf");
        let cards = vcard4::parse(&vcf);
        prop_assert!(cards.is_ok(), "{cards:?}\n{vcf:?}");
        prop_assert_eq!(cards.unwrap().len(), 1);
    }
}
