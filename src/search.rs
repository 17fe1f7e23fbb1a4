//! The search step of the build: a [`Record`] for every content page (title, summary, the
//! kind's own fields, headings, body) and every directory entry, indexed by
//! [`crate::textsearch`] into `search/`. Only what editors wrote is indexed, never the
//! theme's text (header, menu, footer, labels, messages).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rayon::prelude::*;

use crate::content::Page;
use crate::diagnostics::Diagnostic;
use crate::output::Staging;
use crate::site::Site;
use crate::textsearch::{Field, Index, Record};

/// Where the bundle is written, under the output root; the search page is `search/index.html`.
pub const FOLDER: &str = "search";

/// How much of one page's body is indexed: beyond it, a page is found by its beginning (a
/// 10 MB page would otherwise dominate the index).
const BODY_LIMIT: usize = 200_000;

/// Everyday words citizens type, and the words the site's pages use for them. A site adds
/// its own in `site.yaml` (`search: { synonyms: { 词: [同义词] } }`).
const SYNONYMS: &[(&str, &[&str])] = &[
    ("打官司", &["诉讼", "起诉"]),
    ("告状", &["起诉", "诉讼"]),
    ("请律师", &["法律援助", "律师"]),
    ("找律师", &["法律援助", "律师"]),
    ("免费律师", &["法律援助"]),
    ("讨薪", &["劳动报酬", "欠薪"]),
    ("欠薪", &["劳动报酬", "讨薪"]),
    ("要工资", &["劳动报酬"]),
    ("拖欠工资", &["劳动报酬", "欠薪"]),
    ("离婚", &["婚姻家庭"]),
    ("吵架", &["调解", "纠纷"]),
    ("民告官", &["行政复议", "行政诉讼"]),
    ("赡养老人", &["赡养"]),
];

/// The synonyms in force: the built-in table, with the site's own entries added or replacing.
pub fn synonyms(site_synonyms: &BTreeMap<String, Vec<String>>) -> Vec<(String, Vec<String>)> {
    let mut all: BTreeMap<String, Vec<String>> = SYNONYMS
        .iter()
        .map(|(word, others)| {
            (
                word.to_string(),
                others.iter().map(|s| s.to_string()).collect(),
            )
        })
        .collect();
    all.extend(site_synonyms.clone());
    all.into_iter().collect()
}

/// The search record of one content page, or `None` for a page search does not list.
pub fn page_record(site: &Site, page: usize) -> Option<Record> {
    let library = &site.library;
    let p: &Page = &library.pages[page];
    if p.is_index {
        return None;
    }
    let kind = crate::kinds::of(library.sections[p.section].kind);
    let mut fields = vec![(Field::Title, p.meta.title.clone())];
    if let Some(summary) = &p.meta.summary {
        fields.push((Field::Summary, summary.trim().to_string()));
    }
    fields.extend(kind.search_fields(&site.kind_context(), page));
    fields.extend(
        p.rendered
            .headings
            .iter()
            .map(|h| (Field::Heading, h.title.clone())),
    );
    fields.push((Field::Body, html_to_text(&p.rendered.html, BODY_LIMIT).text));
    Some(Record {
        url: crate::url::site_url(&site.config.base_path, &p.url),
        title: p.meta.title.clone(),
        kind: kind.search_label(p.meta.date.is_some()),
        owner: p.path.clone(),
        fields,
        excerpt: None,
    })
}

/// The search record of every page search lists, made in parallel.
pub fn page_records(site: &Site) -> Vec<Record> {
    let pages: Vec<usize> = site.library.regular_pages().map(|(i, _)| i).collect();
    pages
        .par_iter()
        .filter_map(|&page| page_record(site, page))
        .collect()
}

/// The index of a full build (and of `pufa check`): the record of every page, and every record
/// the kinds add (directory entries). `None` without search, and when `pufa serve` rewrites a
/// few pages (it updates the index it keeps itself). It reads the pages' text, not their HTML,
/// so it is made beside the steps that plan, check and write the pages.
pub fn make_index(site: &Site, staging: &Staging) -> Option<Index> {
    if !site.config.search.enabled || staging.is_incremental() {
        return None;
    }
    Some(build_index(site, page_records(site), staging.keeps_index()))
}

/// Writes the bundle of `index` (in `pufa check`, nothing) and returns what an editor should
/// know of it. The build does this beside the feeds, which keep only one core busy.
pub fn write_index(site: &Site, staging: &Staging, mut index: Index) -> Vec<Diagnostic> {
    let mut findings = index_findings(site, &index);
    let published = std::sync::Mutex::new(BTreeSet::new());
    findings.extend(index.write_files(FOLDER, &|path, bytes| {
        if is_manifest(&path) {
            staging.write(&path, &bytes)?;
        } else {
            staging.write_hashed(&path, &bytes)?;
        }
        published
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path);
        Ok(())
    }));
    let published = published.into_inner().unwrap_or_else(|e| e.into_inner());
    // Handed on, not freed here: freeing ~70,000 lists takes ~20 ms, at the end of this step.
    staging.keep_index(index, published);
    findings
}

