//! `kind: directory`: each `.yaml` file in the section is one directory of offices or people
//! (司法所, 村（居）法律顾问, 法律明白人, 法治副校长). Out come a page per directory with its
//! entries grouped by region, a page per region for readers without JavaScript, and CSV,
//! JSON and vCard downloads. Guides find offices here through [`find_entry`].

pub(crate) mod downloads;
mod model;
pub(crate) mod pages;
mod phone;
pub(crate) mod validate;

use tera::Context;

use super::{HomeEntries, Kind, KindContext, KindOutput};
use crate::content::KindData;
use crate::content::{DataFile, Library};
use crate::diagnostics::Diagnostic;
use crate::render::views::breadcrumbs;
use crate::textsearch::{Field, Record};
use crate::url::site_url;
use pages::{DirectoryCard, DirectoryPaths};

pub use model::{Directory, DirectoryEntry, DirectorySection, GeoPoint};
pub use phone::ShownPhone;

/// The kind registered as `directory`; stateless, its data lives on each section.
pub struct DirectoryKind;

/// Where an entry is published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryLink {
    /// Site path without the base path, stable for as long as the file and id keep their
    /// names: `/directory/offices/#shuitou-sfs`. Pass it through
    /// [`site_url`](crate::url::site_url) for a link.
    pub url: String,
    /// The directory's title, for link text such as "见司法所名录".
    pub directory: String,
}

/// The entry with id `id` in any directory of the site, and where it is published. Phones are
/// reached through [`DirectoryEntry::phone`], which keeps private numbers out and masks
/// mobiles as the site asks.
pub fn find_entry<'a>(library: &'a Library, id: &str) -> Option<(&'a DirectoryEntry, EntryLink)> {
    library.sections.iter().find_map(|section| {
        let (directory, entry) = section.data::<DirectorySection>()?.entry(id)?;
        let paths = DirectoryPaths::new(&section.url, directory);
        Some((
            entry,
            EntryLink {
                url: format!("{}#{}", paths.page, entry.id),
                directory: directory.title.clone(),
            },
        ))
    })
}

impl Kind for DirectoryKind {
    fn name(&self) -> &'static str {
        "directory"
    }

    fn claims_file(&self, path: &str) -> bool {
        path.ends_with(".yaml") || path.ends_with(".yml")
    }

    fn load_section(&self, files: &[DataFile]) -> Result<Option<KindData>, Vec<Diagnostic>> {
        let section = model::load(files)?;
        Ok(Some(Box::new(section)))
    }

    fn validate(&self, site: &KindContext, section: usize) -> Vec<Diagnostic> {
        validate::validate(site, section)
    }

    fn section_template(&self) -> &'static str {
        "directory_list.html"
    }

    fn is_browsed(&self) -> bool {
        true
    }

    fn search_label(&self, _dated: bool) -> &'static str {
        "服务名录"
    }

    fn search_records(&self, site: &KindContext, section: usize) -> Vec<Record> {
        let sec = &site.library.sections[section];
        let Some(data) = sec.data::<DirectorySection>() else {
            return Vec::new();
        };
        let base = &site.config.base_path;
        let mut records = Vec::new();
        for directory in &data.directories {
            let paths = DirectoryPaths::new(&sec.url, directory);
            let owner = directory.file.trim_start_matches("content/").to_string();
            records.push(Record {
                url: site_url(base, &paths.page),
                title: directory.title.clone(),
                kind: self.search_label(false),
                owner: owner.clone(),
                fields: vec![
                    (Field::Title, directory.title.clone()),
                    (Field::Summary, directory.summary.clone()),
                ],
                excerpt: None,
            });
            records.extend(directory.entries.iter().map(|entry| Record {
                url: site_url(base, &format!("{}#{}", paths.page, entry.id)),
                title: entry.name.clone(),
                kind: self.search_label(false),
                owner: owner.clone(),
                fields: entry_fields(entry, site.config),
                excerpt: Some(entry_excerpt(entry, site.config)),
            }));
        }
        records
    }

    fn section_context(&self, site: &KindContext, section: usize, context: &mut Context) {
        let sec = &site.library.sections[section];
        let directories: Vec<(&Directory, DirectoryPaths)> = sec
            .data::<DirectorySection>()
            .map(|data| {
                data.directories
                    .iter()
                    .map(|d| (d, DirectoryPaths::new(&sec.url, d)))
                    .collect()
            })
            .unwrap_or_default();
        let cards: Vec<DirectoryCard> = directories
            .iter()
            .map(|(d, paths)| DirectoryCard::new(d, paths, site.config))
            .collect();
        context.insert("directories", &cards);
        context.insert(
            "townships",
            &pages::township_choices(&directories, site.config),
        );
    }

    /// The home page's directory search goes to the first directory's page.
    fn home(&self, site: &KindContext, section: usize, home: &mut HomeEntries) {
        let sec = &site.library.sections[section];
        let first = sec
            .data::<DirectorySection>()
            .and_then(|data| data.directories.first());
        if let (None, Some(directory)) = (&home.directory_search, first) {
            let page = DirectoryPaths::new(&sec.url, directory).page;
            home.directory_search = Some(site_url(&site.config.base_path, &page));
        }
    }

    fn outputs(&self, site: &KindContext, section: usize) -> Vec<KindOutput> {
        let sec = &site.library.sections[section];
        let Some(data) = sec.data::<DirectorySection>() else {
            return Vec::new();
        };
        let mut outputs = Vec::new();
        for directory in &data.directories {
            let paths = DirectoryPaths::new(&sec.url, directory);
            outputs.extend(directory_pages(site, section, directory, &paths));
            let config = site.config;
            outputs.extend([
                KindOutput::File {
                    path: paths.download("csv").trim_start_matches('/').to_string(),
                    bytes: downloads::csv(directory, config),
                },
                KindOutput::File {
                    path: paths.download("json").trim_start_matches('/').to_string(),
                    bytes: downloads::json(directory, &paths.page, config),
                },
                KindOutput::File {
                    path: paths.download("vcf").trim_start_matches('/').to_string(),
                    bytes: downloads::vcard(directory, &paths.page, config),
                },
            ]);
        }
        outputs
    }
}

