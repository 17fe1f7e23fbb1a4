//! Hostile or careless input against the real binary: nothing is read from or written outside
//! the site, no source is lost, no input crashes the process, and no message lets a file
//! rewrite the terminal or a CI log.

mod common;

use common::{Site, pufa};

fn page(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\n---\n{body}\n")
}

#[test]
fn a_long_well_formed_language_tag_is_written_as_it_is() {
    let site = Site::new();
    site.write(
        "content/site.yaml",
        "title: 测试站\nbase_url: https://example.gov.cn/\nlanguage: zh-cmn-Hans-CN-u-ca-chinese-nu-hanidec\n",
    );
    site.write("content/_index.md", &page("首页", "正文"));
    site.build(&[]).assert_ok();
    assert!(
        site.read("index.html")
            .contains("lang=\"zh-cmn-Hans-CN-u-ca-chinese-nu-hanidec\"")
    );
}

#[test]
fn a_theme_is_never_read_from_outside_themes() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(outside.path().join("templates")).unwrap();
    std::fs::write(outside.path().join("templates/page.html"), "STOLEN").unwrap();
    let absolute = Site::new();
    absolute.write(
        "content/site.yaml",
        &format!(
            "title: 测试站\nbase_url: https://example.gov.cn/\ntheme: {}\n",
            outside.path().display()
        ),
    );
    absolute.write("content/about.md", &page("关于", "正文"));
    absolute
        .build(&[])
        .assert_fails_with(1, &["content/site.yaml:3:8", "is not a theme name"]);
    assert!(!absolute.public().exists());

    let linked = Site::new();
    linked.write(
        "content/site.yaml",
        "title: 测试站\nbase_url: https://example.gov.cn/\ntheme: xia\n",
    );
    linked.write("content/about.md", &page("关于", "正文"));
    std::fs::create_dir_all(linked.root().join("themes")).unwrap();
    std::os::unix::fs::symlink(outside.path(), linked.root().join("themes/xia")).unwrap();
    linked
        .build(&[])
        .assert_fails_with(1, &["themes/xia", "symbolic link"]);
    assert!(!linked.public().exists());
}

/// `--out` values that would swap away or delete the site's own sources.
#[test]
fn an_output_folder_overlapping_the_sources_is_refused() {
    let site = Site::new();
    site.write("content/about.md", &page("关于", "正文"));
    site.write("themes/xia/templates/README.txt", "模板");
    let root = site.root().to_str().unwrap().to_string();
    std::os::unix::fs::symlink(site.root().join("content"), site.root().join("link")).unwrap();
    let cases = [
        format!("{root}/link"),
        format!("{root}/link/out"),
        format!("{root}/content"),
        format!("{root}/content/public"),
        format!("{root}/content/news/../out"),
        format!("{root}/themes"),
        format!("{root}/themes/xia/out"),
        root.clone(),
        format!("{root}/.."),
        format!("{root}/content/../"),
    ];
    for out in &cases {
        for _ in 0..2 {
            let run = pufa(&["build", "--root", &root, "--out", out]);
            run.assert_fails_with(2, &["--out", "choose a folder outside"]);
        }
        assert_eq!(
            std::fs::read_to_string(site.root().join("content/about.md")).unwrap(),
            page("关于", "正文"),
            "--out {out}"
        );
        assert!(
            site.root()
                .join("themes/xia/templates/README.txt")
                .is_file()
        );
    }
    let documents = tempfile::tempdir().unwrap();
    std::fs::write(documents.path().join("notes.txt"), "私人笔记").unwrap();
    let documents_path = documents.path().to_str().unwrap();
    for _ in 0..2 {
        pufa(&["build", "--root", &root, "--out", documents_path])
            .assert_fails_with(2, &["not a site pufa built"]);
    }
    assert_eq!(
        std::fs::read_to_string(documents.path().join("notes.txt")).unwrap(),
        "私人笔记"
    );
    let beside = format!("{root}/site-out");
    pufa(&["build", "--root", &root, "--out", &beside]).assert_ok();
    assert!(site.root().join("site-out/about/index.html").is_file());
}

/// The CRC-32 PNG chunks carry (ISO 3309), so the test image below is a well-formed PNG.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    let mut typed = kind.to_vec();
    typed.extend_from_slice(data);
    out.extend_from_slice(&typed);
    out.extend_from_slice(&crc32(&typed).to_be_bytes());
    out
}

