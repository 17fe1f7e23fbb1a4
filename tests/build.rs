//! `pufa build` driven as editors and CI drive it: the real binary on real folders.

mod common;

use common::{Site, pufa, snapshot, walkdir};

#[test]
fn basic_site_builds_every_kind_of_output() {
    let site = Site::copy_of("fixtures/basic");
    let run = site.build(&[]);
    run.assert_ok();
    assert!(
        run.stdout.contains("pages,"),
        "summary line: {}",
        run.stdout
    );
    for file in [
        "index.html",
        "about/index.html",
        "news/index.html",
        "news/page/2/index.html",
        "news/xian-fa-xuan-chuan-zhou/index.html",
        "news/mediation/index.html",
        "tags/index.html",
        "tags/xian-fa/index.html",
        "tags/fa-lv-yuan-zhu/index.html",
        "sitemap.xml",
        "robots.txt",
        "atom.xml",
        "404.html",
        "accessibility/index.html",
        "images/hall.png",
    ] {
        assert!(site.exists(file), "{file} missing");
    }
    assert!(
        !site.exists("news/draft-notice/index.html"),
        "drafts are left out"
    );
    assert!(
        !site.exists("news/scheduled/index.html"),
        "future pages are left out"
    );
    assert!(
        !site.exists("site.yaml"),
        "site.yaml is configuration, not an asset"
    );
}

#[test]
fn drafts_and_scheduled_pages_are_built_with_the_flag() {
    let site = Site::copy_of("fixtures/basic");
    site.build(&["--drafts"]).assert_ok();
    assert!(site.exists("news/draft-notice/index.html"));
    assert!(site.exists("news/scheduled/index.html"));
}

#[test]
fn pages_carry_government_metadata_and_footer() {
    let site = Site::copy_of("fixtures/basic");
    site.build(&[]).assert_ok();
    let html = site.read("news/xian-fa-xuan-chuan-zhou/index.html");
    for needle in [
        "<html lang=\"zh-CN\">",
        "<meta name=\"SiteName\" content=\"测试县司法局\">",
        "<meta name=\"SiteIDCode\" content=\"1400000001\">",
        "<meta name=\"ColumnName\" content=\"普法动态\">",
        "<meta name=\"ArticleTitle\" content=\"宪法宣传周活动启动\">",
        "<meta name=\"PubDate\" content=\"2024-12-04\">",
        "<meta name=\"ContentSource\" content=\"测试县司法局\">",
        "<link rel=\"canonical\" href=\"https://sfj.example.gov.cn/news/xian-fa-xuan-chuan-zhou/\">",
        "主办单位：测试县司法局",
        "晋ICP备00000001号",
        "晋公网安备 1400000001号",
        "href=\"/accessibility/\"",
        "class=\"skip-link\" href=\"#main\"",
    ] {
        assert!(html.contains(needle), "{needle} missing");
    }
    assert_eq!(html.matches("<h1").count(), 1, "one h1 per page");
}

#[test]
fn markdown_becomes_safe_chinese_html_with_resolved_links() {
    let site = Site::copy_of("fixtures/basic");
    site.build(&[]).assert_ok();
    let news = site.read("news/xian-fa-xuan-chuan-zhou/index.html");
    assert!(
        news.contains("<strong>注意：</strong>活动持续一周"),
        "emphasis beside full-width punctuation"
    );
    assert!(
        news.contains("href=\"/about/#%E4%B8%80%E4%B8%BB%E8%A6%81%E8%81%8C%E8%B4%A3\""),
        "relative .md link with anchor"
    );
    assert!(
        news.contains("href=\"/about/#contact\""),
        "root .md link with explicit id"
    );
    assert!(
        news.contains("&lt;script&gt;") && !news.contains("<script>alert"),
        "raw HTML escaped"
    );
    let about = site.read("about/index.html");
    assert!(
        about.contains("<h2 id=\"一主要职责\">一、主要职责</h2>"),
        "CJK heading id"
    );
    assert!(
        about.contains("法治宣传教育、人民调解"),
        "no space from the line break between Chinese characters"
    );
    assert!(
        about.contains("<a href=\"#一主要职责\">一、主要职责</a>"),
        "table of contents"
    );
    assert!(
        about.contains("href=\"/news/xian-fa-xuan-chuan-zhou/\""),
        "link to a Chinese-named file uses its pinyin URL"
    );
}

