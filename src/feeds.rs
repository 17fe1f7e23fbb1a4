//! Machine-read files: the Atom feed, the sitemap and robots.txt. These carry full URLs
//! (consumers need them); pages carry paths.

use std::fmt::Write as _;

use crate::config::Config;
use crate::content::Page;
use crate::dates;
use crate::diagnostics::Diagnostic;
use crate::output::Staging;
use crate::plan::Plan;
use crate::render::views::permalink;
use crate::site::Site;

pub fn write_feeds(site: &Site, plan: &Plan, staging: &Staging) -> Result<usize, Vec<Diagnostic>> {
    let mut results = Vec::new();
    if staging.wants("atom.xml") {
        let mut dated: Vec<&Page> = site
            .library
            .regular_pages()
            .map(|(_, p)| p)
            .filter(|p| p.meta.date.is_some())
            .collect();
        dated.sort_by(|a, b| {
            b.meta
                .date
                .cmp(&a.meta.date)
                .then_with(|| a.path.cmp(&b.path))
        });
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

/// Every HTML page the build writes (not redirects), sorted by URL.
fn sitemap(site: &Site, plan: &Plan) -> String {
    let lastmod: std::collections::HashMap<String, String> = site
        .library
        .pages
        .iter()
        .filter_map(|p| {
            Some((
                crate::plan::html_path(&p.url),
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
            escape(&crate::markdown::links::encode_path(&url).replace("%3A", ":"))
        );
        if let Some(date) = lastmod.get(path) {
            let _ = write!(xml, "<lastmod>{date}</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// Escapes text for XML content and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if !is_xml_char(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Whether XML 1.0 allows the character at all (§2.2): C0 controls but tab and line ends,
/// and the non-characters U+FFFE and U+FFFF, make a feed or an SVG unreadable.
pub fn is_xml_char(c: char) -> bool {
    !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(crate::hostile::config(256))]

        #[test]
        fn escaped_text_is_well_formed_xml_and_reads_back(text in crate::hostile::text(120)) {
            let escaped = escape(&text);
            let doc = format!("<a t=\"{escaped}\" u='{escaped}'>{escaped}</a>");
            let parsed = roxmltree::Document::parse(&doc);
            proptest::prop_assert!(parsed.is_ok(), "{doc:?}: {parsed:?}");
            let parsed = parsed.unwrap();
            let kept: String = text.chars().filter(|c| is_xml_char(*c)).collect();
            let normalise = |t: &str| t.replace("\r\n", "\n").replace('\r', "\n");
            proptest::prop_assert_eq!(normalise(parsed.root_element().text().unwrap_or("")), normalise(&kept));
            proptest::prop_assert!(!escaped.contains(['<', '"']));
        }
    }
}
