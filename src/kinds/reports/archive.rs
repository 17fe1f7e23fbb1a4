//! The section's reports by year: the year pages and the links between them.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::dates;
use crate::kinds::KindContext;
use crate::url::site_url;

use super::feed::{feed_path, feed_title};
use crate::kinds::KindOutput;
use crate::render::views::ListItem;

/// One page per year of publication, listing that year's reports.
pub(super) fn year_pages(site: &KindContext, section: usize) -> Vec<KindOutput> {
    let (library, config) = (site.library, site.config);
    let sec = &library.sections[section];
    by_year(site, section)
        .into_iter()
        .map(|(year, pages)| {
            let mut context = tera::Context::new();
            let items: Vec<ListItem> = pages
                .iter()
                .map(|&i| ListItem::new(&library.pages[i], config))
                .collect();
            context.insert("items", &items);
            context.insert("year", &year);
            context.insert("reports", &ArchiveView::new(site, section, Some(year)));
            KindOutput::Page {
                url: year_url(&sec.url, year),
                template: "reports_year.html",
                title: format!("{year}年{}", library.section_title(sec)),
                section,
                context,
            }
        })
        .collect()
}

/// The section's dated pages, newest first (ties by file name, so builds are repeatable).
pub(super) fn newest_reports(site: &KindContext, section: usize) -> Vec<usize> {
    let library = site.library;
    let mut pages: Vec<usize> = site.dated_pages(section).collect();
    pages.sort_by(|&a, &b| crate::content::newest_first(&library.pages[a], &library.pages[b]));
    pages
}

/// The section's reports by year of publication, newest year first.
pub(super) fn by_year(site: &KindContext, section: usize) -> Vec<(i16, Vec<usize>)> {
    let library = site.library;
    let mut years: BTreeMap<i16, Vec<usize>> = BTreeMap::new();
    for i in newest_reports(site, section) {
        if let Some(date) = library.pages[i].meta.date {
            years.entry(dates::year(date)).or_default().push(i);
        }
    }
    years.into_iter().rev().collect()
}

pub(super) fn year_url(section_url: &str, year: i16) -> String {
    format!("{section_url}{year}/")
}

/// What the list and archive templates see: the years to browse and the feed.
#[derive(Serialize)]
pub(super) struct ArchiveView {
    pub(super) years: Vec<YearLink>,
    pub(super) feed_url: String,
    pub(super) feed_title: String,
    /// The section's list of all reports.
    pub(super) all_url: String,
}

#[derive(Serialize)]
pub(super) struct YearLink {
    pub(super) year: i16,
    pub(super) url: String,
    pub(super) count: usize,
    pub(super) current: bool,
}

impl ArchiveView {
    pub(super) fn new(site: &KindContext, section: usize, current: Option<i16>) -> ArchiveView {
        let (library, config) = (site.library, site.config);
        let url = &library.sections[section].url;
        ArchiveView {
            years: by_year(site, section)
                .into_iter()
                .map(|(year, pages)| YearLink {
                    year,
                    url: site_url(&config.base_path, &year_url(url, year)),
                    count: pages.len(),
                    current: current == Some(year),
                })
                .collect(),
            feed_url: site_url(&config.base_path, &format!("/{}", feed_path(url))),
            feed_title: feed_title(library, config, section),
            all_url: site_url(&config.base_path, url),
        }
    }
}