/// Whether a bundle file is the manifest: the only one whose name holds no hash of its
/// content.
fn is_manifest(path: &str) -> bool {
    path.ends_with("/index.json")
}

/// What an editor should know about the index: pages too long to be searched whole, and
/// site synonyms that lead to words no page uses.
fn index_findings(site: &Site, index: &Index) -> Vec<Diagnostic> {
    let mut findings: Vec<Diagnostic> = site
        .library
        .pages
        .iter()
        // Only a page whose HTML is longer than the limit can have a longer text.
        .filter(|p| !p.is_index && p.rendered.html.len() > BODY_LIMIT)
        .filter(|p| html_to_text(&p.rendered.html, BODY_LIMIT).cut)
        .map(|p| {
            Diagnostic::warning(
                "search-cut",
                &p.file,
                format!(
                    "only the first {BODY_LIMIT} bytes of this page's text can be found by search"
                ),
            )
            .with_help("split the page into shorter pages, or put what citizens look for first")
        })
        .collect();
    for (word, others) in &site.config.search.synonyms {
        for other in others.iter().filter(|o| !index.knows(o)) {
            findings.push(
                Diagnostic::warning(
                    "unused-synonym",
                    crate::config::CONFIG_PATH,
                    format!("search.synonyms: `{word}` leads to `{other}`, which no page uses"),
                )
                .with_help(format!(
                    "write a word the site's pages use for `{word}`, or remove `{other}`"
                )),
            );
        }
    }
    findings
}

/// The index of `pages` and of the kinds' own records; `editable` for `pufa serve`, which
/// replaces records after each save ([`Index::editable`]).
pub fn build_index(site: &Site, mut records: Vec<Record>, editable: bool) -> Index {
    let context = site.kind_context();
    for (s, section) in site.library.sections.iter().enumerate() {
        records.extend(crate::kinds::of(section.kind).search_records(&context, s));
    }
    let synonyms = synonyms(&site.config.search.synonyms);
    if editable {
        Index::editable(records, synonyms)
    } else {
        Index::new(records, synonyms)
    }
}

/// Brings a served site's index up to date with the records an incremental rebuild gathered:
/// writes only the bundle files that are new (their names carry their content's hash) and
/// the manifest, and removes the files they replace. `published` holds the bundle's paths.
/// Returns the paths written, or `None` when the change is not records replacing records
/// (the caller then rebuilds everything).
pub fn update(
    index: &mut Index,
    records: Vec<Record>,
    out: &Path,
    published: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    let mut by_owner: BTreeMap<String, Vec<Record>> = BTreeMap::new();
    for record in records {
        by_owner
            .entry(record.owner.clone())
            .or_default()
            .push(record);
    }
    for (owner, records) in by_owner {
        if !index.replace(&owner, records) {
            return None;
        }
    }
    let written = std::sync::Mutex::new(Vec::new());
    let previous: &BTreeSet<String> = published;
    let failed = index.write_changes(FOLDER, &|path: String, bytes: Vec<u8>| {
        // A name carries its content's hash: a file already there holds these very bytes.
        if previous.contains(&path) && !is_manifest(&path) {
            return Ok(());
        }
        // New shards have new names; only the manifest is replaced while browsers may read it.
        crate::output::replace_atomically(&out.join(&path), &bytes)?;
        written.lock().unwrap_or_else(|e| e.into_inner()).push(path);
        Ok::<(), std::io::Error>(())
    });
    if !failed.is_empty() {
        return None;
    }
    let new = index.paths(FOLDER);
    for stale in published.difference(&new) {
        let _ = std::fs::remove_file(out.join(stale));
    }
    let mut written = written.into_inner().unwrap_or_else(|e| e.into_inner());
    written.sort();
    *published = new;
    Some(written)
}

