//! `pufa serve`: builds into a scratch folder, serves it on 127.0.0.1, watches `content/` and
//! `themes/`, rebuilds only what each save touches, and reloads open browsers. A build error
//! does not stop the server: pages show the error (file, line, the offending line, the fix)
//! until the next good save.

use std::net::{IpAddr, SocketAddr};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use notify::{EventKind, RecursiveMode};
use tokio::sync::broadcast;

use crate::content::walk::is_ignored_name;
use crate::live::{LiveSite, Rebuild};
use crate::site::BuildOptions;

/// What `pufa serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site folder; watched under `content/` and `themes/` for edits.
    pub root: PathBuf,
    /// The address to listen on: loopback unless the editor asks otherwise (`--bind`).
    pub bind: IpAddr,
    /// The port to listen on; 0 picks a free one.
    pub port: u16,
    /// `--drafts`: also serve drafts and pages whose `publish:` date is to come.
    pub drafts: bool,
}

/// What the server reports to whoever runs it (the binary prints these).
pub enum ServeEvent<'a> {
    /// The server is listening and the first build is done.
    Listening {
        /// The address to open in a browser: `http://127.0.0.1:1111/`.
        url: &'a str,
        /// The temporary folder the site is built into (removed when the server stops).
        scratch: &'a Path,
    },
    /// One rebuild (the first, full one, or one after an edit) has finished, with or without
    /// errors.
    Rebuilt(&'a Rebuild),
}

/// Why the server could not start.
#[derive(Debug)]
pub enum ServeError {
    /// Another program already listens on the address; the message suggests another `--port`.
    PortInUse {
        /// The address that was asked for.
        bind: IpAddr,
        /// The port that was taken.
        port: u16,
    },
    /// Anything else: the root cannot be read, the scratch folder or the watcher cannot be set up.
    Other(String),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            ServeError::PortInUse { bind, port } => write!(
                f,
                "port {port} on {bind} is already in use (is another `pufa serve` running?); try `pufa serve --port {}`",
                port.saturating_add(1)
            ),
            ServeError::Other(message) => f.write_str(message),
        }
    }
}

struct Shared {
    out: PathBuf,
    last: Mutex<Rebuild>,
    reloads: broadcast::Sender<u64>,
}

/// Runs until the process is stopped.
pub fn serve(
    options: ServeOptions,
    report: impl Fn(ServeEvent) + Send + Sync + 'static,
) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| ServeError::Other(format!("cannot start the server: {e}")))?;
    runtime.block_on(run(options, Arc::new(report)))
}

async fn run(
    mut options: ServeOptions,
    report: Arc<dyn Fn(ServeEvent) + Send + Sync>,
) -> Result<(), ServeError> {
    // Watchers report absolute paths; compare them with an absolute root.
    options.root = options
        .root
        .canonicalize()
        .map_err(|e| ServeError::Other(format!("{}: {e}", options.root.display())))?;
    let address = SocketAddr::new(options.bind, options.port);
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AddrInUse => ServeError::PortInUse {
                bind: options.bind,
                port: options.port,
            },
            _ => ServeError::Other(format!("cannot listen on {address}: {e}")),
        })?;
    let port = listener.local_addr().map_or(options.port, |a| a.port());
    let url = format!("http://{}:{port}/", host(options.bind));
    let scratch = Scratch::create()?;
    let out = scratch.out();
    let build = BuildOptions {
        root: options.root.clone(),
        out: Some(out.clone()),
        base_url: Some(url.clone()),
        drafts: options.drafts,
        progress: Default::default(),
    };
    let mut live = LiveSite::new(build, out.clone());
    let first = tokio::task::block_in_place(|| live.full());
    let (reloads, _) = broadcast::channel(16);
    let shared = Arc::new(Shared {
        out: out.clone(),
        last: Mutex::new(first.clone()),
        reloads,
    });
    // Watch before announcing the address, so no save made after the announcement is missed.
    watch(&options.root, live, shared.clone(), report.clone())?;
    report(ServeEvent::Listening {
        url: &url,
        scratch: &out,
    });
    report(ServeEvent::Rebuilt(&first));
    let app = router(
        shared,
        HostGuard {
            bind: options.bind,
            port,
        },
    );
    let served = tokio::select! {
        served = axum::serve(listener, app).into_future() => served,
        () = stopped() => Ok(()),
    };
    drop(scratch);
    served.map_err(|e| ServeError::Other(format!("the server stopped: {e}")))
}