/// What search finds of one entry: its own fields only, and its phone only as the site shows
/// it (a `public_phone: false` number never got this far).
fn entry_fields(entry: &DirectoryEntry, config: &crate::config::Config) -> Vec<(Field, String)> {
    let mut fields = vec![(Field::Title, entry.name.clone())];
    let details = [&entry.role, &entry.region, &entry.place]
        .into_iter()
        .chain(&entry.serves)
        .chain(&entry.services)
        .filter(|t| !t.is_empty())
        .map(|t| (Field::Detail, t.clone()));
    fields.extend(details);
    if let Some(phone) = entry.phone(config) {
        fields.push((Field::Detail, phone.text.clone()));
    }
    for text in [&entry.address, &entry.hours] {
        if !text.is_empty() {
            fields.push((Field::Body, text.clone()));
        }
    }
    fields
}

/// What a result shows of one entry: its fields labelled as its directory page labels them,
/// the phone first (most who search the directory want to call), so that a citizen tells the
/// villages served from the services and the office from the address.
fn entry_excerpt(entry: &DirectoryEntry, config: &crate::config::Config) -> String {
    let head = match (entry.role.is_empty(), entry.region.is_empty()) {
        (false, false) => format!("{}，{}", entry.role, entry.region),
        (false, true) => entry.role.clone(),
        (true, _) => entry.region.clone(),
    };
    let mut parts: Vec<String> = Vec::new();
    if !head.is_empty() {
        parts.push(head);
    }
    if let Some(phone) = entry.phone(config) {
        parts.push(format!("电话：{}", phone.text));
    }
    let hours_label = if entry.address.is_empty() {
        "时间安排"
    } else {
        "办公时间"
    };
    let labelled = [
        ("服务事项", entry.services.join("、")),
        ("服务对象", entry.serves.join("、")),
        ("所在单位", entry.place.clone()),
        ("地址", entry.address.clone()),
        (hours_label, entry.hours.clone()),
    ];
    parts.extend(
        labelled
            .into_iter()
            .filter(|(_, value)| !value.trim().is_empty())
            .map(|(label, value)| format!("{label}：{}", value.trim())),
    );
    parts.join("；")
}

/// The page of all entries and one page per region that has entries.
fn directory_pages(
    site: &KindContext,
    section: usize,
    directory: &Directory,
    paths: &DirectoryPaths,
) -> Vec<KindOutput> {
    let config = site.config;
    let slugs = pages::region_slugs(&config.regions);
    let card = DirectoryCard::new(directory, paths, config);
    let page = |url: String, title: String, region: Option<&str>| {
        let mut context = Context::new();
        context.insert("directory", &card);
        context.insert("region", &region);
        context.insert("groups", &pages::groups(directory, config, &slugs, region));
        context.insert(
            "regions",
            &pages::region_links(directory, paths, config, &slugs, region),
        );
        context.insert("all_url", &site_url(&config.base_path, &paths.page));
        if region.is_some() {
            let trail = breadcrumbs(site.library, config, section);
            context.insert("breadcrumbs", &pages::region_breadcrumbs(trail, &card));
        }
        KindOutput::Page {
            url,
            template: "directory.html",
            title,
            section,
            context,
        }
    };
    let mut outputs = vec![page(paths.page.clone(), directory.title.clone(), None)];
    for link in pages::region_links(directory, paths, config, &slugs, None) {
        let region = link.name.as_str();
        outputs.push(page(
            paths.region(&slugs[region]),
            format!("{} · {region}", directory.title),
            Some(region),
        ));
    }
    outputs
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::content::Section;

    fn section(dir: &str, data: Option<KindData>) -> Section {
        Section {
            dir: dir.to_string(),
            index: None,
            kind: crate::content::KindId("directory"),
            settings: Default::default(),
            pages: Vec::new(),
            subsections: Vec::new(),
            parent: None,
            url: format!("/{dir}/"),
            data,
        }
    }

    fn library() -> Library {
        let file = DataFile {
            path: "名录/司法所.yaml".into(),
            file: "content/名录/司法所.yaml".into(),
            text: "title: 司法所\nentries:\n  - id: shuitou-sfs\n    name: 水头司法所\n".into(),
        };
        let loaded = DirectoryKind.load_section(&[file]).unwrap();
        Library {
            pages: Vec::new(),
            sections: vec![section("news", None), section("ming-lu", loaded)],
            by_path: HashMap::new(),
            excluded: HashMap::new(),
            assets: Vec::new(),
            data_files: Vec::new(),
        }
    }

    #[test]
    fn find_entry_gives_the_entry_and_its_stable_anchor() {
        let library = library();
        let (entry, link) = find_entry(&library, "shuitou-sfs").unwrap();
        assert_eq!(entry.name, "水头司法所");
        assert_eq!(link.url, "/ming-lu/si-fa-suo/#shuitou-sfs");
        assert_eq!(link.directory, "司法所");
        assert!(find_entry(&library, "nowhere").is_none());
    }

    #[test]
    fn only_yaml_files_are_claimed() {
        assert!(DirectoryKind.claims_file("directory/offices.yaml"));
        assert!(DirectoryKind.claims_file("directory/offices.yml"));
        assert!(!DirectoryKind.claims_file("directory/map.png"));
        assert!(!DirectoryKind.claims_file("directory/notes.txt"));
    }
}
