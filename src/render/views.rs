//! What templates see: finished values computed in Rust (URLs with the base path, dates in
//! Chinese, the government metadata), borrowed from the library where possible.

use serde::Serialize;

use crate::config::{Accessibility, Config, Footer};
use crate::content::{Library, Page, Section, taxonomy};
use crate::dates;
use crate::markdown::toc::TocEntry;
use crate::url::{pager_path, site_url};

/// The `site` value every template has.
#[derive(Serialize)]
pub struct SiteView<'a> {
    /// The site's name from site.yaml `title:`, for `<title>` and the header.
    pub title: &'a str,
    /// site.yaml `description:`, the site-wide summary; empty when missing. Each page's own
    /// description is `meta.description`.
    pub description: &'a str,
    /// The absolute address ending in `/` (`https://www.county.gov.cn/sfj/`), for the rare
    /// absolute link a theme builds itself; pages get `page.permalink` and `canonical` ready.
    pub base_url: &'a str,
    /// The path part of `base_url` (`/` or `/sfj/`); every URL handed to templates already starts
    /// with it.
    pub base_path: &'a str,
    /// The `lang` of `<html>`, `zh-CN` unless site.yaml says otherwise.
    pub language: &'a str,
    /// The office that publishes the site (信息来源); may be empty, so themes fall back to
    /// `site.title`.
    pub publisher: &'a str,
    /// The legal-aid hotline, `12348` unless site.yaml sets `hotline:`: the default theme
    /// offers it as a `tel:` link wherever no other number is published.
    pub hotline: &'a str,
    /// The registration numbers for the footer (网站标识码, ICP备案号, 公安机关备案号, contact).
    pub footer: &'a Footer,
    /// The accessibility statement's contents from site.yaml, for the footer and the statement
    /// page.
    pub accessibility: &'a Accessibility,
    /// The home page's URL, the same as `base_path`, so templates need not know that.
    pub home_url: &'a str,
    /// The URL of the accessibility statement page, `/accessibility/` under the base path.
    pub accessibility_url: String,
    /// The URL of the site-wide Atom feed, for `<link rel="alternate">`.
    pub feed_url: String,
    /// Whether the site has a search index (and so a search box).
    pub search: bool,
}

impl<'a> SiteView<'a> {
    /// Borrows every site-wide value from the checked configuration and computes the fixed URLs
    /// once.
    pub fn new(config: &'a Config) -> Self {
        SiteView {
            title: &config.title,
            description: &config.description,
            base_url: &config.base_url,
            base_path: &config.base_path,
            language: &config.language,
            publisher: &config.publisher,
            hotline: &config.hotline,
            footer: &config.footer,
            accessibility: &config.accessibility,
            home_url: &config.base_path,
            accessibility_url: site_url(&config.base_path, "/accessibility/"),
            feed_url: site_url(&config.base_path, "/atom.xml"),
            search: config.search.enabled,
        }
    }
}

/// A link with its text.
#[derive(Serialize, Clone)]
pub struct Link {
    /// The link text, already in the editor's words (a page or section title).
    pub title: String,
    /// The URL with the base path, ready for `href`.
    pub url: String,
}

/// A main-navigation entry, marked when the page is inside it.
#[derive(Serialize)]
pub struct NavItem<'a> {
    /// The menu entry's text from site.yaml `menu:`.
    pub title: &'a str,
    /// The URL for `href`: a site path gets the base path; an outside address is left as written.
    pub url: String,
    /// True when the page being rendered lies under this entry, so the theme can mark it
    /// `aria-current`.
    pub current: bool,
}

/// The main navigation as seen from the page at `here` (a site path).
pub fn nav<'a>(config: &'a Config, here: &str) -> Vec<NavItem<'a>> {
    config
        .menu
        .iter()
        .map(|item| {
            let is_site_path = item.url.starts_with('/');
            NavItem {
                title: &item.title,
                url: if is_site_path {
                    site_url(&config.base_path, &item.url)
                } else {
                    item.url.clone()
                },
                current: is_site_path && item.url != "/" && here.starts_with(item.url.as_str()),
            }
        })
        .collect()
}

/// 栏目 › 子栏目 trail from the home page to the section of the page at hand.
pub fn breadcrumbs(library: &Library, config: &Config, section: usize) -> Vec<Link> {
    let mut trail = Vec::new();
    let mut at = Some(section);
    while let Some(s) = at {
        let sec = &library.sections[s];
        let title = if s == 0 {
            "首页"
        } else {
            library.section_title(sec)
        };
        trail.push(Link {
            title: title.to_string(),
            url: site_url(&config.base_path, &sec.url),
        });
        at = sec.parent;
    }
    trail.reverse();
    trail
}

