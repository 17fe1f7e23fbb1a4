//! The registry: every kind by the name editors write in `kind:`, and [`attach`], which gives
//! each section of a freshly loaded library its kind — resolving the name, letting the kind
//! claim and load its data files, and checking every page's front matter against it.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use super::{Kind, coverage, directory, guides, pages, reports, route};
use crate::config::Config;
use crate::content::{DataFile, KindId, Library, Page, Section, front_matter};
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::keys::{PAGE_KEYS, SECTION_KEYS};
use crate::text::decode_text;

/// Kinds the contract names whose modules are not written yet: their sections build as plain
/// pages, with a warning saying so.
const PLANNED: &[&str] = &[];

static PAGES: pages::Pages = pages::Pages;
static COVERAGE: coverage::CoverageKind = coverage::CoverageKind;
static DIRECTORY: directory::DirectoryKind = directory::DirectoryKind;
static GUIDES: guides::Guides = guides::Guides;
static REPORTS: reports::Reports = reports::Reports;
static ROUTE: route::Route = route::Route;

/// The kind named `name`, or `None` if no kind has that name.
pub fn lookup(name: &str) -> Option<&'static dyn Kind> {
    match name {
        "pages" => Some(&PAGES),
        "coverage" => Some(&COVERAGE),
        "directory" => Some(&DIRECTORY),
        "guides" => Some(&GUIDES),
        "reports" => Some(&REPORTS),
        "route" => Some(&ROUTE),
        _ => None,
    }
}

/// The kind of a section: the one its id names (the default kind for an unknown id).
pub fn of(id: KindId) -> &'static dyn Kind {
    lookup(id.0).unwrap_or(&PAGES)
}

/// Names editors may write in `kind:`, for "did you mean".
pub fn known_names() -> Vec<&'static str> {
    let mut names = vec![
        "pages",
        "coverage",
        "directory",
        "guides",
        "reports",
        "route",
    ];
    names.extend_from_slice(PLANNED);
    names
}

/// Whether `name` is a kind of the contract that this version builds as plain pages.
pub fn is_planned(name: &str) -> bool {
    PLANNED.contains(&name)
}

/// Gives every section of `library` its kind: resolves the names in `kind:`, lets each kind
/// claim and load the data files in its folder (they leave `library.assets` for
/// `library.data_files`), and checks every page's front matter against its section's kind.
pub fn attach(
    library: &mut Library,
    content: &Path,
    config: &Config,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for section in &mut library.sections {
        if let Some(index) = section.index {
            section.kind = section_kind(&library.pages[index], diagnostics);
        }
    }
    let assets = std::mem::take(&mut library.assets);
    let (assets, data_files) =
        load_section_data(content, assets, &mut library.sections, diagnostics);
    library.assets = assets;
    library.data_files = data_files;
    check_front_matter(&mut library.pages, &library.sections, config);
}

fn section_kind(index: &Page, diagnostics: &mut Vec<Diagnostic>) -> KindId {
    let Some(name) = &index.meta.section.kind else {
        return KindId::DEFAULT;
    };
    if let Some(kind) = lookup(&name.value) {
        return KindId(kind.name());
    }
    let at = |d: Diagnostic| {
        d.at(&index.text, name.line, name.column)
            .underline(name.value.chars().count())
    };
    if is_planned(&name.value) {
        diagnostics.push(at(Diagnostic::warning(
            "kind-not-built",
            &index.file,
            format!(
                "this version of pufa builds `kind: {}` sections as plain pages",
                name.value
            ),
        )
        .with_help(
            "the section is published as a list of pages until pufa supports this kind",
        )));
    } else {
        let help = match did_you_mean(&name.value, known_names()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("use one of: {}", known_names().join(", ")),
        };
        diagnostics.push(at(Diagnostic::error(
            "unknown-kind",
            &index.file,
            format!("unknown kind `{}`", name.value),
        )
        .with_help(help)));
    }
    KindId::DEFAULT
}

/// Lets each section's kind claim data files directly in its folder (a directory's `.yaml`)
/// and load them; returns the assets left to copy and the data files claimed.
fn load_section_data(
    content: &Path,
    assets: Vec<String>,
    sections: &mut [Section],
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<String>, Vec<String>) {
    let mut claimed: Vec<Vec<String>> = vec![Vec::new(); sections.len()];
    let position: HashMap<&str, usize> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.dir.as_str(), i))
        .collect();
    let mut unclaimed = Vec::with_capacity(assets.len());
    for asset in assets {
        let dir = asset.rsplit_once('/').map_or("", |(d, _)| d);
        match position.get(dir) {
            Some(&s) if of(sections[s].kind).claims_file(&asset) => claimed[s].push(asset),
            _ => unclaimed.push(asset),
        }
    }
    let data_files: Vec<String> = claimed.iter().flatten().cloned().collect();
    for (section, paths) in sections.iter_mut().zip(claimed) {
        if paths.is_empty() {
            continue;
        }
        let mut files = Vec::new();
        for path in paths {
            let file = format!("content/{path}");
            let text = std::fs::read(content.join(&path))
                .map_err(|e| {
                    Diagnostic::error("unreadable", &file, format!("cannot read the file: {e}"))
                })
                .and_then(|bytes| decode_text(&file, &bytes));
            match text {
                Ok(text) => files.push(DataFile { path, file, text }),
                Err(d) => diagnostics.push(d),
            }
        }
        match of(section.kind).load_section(&files) {
            Ok(data) => section.data = data,
            Err(errors) => diagnostics.extend(errors),
        }
    }
    (unclaimed, data_files)
}

/// Rejects unknown keys (now that each page's kind is known) and lets the kind parse its own.
fn check_front_matter(pages: &mut [Page], sections: &[Section], config: &Config) {
    pages
        .par_iter_mut()
        .for_each(|page| check_page(page, of(sections[page.section].kind), config));
}

/// Checks one page's keys against its section's kind and lets the kind parse its own keys.
pub fn check_page(page: &mut Page, kind: &dyn Kind, config: &Config) {
    let mut allowed: Vec<&str> = PAGE_KEYS.to_vec();
    allowed.extend(config.taxonomies.iter().map(String::as_str));
    if page.is_index {
        allowed.extend_from_slice(SECTION_KEYS);
        allowed.extend_from_slice(kind.section_keys());
    } else {
        allowed.extend_from_slice(kind.page_keys());
    }
    let found = front_matter::check_keys(&page.file, &page.text, &page.meta, &allowed);
    page.diagnostics.extend(found);
    match kind.load_page(&page.yaml(), page.is_index) {
        Ok(data) => page.kind_data = data,
        Err(errors) => page.diagnostics.extend(errors),
    }
}
