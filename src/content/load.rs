//! Loading `content/` into a [`Library`]: read and parse every Markdown file in parallel, find
//! the sections, check front-matter keys against each section's kind, and give pages URLs.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use jiff::Timestamp;
use rayon::prelude::*;

use super::front_matter::{self, SortBy};
use super::slug::slugify;
use super::walk::ContentFiles;
use super::{Library, Page, Section};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::keys::{PAGE_KEYS, SECTION_KEYS};
use crate::kinds;
use crate::markdown::Rendered;
use crate::text::decode_text;
use crate::yaml::YamlSource;

pub struct LoadOptions {
    /// Build drafts and pages scheduled for later (`--drafts`).
    pub drafts: bool,
    /// "Now", for `publish` dates.
    pub now: Timestamp,
}

/// Loads every page and section. Problems go into `diagnostics`; what could be loaded is kept
/// so that one build reports as much as possible.
pub fn load(
    content: &Path,
    files: ContentFiles,
    config: &Config,
    options: &LoadOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Library {
    let parsed: Vec<Result<Page, Vec<Diagnostic>>> = files
        .markdown
        .par_iter()
        .map(|path| read_page(content, path, &config.taxonomies))
        .collect();
    let mut pages = Vec::with_capacity(parsed.len());
    let mut excluded = HashMap::new();
    for result in parsed {
        match result {
            Ok(page) => match exclusion(&page, options) {
                Some(why) => {
                    excluded.insert(page.path, why);
                }
                None => pages.push(page),
            },
            Err(errors) => diagnostics.extend(errors),
        }
    }
    let mut sections = find_sections(&mut pages, diagnostics);
    let (assets, data_files) = load_section_data(content, files.assets, &mut sections, diagnostics);
    check_front_matter(&mut pages, &sections, config);
    assign_urls(&mut pages, &mut sections);
    sort_section_pages(&pages, &mut sections);
    let by_path = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.path.clone(), i))
        .collect();
    Library {
        pages,
        sections,
        by_path,
        excluded,
        assets,
        data_files,
    }
}

/// Reads and parses one Markdown file (its shared front matter only).
pub(crate) fn read_page(
    content: &Path,
    path: &str,
    taxonomies: &[String],
) -> Result<Page, Vec<Diagnostic>> {
    let file = format!("content/{path}");
    let bytes = std::fs::read(content.join(path)).map_err(|e| {
        vec![Diagnostic::error(
            "unreadable",
            &file,
            format!("cannot read the file: {e}"),
        )]
    })?;
    let text = decode_text(&file, &bytes).map_err(|d| vec![d])?;
    let layout = front_matter::split(&file, &text).map_err(|d| vec![d])?;
    let source = YamlSource {
        file: &file,
        text: &text,
        yaml: &text[layout.yaml_start..layout.yaml_end],
        first_line: 2,
    };
    let meta = front_matter::parse(&source, taxonomies)?;
    let is_index = path == "_index.md" || path.ends_with("/_index.md");
    Ok(Page {
        path: path.to_string(),
        file,
        text,
        layout,
        meta,
        is_index,
        section: 0,
        url: String::new(),
        kind_data: None,
        rendered: Rendered::default(),
        diagnostics: Vec::new(),
    })
}

fn exclusion(page: &Page, options: &LoadOptions) -> Option<&'static str> {
    if options.drafts {
        return None;
    }
    if page.meta.draft {
        return Some("draft: true");
    }
    match page.meta.publish {
        Some(publish) if publish > options.now => Some("its publish date is still to come"),
        _ => None,
    }
}

/// Sections are the root and every folder with an `_index.md`; a page belongs to the nearest.
fn find_sections(pages: &mut [Page], diagnostics: &mut Vec<Diagnostic>) -> Vec<Section> {
    let mut dirs: BTreeMap<String, Option<usize>> = BTreeMap::from([(String::new(), None)]);
    for (i, page) in pages.iter().enumerate().filter(|(_, p)| p.is_index) {
        dirs.insert(page.dir().to_string(), Some(i));
    }
    let mut sections: Vec<Section> = dirs
        .into_iter()
        .map(|(dir, index)| Section {
            kind: index.map_or(kinds::default_kind(), |i| {
                section_kind(&pages[i], diagnostics)
            }),
            settings: index
                .map(|i| pages[i].meta.section.clone())
                .unwrap_or_default(),
            dir,
            index,
            pages: Vec::new(),
            subsections: Vec::new(),
            parent: None,
            url: String::new(),
            data: None,
        })
        .collect();
    let position: HashMap<String, usize> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.dir.clone(), i))
        .collect();
    let nearest = |dir: &str| -> usize {
        let mut dir = dir;
        loop {
            if let Some(&s) = position.get(dir) {
                return s;
            }
            dir = dir.rsplit_once('/').map_or("", |(parent, _)| parent);
        }
    };
    for s in 1..sections.len() {
        let parent_dir = sections[s]
            .dir
            .rsplit_once('/')
            .map_or("", |(p, _)| p)
            .to_string();
        let parent = nearest(&parent_dir);
        sections[s].parent = Some(parent);
        sections[parent].subsections.push(s);
    }
    let weight = |s: &Section| s.index.map_or(0, |i| pages[i].meta.weight);
    let order: Vec<(i64, String)> = sections
        .iter()
        .map(|s| (weight(s), s.dir.clone()))
        .collect();
    for section in &mut sections {
        section
            .subsections
            .sort_by(|&a, &b| order[a].cmp(&order[b]));
    }
    for (i, page) in pages.iter_mut().enumerate() {
        page.section = nearest(page.dir());
        if !page.is_index {
            sections[page.section].pages.push(i);
        }
    }
    sections
}

