//! The build pipeline: [`load`] reads and checks everything into a [`Site`], [`build`] plans
//! and writes it, [`check`] does all of `build` but the writing. Each is a list of small named
//! steps; every step adds to one list of diagnostics, so a build reports all the problems it
//! can find, not just the first.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::taxonomy;
use crate::content::{self, Library, LoadOptions};
use crate::diagnostics::Diagnostic;
use crate::images::{ImageStore, Reference};
use crate::kinds::KindContext;
use crate::markdown::links::{LinkTargets, PagePlace};
use crate::markdown::{self};
use crate::plan::Plan;
use crate::render::Renderer;
use crate::render::theme::Theme;
use crate::site::{BuildOptions, BuildSummary, SearchState, Site, UnusableRoot};

/// Reads `content/` and the theme and checks everything that can be checked before writing.
/// `Err` holds the diagnostics when the site cannot even be loaded (no config, bad theme).
pub fn load(options: &BuildOptions) -> Result<Result<Site, Vec<Diagnostic>>, UnusableRoot> {
    let content_dir = options.root.join("content");
    if !content_dir.is_dir() {
        return Err(UnusableRoot(format!(
            "{} has no content/ folder; run pufa in the site's folder or pass --root",
            options.root.display()
        )));
    }
    let config = match Config::load(&options.root, options.base_url.as_deref()) {
        Ok(config) => config,
        Err(errors) => return Ok(Err(errors)),
    };
    let (theme, renderer) = match load_theme(&options.root, &config) {
        Ok(t) => t,
        Err(errors) => return Ok(Err(errors)),
    };
    let mut diagnostics = Vec::new();
    let files = content::walk::walk(&content_dir, &mut diagnostics);
    let load_options = LoadOptions {
        drafts: options.drafts,
        now: jiff::Timestamp::now(),
    };
    let mut library = content::load(
        &content_dir,
        files,
        &config,
        &load_options,
        &mut diagnostics,
    );
    crate::kinds::attach(&mut library, &content_dir, &config, &mut diagnostics);
    let targets = LinkMaps::of(&library);
    let images = ImageStore::new(
        &content_dir,
        options.root.join(crate::images::CACHE_DIR),
        &config.images.widths,
    );
    options.progress.step("pages", library.pages.len());
    library.pages.par_iter_mut().for_each(|page| {
        render_page(page, &config, &targets, &images);
        options.progress.advance();
    });
    if !config.markdown.unsafe_html {
        diagnostics.extend(content::active::check_assets(&content_dir, &library.assets));
    }
    let taxonomies = taxonomy::collect(&library, &config.taxonomies);
    diagnostics.extend(crate::images::located_copies(
        &content_dir,
        &library.assets,
        &images,
    ));
    Ok(Ok(Site {
        root: options.root.clone(),
        config,
        library,
        taxonomies,
        theme,
        renderer,
        images,
        progress: options.progress.clone(),
        diagnostics,
    }))
}

/// Every finding about the site as it stands: loading, each page, and the checks across
/// pages (anchors, kinds, output paths). Sorted by file and position.
pub fn findings(site: &Site, plan: &Plan) -> Vec<Diagnostic> {
    let mut all = site.diagnostics.clone();
    all.extend(
        site.library
            .pages
            .iter()
            .flat_map(|p| p.diagnostics.iter().cloned()),
    );
    check_anchors(&site.library, &mut all);
    validate_kinds(&site.library, &site.config, &mut all);
    all.extend(plan.diagnostics.iter().cloned());
    check_site_paths(&site.library, plan, &mut all);
    sorted(all)
}

/// Writes the site to `out` through a staging folder; the output is replaced only if
/// there were no errors. What the build made is handed back, for the caller to free when
/// that costs no time (`pufa build` exits without waiting for it).
pub fn build(site: &Site, out: &Path) -> KeptBuild {
    build_to(site, out, false)
}

/// What a build made beside its output: `pufa serve` keeps it to update the output after
/// edits.
pub struct KeptBuild {
    /// The build's outcome.
    pub summary: BuildSummary,
    /// The search index it wrote and its files' paths (`None` without search or on failure;
    /// editable only from [`build_keeping_index`]).
    pub search: Option<SearchState>,
    /// Every output path the build's plan claimed.
    pub claimed: HashSet<String>,
}

/// [`build`] for `pufa serve`, which keeps what it hands back (the search index it wrote,
/// made editable, and the paths it claimed) to update the output after edits.
pub fn build_keeping_index(site: &Site, out: &Path) -> KeptBuild {
    build_to(site, out, true)
}