/// The preview's routes, behind the `Host`/`Origin` check.
fn router(shared: Arc<Shared>, guard: HostGuard) -> Router {
    Router::new()
        .route("/__pufa/events", get(events))
        .route("/__pufa/reload.js", get(reload_script))
        .route("/__pufa/rebuild", get(last_rebuild))
        .fallback(file)
        .with_state(shared)
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(guard),
            check_host,
        ))
}

/// Resolves on Ctrl-C or SIGTERM, so the scratch folder can be removed before exiting.
async fn stopped() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// Which `Host` and `Origin` a request may carry: the preview answers only the names it is
/// reached by on this machine, so a web page elsewhere cannot read it through DNS rebinding.
struct HostGuard {
    bind: IpAddr,
    port: u16,
}

impl HostGuard {
    /// `localhost`, `127.0.0.1`, `[::1]` or the bound address, with our port or none. Bound to
    /// every interface (`--bind 0.0.0.0`), any address literal is accepted, never a name but
    /// `localhost`: rebinding needs a name.
    fn allows_host(&self, host: &str) -> bool {
        let (name, port) = match host.rsplit_once(':') {
            Some((name, port)) if !port.contains(']') => (name, Some(port)),
            _ => (host, None),
        };
        if port.is_some_and(|p| p.parse() != Ok(self.port)) {
            return false;
        }
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        let Ok(ip) = name
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
        else {
            return false;
        };
        ip.is_loopback() || ip == self.bind || self.bind.is_unspecified()
    }

    /// An `Origin` header, when present, must be one of our own `http://host:port`.
    fn allows_origin(&self, origin: &str) -> bool {
        origin
            .strip_prefix("http://")
            .is_some_and(|host| host.contains(':') && self.allows_host(host))
    }
}

/// Refuses requests for another host name, and any cross-site request that is not a plain
/// GET or HEAD.
async fn check_host(
    State(guard): State<Arc<HostGuard>>,
    request: Request,
    next: axum::middleware::Next,
) -> Response {
    let headers = request.headers();
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin = headers.get(header::ORIGIN).and_then(|h| h.to_str().ok());
    let plain = matches!(
        *request.method(),
        axum::http::Method::GET | axum::http::Method::HEAD
    );
    let host_ok = host.is_some_and(|h| guard.allows_host(h));
    let origin_ok = match origin {
        Some(origin) => guard.allows_origin(origin),
        None => plain,
    };
    if host_ok && origin_ok {
        return next.run(request).await;
    }
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "pufa serve answers only http://127.0.0.1 and http://localhost on its own port\n",
    )
        .into_response()
}

fn host(bind: IpAddr) -> String {
    match bind {
        IpAddr::V6(v6) => format!("[{v6}]"),
        v4 => v4.to_string(),
    }
}

