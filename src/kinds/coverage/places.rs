//! The places file of a `kind: coverage` section: the county's villages and communities, each
//! with its township and position. Checked as it loads (names, coordinates, duplicates); the
//! checks that need site.yaml or all places at once run in [`check_places`].

use std::collections::HashMap;

use serde::Deserialize;
use serde_saphyr::{Location, Spanned};

use crate::config::CONFIG_PATH;
use crate::content::DataFile;
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::geo::{haversine_km, median_centre};
use crate::kinds::directory::GeoPoint;
use crate::yaml::YamlSource;

/// A place this far from the others' median centre is a mistake, not a village of the county
/// (a county is rarely 100 km across; a dropped digit or swapped lat/lon lands far away).
pub const FAR_KM: f64 = 150.0;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlaces {
    #[serde(default)]
    summary: String,
    #[serde(default)]
    places: Vec<Spanned<RawPlace>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlace {
    name: Option<String>,
    region: Option<Spanned<String>>,
    location: Option<Spanned<GeoPoint>>,
    population: Option<u64>,
}

/// One village or community.
#[derive(Debug, Clone)]
pub struct Place {
    pub name: String,
    /// One of site.yaml `regions`.
    pub region: String,
    pub lat: f64,
    pub lon: f64,
    pub population: Option<u64>,
    /// Which file of the section, and where the entry, its region and location were written.
    pub file: usize,
    pub at: Location,
    pub region_at: Location,
    pub location_at: Location,
}

/// One places file, kept for pointing later diagnostics at its lines.
#[derive(Debug)]
pub struct PlacesFile {
    pub file: String,
    pub text: String,
    /// Shown above the tables: where the data comes from (示例数据 on the sample site).
    pub summary: String,
}

impl PlacesFile {
    /// A diagnostic pointing at `at` in this file.
    pub fn diagnostic_at(&self, diagnostic: Diagnostic, at: &Location) -> Diagnostic {
        YamlSource {
            file: &self.file,
            text: &self.text,
            yaml: &self.text,
            first_line: 1,
        }
        .diagnostic_at(diagnostic, at)
    }
}

/// Every place of one `kind: coverage` section.
#[derive(Debug)]
pub struct PlacesData {
    pub files: Vec<PlacesFile>,
    pub places: Vec<Place>,
}

/// Parses the section's places files; every problem of every file at once.
pub fn load(files: &[DataFile]) -> Result<PlacesData, Vec<Diagnostic>> {
    let mut data = PlacesData {
        files: Vec::new(),
        places: Vec::new(),
    };
    let mut errors = Vec::new();
    let mut sorted: Vec<&DataFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    for (index, file) in sorted.into_iter().enumerate() {
        let source = file.yaml();
        let raw: RawPlaces = match source.parse() {
            Ok(raw) => raw,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        for place in raw.places {
            if let Some(place) = check_place(&source, index, place, &mut errors) {
                data.places.push(place);
            }
        }
        data.files.push(PlacesFile {
            file: file.file.clone(),
            text: file.text.clone(),
            summary: raw.summary.trim().to_string(),
        });
    }
    check_duplicates(&data, &mut errors);
    if errors.is_empty() {
        Ok(data)
    } else {
        Err(errors)
    }
}

fn check_place(
    source: &YamlSource,
    file: usize,
    place: Spanned<RawPlace>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Place> {
    let at = place.referenced;
    let raw = place.value;
    let name = raw.name.map(|n| n.trim().to_string()).unwrap_or_default();
    let missing = |key: &str, help: &str| {
        source.diagnostic_at(
            Diagnostic::error(
                "missing-key",
                source.file,
                format!("this place has no `{key}`"),
            )
            .with_help(help.to_string()),
            &at,
        )
    };
    if name.is_empty() {
        errors.push(missing(
            "name",
            "add `name: …`, the village's or community's name, e.g. `name: 水头村`",
        ));
    }
    let Some(region) = raw.region else {
        errors.push(missing(
            "region",
            "add `region: …`, its township as written in content/site.yaml `regions`",
        ));
        return None;
    };
    let Some(location) = raw.location else {
        errors.push(missing("location", "add `location: { lat: …, lon: … }` in WGS-84 degrees, e.g. `{ lat: 35.14, lon: 111.22 }`"));
        return None;
    };
    if let Err(d) = check_location(source, &location) {
        errors.push(d);
        return None;
    }
    (!name.is_empty()).then(|| Place {
        name,
        region: region.value.trim().to_string(),
        lat: location.value.lat,
        lon: location.value.lon,
        population: raw.population,
        file,
        at,
        region_at: region.referenced,
        location_at: location.referenced,
    })
}

fn check_location(source: &YamlSource, location: &Spanned<GeoPoint>) -> Result<(), Diagnostic> {
    let GeoPoint { lat, lon } = location.value;
    let Some((message, help)) = crate::geo::location_problem(lat, lon) else {
        return Ok(());
    };
    Err(source.diagnostic_at(
        Diagnostic::error("bad-location", source.file, message).with_help(help),
        &location.referenced,
    ))
}

/// Two places of one name in one township: the page could not tell them apart.
fn check_duplicates(data: &PlacesData, errors: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<(&str, &str), &Place> = HashMap::new();
    for place in &data.places {
        let Some(first) = seen.insert((&place.region, &place.name), place) else {
            continue;
        };
        seen.insert((&place.region, &place.name), first);
        let file = &data.files[place.file];
        let first_at = format!("{}:{}", data.files[first.file].file, first.at.line());
        errors.push(file.diagnostic_at(
            Diagnostic::error(
                "duplicate-place",
                &file.file,
                format!("{} already has a place named {} ({first_at})", place.region, place.name),
            )
            .with_help("remove one of the two, or tell them apart by name as the township does, e.g. `东村（一组）`"),
            &place.at,
        ));
    }
}

/// The checks that need site.yaml or every place: townships known, no place far from the rest.
pub fn check_places(data: &PlacesData, regions: &[String]) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for place in &data.places {
        if regions.contains(&place.region) {
            continue;
        }
        let help = if regions.is_empty() {
            format!("list the townships in {CONFIG_PATH}, e.g. `regions: [瑶峰镇, 水头镇]`")
        } else {
            match did_you_mean(&place.region, regions.iter().map(String::as_str)) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!(
                    "use one of the regions in {CONFIG_PATH}: {}",
                    regions.join("、")
                ),
            }
        };
        let file = &data.files[place.file];
        found.push(
            file.diagnostic_at(
                Diagnostic::error(
                    "unknown-region",
                    &file.file,
                    format!("`{}` is not one of the site's regions", place.region),
                )
                .with_help(help),
                &place.region_at,
            )
            .underline(place.region.chars().count()),
        );
    }
    found.extend(far_places(data));
    found
}

/// A place far from the median centre of all places: a dropped digit or swapped lat/lon.
fn far_places(data: &PlacesData) -> Vec<Diagnostic> {
    if data.places.len() < 3 {
        return Vec::new();
    }
    let points: Vec<(f64, f64)> = data.places.iter().map(|p| (p.lat, p.lon)).collect();
    let Some(centre) = median_centre(&points) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for place in &data.places {
        let km = haversine_km((place.lat, place.lon), centre);
        if km <= FAR_KM {
            continue;
        }
        let swapped = haversine_km((place.lon, place.lat), centre) <= FAR_KM;
        let help = if swapped {
            format!(
                "lat and lon look swapped: the other places are near lat {:.2}, lon {:.2}",
                centre.0, centre.1
            )
        } else {
            format!(
                "check the coordinates: the other places are near lat {:.2}, lon {:.2} (a dropped digit or a swapped lat/lon is the usual cause)",
                centre.0, centre.1
            )
        };
        let file = &data.files[place.file];
        found.push(
            file.diagnostic_at(
                Diagnostic::error(
                    "far-place",
                    &file.file,
                    format!(
                        "{} is {km:.0} km from the county's other places",
                        place.name
                    ),
                )
                .with_help(help),
                &place.location_at,
            ),
        );
    }
    found
}