#[test]
fn lists_paginate_newest_first_and_tags_collect_pages() {
    let site = Site::copy_of("fixtures/basic");
    site.build(&[]).assert_ok();
    let first = site.read("news/index.html");
    let newest = first.find("宪法宣传周活动启动").expect("newest on page 1");
    let second = first.find("人民调解工作成效").expect("second on page 1");
    assert!(newest < second);
    assert!(!first.contains("法律援助案件"), "third item is on page 2");
    assert!(first.contains("href=\"/news/page/2/\""));
    assert!(site.read("news/page/2/index.html").contains("法律援助案件"));
    let tag = site.read("tags/pu-fa/index.html");
    assert!(tag.contains("宪法宣传周活动启动") && tag.contains("法律援助案件"));
    assert!(
        site.read("tags/index.html")
            .contains("href=\"/tags/ren-min-tiao-jie/\"")
    );
}

#[test]
fn aliases_redirect_to_the_page() {
    let site = Site::copy_of("fixtures/basic");
    site.build(&[]).assert_ok();
    for alias in ["old/about.html", "jgjj/index.html"] {
        let html = site.read(alias);
        assert!(
            html.contains("<meta http-equiv=\"refresh\" content=\"0; url=/about/\">"),
            "{alias}"
        );
        assert!(
            html.contains("rel=\"canonical\" href=\"https://sfj.example.gov.cn/about/\""),
            "{alias}"
        );
    }
    assert!(
        !site.read("sitemap.xml").contains("jgjj"),
        "redirects are not in the sitemap"
    );
}

#[test]
fn feeds_sitemap_and_robots_parse_and_use_full_urls() {
    let site = Site::copy_of("fixtures/basic");
    site.build(&[]).assert_ok();
    let atom = site.read("atom.xml");
    let doc = roxmltree::Document::parse(&atom).expect("atom.xml is XML");
    let entries: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    assert_eq!(entries.len(), 3, "every dated, published page");
    let first_id = entries[0]
        .children()
        .find(|n| n.has_tag_name("id"))
        .and_then(|n| n.text());
    assert_eq!(
        first_id,
        Some("https://sfj.example.gov.cn/news/xian-fa-xuan-chuan-zhou/")
    );
    let sitemap = site.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).expect("sitemap.xml is XML");
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(locs.contains(&"https://sfj.example.gov.cn/about/"));
    assert!(
        locs.iter()
            .all(|l| l.starts_with("https://sfj.example.gov.cn/"))
    );
    assert!(
        site.read("robots.txt")
            .contains("Sitemap: https://sfj.example.gov.cn/sitemap.xml")
    );
}

#[test]
fn a_subpath_base_url_prefixes_every_link_and_asset() {
    let site = Site::copy_of("fixtures/basic");
    site.build(&["--base-url", "https://www.county.gov.cn/sfj/"])
        .assert_ok();
    for (path, bytes) in snapshot(&site.public()) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        for attr in ["href=\"", "src=\"", "url="] {
            for (i, _) in html.match_indices(attr) {
                let value = &html[i + attr.len()..];
                let ok = ["/sfj/", "#", "tel:", "https://www.county.gov.cn/sfj/"]
                    .iter()
                    .any(|p| value.starts_with(p));
                assert!(ok, "{path}: {attr}{}", &value[..value.len().min(60)]);
            }
        }
    }
    assert!(site.read("index.html").contains("href=\"/sfj/css/pufa."));
    assert!(
        site.read("atom.xml")
            .contains("<id>https://www.county.gov.cn/sfj/news/mediation/</id>")
    );
    assert!(
        site.read("robots.txt")
            .contains("https://www.county.gov.cn/sfj/sitemap.xml")
    );
}

