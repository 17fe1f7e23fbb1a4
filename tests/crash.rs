//! A build killed with SIGKILL at any moment leaves the output folder a complete site — the
//! one before or the one after, byte for byte, never a mixture or nothing — and the next
//! build recovers from whatever staging folders the dead one left.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Site;

/// Every file under `dir` (relative path → bytes); missing folder → empty.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// Writes version `v` of a site big enough that a debug build takes a while: 400 pages in
/// four sections, all titles and bodies depending on `v`, plus a page only one version has.
fn write_version(site: &Site, v: usize) {
    for section in 0..4 {
        site.write(
            &format!("content/s{section}/_index.md"),
            &format!("---\ntitle: 栏目{section}（第{v}版）\npaginate: 25\n---\n"),
        );
        for n in 0..100 {
            site.write(
                &format!("content/s{section}/p{n}.md"),
                &format!(
                    "---\ntitle: 第{v}版第{n}篇\ndate: 2024-0{}-1{}\ntags: [t{}, 版本{v}]\n---\n## 一、概述\n\n第{v}版正文{}。\n",
                    1 + n % 9,
                    n % 10,
                    n % 7,
                    "依法治县。".repeat(20 + v)
                ),
            );
        }
    }
    let (keep, drop) = if v.is_multiple_of(2) {
        ("even", "odd")
    } else {
        ("odd", "even")
    };
    site.write(
        &format!("content/{keep}.md"),
        "---\ntitle: 只在一版\n---\n文字\n",
    );
    let _ = std::fs::remove_file(site.root().join(format!("content/{drop}.md")));
}

fn build_into(site: &Site) {
    site.build(&["--quiet"]).assert_ok();
}

/// The two complete sites, each built undisturbed in a folder of its own.
fn reference_outputs() -> Vec<BTreeMap<String, Vec<u8>>> {
    (0..2)
        .map(|v| {
            let reference = Site::new();
            write_version(&reference, v);
            build_into(&reference);
            snapshot(&reference.public())
        })
        .collect()
}

/// Starts `pufa build` on `site`, kills it after `delay`; true when the kill hit a running
/// build (rather than one that had already finished).
fn kill_build_after(site: &Site, delay: Duration) -> bool {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pufa"))
        .args(["build", "--quiet", "--root", site.root().to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(delay);
    let finished = child.try_wait().unwrap().is_some();
    let _ = child.kill();
    let status = child.wait().unwrap();
    !finished && status.code().is_none()
}

#[test]
fn a_build_killed_at_any_point_leaves_a_whole_site_and_the_next_build_recovers() {
    let expected = reference_outputs();
    assert_ne!(expected[0], expected[1]);

    let site = Site::new();
    write_version(&site, 0);
    let started = Instant::now();
    build_into(&site);
    let full = started.elapsed();
    assert_eq!(snapshot(&site.public()), expected[0]);

    // Kill at fractions of the build's length, spread from its first moment to its end; a
    // build that finished before its kill shows the estimate was long, so it shrinks.
    let mut full = full;
    let (mut current, mut killed_mid_build, mut attempt) = (0, 0, 0);
    while killed_mid_build < 12 && attempt < 48 {
        let next = 1 - current;
        write_version(&site, next);
        let delay = full.mul_f64((attempt % 12) as f64 / 11.0);
        if kill_build_after(&site, delay) {
            killed_mid_build += 1;
        } else {
            full = full.mul_f64(0.8);
        }
        let now = snapshot(&site.public());
        let which = expected.iter().position(|e| *e == now);
        assert!(
            which == Some(current) || which == Some(next),
            "kill {attempt} after {delay:?}: public/ is neither the old nor the new site ({} files)",
            now.len()
        );
        current = which.unwrap();
        attempt += 1;
    }
    assert!(
        killed_mid_build >= 12,
        "only {killed_mid_build} of {attempt} kills hit a running build"
    );

    for v in [1 - current, current] {
        write_version(&site, v);
        build_into(&site);
        assert_eq!(
            snapshot(&site.public()),
            expected[v],
            "the build after the kills"
        );
    }
    let mut left: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    left.sort();
    assert_eq!(
        left,
        [".public.pufa-spare"],
        "only the reusable spare stays"
    );
}
