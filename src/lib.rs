//! pufa (普法): a static site generator for public legal-information portals.
//!
//! The library decides and never prints; `main.rs` parses the command line and prints.

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
pub mod kinds;
pub mod live;
pub mod markdown;
pub mod output;
pub mod plan;
pub mod progress;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod svg;
pub mod write;
pub mod yaml;

pub use site::{BuildOptions, BuildSummary, Site, UnusableRoot};

/// `pufa check`: everything `build` validates, writing nothing.
pub fn check(options: &BuildOptions) -> Result<BuildSummary, UnusableRoot> {
    match Site::load(options)? {
        Ok(site) => Ok(site.check()),
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
    match Site::load(options)? {
        Ok(site) => Ok(site.build(&out)),
        Err(diagnostics) => Ok(BuildSummary::failed(diagnostics)),
    }
}