#[test]
fn the_same_input_gives_byte_identical_output() {
    let site = Site::copy_of("fixtures/basic");
    let other = tempfile::tempdir().unwrap();
    site.build(&[]).assert_ok();
    site.build(&["--out", other.path().to_str().unwrap()])
        .assert_ok();
    let (a, b) = (snapshot(&site.public()), snapshot(other.path()));
    assert!(a.len() > 10);
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{path} differs between two builds");
    }
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = Site::copy_of("fixtures/basic");
    site.build(&[]).assert_ok();
    site.build(&[]).assert_ok();
    let before = snapshot(&site.public());
    site.write(
        "content/news/mediation.md",
        "---\ntitle: 人民调解\ndate: 2024-06-01\n---\n见[不存在](nope.md)\n",
    );
    site.build(&[])
        .assert_fails_with(1, &["content/news/mediation.md:5:2", "nope.md"]);
    assert_eq!(
        snapshot(&site.public()),
        before,
        "public/ unchanged after a content error"
    );
    // A template error fails while pages are being written: the output must still be untouched.
    site.write(
        "content/news/mediation.md",
        "---\ntitle: 人民调解（新）\ndate: 2024-06-01\n---\n新内容\n",
    );
    site.write(
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{{ page.title }}{{ page.missing.x }}{% endblock main %}",
    );
    site.build(&[])
        .assert_fails_with(1, &["themes/default/templates/page.html:1:"]);
    assert_eq!(
        snapshot(&site.public()),
        before,
        "public/ unchanged after a failure mid-write"
    );
}

#[test]
fn rebuilds_reuse_the_spare_copy_without_leaving_stale_files() {
    let site = Site::copy_of("fixtures/basic");
    for _ in 0..2 {
        site.build(&[]).assert_ok();
    }
    std::fs::remove_file(site.root().join("content/news/mediation.md")).unwrap();
    site.write("content/about.md", "---\ntitle: 关于我们（修订）\n---\n## 一、主要职责\n\n修订后的介绍。\n\n## 联系 {#contact}\n");
    site.build(&[]).assert_ok();
    assert!(
        !site.exists("news/mediation/index.html"),
        "a deleted page disappears"
    );
    assert!(
        !site.exists("news/mediation") && site.exists("news"),
        "and its folder, but not the folder of the pages that are still there"
    );
    assert!(
        !site.exists("tags/ren-min-tiao-jie/index.html"),
        "and its only tag"
    );
    assert!(
        !site.exists("old/about.html"),
        "aliases removed from the front matter disappear"
    );
    assert!(
        site.read("about/index.html").contains("修订后的介绍"),
        "changed pages are rewritten"
    );
    let fresh = Site::copy_of("fixtures/basic");
    std::fs::remove_file(fresh.root().join("content/news/mediation.md")).unwrap();
    fresh.write("content/about.md", "---\ntitle: 关于我们（修订）\n---\n## 一、主要职责\n\n修订后的介绍。\n\n## 联系 {#contact}\n");
    fresh.build(&[]).assert_ok();
    assert!(
        snapshot(&site.public()) == snapshot(&fresh.public()),
        "a rebuild equals a fresh build"
    );
    let folders = |root: &std::path::Path| -> Vec<std::path::PathBuf> {
        let mut all: Vec<_> = walkdir(root)
            .into_iter()
            .filter(|p| p.is_dir())
            .map(|p| p.strip_prefix(root).unwrap().to_path_buf())
            .collect();
        all.sort();
        all
    };
    assert_eq!(
        folders(&site.public()),
        folders(&fresh.public()),
        "and has the same folders"
    );
}

