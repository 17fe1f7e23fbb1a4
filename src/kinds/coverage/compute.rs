//! The coverage itself: for every place, the nearest service point of each role, how long
//! the trip takes at the site's speed, whether that is inside the circle, and who serves it.

use super::nearest::Grid;
use super::places::{Place, PlacesData};
use crate::config::CoverageOptions;
use crate::content::Library;
use crate::kinds::directory::{Directory, DirectoryEntry, DirectorySection};

/// A directory entry with where it is filed: (section, directory, entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EntryRef {
    pub section: usize,
    pub directory: usize,
    pub entry: usize,
}

impl EntryRef {
    /// The directory and entry this points at.
    pub fn get<'a>(&self, library: &'a Library) -> (&'a Directory, &'a DirectoryEntry) {
        let data = library.sections[self.section]
            .data::<DirectorySection>()
            .expect("an EntryRef points into a directory section");
        let directory = &data.directories[self.directory];
        (directory, &directory.entries[self.entry])
    }
}

/// The nearest point of one role to one place.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Nearest {
    pub point: EntryRef,
    pub km: f64,
    pub minutes: f64,
}

/// One place's coverage.
#[derive(Debug, Clone)]
pub struct PlaceCoverage {
    /// Index into [`PlacesData::places`].
    pub place: usize,
    /// One per role of `coverage.roles`, in that order; `None` when the role has no located
    /// point anywhere.
    pub nearest: Vec<Option<Nearest>>,
    /// Whether some service point is within the site's minutes.
    pub reached: bool,
    /// Entries whose `serves` names the place (counsels, 法律明白人 …).
    pub served_by: Vec<EntryRef>,
    /// Entries whose `place` is the place (a 法律明白人 living there).
    pub based_here: Vec<EntryRef>,
}

impl PlaceCoverage {
    /// The nearest service point of any role.
    pub fn closest(&self) -> Option<Nearest> {
        self.nearest
            .iter()
            .flatten()
            .copied()
            .min_by(|a, b| a.km.total_cmp(&b.km))
    }
}

/// Whether an entry's role makes it a village counsel (村（居）法律顾问), whose absence breaks
/// "村（居）法律顾问全覆盖".
pub fn is_counsel(entry: &DirectoryEntry) -> bool {
    entry.role.contains("法律顾问")
}

/// Every entry of every directory section of the site.
pub fn all_entries(library: &Library) -> impl Iterator<Item = (EntryRef, &DirectoryEntry)> {
    library
        .sections
        .iter()
        .enumerate()
        .filter_map(|(s, sec)| Some((s, sec.data::<DirectorySection>()?)))
        .flat_map(|(s, data)| {
            data.directories
                .iter()
                .enumerate()
                .flat_map(move |(d, dir)| {
                    dir.entries.iter().enumerate().map(move |(e, entry)| {
                        (
                            EntryRef {
                                section: s,
                                directory: d,
                                entry: e,
                            },
                            entry,
                        )
                    })
                })
        })
}

/// Whether `entry`, naming `name`, means this place: same name, and the same township unless
/// the entry names none.
fn names(entry: &DirectoryEntry, name: &str, place: &Place) -> bool {
    name.trim() == place.name && (entry.region.is_empty() || entry.region == place.region)
}

/// Computes every place's coverage. Each role's points go into a grid, so the cost is about
/// places × roles lookups of a few cells each.
pub fn compute(
    library: &Library,
    places: &PlacesData,
    options: &CoverageOptions,
) -> Vec<PlaceCoverage> {
    let entries: Vec<(EntryRef, &DirectoryEntry)> = all_entries(library).collect();
    let grids: Vec<(Vec<EntryRef>, Grid)> = options
        .roles
        .iter()
        .map(|role| {
            let (refs, points): (Vec<EntryRef>, Vec<(f64, f64)>) = entries
                .iter()
                .filter(|(_, e)| e.role == *role)
                .filter_map(|(r, e)| e.location.map(|g| (*r, (g.lat, g.lon))))
                .unzip();
            (refs, Grid::new(points))
        })
        .collect();
    let by_name = people_by_name(&entries);
    places
        .places
        .iter()
        .enumerate()
        .map(|(i, place)| {
            let nearest: Vec<Option<Nearest>> = grids
                .iter()
                .map(|(refs, grid)| {
                    grid.nearest((place.lat, place.lon)).map(|(j, km)| Nearest {
                        point: refs[j],
                        km,
                        minutes: options.minutes_for(km),
                    })
                })
                .collect();
            let reached = nearest
                .iter()
                .flatten()
                .any(|n| n.minutes <= options.minutes);
            let people = by_name.get(place.name.as_str());
            let pick = |serves: bool| -> Vec<EntryRef> {
                people
                    .into_iter()
                    .flatten()
                    .filter(|(is_serves, _, e, name)| *is_serves == serves && names(e, name, place))
                    .map(|(_, r, _, _)| *r)
                    .collect()
            };
            PlaceCoverage {
                place: i,
                nearest,
                reached,
                served_by: dedup(pick(true)),
                based_here: dedup(pick(false)),
            }
        })
        .collect()
}

type Mention<'a> = (bool, EntryRef, &'a DirectoryEntry, &'a str);

/// Entries by the place names they mention: (`serves` or `place`, entry, name as written).
fn people_by_name<'a>(
    entries: &[(EntryRef, &'a DirectoryEntry)],
) -> std::collections::HashMap<&'a str, Vec<Mention<'a>>> {
    let mut map: std::collections::HashMap<&str, Vec<Mention>> = Default::default();
    for &(r, e) in entries {
        for name in &e.serves {
            map.entry(name.trim()).or_default().push((true, r, e, name));
        }
        if !e.place.is_empty() {
            map.entry(e.place.as_str())
                .or_default()
                .push((false, r, e, &e.place));
        }
    }
    map
}

fn dedup(mut refs: Vec<EntryRef>) -> Vec<EntryRef> {
    let mut seen = std::collections::HashSet::new();
    refs.retain(|r| seen.insert(*r));
    refs
}