fn build_to(site: &Site, out: &Path, keep_index: bool) -> KeptBuild {
    let failed = |diagnostics| KeptBuild {
        summary: BuildSummary::failed(diagnostics),
        search: None,
        claimed: HashSet::new(),
    };
    let staging = match crate::output::Staging::create(out) {
        Ok(s) if keep_index => s.keeping_index(),
        Ok(s) => s,
        Err(e) => {
            let mut diagnostics = findings(site, &crate::plan::plan(site));
            diagnostics.push(e);
            return failed(diagnostics);
        }
    };
    let (plan, mut diagnostics, written) = plan_and_write(site, &staging, true);
    let Some(pages) = written else {
        staging.discard();
        return failed(diagnostics);
    };
    let files = staging.files_written();
    let search = staging.take_index();
    if diagnostics.iter().any(Diagnostic::is_error) {
        staging.discard();
    } else if let Err(e) = staging.commit() {
        diagnostics.push(e);
    }
    let summary = BuildSummary {
        pages,
        files,
        diagnostics: sorted(diagnostics),
        images: site.images.counts(),
    };
    KeptBuild {
        summary,
        search,
        claimed: plan.claims.into_keys().collect(),
    }
}

/// Everything `build` checks, without writing: every page is rendered in memory so that
/// template errors are found too.
pub fn check(site: &Site) -> BuildSummary {
    let staging = crate::output::Staging::dry();
    let (_, diagnostics, pages) = plan_and_write(site, &staging, false);
    BuildSummary {
        pages: pages.unwrap_or(0),
        files: staging.files_written(),
        diagnostics: sorted(diagnostics),
        images: site.images.counts(),
    }
}

/// Plans and checks the site, then writes it into `staging` (unless `stop_at_errors` and
/// the checks found errors: then `None` pages, and nothing but their diagnostics).
///
/// The search index is made beside the plan, the checks and the pages: it needs only the
/// pages' text, and the plan and checks are mostly one thread's work, which would leave the
/// other core idle. Its files are encoded and written beside the feeds, for the same reason.
fn plan_and_write(
    site: &Site,
    staging: &crate::output::Staging,
    stop_at_errors: bool,
) -> (Plan, Vec<Diagnostic>, Option<usize>) {
    let (index, (plan, mut diagnostics, html)) = rayon::join(
        || crate::search::make_index(site, staging),
        || {
            let plan = crate::plan::plan(site);
            let mut diagnostics = findings(site, &plan);
            if stop_at_errors && diagnostics.iter().any(Diagnostic::is_error) {
                return (plan, diagnostics, None);
            }
            let pages = crate::write::write_html(site, &plan, staging, &mut diagnostics);
            (plan, diagnostics, Some(pages))
        },
    );
    // A stopped build reports its checks' errors alone, and writes none of the index.
    let Some(html) = html else {
        return (plan, diagnostics, None);
    };
    let (index_findings, rest) = rayon::join(
        || {
            index.map_or_else(Vec::new, |index| {
                crate::search::write_index(site, staging, index)
            })
        },
        || {
            let mut found = Vec::new();
            let pages = crate::write::write_feeds_and_files(site, &plan, staging, &mut found);
            (pages, found)
        },
    );
    diagnostics.extend(rest.1);
    diagnostics.extend(index_findings);
    (plan, diagnostics, Some(html + rest.0))
}

/// What Markdown links resolve against: every page's URL and every asset.
pub(crate) struct LinkMaps {
    pub pages: HashMap<String, String>,
    pub assets: HashSet<String>,
    pub excluded: HashMap<String, &'static str>,
}

impl LinkMaps {
    pub fn of(library: &Library) -> LinkMaps {
        LinkMaps {
            pages: library
                .pages
                .iter()
                .map(|p| (p.path.clone(), p.url.clone()))
                .collect(),
            assets: library.assets.iter().cloned().collect(),
            excluded: library.excluded.clone(),
        }
    }
}

/// Renders one page's Markdown, resolving its links and probing its images; its findings go
/// onto the page.
pub(crate) fn render_page(
    page: &mut content::Page,
    config: &Config,
    maps: &LinkMaps,
    images: &ImageStore,
) {
    let targets = LinkTargets {
        pages: &maps.pages,
        excluded: &maps.excluded,
        assets: &maps.assets,
        base_path: &config.base_path,
        unsafe_html: config.markdown.unsafe_html,
        images: Some(images),
    };
    let place = PagePlace {
        file: &page.file,
        text: &page.text,
        body_start: page.layout.body_start,
        dir: page.dir(),
    };
    page.rendered = markdown::render(&place, &targets);
    let found = std::mem::take(&mut page.rendered.links.diagnostics);
    page.diagnostics.extend(found);
    front_matter_image(page, maps, images);
}

