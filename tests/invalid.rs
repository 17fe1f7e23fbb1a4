//! Every folder in `tests/invalid/<case>/` is a site with a mistake an editor could make. The
//! build must fail with exit 1, print each line of the case's `expected.txt` (file, line:column,
//! message, fix), and write nothing.

mod common;

use common::Site;

#[test]
fn every_invalid_site_fails_with_its_expected_messages() {
    let cases_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/invalid");
    let mut cases: Vec<_> = std::fs::read_dir(&cases_dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    assert!(cases.len() >= 15, "cases found: {cases:?}");
    let mut failures = Vec::new();
    for case in &cases {
        let expected = std::fs::read_to_string(cases_dir.join(case).join("expected.txt")).unwrap();
        let site = Site::copy_of(&format!("invalid/{case}"));
        let run = site.build(&[]);
        let missing: Vec<&str> = expected
            .lines()
            .filter(|l| !l.is_empty() && !run.stderr.contains(l))
            .collect();
        if run.code != 1 || !missing.is_empty() || site.public().exists() {
            failures.push(format!(
                "== {case}: exit {} (want 1), missing {missing:?}, public/ written: {}\n{}",
                run.code,
                site.public().exists(),
                run.stderr
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