/// The `<meta name>` tags Chinese government sites carry (政府网站发展指引).
#[derive(Serialize, Default)]
pub struct GovMeta {
    /// `<meta name="ColumnName">`: the section (栏目) the page belongs to; an index page's own title.
    pub column_name: String,
    /// `<meta name="ArticleTitle">`: the page title.
    pub article_title: String,
    /// `<meta name="PubDate">`: the page date as `2025-02-19`, empty for undated pages.
    pub pub_date: String,
    /// `<meta name="ContentSource">`: the publishing office from site.yaml `publisher:`.
    pub content_source: String,
    /// The page summary, for `<meta name="description">`.
    pub description: String,
    /// `<meta name="Keywords">`: every taxonomy term of the page, joined by commas.
    pub keywords: String,
}

/// One entry of a list page.
#[derive(Serialize)]
pub struct ListItem<'a> {
    /// The page title.
    pub title: &'a str,
    /// The page URL with the base path.
    pub url: String,
    /// The page date as `2025-02-19`, for `<time datetime>`; `None` for undated pages.
    pub date: Option<String>,
    /// The page date as `2025年2月19日`, for display; `None` for undated pages.
    pub date_zh: Option<String>,
    /// The front matter's `summary:`, or the first paragraph cut to 120 characters.
    pub summary: String,
}

impl<'a> ListItem<'a> {
    /// The list entry for `page`, its URL under the site's base path.
    pub fn new(page: &'a Page, config: &Config) -> Self {
        ListItem {
            title: &page.meta.title,
            url: site_url(&config.base_path, &page.url),
            date: page.meta.date.map(dates::ymd),
            date_zh: page.meta.date.map(dates::ymd_zh),
            summary: page.summary(),
        }
    }
}

/// A taxonomy term as shown on a page.
#[derive(Serialize)]
pub struct TermLink {
    /// The taxonomy's name as in site.yaml `taxonomies:` (`tags`, `topics`).
    pub taxonomy: String,
    /// The term as the editor wrote it (`劳动争议`).
    pub name: String,
    /// The term page's URL with the base path.
    pub url: String,
}

/// The `page` value of a page template.
#[derive(Serialize)]
pub struct PageView<'a> {
    /// The page title from front matter.
    pub title: &'a str,
    /// The page URL with the base path, for links within the site.
    pub url: String,
    /// The absolute address (`base_url` + path), for canonical links, sharing and QR codes.
    pub permalink: String,
    /// The page date as `2025-02-19`; `None` for undated pages.
    pub date: Option<String>,
    /// The page date as `2025年2月19日`, for display.
    pub date_zh: Option<String>,
    /// The page date as RFC 3339 with China's offset, for `<time datetime>` and JSON-LD.
    pub date_iso: Option<String>,
    /// The `updated:` date as `2025年2月19日`, shown as 更新日期; `None` if never updated.
    pub updated_zh: Option<String>,
    /// The `updated:` date as RFC 3339.
    pub updated_iso: Option<String>,
    /// The front matter's `summary:`, or the first paragraph cut to 120 characters.
    pub summary: String,
    /// The rendered body HTML, already escaped and link-checked: output it with `| safe`.
    pub content: &'a str,
    /// The table of contents from the body's headings, nested by level, for a 目录 box.
    pub toc: &'a [TocEntry],
    /// The page's taxonomy terms with their term-page URLs.
    pub terms: Vec<TermLink>,
    /// The front matter's `image:`, with responsive sizes when pufa processed it.
    pub image: Option<ImageView>,
    /// The section the page lives in, for a "back to" link.
    pub section: Link,
    /// The section's kind name (`pages`, `route`, `guides`, `reports`, …), so a shared template can
    /// vary by kind.
    pub kind: &'static str,
}

impl<'a> PageView<'a> {
    /// The view of `library.pages[index]`: dates formatted, URLs with the base path, terms linked.
    pub fn new(library: &'a Library, config: &Config, index: usize) -> Self {
        let page = &library.pages[index];
        let section: &Section = &library.sections[page.section];
        let terms = page
            .meta
            .taxonomies
            .iter()
            .flat_map(|(taxonomy, values)| {
                values.iter().map(move |name| TermLink {
                    taxonomy: taxonomy.clone(),
                    name: name.clone(),
                    url: site_url(&config.base_path, &taxonomy::term_url(taxonomy, name)),
                })
            })
            .collect();
        PageView {
            title: &page.meta.title,
            url: site_url(&config.base_path, &page.url),
            permalink: permalink(config, &page.url),
            date: page.meta.date.map(dates::ymd),
            date_zh: page.meta.date.map(dates::ymd_zh),
            date_iso: page.meta.date.map(dates::rfc3339),
            updated_zh: page.meta.updated.map(dates::ymd_zh),
            updated_iso: page.meta.updated.map(dates::rfc3339),
            summary: page.summary(),
            content: &page.rendered.html,
            toc: &page.rendered.toc,
            terms,
            image: page
                .meta
                .image
                .as_ref()
                .map(|image| ImageView::new(config, page, &image.value)),
            section: Link {
                title: library.section_title(section).to_string(),
                url: site_url(&config.base_path, &section.url),
            },
            kind: section.kind.name(),
        }
    }
}

