//! Warnings for the editor where the promise is broken: a place no counsel serves, a place
//! outside the circle, a service point without a location, a role no entry has, and a
//! directory entry naming a village the places file does not know.

use std::collections::HashSet;

use super::compute::{PlaceCoverage, all_entries, is_counsel};
use super::places::PlacesData;
use crate::config::CONFIG_PATH;
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::kinds::KindContext;
use crate::kinds::directory::DirectorySection;

/// Every warning of one coverage section.
pub fn warnings(
    site: &KindContext,
    data: &PlacesData,
    coverage: &[PlaceCoverage],
) -> Vec<Diagnostic> {
    let mut found = place_warnings(site, data, coverage);
    found.extend(point_warnings(site));
    found.extend(unknown_places(site, data));
    found
}

fn place_warnings(
    site: &KindContext,
    data: &PlacesData,
    coverage: &[PlaceCoverage],
) -> Vec<Diagnostic> {
    let options = &site.config.coverage;
    let mut found = Vec::new();
    for c in coverage {
        let place = &data.places[c.place];
        let file = &data.files[place.file];
        let counselled = c
            .served_by
            .iter()
            .any(|r| is_counsel(r.get(site.library).1));
        if !counselled {
            found.push(file.diagnostic_at(
                Diagnostic::warning(
                    "no-counsel",
                    &file.file,
                    format!("no village counsel (村（居）法律顾问) serves {}（{}）", place.name, place.region),
                )
                .with_help(format!("add `{}` to the `serves` list of a counsel in the directory, so 村（居）法律顾问全覆盖 holds", place.name)),
                &place.at,
            ));
        }
        if c.reached {
            continue;
        }
        let message = match c.closest() {
            Some(n) => {
                let (_, point) = n.point.get(site.library);
                format!(
                    "{} is outside the {}-minute circle: the nearest service point, {}, is {:.1} km away, about {} minutes at {} km/h",
                    place.name,
                    options.minutes,
                    point.name,
                    n.km,
                    n.minutes.ceil(),
                    options.speed_kmh
                )
            }
            None => format!(
                "{} is outside the circle: the site has no located service point",
                place.name
            ),
        };
        found.push(file.diagnostic_at(
            Diagnostic::warning("outside-circle", &file.file, message)
                .with_help("open a service point nearer to it (a 公共法律服务室 in the village, a station), or check its `location`"),
            &place.location_at,
        ));
    }
    found
}

/// Service points coverage cannot count, and roles no entry has.
fn point_warnings(site: &KindContext) -> Vec<Diagnostic> {
    let roles = &site.config.coverage.roles;
    let mut found = Vec::new();
    let mut seen_roles = HashSet::new();
    for (r, entry) in all_entries(site.library) {
        seen_roles.insert(entry.role.as_str());
        if entry.location.is_some() || !roles.contains(&entry.role) {
            continue;
        }
        let data = site.library.sections[r.section].data::<DirectorySection>();
        let Some(directory) = data.map(|d| &d.directories[r.directory]) else {
            continue;
        };
        found.push(directory.diagnostic_at(
            Diagnostic::warning(
                "no-location",
                &directory.file,
                format!("{} ({}) has no `location`, so the service circle cannot count it", entry.name, entry.role),
            )
            .with_help("add `location: { lat: …, lon: … }` in WGS-84 degrees, as a phone's map app shows it"),
            &entry.id_at,
        ));
    }
    for role in roles.iter().filter(|r| !seen_roles.contains(r.as_str())) {
        let help = match did_you_mean(role, seen_roles.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => "write a `role` as the directories write it, e.g. `司法所`".to_string(),
        };
        found.push(
            Diagnostic::warning(
                "unknown-role",
                CONFIG_PATH,
                format!("coverage.roles: no directory entry has the role `{role}`"),
            )
            .with_help(help),
        );
    }
    found
}

/// A directory entry's `place` or `serves` naming a village the places file does not list:
/// reported when it looks like a village (ends in 村 or 社区) or is near a known name.
fn unknown_places(site: &KindContext, data: &PlacesData) -> Vec<Diagnostic> {
    let known: HashSet<&str> = data.places.iter().map(|p| p.name.as_str()).collect();
    let list = data
        .files
        .first()
        .map_or("the places file", |f| f.file.as_str());
    let mut found = Vec::new();
    for (r, entry) in all_entries(site.library) {
        let section = site.library.sections[r.section].data::<DirectorySection>();
        let Some(directory) = section.map(|d| &d.directories[r.directory]) else {
            continue;
        };
        let named = std::iter::once((&entry.place, &entry.place_at))
            .chain(entry.serves.iter().zip(&entry.serves_at));
        for (name, at) in named {
            let name = name.trim();
            if name.is_empty() || known.contains(name) {
                continue;
            }
            let near = nearest_spelling(name, &known);
            if near.is_none() && !(name.ends_with('村') || name.ends_with("社区")) {
                continue;
            }
            let help = match near {
                Some(near) => format!(
                    "did you mean `{near}`? If it is another village, add it to {}",
                    list
                ),
                None => format!("add it to {}, or check the spelling", list),
            };
            found.push(
                directory
                    .diagnostic_at(
                        Diagnostic::warning(
                            "unknown-place",
                            &directory.file,
                            format!("`{name}` is not a village or community of the places list"),
                        )
                        .with_help(help),
                        at,
                    )
                    .underline(name.chars().count()),
            );
        }
    }
    found
}

/// The known name an unknown one is most likely a typo of: near by [`did_you_mean`], or, for
/// short Chinese names that measure poorly, one character different (北材 → 北村).
fn nearest_spelling<'a>(name: &str, known: &HashSet<&'a str>) -> Option<&'a str> {
    let mut sorted: Vec<&str> = known.iter().copied().collect();
    sorted.sort_unstable();
    did_you_mean(name, sorted.iter().copied()).or_else(|| {
        sorted
            .into_iter()
            .find(|k| name.chars().count() >= 2 && strsim::levenshtein(name, k) == 1)
    })
}
