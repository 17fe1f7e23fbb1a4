//! Taxonomies (`tags`, `categories`, …): terms collected from front matter, each with the pages
//! that carry it, newest first.

use std::collections::BTreeMap;

use super::slug::slugify;
use super::{LIST_PAGE_SIZE, Library, newest_first};

/// One term and its pages.
pub struct Term {
    /// The term as editors wrote it (`劳动争议`), shown on pages.
    pub name: String,
    /// Its URL segment (pinyin, `lao-dong-zheng-yi`), unique within the taxonomy; see
    /// [`term_slug`].
    pub slug: String,
    /// Page indexes, newest first.
    pub pages: Vec<usize>,
}

/// One taxonomy, its terms sorted by slug.
pub struct Taxonomy {
    /// The taxonomy's name from site.yaml `taxonomies:` (`tags`); also its URL segment and
    /// front-matter key.
    pub name: String,
    /// The terms used by at least one published page.
    pub terms: Vec<Term>,
}

impl Taxonomy {
    /// `/tags/`.
    pub fn url(&self) -> String {
        format!("/{}/", self.name)
    }

    /// `/tags/xian-fa/`.
    pub fn term_url(&self, term: &Term) -> String {
        term_path(&self.name, &term.slug)
    }
}

/// How many list pages a term carried by `count` pages has (one, even when empty).
pub fn term_list_pages(count: usize) -> usize {
    count.div_ceil(LIST_PAGE_SIZE).max(1)
}

/// The slug of a term as its page is written: `宪法` → `xian-fa` (`term` when nothing is left).
pub fn term_slug(name: &str) -> String {
    match slugify(name) {
        s if s.is_empty() => "term".to_string(),
        s => s,
    }
}

/// The site path of a term's page, from the term as a page writes it: `/tags/xian-fa/`.
pub fn term_url(taxonomy: &str, name: &str) -> String {
    term_path(taxonomy, &term_slug(name))
}

fn term_path(taxonomy: &str, slug: &str) -> String {
    format!("/{taxonomy}/{slug}/")
}

/// Collects the terms of every taxonomy site.yaml names. Terms whose slugs collide (`宪法` and
/// `xian fa`) are merged under the first spelling.
pub fn collect(library: &Library, names: &[String]) -> Vec<Taxonomy> {
    names
        .iter()
        .map(|name| {
            let mut terms: BTreeMap<String, Term> = BTreeMap::new();
            for (i, page) in library.regular_pages() {
                for value in page.meta.taxonomies.get(name).into_iter().flatten() {
                    let slug = term_slug(value);
                    let term = terms.entry(slug.clone()).or_insert_with(|| Term {
                        name: value.clone(),
                        slug,
                        pages: Vec::new(),
                    });
                    if term.pages.last() != Some(&i) {
                        term.pages.push(i);
                    }
                }
            }
            let mut terms: Vec<Term> = terms.into_values().collect();
            for term in &mut terms {
                term.pages
                    .sort_by(|&a, &b| newest_first(&library.pages[a], &library.pages[b]));
            }
            Taxonomy {
                name: name.clone(),
                terms,
            }
        })
        .collect()
}
