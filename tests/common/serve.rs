//! Starting the real `pufa serve` on a free 127.0.0.1 port; the guard kills it when dropped.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use super::Site;

/// A running `pufa serve`.
pub struct Server {
    pub child: Child,
    pub port: u16,
    /// The folder it builds into, as it announced it.
    pub scratch: PathBuf,
}

impl Drop for Server {
    /// Stops the server as Ctrl-C would (SIGTERM), so it removes its scratch folder; kills it
    /// if it has not exited within five seconds.
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while std::time::Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `pufa serve --port 0` on `site` (the system picks a free port) and reads the address
/// and scratch folder it prints; if it prints nothing, fails with what it wrote to stderr.
pub fn start(site: &Site) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pufa"))
        .args([
            "serve",
            "--root",
            site.root().to_str().unwrap(),
            "--port",
            "0",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start pufa serve");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let Some(Ok(first)) = lines.next() else {
        let mut stderr = String::new();
        let _ = child.stderr.take().unwrap().read_to_string(&mut stderr);
        panic!("pufa serve printed nothing; stderr: {stderr}");
    };
    let port = first
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no address in {first:?}"));
    let scratch = first
        .split("(built in ")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .map(PathBuf::from)
        .unwrap_or_else(|| panic!("no scratch folder in {first:?}"));
    std::thread::spawn(move || for _ in lines {});
    // Drained, so that a server logging many rebuilds never blocks on a full pipe.
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || for _ in BufReader::new(stderr).lines() {});
    Server {
        child,
        port,
        scratch,
    }
}