/// A private folder of this run's own, outside the site (serve never writes over `public/`):
/// created fresh with a random name and mode 0700, so nothing another local user planted
/// (a folder, a symbolic link) can be written through; removed when the server stops.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn create() -> Result<Scratch, ServeError> {
        let base = std::env::temp_dir();
        let mut last_error = None;
        for attempt in 0u32..16 {
            let mut seed = blake3::Hasher::new();
            seed.update(&std::process::id().to_le_bytes());
            seed.update(&attempt.to_le_bytes());
            seed.update(format!("{:?}", std::time::SystemTime::now()).as_bytes());
            seed.update(format!("{:p}", &base).as_bytes());
            let name = format!("pufa-serve-{}", &seed.finalize().to_hex().as_str()[..16]);
            let dir = base.join(name);
            match private_dir(&dir) {
                Ok(()) => return Ok(Scratch { dir }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last_error = Some(e),
                Err(e) => {
                    return Err(ServeError::Other(format!(
                        "cannot create a scratch folder in {}: {e}",
                        base.display()
                    )));
                }
            }
        }
        Err(ServeError::Other(format!(
            "cannot create a scratch folder in {}: {}",
            base.display(),
            last_error.map_or_else(String::new, |e| e.to_string())
        )))
    }

    /// Where the site is built, inside the private folder.
    fn out(&self) -> PathBuf {
        self.dir.join("public")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Creates `dir` (never an existing one, never through a link) readable only by this user.
fn private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Watches content/ and themes/; each settled batch of saves becomes one rebuild.
fn watch(
    root: &Path,
    mut live: LiveSite,
    shared: Arc<Shared>,
    report: Arc<dyn Fn(ServeEvent) + Send + Sync>,
) -> Result<(), ServeError> {
    let (tx, rx) = std::sync::mpsc::channel();
    let mut debouncer = notify_debouncer_full::new_debouncer(Duration::from_millis(30), None, tx)
        .map_err(|e| ServeError::Other(format!("cannot watch files: {e}")))?;
    for dir in ["content", "themes"]
        .map(|d| root.join(d))
        .into_iter()
        .filter(|d| d.is_dir())
    {
        debouncer
            .watch(&dir, RecursiveMode::Recursive)
            .map_err(|e| ServeError::Other(format!("cannot watch {}: {e}", dir.display())))?;
    }
    std::thread::spawn(move || {
        let _keep_watching = debouncer;
        let mut generation = 0;
        // Saves that arrive meanwhile wait in `rx`.
        live.prepare_edits();
        for result in rx {
            let Ok(events) = result else { continue };
            let mut paths: Vec<PathBuf> = events
                .iter()
                .filter(|e| !matches!(e.kind, EventKind::Access(_)))
                .flat_map(|e| e.paths.iter().cloned())
                .filter(|p| {
                    !p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(is_ignored_name)
                })
                .collect();
            paths.sort();
            paths.dedup();
            if paths.is_empty() {
                continue;
            }
            let rebuild = live.changed(&paths);
            let full = rebuild.full;
            report(ServeEvent::Rebuilt(&rebuild));
            *shared.last.lock().unwrap_or_else(|e| e.into_inner()) = rebuild;
            generation += 1;
            let _ = shared.reloads.send(generation);
            if full {
                live.prepare_edits();
            }
        }
    });
    Ok(())
}

async fn events(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let stream =
        futures_util::stream::unfold(shared.reloads.subscribe(), |mut receiver| async move {
            loop {
                match receiver.recv().await {
                    Ok(generation) => {
                        let event = Event::default()
                            .event("reload")
                            .data(generation.to_string());
                        return Some((Ok::<_, std::convert::Infallible>(event), receiver));
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return None,
                }
            }
        });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

const RELOAD_JS: &str = "new EventSource(\"/__pufa/events\").addEventListener(\"reload\", function () { location.reload(); });\n";

async fn reload_script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        RELOAD_JS,
    )
}

async fn last_rebuild(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let last = shared
        .last
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let json = serde_json::to_string(&last).unwrap_or_default();
    ([(header::CONTENT_TYPE, "application/json")], json)
}

/// Serves a file of the scratch folder, or the error page while the site has errors.
async fn file(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let raw = request.uri().path().to_string();
    let errors: Vec<String> = shared
        .last
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .errors()
        .map(|d| d.render())
        .collect();
    let Some(path) = resolve(&shared.out, &raw) else {
        return not_found(&shared.out);
    };
    if path.is_dir() {
        if !raw.ends_with('/') {
            return (
                StatusCode::MOVED_PERMANENTLY,
                [(header::LOCATION, format!("{raw}/"))],
            )
                .into_response();
        }
        return serve_file(&path.join("index.html"), &errors)
            .unwrap_or_else(|| not_found(&shared.out));
    }
    serve_file(&path, &errors).unwrap_or_else(|| not_found(&shared.out))
}

fn serve_file(path: &Path, errors: &[String]) -> Option<Response> {
    let kind = content_type(path);
    if kind.starts_with("text/html") && !errors.is_empty() {
        return Some(error_page(errors));
    }
    let bytes = std::fs::read(path).ok()?;
    let body = if kind.starts_with("text/html") {
        with_reload(bytes)
    } else {
        bytes
    };
    Some(
        (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(kind)),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            body,
        )
            .into_response(),
    )
}

