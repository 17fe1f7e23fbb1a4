//! The build pipeline: [`Site::load`] reads and checks everything, [`Site::build`] writes it.
//! Each is a list of small named steps; every step adds to one list of diagnostics, so a
//! build reports all the problems it can find, not just the first.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::content::taxonomy::{self, Taxonomy};
use crate::content::{self, Library, LoadOptions};
use crate::diagnostics::Diagnostic;
use crate::images::{ImageCounts, ImageStore, Reference};
use crate::kinds::KindContext;
use crate::markdown::links::{LinkTargets, PagePlace};
use crate::markdown::{self};
use crate::progress::Reporter;
use crate::render::Renderer;
use crate::render::theme::Theme;

/// What `pufa build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `ROOT/public`.
    pub out: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Where the build reports how far it has got (nowhere by default).
    pub progress: Reporter,
}

/// A loaded, checked site, ready to write.
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    pub library: Library,
    pub taxonomies: Vec<Taxonomy>,
    pub theme: Theme,
    pub renderer: Renderer,
    /// The images pages show, probed while rendering and processed while writing.
    pub images: ImageStore,
    pub progress: Reporter,
    /// Findings so far (warnings, and errors that did not stop loading).
    pub diagnostics: Vec<Diagnostic>,
}

/// A written search index and the paths of its files, kept by `pufa serve` between edits.
pub type SearchState = (crate::textsearch::Index, std::collections::BTreeSet<String>);

/// The outcome of a build that ran to the end (with or without errors).
#[derive(Debug)]
pub struct BuildSummary {
    pub pages: usize,
    pub files: usize,
    pub diagnostics: Vec<Diagnostic>,
    pub images: ImageCounts,
}

impl BuildSummary {
    /// The summary of a build that stopped before writing anything.
    pub fn failed(diagnostics: Vec<Diagnostic>) -> BuildSummary {
        BuildSummary {
            pages: 0,
            files: 0,
            diagnostics,
            images: ImageCounts::default(),
        }
    }

    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// The root folder is missing or unreadable: a usage problem (exit 2), not a site error.
#[derive(Debug)]
pub struct UnusableRoot(pub String);

impl UnusableRoot {
    /// Refuses an output folder that would swap away or later delete what pufa did not write:
    /// one that is, holds or lies inside `content/` or `themes/` (the root itself included),
    /// or an existing folder of other files.
    pub fn check_out(root: &Path, out: &Path) -> Result<(), UnusableRoot> {
        let out_real = real_path(out);
        let root_real = real_path(root);
        for folder in ["content", "themes"] {
            let source = root_real.join(folder);
            if out_real.starts_with(&source) || source.starts_with(&out_real) {
                return Err(UnusableRoot(format!(
                    "--out {} overlaps the site's {folder}/ folder: a build would replace it and the next one delete it; choose a folder outside content/ and themes/, e.g. {}",
                    out.display(),
                    root.join("public").display()
                )));
            }
        }
        let foreign = std::fs::read_dir(out).is_ok_and(|mut entries| entries.next().is_some())
            && !out.join("404.html").is_file()
            && !out.join("sitemap.xml").is_file();
        if foreign {
            return Err(UnusableRoot(format!(
                "--out {} is a folder of other files, not a site pufa built: a build replaces the whole folder; choose a folder outside content/ and themes/ that is new or empty",
                out.display()
            )));
        }
        Ok(())
    }
}

/// The absolute path with `.` and `..` taken away, and links resolved in the part that
/// already exists.
fn real_path(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut lexical = PathBuf::new();
    for part in absolute.components() {
        match part {
            std::path::Component::ParentDir => {
                lexical.pop();
            }
            std::path::Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    let mut rest = Vec::new();
    let mut existing = lexical.as_path();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return rest.iter().rev().fold(real, |path, part| path.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return lexical,
        }
    }
}

impl Site {
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
    pub fn findings(&self, plan: &crate::plan::Plan) -> Vec<Diagnostic> {
        let mut all = self.diagnostics.clone();
        all.extend(
            self.library
                .pages
                .iter()
                .flat_map(|p| p.diagnostics.iter().cloned()),
        );
        check_anchors(&self.library, &mut all);
        validate_kinds(&self.library, &self.config, &mut all);
        all.extend(plan.diagnostics.iter().cloned());
        check_site_paths(&self.library, plan, &mut all);
        sorted(all)
    }

    /// Writes the site to `out` through a staging folder; the output is replaced only if
    /// there were no errors.
    pub fn build(&self, out: &Path) -> BuildSummary {
        self.build_keeping_index(out).0
    }

    /// [`Site::build`], also handing back the search index it wrote (and its files' paths),
    /// for `pufa serve` to update after edits.
    pub fn build_keeping_index(&self, out: &Path) -> (BuildSummary, Option<SearchState>) {
        let plan = crate::plan::plan(self);
        let mut diagnostics = self.findings(&plan);
        if diagnostics.iter().any(Diagnostic::is_error) {
            return (BuildSummary::failed(diagnostics), None);
        }
        let staging = match crate::output::Staging::create(out) {
            Ok(s) => s,
            Err(e) => {
                diagnostics.push(e);
                return (BuildSummary::failed(diagnostics), None);
            }
        };
        let pages = crate::write::write_site(self, &plan, &staging, &mut diagnostics);
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
            images: self.images.counts(),
        };
        (summary, search)
    }

    /// Everything `build` checks, without writing: every page is rendered in memory so that
    /// template errors are found too.
    pub fn check(&self) -> BuildSummary {
        let plan = crate::plan::plan(self);
        let mut diagnostics = self.findings(&plan);
        let staging = crate::output::Staging::dry();
        let pages = crate::write::write_site(self, &plan, &staging, &mut diagnostics);
        BuildSummary {
            pages,
            files: staging.files_written(),
            diagnostics: sorted(diagnostics),
            images: self.images.counts(),
        }
    }

    /// What kinds see of the site.
    pub fn kind_context(&self) -> KindContext<'_> {
        KindContext {
            library: &self.library,
            config: &self.config,
        }
    }
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
        diagnostics.extend(section.kind.validate(&context, i));
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

/// Output paths with what claims them, for collision checks. (Re-exported for the planner.)
pub type Claims = BTreeMap<String, String>;
