//! Loading `content/` into a [`Library`]: read and parse every Markdown file in parallel, find
//! the sections and give pages URLs. Kinds are attached afterwards, by the kinds' registry
//! (`crate::kinds::attach`): the content model knows no kind.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use jiff::Timestamp;
use rayon::prelude::*;

use super::front_matter::{self, SortBy};
use super::slug::slugify;
use super::walk::ContentFiles;
use super::{KindId, Library, Page, Section};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::markdown::Rendered;
use crate::text::decode_text;
use crate::yaml::YamlSource;

/// What decides which pages a build publishes.
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
    let mut sections = find_sections(&mut pages);
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
        assets: files.assets,
        data_files: Vec::new(),
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
fn find_sections(pages: &mut [Page]) -> Vec<Section> {
    let mut sections = sections_of_index_pages(pages);
    let position: HashMap<String, usize> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.dir.clone(), i))
        .collect();
    link_parents(&mut sections, &position);
    order_subsections(&mut sections, pages);
    for (i, page) in pages.iter_mut().enumerate() {
        page.section = nearest_section(&position, page.dir());
        if !page.is_index {
            sections[page.section].pages.push(i);
        }
    }
    sections
}

/// One unlinked section for the root and for each `_index.md`, ordered by folder, with the
/// settings of its index page.
fn sections_of_index_pages(pages: &[Page]) -> Vec<Section> {
    let mut dirs: BTreeMap<String, Option<usize>> = BTreeMap::from([(String::new(), None)]);
    for (i, page) in pages.iter().enumerate().filter(|(_, p)| p.is_index) {
        dirs.insert(page.dir().to_string(), Some(i));
    }
    dirs.into_iter()
        .map(|(dir, index)| Section {
            kind: KindId::DEFAULT,
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
        .collect()
}

/// The section of `dir` or of its nearest ancestor folder that has one (the root always does).
fn nearest_section(position: &HashMap<String, usize>, dir: &str) -> usize {
    let mut dir = dir;
    loop {
        if let Some(&s) = position.get(dir) {
            return s;
        }
        dir = dir.rsplit_once('/').map_or("", |(parent, _)| parent);
    }
}

/// Each section below the root gets the nearest section above its folder as parent.
fn link_parents(sections: &mut [Section], position: &HashMap<String, usize>) {
    for s in 1..sections.len() {
        let parent_dir = sections[s]
            .dir
            .rsplit_once('/')
            .map_or("", |(p, _)| p)
            .to_string();
        let parent = nearest_section(position, &parent_dir);
        sections[s].parent = Some(parent);
        sections[parent].subsections.push(s);
    }
}

/// Subsections by their index page's `weight:`, then by folder.
fn order_subsections(sections: &mut [Section], pages: &[Page]) {
    let weight = |s: &Section| s.index.map_or(0, |i| pages[i].meta.weight);
    let order: Vec<(i64, String)> = sections
        .iter()
        .map(|s| (weight(s), s.dir.clone()))
        .collect();
    for section in sections {
        section
            .subsections
            .sort_by(|&a, &b| order[a].cmp(&order[b]));
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
        SortBy::Date => return super::newest_first(a, b),
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
