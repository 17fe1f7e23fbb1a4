//! Incremental rebuilds for `pufa serve`. The loaded site stays in memory; an edit to one page
//! reloads that page alone and rewrites only the outputs it touches: its own page, and when its
//! title, date, summary or terms change, the lists and term pages it appears in, the feeds, and
//! its section's kind outputs. Anything that changes the site's shape (a new or deleted page,
//! `site.yaml`, a section's `_index.md`, data files) rebuilds everything.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

use crate::content::{self, Page, Section, taxonomy};
use crate::diagnostics::Diagnostic;
use crate::output::Staging;
use crate::pipeline::{self, LinkMaps, render_page};
use crate::plan::list_pages;
use crate::site::{BuildOptions, SearchState, Site};
use crate::url::{html_path, pager_path};

/// What one rebuild did, for the terminal, the browser and tests.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Rebuild {
    /// Whether everything was rebuilt.
    pub full: bool,
    /// Output paths written by this rebuild.
    pub written: Vec<String>,
    /// Every current finding; when any is an error nothing was written.
    pub diagnostics: Vec<Diagnostic>,
    /// How long the rebuild took, in milliseconds, for the terminal line and the browser overlay.
    pub elapsed_ms: u128,
}

impl Rebuild {
    /// The findings that stopped this rebuild from writing.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }
}

/// Outputs waiting to be written because the site had errors when they changed.
enum Pending {
    None,
    Paths(HashSet<String>),
    Everything,
}

/// A site being edited: loaded once, then updated change by change.
pub struct LiveSite {
    options: BuildOptions,
    out: PathBuf,
    site: Option<Site>,
    pending: Pending,
    /// The search index the served files hold, updated in each rebuild.
    search: Option<SearchState>,
    /// The output paths the last build's plan claimed, so that the next rebuild can delete
    /// what is no longer claimed (a term page whose last page dropped the term). `None` when
    /// unknown (after a failed build): the next rebuild then plans the served site again.
    claimed: Option<HashSet<String>>,
}

/// How a changed file is handled.
enum Change {
    /// A regular page whose text changed.
    Page(String),
    /// A content file copied as is.
    Asset(String),
    /// Anything that may change the site's shape.
    Everything,
    /// A file that came and went (an editor's temporary file).
    Nothing,
}

impl LiveSite {
    /// `out` is the scratch folder the server serves.
    pub fn new(options: BuildOptions, out: PathBuf) -> LiveSite {
        LiveSite {
            options,
            out,
            site: None,
            pending: Pending::Everything,
            search: None,
            claimed: None,
        }
    }

    /// The folder the site is written to and served from.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Loads and writes everything.
    pub fn full(&mut self) -> Rebuild {
        let started = Instant::now();
        let loaded = match pipeline::load(&self.options) {
            Ok(Ok(site)) => site,
            Ok(Err(diagnostics)) => {
                self.site = None;
                return Rebuild {
                    full: true,
                    diagnostics,
                    elapsed_ms: started.elapsed().as_millis(),
                    ..Rebuild::default()
                };
            }
            Err(unusable) => {
                self.site = None;
                let diagnostics = vec![Diagnostic::error("root", "--root", unusable.0)];
                return Rebuild {
                    full: true,
                    diagnostics,
                    elapsed_ms: started.elapsed().as_millis(),
                    ..Rebuild::default()
                };
            }
        };
        let kept = pipeline::build_keeping_index(&loaded, &self.out);
        let summary = kept.summary;
        self.search = kept.search;
        self.claimed = (summary.errors() == 0).then_some(kept.claimed);
        let failed = summary.errors() > 0;
        self.pending = if failed {
            Pending::Everything
        } else {
            Pending::None
        };
        self.site = Some(loaded);
        let written = if failed {
            Vec::new()
        } else {
            vec!["*".to_string()]
        };
        Rebuild {
            full: true,
            written,
            diagnostics: summary.diagnostics,
            elapsed_ms: started.elapsed().as_millis(),
        }
    }

    /// Gets the kept search index ready for edits (see [`crate::textsearch::Index::prepare_replace`]);
    /// `pufa serve` calls it after a full build, between saves.
    pub fn prepare_edits(&mut self) {
        if let Some((index, _)) = &mut self.search {
            index.prepare_replace();
        }
    }

    /// Applies saved files (paths as the watcher reports them).
    pub fn changed(&mut self, paths: &[PathBuf]) -> Rebuild {
        let started = Instant::now();
        let changes: Vec<Change> = paths
            .iter()
            .map(|p| self.classify(p))
            .filter(|c| !matches!(c, Change::Nothing))
            .collect();
        if changes.is_empty() {
            return Rebuild {
                elapsed_ms: started.elapsed().as_millis(),
                ..self.current()
            };
        }
        if self.site.is_none()
            || matches!(self.pending, Pending::Everything)
            || changes.iter().any(|c| matches!(c, Change::Everything))
        {
            return self.full();
        }
        let claimed = self.claimed_paths();
        let mut wanted = match std::mem::replace(&mut self.pending, Pending::None) {
            Pending::Paths(paths) => paths,
            _ => HashSet::new(),
        };
        for change in &changes {
            match change {
                Change::Page(path) => match self.reload_page(path) {
                    Some(outputs) => wanted.extend(outputs),
                    None => return self.full(),
                },
                Change::Asset(path) => {
                    wanted.insert(path.clone());
                }
                Change::Nothing => {}
                Change::Everything => unreachable!("handled above"),
            }
        }
        let mut rebuild = self.write(wanted, claimed);
        rebuild.elapsed_ms = started.elapsed().as_millis();
        rebuild
    }

