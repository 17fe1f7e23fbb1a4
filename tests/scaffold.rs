//! `pufa init` and `pufa new`: what they write builds, and they never overwrite.

mod common;

use common::pufa;

#[test]
fn an_initialised_site_builds_without_errors_or_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let run = pufa(&["init", site.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The starter's address is a placeholder: the only warning says to set it before
    // printing the route's signs; with a real address there is none.
    let built = pufa(&["build", "--root", site.to_str().unwrap()]);
    built.assert_ok();
    assert_eq!(
        built.stderr.matches("warning[").count(),
        1,
        "{}",
        built.stderr
    );
    assert!(
        built.stderr.contains("warning[placeholder-base-url]"),
        "{}",
        built.stderr
    );
    let built = pufa(&[
        "build",
        "--root",
        site.to_str().unwrap(),
        "--base-url",
        "https://www.county.gov.cn/sfj/",
    ]);
    built.assert_ok();
    assert!(!built.stderr.contains("warning["), "{}", built.stderr);
    for page in [
        "route/01-start/sign/index.html",
        "guides/consultation/index.html",
        "directory/offices/index.html",
        "reports/first-report/index.html",
        "news/first-news/index.html",
    ] {
        assert!(site.join("public").join(page).exists(), "{page}");
    }
    let again = pufa(&["init", site.to_str().unwrap()]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("never overwrites"));
}

#[test]
fn every_new_scaffold_builds_in_its_section() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    assert_eq!(pufa(&["init", site.to_str().unwrap()]).code, 0);
    let content = site.join("content");
    for (kind, path) in [
        ("page", "news/second.md"),
        ("report", "reports/second-report.md"),
        ("guide", "guides/second-guide.md"),
        ("stop", "route/03-third.md"),
        ("directory", "directory/people.yaml"),
    ] {
        let file = content.join(path);
        let run = pufa(&["new", kind, file.to_str().unwrap()]);
        assert_eq!(run.code, 0, "{kind}: {}", run.stderr);
        if kind == "stop" {
            assert!(
                run.stdout
                    .contains("order: 3（本线路下一个未被占用的站点顺序）"),
                "pufa new stop says which order it took: {}",
                run.stdout
            );
        }
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            text.contains('#'),
            "{kind}: fields are explained in comments"
        );
        let again = pufa(&["new", kind, file.to_str().unwrap()]);
        assert_eq!(again.code, 1, "{kind}: never overwrites");
    }
    // Nothing to fix by hand: the stop took the route's next order, the directory its own id.
    let stop = std::fs::read_to_string(content.join("route/03-third.md")).unwrap();
    assert!(stop.contains("\norder: 3\n"), "{stop}");
    let built = pufa(&["build", "--root", site.to_str().unwrap()]);
    built.assert_ok();
    let today = pufa::scaffold::today();
    assert!(
        std::fs::read_to_string(content.join("news/second.md"))
            .unwrap()
            .contains(&format!("date: {today}"))
    );
}