/// The front matter's `image:` as templates show it. `srcset`, `sizes`, `width` and `height`
/// are set for the images pufa processes (JPEG, PNG, WebP in `content/`), not for SVG files or
/// other sites' images.
#[derive(Serialize)]
pub struct ImageView {
    /// The URL for `src`: for a processed image the largest resized copy below full size (what
    /// browsers without `srcset` load), else the path as written, resolved from the page.
    pub url: String,
    /// The front matter's `image_alt:`, empty when missing (the image is then decorative).
    pub alt: String,
    /// The alt text again, under the name themes written before `alt` existed use.
    pub title: String,
    /// The resized copies as a `srcset` list; `None` for images pufa does not process.
    pub srcset: Option<String>,
    /// The `sizes` attribute matching `srcset` (the theme's 60rem column); `None` with it.
    pub sizes: Option<&'static str>,
    /// The original's width in pixels, for `width` to avoid layout shift; `None` when unknown.
    pub width: Option<u32>,
    /// The original's height in pixels; `None` when unknown.
    pub height: Option<u32>,
}

impl ImageView {
    fn new(config: &Config, page: &Page, image: &str) -> ImageView {
        let alt = page.meta.image_alt.clone().unwrap_or_default();
        let processed = page.rendered.image.as_deref();
        ImageView {
            url: processed.map_or_else(
                || image_url(config, page, image),
                |p| p.src(&config.base_path),
            ),
            title: alt.clone(),
            alt,
            srcset: processed.map(|p| p.srcset(&config.base_path)),
            sizes: processed.map(|_| crate::images::SIZES),
            width: processed.map(|p| p.width),
            height: processed.map(|p| p.height),
        }
    }
}

/// The full URL of a site path, for canonical links, feeds and sitemaps.
pub fn permalink(config: &Config, path: &str) -> String {
    format!("{}{}", config.base_url, path.trim_start_matches('/'))
}

/// The URL of a front-matter image (relative to the page or from the content root).
pub fn image_url(config: &Config, page: &Page, image: &str) -> String {
    if image.contains("://") {
        return image.to_string();
    }
    let resolved = crate::markdown::links::join(page.dir(), image).unwrap_or_default();
    site_url(
        &config.base_path,
        &format!("/{}", crate::url::encode_path(&resolved)),
    )
}

/// Government metadata for a page in a section.
pub fn gov_meta(library: &Library, config: &Config, page: &Page) -> GovMeta {
    let section = &library.sections[page.section];
    let column = if page.is_index {
        page.meta.title.as_str()
    } else {
        library.section_title(section)
    };
    GovMeta {
        column_name: column.to_string(),
        article_title: page.meta.title.clone(),
        pub_date: page.meta.date.map(dates::ymd).unwrap_or_default(),
        content_source: config.publisher.clone(),
        description: page.summary(),
        keywords: page
            .meta
            .taxonomies
            .values()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join(","),
    }
}

/// Page-number links of a paginated list.
#[derive(Serialize)]
pub struct Paginator {
    /// The list page being shown, counted from 1.
    pub current: usize,
    /// How many list pages there are (at least 1).
    pub total: usize,
    /// The previous list page's URL; `None` on the first page.
    pub prev: Option<String>,
    /// The next list page's URL; `None` on the last page.
    pub next: Option<String>,
    /// The page numbers to show: the first, the last and two either side of the current one.
    pub pages: Vec<PageNumber>,
}

#[derive(Serialize)]
/// One page number in a paginator.
pub struct PageNumber {
    /// The page number, from 1.
    pub number: usize,
    /// The URL of that list page (`/news/` for 1, `/news/page/3/` for 3), with the base path.
    pub url: String,
    /// True for the page being shown, which the theme renders as text with `aria-current`.
    pub current: bool,
}

impl Paginator {
    /// Links for page `current` of `total` of the list at site path `list_path`.
    pub fn new(config: &Config, list_path: &str, current: usize, total: usize) -> Self {
        let url = |n: usize| site_url(&config.base_path, &pager_path(list_path, n));
        Paginator {
            current,
            total,
            prev: (current > 1).then(|| url(current - 1)),
            next: (current < total).then(|| url(current + 1)),
            pages: window(current, total)
                .map(|n| PageNumber {
                    number: n,
                    url: url(n),
                    current: n == current,
                })
                .collect(),
        }
    }
}

/// Page numbers shown around `current`: the first, the last and two either side, so a list
/// page's size does not grow with the number of list pages.
fn window(current: usize, total: usize) -> impl Iterator<Item = usize> {
    (1..=total).filter(move |&n| n == 1 || n == total || n.abs_diff(current) <= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_are_windowed() {
        assert_eq!(window(1, 3).collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(
            window(10, 50).collect::<Vec<_>>(),
            [1, 8, 9, 10, 11, 12, 50]
        );
    }

    #[test]
    fn pagination_paths() {
        assert_eq!(pager_path("/news/", 1), "/news/");
        assert_eq!(pager_path("/news/", 3), "/news/page/3/");
    }
}
