//! Service guides (办事指南): each page of a `kind: guides` section tells a citizen how to get
//! one service done — who can apply, what to bring, the steps, what it costs, how long it
//! takes and where to go. Offices are cited by directory id, so an address or phone changed
//! in the directory changes in every guide; an id no directory defines fails the build.
//!
//! Each guide also carries schema.org `GovernmentService` JSON-LD, links the guides that
//! share a tag, and lists the pages (route stops, reports, news) that link to it.

mod application;
mod json_ld;
mod model;
mod self_check;
mod tools;
mod views;

use tera::Context;

use super::directory::{DirectoryEntry, DirectorySection, EntryLink, find_entry};
use super::{HomeEntries, Kind, KindContext, KindOutput};
use crate::content::KindData;
use crate::content::{Library, Page};
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::textsearch::Field;
use crate::url::site_url;
use crate::yaml::YamlSource;
use model::Guide;
use views::{GuideView, Neighbours, OfficeView, PageLink};

/// How many related guides a guide lists at most.
const RELATED_MAX: usize = 6;

/// The kind registered as `guides`; stateless, each page carries its [`Guide`].
pub struct Guides;

impl Kind for Guides {
    fn name(&self) -> &'static str {
        "guides"
    }

    fn page_keys(&self) -> &'static [&'static str] {
        model::KEYS
    }

    fn paginates(&self) -> bool {
        false
    }

    /// Every guide is a 我想…… entry; the first guides list is "all guides".
    fn home(&self, site: &KindContext, section: usize, home: &mut HomeEntries) {
        let sec = &site.library.sections[section];
        home.help.extend(&sec.pages);
        home.guides_url
            .get_or_insert_with(|| site_url(&site.config.base_path, &sec.url));
    }

    fn load_page(
        &self,
        source: &YamlSource,
        is_index: bool,
    ) -> Result<Option<KindData>, Vec<Diagnostic>> {
        if is_index {
            return Ok(None);
        }
        Ok(Some(Box::new(model::parse_guide(source)?)))
    }

    fn validate(&self, site: &KindContext, section: usize) -> Vec<Diagnostic> {
        let library = site.library;
        let known = directory_ids(library);
        let mut found = Vec::new();
        for (page, guide) in guides(library, section) {
            let source = page.yaml();
            found.extend(unknown_offices(library, &source, guide, &known));
            if let Some(problem) = guide.fee_problem {
                found.push(problem.warning(&source, guide.fee.as_deref()));
            }
        }
        found
    }

    fn page_template(&self) -> &'static str {
        "guide.html"
    }

    fn section_template(&self) -> &'static str {
        "guides.html"
    }

    fn page_context(&self, site: &KindContext, page: usize, context: &mut Context) {
        let (library, config) = (site.library, site.config);
        let page = &library.pages[page];
        let Some(guide) = page.kind_data::<Guide>() else {
            return;
        };
        let offices = offices(library, guide);
        let neighbours = neighbours(site, page, &offices);
        context.insert("guide", &GuideView::new(page, guide, neighbours, config));
        context.insert(
            "guide_json_ld",
            &json_ld::government_service(config, page, guide, &offices),
        );
    }

    fn is_browsed(&self) -> bool {
        true
    }

    fn search_label(&self, _dated: bool) -> &'static str {
        "办事指南"
    }

    fn search_fields(&self, site: &KindContext, page: usize) -> Vec<(Field, String)> {
        let Some(guide) = site.library.pages[page].kind_data::<Guide>() else {
            return Vec::new();
        };
        let mut fields = vec![(Field::Detail, guide.service.clone())];
        let texts = guide
            .audience
            .iter()
            .chain(&guide.eligibility)
            .chain(
                guide
                    .materials
                    .iter()
                    .flat_map(|m| std::iter::once(&m.name).chain(&m.note)),
            )
            .chain(
                guide
                    .steps
                    .iter()
                    .flat_map(|s| std::iter::once(&s.title).chain(&s.detail)),
            )
            .chain(&guide.time_limit)
            .chain(&guide.fee)
            .chain(&guide.legal_basis);
        fields.extend(texts.map(|t| (Field::Detail, t.clone())));
        fields
    }

    fn outputs(&self, site: &KindContext, section: usize) -> Vec<KindOutput> {
        guides(site.library, section)
            .into_iter()
            .flat_map(|(page, guide)| tools::outputs(site, section, page, guide))
            .collect()
    }

    fn section_context(&self, site: &KindContext, section: usize, context: &mut Context) {
        let guides = guides(site.library, section);
        context.insert(
            "services",
            &views::service_groups(site.library, site.config, &guides),
        );
    }
}

