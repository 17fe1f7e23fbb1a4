//! The progress bar of a long build: drawn on a terminal once the build has run for a second,
//! never into CI logs, pipes, or with `--quiet`. `script` (util-linux) lends the build a
//! pseudo-terminal, as a person at a terminal has.

mod common;

use std::process::{Command, Stdio};

use common::Site;
use image::{Rgb, RgbImage};

/// A site whose build takes seconds in a debug build: one 3000×2000 photo to process.
fn slow_site() -> Site {
    let site = Site::new();
    let photo = RgbImage::from_fn(3000, 2000, |x, y| {
        Rgb([(x % 251) as u8, (y % 241) as u8, 90])
    });
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(photo)
        .write_to(std::io::Cursor::new(&mut bytes), image::ImageFormat::Jpeg)
        .unwrap();
    site.write_bytes("content/images/square.jpg", &bytes);
    site.write(
        "content/square.md",
        "---\ntitle: 广场\n---\n![宪法广场全景](images/square.jpg)\n",
    );
    site
}

/// Runs `pufa build` on a pseudo-terminal; `None` where `script` is missing or cannot get one.
/// Returns what the terminal showed and the build's own time from its summary line.
fn on_terminal(site: &Site, extra: &str, ci: bool) -> Option<(String, u64)> {
    let command = format!(
        "'{}' build --root '{}' {extra}",
        env!("CARGO_BIN_EXE_pufa"),
        site.root().display()
    );
    let mut script = Command::new("script");
    // With stdin closed (as some CI runners leave it) `script` runs nothing at all.
    script
        .args(["-qec", &command, "/dev/null"])
        .stdin(Stdio::null());
    if ci {
        script.env("CI", "true");
    } else {
        script.env_remove("CI");
    }
    let output = script.output().ok()?;
    let shown = String::from_utf8_lossy(&output.stdout).into_owned();
    if shown.is_empty() {
        return None; // no pseudo-terminal to be had here
    }
    assert!(output.status.success(), "{shown}");
    let elapsed = shown
        .rsplit(" in ")
        .next()
        .and_then(|tail| tail.split(' ').next())
        .and_then(|ms| ms.parse().ok())
        .unwrap_or(0);
    Some((shown, elapsed))
}

fn has_bar(shown: &str) -> bool {
    ["pages    [", "images   [", "writing  ["]
        .iter()
        .any(|bar| shown.contains(bar))
}

#[test]
fn a_long_build_on_a_terminal_shows_a_bar_then_rubs_it_out() {
    let site = slow_site();
    let Some((shown, elapsed)) = on_terminal(&site, "", false) else {
        eprintln!("skipped: no `script` to lend a terminal");
        return;
    };
    assert!(shown.contains("built "), "{shown:?}");
    if elapsed >= 1500 {
        assert!(
            shown.contains("images   ["),
            "{elapsed} ms and no bar: {shown:?}"
        );
        let summary = shown.rfind("built ").unwrap();
        let last_bar = shown.rfind('[').unwrap();
        assert!(
            last_bar < summary,
            "the summary comes after the bar: {shown:?}"
        );
    } else if elapsed < 900 {
        assert!(!has_bar(&shown), "a quick build shows no bar: {shown:?}");
    }
}

#[test]
fn never_in_ci_logs_or_quiet_builds_or_pipes() {
    let site = slow_site();
    if let Some((shown, _)) = on_terminal(&site, "", true) {
        assert!(!has_bar(&shown), "CI set: {shown:?}");
    }
    if let Some((shown, _)) = on_terminal(&site, "--quiet", false) {
        assert!(!has_bar(&shown), "--quiet: {shown:?}");
        assert!(shown.trim().is_empty(), "--quiet prints nothing: {shown:?}");
    }
    let piped = site.build(&[]);
    piped.assert_ok();
    assert!(
        !piped.stderr.contains('\r') && !has_bar(&piped.stderr),
        "{:?}",
        piped.stderr
    );
}
