//! `pufa serve` under load and faults: 200 connections at once (keep-alive page and asset
//! requests, live-reload streams, connections dropped mid-response) while 50 edits are saved,
//! among them a half-written file, a file deleted and recreated, and broken YAML then fixed.
//! Every request must get a whole, valid answer, the last edit must be what is served once
//! the last reload is announced, and the server's memory must stay bounded.
//!
//! The figures (requests per second, p99 latency, peak RSS) are printed for the README, never
//! asserted: `cargo test --test serve_load -- --nocapture`.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::Site;
use common::serve::start;

const PAGE_WORKERS: usize = 160;
const RELOAD_STREAMS: usize = 50;
const EDITS: usize = 50;

/// What a worker may ask for. Pages may show the error page (500) while a save is broken,
/// and the deleted page may be missing (404) until it is back; assets are always there.
const PATHS: &[&str] = &[
    "/",
    "/news/",
    "/news/mediation/",
    "/news/legal-aid/",
    "/about/",
    "/tags/",
    "/atom.xml",
    "/sitemap.xml",
    "/images/hall.png",
    "/__pufa/reload.js",
    "/no-such-page/",
];

struct Response {
    status: u16,
    content_type: String,
    body: Vec<u8>,
}

/// Reads one HTTP/1.1 response with a `Content-Length` body.
fn read_response(reader: &mut BufReader<TcpStream>) -> std::io::Result<Response> {
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let status = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
    let (mut length, mut content_type) = (None, String::new());
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':').unwrap_or((header, ""));
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.trim().parse().ok(),
            "content-type" => content_type = value.trim().to_string(),
            _ => {}
        }
    }
    let length = length.ok_or_else(|| std::io::Error::other("no Content-Length"))?;
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok(Response {
        status,
        content_type,
        body,
    })
}

/// Why a response is not an acceptable answer to `path`, if it is not.
fn fault(path: &str, response: &Response) -> Option<String> {
    let text = String::from_utf8_lossy(&response.body);
    let html = response.content_type.starts_with("text/html");
    let ok = match (path, response.status) {
        ("/no-such-page/", 404) => html,
        ("/news/legal-aid/", 404) => html,
        (_, 200) if html => text.trim_end().ends_with("</html>") && text.contains("<h1"),
        ("/atom.xml" | "/sitemap.xml", 200) => roxmltree::Document::parse(&text).is_ok(),
        ("/images/hall.png", 200) => response.body.starts_with(b"\x89PNG"),
        ("/__pufa/reload.js", 200) => text.contains("EventSource"),
        (_, 500) => html && text.contains("暂时无法预览"),
        _ => false,
    };
    (!ok).then(|| {
        format!(
            "{path}: {} {} ({} bytes)",
            response.status,
            response.content_type,
            response.body.len()
        )
    })
}

#[derive(Default)]
struct Tally {
    latencies: Mutex<Vec<Duration>>,
    faults: Mutex<Vec<String>>,
    dropped: AtomicUsize,
    reloads: AtomicUsize,
    /// Error pages served while a save was broken (expected, counted for the report).
    error_pages: AtomicUsize,
}

impl Tally {
    fn fault(&self, what: String) {
        self.faults.lock().unwrap().push(what);
    }
}

