//! The progress bar of a long build: drawn on a terminal once the build has run for a second,
//! never into CI logs, pipes, or with `--quiet`. `script` (util-linux) lends the build a
//! pseudo-terminal, as a person at a terminal has; a machine without one fails these tests
//! rather than skipping them.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Site;
use image::{Rgb, RgbImage};

/// The bar appears after a second (`TerminalBar::AFTER`); a build this long must show it.
const SURELY_SHOWN: Duration = Duration::from_millis(1500);

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

/// What a build run on a pseudo-terminal showed, and how long it ran by the clock.
struct Terminal {
    shown: String,
    wall: Duration,
}

impl Terminal {
    /// The build's own time from its summary line (`… in 1234 ms`); panics without one.
    fn build_ms(&self) -> u64 {
        let summary = self
            .shown
            .lines()
            .rev()
            .find(|line| line.contains("built "))
            .unwrap_or_else(|| panic!("no summary line: {:?}", self.shown));
        summary
            .rsplit(" in ")
            .next()
            .and_then(|tail| tail.split(' ').next())
            .and_then(|ms| ms.parse().ok())
            .unwrap_or_else(|| panic!("no time in the summary {summary:?}"))
    }
}

/// Empties the image cache, so that each build of the slow site processes its photos again.
fn uncached(site: &Site) -> &Site {
    let _ = std::fs::remove_dir_all(site.root().join(".pufa-cache"));
    site
}

/// Runs `pufa build` on a pseudo-terminal. The shell inside `script` checks that stderr
/// really is a terminal before it starts the build, so a machine that cannot lend one fails
/// here instead of passing every "no bar" check trivially.
fn on_terminal(site: &Site, extra: &str, ci: bool) -> Terminal {
    let command = format!(
        "if [ -t 2 ]; then exec '{}' build --root '{}' {extra}; else echo 'NO TERMINAL'; exit 97; fi",
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
    let started = Instant::now();
    let output = script
        .output()
        .expect("run `script` (util-linux) to lend the build a terminal");
    let wall = started.elapsed();
    let shown = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        !shown.contains("NO TERMINAL"),
        "`script` gave the build no terminal: {shown:?}"
    );
    assert!(
        output.status.success(),
        "{}: {shown:?} {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    Terminal { shown, wall }
}

fn has_bar(shown: &str) -> bool {
    ["pages    [", "images   [", "writing  ["]
        .iter()
        .any(|bar| shown.contains(bar))
}

#[test]
fn a_long_build_on_a_terminal_shows_a_bar_then_rubs_it_out() {
    let run = on_terminal(&slow_site(), "", false);
    let elapsed = run.build_ms();
    assert!(
        elapsed >= SURELY_SHOWN.as_millis() as u64,
        "the slow site built in {elapsed} ms, too quick to test the bar: make slow_site slower"
    );
    let shown = &run.shown;
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
    // Rubbed out: carriage return, spaces over the whole line, carriage return, then the summary.
    let between = &shown[last_bar..summary];
    let rubbed = between
        .rsplit_once('\r')
        .and_then(|(before, _)| before.rsplit_once('\r'))
        .is_some_and(|(_, blank)| blank.len() > 40 && blank.chars().all(|c| c == ' '));
    assert!(
        rubbed,
        "the bar is blanked out before the summary: {between:?}"
    );
}

#[test]
fn a_quick_build_on_a_terminal_shows_no_bar() {
    let site = Site::new();
    site.write("content/about.md", "---\ntitle: 关于\n---\n本局简介。\n");
    let run = on_terminal(&site, "", false);
    let elapsed = run.build_ms();
    assert!(
        elapsed < 900,
        "a one-page site took {elapsed} ms: too slow to test that quick builds show no bar"
    );
    assert!(
        !has_bar(&run.shown),
        "a quick build shows no bar: {:?}",
        run.shown
    );
}

#[test]
fn never_in_ci_logs_or_quiet_builds_or_pipes() {
    let site = slow_site();

    let ci = on_terminal(uncached(&site), "", true);
    let elapsed = ci.build_ms();
    assert!(
        elapsed >= SURELY_SHOWN.as_millis() as u64,
        "CI build took {elapsed} ms: too quick for a missing bar to mean anything"
    );
    assert!(!has_bar(&ci.shown), "CI set: {:?}", ci.shown);

    let quiet = on_terminal(uncached(&site), "--quiet", false);
    assert!(
        quiet.wall >= SURELY_SHOWN,
        "--quiet build took {:?}: too quick for a missing bar to mean anything",
        quiet.wall
    );
    assert!(!has_bar(&quiet.shown), "--quiet: {:?}", quiet.shown);
    assert!(
        quiet.shown.trim().is_empty(),
        "--quiet prints nothing: {:?}",
        quiet.shown
    );

    let started = Instant::now();
    let piped = uncached(&site).build(&[]);
    let wall = started.elapsed();
    piped.assert_ok();
    assert!(
        wall >= SURELY_SHOWN,
        "piped build took {wall:?}: too quick for a missing bar to mean anything"
    );
    assert!(
        !piped.stderr.contains('\r') && !has_bar(&piped.stderr),
        "{:?}",
        piped.stderr
    );
}
