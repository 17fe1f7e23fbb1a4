//! The `guides` kind, built by the real binary from `tests/fixtures/guides`: offices taken
//! from the directory, steps in order, GovernmentService JSON-LD read back as JSON, related
//! guides and referring pages from the link graph, and private phones kept out.

mod common;

use common::{Site, snapshot};

fn built() -> (Site, common::Run) {
    let site = Site::copy_of("fixtures/guides");
    let run = site.build(&[]);
    run.assert_ok();
    (site, run)
}

/// The text of the page's JSON-LD block.
fn json_ld(html: &str) -> &str {
    let open = "<script type=\"application/ld+json\">";
    let start = html.find(open).expect("a JSON-LD block") + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    &html[start..end]
}

/// The HTML of the `<section>` whose heading has id `id`.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let end = start + html[start..].find("</section>").unwrap();
    &html[start..end]
}

#[test]
fn offices_show_the_directorys_address_hours_and_phone() {
    let (site, _) = built();
    let html = site.read("guides/legal-aid/index.html");
    let where_to_go = section(&html, "guide-where");
    assert!(where_to_go.contains("测试县法律援助中心"));
    assert!(
        where_to_go.contains("测试县示例路1号法援大楼二层"),
        "address from offices.yaml"
    );
    assert!(where_to_go.contains("周一至周五 8:00—12:00，14:30—17:30"));
    assert!(where_to_go.contains("<a class=\"tel\" href=\"tel:0359-8500012\">0359-8500012</a>"));
    assert!(
        where_to_go.contains("href=\"/sfj/directory/offices/#legal-aid-center\""),
        "the name links the directory row, under the base path"
    );
    let anchor = site.read("directory/offices/index.html");
    assert!(anchor.contains("id=\"legal-aid-center\""));
}

#[test]
fn steps_are_numbered_in_the_order_written() {
    let (site, _) = built();
    let html = site.read("guides/legal-aid/index.html");
    let steps = section(&html, "guide-steps");
    let at: Vec<usize> = ["提出申请", "审查决定", "指派律师"]
        .iter()
        .map(|t| steps.find(t).unwrap_or_else(|| panic!("step {t}")))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
    for (n, title) in [(1, "提出申请"), (2, "审查决定"), (3, "指派律师")] {
        assert!(steps.contains(&format!("第 {n} 步：</span>{title}")));
    }
    assert!(steps.contains("7 日内作出决定。"));
}

#[test]
fn the_summary_box_and_checklist_carry_the_guides_facts() {
    let (site, _) = built();
    let html = site.read("guides/legal-aid/index.html");
    let summary = section(&html, "guide-summary-title");
    for fact in [
        "法律援助",
        "经济困难的公民",
        "7 日内决定",
        "不收费",
        "tel:12348",
    ] {
        assert!(summary.contains(fact), "{fact}");
    }
    assert!(summary.contains("href=\"https://www.12348.gov.cn/\""));
    let materials = section(&html, "guide-materials");
    assert_eq!(materials.matches("type=\"checkbox\"").count(), 3);
    assert!(materials.contains("<span class=\"material-copies\">1 份</span>"));
    assert!(materials.contains("原件1份、复印件2份"));
    assert!(
        html.contains("<time datetime=\"2025-03-08\">2025年3月8日</time>"),
        "updated date"
    );
    assert!(html.contains("本指南网址：https://sfj.example.gov.cn/sfj/guides/legal-aid/"));
}

#[test]
fn json_ld_is_a_government_service_with_the_offices() {
    let (site, _) = built();
    let html = site.read("guides/legal-aid/index.html");
    let data: serde_json::Value = serde_json::from_str(json_ld(&html)).expect("valid JSON");
    assert_eq!(data["@context"], "https://schema.org");
    assert_eq!(data["@type"], "GovernmentService");
    assert_eq!(data["name"], "申请法律援助");
    assert_eq!(data["serviceType"], "法律援助");
    assert_eq!(data["description"], "经济困难的群众可以申请免费律师。");
    assert_eq!(data["provider"]["name"], "测试县司法局");
    assert_eq!(data["areaServed"][1]["name"], "水头镇");
    let channels = data["availableChannel"].as_array().unwrap();
    let center = &channels[0];
    assert_eq!(center["@type"], "ServiceChannel");
    assert_eq!(
        center["serviceLocation"]["address"]["@type"],
        "PostalAddress"
    );
    assert_eq!(
        center["serviceLocation"]["address"]["streetAddress"],
        "测试县示例路1号法援大楼二层"
    );
    assert_eq!(center["servicePhone"]["telephone"], "+86-359-8500012");
    assert_eq!(
        channels[1]["servicePhone"],
        serde_json::Value::Null,
        "a private phone stays out"
    );
    assert!(
        channels
            .iter()
            .any(|c| c["serviceUrl"] == "https://www.12348.gov.cn/")
    );
}

