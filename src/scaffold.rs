//! `pufa new` and `pufa init`: files with every front-matter field of a kind, explained in
//! Chinese comments, dated today, so editors start from something that builds.

use std::path::{Path, PathBuf};

/// What `pufa new` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scaffold {
    /// A plain article (`pufa new page`), for news and other pages without a kind.
    Page,
    /// A public report for a `kind: reports` section (annual report, statistics).
    Report,
    /// A service guide (办事指南) for a `kind: guides` section.
    Guide,
    /// A stop of a `kind: route` trail, numbered after the route's last stop.
    Stop,
    /// A directory file (YAML, not Markdown) of offices and people for a `kind: directory` section.
    Directory,
}

impl Scaffold {
    fn template(self) -> &'static str {
        match self {
            Scaffold::Page => include_str!("scaffold/page.md"),
            Scaffold::Report => include_str!("scaffold/report.md"),
            Scaffold::Guide => include_str!("scaffold/guide.md"),
            Scaffold::Stop => include_str!("scaffold/stop.md"),
            Scaffold::Directory => include_str!("scaffold/directory.yaml"),
        }
    }

    /// The file extension the scaffold needs.
    pub fn extension(self) -> &'static str {
        if self == Scaffold::Directory {
            "yaml"
        } else {
            "md"
        }
    }
}

/// Today in China, as front matter writes dates.
pub fn today() -> String {
    crate::dates::ymd(jiff::Timestamp::now())
}

fn fill(scaffold: Scaffold, date: &str, region: &str) -> String {
    scaffold
        .template()
        .replace("{{DATE}}", date)
        .replace("{{REGION}}", region)
}

/// Writes a new file of `scaffold` at `path` and says what it chose for the editor (a stop's
/// `order`), so the new file builds next to the others. Never overwrites.
pub fn new_file(scaffold: Scaffold, path: &Path, date: &str) -> Result<Option<String>, String> {
    let wanted = scaffold.extension();
    if path.extension().and_then(|e| e.to_str()) != Some(wanted) {
        return Err(format!("{} must end in .{wanted}", path.display()));
    }
    if path.exists() {
        return Err(format!(
            "{} already exists; pufa new never overwrites a file",
            path.display()
        ));
    }
    let region = site_region(path).unwrap_or_else(|| "城关镇".to_string());
    let mut text = fill(scaffold, date, &region);
    let mut note = None;
    match scaffold {
        Scaffold::Stop => {
            let order = next_free_order(path.parent().unwrap_or(Path::new(".")));
            text = text.replace("order: 1\n", &format!("order: {order}\n"));
            note = Some(format!("order: {order}（本线路下一个未被占用的站点顺序）"));
        }
        Scaffold::Directory => {
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("entry");
            text = text.replace("id: example-office", &format!("id: {stem}-1"));
        }
        _ => {}
    }
    write_new(path, &text)?;
    Ok(note)
}

/// One more than the highest `order:` of the stops already in `folder` (1 for the first):
/// a scaffold that reused a taken number would stop the site from building.
fn next_free_order(folder: &Path) -> i64 {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return 1;
    };
    entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter(|p| p.file_name().is_some_and(|n| n != "_index.md"))
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter_map(|text| front_matter_order(&text))
        .max()
        .map_or(1, |highest| highest + 1)
}

/// The `order:` of a stop's front matter, read line by line: enough for a file pufa wrote or
/// an editor copied, and a file it cannot read simply does not count.
fn front_matter_order(text: &str) -> Option<i64> {
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    if lines.next()?.trim_end() != "---" {
        return None;
    }
    lines
        .take_while(|l| l.trim_end() != "---")
        .find_map(|l| l.strip_prefix("order:"))
        .and_then(|v| v.split('#').next()?.trim().parse().ok())
}

/// The first region of the site the new file goes into, so a directory scaffold builds.
fn site_region(path: &Path) -> Option<String> {
    let absolute = std::env::current_dir().ok()?.join(path);
    let root = absolute
        .ancestors()
        .find(|a| a.join("content/site.yaml").is_file())?;
    let config = crate::config::Config::load(root, None).ok()?;
    config.regions.into_iter().next()
}

fn write_new(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    let mut file = options
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    std::io::Write::write_all(&mut file, text.as_bytes())
        .map_err(|e| format!("{}: {e}", path.display()))
}

const SITE_YAML: &str = r#"# 网站名称（必填）
title: 我的普法网站
# 网站发布地址（必填），可以带路径，如 https://www.county.gov.cn/sfj/
base_url: https://example.gov.cn/
description: 司法局法治宣传教育网站。
language: zh-CN
theme: default
# 主办单位：显示在页脚和报告的公开要素中
publisher: 某县司法局
hotline: "12348"
# 本县的乡镇：名录中的 region 必须是其中之一
regions: [城关镇, 新城镇]
# 导航栏
menu:
  - { title: 法治线路, url: /route/ }
  - { title: 办事指南, url: /guides/ }
  - { title: 法律服务名录, url: /directory/ }
  - { title: 公开报告, url: /reports/ }
  - { title: 普法动态, url: /news/ }
  - { title: 关于我们, url: /about/ }
