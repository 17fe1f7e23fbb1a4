//! `pufa serve` against a hostile machine and a hostile web page: its scratch folder is a
//! fresh private one that goes away with the server, and it answers only its own host names
//! (DNS rebinding) and no cross-site request but a plain GET.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::fs::PermissionsExt;
use std::process::Command;
use std::time::{Duration, Instant};

use common::Site;
use common::serve::{Server, start};

fn site() -> Site {
    let site = Site::new();
    site.write("content/_index.md", "---\ntitle: 首页\n---\n草稿预览\n");
    site
}

/// Sends `head` (request line and headers, without the final blank line); returns the status.
fn status(port: u16, head: &str) -> u16 {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(stream, "{head}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    String::from_utf8_lossy(&response)
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[test]
fn the_scratch_folder_is_fresh_private_and_removed_on_sigterm() {
    let site = site();
    let first = start(&site);
    let second = start(&site);
    let folder = |server: &Server| server.scratch.parent().unwrap().to_path_buf();
    assert_ne!(
        folder(&first),
        folder(&second),
        "two runs on one site share a predictable folder"
    );
    for server in [&first, &second] {
        let meta = std::fs::symlink_metadata(folder(server)).unwrap();
        assert!(meta.is_dir() && !meta.file_type().is_symlink());
        assert_eq!(
            meta.permissions().mode() & 0o777,
            0o700,
            "{}",
            folder(server).display()
        );
        assert!(server.scratch.join("index.html").is_file());
    }
    let mut server = first;
    let scratch = folder(&server);
    let kill = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let started = Instant::now();
    while server.child.try_wait().unwrap().is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "serve ignored SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!scratch.exists(), "{} left behind", scratch.display());
    assert!(
        folder(&second).exists(),
        "the other run's folder is its own"
    );
}

#[test]
fn only_its_own_host_names_are_answered() {
    let site = site();
    let server = start(&site);
    let port = server.port;
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "127.0.0.1".to_string(),
        format!("LOCALHOST:{port}"),
    ] {
        assert_eq!(
            status(port, &format!("GET / HTTP/1.1\r\nHost: {host}")),
            200,
            "{host}"
        );
    }
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_string(),
        format!("127.0.0.1.evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
        format!("192.0.2.7:{port}"),
    ] {
        assert_eq!(
            status(port, &format!("GET / HTTP/1.1\r\nHost: {host}")),
            403,
            "{host}"
        );
        assert_eq!(
            status(
                port,
                &format!("GET /__pufa/events HTTP/1.1\r\nHost: {host}")
            ),
            403,
            "events for {host}"
        );
    }
    assert_eq!(status(port, "GET / HTTP/1.0"), 403, "no Host at all");
}

#[test]
fn cross_site_requests_are_refused() {
    let site = site();
    let server = start(&site);
    let port = server.port;
    let own = format!("Host: 127.0.0.1:{port}");
    for origin in [
        "http://evil.example".to_string(),
        format!("http://evil.example:{port}"),
        "null".to_string(),
        format!("https://127.0.0.1:{}", port.wrapping_add(1)),
    ] {
        for method in ["GET", "POST", "PUT", "DELETE"] {
            let head = format!("{method} /__pufa/rebuild HTTP/1.1\r\n{own}\r\nOrigin: {origin}");
            assert_eq!(status(port, &head), 403, "{method} from {origin}");
        }
    }
    let post = format!("POST /__pufa/rebuild HTTP/1.1\r\n{own}\r\nContent-Length: 0");
    assert_eq!(status(port, &post), 403, "a POST without Origin");
    let same = format!("GET /__pufa/rebuild HTTP/1.1\r\n{own}\r\nOrigin: http://127.0.0.1:{port}");
    assert_eq!(status(port, &same), 200, "the preview's own origin");
}

#[test]
fn an_svg_edited_to_run_script_is_refused_while_serving_too() {
    let site = site();
    site.write(
        "content/images/map.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"5\"/></svg>\n",
    );
    site.write(
        "content/about.md",
        "---\ntitle: 关于\n---\n![地图](images/map.svg)\n",
    );
    let server = start(&site);
    let page = format!("GET /about/ HTTP/1.1\r\nHost: 127.0.0.1:{}", server.port);
    assert_eq!(status(server.port, &page), 200);
    site.write(
        "content/images/map.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"5\" onload=\"alert(1)\"/></svg>\n",
    );
    let started = Instant::now();
    while status(server.port, &page) != 500 {
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "the scripted SVG was published"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