/// The offices, related guides and referring pages of one guide, as shown.
fn neighbours(
    site: &KindContext,
    page: &Page,
    offices: &[(&DirectoryEntry, EntryLink)],
) -> Neighbours {
    let (library, config) = (site.library, site.config);
    let related = related(library, page);
    let referenced_by = referenced_by(library, page)
        .into_iter()
        .filter(|p| !related.iter().any(|(r, _)| std::ptr::eq(*r, *p)))
        .map(|p| {
            let section = library.section_title(&library.sections[p.section]);
            PageLink::new(p, section, config)
        })
        .collect();
    Neighbours {
        offices: offices
            .iter()
            .map(|(entry, link)| OfficeView::new(entry, link, config))
            .collect(),
        related: related
            .iter()
            .map(|(p, g)| PageLink::new(p, &g.service, config))
            .collect(),
        referenced_by,
    }
}

/// The section's guides in the section's order.
fn guides(library: &Library, section: usize) -> Vec<(&Page, &Guide)> {
    library.sections[section]
        .pages
        .iter()
        .filter_map(|&i| {
            let page = &library.pages[i];
            page.kind_data::<Guide>().map(|guide| (page, guide))
        })
        .collect()
}

/// The guide's offices found in the directories, in the order the guide names them.
fn offices<'a>(library: &'a Library, guide: &Guide) -> Vec<(&'a DirectoryEntry, EntryLink)> {
    guide
        .offices
        .iter()
        .filter_map(|id| find_entry(library, &id.value))
        .collect()
}

/// Every entry id of every directory of the site, for "did you mean".
fn directory_ids(library: &Library) -> Vec<&str> {
    library
        .sections
        .iter()
        .filter_map(|s| s.data::<DirectorySection>())
        .flat_map(|d| &d.directories)
        .flat_map(|d| &d.entries)
        .map(|e| e.id.as_str())
        .collect()
}

/// An error for each `where` id (the guide's, or a self-check outcome's) that no directory
/// defines, at the id.
fn unknown_offices(
    library: &Library,
    source: &YamlSource,
    guide: &Guide,
    known: &[&str],
) -> Vec<Diagnostic> {
    let outcomes = guide
        .self_check
        .iter()
        .flat_map(|c| &c.outcomes)
        .filter_map(|o| o.offices.as_ref())
        .flatten();
    guide
        .offices
        .iter()
        .chain(outcomes)
        .filter(|id| find_entry(library, &id.value).is_none())
        .map(|id| {
            let help = match did_you_mean(&id.value, known.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None if known.is_empty() => "no directory of this site defines any entries: add the office to a `kind: directory` section (e.g. content/directory/offices.yaml) and use its `id`".to_string(),
                None => "use the `id` of an entry in a directory file (content/directory/*.yaml)".to_string(),
            };
            source
                .diagnostic_at(
                    Diagnostic::error(
                        "unknown-office",
                        source.file,
                        format!("`where` names `{}`, which no directory defines", id.value),
                    )
                    .with_help(help),
                    &id.referenced,
                )
                .underline(id.value.chars().count())
        })
        .collect()
}

/// Other guides (in any guides section) sharing a tag with `page`, most shared tags first.
fn related<'a>(library: &'a Library, page: &Page) -> Vec<(&'a Page, &'a Guide)> {
    let tags = page.meta.taxonomies.get("tags");
    let Some(tags) = tags.filter(|t| !t.is_empty()) else {
        return Vec::new();
    };
    let mut found: Vec<(usize, &Page, &Guide)> = library
        .regular_pages()
        .filter(|(_, other)| other.path != page.path)
        .filter_map(|(_, other)| {
            let guide = other.kind_data::<Guide>()?;
            let shared = other
                .meta
                .taxonomies
                .get("tags")?
                .iter()
                .filter(|t| tags.contains(t))
                .count();
            (shared > 0).then_some((shared, other, guide))
        })
        .collect();
    found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.path.cmp(&b.1.path)));
    found
        .into_iter()
        .take(RELATED_MAX)
        .map(|(_, p, g)| (p, g))
        .collect()
}

/// Pages whose Markdown links to `page`, from the link graph, in path order. The guide's own
/// section index is left out: listing every guide is its job, not a reference. (Related
/// guides that also link here are listed once, as related.)
fn referenced_by<'a>(library: &'a Library, page: &Page) -> Vec<&'a Page> {
    library
        .pages
        .iter()
        .filter(|p| p.path != page.path)
        .filter(|p| !(p.is_index && p.section == page.section))
        .filter(|p| p.rendered.links.links_to.iter().any(|to| to == &page.path))
        .collect()
}
