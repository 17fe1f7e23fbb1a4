//! The [`Kind`] trait: everything a kind of content may decide, each with a default so a kind
//! implements only what it changes. Kinds see the site only through [`KindContext`].

use crate::content::{DataFile, KindData, Library};
use crate::diagnostics::Diagnostic;
use crate::textsearch::{Field, Record};
use crate::yaml::YamlSource;

/// What a kind sees of the site when it checks, renders or writes.
pub struct KindContext<'a> {
    /// Every page and section, loaded and rendered.
    pub library: &'a Library,
    /// site.yaml, checked.
    pub config: &'a crate::config::Config,
}

impl KindContext<'_> {
    /// The pages of a section that carry a date, in the section's order.
    pub fn dated_pages(&self, section: usize) -> impl Iterator<Item = usize> + '_ {
        self.library.sections[section]
            .pages
            .iter()
            .copied()
            .filter(|&i| self.library.pages[i].meta.date.is_some())
    }
}

/// One kind of content. Every method has a default, so a kind implements only what it changes.
pub trait Kind: Send + Sync {
    /// The name editors write in `kind:`.
    fn name(&self) -> &'static str;

    /// Front-matter keys this kind's pages take besides the shared ones.
    fn page_keys(&self) -> &'static [&'static str] {
        &[]
    }

    /// Front-matter keys this kind's `_index.md` takes besides the shared ones.
    fn section_keys(&self) -> &'static [&'static str] {
        &[]
    }

    /// Whether the section's list is split into pages of `paginate` items (a route is not:
    /// its list is the route).
    fn paginates(&self) -> bool {
        true
    }

    /// Parses the kind's own front matter of one page (called in parallel).
    fn load_page(
        &self,
        _source: &YamlSource,
        _is_index: bool,
    ) -> Result<Option<KindData>, Vec<Diagnostic>> {
        Ok(None)
    }

    /// Whether this file, directly in the section's folder, is the kind's data rather than an
    /// asset to copy (a directory's `.yaml` files).
    fn claims_file(&self, _path: &str) -> bool {
        false
    }

    /// Loads the data files the kind claimed in one section.
    fn load_section(&self, _files: &[DataFile]) -> Result<Option<KindData>, Vec<Diagnostic>> {
        Ok(None)
    }

    /// Checks that need the whole section (unique orders, known ids), after URLs are known.
    fn validate(&self, _site: &KindContext, _section: usize) -> Vec<Diagnostic> {
        Vec::new()
    }

    /// The template for one page of this kind.
    fn page_template(&self) -> &'static str {
        "page.html"
    }

    /// The template for the section's list page.
    fn section_template(&self) -> &'static str {
        "section.html"
    }

    /// Adds the kind's finished values for one page's template.
    fn page_context(&self, _site: &KindContext, _page: usize, _context: &mut tera::Context) {}

    /// Adds the kind's finished values for the section's list page.
    fn section_context(&self, _site: &KindContext, _section: usize, _context: &mut tera::Context) {}

    /// What search results call a page of this kind (动态 for dated pages by default).
    fn search_label(&self, dated: bool) -> &'static str {
        if dated { "动态" } else { "页面" }
    }

    /// Whether its list is where a citizen goes to browse when search cannot run (guides,
    /// directories): the search page links it for readers without JavaScript.
    fn is_browsed(&self) -> bool {
        false
    }

    /// The kind's own searchable fields of one page, besides its title, summary, headings and
    /// body (a guide's materials, a stop's activities).
    fn search_fields(&self, _site: &KindContext, _page: usize) -> Vec<(Field, String)> {
        Vec::new()
    }

    /// Search results the kind adds from its section's data (a directory's entries, each its
    /// own result).
    fn search_records(&self, _site: &KindContext, _section: usize) -> Vec<Record> {
        Vec::new()
    }

    /// What the section offers the home page (guides as 我想……, the directory search, the
    /// route, the newest reports and news). The home page asks every section in site order.
    fn home(&self, _site: &KindContext, _section: usize, _home: &mut HomeEntries) {}

    /// Files the kind writes beside its pages (GeoJSON, CSV, sign pages, archives).
    fn outputs(&self, _site: &KindContext, _section: usize) -> Vec<KindOutput> {
        Vec::new()
    }
}

/// A file a kind adds to the site. Paths are claimed before anything is written, so a kind's
/// file colliding with a page is an error naming both.
pub enum KindOutput {
    /// Written as is: `route/route.geojson`, `directory/offices.csv`.
    File {
        /// Output path relative to the site root, without the base path.
        path: String,
        /// The file's contents, written unchanged.
        bytes: Vec<u8>,
    },
    /// An HTML page from a template, with the site's navigation and metadata around it.
    Page {
        /// Site path without the base path: `/route/dayu-park/sign/`.
        url: String,
        /// The template under the theme's `templates/` that renders it.
        template: &'static str,
        /// The page title, for `<title>` and the breadcrumbs.
        title: String,
        /// The section the page belongs to (for breadcrumbs and `ColumnName`).
        section: usize,
        /// The kind's values for the template.
        context: tera::Context,
    },
}

impl KindOutput {
    /// The output file this writes, relative to the output root.
    pub fn path(&self) -> String {
        match self {
            KindOutput::File { path, .. } => path.clone(),
            KindOutput::Page { url, .. } => crate::url::html_path(url),
        }
    }
}

/// What the sections offer the home page (and the 404 page), gathered through
/// [`Kind::home`]; the home page lays them out, knowing no kind by name.
#[derive(Default)]
pub struct HomeEntries {
    /// Pages offered as 我想…… (service guides), in their sections' order.
    pub help: Vec<usize>,
    /// The list of every guide, for "all guides".
    pub guides_url: Option<String>,
    /// The directory page the home page's directory search goes to.
    pub directory_search: Option<String>,
    /// The route, with its map.
    pub route: Option<RouteTeaser>,
    /// Dated pages offered as the newest reports.
    pub reports: Vec<usize>,
    /// Dated pages offered as the newest news.
    pub news: Vec<usize>,
}

/// The route as the home page shows it.
#[derive(serde::Serialize)]
pub struct RouteTeaser {
    /// The route section's title.
    pub title: String,
    /// Its URL, under the base path.
    pub url: String,
    /// Its summary.
    pub summary: String,
    /// The route map as inline SVG.
    pub map_svg: String,
    /// How many stops it has.
    pub stops: usize,
}