fn section_kind(index: &Page, diagnostics: &mut Vec<Diagnostic>) -> &'static dyn kinds::Kind {
    let Some(name) = &index.meta.section.kind else {
        return kinds::default_kind();
    };
    if let Some(kind) = kinds::lookup(&name.value) {
        return kind;
    }
    let at = |d: Diagnostic| {
        d.at(&index.text, name.line, name.column)
            .underline(name.value.chars().count())
    };
    if kinds::is_planned(&name.value) {
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
        let help = match did_you_mean(&name.value, kinds::known_names()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("use one of: {}", kinds::known_names().join(", ")),
        };
        diagnostics.push(at(Diagnostic::error(
            "unknown-kind",
            &index.file,
            format!("unknown kind `{}`", name.value),
        )
        .with_help(help)));
    }
    kinds::default_kind()
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
            Some(&s) if sections[s].kind.claims_file(&asset) => claimed[s].push(asset),
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
                Ok(text) => files.push(super::DataFile { path, file, text }),
                Err(d) => diagnostics.push(d),
            }
        }
        match section.kind.load_section(&files) {
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
        .for_each(|page| check_page(page, sections[page.section].kind, config));
}

/// Checks one page's keys against its section's kind and lets the kind parse its own keys.
pub(crate) fn check_page(page: &mut Page, kind: &dyn kinds::Kind, config: &Config) {
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

fn assign_urls(pages: &mut [Page], sections: &mut [Section]) {
    for section in sections.iter_mut() {
        section.url = dir_url(&section.dir);
    }
    for page in pages.iter_mut() {
        page.url = match page.is_index {
            true => sections[page.section].url.clone(),
            false => page_url(page),
        };
    }
}

/// A regular page's site path: its folder's URL and its slug (`slug:` or the file name).
pub(crate) fn page_url(page: &mut Page) -> String {
    let stem = page
        .path
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".md");
    let slug = match &page.meta.slug {
        Some(slug) => slugify(&slug.value),
        None => slugify(stem),
    };
    if slug.is_empty() {
        page.diagnostics.push(
            Diagnostic::error(
                "no-slug",
                &page.file,
                "cannot make a web address from this file name",
            )
            .with_help("add a `slug:` line with letters or pinyin, e.g. `slug: tong-zhi`"),
        );
    }
    format!("{}{slug}/", dir_url(page.dir()))
}

/// `guides/新闻` → `/guides/xin-wen/`.
fn dir_url(dir: &str) -> String {
    let mut url = String::from("/");
    for part in dir.split('/').filter(|p| !p.is_empty()) {
        url.push_str(&slugify(part));
        url.push('/');
    }
    url
}

fn sort_section_pages(pages: &[Page], sections: &mut [Section]) {
    for section in sections.iter_mut() {
        let by = section.settings.sort_by;
        section
            .pages
            .sort_by(|&a, &b| compare_in_section(by, &pages[a], &pages[b]));
    }
}

/// The order of pages in a section list: newest first, by weight, or by title; then by path.
pub(crate) fn compare_in_section(by: SortBy, a: &Page, b: &Page) -> std::cmp::Ordering {
    let primary = match by {
        SortBy::Date => b.meta.date.cmp(&a.meta.date),
        SortBy::Weight => a.meta.weight.cmp(&b.meta.weight),
        SortBy::Title => a.meta.title.cmp(&b.meta.title),
    };
    primary.then_with(|| a.path.cmp(&b.path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_urls_are_slugged() {
        assert_eq!(dir_url(""), "/");
        assert_eq!(dir_url("news/宪法宣传周"), "/news/xian-fa-xuan-chuan-zhou/");
    }
}