    /// The output paths the served folder holds, as its last plan claimed them.
    fn claimed_paths(&mut self) -> HashSet<String> {
        match (self.claimed.take(), &self.site) {
            (Some(claimed), _) => claimed,
            (None, Some(site)) => crate::plan::plan(site).claims.into_keys().collect(),
            (None, None) => HashSet::new(),
        }
    }

    /// The site's findings as they stand, when nothing needed rebuilding.
    fn current(&self) -> Rebuild {
        let Some(site) = &self.site else {
            return Rebuild::default();
        };
        Rebuild {
            diagnostics: pipeline::findings(site, &crate::plan::plan(site)),
            ..Rebuild::default()
        }
    }

    fn classify(&self, path: &Path) -> Change {
        let Some(site) = &self.site else {
            return Change::Everything;
        };
        let content = self.options.root.join("content");
        let Ok(relative) = path.strip_prefix(&content) else {
            return Change::Everything;
        };
        let relative = relative.to_string_lossy().replace('\\', "/");
        let library = &site.library;
        let known = library.by_path.contains_key(&relative)
            || library.assets.contains(&relative)
            || library.data_files.contains(&relative);
        if !path.exists() && !known {
            return Change::Nothing;
        }
        if !path.is_file() {
            return Change::Everything;
        }
        match site.library.by_path.get(&relative) {
            Some(&i) if !site.library.pages[i].is_index => Change::Page(relative),
            Some(_) => Change::Everything,
            // A new photo may have another size: the pages showing it change too.
            None if site.images.is_processed(&relative) => Change::Everything,
            // An edited SVG or XML file may now hold script: check it with the whole site.
            None if site.library.assets.contains(&relative)
                && !crate::content::active::may_hold_script(&relative) =>
            {
                Change::Asset(relative)
            }
            None => Change::Everything,
        }
    }

    /// Reloads one page in place; returns the outputs to rewrite, or `None` when the change
    /// moves the page (URL, publication, aliases) and a full rebuild is needed.
    fn reload_page(&mut self, path: &str) -> Option<HashSet<String>> {
        let site = self.site.as_mut()?;
        let index = *site.library.by_path.get(path)?;
        let content_dir = site.root.join("content");
        let mut page = match content::read_page(&content_dir, path, &site.config.taxonomies) {
            Ok(page) => page,
            Err(errors) => {
                site.library.pages[index].diagnostics = errors;
                return Some(HashSet::new());
            }
        };
        let old = &site.library.pages[index];
        page.section = old.section;
        if page.meta.draft != old.meta.draft
            || page.meta.publish != old.meta.publish
            || aliases(&page) != aliases(old)
        {
            return None;
        }
        let section = &site.library.sections[page.section];
        crate::kinds::check_page(&mut page, crate::kinds::of(section.kind), &site.config);
        page.url = content::page_url(&mut page);
        if page.url != old.url {
            return None;
        }
        render_page(
            &mut page,
            &site.config,
            &LinkMaps::of(&site.library),
            &site.images,
        );
        let outputs = touched(site, old, &page);
        site.library.pages[index] = page;
        resort_section(site, index);
        site.taxonomies = taxonomy::collect(&site.library, &site.config.taxonomies);
        Some(outputs)
    }

    /// Rewrites `wanted` and deletes what was `claimed` before the edit and is no longer.
    fn write(&mut self, wanted: HashSet<String>, claimed: HashSet<String>) -> Rebuild {
        let Some(site) = &self.site else {
            return Rebuild::default();
        };
        let plan = crate::plan::plan(site);
        let mut diagnostics = pipeline::findings(site, &plan);
        if diagnostics.iter().any(Diagnostic::is_error) {
            self.claimed = Some(claimed);
            self.pending = Pending::Paths(wanted);
            return Rebuild {
                diagnostics,
                ..Rebuild::default()
            };
        }
        let staging = Staging::direct(&self.out, wanted);
        crate::write::write_site(site, &plan, &staging, &mut diagnostics);
        let mut written = staging.written();
        let now: HashSet<String> = plan.claims.into_keys().collect();
        for stale in claimed.difference(&now) {
            let path = self.out.join(stale);
            if std::fs::remove_file(&path).is_ok() {
                written.push(stale.clone());
                // The folder of a page's index.html goes with it once empty.
                if let Some(folder) = path.parent() {
                    let _ = std::fs::remove_dir(folder);
                }
            }
        }
        self.claimed = Some(now);
        let records = staging.take_records();
        if let Some((index, published)) = &mut self.search
            && !records.is_empty()
        {
            match crate::search::update(index, records, &self.out, published) {
                Some(files) => written.extend(files),
                None => return self.full(),
            }
        }
        Rebuild {
            full: false,
            written,
            diagnostics,
            elapsed_ms: 0,
        }
    }
}

