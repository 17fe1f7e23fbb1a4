//! pufa's own search index (src/textsearch, src/search.rs): what the bundle holds and never
//! holds, and the real search script run under Node against a built fixture.

mod common;

use std::process::Command;

use common::{Site, snapshot};

/// Every file of the bundle, as bytes.
fn bundle(site: &Site) -> Vec<(String, Vec<u8>)> {
    snapshot(&site.public().join("search"))
        .into_iter()
        .filter(|(path, _)| path != "index.html")
        .collect()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

#[test]
fn the_real_search_script_answers_queries_under_node() {
    let site = Site::copy_of("fixtures/search");
    site.build(&[]).assert_ok();
    let tests = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/search");
    let output = Command::new("node")
        .arg("--test")
        .arg(tests.join("query.test.js"))
        .env("PUFA_SITE", site.public())
        .output()
        .expect("Node.js runs the search script's tests (install nodejs)");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(report.contains("# fail 0"), "{report}");
    assert!(!report.contains("# pass 0"), "{report}");
}

#[test]
fn the_bundle_has_a_manifest_hashed_shards_and_no_webassembly() {
    let site = Site::copy_of("fixtures/search");
    site.build(&[]).assert_ok();
    let manifest: serde_json::Value =
        serde_json::from_str(&site.read("search/index.json")).unwrap();
    let shards = manifest["shards"].as_u64().unwrap() as usize;
    assert!(manifest["records"].as_u64().unwrap() >= 10, "{manifest}");
    let files = bundle(&site);
    let named = |letter: &str| {
        files
            .iter()
            .filter(|(p, _)| p.starts_with(letter) && p.ends_with(".bin"))
            .count()
    };
    assert_eq!(named("d"), shards);
    assert_eq!(named("p"), shards);
    for (path, bytes) in &files {
        assert!(
            !path.ends_with(".wasm") && !path.ends_with(".pagefind"),
            "{path}"
        );
        if path != "index.json" {
            let hash = path.rsplit('.').nth(1).unwrap();
            assert_eq!(hash, &blake3::hash(bytes).to_hex()[..8], "{path}");
        }
    }
    assert!(!site.exists("pagefind"));
    let page = site.read("search/index.html");
    assert!(page.contains("data-index=\"/sfj/search/index.json\""));
    assert!(
        page.contains("<script src=\"/sfj/js/search."),
        "an external script"
    );
    assert_eq!(page.matches("role=\"search\"").count(), 1, "one search box");
    assert!(page.contains("<noscript>") && page.contains("href=\"/sfj/guides/\""));
    let about = site.read("about/index.html");
    assert!(
        about.contains("role=\"search\" action=\"/sfj/search/\""),
        "header box"
    );
}

#[test]
fn private_phones_and_theme_text_never_reach_any_file_of_the_bundle() {
    let site = Site::copy_of("fixtures/search");
    site.build(&[]).assert_ok();
    let files = bundle(&site);
    assert!(
        files.iter().any(|(_, b)| contains(b, "8500012")),
        "a public phone is indexed"
    );
    for private in [
        "8509999",
        "13900000009",
        "跳到正文",
        "主导航",
        "高对比度",
        "订阅更新",
    ] {
        for (path, bytes) in &files {
            assert!(
                !contains(bytes, private),
                "{private} found in search/{path}"
            );
        }
    }
}

#[test]
fn the_bundle_is_deterministic() {
    let site = Site::copy_of("fixtures/search");
    let other = tempfile::tempdir().unwrap();
    site.build(&[]).assert_ok();
    site.build(&["--out", other.path().to_str().unwrap()])
        .assert_ok();
    let first = snapshot(&site.public().join("search"));
    assert!(first.len() > 3, "{:?}", first.keys());
    assert!(first == snapshot(&other.path().join("search")));
}

#[test]
fn a_site_can_turn_search_off() {
    let site = Site::copy_of("fixtures/basic");
    let config = std::fs::read_to_string(site.root().join("content/site.yaml")).unwrap();
    site.write("content/site.yaml", &format!("{config}search: false\n"));
    site.build(&[]).assert_ok();
    assert!(!site.exists("search"));
    assert!(!site.read("about/index.html").contains("site-search"));
}

#[test]
fn synonyms_in_site_yaml_are_checked() {
    let site = Site::copy_of("fixtures/basic");
    let config = std::fs::read_to_string(site.root().join("content/site.yaml")).unwrap();
    site.write(
        "content/site.yaml",
        &format!("{config}search:\n  synonyms:\n    打 官司: [诉讼]\n"),
    );
    site.build(&[])
        .assert_fails_with(1, &["content/site.yaml", "`打 官司` is not one word"]);
    site.write(
        "content/site.yaml",
        &format!("{config}search:\n  synonym:\n    打官司: [诉讼]\n"),
    );
    site.build(&[])
        .assert_fails_with(1, &["content/site.yaml", "synonyms"]);
}

#[test]
fn check_reports_a_synonym_that_leads_nowhere_and_build_still_builds() {
    let site = Site::copy_of("fixtures/search");
    let config = std::fs::read_to_string(site.root().join("content/site.yaml")).unwrap();
    site.write(
        "content/site.yaml",
        &config.replace("退休金: [养老保险]", "退休金: [养老保险, 退休待遇]"),
    );
    let check = common::pufa(&["check", "--root", site.root().to_str().unwrap()]);
    let said = format!("{}{}", check.stdout, check.stderr);
    assert_eq!(check.code, 0, "{said}");
    assert!(
        said.contains("warning[unused-synonym]") && said.contains("`退休待遇`, which no page uses"),
        "{said}"
    );
    assert!(!said.contains("`养老保险`, which"), "{said}");
    site.build(&[]).assert_ok();
    assert!(site.exists("search/index.json"));
}
