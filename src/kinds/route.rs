//! The law-education route (法治文化体验线路): a section with `kind: route`, each page a stop.
//! Stops are checked (order, coordinates), listed in order with distances, drawn on a
//! build-time map, exported as GeoJSON, and given a QR code and a printable sign.

use serde::Deserialize;
use serde_json::json;
use serde_saphyr::Spanned;
use tera::Context;

use super::{HomeEntries, Kind, KindContext, KindOutput, RouteTeaser};
use crate::content::KindData;
use crate::content::{Library, Page, Section};
use crate::diagnostics::Diagnostic;
use crate::geo::{format_distance, haversine_km, median_centre};
use crate::render::views::{Link, permalink};
use crate::svg::map::{MapStop, route_map};
use crate::svg::qr::qr_svg;
use crate::textsearch::Field;
use crate::url::site_url;
use crate::yaml::YamlSource;

/// A stop further than this from the route's other stops is probably a typo.
const FAR_KM: f64 = 50.0;
/// Walking speed for time estimates, km/h.
const WALKING_KMH: f64 = 4.5;

pub struct Route;

#[derive(Deserialize)]
struct RawStop {
    order: Spanned<i64>,
    location: RawLocation,
    address: Option<String>,
    hours: Option<String>,
    #[serde(default)]
    activities: Vec<String>,
    contact: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLocation {
    lat: Spanned<f64>,
    lon: Spanned<f64>,
}

#[derive(Deserialize)]
struct RawRoute {
    walking: Option<bool>,
}

/// One stop's own front matter, checked.
pub struct Stop {
    pub order: i64,
    /// File line of `order:`, for duplicate-order errors.
    order_line: (usize, usize),
    /// File line of `location:`, for far-away warnings.
    location_line: (usize, usize),
    pub lat: f64,
    pub lon: f64,
    pub address: Option<String>,
    pub hours: Option<String>,
    pub activities: Vec<String>,
    pub contact: Option<String>,
}

/// The route section's own settings.
pub struct RouteSettings {
    pub walking: bool,
}

impl Kind for Route {
    fn name(&self) -> &'static str {
        "route"
    }