#[test]
fn json_ld_cannot_be_closed_by_what_editors_type() {
    let (site, _) = built();
    let html = site.read("guides/criminal-defence/index.html");
    let block = json_ld(&html);
    assert!(!block.contains('<'), "{block}");
    let data: serde_json::Value = serde_json::from_str(block).unwrap();
    assert!(
        data["description"]
            .as_str()
            .unwrap()
            .contains("</script><script>alert(1)</script>"),
        "the text survives, escaped"
    );
    assert_eq!(
        html.matches("<script").count(),
        3,
        "prefs.js, pufa.js, JSON-LD"
    );
}

#[test]
fn an_ambiguous_fee_is_a_warning_naming_the_file() {
    let (site, run) = built();
    assert!(run.stderr.contains("warning[guide-fee]"), "{}", run.stderr);
    assert!(run.stderr.contains("content/guides/mediation.md:7:6"));
    assert!(run.stderr.contains("`fee: 无` can mean free or not stated"));
    assert!(run.stderr.contains("不收费"));
    assert_eq!(
        run.stderr.matches("warning[guide-fee]").count(),
        1,
        "免费 and 不收费 are fine"
    );
    assert!(
        site.exists("guides/mediation/index.html"),
        "a warning still builds"
    );
}

#[test]
fn related_guides_share_a_tag_and_referring_pages_come_from_links() {
    let (site, _) = built();
    let html = site.read("guides/legal-aid/index.html");
    let related = section(&html, "guide-related-title");
    assert!(related.contains("href=\"/sfj/guides/criminal-defence/\""));
    assert!(related.contains("href=\"/sfj/guides/consultation/\""));
    assert!(!related.contains("mediation"), "no tag in common");
    let shared_two = related.find("criminal-defence").unwrap();
    assert!(shared_two < related.find("consultation").unwrap());
    let referring = section(&html, "guide-referenced-title");
    assert!(referring.contains("href=\"/sfj/news/story/\">法律援助服务进村</a>"));
    assert!(referring.contains("<span class=\"link-context\">普法动态</span>"));
    assert!(referring.contains("href=\"/sfj/about/\""));
    assert!(
        !referring.contains("href=\"/sfj/guides/\""),
        "the guides index lists every guide; it is not a reference"
    );
    let mediation = site.read("guides/mediation/index.html");
    assert!(!mediation.contains("guide-related-title"));
    assert!(!mediation.contains("guide-referenced-title"));
}

#[test]
fn the_index_groups_guides_by_service() {
    let (site, _) = built();
    let html = site.read("guides/index.html");
    let headings: Vec<&str> = html
        .match_indices("<h2 id=\"service-")
        .map(|(i, _)| {
            let text = &html[i..];
            let text = &text[text.find('>').unwrap() + 1..];
            &text[..text.find('<').unwrap()]
        })
        .collect();
    assert_eq!(headings, ["法律援助", "法律咨询", "人民调解"]);
    let aid = section(&html, "service-fa-lv-yuan-zhu");
    assert!(aid.contains("申请法律援助") && aid.contains("刑事法律援助"));
    assert!(aid.contains("经济困难的群众可以申请免费律师。"), "summary");
    assert!(aid.find("申请法律援助").unwrap() < aid.find("刑事法律援助").unwrap());
    assert!(html.contains("href=\"#service-fa-lv-zi-xun\""));
}

#[test]
fn private_and_masked_phones_never_reach_a_guide() {
    let (site, _) = built();
    let private = ["0359-8509999", "03598509999", "359-8509999", "8509999"];
    let mobile = ["13900000009", "139-0000-0009", "139 0000 0009"];
    for (path, bytes) in snapshot(&site.public().join("guides")) {
        let text = String::from_utf8_lossy(&bytes);
        for number in private.iter().chain(&mobile) {
            assert!(!text.contains(number), "{number} in guides/{path}");
        }
    }
    let mediation = site.read("guides/mediation/index.html");
    assert!(
        mediation.contains("<span class=\"office-phone\">电话 139****0009</span>"),
        "masked, not dialable"
    );
    assert!(
        mediation.contains(
            "本处没有公开的电话，请拨打公共法律服务热线 <a class=\"tel\" href=\"tel:12348\">12348</a>"
        ),
        "an office without a public phone shows the hotline, labelled as the hotline"
    );
}