/// One keep-alive connection after another, each asking for pages and assets in turn; every
/// 15th request is abandoned mid-response and the connection dropped.
fn page_worker(port: u16, seed: usize, stop: Arc<AtomicBool>, tally: Arc<Tally>) {
    let mut n = seed as u64;
    while !stop.load(Ordering::Relaxed) {
        let Ok(stream) = TcpStream::connect(("127.0.0.1", port)) else {
            tally.fault("connect failed".into());
            return;
        };
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        // One write per request and no Nagle delay, so latency is the server's, not TCP's.
        stream.set_nodelay(true).unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut writer = stream;
        for _ in 0..10 {
            n = n
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let path = PATHS[(n >> 33) as usize % PATHS.len()];
            let started = Instant::now();
            let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n");
            if writer.write_all(request.as_bytes()).is_err() {
                tally.fault(format!("{path}: write failed"));
                break;
            }
            if (n >> 40).is_multiple_of(15) {
                let mut first = [0u8; 64];
                let _ = reader.read(&mut first);
                tally.dropped.fetch_add(1, Ordering::Relaxed);
                break;
            }
            match read_response(&mut reader) {
                Ok(response) => {
                    tally.latencies.lock().unwrap().push(started.elapsed());
                    if response.status == 500 {
                        tally.error_pages.fetch_add(1, Ordering::Relaxed);
                    }
                    if let Some(what) = fault(path, &response) {
                        tally.fault(what);
                    }
                }
                Err(e) => {
                    tally.fault(format!("{path}: {e}"));
                    break;
                }
            }
        }
    }
}

/// Holds a live-reload stream open and counts its reload events; odd streams hang up after
/// their first event and open a new stream.
fn reload_listener(port: u16, index: usize, stop: Arc<AtomicBool>, tally: Arc<Tally>) {
    while !stop.load(Ordering::Relaxed) {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
            tally.fault("events: connect failed".into());
            return;
        };
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let request = format!(
            "GET /__pufa/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).unwrap();
        let mut received = String::new();
        let mut buffer = [0u8; 4096];
        loop {
            match stream.read(&mut buffer) {
                Ok(0) => {
                    if !stop.load(Ordering::Relaxed) {
                        tally.fault("events: the server closed a stream".into());
                    }
                    return;
                }
                Ok(n) => {
                    received.push_str(&String::from_utf8_lossy(&buffer[..n]));
                    let events = received.matches("event: reload").count();
                    if events > 0 && index % 2 == 1 {
                        tally.reloads.fetch_add(events, Ordering::Relaxed);
                        tally.dropped.fetch_add(1, Ordering::Relaxed);
                        break;
                    }
                }
                Err(_) if stop.load(Ordering::Relaxed) => {
                    let events = received.matches("event: reload").count();
                    tally.reloads.fetch_add(events, Ordering::Relaxed);
                    return;
                }
                Err(_) => {}
            }
        }
    }
}

fn page(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\ndate: 2024-06-01\ntags: [人民调解]\n---\n{body}\n")
}

/// The 50 saves, 60 ms apart: mostly title changes, and the faults editors cause.
fn edit(site: &Site) {
    let legal_aid = std::fs::read_to_string(site.root().join("content/news/legal-aid.md")).unwrap();
    for i in 0..EDITS {
        match i {
            10 => {
                let whole = page(&format!("第{i}次"), "半截文件。");
                site.write("content/news/mediation.md", &whole[..whole.len() / 3]);
                std::thread::sleep(Duration::from_millis(40));
                site.write("content/news/mediation.md", &whole);
            }
            20 => std::fs::remove_file(site.root().join("content/news/legal-aid.md")).unwrap(),
            21 => site.write(
                "content/news/legal-aid.md",
                &legal_aid.replace("344件", "345件"),
            ),
            30 => site.write(
                "content/news/mediation.md",
                "---\ntitle: [未闭合\ndate: 2024-06-01\n---\n",
            ),
            i if i == EDITS - 1 => site.write(
                "content/news/mediation.md",
                &page("最终版本", "最后一次保存。"),
            ),
            _ => site.write(
                "content/news/mediation.md",
                &page(&format!("第{i}次"), "正文。"),
            ),
        }
        std::thread::sleep(Duration::from_millis(60));
    }
}