taxonomies: [tags]
# 网站标识码、ICP 备案号、公安备案号、联系方式
footer: { site_code: "", icp: "", police_record: "", contact: "" }
# 是否允许在 Markdown 中直接写 HTML（默认不允许）
markdown: { unsafe_html: false }
images: { widths: [480, 960, 1440] }
"#;

fn section(title: &str, kind: &str, weight: u32, body: &str) -> String {
    format!("---\ntitle: {title}\nkind: {kind}\nweight: {weight}\nsummary: {body}\n---\n{body}\n")
}

/// Writes a working starter site into `dir`: configuration and a page of each kind.
pub fn init_site(dir: &Path, date: &str) -> Result<Vec<PathBuf>, String> {
    let content = dir.join("content");
    if content.exists() {
        return Err(format!(
            "{} already exists; pufa init never overwrites a site",
            content.display()
        ));
    }
    let mut written = Vec::new();
    for (path, text) in starter_files(date) {
        let full = content.join(path);
        write_new(&full, &text)?;
        written.push(full);
    }
    Ok(written)
}

/// The starter site's files (content path → text): site.yaml, a home page, an about page and
/// one section of each kind with an example in it.
fn starter_files(date: &str) -> Vec<(&'static str, String)> {
    let second_stop = fill(Scaffold::Stop, date, "")
        .replace("title: 新站点", "title: 第二站")
        .replace("order: 1", "order: 2")
        .replace("lat: 35.14, lon: 111.22", "lat: 35.15, lon: 111.23");
    let guide = fill(Scaffold::Guide, date, "").replace(
        "# where: [public-legal-service-center]",
        "where: [offices-1]",
    );
    vec![
        ("site.yaml", SITE_YAML.to_string()),
        (
            "_index.md",
            "---\ntitle: 首页\n---\n欢迎访问。需要法律帮助，请拨打公共法律服务热线 12348。\n"
                .to_string(),
        ),
        (
            "about.md",
            "---\ntitle: 关于我们\nweight: 1\n---\n## 主要职责\n\n在这里介绍本单位。\n".to_string(),
        ),
        (
            "news/_index.md",
            "---\ntitle: 普法动态\nweight: 5\n---\n".to_string(),
        ),
        ("news/first-news.md", fill(Scaffold::Page, date, "")),
        (
            "route/_index.md",
            section("法治文化体验线路", "route", 1, "沿线站点介绍。"),
        ),
        ("route/01-start.md", fill(Scaffold::Stop, date, "")),
        ("route/02-next.md", second_stop),
        (
            "guides/_index.md",
            section("办事指南", "guides", 2, "常用法律服务的办理指南。"),
        ),
        ("guides/consultation.md", guide),
        (
            "directory/_index.md",
            section("法律服务名录", "directory", 3, "司法所和法律服务人员名录。"),
        ),
        (
            "directory/offices.yaml",
            fill(Scaffold::Directory, date, "城关镇")
                .replace("id: example-office", "id: offices-1"),
        ),
        (
            "reports/_index.md",
            section("公开报告", "reports", 4, "依法公开的工作报告。"),
        ),
        ("reports/first-report.md", fill(Scaffold::Report, date, "")),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_stop_takes_the_next_free_order_of_its_route() {
        let dir = tempfile::tempdir().unwrap();
        let route = dir.path().join("route");
        std::fs::create_dir_all(&route).unwrap();
        std::fs::write(
            route.join("_index.md"),
            "---\ntitle: 线路\nkind: route\norder: 99\n---\n",
        )
        .unwrap();
        std::fs::write(
            route.join("01-a.md"),
            "---\ntitle: 甲\norder: 1\n---\norder: 50\n",
        )
        .unwrap();
        std::fs::write(
            route.join("02-b.md"),
            "\u{feff}---\r\ntitle: 乙\r\norder: 7 # 第七站\r\n---\r\n",
        )
        .unwrap();
        let path = route.join("03-c.md");
        let note = new_file(Scaffold::Stop, &path, "2025-02-19").unwrap();
        assert_eq!(
            note.as_deref(),
            Some("order: 8（本线路下一个未被占用的站点顺序）")
        );
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("\norder: 8\n"), "{text}");
        assert!(!text.contains("order: 1\n"));
        let first = dir.path().join("empty/01.md");
        new_file(Scaffold::Stop, &first, "2025-02-19").unwrap();
        assert!(
            std::fs::read_to_string(&first)
                .unwrap()
                .contains("\norder: 1\n")
        );
    }

    #[test]
    fn scaffolds_are_dated_and_filled() {
        for scaffold in [
            Scaffold::Page,
            Scaffold::Report,
            Scaffold::Guide,
            Scaffold::Stop,
            Scaffold::Directory,
        ] {
            let text = fill(scaffold, "2025-02-19", "城关镇");
            assert!(
                !text.contains("{{"),
                "{scaffold:?} has an unfilled placeholder"
            );
        }
        assert!(fill(Scaffold::Page, "2025-02-19", "").contains("date: 2025-02-19"));
    }

    #[test]
    fn new_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        assert_eq!(new_file(Scaffold::Page, &path, "2025-02-19"), Ok(None));
        let err = new_file(Scaffold::Page, &path, "2025-02-19").unwrap_err();
        assert!(err.contains("already exists"), "{err}");
        assert!(
            new_file(Scaffold::Directory, &dir.path().join("b.md"), "2025-02-19")
                .unwrap_err()
                .contains(".yaml")
        );
    }
}
