//! pufa (普法): a static site generator for public legal-information portals.
//!
//! The library decides and never prints; `main.rs` parses the command line and prints.

#![warn(missing_docs)]
#![warn(clippy::print_stdout, clippy::print_stderr)]
// A `Diagnostic` carries the file, position, offending line and fix an editor needs; it only
// travels on the error path, so its size costs nothing worth boxing it for.
#![allow(clippy::result_large_err)]

pub mod config;
pub mod content;
pub mod dates;
pub mod diagnostics;
pub mod feeds;
pub mod geo;
pub mod home;
pub mod images;
pub mod keys;
pub mod kinds;
pub mod live;
pub mod markdown;
pub mod output;
pub mod pipeline;
pub mod plan;
pub mod progress;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod svg;
pub mod text;
pub mod textsearch;
pub mod url;
pub mod write;
pub mod xml;
pub mod yaml;

pub use site::{BuildOptions, BuildSummary, Site, UnusableRoot};

/// `pufa check`: everything `build` validates, writing nothing.
pub fn check(options: &BuildOptions) -> Result<BuildSummary, UnusableRoot> {
    match pipeline::load(options)? {
        Ok(site) => Ok(pipeline::check(&site)),
        Err(diagnostics) => Ok(BuildSummary::failed(diagnostics)),
    }
}

/// `pufa build`: load, check and write the site. `Err` means the root itself is unusable.
pub fn build(options: &BuildOptions) -> Result<BuildSummary, UnusableRoot> {
    let out = options
        .out
        .clone()
        .unwrap_or_else(|| options.root.join("public"));
    if options.out.is_some() {
        UnusableRoot::check_out(&options.root, &out)?;
    }
    match pipeline::load(options)? {
        Ok(site) => {
            let built = pipeline::build(&site, &out);
            let summary = built.summary;
            // Freeing every page takes ~40 ms at 10,000 pages, the search index ~20 ms more,
            // and the command exits next: the caller does not wait for it.
            let (search, claimed) = (built.search, built.claimed);
            std::thread::spawn(move || drop((site, search, claimed)));
            Ok(summary)
        }
        Err(diagnostics) => Ok(BuildSummary::failed(diagnostics)),
    }
}

/// Text an editor (or an attacker) might put in any field, for the property tests: arbitrary
/// Unicode mixed with the pieces that break parsers and escapers.
#[cfg(test)]
pub(crate) mod hostile {
    use proptest::prelude::*;

    /// Fragments that matter to Markdown, YAML, HTML, XML, CSV and vCard, and to terminals.
    const PIECES: &[&str] = &[
        "<",
        ">",
        "\"",
        "'",
        "&",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "\u{1b}[2K",
        "\u{7}",
        "\r",
        "\n",
        "\r\n",
        "\t",
        "\u{0}",
        "\u{202e}",
        "\u{200f}",
        "\u{feff}",
        "\u{fffe}",
        "\u{ffff}",
        "\u{85}",
        "---",
        "...",
        "**",
        "__",
        "[a](b.md)",
        "[x](javascript:alert(1))",
        "![i](x.png)",
        "# ",
        "## ",
        "{#id}",
        "=",
        "+",
        "-",
        "@",
        ",",
        ";",
        ":",
        "\\",
        "`",
        "|",
        "{{",
        "}}",
        "调解",
        "法律援助",
        "、",
        "：",
        "a",
        "1",
        " ",
        "&amp;",
        "]]>",
        "<!--",
        "\u{10ffff}",
        "0359-1234567",
        "13800000001",
        "&#0;",
    ];

    /// Up to `max` characters: sometimes arbitrary Unicode, mostly hostile fragments.
    pub fn text(max: usize) -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            3 => proptest::sample::select(PIECES).prop_map(str::to_string),
            1 => any::<char>().prop_map(String::from),
        ];
        prop_oneof![
            1 => proptest::collection::vec(any::<char>(), 0..max).prop_map(String::from_iter),
            3 => proptest::collection::vec(piece, 0..max / 2 + 1).prop_map(|p| p.concat()),
        ]
    }

    /// How many cases each property runs: enough to find the usual mistakes, few enough to
    /// keep `cargo test` quick in a debug build. `PROPTEST_CASES=5000` searches deeper.
    pub fn config(cases: u32) -> ProptestConfig {
        let deeper = std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok());
        ProptestConfig {
            cases: deeper.unwrap_or(cases),
            failure_persistence: None,
            ..ProptestConfig::default()
        }
    }
}
