//! `kind: directory` built by the real binary from `tests/fixtures/directory`: pages grouped by
//! region, region pages, CSV/JSON/vCard downloads read back with independent parsers, and
//! private or masked phones checked against every byte written.

mod common;

use common::{Site, snapshot};

/// The fixture's entries by directory, in file order.
const OFFICES: [&str; 4] = [
    "legal-aid-center",
    "shuitou-sfs",
    "yaofeng-sfs",
    "yaofeng-station",
];
const PEOPLE: [&str; 2] = ["vp-01", "vp-02"];

/// Every way the fixture's private numbers could leak: as written, normalised, digits only.
const PRIVATE: [&str; 6] = [
    "0359-8509999",
    "03598509999",
    "359-8509999",
    "13900000009",
    "139 0000 0009",
    "139-0000-0009",
];

fn built() -> Site {
    let site = Site::copy_of("fixtures/directory");
    site.build(&[]).assert_ok();
    site
}

/// The value of the first `attr="…"` after `from` in `html`.
fn attr_after<'a>(html: &'a str, from: &str, attr: &str) -> &'a str {
    let start = html.find(from).unwrap_or_else(|| panic!("{from} missing"));
    let rest = &html[start..];
    let key = format!("{attr}=\"");
    let at = rest.find(&key).unwrap() + key.len();
    &rest[at..at + rest[at..].find('"').unwrap()]
}

#[test]
fn entries_are_grouped_by_region_in_site_order() {
    let site = built();
    let html = site.read("directory/offices/index.html");
    let headings: Vec<&str> = html
        .match_indices("<h2 id=\"region-")
        .map(|(i, _)| {
            let rest = &html[i..];
            let text = &rest[rest.find('>').unwrap() + 1..];
            &text[..text.find('<').unwrap()]
        })
        .collect();
    assert_eq!(
        headings,
        ["全县", "瑶峰镇", "水头镇"],
        "county-wide first, then site.yaml order"
    );
    for id in OFFICES {
        assert!(
            html.contains(&format!("<tr id=\"{id}\"")),
            "anchor for {id}"
        );
    }
    let yaofeng = html.find("id=\"region-yao-feng-zhen\"").unwrap();
    let shuitou = html.find("id=\"region-shui-tou-zhen\"").unwrap();
    let station = html.find("id=\"yaofeng-station\"").unwrap();
    assert!(
        yaofeng < station && station < shuitou,
        "瑶峰 entries under 瑶峰镇"
    );
    assert_eq!(html.matches("<h1").count(), 1);
}

#[test]
fn region_pages_exist_for_regions_with_entries_and_are_linked() {
    let site = built();
    for page in [
        "directory/offices/yao-feng-zhen/index.html",
        "directory/offices/shui-tou-zhen/index.html",
        "directory/people/shui-tou-zhen/index.html",
        "directory/people/nan-da-li-xiang/index.html",
    ] {
        assert!(site.exists(page), "{page} missing");
    }
    assert!(
        !site.exists("directory/offices/nan-da-li-xiang/index.html"),
        "no entries, no page"
    );
    assert!(!site.exists("directory/offices/qi-jia-he-xiang/index.html"));
    let html = site.read("directory/offices/index.html");
    assert!(
        html.contains("href=\"/sfj/directory/offices/shui-tou-zhen/\""),
        "base path kept"
    );
    assert!(html.contains("href=\"/sfj/directory/offices/yao-feng-zhen/\""));
    let region = site.read("directory/offices/shui-tou-zhen/index.html");
    assert!(region.contains("id=\"shuitou-sfs\""));
    assert!(
        !region.contains("id=\"yaofeng-sfs\""),
        "only the region's entries"
    );
    assert!(
        region.contains("<a href=\"/sfj/directory/offices/\">司法所</a>"),
        "breadcrumb to the directory"
    );
    assert!(
        region.contains("href=\"/sfj/directory/offices/shui-tou-zhen/\" aria-current=\"page\"")
    );
}

