//! The home page as a portal: what a citizen came for, first. The hotline and "I need help
//! with…" entries into the service guides, a search of the legal-service directory, the route
//! with its map, and the newest reports and news. Each section's kind says what it offers
//! ([`crate::kinds::Kind::home`]); this module only gathers, orders and cuts, so the home
//! template only lays it out.

use serde::Serialize;
use tera::Context;

use crate::content::{Library, newest_first};
use crate::kinds::HomeEntries;
use crate::render::views::ListItem;
use crate::site::Site;
use crate::url::site_url;

/// How many guides the home page offers as 我想…….
const HELP_ENTRIES: usize = 6;
/// How many of the newest reports it lists.
const LATEST_REPORTS: usize = 3;
/// How many of the newest news it lists.
const LATEST_NEWS: usize = 5;

/// A service guide offered as "我想……".
#[derive(Serialize)]
struct HelpEntry<'a> {
    title: &'a str,
    url: String,
    summary: String,
}

/// What every section offers the home page, asked in site order.
fn entries(site: &Site) -> HomeEntries {
    let context = site.kind_context();
    let mut entries = HomeEntries::default();
    for (i, section) in site.library.sections.iter().enumerate() {
        crate::kinds::of(section.kind).home(&context, i, &mut entries);
    }
    entries
}

/// Adds the portal's values to the home page's context.
pub fn insert(site: &Site, context: &mut Context) {
    let entries = entries(site);
    insert_help_entries(site, &entries, context);
    context.insert("directory_search_url", &entries.directory_search);
    context.insert("route", &entries.route);
    let library = &site.library;
    context.insert(
        "latest_reports",
        &newest(library, site, &entries.reports, LATEST_REPORTS),
    );
    context.insert(
        "latest_news",
        &newest(library, site, &entries.news, LATEST_NEWS),
    );
}

/// The "我想……" entries — the first guides in their sections' order, which editors weight
/// by how often people ask — and the guides index. The home page and the 404 page show them.
pub fn insert_help(site: &Site, context: &mut Context) {
    insert_help_entries(site, &entries(site), context);
}

fn insert_help_entries(site: &Site, entries: &HomeEntries, context: &mut Context) {
    let library = &site.library;
    let help: Vec<HelpEntry> = entries
        .help
        .iter()
        .take(HELP_ENTRIES)
        .map(|&i| {
            let page = &library.pages[i];
            HelpEntry {
                title: &page.meta.title,
                url: site_url(&site.config.base_path, &page.url),
                summary: page.summary(),
            }
        })
        .collect();
    context.insert("help", &help);
    context.insert("guides_url", &entries.guides_url);
}

/// The `count` newest of `pages`.
fn newest<'a>(
    library: &'a Library,
    site: &Site,
    pages: &[usize],
    count: usize,
) -> Vec<ListItem<'a>> {
    let mut pages: Vec<_> = pages.iter().map(|&i| &library.pages[i]).collect();
    pages.sort_by(|a, b| newest_first(a, b));
    pages
        .into_iter()
        .take(count)
        .map(|p| ListItem::new(p, &site.config))
        .collect()
}
