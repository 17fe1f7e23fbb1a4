//! The sample site in `content/` (the Xia County portal) builds cleanly and its home page is a
//! portal: help first, the directory search, the route map, the newest reports and news.

mod common;

use common::pufa;

#[test]
fn the_sample_site_builds_and_its_home_page_is_a_portal() {
    let out = tempfile::tempdir().unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let run = pufa(&[
        "build",
        "--root",
        root,
        "--out",
        out.path().to_str().unwrap(),
    ]);
    run.assert_ok();
    assert!(!run.stderr.contains("error["), "{}", run.stderr);
    assert!(
        run.stderr.contains("628 / 656 = 95.7%"),
        "the report's stated 98% is flagged"
    );
    let home = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    assert_eq!(home.matches("<h1").count(), 1);
    assert!(home.contains("href=\"tel:12348\""));
    for guide in [
        "/guides/legal-aid/",
        "/guides/legal-consultation/",
        "/guides/people-mediation/",
        "/guides/administrative-reconsideration/",
    ] {
        assert!(
            home.contains(&format!("href=\"{guide}\"")),
            "我想…… entry for {guide}"
        );
    }
    assert!(
        home.contains("<form class=\"search-form\" action=\"/directory/offices/\">"),
        "directory search box"
    );
    assert!(
        home.contains("<svg class=\"route-map\""),
        "the route with its map"
    );
    assert!(
        home.contains("href=\"/reports/2024-annual/\""),
        "latest reports"
    );
    assert!(home.contains("主办单位：夏县司法局"), "publisher's footer");
    for page in [
        "route/03-dayu-park/sign/index.html",
        "directory/offices.csv",
        "reports/atom.xml",
        "search/index.json",
        "guides/legal-aid/index.html",
    ] {
        assert!(out.path().join(page).exists(), "{page}");
    }
}