#[test]
fn bom_and_crlf_files_build_and_report_right_lines() {
    let site = Site::new();
    site.write_bytes(
        "content/_index.md",
        "\u{feff}---\r\ntitle: 首页\r\n---\r\n依法治县\r\n工作\r\n".as_bytes(),
    );
    site.build(&[]).assert_ok();
    assert!(site.read("index.html").contains("依法治县工作"));
    site.write_bytes(
        "content/about.md",
        "\u{feff}---\r\ntitle: 关于\r\ndraft: no\r\n---\r\n".as_bytes(),
    );
    site.build(&[])
        .assert_fails_with(1, &["content/about.md:3:8", "true"]);
}

#[test]
fn invalid_utf8_names_the_file() {
    let site = Site::new();
    site.write("content/_index.md", "---\ntitle: 首页\n---\n");
    site.write_bytes("content/gbk.md", b"---\ntitle: \xb7\xa8\xc2\xc9\n---\n");
    site.build(&[])
        .assert_fails_with(1, &["content/gbk.md:2:8", "not valid UTF-8", "UTF-8"]);
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_neither_hangs_nor_crashes() {
    let site = Site::new();
    site.write("content/_index.md", "---\ntitle: 首页\n---\n");
    std::os::unix::fs::symlink(
        site.root().join("content"),
        site.root().join("content/loop"),
    )
    .unwrap();
    std::os::unix::fs::symlink("missing.md", site.root().join("content/dangling.md")).unwrap();
    let run = site.build(&[]);
    run.assert_ok();
    assert!(
        run.stderr.contains("content/loop") && run.stderr.contains("symbolic link skipped"),
        "{}",
        run.stderr
    );
    assert!(!site.exists("loop"));
}

#[test]
fn a_10_mb_page_builds() {
    let site = Site::new();
    let paragraph = "依法治县，普法先行。法律援助、人民调解、行政复议，服务群众。\n\n";
    let mut body = String::from("---\ntitle: 大文件\n---\n");
    while body.len() < 10 * 1024 * 1024 {
        body.push_str(paragraph);
    }
    body.push_str("最后一段。\n");
    site.write("content/big.md", &body);
    site.build(&[]).assert_ok();
    let html = site.read("big/index.html");
    assert!(html.len() > 10 * 1024 * 1024);
    assert!(html.contains("<p>最后一段。</p>"));
}

#[test]
fn theme_templates_override_one_file_and_errors_name_the_template() {
    let site = Site::copy_of("fixtures/basic");
    site.write("themes/default/templates/page.html", "{% extends \"base.html\" %}{% block main %}<h1>定制：{{ page.title }}</h1>{% endblock main %}");
    site.build(&[]).assert_ok();
    assert!(
        site.read("about/index.html")
            .contains("<h1>定制：关于我们</h1>")
    );
    assert!(
        site.read("news/index.html").contains("class=\"item-list\""),
        "other templates stay built-in"
    );
    site.write("themes/default/templates/page.html", "{% extends \"base.html\" %}\n{% block main %}\n{{ page.nonexistent.field }}\n{% endblock main %}");
    site.build(&[])
        .assert_fails_with(1, &["themes/default/templates/page.html:3:"]);
}

#[test]
fn report_json_has_the_figures_and_warnings() {
    let site = Site::copy_of("fixtures/basic");
    site.write(
        "content/news/photo.md",
        "---\ntitle: 图片\n---\n![](../images/hall.png)\n",
    );
    let report = site.root().join("report.json");
    let run = site.build(&["--report", report.to_str().unwrap()]);
    run.assert_ok();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(report).unwrap()).unwrap();
    assert!(json["pages"].as_u64().unwrap() >= 10);
    assert!(json["files"].as_u64().unwrap() > json["pages"].as_u64().unwrap());
    assert_eq!(json["warnings"], 1);
    assert_eq!(json["diagnostics"][0]["code"], "image-alt");
    assert_eq!(json["diagnostics"][0]["file"], "content/news/photo.md");
    assert_eq!(json["diagnostics"][0]["line"], 4);
}

