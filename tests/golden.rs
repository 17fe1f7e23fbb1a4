//! Golden output: the whole output of every fixture site and of the sample site, compared byte
//! for byte with the files kept under `tests/golden/<site>/`. A change to any page, feed,
//! download, image or search file shows up here, so a refactor that claims to change nothing
//! can prove it.
//!
//! The theme's static files are published as they are, under fingerprinted names: they are kept
//! once, in `themes/default/static/`, and each site's golden lists their names in
//! `tests/golden/<site>.theme-statics` (so the same CSS is not stored nine times).
//!
//! When a change of output is meant, regenerate the goldens and review them with `git diff`:
//!
//! ```text
//! PUFA_UPDATE_GOLDEN=1 cargo test --test golden
//! ```

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{Site, first_difference, pufa, snapshot};

const UPDATE: &str = "PUFA_UPDATE_GOLDEN";

fn golden_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

/// Takes out of `built` the files that are the built-in theme's statics byte for byte under
/// their fingerprinted names (`css/pufa.266153f0.css` is `themes/default/static/css/pufa.css`),
/// and returns their paths, one a line.
fn theme_statics(built: &mut BTreeMap<String, Vec<u8>>) -> String {
    let statics = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static");
    let source = |path: &str| {
        let (folder, name) = path.rsplit_once('/').unwrap_or(("", path));
        let parts: Vec<&str> = name.split('.').collect();
        let [stem, hash, extension] = parts[..] else {
            return None;
        };
        let fingerprinted = hash.len() == 8 && hash.bytes().all(|b| b.is_ascii_hexdigit());
        fingerprinted.then(|| statics.join(folder).join(format!("{stem}.{extension}")))
    };
    let copies: Vec<String> = built
        .iter()
        .filter(|(path, bytes)| {
            source(path).is_some_and(|file| std::fs::read(file).is_ok_and(|b| &b == *bytes))
        })
        .map(|(path, _)| path.clone())
        .collect();
    for path in &copies {
        built.remove(path);
    }
    copies.iter().map(|p| format!("{p}\n")).collect()
}

/// Compares `built` with the golden files of `name` (or rewrites them under PUFA_UPDATE_GOLDEN).
fn compare(name: &str, mut built: BTreeMap<String, Vec<u8>>) {
    assert!(
        built.len() > 5,
        "{name}: the build wrote only {} files",
        built.len()
    );
    let dir = golden_dir(name);
    let statics_file = dir.with_extension("theme-statics");
    let statics = theme_statics(&mut built);
    if std::env::var_os(UPDATE).is_some() {
        std::fs::write(&statics_file, &statics).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        for (path, bytes) in &built {
            let file = dir.join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, bytes).unwrap();
        }
        return;
    }
    assert!(
        dir.is_dir(),
        "{}: no golden files; run `{UPDATE}=1 cargo test --test golden`",
        dir.display()
    );
    let golden = snapshot(&dir);
    let mut problems = Vec::new();
    let expected_statics = std::fs::read_to_string(&statics_file).unwrap_or_default();
    if statics != expected_statics {
        problems.push(format!(
            "the theme's statics as published differ from {}:\n  golden: {:?}\n  built:  {:?}",
            statics_file.display(),
            expected_statics.lines().collect::<Vec<_>>(),
            statics.lines().collect::<Vec<_>>()
        ));
    }
    for path in golden.keys().filter(|p| !built.contains_key(*p)) {
        problems.push(format!("missing from the build: {path}"));
    }
    for path in built.keys().filter(|p| !golden.contains_key(*p)) {
        problems.push(format!("new in the build: {path}"));
    }
    for (path, bytes) in &built {
        if let Some(expected) = golden.get(path)
            && expected != bytes
        {
            problems.push(format!(
                "differs: {path}: {}",
                first_difference(("golden", expected), ("built", bytes))
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{name}: output differs from tests/golden/{name} ({} files); if the change is meant, run \
         `{UPDATE}=1 cargo test --test golden` and review the diff\n{}",
        problems.len(),
        problems.join("\n")
    );
}

fn fixture(name: &str) {
    let site = Site::copy_of(&format!("fixtures/{name}"));
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{name}: {}", run.stderr);
    compare(name, snapshot(&site.public()));
}

#[test]
fn basic_matches_its_golden_output() {
    fixture("basic");
}

#[test]
fn coverage_matches_its_golden_output() {
    fixture("coverage");
}

#[test]
fn directory_matches_its_golden_output() {
    fixture("directory");
}

#[test]
fn guide_tools_matches_its_golden_output() {
    fixture("guide-tools");
}

#[test]
fn guides_matches_its_golden_output() {
    fixture("guides");
}

#[test]
fn reports_matches_its_golden_output() {
    fixture("reports");
}

#[test]
fn routes_matches_its_golden_output() {
    fixture("routes");
}

#[test]
fn search_matches_its_golden_output() {
    fixture("search");
}

#[test]
fn the_sample_site_matches_its_golden_output() {
    let out = tempfile::tempdir().unwrap();
    let run = pufa(&[
        "build",
        "--root",
        env!("CARGO_MANIFEST_DIR"),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    compare("sample", snapshot(out.path()));
}

#[test]
fn every_fixture_has_a_golden_test() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let source = include_str!("golden.rs");
    for entry in std::fs::read_dir(fixtures).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(
            source.contains(&format!("fixture(\"{name}\")")),
            "tests/fixtures/{name} has no golden test in tests/golden.rs"
        );
    }
}
