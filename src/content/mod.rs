//! The site's content as flat maps keyed by path: pages and sections point at each other by
//! index, never by reference, so steps can run in parallel over them.

pub mod active;
pub mod front_matter;
mod load;
pub mod slug;
pub mod taxonomy;
pub mod walk;

use std::any::Any;
use std::collections::HashMap;

use crate::diagnostics::Diagnostic;
use crate::markdown::Rendered;
use crate::yaml::YamlSource;
use front_matter::{Layout, PageMeta, SectionSettings};

pub use load::{LoadOptions, load};
pub(crate) use load::{compare_in_section, page_url, read_page};

/// A kind's own parsed data (a page's extra front matter, a section's data files), kept on
/// the page or section; the kind that made it downcasts it back.
pub type KindData = Box<dyn Any + Send + Sync>;

/// Which kind a section is: the name of a kind in the registry (`crate::kinds::of` gives the
/// kind itself). Sections start as [`KindId::DEFAULT`]; the registry sets the kind they name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KindId(pub &'static str);

impl KindId {
    /// Plain pages: the kind of a section that names none.
    pub const DEFAULT: KindId = KindId("pages");

    /// The name editors write in `kind:`.
    pub fn name(self) -> &'static str {
        self.0
    }
}

/// One Markdown file: a page, or a section's `_index.md`.
pub struct Page {
    /// Relative to `content/`, `/`-separated: `guides/legal-aid.md`.
    pub path: String,
    /// As editors see it: `content/guides/legal-aid.md`.
    pub file: String,
    /// The whole file as read (UTF-8, BOM removed), for pointing diagnostics at lines.
    pub text: String,
    /// Where the front matter and the body are in `text`.
    pub layout: Layout,
    /// The shared front matter, checked.
    pub meta: PageMeta,
    /// Whether this is a section's `_index.md`.
    pub is_index: bool,
    /// The section the page is listed in (for an `_index.md`: the section it defines).
    pub section: usize,
    /// Site path without the base path: `/guides/legal-aid/`.
    pub url: String,
    /// The section kind's own front matter for this page.
    pub kind_data: Option<KindData>,
    /// The body as HTML with what the Markdown passes found (headings, TOC, links, images).
    pub rendered: Rendered,
    /// Findings about this page alone (front matter, Markdown, links, images). Kept with the
    /// page so that reloading one page replaces exactly its findings.
    pub diagnostics: Vec<Diagnostic>,
}

impl Page {
    /// The folder the file is in, relative to `content/` (`` for the root).
    pub fn dir(&self) -> &str {
        self.path.rsplit_once('/').map_or("", |(dir, _)| dir)
    }

    /// The front matter as a YAML source, for kinds parsing their own keys.
    pub fn yaml(&self) -> YamlSource<'_> {
        YamlSource {
            file: &self.file,
            text: &self.text,
            yaml: &self.text[self.layout.yaml_start..self.layout.yaml_end],
            first_line: 2,
        }
    }

    /// The kind's parsed front matter, if it is of type `T`.
    pub fn kind_data<T: 'static>(&self) -> Option<&T> {
        self.kind_data.as_ref()?.downcast_ref()
    }

    /// The summary for lists and meta descriptions: front matter, else the first paragraph.
    pub fn summary(&self) -> String {
        match &self.meta.summary {
            Some(summary) => summary.trim().to_string(),
            None => truncate(&self.rendered.first_paragraph, 120),
        }
    }
}

/// How many items a list page shows: a section's default `paginate`, and every term page.
pub const LIST_PAGE_SIZE: usize = 20;

/// The order of dated lists (feeds, term pages, "newest reports"): newest first, then by path
/// so that pages of one day keep a stable order.
pub fn newest_first(a: &Page, b: &Page) -> std::cmp::Ordering {
    b.meta
        .date
        .cmp(&a.meta.date)
        .then_with(|| a.path.cmp(&b.path))
}

fn truncate(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(chars).collect();
    cut.push('…');
    cut
}

/// A folder with an `_index.md` (and the content root, always).
pub struct Section {
    /// Relative to `content/`: `` for the root, `news`, `news/2024`.
    pub dir: String,
    /// The page index of its `_index.md`.
    pub index: Option<usize>,
    /// Which kind runs the section: from `kind:` in its `_index.md`, attached by the kinds'
    /// registry; the default for plain pages.
    pub kind: KindId,
    /// What the `_index.md` says about ordering and pagination (defaults for the root without one).
    pub settings: SectionSettings,
    /// Regular pages listed in this section, in the section's order.
    pub pages: Vec<usize>,
    /// Child sections, by their index page's `weight:`, then folder.
    pub subsections: Vec<usize>,
    /// The enclosing section; `None` only for the root (index 0).
    pub parent: Option<usize>,
    /// Site path without the base path: `/news/`.
    pub url: String,
    /// The kind's data for the whole section (a directory's entries), from the data files it
    /// claimed in the section's folder.
    pub data: Option<KindData>,
}

impl Section {
    /// The kind's section data, if it is of type `T`.
    pub fn data<T: 'static>(&self) -> Option<&T> {
        self.data.as_ref()?.downcast_ref()
    }
}

/// A data file a kind claimed (a directory's `.yaml`), read and decoded.
pub struct DataFile {
    /// Relative to `content/`: `directory/offices.yaml`.
    pub path: String,
    /// As editors see it: `content/directory/offices.yaml`.
    pub file: String,
    /// The whole file as read, for pointing diagnostics at its lines.
    pub text: String,
}

impl DataFile {
    /// The file name without its extension: `offices`.
    pub fn stem(&self) -> &str {
        let name = self.path.rsplit('/').next().unwrap_or(&self.path);
        name.rsplit_once('.').map_or(name, |(stem, _)| stem)
    }

    /// The file as a YAML source whose positions are the file's own lines, for the kind to parse.
    pub fn yaml(&self) -> YamlSource<'_> {
        YamlSource {
            file: &self.file,
            text: &self.text,
            yaml: &self.text,
            first_line: 1,
        }
    }
}

/// Everything loaded from `content/`.
pub struct Library {
    /// Sorted by path.
    pub pages: Vec<Page>,
    /// Sorted by folder; the root is section 0.
    pub sections: Vec<Section>,
    /// Content path → page index.
    pub by_path: HashMap<String, usize>,
    /// Content paths of pages left out of this build, with why.
    pub excluded: HashMap<String, &'static str>,
    /// Content paths of files to copy (or that a kind claims), sorted.
    pub assets: Vec<String>,
    /// Content paths of the data files kinds claimed (a directory's `.yaml`), sorted.
    pub data_files: Vec<String>,
}

impl Library {
    /// The section's title: its `_index.md` title, else its folder name.
    pub fn section_title<'a>(&'a self, section: &'a Section) -> &'a str {
        match section.index {
            Some(i) => &self.pages[i].meta.title,
            None => section.dir.rsplit('/').next().unwrap_or(""),
        }
    }

    /// Regular pages (not section indexes), in path order.
    pub fn regular_pages(&self) -> impl Iterator<Item = (usize, &Page)> {
        self.pages.iter().enumerate().filter(|(_, p)| !p.is_index)
    }
}