#[test]
fn section_page_lists_directories_with_downloads() {
    let site = built();
    let html = site.read("directory/index.html");
    let offices = html
        .find("href=\"/sfj/directory/offices/\"")
        .expect("offices listed");
    let people = html
        .find("href=\"/sfj/directory/people/\"")
        .expect("people listed");
    assert!(offices < people, "ordered by weight");
    assert!(html.contains("示例数据"));
    for file in ["offices.csv", "offices.json", "offices.vcf", "people.vcf"] {
        assert!(
            html.contains(&format!("href=\"/sfj/directory/{file}\"")),
            "{file} link"
        );
    }
}

#[test]
fn phones_dial_and_offices_open_in_map_apps() {
    let site = built();
    let html = site.read("directory/offices/index.html");
    assert!(html.contains("href=\"tel:0359-8500004\""));
    assert!(html.contains("href=\"tel:12348\""));
    assert!(attr_after(&html, "id=\"shuitou-sfs\"", "data-search").contains("水头镇"));
    assert!(html.contains(
        "<a class=\"navigate\" href=\"https://uri.amap.com/navigation?to=111.1102,35.2386,%E6%B0%B4%E5%A4%B4%E5%8F%B8%E6%B3%95%E6%89%80&amp;coordinate=wgs84&amp;callnative=1\" rel=\"external\">导航"
    ), "a position is a 导航 link");
    assert!(
        !html.contains("35.2386,111.1102<"),
        "coordinates are not shown as numbers"
    );
    let station = &html[html.find("id=\"yaofeng-station\"").unwrap()..];
    let station = &station[..station.find("</tr>").unwrap()];
    assert!(
        !station.contains("navigation?"),
        "no location, no 导航 link"
    );
    assert!(
        station.contains("瑶峰&quot;法律服务&quot;工作站"),
        "names are escaped"
    );
}

