//! The Atom feed writer: the site's `atom.xml` and each report section's feed. Full URLs,
//! as feed readers need them.

use std::fmt::Write as _;

use crate::config::Config;
use crate::content::Page;
use crate::dates;
use crate::render::views::permalink;
use crate::xml::escape;

/// An Atom feed of `pages` (already sorted newest first); `path` is where it is written.
pub fn atom(config: &Config, title: &str, path: &str, pages: &[&Page]) -> String {
    let updated = pages
        .iter()
        .filter_map(|p| p.meta.updated.max(p.meta.date))
        .max();
    // The page the feed follows: the folder it sits in (`reports/atom.xml` → `/reports/`).
    let alternate = match path.rsplit_once('/') {
        Some((folder, _)) => format!("{}{folder}/", config.base_url),
        None => config.base_url.clone(),
    };
    let mut xml = String::with_capacity(1024 + pages.len() * 512);
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
    xml.push_str(&escape(&config.language));
    let _ = write!(
        xml,
        "\">\n  <title>{}</title>\n  <id>{}</id>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}{path}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <updated>{}</updated>\n  <author><name>{}</name></author>\n",
        escape(title),
        escape(&format!("{}{path}", config.base_url)),
        escape(&config.base_url),
        escape(&alternate),
        updated
            .map(dates::rfc3339)
            .unwrap_or_else(|| "1970-01-01T08:00:00+08:00".into()),
        escape(if config.publisher.is_empty() {
            &config.title
        } else {
            &config.publisher
        }),
    );
    for page in pages {
        let link = escape(&permalink(config, &page.url));
        let published = page.meta.date.map(dates::rfc3339).unwrap_or_default();
        let updated = page
            .meta
            .updated
            .max(page.meta.date)
            .map(dates::rfc3339)
            .unwrap_or_default();
        let _ = write!(
            xml,
            "  <entry>\n    <title>{}</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>\n    <id>{link}</id>\n    <published>{published}</published>\n    <updated>{updated}</updated>\n    <summary>{}</summary>\n  </entry>\n",
            escape(&page.meta.title),
            escape(&page.summary()),
        );
    }
    xml.push_str("</feed>\n");
    xml
}