fn aliases(page: &Page) -> Vec<&str> {
    page.meta.aliases.iter().map(|a| a.value.as_str()).collect()
}

/// The outputs an edit from `old` to `new` touches.
fn touched(site: &Site, old: &Page, new: &Page) -> HashSet<String> {
    let mut outputs = HashSet::from([html_path(&new.url)]);
    outputs.extend(newly_shown_images(old, new));
    let section = &site.library.sections[new.section];
    if changes_lists(old, new) {
        outputs.extend((1..=list_pages(section)).map(|n| html_path(&pager_path(&section.url, n))));
        // The home and not-found pages list the guides; the feed and sitemap list every page.
        outputs.extend(["index.html", "404.html", "atom.xml", "sitemap.xml"].map(String::from));
        outputs.extend(term_outputs(site, old, new));
    }
    let links_changed = old.rendered.links.links_to != new.rendered.links.links_to;
    if links_changed || old.meta.title != new.meta.title {
        outputs.extend(linked_pages(site, old, new));
    }
    if section.kind.name() != "pages" {
        outputs.extend(kind_section_outputs(site, section));
    }
    outputs
}

/// Images the page did not show before are published now: their resized copies.
fn newly_shown_images(old: &Page, new: &Page) -> Vec<String> {
    let shown = |page: &Page| -> Vec<std::sync::Arc<crate::images::Responsive>> {
        page.rendered
            .images
            .iter()
            .chain(&page.rendered.image)
            .cloned()
            .collect()
    };
    let before = shown(old);
    shown(new)
        .iter()
        .filter(|image| !before.iter().any(|b| b.source == image.source))
        .flat_map(|image| image.variants.iter().map(|v| v.path.clone()))
        .collect()
}

/// Whether the edit changes what lists, feeds and term pages show of the page.
fn changes_lists(old: &Page, new: &Page) -> bool {
    old.meta.title != new.meta.title
        || old.meta.date != new.meta.date
        || old.meta.updated != new.meta.updated
        || old.meta.weight != new.meta.weight
        || old.summary() != new.summary()
        || old.meta.taxonomies != new.meta.taxonomies
}

/// The taxonomy pages and term list pages of every term the page had or has.
fn term_outputs(site: &Site, old: &Page, new: &Page) -> Vec<String> {
    let terms: BTreeSet<(&String, &String)> = old
        .meta
        .taxonomies
        .iter()
        .chain(&new.meta.taxonomies)
        .flat_map(|(taxonomy, terms)| terms.iter().map(move |t| (taxonomy, t)))
        .collect();
    let mut outputs = Vec::new();
    for (taxonomy, term) in terms {
        let url = taxonomy::term_url(taxonomy, term);
        outputs.push(html_path(&format!("/{taxonomy}/")));
        // A term can gain a page (and so a list page): allow for one more than it has now.
        let slug = taxonomy::term_slug(term);
        let count = site
            .taxonomies
            .iter()
            .find(|t| &t.name == taxonomy)
            .and_then(|t| t.terms.iter().find(|x| x.slug == slug))
            .map_or(0, |t| t.pages.len());
        let pages = taxonomy::term_list_pages(count + 1);
        outputs.extend((1..=pages).map(|n| html_path(&pager_path(&url, n))));
    }
    outputs
}

/// Pages list the pages that link to them (a guide's "referenced by"): the pages this one
/// links to, before and after the edit.
fn linked_pages(site: &Site, old: &Page, new: &Page) -> Vec<String> {
    old.rendered
        .links
        .links_to
        .iter()
        .chain(&new.rendered.links.links_to)
        .filter_map(|path| site.library.by_path.get(path))
        .map(|&i| html_path(&site.library.pages[i].url))
        .collect()
}

/// Kind pages show their neighbours (a route's stops, map and signs): the whole section, its
/// list pages and the kind's extra files.
fn kind_section_outputs(site: &Site, section: &Section) -> Vec<String> {
    let mut outputs: Vec<String> = section
        .pages
        .iter()
        .map(|&i| html_path(&site.library.pages[i].url))
        .collect();
    outputs.extend((1..=list_pages(section)).map(|n| html_path(&pager_path(&section.url, n))));
    let context = site.kind_context();
    let index = site
        .library
        .sections
        .iter()
        .position(|s| std::ptr::eq(s, section))
        .unwrap_or(0);
    outputs.extend(
        crate::kinds::of(section.kind)
            .outputs(&context, index)
            .iter()
            .map(|o| o.path()),
    );
    outputs
}

fn resort_section(site: &mut Site, index: usize) {
    let section = site.library.pages[index].section;
    let pages = &site.library.pages;
    let by = site.library.sections[section].settings.sort_by;
    site.library.sections[section]
        .pages
        .sort_by(|&a, &b| content::compare_in_section(by, &pages[a], &pages[b]));
}
