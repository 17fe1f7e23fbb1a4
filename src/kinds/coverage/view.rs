//! What the coverage templates and the CSV see: places as rows with their nearest points and
//! counsels, grouped by township, numbers already in words.

use serde::Serialize;

use super::compute::{EntryRef, Nearest, PlaceCoverage, is_counsel};
use super::places::{Place, PlacesData};
use crate::config::Config;
use crate::content::Library;
use crate::content::slug::slugify;
use crate::geo::{format_distance, navigation_url};
use crate::kinds::directory::{ShownPhone, find_entry};
use crate::url::site_url;

/// A service point as one place's row shows it.
#[derive(Debug, Serialize)]
pub struct PointView {
    pub role: String,
    pub name: String,
    /// The entry in its directory.
    pub url: Option<String>,
    /// `3.2 公里`, `850 米`.
    pub distance: String,
    /// Two decimals, as the CSV writes it: `3.24` (the page rounds it to `3.2 公里`).
    pub km: String,
    /// Whole minutes, rounded up: a trip of 30.2 minutes is not within 30.
    pub minutes: u64,
    pub reached: bool,
    pub navigate: Option<String>,
    pub phone: Option<ShownPhone>,
}

/// A person who serves a place.
#[derive(Debug, Serialize)]
pub struct PersonView {
    pub name: String,
    pub role: String,
    pub url: Option<String>,
    pub phone: Option<ShownPhone>,
}

/// One place.
#[derive(Debug, Serialize)]
pub struct PlaceRow {
    pub anchor: String,
    pub name: String,
    pub region: String,
    pub population: Option<u64>,
    pub reached: bool,
    /// One per role of `coverage.roles`, in order; `None` when the site has no such point.
    pub nearest: Vec<Option<PointView>>,
    /// Minutes to the nearest point of any role; `None` when there is none.
    pub closest_minutes: Option<u64>,
    pub closest_name: Option<String>,
    pub counsels: Vec<PersonView>,
    /// Others serving or living there (法律明白人 …).
    pub helpers: Vec<PersonView>,
    /// Where the place's row is, on the whole-county page.
    pub url: String,
}

/// One township's places.
#[derive(Debug, Serialize)]
pub struct TownshipView {
    pub name: String,
    pub anchor: String,
    /// Its own page, for readers who want only their township.
    pub url: String,
    pub total: usize,
    pub reached: usize,
    pub rows: Vec<PlaceRow>,
}

/// The rows of every place, in the places file's order.
pub fn rows(
    library: &Library,
    config: &Config,
    section_url: &str,
    places: &PlacesData,
    coverage: &[PlaceCoverage],
) -> Vec<PlaceRow> {
    let anchors = anchors(&places.places);
    coverage
        .iter()
        .map(|c| {
            let place = &places.places[c.place];
            let nearest: Vec<Option<PointView>> = c
                .nearest
                .iter()
                .map(|n| n.map(|n| point_view(library, config, n)))
                .collect();
            let closest = c.closest().map(|n| point_view(library, config, n));
            let people = |refs: &[EntryRef], counsel: bool| -> Vec<PersonView> {
                refs.iter()
                    .map(|r| r.get(library).1)
                    .filter(|e| is_counsel(e) == counsel)
                    .map(|e| PersonView {
                        name: e.name.clone(),
                        role: e.role.clone(),
                        url: entry_url(library, config, &e.id),
                        phone: e.phone(config),
                    })
                    .collect()
            };
            let mut helpers = people(&c.served_by, false);
            helpers.extend(people(&c.based_here, false));
            let anchor = anchors[c.place].clone();
            PlaceRow {
                url: site_url(&config.base_path, &format!("{section_url}#{anchor}")),
                anchor,
                name: place.name.clone(),
                region: place.region.clone(),
                population: place.population,
                reached: c.reached,
                nearest,
                closest_minutes: closest.as_ref().map(|p| p.minutes),
                closest_name: closest.map(|p| p.name),
                counsels: people(&c.served_by, true),
                helpers,
            }
        })
        .collect()
}

fn point_view(library: &Library, config: &Config, n: Nearest) -> PointView {
    let entry = n.point.get(library).1;
    PointView {
        role: entry.role.clone(),
        name: entry.name.clone(),
        url: entry_url(library, config, &entry.id),
        distance: format_distance(n.km),
        km: format!("{:.2}", n.km),
        minutes: n.minutes.ceil() as u64,
        reached: n.minutes <= config.coverage.minutes,
        navigate: entry
            .location
            .map(|g| navigation_url(g.lat, g.lon, &entry.name)),
        phone: entry.phone(config),
    }
}

fn entry_url(library: &Library, config: &Config, id: &str) -> Option<String> {
    find_entry(library, id).map(|(_, link)| site_url(&config.base_path, &link.url))
}

/// An anchor per place, unique on the page: `p-shui-tou-zhen-shui-tou-cun`.
fn anchors(places: &[Place]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    places
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let base = format!("p-{}-{}", slugify(&p.region), slugify(&p.name));
            if seen.insert(base.clone()) {
                base
            } else {
                format!("{base}-{i}")
            }
        })
        .collect()
}

/// The rows grouped by township in site.yaml order, each table farthest place first.
pub fn townships(config: &Config, section_url: &str, rows: Vec<PlaceRow>) -> Vec<TownshipView> {
    let slugs = crate::kinds::directory::pages::region_slugs(&config.regions);
    let mut groups: Vec<TownshipView> = config
        .regions
        .iter()
        .map(|name| {
            let slug = &slugs[name.as_str()];
            TownshipView {
                name: name.clone(),
                anchor: format!("t-{slug}"),
                url: site_url(&config.base_path, &format!("{section_url}{slug}/")),
                total: 0,
                reached: 0,
                rows: Vec::new(),
            }
        })
        .collect();
    for row in rows {
        if let Some(group) = groups.iter_mut().find(|g| g.name == row.region) {
            group.total += 1;
            group.reached += usize::from(row.reached);
            group.rows.push(row);
        }
    }
    for group in &mut groups {
        group
            .rows
            .sort_by_key(|r| std::cmp::Reverse(r.closest_minutes.unwrap_or(u64::MAX)));
    }
    groups.retain(|g| g.total > 0);
    groups
}

/// Each township's page segment: its name in pinyin, made unique as the directory's region
/// pages make theirs.
pub fn township_slug(config: &Config, name: &str) -> String {
    crate::kinds::directory::pages::region_slugs(&config.regions)
        .get(name)
        .cloned()
        .unwrap_or_else(|| "township".to_string())
}

/// A setting as text: `15`, `12.5` (no `15.0`).
pub fn number(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The circle in words: 半小时, 一小时, or `20 分钟`.
pub fn circle_name(minutes: f64) -> String {
    if minutes == 30.0 {
        "半小时".to_string()
    } else if minutes == 60.0 {
        "一小时".to_string()
    } else {
        format!("{} 分钟", number(minutes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_circle_and_settings_read_as_words() {
        assert_eq!(circle_name(30.0), "半小时");
        assert_eq!(circle_name(60.0), "一小时");
        assert_eq!(circle_name(20.0), "20 分钟");
        assert_eq!(number(15.0), "15");
        assert_eq!(number(12.5), "12.5");
        let options = crate::config::CoverageOptions::default();
        assert!((options.reach_km() - 7.5).abs() < 1e-9);
        assert!((options.minutes_for(5.56) - 22.24).abs() < 1e-9);
    }
}
