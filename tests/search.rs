//! The search index built into `pufa build` (Pagefind as a library). The Chinese queries
//! themselves run in a real browser (tests/browser); here: what is indexed, and what never is.

mod common;

use std::io::Read;

use common::{Site, snapshot};

/// Every text Pagefind wrote, decompressed (its index files are gzip-compressed).
fn index_text(site: &Site) -> String {
    let mut text = String::new();
    for (path, bytes) in snapshot(&site.public().join("pagefind")) {
        if path.contains(".pf_") || path.ends_with(".pagefind") {
            let mut decoded = Vec::new();
            if flate2::read::GzDecoder::new(&bytes[..])
                .read_to_end(&mut decoded)
                .is_ok()
            {
                text.push_str(&String::from_utf8_lossy(&decoded));
                continue;
            }
        }
        text.push_str(&String::from_utf8_lossy(&bytes));
    }
    // Pagefind marks the word breaks it found in Chinese with zero-width spaces.
    text.replace('\u{200b}', "")
}

#[test]
fn the_bundle_is_written_with_chinese_support_and_our_own_page() {
    let site = Site::copy_of("fixtures/basic");
    site.build(&[]).assert_ok();
    assert!(site.exists("pagefind/pagefind.js"));
    let entry: serde_json::Value =
        serde_json::from_str(&site.read("pagefind/pagefind-entry.json")).unwrap();
    assert!(
        entry["languages"]["zh-cn"]["page_count"].as_u64().unwrap() >= 4,
        "{entry}"
    );
    assert!(
        !site.exists("pagefind/pagefind-ui.js"),
        "Pagefind's own UI is not shipped"
    );
    let search = site.read("search/index.html");
    assert!(search.contains("data-bundle=\"/pagefind/\""));
    assert!(
        search.contains("<script src=\"/js/search."),
        "an external script: CSP-safe"
    );
    assert!(search.contains("<label for=\"search-q\">"));
    let about = site.read("about/index.html");
    assert!(
        about.contains("<form class=\"wrap site-search\" role=\"search\" action=\"/search/\">"),
        "a search box in the header"
    );
}

#[test]
fn only_content_pages_are_indexed() {
    let site = Site::copy_of("fixtures/basic");
    site.build(&[]).assert_ok();
    assert!(
        site.read("news/mediation/index.html")
            .contains("data-pagefind-body")
    );
    for list in [
        "news/index.html",
        "tags/index.html",
        "404.html",
        "search/index.html",
        "index.html",
    ] {
        assert!(
            !site.read(list).contains("data-pagefind-body"),
            "{list} is not a search result"
        );
    }
    let text = index_text(&site);
    assert!(
        text.contains("全年受理矛盾纠纷656件"),
        "page text is indexed"
    );
}

#[test]
fn private_phones_are_never_indexed_but_directory_entries_are() {
    let site = Site::copy_of("fixtures/directory");
    site.build(&[]).assert_ok();
    let text = index_text(&site);
    assert!(
        text.contains("0359-8500004"),
        "a public phone is in the index text"
    );
    for private in ["8509999", "0009", "139 0000 0009"] {
        assert!(
            !text.contains(private),
            "private number {private} found in the search index"
        );
    }
    assert!(
        site.read("directory/offices/index.html")
            .contains("data-pagefind-body")
    );
}

#[test]
fn the_index_is_deterministic() {
    let site = Site::copy_of("fixtures/basic");
    let other = tempfile::tempdir().unwrap();
    site.build(&[]).assert_ok();
    site.build(&["--out", other.path().to_str().unwrap()])
        .assert_ok();
    assert!(snapshot(&site.public().join("pagefind")) == snapshot(&other.path().join("pagefind")));
}

#[test]
fn a_site_can_turn_search_off() {
    let site = Site::copy_of("fixtures/basic");
    let config = std::fs::read_to_string(site.root().join("content/site.yaml")).unwrap();
    site.write("content/site.yaml", &format!("{config}search: false\n"));
    site.build(&[]).assert_ok();
    assert!(!site.exists("pagefind"));
    assert!(!site.exists("search/index.html"));
    assert!(!site.read("about/index.html").contains("site-search"));
}