    fn search_label(&self, _dated: bool) -> &'static str {
        "法治线路站点"
    }

    fn search_fields(&self, site: &KindContext, page: usize) -> Vec<(Field, String)> {
        let Some(stop) = site.library.pages[page].kind_data::<Stop>() else {
            return Vec::new();
        };
        stop.address
            .iter()
            .chain(&stop.hours)
            .chain(&stop.activities)
            .map(|t| (Field::Detail, t.clone()))
            .collect()
    }

    fn page_keys(&self) -> &'static [&'static str] {
        &[
            "order",
            "location",
            "address",
            "hours",
            "activities",
            "contact",
        ]
    }

    fn section_keys(&self) -> &'static [&'static str] {
        &["walking"]
    }

    fn paginates(&self) -> bool {
        false
    }

    fn load_page(
        &self,
        source: &YamlSource,
        is_index: bool,
    ) -> Result<Option<KindData>, Vec<Diagnostic>> {
        if is_index {
            let raw: RawRoute = source.parse().map_err(|d| vec![d])?;
            return Ok(Some(Box::new(RouteSettings {
                walking: raw.walking.unwrap_or(false),
            })));
        }
        let raw: RawStop = source.parse().map_err(|d| vec![d])?;
        let mut errors = Vec::new();
        for (value, limit, what) in [
            (&raw.location.lat, 90.0, "latitude (lat)"),
            (&raw.location.lon, 180.0, "longitude (lon)"),
        ] {
            if !(-limit..=limit).contains(&value.value) {
                let diagnostic = Diagnostic::error("bad-location", source.file, format!("{what} {} is outside −{limit}…{limit}", value.value))
                    .with_help("use WGS-84 decimal degrees, e.g. `location: { lat: 35.14, lon: 111.22 }`; check lat and lon are not swapped");
                errors.push(source.diagnostic_at(diagnostic, &value.referenced));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let position = |s: &Spanned<f64>| {
            (
                source.first_line + s.referenced.line() as usize - 1,
                s.referenced.column() as usize,
            )
        };
        let order_line = (
            source.first_line + raw.order.referenced.line() as usize - 1,
            raw.order.referenced.column() as usize,
        );
        Ok(Some(Box::new(Stop {
            order: raw.order.value,
            order_line,
            location_line: position(&raw.location.lat),
            lat: raw.location.lat.value,
            lon: raw.location.lon.value,
            address: raw.address.filter(|s| !s.trim().is_empty()),
            hours: raw.hours.filter(|s| !s.trim().is_empty()),
            activities: raw.activities,
            contact: raw.contact.filter(|s| !s.trim().is_empty()),
        })))
    }

    fn validate(&self, site: &KindContext, section: usize) -> Vec<Diagnostic> {
        let stops = stops(site.library, &site.library.sections[section]);
        let mut found = Vec::new();
        for pair in stops.windows(2) {
            let ((a, first), (b, second)) = (pair[0], pair[1]);
            if first.order == second.order {
                found.push(
                    Diagnostic::error(
                        "duplicate-order",
                        &b.file,
                        format!("`order: {}` is also used by {}", second.order, a.file),
                    )
                    .at(&b.text, second.order_line.0, second.order_line.1)
                    .with_help("give each stop of the route its own number"),
                );
            }
        }
        found.extend(far_stops(&stops));
        if !stops.is_empty() {
            found.extend(site.config.placeholder_base_url.clone());
        }
        found
    }

    fn page_template(&self) -> &'static str {
        "stop.html"
    }

    fn section_template(&self) -> &'static str {
        "route.html"
    }

    fn page_context(&self, site: &KindContext, page: usize, context: &mut Context) {
        let library = site.library;
        let section = &library.sections[library.pages[page].section];
        let stops = stops(library, section);
        let Some(at) = stops
            .iter()
            .position(|(p, _)| std::ptr::eq(*p, &library.pages[page]))
        else {
            return;
        };
        let views = stop_views(site, &stops);
        let link = |i: usize| Link {
            title: views[i].title.clone(),
            url: views[i].url.clone(),
        };
        context.insert("stop", &views[at]);
        context.insert("prev_stop", &at.checked_sub(1).map(link));
        context.insert("next_stop", &(at + 1 < views.len()).then(|| link(at + 1)));
        context.insert(
            "route",
            &Link {
                title: library.section_title(section).to_string(),
                url: site_url(&site.config.base_path, &section.url),
            },
        );
        context.insert(
            "map_svg",
            &map(&stops, Some(at), library.section_title(section)),
        );
    }

    fn section_context(&self, site: &KindContext, section: usize, context: &mut Context) {
        let library = site.library;
        let sec = &library.sections[section];
        let stops = stops(library, sec);
        let views = stop_views(site, &stops);
        let total: f64 = legs(&stops).iter().sum();
        let walking = sec
            .index
            .and_then(|i| library.pages[i].kind_data::<RouteSettings>())
            .is_some_and(|s| s.walking);
        context.insert("stops", &views);
        context.insert("total_distance", &format_distance(total));
        context.insert("walking_minutes", &walking.then(|| minutes(total)));
        context.insert("map_svg", &map(&stops, None, library.section_title(sec)));
        context.insert(
            "geojson_url",
            &site_url(&site.config.base_path, &format!("{}route.geojson", sec.url)),
        );
    }

    /// The first route is shown on the home page with its map.
    fn home(&self, site: &KindContext, section: usize, home: &mut HomeEntries) {
        if home.route.is_some() {
            return;
        }
        let library = site.library;
        let sec = &library.sections[section];
        let title = library.section_title(sec);
        home.route = Some(RouteTeaser {
            title: title.to_string(),
            url: site_url(&site.config.base_path, &sec.url),
            summary: sec
                .index
                .map(|i| library.pages[i].summary())
                .unwrap_or_default(),
            map_svg: map(&stops(library, sec), None, title),
            stops: sec.pages.len(),
        });
    }

    fn outputs(&self, site: &KindContext, section: usize) -> Vec<KindOutput> {
        let library = site.library;
        let sec = &library.sections[section];
        let stops = stops(library, sec);
        let views = stop_views(site, &stops);
        let mut outputs = vec![KindOutput::File {
            path: format!("{}route.geojson", sec.url.trim_start_matches('/')),
            bytes: geojson(site, sec, &stops).into_bytes(),
        }];
        for (i, ((page, _), view)) in stops.iter().zip(&views).enumerate() {
            let absolute = permalink(site.config, &page.url);
            let Ok(qr) = qr_svg(&absolute, &format!("二维码：{}", page.meta.title)) else {
                continue;
            };
            outputs.push(KindOutput::File {
                path: format!("{}qr.svg", page.url.trim_start_matches('/')),
                bytes: qr.clone().into_bytes(),
            });
            let mut context = Context::new();
            context.insert("stop", view);
            context.insert("qr_svg", &qr);
            context.insert("stop_permalink", &absolute);
            context.insert("stop_permalink_parts", &url_line_parts(&absolute));
            context.insert(
                "next_stop",
                &views.get(i + 1).map(|v| Link {
                    title: v.title.clone(),
                    url: v.url.clone(),
                }),
            );
            context.insert(
                "route",
                &Link {
                    title: library.section_title(sec).to_string(),
                    url: site_url(&site.config.base_path, &sec.url),
                },
            );
            outputs.push(KindOutput::Page {
                url: format!("{}sign/", page.url),
                template: "sign.html",
                title: format!("站点标牌：{}", page.meta.title),
                section,
                context,
            });
        }
        outputs
    }
}

