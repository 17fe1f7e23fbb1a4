//! `pufa check`: everything `build` finds, without writing anything.

mod common;

use common::{Site, pufa};

fn broken_site() -> Site {
    let site = Site::copy_of("fixtures/basic");
    site.write(
        "content/about.md",
        "---\ntitle: 关于\ntilte: x\n---\n## 一、主要职责\n\n## 联系 {#contact}\n",
    );
    site.write("content/news/mediation.md", "---\ntitle: 调解\ndate: 2024-06-01\n---\n见[指南](../guides/none.md)，[点击这里](legal-aid.md)。\n");
    site.write(
        "content/news/legal-aid.md",
        "---\ntitle: 援助\ndate: 2024-03-15\n---\n![图](../images/none.png)\n",
    );
    site
}

fn check(site: &Site, format: &str) -> common::Run {
    pufa(&[
        "check",
        "--root",
        site.root().to_str().unwrap(),
        "--format",
        format,
    ])
}

#[test]
fn all_errors_are_listed_sorted_by_file_and_nothing_is_written() {
    let site = broken_site();
    let run = check(&site, "human");
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let about = run
        .stdout
        .find("content/about.md:3:1")
        .expect("unknown key");
    let legal_aid = run
        .stdout
        .find("content/news/legal-aid.md:5:1")
        .expect("missing image");
    let mediation = run
        .stdout
        .find("content/news/mediation.md:5:2")
        .expect("broken link");
    assert!(about < legal_aid && legal_aid < mediation, "sorted by file");
    assert!(
        run.stdout.contains("warning[link-text]"),
        "Chinese-writing lint: 点击这里"
    );
    assert!(run.stdout.contains("3 error(s)"), "{}", run.stdout);
    assert!(!site.public().exists(), "check writes nothing");
    assert!(
        std::fs::read_dir(site.root())
            .unwrap()
            .flatten()
            .all(|e| !e.file_name().to_string_lossy().contains("pufa"))
    );
}

#[test]
fn json_gives_one_object_per_finding() {
    let site = broken_site();
    let run = check(&site, "json");
    assert_eq!(run.code, 1);
    let findings: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).expect("JSON parses");
    let errors: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 3);
    let codes: Vec<&str> = errors.iter().map(|e| e["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["unknown-key", "missing-image", "broken-link"]);
    for error in &errors {
        for field in ["file", "line", "column", "message", "help"] {
            assert!(!error[field].is_null(), "{field} missing in {error}");
        }
    }
    assert_eq!(errors[0]["file"], "content/about.md");
    assert_eq!(errors[0]["line"], 3);
    assert_eq!(errors[0]["help"], "did you mean `title`?");
}

#[test]
fn template_errors_are_found_without_writing() {
    let site = Site::copy_of("fixtures/basic");
    site.write(
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{{ page.nope.x }}{% endblock main %}",
    );
    let run = check(&site, "human");
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("themes/default/templates/page.html:1:"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_clean_site_passes() {
    let site = Site::copy_of("fixtures/basic");
    let run = check(&site, "human");
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("0 error(s)"));
    assert!(!site.public().exists());
}
