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
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: &'a str,
    pub base_path: &'a str,
    pub language: &'a str,
    pub publisher: &'a str,
    pub hotline: &'a str,
    pub footer: &'a Footer,
    pub accessibility: &'a Accessibility,
    pub home_url: &'a str,
    pub accessibility_url: String,
    pub feed_url: String,
    /// Whether the site has a search index (and so a search box).
    pub search: bool,
}

impl<'a> SiteView<'a> {
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
    pub title: String,
    pub url: String,
}

/// A main-navigation entry, marked when the page is inside it.
#[derive(Serialize)]
pub struct NavItem<'a> {
    pub title: &'a str,
    pub url: String,
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
    pub column_name: String,
    pub article_title: String,
    pub pub_date: String,
    pub content_source: String,
    pub description: String,
    pub keywords: String,
}

/// One entry of a list page.
#[derive(Serialize)]
pub struct ListItem<'a> {
    pub title: &'a str,
    pub url: String,
    pub date: Option<String>,
    pub date_zh: Option<String>,
    pub summary: String,
}

impl<'a> ListItem<'a> {
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
    pub taxonomy: String,
    pub name: String,
    pub url: String,
}

/// The `page` value of a page template.
#[derive(Serialize)]
pub struct PageView<'a> {
    pub title: &'a str,
    pub url: String,
    pub permalink: String,
    pub date: Option<String>,
    pub date_zh: Option<String>,
    pub date_iso: Option<String>,
    pub updated_zh: Option<String>,
    pub updated_iso: Option<String>,
    pub summary: String,
    pub content: &'a str,
    pub toc: &'a [TocEntry],
    pub terms: Vec<TermLink>,
    pub image: Option<ImageView>,
    pub section: Link,
    pub kind: &'static str,
}

impl<'a> PageView<'a> {
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
    pub url: String,
    pub alt: String,
    /// The alt text again, under the name themes written before `alt` existed use.
    pub title: String,
    pub srcset: Option<String>,
    pub sizes: Option<&'static str>,
    pub width: Option<u32>,
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
    pub current: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PageNumber>,
}

#[derive(Serialize)]
pub struct PageNumber {
    pub number: usize,
    pub url: String,
    pub current: bool,
}

impl Paginator {
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