/// Checks the front matter's `image:` (it must exist and have alt text) and probes it.
fn front_matter_image(page: &mut content::Page, maps: &LinkMaps, images: &ImageStore) {
    let Some(image) = &page.meta.image else {
        return;
    };
    let resolved = crate::markdown::links::join(page.dir(), &image.value);
    let local = resolved.as_ref().filter(|r| maps.assets.contains(*r));
    if let Some(path) = local {
        let at = Reference::at(&page.file, &page.text, image.line, image.column);
        match images.probe(path, at) {
            Some(Ok(shown)) => page.rendered.image = Some(shown),
            Some(Err(bad)) => page.diagnostics.push(bad),
            None => {}
        }
    } else if !image.value.contains("://") {
        let missing = Diagnostic::error("missing-image", &page.file, format!("the image `{}` does not exist", image.value))
            .at(&page.text, image.line, image.column)
            .with_help("check the file name; paths are relative to this page, or start with / for the content folder");
        page.diagnostics.push(missing);
    }
    if page
        .meta
        .image_alt
        .as_deref()
        .is_none_or(|a| a.trim().is_empty())
    {
        let no_alt = Diagnostic::warning("image-alt", &page.file, "`image` has no `image_alt`")
            .at(&page.text, image.line, image.column)
            .with_help("add `image_alt:` describing the picture for screen readers");
        page.diagnostics.push(no_alt);
    }
}

fn sorted(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let collector = crate::diagnostics::Diagnostics::default();
    collector.extend(diagnostics);
    collector.into_sorted()
}

fn load_theme(root: &Path, config: &Config) -> Result<(Theme, Renderer), Vec<Diagnostic>> {
    let theme = Theme::load(root, &config.theme)?;
    let renderer = Renderer::new(&theme, config)?;
    Ok((theme, renderer))
}

/// Links with `#anchor` must name a heading id of the page they point to.
fn check_anchors(library: &Library, diagnostics: &mut Vec<Diagnostic>) {
    for page in &library.pages {
        for pending in &page.rendered.links.anchors {
            let target = match &pending.page {
                Some(path) => match library.by_path.get(path) {
                    Some(&i) => &library.pages[i],
                    None => continue,
                },
                None => page,
            };
            let ids = &target.rendered.headings;
            let is_footnote =
                pending.anchor.starts_with("fn") || pending.anchor.starts_with("fnref");
            if is_footnote || ids.iter().any(|h| h.id == pending.anchor) {
                continue;
            }
            let known: Vec<&str> = ids.iter().map(|h| h.id.as_str()).collect();
            let help =
                match crate::diagnostics::did_you_mean(&pending.anchor, known.iter().copied()) {
                    Some(near) => format!("did you mean `#{near}`?"),
                    None if known.is_empty() => {
                        format!("{} has no headings to link to", target.file)
                    }
                    None => format!(
                        "the headings of {} have the ids: {}",
                        target.file,
                        known.join(", ")
                    ),
                };
            diagnostics.push(
                Diagnostic::error(
                    "broken-anchor",
                    &page.file,
                    format!("no heading `#{}` in {}", pending.anchor, target.file),
                )
                .at_offset(&page.text, pending.offset)
                .with_help(help),
            );
        }
    }
}

fn validate_kinds(library: &Library, config: &Config, diagnostics: &mut Vec<Diagnostic>) {
    let context = KindContext { library, config };
    for (i, section) in library.sections.iter().enumerate() {
        diagnostics.extend(crate::kinds::of(section.kind).validate(&context, i));
    }
}

/// Root-relative links that are not `.md` files (`/tags/`) must name a file the build writes.
fn check_site_paths(
    library: &Library,
    plan: &crate::plan::Plan,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for page in &library.pages {
        for (path, offset) in &page.rendered.links.site_paths {
            let as_dir = if path.is_empty() {
                "index.html".to_string()
            } else {
                format!("{path}/index.html")
            };
            if plan.claims.contains_key(path) || plan.claims.contains_key(&as_dir) {
                continue;
            }
            diagnostics.push(
                Diagnostic::error("broken-link", &page.file, format!("`/{path}` is not a page of this site"))
                    .at_offset(&page.text, *offset)
                    .with_help("link to the page's .md file instead (e.g. `/guides/legal-aid.md`), so pufa can check it"),
            );
        }
    }
}