#[test]
fn the_filter_is_an_external_script_and_hidden_without_it() {
    let site = built();
    let html = site.read("directory/offices/index.html");
    assert!(html.contains("<div class=\"directory-filter\" id=\"directory-filter\" hidden>"));
    assert!(html.contains("<label for=\"directory-filter-input\">筛选</label>"));
    let src = html
        .split("<script src=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .find(|s| s.contains("directory-filter"))
        .expect("filter script");
    assert!(src.starts_with("/sfj/js/directory-filter."), "{src}");
    assert!(site.exists(src.trim_start_matches("/sfj/")));
    assert!(!html.contains("<script>"), "no inline script");
    assert!(!html.contains(" style="), "no inline style");
    assert!(
        !html.contains(" onclick=") && !html.contains(" oninput="),
        "no inline handlers"
    );
}

#[test]
fn csv_has_a_bom_a_header_and_every_entry() {
    let site = built();
    let bytes = std::fs::read(site.public().join("directory/offices.csv")).unwrap();
    let text = std::str::from_utf8(&bytes).unwrap();
    let body = text.strip_prefix('\u{feff}').expect("UTF-8 BOM for Excel");
    assert!(body.contains("\r\n"), "RFC 4180 line ends");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(&header[..3], ["编号", "名称", "类别"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let ids: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(ids, OFFICES);
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(
        &rows[0][column("地址")],
        "示例路1号, 二楼; 东侧",
        "commas survive quoting"
    );
    assert_eq!(
        &rows[3][column("名称")],
        "瑶峰\"法律服务\"工作站",
        "quotes survive quoting"
    );
    assert_eq!(&rows[3][column("电话")], "0359-8500005", "normalised");
    assert_eq!(&rows[1][column("纬度")], "35.2386");
    assert_eq!(&rows[2][column("电话")], "", "private phone left out");
}

#[test]
fn json_carries_every_entry_with_its_url() {
    let site = built();
    let json: serde_json::Value =
        serde_json::from_str(&site.read("directory/people.json")).unwrap();
    assert_eq!(json["title"], "法治副校长");
    let entries = json["entries"].as_array().unwrap();
    let ids: Vec<&str> = entries.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids, PEOPLE);
    assert_eq!(
        entries[0]["url"],
        "https://sfj.example.gov.cn/sfj/directory/people/#vp-01"
    );
    assert_eq!(
        entries[0]["serves"].as_array().unwrap().len(),
        3,
        "one person, several schools"
    );
    assert_eq!(entries[0]["phone"], "13800000001");
    assert!(entries[1].get("phone").is_none(), "private phone left out");
}

#[test]
fn vcards_parse_with_a_strict_rfc_6350_parser() {
    let site = built();
    let text = site.read("directory/offices.vcf");
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    assert!(!text.replace("\r\n", "").contains('\n'), "CRLF only");
    let cards = vcard4::parse(&text).expect("valid vCard 4.0");
    let names: Vec<&str> = cards
        .iter()
        .map(|c| c.formatted_name[0].value.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "测试县法律援助中心",
            "水头司法所",
            "瑶峰司法所",
            "瑶峰\"法律服务\"工作站"
        ]
    );
    // RFC 6350 §3.4: `,` and `;` inside a component are escaped. (vcard4 splits ADR at every
    // `;`, escaped or not, so the street is checked on the raw line.)
    assert!(text.contains("\r\nADR;TYPE=work:;;示例路1号\\, 二楼\\; 东侧;;;;\r\n"));
    let tel = |card: &vcard4::Vcard| match card.tel.first() {
        Some(vcard4::property::TextOrUriProperty::Uri(uri)) => Some(uri.value.to_string()),
        Some(vcard4::property::TextOrUriProperty::Text(text)) => Some(text.value.clone()),
        None => None,
    };
    assert_eq!(tel(&cards[1]).as_deref(), Some("tel:+86-359-8500004"));
    assert_eq!(tel(&cards[2]), None, "private phone left out");
    assert_eq!(cards[1].geo[0].value.to_string(), "geo:35.2386,111.1102");
    let note = &cards[1].note[0].value;
    assert!(
        note.contains("一个很长很长的服务事项名称用来测试折行"),
        "folded lines unfold: {note}"
    );
    assert_eq!(
        cards[1].url[0].value.to_string(),
        "https://sfj.example.gov.cn/sfj/directory/offices/#shuitou-sfs"
    );
    let people = vcard4::parse(site.read("directory/people.vcf")).unwrap();
    assert_eq!(people.len(), PEOPLE.len());
    assert_eq!(tel(&people[0]).as_deref(), Some("tel:+86-138-0000-0001"));
}

#[test]
fn a_private_phone_is_in_no_output_file() {
    let site = built();
    let files = snapshot(&site.public());
    assert!(files.len() > 20, "{} files", files.len());
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        for number in PRIVATE {
            assert!(!text.contains(number), "{number} leaked into {path}");
        }
    }
    assert!(
        !files.keys().any(|p| p.ends_with(".yaml")),
        "the data files are not published"
    );
}

#[test]
fn mask_mobile_masks_mobiles_in_every_output() {
    let site = Site::copy_of("fixtures/directory");
    let config = std::fs::read_to_string(site.root().join("content/site.yaml")).unwrap();
    site.write(
        "content/site.yaml",
        &format!("{config}directory: {{ mask_mobile: true }}\n"),
    );
    site.build(&[]).assert_ok();
    let files = snapshot(&site.public());
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        for number in ["13800000001", "138-0000-0001", "1380000000"] {
            assert!(!text.contains(number), "{number} unmasked in {path}");
        }
    }
    let masked = "138****0001";
    for path in [
        "directory/people/index.html",
        "directory/people/shui-tou-zhen/index.html",
        "directory/people.csv",
        "directory/people.json",
    ] {
        assert!(site.read(path).contains(masked), "{path} lacks {masked}");
    }
    let html = site.read("directory/people/index.html");
    assert!(
        !html.contains("href=\"tel:138"),
        "a masked number is not a link"
    );
    assert!(
        !html.contains("地址与办公时间"),
        "no empty address column for people"
    );
    assert!(
        site.read("directory/offices/index.html")
            .contains("tel:0359-8500004"),
        "landlines stay"
    );
    let cards = vcard4::parse(site.read("directory/people.vcf")).unwrap();
    assert!(
        cards[0].tel.is_empty(),
        "a masked number cannot be dialled from a contact"
    );
}

#[test]
fn directory_output_is_deterministic() {
    let site = built();
    let first = snapshot(&site.public());
    site.build(&[]).assert_ok();
    assert!(first == snapshot(&site.public()), "second build differs");
}