/// The text of rendered Markdown: tags dropped, entities decoded, blocks on lines of their
/// own, Markdown's headings left out (a record has them as fields of their own: indexed once,
/// weighted as headings; they are the headings with an `id`, which every Markdown heading
/// gets, while a raw `<h3>` of an `unsafe_html` page is not among them and stays in the
/// text); at most `limit` bytes (cut at a character boundary).
pub fn html_to_text(html: &str, limit: usize) -> BodyText {
    let mut text = String::with_capacity(html.len().min(limit));
    let mut rest = html;
    // '<' and '&' are ASCII, never inside a multi-byte character: a byte scan finds them.
    while let Some(open) = memchr::memchr2(b'<', b'&', rest.as_bytes()) {
        text.push_str(&rest[..open]);
        rest = &rest[open..];
        if rest.starts_with('<') {
            let close = memchr::memchr(b'>', rest.as_bytes()).map_or(rest.len(), |c| c + 1);
            let tag = &rest[1..close.saturating_sub(1).max(1)];
            let name = tag.trim_start_matches('/');
            if is_block(name.as_bytes()) && !text.ends_with('\n') {
                text.push('\n');
            }
            rest = &rest[close..];
            if let [b'h', level @ b'1'..=b'6', b' ', ..] = tag.as_bytes()
                && memchr::memmem::find(tag.as_bytes(), b" id=\"").is_some()
            {
                let end = [b'<', b'/', b'h', *level, b'>'];
                rest = memchr::memmem::find(rest.as_bytes(), &end)
                    .map_or("", |at| &rest[at + end.len()..]);
            }
        } else {
            let (decoded, used) = entity(rest);
            text.push_str(decoded);
            rest = &rest[used..];
        }
        if text.len() >= limit {
            break;
        }
    }
    text.push_str(rest);
    let cut = text.len() > limit;
    if cut {
        let mut end = limit;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    // The text is kept until the index is built: without the room left for the markup.
    text.shrink_to_fit();
    BodyText { text, cut }
}

/// A page's text as [`html_to_text`] takes it out of the page's HTML.
#[derive(Debug, PartialEq)]
pub struct BodyText {
    /// The text, at most the limit's bytes.
    pub text: String,
    /// Whether the text went on past the limit, and was cut there.
    pub cut: bool,
}

/// Whether a tag of this name (a closing tag's without its `/`) ends a line of the text: a
/// paragraph, heading, list item, table cell or row, line break, `div`, quotation, `pre` or
/// definition (any name starting `p`, `h`, `li`, `tr`, `td`, `th`, `br`, `div`,
/// `blockquote`, `dt` or `dd`).
fn is_block(name: &[u8]) -> bool {
    matches!(
        name,
        [b'p' | b'h', ..]
            | [b'l', b'i', ..]
            | [b't', b'r' | b'd' | b'h', ..]
            | [b'b', b'r', ..]
            | [b'd', b'i', b'v', ..]
            | [b'd', b't' | b'd', ..]
    ) || name.starts_with(b"blockquote")
}

/// The character an entity at the start of `text` stands for, and its length. pulldown-cmark
/// writes only these five.
fn entity(text: &str) -> (&'static str, usize) {
    for (name, character) in [
        ("&amp;", "&"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#39;", "'"),
    ] {
        if text.starts_with(name) {
            return (character, name.len());
        }
    }
    ("&", 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_text_with_blocks_on_their_own_lines() {
        let text = |html: &str, limit: usize| html_to_text(html, limit).text;
        assert_eq!(
            text(
                "<h2 id=\"a\">一、申请</h2>\n<p>拨打 <a href=\"x\">12348</a> &amp; 咨询&lt;免费&gt;</p>",
                1000
            ),
            "\n\n拨打 12348 & 咨询<免费>\n"
        );
        assert_eq!(text("<p>a &nbsp; b</p>", 100), "\na &nbsp; b\n");
        // Headings are fields of their own: the body leaves them out, whatever their markup.
        assert_eq!(
            text(
                "<h3 id=\"b\">材料<code>x</code></h3><p>身份证</p><hr><h2 id=\"c\">未闭合",
                100
            ),
            "\n身份证\n"
        );
        // A heading without an id is raw HTML, not one of the page's headings: it stays.
        assert_eq!(text("<h3>原样</h3><p>正文</p>", 100), "\n原样\n正文\n");
    }

    #[test]
    fn block_tags_are_those_whose_names_start_like_a_block_element() {
        const STARTS: &str = "p li h tr td th br div blockquote dt dd";
        let names = "pre path h2 hr header link lo tbody table t b blockquot di dl d a span em \
                     strong img / P";
        for name in STARTS.split(' ').chain(names.split(' ')).chain([""]) {
            let expected = STARTS.split(' ').any(|start| name.starts_with(start));
            assert_eq!(is_block(name.as_bytes()), expected, "{name}");
        }
    }

    #[test]
    fn html_to_text_stops_at_the_limit_on_a_character_boundary_and_says_it_cut() {
        let cut = |text: &str| BodyText {
            text: text.to_string(),
            cut: true,
        };
        let whole = |text: &str| BodyText {
            text: text.to_string(),
            cut: false,
        };
        let long = format!("<p>{}</p>", "法".repeat(100));
        assert_eq!(html_to_text(&long, 10), cut("\n法法法"));
        assert_eq!(html_to_text("<p unclosed", 10), whole("\n"));
        // A text of exactly the limit is whole; one byte more is cut.
        assert_eq!(html_to_text("<p>法法法</p>", 11), whole("\n法法法\n"));
        assert_eq!(html_to_text("<p>法法法</p>", 10), cut("\n法法法"));
        // Within four bytes of the limit, but whole: not cut.
        assert_eq!(html_to_text("<p>法法</p>", 10), whole("\n法法\n"));
    }

    #[test]
    fn site_synonyms_add_to_and_replace_the_built_in_ones() {
        let mut own = BTreeMap::new();
        own.insert("离婚".to_string(), vec!["婚姻".to_string()]);
        own.insert("退休金".to_string(), vec!["养老保险".to_string()]);
        let all = synonyms(&own);
        let find = |w: &str| all.iter().find(|(k, _)| k == w).map(|(_, v)| v.clone());
        assert_eq!(find("离婚").unwrap(), ["婚姻"]);
        assert_eq!(find("退休金").unwrap(), ["养老保险"]);
        assert_eq!(find("打官司").unwrap(), ["诉讼", "起诉"]);
    }
}