/// The server's peak resident memory (VmHWM) in KiB.
fn peak_rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// When the last reload event arrived (at first: now).
fn watch_reloads(port: u16) -> Arc<Mutex<Instant>> {
    let last = Arc::new(Mutex::new(Instant::now()));
    let stamp = last.clone();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let request = format!("GET /__pufa/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    std::thread::spawn(move || {
        let mut buffer = [0u8; 4096];
        while let Ok(n) = stream.read(&mut buffer) {
            if n == 0 {
                break;
            }
            if String::from_utf8_lossy(&buffer[..n]).contains("event: reload") {
                *stamp.lock().unwrap() = Instant::now();
            }
        }
    });
    last
}

fn get(port: u16, path: &str) -> Response {
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n");
    writer.write_all(request.as_bytes()).unwrap();
    read_response(&mut BufReader::new(stream)).unwrap()
}

/// Waits until no reload event has come for 0.8 s (at most 20 s).
fn wait_for_reloads_to_settle(last_reload: &Mutex<Instant>) {
    let settle = Instant::now();
    while last_reload.lock().unwrap().elapsed() < Duration::from_millis(800) {
        assert!(
            settle.elapsed() < Duration::from_secs(20),
            "the reloads never settled"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// After the last reload, every page the edits touched shows the last save.
fn assert_last_save_served(port: u16) {
    for (path, needle) in [
        ("/news/mediation/", "最后一次保存。"),
        ("/atom.xml", "最终版本"),
        ("/news/", "最终版本"),
        ("/", "最终版本"),
        ("/news/legal-aid/", "345件"),
    ] {
        let response = get(port, path);
        let text = String::from_utf8_lossy(&response.body);
        assert!(
            response.status == 200 && text.contains(needle),
            "{path} is stale after the last reload: {text}"
        );
    }
}

#[test]
fn serve_answers_every_request_through_edits_and_faults() {
    let site = Site::copy_of("fixtures/basic");
    let server = start(&site);
    let port = server.port;
    let stop = Arc::new(AtomicBool::new(false));
    let tally = Arc::new(Tally::default());
    let mut threads = Vec::new();
    for i in 0..RELOAD_STREAMS {
        let (stop, tally) = (stop.clone(), tally.clone());
        threads.push(std::thread::spawn(move || {
            reload_listener(port, i, stop, tally)
        }));
    }
    let started = Instant::now();
    for i in 0..PAGE_WORKERS {
        let (stop, tally) = (stop.clone(), tally.clone());
        threads.push(std::thread::spawn(move || {
            page_worker(port, i + 1, stop, tally)
        }));
    }
    let last_reload = watch_reloads(port);
    edit(&site);
    wait_for_reloads_to_settle(&last_reload);
    stop.store(true, Ordering::Relaxed);
    let elapsed = started.elapsed();
    for thread in threads {
        thread.join().unwrap();
    }

    let faults = tally.faults.lock().unwrap();
    assert!(
        faults.is_empty(),
        "{} failed requests: {:?}",
        faults.len(),
        &faults[..faults.len().min(20)]
    );
    assert_last_save_served(port);
    let mut latencies = tally.latencies.lock().unwrap();
    latencies.sort();
    let requests = latencies.len();
    assert!(requests > 1_000, "only {requests} requests were answered");
    assert!(
        tally.reloads.load(Ordering::Relaxed) >= RELOAD_STREAMS,
        "reload events were not sent to every stream"
    );
    let peak_kib = peak_rss_kib(server.child.id());
    assert!(
        peak_kib < 512 * 1024,
        "serve peaked at {} MiB",
        peak_kib / 1024
    );
    println!(
        "serve under load: {requests} requests in {:.1} s ({:.0} requests/s), p50 {:?}, p99 {:?}, {} dropped mid-response, {} error pages while a save was broken, {} reload events, peak RSS {} MiB",
        elapsed.as_secs_f64(),
        requests as f64 / elapsed.as_secs_f64(),
        latencies[requests / 2],
        latencies[requests * 99 / 100],
        tally.dropped.load(Ordering::Relaxed),
        tally.error_pages.load(Ordering::Relaxed),
        tally.reloads.load(Ordering::Relaxed),
        peak_kib / 1024
    );
}