#[test]
fn a_kind_directory_section_without_data_files_builds() {
    let site = Site::new();
    site.write(
        "content/directory/_index.md",
        "---\ntitle: 名录\nkind: directory\n---\n",
    );
    site.build(&[]).assert_ok();
    assert!(site.read("directory/index.html").contains("暂无名录"));
}

#[test]
fn entries_come_first_and_downloads_sit_in_one_plain_disclosure_after_them() {
    let site = built();
    let html = site.read("directory/offices/index.html");
    let first_entry = html.find("<tr id=").expect("an entry");
    let downloads = html
        .find("<details class=\"directory-downloads data-download\">")
        .expect("a 数据下载 disclosure");
    assert!(first_entry < downloads, "entries before the downloads");
    assert_eq!(html.matches("<summary>数据下载</summary>").count(), 1);
    let disclosure = &html[downloads..];
    let disclosure = &disclosure[..disclosure.find("</details>").unwrap()];
    for label in ["表格（Excel）", "保存到手机通讯录", "数据（JSON）"] {
        assert!(disclosure.contains(label), "{label}");
    }
    for (ext, label) in [("csv", "表格（Excel）"), ("vcf", "保存到手机通讯录")] {
        assert!(
            disclosure.contains(&format!(
                "href=\"/sfj/directory/offices.{ext}\" download>{label}"
            )),
            "{ext} link says {label}"
        );
    }
    let outside = html[..downloads].to_string() + &html[downloads + disclosure.len()..];
    for word in ["CSV", "vCard", "JSON"] {
        let text_outside =
            outside.contains(&format!(">{word}")) || outside.contains(&format!("（{word}）"));
        assert!(!text_outside, "{word} shown outside the download area");
    }
}

#[test]
fn every_field_of_an_entry_has_a_label() {
    let site = built();
    let html = site.read("directory/offices/index.html");
    let row = &html[html.find("id=\"shuitou-sfs\"").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("<span class=\"field-label\">地址：</span>"));
    assert!(row.contains("<span class=\"field-label\">办公时间：</span>"));
    let people = site.read("directory/people/index.html");
    assert!(
        !people.contains("<span class=\"field-label\">地址：</span>"),
        "no address label without an address"
    );
}

#[test]
fn the_filter_can_recount_groups_and_its_empty_message_sits_in_the_box() {
    let site = built();
    let html = site.read("directory/offices/index.html");
    let filter = &html[html.find("id=\"directory-filter\"").unwrap()..];
    let filter = &filter[..filter.find("</div>").unwrap()];
    assert!(
        filter.contains("id=\"directory-filter-empty\""),
        "the no-results message is next to the box"
    );
    assert!(html.contains("<span class=\"group-count\" data-total=\"2\">2</span> 条"));
}

#[test]
fn a_region_page_leads_with_its_entries_and_the_index_has_a_township_picker() {
    let site = built();
    let region = site.read("directory/offices/shui-tou-zhen/index.html");
    assert!(region.contains("本页列出水头镇的 1 条。"));
    assert!(
        !region.contains("id=\"directory-filter\""),
        "no filter box for a region's few entries"
    );
    let h1 = region.find("<h1>").unwrap();
    let entry = region.find("<tr id=\"shuitou-sfs\"").unwrap();
    let regions = region.find("id=\"directory-regions-title\"").unwrap();
    assert!(
        h1 < entry && entry < regions,
        "entries before the township links"
    );
    let index = site.read("directory/index.html");
    let picker = &index[index
        .find("id=\"township-title\"")
        .expect("a township picker")..];
    let shuitou = &picker[picker
        .find("<summary>水头镇</summary>")
        .expect("水头镇 in the picker")..];
    let shuitou = &shuitou[..shuitou.find("</details>").unwrap()];
    assert!(shuitou.contains("href=\"/sfj/directory/offices/shui-tou-zhen/\""));
    assert!(shuitou.contains("href=\"/sfj/directory/people/shui-tou-zhen/\""));
    assert!(
        !picker.contains("<summary>祁家河乡</summary>"),
        "a township without entries is left out"
    );
}