/// The section's stops in route order (by `order`, then path).
fn stops<'a>(library: &'a Library, section: &Section) -> Vec<(&'a Page, &'a Stop)> {
    let mut stops: Vec<(&Page, &Stop)> = section
        .pages
        .iter()
        .filter_map(|&i| {
            let page = &library.pages[i];
            page.kind_data::<Stop>().map(|stop| (page, stop))
        })
        .collect();
    stops.sort_by(|a, b| {
        a.1.order
            .cmp(&b.1.order)
            .then_with(|| a.0.path.cmp(&b.0.path))
    });
    stops
}

/// Distances in km between consecutive stops.
fn legs(stops: &[(&Page, &Stop)]) -> Vec<f64> {
    stops
        .windows(2)
        .map(|w| haversine_km((w[0].1.lat, w[0].1.lon), (w[1].1.lat, w[1].1.lon)))
        .collect()
}

fn minutes(km: f64) -> u64 {
    (km / WALKING_KMH * 60.0).round() as u64
}

/// Warns about a stop far from the others' median centre: usually swapped lat/lon.
fn far_stops(stops: &[(&Page, &Stop)]) -> Vec<Diagnostic> {
    if stops.len() < 3 {
        return Vec::new();
    }
    let points: Vec<(f64, f64)> = stops.iter().map(|(_, s)| (s.lat, s.lon)).collect();
    let mut found = Vec::new();
    for (i, (page, stop)) in stops.iter().enumerate() {
        let others: Vec<(f64, f64)> = points
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, p)| *p)
            .collect();
        let Some(centre) = median_centre(&others) else {
            continue;
        };
        let km = haversine_km((stop.lat, stop.lon), centre);
        if km > FAR_KM {
            let swapped = haversine_km((stop.lon, stop.lat), centre) < FAR_KM;
            let help = if swapped {
                format!(
                    "lat and lon look swapped: the other stops are near lat {:.2}, lon {:.2}",
                    centre.0, centre.1
                )
            } else {
                format!(
                    "check the coordinates: the other stops are near lat {:.2}, lon {:.2} (a swapped lat/lon is the usual cause)",
                    centre.0, centre.1
                )
            };
            found.push(
                Diagnostic::warning(
                    "far-stop",
                    &page.file,
                    format!("this stop is {km:.0} km from the route's other stops"),
                )
                .at(&page.text, stop.location_line.0, stop.location_line.1)
                .with_help(help),
            );
        }
    }
    found
}

/// What templates see of one stop.
#[derive(serde::Serialize)]
pub struct StopView {
    pub number: usize,
    pub order: i64,
    pub title: String,
    pub url: String,
    pub summary: String,
    pub address: Option<String>,
    pub hours: Option<String>,
    pub activities: Vec<String>,
    pub contact: Option<String>,
    /// A "导航" link to the stop: readers get a way there, not coordinates.
    pub navigate: String,
    pub geo_uri: String,
    pub amap_url: String,
    pub osm_url: String,
    /// From the previous stop, e.g. `850 米`; none for the first stop.
    pub from_previous: Option<String>,
    pub minutes_from_previous: Option<u64>,
    pub sign_url: String,
    pub qr_url: String,
}

