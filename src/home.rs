//! The home page as a portal: what a citizen came for, first. The hotline and "I need help
//! with…" entries into the service guides, a search of the legal-service directory, the route
//! with its map, and the newest reports and news. Everything is computed here from the
//! sections' kinds, so the home template only lays it out.

use serde::Serialize;
use tera::Context;

use crate::content::{Library, Page};
use crate::kinds::KindOutput;
use crate::render::views::ListItem;
use crate::site::Site;
use crate::url::site_url;

/// A service guide offered as "我想……".
#[derive(Serialize)]
struct HelpEntry<'a> {
    title: &'a str,
    url: String,
    summary: String,
}

/// The route, with its map, for the home page.
#[derive(Serialize)]
struct RouteTeaser {
    title: String,
    url: String,
    summary: String,
    map_svg: String,
    stops: usize,
}

/// Adds the portal's values to the home page's context.
pub fn insert(site: &Site, context: &mut Context) {
    let library = &site.library;
    let config = &site.config;
    let of_kind = |name: &'static str| {
        library
            .sections
            .iter()
            .enumerate()
            .filter(move |(_, s)| s.kind.name() == name)
    };
    insert_help(site, context);
    let directory = of_kind("directory").next().and_then(|(i, s)| {
        let first = crate::kinds::of(s.kind)
            .outputs(&site.kind_context(), i)
            .into_iter()
            .find_map(|o| match o {
                KindOutput::Page { url, .. } => Some(url),
                KindOutput::File { .. } => None,
            })?;
        Some(site_url(&config.base_path, &first))
    });
    context.insert("directory_search_url", &directory);
    context.insert(
        "route",
        &of_kind("route").next().map(|(i, _)| route_teaser(site, i)),
    );
    context.insert("latest_reports", &newest(library, config, "reports", 3));
    context.insert("latest_news", &newest(library, config, "pages", 5));
}

/// The "我想……" entries — the first guides in their sections' order, which editors weight
/// by how often people ask — and the guides index. The home page and the 404 page show them.
pub fn insert_help(site: &Site, context: &mut Context) {
    let library = &site.library;
    let config = &site.config;
    let guides = || {
        library
            .sections
            .iter()
            .filter(|s| s.kind.name() == "guides")
    };
    let help: Vec<HelpEntry> = guides()
        .flat_map(|s| s.pages.iter().map(|&i| &library.pages[i]))
        .take(6)
        .map(|page| HelpEntry {
            title: &page.meta.title,
            url: site_url(&config.base_path, &page.url),
            summary: page.summary(),
        })
        .collect();
    context.insert("help", &help);
    context.insert(
        "guides_url",
        &guides().next().map(|s| site_url(&config.base_path, &s.url)),
    );
}

fn route_teaser(site: &Site, section: usize) -> RouteTeaser {
    let library = &site.library;
    let sec = &library.sections[section];
    let mut values = Context::new();
    crate::kinds::of(sec.kind).section_context(&site.kind_context(), section, &mut values);
    let map_svg = values
        .get("map_svg")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string();
    RouteTeaser {
        title: library.section_title(sec).to_string(),
        url: site_url(&site.config.base_path, &sec.url),
        summary: sec
            .index
            .map(|i| library.pages[i].summary())
            .unwrap_or_default(),
        map_svg,
        stops: sec.pages.len(),
    }
}

/// The newest dated pages in sections of one kind (`pages` means news-like sections).
fn newest<'a>(
    library: &'a Library,
    config: &crate::config::Config,
    kind: &str,
    count: usize,
) -> Vec<ListItem<'a>> {
    let mut pages: Vec<&Page> = library
        .regular_pages()
        .map(|(_, p)| p)
        .filter(|p| {
            p.meta.date.is_some()
                && p.section != 0
                && library.sections[p.section].kind.name() == kind
        })
        .collect();
    pages.sort_by(|a, b| {
        b.meta
            .date
            .cmp(&a.meta.date)
            .then_with(|| a.path.cmp(&b.path))
    });
    pages
        .into_iter()
        .take(count)
        .map(|p| ListItem::new(p, config))
        .collect()
}