#[test]
fn quiet_prints_nothing_on_success() {
    let site = Site::copy_of("fixtures/basic");
    let run = site.build(&["--quiet"]);
    run.assert_ok();
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr, "");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(pufa(&["build", "--no-such-flag"]).code, 2);
    assert_eq!(pufa(&["frobnicate"]).code, 2);
    let missing = pufa(&["build", "--root", "/nonexistent/site"]);
    missing.assert_fails_with(2, &["content/"]);
}

#[test]
fn the_accessibility_statement_takes_its_date_and_contact_from_site_yaml() {
    let site = Site::new();
    site.write(
        "content/site.yaml",
        "title: 测试站\nbase_url: https://www.county.gov.cn/\nhotline: \"12348\"\naccessibility: { contact: 县司法局办公室 0359-1234567, date: 2025-06-01 }\n",
    );
    site.write("content/_index.md", "---\ntitle: 首页\n---\n");
    site.build(&[]).assert_ok();
    let html = site.read("accessibility/index.html");
    assert!(html.contains("<time datetime=\"2025-06-01\">2025年6月1日</time>"));
    assert!(html.contains("或联系：县司法局办公室 0359-1234567"));
    for word in ["axe-core", "CSP", "Chromium", "JavaScript", "内容安全策略"] {
        assert!(
            !html.contains(word),
            "developer word {word} in the statement"
        );
    }
    let undated = Site::new();
    undated.write("content/_index.md", "---\ntitle: 首页\n---\n");
    undated.build(&[]).assert_ok();
    assert!(
        !undated.read("accessibility/index.html").contains("<time"),
        "no date in site.yaml: no date, never the build day"
    );
}

#[test]
fn the_404_page_offers_search_the_first_guides_and_the_hotline() {
    let site = Site::copy_of("fixtures/guides");
    site.build(&[]).assert_ok();
    let html = site.read("404.html");
    assert_eq!(html.matches("role=\"search\"").count(), 1, "one search box");
    assert!(html.contains("<input id=\"not-found-q\" name=\"q\" type=\"search\""));
    assert!(
        html.contains("aria-describedby=\"not-found-hint\"")
            && html.contains("id=\"not-found-hint\">如：法律援助"),
        "examples in a hint the box is described by, not a placeholder"
    );
    assert!(!html.contains("placeholder="));
    assert!(html.contains("href=\"tel:12348\""));
    assert!(html.contains("<h2>常用办事指南</h2>"));
    assert!(
        html.contains("href=\"/sfj/guides/legal-aid/\""),
        "the first guide is offered"
    );
}

#[test]
fn a_build_stopped_by_its_checks_reports_them_and_nothing_of_the_search_index() {
    let site = Site::copy_of("fixtures/basic");
    let long = "人民调解委员会调解纠纷。".repeat(7_000);
    site.write(
        "content/news/long.md",
        &format!("---\ntitle: 长文\ndate: 2024-06-02\n---\n{long}\n"),
    );
    // The index is built beside the checks: a page too long to be searched whole is
    // reported by it when the build goes on…
    let built = site.build(&[]);
    built.assert_ok();
    assert!(
        format!("{}{}", built.stdout, built.stderr).contains("search-cut"),
        "a successful build warns of the cut page:\n{}\n{}",
        built.stdout,
        built.stderr
    );
    // …and not when the checks stop it: a failed build reports the same findings however
    // far the index had got.
    site.write(
        "content/news/mediation.md",
        "---\ntitle: 人民调解\ndate: 2024-06-01\n---\n见[不存在](nope.md)\n",
    );
    for _ in 0..3 {
        let failed = site.build(&[]);
        failed.assert_fails_with(1, &["nope.md"]);
        assert!(
            !format!("{}{}", failed.stdout, failed.stderr).contains("search-cut"),
            "a build stopped at its checks reports nothing of the index:\n{}",
            failed.stderr
        );
    }
}