fn stop_views(site: &KindContext, stops: &[(&Page, &Stop)]) -> Vec<StopView> {
    let legs = legs(stops);
    stops
        .iter()
        .enumerate()
        .map(|(i, (page, stop))| {
            let name = crate::url::encode_path(&page.meta.title);
            let url = site_url(&site.config.base_path, &page.url);
            StopView {
                number: i + 1,
                order: stop.order,
                title: page.meta.title.clone(),
                summary: page.summary(),
                address: stop.address.clone(),
                hours: stop.hours.clone(),
                activities: stop.activities.clone(),
                contact: stop.contact.clone(),
                navigate: crate::geo::navigation_url(stop.lat, stop.lon, &page.meta.title),
                geo_uri: format!("geo:{},{}?q={},{}({name})", stop.lat, stop.lon, stop.lat, stop.lon),
                amap_url: format!("https://uri.amap.com/marker?position={},{}&name={name}&coordinate=wgs84&callnative=1", stop.lon, stop.lat),
                osm_url: format!("https://www.openstreetmap.org/?mlat={}&mlon={}#map=16/{}/{}", stop.lat, stop.lon, stop.lat, stop.lon),
                from_previous: i.checked_sub(1).map(|j| format_distance(legs[j])),
                minutes_from_previous: i.checked_sub(1).map(|j| minutes(legs[j])),
                sign_url: format!("{url}sign/"),
                qr_url: format!("{url}qr.svg"),
                url,
            }
        })
        .collect()
}

fn map(stops: &[(&Page, &Stop)], current: Option<usize>, route: &str) -> String {
    let points: Vec<MapStop> = stops
        .iter()
        .enumerate()
        .map(|(i, (page, stop))| MapStop {
            number: i + 1,
            name: &page.meta.title,
            lat: stop.lat,
            lon: stop.lon,
        })
        .collect();
    let names: Vec<String> = points
        .iter()
        .map(|p| format!("{}. {}", p.number, p.name))
        .collect();
    let title = match current {
        Some(i) => format!("{route}示意图，第 {} 站（{}）已标出", i + 1, points[i].name),
        None => format!("{route}示意图"),
    };
    route_map(
        &points,
        current,
        &title,
        &format!(
            "按顺序连接 {} 个站点：{}。位置为示意。",
            points.len(),
            names.join("；")
        ),
    )
}

/// The sign's printed address cut after each `/` and `-`, the only places a reader copying
/// it by hand expects a line to break (`/rout e/` reads as two words). The template puts a
/// `<wbr>` between the parts and the stylesheet forbids every other break.
fn url_line_parts(url: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, c) in url.char_indices() {
        if (c == '/' || c == '-') && i + 1 < url.len() {
            parts.push(&url[start..=i]);
            start = i + 1;
        }
    }
    parts.push(&url[start..]);
    parts
}

/// `route.geojson`: one Point per stop and the LineString of the route, `[lon, lat]` per RFC 7946.
fn geojson(site: &KindContext, section: &Section, stops: &[(&Page, &Stop)]) -> String {
    let legs = legs(stops);
    let mut features: Vec<serde_json::Value> = stops
        .iter()
        .enumerate()
        .map(|(i, (page, stop))| {
            json!({
                "type": "Feature",
                "geometry": { "type": "Point", "coordinates": [stop.lon, stop.lat] },
                "properties": {
                    "number": i + 1,
                    "order": stop.order,
                    "name": page.meta.title,
                    "url": permalink(site.config, &page.url),
                    "address": stop.address,
                    "hours": stop.hours,
                    "activities": stop.activities,
                    "distance_from_previous_m": i.checked_sub(1).map(|j| (legs[j] * 1000.0).round() as i64),
                },
            })
        })
        .collect();
    features.push(json!({
        "type": "Feature",
        "geometry": { "type": "LineString", "coordinates": stops.iter().map(|(_, s)| [s.lon, s.lat]).collect::<Vec<_>>() },
        "properties": { "name": site.library.section_title(section), "url": permalink(site.config, &section.url) },
    }));
    let collection = json!({ "type": "FeatureCollection", "features": features });
    serde_json::to_string_pretty(&collection).unwrap_or_default() + "\n"
}
