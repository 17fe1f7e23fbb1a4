//! Machine-read files: the Atom feed, the sitemap and robots.txt. These carry full URLs
//! (consumers need them); pages carry paths.

use std::fmt::Write as _;

use crate::content::{Page, newest_first};
use crate::dates;
use crate::diagnostics::Diagnostic;
use crate::output::Staging;
use crate::plan::Plan;
use crate::render::atom::atom;
use crate::site::Site;
use crate::xml::escape;

/// The write step for the site-wide Atom feed (dated pages, newest first), the sitemap of every
/// planned page and robots.txt pointing at it. Returns 0 (they are not pages) or every write error.
pub fn write_feeds(site: &Site, plan: &Plan, staging: &Staging) -> Result<usize, Vec<Diagnostic>> {
    let mut results = Vec::new();
    if staging.wants("atom.xml") {
        let mut dated: Vec<&Page> = site
            .library
            .regular_pages()
            .map(|(_, p)| p)
            .filter(|p| p.meta.date.is_some())
            .collect();
        dated.sort_by(|a, b| newest_first(a, b));
        let feed = atom(&site.config, &site.config.title, "atom.xml", &dated);
        results.push(staging.write("atom.xml", feed.as_bytes()));
    }
    if staging.wants("sitemap.xml") {
        results.push(staging.write("sitemap.xml", sitemap(site, plan).as_bytes()));
    }
    let robots = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
        site.config.base_url
    );
    results.push(staging.write("robots.txt", robots.as_bytes()));
    let errors: Vec<Diagnostic> = results.into_iter().filter_map(Result::err).collect();
    if errors.is_empty() {
        Ok(0)
    } else {
        Err(errors)
    }
}

/// Every HTML page the build writes (not redirects), sorted by URL.
fn sitemap(site: &Site, plan: &Plan) -> String {
    let lastmod: std::collections::HashMap<String, String> = site
        .library
        .pages
        .iter()
        .filter_map(|p| {
            Some((
                crate::url::html_path(&p.url),
                dates::ymd(p.meta.updated.max(p.meta.date)?),
            ))
        })
        .collect();
    let aliases: std::collections::HashSet<&str> =
        plan.aliases.iter().map(|(p, _)| p.as_str()).collect();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in plan.claims.keys() {
        let is_page =
            path.ends_with("index.html") && !aliases.contains(path.as_str()) && path != "404.html";
        if !is_page {
            continue;
        }
        let url = format!(
            "{}{}",
            site.config.base_url,
            path.trim_end_matches("index.html")
        );
        let _ = write!(
            xml,
            "  <url><loc>{}</loc>",
            escape(&crate::url::encode_path(&url).replace("%3A", ":"))
        );
        if let Some(date) = lastmod.get(path) {
            let _ = write!(xml, "<lastmod>{date}</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}
