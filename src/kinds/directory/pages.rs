//! What the directory templates see: finished values (URLs under the base path, phones already
//! masked or left out, map links, the text the filter box matches), computed here so the
//! templates hold markup only.

use std::collections::HashMap;

use serde::Serialize;

use super::model::{Directory, DirectoryEntry};
use super::phone::ShownPhone;
use crate::config::Config;
use crate::content::slug::slugify;
use crate::render::views::Link;
use crate::url::site_url;

/// The group heading of entries without a region: county-level offices.
pub const COUNTY_WIDE: &str = "全县";

/// Where one directory's files are, as site paths (without the base path).
pub struct DirectoryPaths {
    /// `/directory/offices/`.
    pub page: String,
    /// `/directory/offices` + `.csv` / `.json` / `.vcf`.
    stem: String,
}

impl DirectoryPaths {
    /// Paths of `directory` in the section at `section_url` (`/directory/`).
    pub fn new(section_url: &str, directory: &Directory) -> Self {
        DirectoryPaths {
            page: format!("{section_url}{}/", directory.slug),
            stem: format!("{section_url}{}", directory.slug),
        }
    }

    /// `/directory/offices.csv`.
    pub fn download(&self, extension: &str) -> String {
        format!("{}.{extension}", self.stem)
    }

    /// `/directory/offices/shui-tou-zhen/`.
    pub fn region(&self, region_slug: &str) -> String {
        format!("{}{region_slug}/", self.page)
    }
}

/// Each region's URL segment: pinyin of its name, made unique in site.yaml's order
/// (`-2` for a second region that reads the same).
pub fn region_slugs(regions: &[String]) -> HashMap<&str, String> {
    let mut slugs: HashMap<&str, String> = HashMap::new();
    let mut taken: HashMap<String, usize> = HashMap::new();
    for region in regions {
        if slugs.contains_key(region.as_str()) {
            continue;
        }
        let base = match slugify(region) {
            s if s.is_empty() => "region".to_string(),
            s => s,
        };
        let count = taken.entry(base.clone()).or_insert(0);
        *count += 1;
        let slug = if *count == 1 {
            base
        } else {
            format!("{base}-{count}")
        };
        slugs.insert(region, slug);
    }
    slugs
}

/// A directory as listed on the section page and shown above its entries.
#[derive(Serialize)]
pub struct DirectoryCard {
    pub title: String,
    pub summary: String,
    pub url: String,
    pub count: usize,
    /// Whether any entry has an address, hours or a location: people directories often have
    /// none, and an empty column only pushes the rest off a narrow screen.
    pub has_address: bool,
    pub downloads: Vec<Download>,
}

/// One download link, named for what a reader does with it (表格（Excel）, 保存到手机通讯录),
/// with a plain sentence on what the file is.
#[derive(Serialize)]
pub struct Download {
    pub label: &'static str,
    pub explain: &'static str,
    pub url: String,
}

impl DirectoryCard {
    /// The card with links under the site's base path.
    pub fn new(directory: &Directory, paths: &DirectoryPaths, config: &Config) -> Self {
        let link = |ext: &str| site_url(&config.base_path, &paths.download(ext));
        DirectoryCard {
            title: directory.title.clone(),
            summary: directory.summary.clone(),
            url: site_url(&config.base_path, &paths.page),
            count: directory.entries.len(),
            has_address: directory
                .entries
                .iter()
                .any(|e| !e.address.is_empty() || !e.hours.is_empty() || e.location.is_some()),
            downloads: vec![
                Download {
                    label: "表格（Excel）",
                    explain: "用 Excel 或 WPS 打开的表格（CSV 文件），便于打印或转发。",
                    url: link("csv"),
                },
                Download {
                    label: "保存到手机通讯录",
                    explain: "把名录中公开的电话一次存进手机通讯录（vCard 名片文件）。",
                    url: link("vcf"),
                },
                Download {
                    label: "数据（JSON）",
                    explain: "供其他网站和程序使用的数据文件（JSON 格式），一般读者不需要。",
                    url: link("json"),
                },
            ],
        }
    }
}

/// A link to one region's page, for readers without JavaScript.
#[derive(Serialize)]
pub struct RegionLink {
    pub name: String,
    pub url: String,
    pub count: usize,
    pub current: bool,
}

/// The entries of one region, under its heading.
#[derive(Serialize)]
pub struct EntryGroup {
    pub name: String,
    /// The heading's id: `region-shui-tou-zhen`.
    pub anchor: String,
    pub entries: Vec<EntryView>,
}

/// One entry as a row (wide screens) or a card (phones).
#[derive(Serialize)]
pub struct EntryView {
    pub id: String,
    pub name: String,
    pub role: String,
    pub place: String,
    pub serves: String,
    pub address: String,
    pub hours: String,
    pub services: String,
    pub phone: Option<ShownPhone>,
    /// A "导航" link when the entry has a position: the coordinates themselves mean nothing
    /// to a reader.
    pub navigate: Option<String>,
    /// What the filter box matches: name, role, place, region, whom it serves, services.
    pub search: String,
}

