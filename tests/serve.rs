//! `pufa serve` driven for real: the binary on a free 127.0.0.1 port, a real file edit, real
//! HTTP requests. Every server started here is killed when its guard drops.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::serve::{Server, start};
use common::{Site, first_difference};

/// A plain HTTP/1.1 GET sending `path` exactly as given (no normalisation).
fn get(port: u16, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, response)
}

fn wait_for(what: &str, mut check: impl FnMut() -> bool) {
    let started = Instant::now();
    while !check() {
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Collects everything the server sends on the live-reload event stream.
fn listen_for_reloads(port: u16) -> Arc<Mutex<String>> {
    let received = Arc::new(Mutex::new(String::new()));
    let sink = received.clone();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET /__pufa/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    std::thread::spawn(move || {
        let mut buffer = [0u8; 1024];
        while let Ok(n) = stream.read(&mut buffer) {
            if n == 0 {
                break;
            }
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buffer[..n]));
        }
    });
    received
}

/// The output paths a rebuild report says were written.
fn written_paths(rebuild: &serde_json::Value) -> Vec<&str> {
    rebuild["written"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

fn last_rebuild(port: u16) -> serde_json::Value {
    let (_, response) = get(port, "/__pufa/rebuild");
    let body = response.split("\r\n\r\n").nth(1).unwrap_or("");
    serde_json::from_str(body).expect("rebuild report is JSON")
}

#[test]
fn an_edit_is_served_and_browsers_are_told_to_reload() {
    let site = Site::copy_of("fixtures/basic");
    let server = start(&site);
    let (status, page) = get(server.port, "/news/mediation/");
    assert_eq!(status, 200);
    assert!(page.contains("全年受理矛盾纠纷656件"));
    assert!(
        page.contains("<script src=\"/__pufa/reload.js\"></script>"),
        "live reload injected"
    );
    let reloads = listen_for_reloads(server.port);
    std::thread::sleep(Duration::from_millis(200));
    // A second paragraph: the summary (the first paragraph) and so every list stay the same.
    site.write("content/news/mediation.md", "---\ntitle: 人民调解工作成效\ndate: 2024-06-01\ntags: [人民调解]\n---\n全年受理矛盾纠纷656件，调解成功628件。[标签](/tags/)\n\n新增的第二段。\n");
    wait_for("the new text", || {
        get(server.port, "/news/mediation/")
            .1
            .contains("新增的第二段")
    });
    wait_for("a reload event", || {
        reloads.lock().unwrap().contains("event: reload")
    });
    let rebuild = last_rebuild(server.port);
    assert_eq!(rebuild["full"], false, "{rebuild}");
    let written = written_paths(&rebuild);
    let (search, pages): (Vec<&str>, Vec<&str>) =
        written.iter().partition(|p| p.starts_with("search/"));
    assert_eq!(
        pages,
        ["news/mediation/index.html"],
        "a body edit rewrites its page only"
    );
    assert!(
        search.contains(&"search/index.json"),
        "and the search index: {search:?}"
    );
    assert!(!site.public().exists(), "serve never writes public/");
}

#[test]
fn a_title_change_rewrites_the_lists_it_appears_in_and_no_more() {
    let site = Site::copy_of("fixtures/basic");
    let server = start(&site);
    site.write("content/news/mediation.md", "---\ntitle: 调解成效（更新）\ndate: 2024-06-01\ntags: [人民调解]\n---\n全年受理矛盾纠纷656件，调解成功628件。[标签](/tags/)\n");
    wait_for("the new title in the list", || {
        get(server.port, "/news/").1.contains("调解成效（更新）")
    });
    // The files are served as they are written; the report comes when the rebuild ends.
    wait_for("the rebuild report", || {
        last_rebuild(server.port)["written"]
            .as_array()
            .is_some_and(|w| w.iter().any(|p| p == "news/index.html"))
    });
    let rebuild = last_rebuild(server.port);
    let written = written_paths(&rebuild);
    for expected in [
        "news/mediation/index.html",
        "news/index.html",
        "index.html",
        "tags/ren-min-tiao-jie/index.html",
        "atom.xml",
    ] {
        assert!(
            written.contains(&expected),
            "{expected} not rewritten: {written:?}"
        );
    }
    assert!(
        !written.contains(&"about/index.html"),
        "unrelated pages untouched: {written:?}"
    );
    let pages = written.iter().filter(|p| !p.starts_with("search/")).count();
    assert!(pages < 12, "{written:?}");
}

#[test]
fn a_broken_save_shows_the_error_and_the_next_good_save_recovers() {
    let site = Site::copy_of("fixtures/basic");
    let server = start(&site);
    site.write(
        "content/news/mediation.md",
        "---\ntitle: 人民调解\ndate: 2024-06-01\ntilte: 错字\n---\n正文\n",
    );
    wait_for("the error page", || {
        get(server.port, "/news/mediation/").0 == 500
    });
    let (_, page) = get(server.port, "/about/");
    assert!(
        page.contains("content/news/mediation.md:4:1"),
        "every page shows the error: {page}"
    );
    assert!(page.contains("tilte: 错字") && page.contains("did you mean `title`?"));
    site.write(
        "content/news/mediation.md",
        "---\ntitle: 人民调解\ndate: 2024-06-01\n---\n恢复正常。\n",
    );
    wait_for("recovery", || {
        let (status, page) = get(server.port, "/news/mediation/");
        status == 200 && page.contains("恢复正常")
    });
}

#[test]
fn nothing_outside_the_output_is_served() {
    let site = Site::copy_of("fixtures/basic");
    let server = start(&site);
    for attack in [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2f..%2fetc%2fpasswd",
        "/news/..%5c..%5c..%5cetc%5cpasswd",
        "/%2e%2e%2f%2e%2e%2fetc/passwd",
        "/news/%00",
    ] {
        let (status, body) = get(server.port, attack);
        assert_eq!(status, 404, "{attack}");
        assert!(!body.contains("root:"), "{attack}");
    }
    assert_eq!(
        get(server.port, "/about").0,
        301,
        "folders redirect to their slash form"
    );
    assert_eq!(get(server.port, "/no/such/page/").0, 404);
}

#[test]
fn a_busy_port_gets_a_clear_message() {
    let site = Site::copy_of("fixtures/basic");
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = Command::new(env!("CARGO_BIN_EXE_pufa"))
        .args([
            "serve",
            "--root",
            site.root().to_str().unwrap(),
            "--port",
            &port,
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("already in use") && stderr.contains("--port"),
        "{stderr}"
    );
}

#[test]
fn deleting_a_data_file_removes_its_pages() {
    let site = Site::copy_of("fixtures/directory");
    let server = start(&site);
    assert_eq!(get(server.port, "/directory/people/").0, 200);
    std::fs::remove_file(site.root().join("content/directory/people.yaml")).unwrap();
    wait_for("the directory page to go", || {
        get(server.port, "/directory/people/").0 == 404
    });
    assert_eq!(
        last_rebuild(server.port)["full"],
        true,
        "a data file's removal rebuilds everything"
    );
    assert_eq!(get(server.port, "/directory/offices/").0, 200);
}

#[test]
fn a_page_that_links_a_guide_updates_the_guides_referenced_by() {
    let site = Site::copy_of("fixtures/guides");
    let server = start(&site);
    assert!(
        get(server.port, "/guides/legal-aid/")
            .1
            .contains("法律援助服务进村")
    );
    site.write(
        "content/news/story.md",
        "---\ntitle: 法律援助进社区\ndate: 2024-12-27\n---\n见[申请法律援助](../guides/legal-aid.md)。\n",
    );
    wait_for("the new title on the guide", || {
        get(server.port, "/guides/legal-aid/")
            .1
            .contains("法律援助进社区")
    });
    site.write(
        "content/news/story.md",
        "---\ntitle: 法律援助进社区\ndate: 2024-12-27\n---\n不再链接指南。\n",
    );
    wait_for("the link gone from the guide", || {
        !get(server.port, "/guides/legal-aid/")
            .1
            .contains("法律援助进社区")
    });
}

#[test]
fn search_is_current_when_the_rebuild_that_reloads_the_page_ends() {
    let site = Site::copy_of("fixtures/basic");
    let server = start(&site);
    // Terms are stored as UTF-8 in the shards of the bundle.
    let indexed = |word: &str| {
        std::fs::read_dir(server.scratch.join("search"))
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with('d'))
            .any(|e| {
                let bytes = std::fs::read(e.path()).unwrap_or_default();
                bytes.windows(word.len()).any(|w| w == word.as_bytes())
            })
    };
    assert!(indexed("矛盾纠"), "the first build indexes the page");
    assert!(!indexed("枫桥式"));
    site.write(
        "content/news/mediation.md",
        "---\ntitle: 人民调解工作成效\ndate: 2024-06-01\ntags: [人民调解]\n---\n全年受理矛盾纠纷656件，调解成功628件。[标签](/tags/)\n\n新增：枫桥式司法所创建。\n",
    );
    wait_for("the rebuild of the edited page", || {
        get(server.port, "/__pufa/rebuild")
            .1
            .contains("news/mediation/index.html")
    });
    let rebuild = get(server.port, "/__pufa/rebuild").1;
    assert!(rebuild.contains("\"full\":false"), "{rebuild}");
    assert!(rebuild.contains("search/index.json"), "{rebuild}");
    assert!(
        indexed("枫桥式"),
        "the index is current as the reload is sent"
    );
    let stale = std::fs::read_dir(server.scratch.join("search"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".bin"))
        .count();
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(server.scratch.join("search/index.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        stale as u64,
        manifest["shards"].as_u64().unwrap() * 2,
        "replaced shards are removed"
    );
}

#[test]
fn a_photo_added_to_a_page_is_published_processed_and_a_new_photo_rebuilds_its_pages() {
    let site = Site::copy_of("fixtures/basic");
    let photo = |width: u32, height: u32| {
        let mut bytes = Vec::new();
        image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
            width,
            height,
            image::Rgb([40, 90, 200]),
        ))
        .write_to(std::io::Cursor::new(&mut bytes), image::ImageFormat::Jpeg)
        .unwrap();
        bytes
    };
    site.write_bytes("content/images/square.jpg", &photo(1000, 500));
    let server = start(&site);
    assert_eq!(
        get(server.port, "/images/square-480w.jpg").0,
        404,
        "not shown yet"
    );
    site.write("content/news/mediation.md", "---\ntitle: 人民调解工作成效\ndate: 2024-06-01\ntags: [人民调解]\n---\n全年受理矛盾纠纷656件，调解成功628件。[标签](/tags/)\n\n![调解室](../images/square.jpg)\n");
    wait_for("the photo on the page", || {
        get(server.port, "/news/mediation/")
            .1
            .contains("width=\"1000\" height=\"500\"")
    });
    let (status, resized) = get(server.port, "/images/square-480w.jpg");
    assert_eq!(status, 200, "the resized copy is published with the page");
    assert!(!resized.contains("Exif"));

    site.write_bytes("content/images/square.jpg", &photo(800, 600));
    wait_for("the new photo's size on the page", || {
        get(server.port, "/news/mediation/")
            .1
            .contains("width=\"800\" height=\"600\"")
    });
}

/// The sample site (`content/` at the root of the repository: guides, directory, reports,
/// a route, coverage, news with tags, search), copied into a throwaway root.
fn sample_site() -> Site {
    let site = Site::new();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    common::copy_dir(&repo.join("content"), &site.root().join("content"));
    site
}

fn reload_count(reloads: &Mutex<String>) -> usize {
    reloads.lock().unwrap().matches("event: reload").count()
}

/// Waits for the rebuild after an edit: a new reload event, then no further one for a second
/// (an editor's save can arrive as more than one batch). Returns the last rebuild's report,
/// which must hold no error.
fn settled_rebuild(server: &Server, reloads: &Mutex<String>, before: usize) -> serde_json::Value {
    wait_for("a rebuild after the edit", || {
        reload_count(reloads) > before
    });
    let mut seen = reload_count(reloads);
    let mut quiet_since = Instant::now();
    while quiet_since.elapsed() < Duration::from_secs(1) {
        std::thread::sleep(Duration::from_millis(50));
        let now = reload_count(reloads);
        if now != seen {
            seen = now;
            quiet_since = Instant::now();
        }
    }
    let rebuild = last_rebuild(server.port);
    let errors: Vec<&serde_json::Value> = rebuild["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert!(errors.is_empty(), "the edit broke the site: {rebuild}");
    rebuild
}

/// One save in a serve session: `content/<path>` with `from` replaced by `to` (which must be
/// there, so that every edit really changes the file).
fn replace_in(site: &Site, path: &str, from: &str, to: &str) {
    let full = site.root().join("content").join(path);
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert!(text.contains(from), "{path} no longer holds {from:?}");
    site.write(&format!("content/{path}"), &text.replacen(from, to, 1));
}

/// Every path whose bytes differ between two output folders, with where they first differ.
fn differences(
    served: &std::collections::BTreeMap<String, Vec<u8>>,
    built: &std::collections::BTreeMap<String, Vec<u8>>,
) -> Vec<String> {
    let (served, built) = (unfingerprinted(served), unfingerprinted(built));
    let paths: std::collections::BTreeSet<&String> = served.keys().chain(built.keys()).collect();
    paths
        .into_iter()
        .filter_map(|path| match (served.get(path), built.get(path)) {
            (Some(_), None) => Some(format!("{path}: only in the served folder")),
            (None, Some(_)) => Some(format!("{path}: only in the full build")),
            (Some(a), Some(b)) if a != b => Some(format!(
                "{path}: {}",
                first_difference(("served", a), ("built", b))
            )),
            _ => None,
        })
        .collect()
}

/// The files keyed by their names with any content fingerprint (`d0.5740b8b1.bin`) written as
/// `#` (`d0.#.bin`), so that a file whose bytes differ is shown as one file that differs and
/// not as two that each exist on one side only (the names are compared in the files that
/// refer to them, such as `search/index.json`).
fn unfingerprinted(
    files: &std::collections::BTreeMap<String, Vec<u8>>,
) -> std::collections::BTreeMap<String, &Vec<u8>> {
    let plain = |path: &str| {
        let mut parts: Vec<&str> = path.split('.').collect();
        for part in parts.iter_mut().skip(1) {
            if part.len() == 8 && part.bytes().all(|b| b.is_ascii_hexdigit()) {
                *part = "#";
            }
        }
        parts.join(".")
    };
    let mut out = std::collections::BTreeMap::new();
    for (path, bytes) in files {
        let key = plain(path);
        assert!(
            out.insert(key.clone(), bytes).is_none(),
            "two files are {key} apart from their fingerprints (a stale one left behind?)"
        );
    }
    out
}

/// The served folder against `pufa build` of the same content, with serve's base URL, into
/// a folder of its own: the paths that differ.
fn against_full_build(site: &Site, served: &std::path::Path, port: u16) -> Vec<String> {
    let served = common::snapshot(served);
    let out = tempfile::tempdir().unwrap();
    let base_url = format!("http://127.0.0.1:{port}/");
    site.build(&[
        "--out",
        out.path().to_str().unwrap(),
        "--base-url",
        &base_url,
        "--quiet",
    ])
    .assert_ok();
    let built = common::snapshot(out.path());
    assert!(
        built.contains_key("index.html") && built.len() > 50,
        "the full build wrote {} files",
        built.len()
    );
    differences(&served, &built)
}

/// An edit serve must apply incrementally: `content/<path>`, `from` → `to`.
type Edit = (&'static str, &'static str, &'static str);

const INCREMENTAL_EDITS: [Edit; 9] = [
    // a news page's title, its body, then its terms (one more, new to the site)
    (
        "news/2024-12-26-mediation.md",
        "title: 2024年全县人民调解组织调解成功矛盾纠纷628件",
        "title: 2024年全县人民调解组织成功调解矛盾纠纷628件",
    ),
    (
        "news/2024-12-26-mediation.md",
        "以及命案防控专项治理等一系列专项行动，",
        "以及命案防控专项治理等一系列专项行动（新增说明），",
    ),
    (
        "news/2024-12-26-mediation.md",
        "tags: [人民调解]",
        "tags: [人民调解, 矛盾化解]",
    ),
    // a guide's title and summary (guides are linked from news and listed on the home page)
    (
        "guides/notarization.md",
        "title: 办理公证\n",
        "title: 办理公证事项\n",
    ),
    (
        "guides/notarization.md",
        "summary: 合同、继承、遗嘱",
        "summary: 合同、继承、赠与、遗嘱",
    ),
    // a report's figure (its CSV and chart) and a route stop's summary
    (
        "reports/2024-annual.md",
        "{ label: 受理矛盾纠纷, value: 656, unit: 件 }",
        "{ label: 受理矛盾纠纷, value: 657, unit: 件 }",
    ),
    (
        "route/03-dayu-park.md",
        "summary: 沿黄法治文化阵地，",
        "summary: 沿黄河的法治文化阵地，",
    ),
    // the page added by the shape edits, retitled (so the lists it is on change)
    (
        "news/2025-01-06-new-station.md",
        "title: 禹王乡法律服务站挂牌",
        "title: 禹王乡法律服务站正式挂牌",
    ),
    // the term added above taken away again: no page has it any more
    (
        "news/2024-12-26-mediation.md",
        "tags: [人民调解, 矛盾化解]",
        "tags: [人民调解]",
    ),
];

/// A save described for the failure message, and the save itself.
type Save<'a> = (&'static str, Box<dyn Fn() + 'a>);

/// Edits that change the site's shape: serve rebuilds everything for these.
fn shape_edits(site: &Site) -> Vec<Save<'_>> {
    vec![
        (
            "add news/2025-01-06-new-station.md",
            Box::new(|| {
                site.write(
                    "content/news/2025-01-06-new-station.md",
                    "---\ntitle: 禹王乡法律服务站挂牌\ndate: 2025-01-06\nsummary: 禹王乡法律服务站正式挂牌。\ntags: [人民调解, 公共法律服务]\n---\n\n禹王乡法律服务站正式挂牌，为群众提供法律咨询。\n",
                )
            }),
        ),
        (
            "delete news/2024-12-30-community-corrections.md (the only page tagged 社区矫正)",
            Box::new(|| {
                std::fs::remove_file(
                    site.root()
                        .join("content/news/2024-12-30-community-corrections.md"),
                )
                .unwrap()
            }),
        ),
        (
            "directory/offices.yaml: a phone number",
            Box::new(|| {
                replace_in(
                    site,
                    "directory/offices.yaml",
                    "0359-8500013",
                    "0359-8500099",
                )
            }),
        ),
        (
            "site.yaml: the description",
            Box::new(|| {
                replace_in(
                    site,
                    "site.yaml",
                    "description: 夏县司法局面向全县群众",
                    "description: 夏县司法局面向全县城乡群众",
                )
            }),
        ),
    ]
}

#[test]
fn after_a_series_of_edits_serve_holds_what_a_full_build_writes() {
    let site = sample_site();
    let server = start(&site);
    let reloads = listen_for_reloads(server.port);
    std::thread::sleep(Duration::from_millis(200));
    // After each save: the served folder against a full build of the content as it then is.
    // Every drift is collected, with the save after which it first showed.
    let mut drift: Vec<String> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut check = |after: &str| {
        for difference in against_full_build(&site, &server.scratch, server.port) {
            let path = difference.split(':').next().unwrap().to_string();
            if seen.insert(path) {
                drift.push(format!("after {after}: {difference}"));
            }
        }
    };
    check("the first build");
    let save = |edit: &dyn Fn()| {
        let before = reload_count(&reloads);
        edit();
        settled_rebuild(&server, &reloads, before)
    };
    for (what, edit) in shape_edits(&site) {
        save(&*edit);
        check(what);
    }
    let mut full = Vec::new();
    for (path, from, to) in INCREMENTAL_EDITS {
        let rebuild = save(&|| replace_in(&site, path, from, to));
        let what = format!("{path} ({from:?} → {to:?})");
        if rebuild["full"] != false {
            full.push(what.clone());
        }
        check(&what);
    }
    drop(server);
    assert!(
        full.is_empty(),
        "these edits were rebuilt in full, so live.rs was not tested on them:\n{}",
        full.join("\n")
    );
    assert!(
        drift.is_empty(),
        "{} file(s) served after incremental rebuilds differ from a full build of the same content:\n{}",
        drift.len(),
        drift.join("\n")
    );
}
