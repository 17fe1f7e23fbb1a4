//! Helpers for driving the real `pufa` binary on real folders.
#![allow(dead_code)] // each test file uses a different subset

pub mod serve;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A throwaway site folder.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    /// An empty site with a minimal valid site.yaml.
    pub fn new() -> Site {
        let site = Site {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        site.write(
            "content/site.yaml",
            "title: 测试站\nbase_url: https://example.gov.cn/\n",
        );
        site
    }

    /// A copy of `tests/fixtures/<name>` (or `tests/invalid/<name>`).
    pub fn copy_of(relative: &str) -> Site {
        let site = Site {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests")
                .join(relative),
            site.root(),
        );
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, path: &str, text: &str) {
        self.write_bytes(path, text.as_bytes());
    }

    pub fn write_bytes(&self, path: &str, bytes: &[u8]) {
        let full = self.root().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, bytes).unwrap();
    }

    /// Runs `pufa build --root <site>` plus `args`.
    pub fn build(&self, args: &[&str]) -> Run {
        let mut all = vec!["build", "--root", self.root().to_str().unwrap()];
        all.extend_from_slice(args);
        pufa(&all)
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// A file of the built site, as text.
    pub fn read(&self, path: &str) -> String {
        let full = self.public().join(path);
        std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.public().join(path).exists()
    }
}

/// The result of running the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    #[track_caller]
    pub fn assert_ok(&self) -> &Run {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn assert_fails_with(&self, code: i32, needles: &[&str]) -> &Run {
        assert_eq!(
            self.code, code,
            "exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        for needle in needles {
            assert!(
                self.stderr.contains(needle),
                "stderr lacks {needle:?}:\n{}",
                self.stderr
            );
        }
        self
    }
}

pub fn pufa(args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_pufa"))
        .args(args)
        .output()
        .expect("run pufa");
    Run::from(output)
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir(from) {
        let relative = entry.strip_prefix(from).unwrap();
        let target = to.join(relative);
        if entry.is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(&entry, &target).unwrap();
        }
    }
}

/// Every path under `dir`, `dir` first, in sorted order (folders before their contents).
pub fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![dir.to_path_buf()];
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            out.extend(walkdir(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Every file under `dir` with its bytes, keyed by relative path.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir(dir)
        .into_iter()
        .filter(|p| p.is_file())
        .map(|p| {
            (
                p.strip_prefix(dir).unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

/// Where two versions of a file part: the line, the byte, and the text around it in each
/// (in hex from that byte on, for binary files such as search shards). Each side is named
/// (`("golden", bytes)`), for the message.
pub fn first_difference((a_name, a): (&str, &[u8]), (b_name, b): (&str, &[u8])) -> String {
    let at = a
        .iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .unwrap_or_else(|| a.len().min(b.len()));
    let line = a[..at].iter().filter(|&&c| c == b'\n').count() + 1;
    let around = |bytes: &[u8]| {
        // Whole UTF-8 characters at both ends of the window.
        let is_inside = |i: usize| i < bytes.len() && bytes[i] & 0xC0 == 0x80;
        let mut from = at.saturating_sub(100);
        while from > 0 && is_inside(from) {
            from -= 1;
        }
        let mut to = (at + 120).min(bytes.len());
        while is_inside(to) {
            to += 1;
        }
        let window = &bytes[from.min(to)..to];
        match std::str::from_utf8(&bytes[..bytes.len().min(4096)]) {
            Ok(_) => String::from_utf8_lossy(window).into_owned(),
            // Binary: the bytes from the first difference on, in hex.
            Err(_) => bytes[at.min(bytes.len())..(at + 24).min(bytes.len())]
                .iter()
                .map(|c| format!("{c:02x}"))
                .collect::<Vec<_>>()
                .join(" "),
        }
    };
    let width = a_name.len().max(b_name.len()) + 1;
    format!(
        "line {line}, byte {at} (sizes {} / {})\n    {:width$} …{}…\n    {:width$} …{}…",
        a.len(),
        b.len(),
        format!("{a_name}:"),
        around(a),
        format!("{b_name}:"),
        around(b)
    )
}

/// Reads a QR code back from one of pufa's SVG QR codes, as a phone reads the printed sign.
pub fn decode_qr(svg: &str) -> String {
    let doc = roxmltree::Document::parse(svg).expect("QR SVG is XML");
    let size: usize = doc
        .root_element()
        .attribute("viewBox")
        .unwrap()
        .split(' ')
        .nth(2)
        .unwrap()
        .parse()
        .unwrap();
    let d = doc
        .descendants()
        .find(|n| n.has_tag_name("path"))
        .unwrap()
        .attribute("d")
        .unwrap();
    let mut dark = vec![false; size * size];
    for module in d.split('M').filter(|m| !m.is_empty()) {
        let mut parts = module.trim_end_matches("h1v1h-1z").split(' ');
        let x: usize = parts.next().unwrap().parse().unwrap();
        let y: usize = parts.next().unwrap().parse().unwrap();
        dark[y * size + x] = true;
    }
    let scale = 6;
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(size * scale, size * scale, |x, y| {
            if dark[(y / scale) * size + x / scale] {
                0
            } else {
                255
            }
        });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "exactly one QR code");
    grids[0].decode().expect("the QR code decodes").1
}

/// The first `<svg …>…</svg>` with `class` in an HTML page, parsed.
pub fn svg_in(html: &str, class: &str) -> String {
    let start = html
        .find(&format!("<svg class=\"{class}\""))
        .unwrap_or_else(|| panic!("no svg.{class}"));
    let end = html[start..].find("</svg>").unwrap() + start + "</svg>".len();
    html[start..end].to_string()
}