impl EntryView {
    /// The row of `entry`, its phone shown as the site allows.
    pub fn new(entry: &DirectoryEntry, config: &Config) -> Self {
        let mut search = vec![
            entry.name.as_str(),
            &entry.role,
            &entry.place,
            &entry.region,
        ];
        search.extend(entry.serves.iter().map(String::as_str));
        search.extend(entry.services.iter().map(String::as_str));
        EntryView {
            id: entry.id.clone(),
            name: entry.name.clone(),
            role: entry.role.clone(),
            place: entry.place.clone(),
            serves: entry.serves.join("、"),
            address: entry.address.clone(),
            hours: entry.hours.clone(),
            services: entry.services.join("、"),
            phone: entry.phone(config),
            navigate: entry
                .location
                .map(|g| crate::geo::navigation_url(g.lat, g.lon, &entry.name)),
            search: search
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase(),
        }
    }
}

/// Entries grouped by region: county-wide first, then regions in site.yaml's order; entries
/// keep the file's order. `only` limits the groups to one region (a region page).
pub fn groups(
    directory: &Directory,
    config: &Config,
    slugs: &HashMap<&str, String>,
    only: Option<&str>,
) -> Vec<EntryGroup> {
    let mut order: Vec<&str> = vec![""];
    order.extend(config.regions.iter().map(String::as_str));
    order
        .into_iter()
        .filter(|region| only.is_none_or(|o| o == *region))
        .filter_map(|region| {
            let entries: Vec<EntryView> = directory
                .entries
                .iter()
                .filter(|e| e.region == region)
                .map(|e| EntryView::new(e, config))
                .collect();
            if entries.is_empty() {
                return None;
            }
            let (name, slug) = match region {
                "" => (COUNTY_WIDE.to_string(), "county".to_string()),
                r => (r.to_string(), slugs.get(r).cloned().unwrap_or_default()),
            };
            Some(EntryGroup {
                name,
                anchor: format!("region-{slug}"),
                entries,
            })
        })
        .collect()
}

/// Links to the region pages of a directory, in site.yaml's order, for regions with entries.
pub fn region_links(
    directory: &Directory,
    paths: &DirectoryPaths,
    config: &Config,
    slugs: &HashMap<&str, String>,
    current: Option<&str>,
) -> Vec<RegionLink> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for entry in &directory.entries {
        *counts.entry(entry.region.as_str()).or_default() += 1;
    }
    config
        .regions
        .iter()
        .filter_map(|region| {
            let count = *counts.get(region.as_str())?;
            Some(RegionLink {
                name: region.clone(),
                url: site_url(&config.base_path, &paths.region(&slugs[region.as_str()])),
                count,
                current: current == Some(region.as_str()),
            })
        })
        .collect()
}

/// One township of the directory index's picker: each directory's page for it.
#[derive(Serialize)]
pub struct TownshipChoice {
    pub name: String,
    /// The directories with entries there: title, that region page and its count.
    pub directories: Vec<RegionLink>,
}

/// The township picker of the directory index: every township of site.yaml with the region
/// pages the directories have for it, so a reader finds 水头镇's offices and counsels in two
/// taps, with or without JavaScript. Townships no directory covers are left out.
pub fn township_choices(
    directories: &[(&Directory, DirectoryPaths)],
    config: &Config,
) -> Vec<TownshipChoice> {
    let slugs = region_slugs(&config.regions);
    let links: Vec<(&str, Vec<RegionLink>)> = directories
        .iter()
        .map(|(d, paths)| {
            (
                d.title.as_str(),
                region_links(d, paths, config, &slugs, None),
            )
        })
        .collect();
    config
        .regions
        .iter()
        .map(|region| TownshipChoice {
            name: region.clone(),
            directories: links
                .iter()
                .filter_map(|(title, regions)| {
                    let link = regions.iter().find(|l| &l.name == region)?;
                    Some(RegionLink {
                        name: title.to_string(),
                        url: link.url.clone(),
                        count: link.count,
                        current: false,
                    })
                })
                .collect(),
        })
        .filter(|choice| !choice.directories.is_empty())
        .collect()
}

/// 首页 › 名录栏目 › this directory, for a region page's trail.
pub fn region_breadcrumbs(mut section_trail: Vec<Link>, card: &DirectoryCard) -> Vec<Link> {
    section_trail.push(Link {
        title: card.title.clone(),
        url: card.url.clone(),
    });
    section_trail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_slugs_are_pinyin_and_unique() {
        let regions: Vec<String> = ["水头镇", "南大里乡", "水投镇", "水头镇"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let slugs = region_slugs(&regions);
        assert_eq!(slugs["水头镇"], "shui-tou-zhen");
        assert_eq!(slugs["南大里乡"], "nan-da-li-xiang");
        assert_eq!(slugs["水投镇"], "shui-tou-zhen-2");
        assert_eq!(slugs.len(), 3);
    }
}
