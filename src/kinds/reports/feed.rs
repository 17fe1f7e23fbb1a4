//! Each report section's own Atom feed, beside its list page.

use super::archive::newest_reports;
use crate::config::Config;
use crate::content::{Library, Page};
use crate::kinds::{KindContext, KindOutput};

/// The section's feed file: its reports, newest first.
pub(super) fn feed(site: &KindContext, section: usize) -> KindOutput {
    let (library, config) = (site.library, site.config);
    let url = &library.sections[section].url;
    let newest_first: Vec<&Page> = newest_reports(site, section)
        .into_iter()
        .map(|i| &library.pages[i])
        .collect();
    let feed = crate::render::atom::atom(
        config,
        &feed_title(library, config, section),
        &feed_path(url),
        &newest_first,
    );
    KindOutput::File {
        path: feed_path(url),
        bytes: feed.into_bytes(),
    }
}

/// `reports/atom.xml`, beside the section's list page.
pub(super) fn feed_path(section_url: &str) -> String {
    format!("{}atom.xml", section_url.trim_start_matches('/'))
}

/// The feed's title: the section's and the site's.
pub(super) fn feed_title(library: &Library, config: &Config, section: usize) -> String {
    format!(
        "{} - {}",
        library.section_title(&library.sections[section]),
        config.title
    )
}
