//! Every file the build will write, claimed before anything is written, so that two things
//! wanting one URL (two pages, a page and an alias, a page and a copied file) is an error
//! naming both, not a silent overwrite.

use std::collections::BTreeMap;

use crate::content::taxonomy::term_list_pages;
use crate::content::{Page, Section};
use crate::diagnostics::Diagnostic;
use crate::kinds::KindOutput;
use crate::site::Site;
use crate::url::{html_path, pager_path};

/// Files written by every build.
pub const FIXED_FILES: &[&str] = &[
    "search/index.html",
    "sitemap.xml",
    "robots.txt",
    "atom.xml",
    "404.html",
    "accessibility/index.html",
];

/// Every output path of the build and who claims it, decided before anything is written.
pub struct Plan {
    /// Output path (relative, `/`-separated) → who writes it (a content file, or a description).
    pub claims: BTreeMap<String, String>,
    /// Redirect pages: output path → the page index they lead to.
    pub aliases: Vec<(String, usize)>,
    /// Files the sections' kinds add, with the file that owns each (the section's `_index.md`).
    pub kind_outputs: Vec<(String, KindOutput)>,
    /// Collisions between claims (two writers for one path) and unusable aliases.
    pub diagnostics: Vec<Diagnostic>,
}

/// How many list pages a section has.
pub fn list_pages(section: &Section) -> usize {
    if !crate::kinds::of(section.kind).paginates() {
        return 1;
    }
    match section.settings.paginate {
        0 => 1,
        per => section.pages.len().div_ceil(per).max(1),
    }
}

/// Claims every file the site will write (fixed files, theme files, pages, list pages,
/// taxonomy pages, aliases, kind outputs, …), reporting each path wanted twice with both owners.
pub fn plan(site: &Site) -> Plan {
    let mut plan = Plan {
        claims: BTreeMap::new(),
        aliases: Vec::new(),
        kind_outputs: Vec::new(),
        diagnostics: Vec::new(),
    };
    let library = &site.library;
    for file in FIXED_FILES {
        plan.claim(file.to_string(), "pufa (generated)".into(), None);
    }
    for file in site.theme.statics.values() {
        plan.claim(file.output.clone(), "the theme".into(), None);
    }
    for page in library.pages.iter().filter(|p| !p.is_index) {
        plan.claim(html_path(&page.url), page.file.clone(), Some(page));
    }
    for section in &library.sections {
        let owner = section
            .index
            .map_or_else(|| "content/".to_string(), |i| library.pages[i].file.clone());
        let index_page = section.index.map(|i| &library.pages[i]);
        for n in 1..=list_pages(section) {
            let path = html_path(&pager_path(&section.url, n));
            plan.claim(path, owner.clone(), index_page);
        }
    }
    for taxonomy in &site.taxonomies {
        plan.claim(
            html_path(&taxonomy.url()),
            format!("the `{}` taxonomy", taxonomy.name),
            None,
        );
        for term in &taxonomy.terms {
            for n in 1..=term_list_pages(term.pages.len()) {
                let url = pager_path(&taxonomy.term_url(term), n);
                plan.claim(
                    html_path(&url),
                    format!("the `{}` term `{}`", taxonomy.name, term.name),
                    None,
                );
            }
        }
    }
    for asset in &library.assets {
        plan.claim(asset.clone(), format!("content/{asset}"), None);
    }
    plan_images(site, &mut plan);
    plan_kind_outputs(site, &mut plan);
    plan_aliases(site, &mut plan);
    plan
}

/// The resized copies of each image pages show, published beside it (`hall-480w.jpg`).
fn plan_images(site: &Site, plan: &mut Plan) {
    for (image, _) in site.images.shown() {
        let owner = format!("content/{}", image.source);
        for variant in image.resized() {
            match plan.claims.get(&variant.path) {
                Some(other) => plan.diagnostics.push(
                    Diagnostic::error(
                        "url-collision",
                        other.clone(),
                        format!(
                            "{owner} is published {} px wide as {}, which is this file's name",
                            variant.width, variant.path
                        ),
                    )
                    .with_help(
                        "rename this file; pufa names the resized copies of an image NAME-<width>w",
                    ),
                ),
                None => plan.claim(variant.path.clone(), owner.clone(), None),
            }
        }
    }
}

fn plan_kind_outputs(site: &Site, plan: &mut Plan) {
    let context = site.kind_context();
    for (s, section) in site.library.sections.iter().enumerate() {
        let owner = section.index.map_or_else(
            || "content/".to_string(),
            |i| site.library.pages[i].file.clone(),
        );
        for output in crate::kinds::of(section.kind).outputs(&context, s) {
            plan.claim(output.path(), owner.clone(), None);
            plan.kind_outputs.push((owner.clone(), output));
        }
    }
}

fn plan_aliases(site: &Site, plan: &mut Plan) {
    for (i, page) in site.library.pages.iter().enumerate() {
        for alias in &page.meta.aliases {
            let at = |d: Diagnostic| d.at(&page.text, alias.line, alias.column);
            let path = alias.value.trim().trim_start_matches('/');
            if !is_alias_path(path) || alias.value.contains("://") {
                plan.diagnostics.push(at(Diagnostic::error("bad-alias", &page.file, format!("`{}` is not an old address on this site", alias.value))
                    .with_help("write the old path from the site root, e.g. `/xwzx/2024/123.html` or `/old/page/`; each part between `/` at most 255 bytes, no control characters or `\\`")));
                continue;
            }
            let output = if path.ends_with(".html") || path.ends_with(".htm") {
                path.to_string()
            } else {
                format!("{}/index.html", path.trim_end_matches('/'))
            };
            if let Some(owner) = plan.claims.get(&output) {
                plan.diagnostics.push(at(Diagnostic::error(
                    "url-collision",
                    &page.file,
                    format!(
                        "the alias `{}` is already the address of {owner}",
                        alias.value
                    ),
                )
                .with_help("remove the alias, or move the other page")));
                continue;
            }
            plan.claims.insert(output.clone(), page.file.clone());
            plan.aliases.push((output, i));
        }
    }
}

/// Whether an alias path can be written as a file: not empty, no `..`, no control character
/// or backslash, and no part longer than the 255 bytes a file name may have.
fn is_alias_path(path: &str) -> bool {
    !path.is_empty()
        && !path.contains(|c: char| c.is_control() || c == '\\')
        && path
            .split('/')
            .all(|part| part != ".." && part.len() <= 255)
}

impl Plan {
    fn claim(&mut self, path: String, owner: String, page: Option<&Page>) {
        if let Some(previous) = self.claims.get(&path) {
            if *previous == owner {
                return;
            }
            let mut diagnostic = Diagnostic::error(
                "url-collision",
                page.map_or(owner.clone(), |p| p.file.clone()),
                format!("{owner} and {previous} would both be written to {path}"),
            )
            .with_help("rename one of them, or give one a different `slug:`");
            if let Some(page) = page {
                diagnostic = diagnostic.at(&page.text, 1, 1);
            }
            self.diagnostics.push(diagnostic);
            return;
        }
        self.claims.insert(path, owner);
    }
}