/// A PNG of under 100 bytes whose header declares `width`×`height` RGBA pixels.
fn png_declaring(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &ihdr));
    png.extend(chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01],
    ));
    png.extend(chunk(b"IEND", &[]));
    png
}

#[test]
fn an_image_declaring_too_many_pixels_is_an_error_not_an_abort() {
    let site = Site::new();
    let bomb = png_declaring(100_000, 100_000);
    assert!(bomb.len() < 100);
    site.write_bytes("content/images/bomb.png", &bomb);
    site.write("content/_index.md", &page("首页", "![图](images/bomb.png)"));
    site.build(&[]).assert_fails_with(
        1,
        &[
            "content/images/bomb.png",
            "100000×100000",
            "content/_index.md:4",
        ],
    );
    assert!(!site.public().exists());
}

#[test]
fn names_too_long_for_the_file_system_still_build() {
    let site = Site::new();
    let region = "瑶".repeat(80);
    site.write(
        "content/site.yaml",
        &format!("title: 测试站\nbase_url: https://example.gov.cn/\nregions: [{region}]\n"),
    );
    let tag = "法".repeat(120);
    let long_name = format!("content/news/{}.md", "宪".repeat(80));
    site.write(
        &long_name,
        &format!("---\ntitle: 长\ntags: [{tag}]\n---\n正文\n"),
    );
    let slug = "a".repeat(300);
    site.write(
        "content/news/slugged.md",
        &format!("---\ntitle: 短\nslug: {slug}\n---\n正文\n"),
    );
    site.write(
        "content/news/slugged-too.md",
        &format!("---\ntitle: 又短\nslug: {slug}b\n---\n正文\n"),
    );
    site.write(
        "content/directory/_index.md",
        "---\ntitle: 名录\nkind: directory\n---\n",
    );
    site.write(
        "content/directory/offices.yaml",
        &format!("title: 司法所\nentries:\n  - id: a\n    name: 甲所\n    region: {region}\n"),
    );
    site.build(&[]).assert_ok();
    let mut pages = 0;
    for entry in walk(&site.public()) {
        let name = entry.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.len() <= 100, "{} bytes: {name}", name.len());
        pages += usize::from(name == "index.html");
    }
    let news = std::fs::read_dir(site.public().join("news")).unwrap();
    let slugged = news
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("aaaa"))
        .count();
    assert_eq!(slugged, 2, "two long slugs sharing a start stay two pages");
    assert!(pages >= 7, "{pages} pages");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            all.extend(walk(&path));
        }
        all.push(path);
    }
    all
}

#[test]
fn control_characters_in_content_are_shown_escaped_in_messages() {
    let site = Site::new();
    site.write(
        "content/about.md",
        "---\ntitle: 关于\n---\n看\u{1b}[2K\u{1b}[1A\u{7}\u{202e} [链接](missing.md)\n",
    );
    site.write(
        "content/news/\u{1b}]0;x\u{7}\r.md",
        "---\ntitle: x\nbad_key: 1\n---\n",
    );
    let run = site.build(&[]);
    run.assert_fails_with(
        1,
        &[
            "看\\u{1b}[2K\\u{1b}[1A\\u{7}\\u{202e} [链接](missing.md)",
            "\\u{1b}]0;x\\u{7}\\r.md",
        ],
    );
    for control in ['\u{1b}', '\u{7}', '\r', '\u{202e}'] {
        assert!(
            !run.stderr.contains(control) && !run.stdout.contains(control),
            "{control:?} reached the log:\n{}",
            run.stderr
        );
    }
}

#[test]
fn an_alias_no_file_system_can_hold_is_an_error_at_its_line() {
    let site = Site::new();
    site.write(
        "content/about.md",
        &format!(
            "---\ntitle: 关于\naliases:\n  - /old/{}/\n  - \"/x\\0y.html\"\n---\n正文\n",
            "旧".repeat(100)
        ),
    );
    let run = site.build(&[]);
    run.assert_fails_with(
        1,
        &[
            "content/about.md:4:5",
            "content/about.md:5:5",
            "is not an old address on this site",
        ],
    );
    assert!(!run.stderr.contains("os error"), "{}", run.stderr);
}
