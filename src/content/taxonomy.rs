//! Taxonomies (`tags`, `categories`, …): terms collected from front matter, each with the pages
//! that carry it, newest first.

use std::collections::BTreeMap;

use super::Library;
use super::slug::slugify;

/// One term and its pages.
pub struct Term {
    pub name: String,
    pub slug: String,
    /// Page indexes, newest first.
    pub pages: Vec<usize>,
}

/// One taxonomy, its terms sorted by slug.
pub struct Taxonomy {
    pub name: String,
    pub terms: Vec<Term>,
}

impl Taxonomy {
    /// `/tags/`.
    pub fn url(&self) -> String {
        format!("/{}/", self.name)
    }

    /// `/tags/xian-fa/`.
    pub fn term_url(&self, term: &Term) -> String {
        format!("/{}/{}/", self.name, term.slug)
    }
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
                    let slug = match slugify(value) {
                        s if s.is_empty() => "term".to_string(),
                        s => s,
                    };
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
                term.pages.sort_by(|&a, &b| {
                    let (a, b) = (&library.pages[a], &library.pages[b]);
                    b.meta
                        .date
                        .cmp(&a.meta.date)
                        .then_with(|| a.path.cmp(&b.path))
                });
            }
            Taxonomy {
                name: name.clone(),
                terms,
            }
        })
        .collect()
}