fn not_found(out: &Path) -> Response {
    let body = std::fs::read(out.join("404.html"))
        .map(with_reload)
        .unwrap_or_else(|_| b"404".to_vec());
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

fn with_reload(mut html: Vec<u8>) -> Vec<u8> {
    let script = b"<script src=\"/__pufa/reload.js\"></script>\n";
    match html.windows(7).rposition(|w| w == b"</body>") {
        Some(at) => {
            html.splice(at..at, script.iter().copied());
        }
        None => html.extend_from_slice(script),
    }
    html
}

/// The page every HTML request gets while the site has errors.
fn error_page(errors: &[String]) -> Response {
    let items: String = errors
        .iter()
        .map(|e| format!("<pre>{}</pre>\n", crate::xml::escape(e)))
        .collect();
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>构建出错 - pufa</title></head>\n<body>\n<main>\n<h1>网站有 {} 处错误，暂时无法预览</h1>\n<p>改正下面的问题并保存，页面会自动刷新。</p>\n{items}</main>\n</body>\n</html>\n",
        errors.len()
    );
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        with_reload(html.into_bytes()),
    )
        .into_response()
}

/// Maps a request path to a file inside `root`, or `None` for anything that could leave it:
/// `..` (plain or percent-encoded), encoded slashes or backslashes, NUL, and symlinks out.
pub fn resolve(root: &Path, raw: &str) -> Option<PathBuf> {
    let lower = raw.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return None;
    }
    let decoded = percent_decode(raw)?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let relative = Path::new(decoded.trim_start_matches('/'));
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return None;
    }
    let full = root.join(relative);
    let canonical = full.canonicalize().ok()?;
    let root = root.canonicalize().ok()?;
    canonical.starts_with(&root).then_some(canonical)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "xml" => "application/xml; charset=utf-8",
        "json" => "application/json",
        "geojson" => "application/geo+json",
        "csv" => "text/csv; charset=utf-8",
        "vcf" => "text/vcard; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_leave_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("public");
        std::fs::create_dir_all(root.join("news")).unwrap();
        std::fs::write(root.join("news/index.html"), "x").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "s").unwrap();
        assert!(resolve(&root, "/news/index.html").is_some());
        assert!(resolve(&root, "/news/").is_some());
        for bad in [
            "/../secret.txt",
            "/news/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/..%2fsecret.txt",
            "/news%2f..%2f..%2fsecret.txt",
            "/..\\secret.txt",
            "/%5c..%5csecret.txt",
            "/news/%00",
        ] {
            assert!(resolve(&root, bad).is_none(), "{bad}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("link.txt"))
                .unwrap();
            assert!(
                resolve(&root, "/link.txt").is_none(),
                "a symlink out of the output"
            );
        }
    }

    #[test]
    fn the_reload_script_goes_before_the_body_ends() {
        let html =
            String::from_utf8(with_reload(b"<html><body><p>x</p></body></html>".to_vec())).unwrap();
        assert!(html.contains("<p>x</p><script src=\"/__pufa/reload.js\"></script>\n</body>"));
    }
}
