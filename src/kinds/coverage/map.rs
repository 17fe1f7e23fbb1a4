//! The coverage page's map: the places of the county (or of one township) and the service
//! points nearest to them, drawn by [`crate::svg::coverage_map`].

use super::compute::PlaceCoverage;
use super::places::PlacesData;
use crate::kinds::KindContext;
use crate::svg::coverage_map::{MapPlace, MapPoint, coverage_map};

/// The SVG for the places of `township` (all places when `None`).
pub fn svg(
    site: &KindContext,
    data: &PlacesData,
    coverage: &[PlaceCoverage],
    township: Option<&str>,
    title: &str,
) -> String {
    let shown: Vec<&PlaceCoverage> = coverage
        .iter()
        .filter(|c| township.is_none_or(|t| data.places[c.place].region == t))
        .collect();
    let places: Vec<MapPlace> = shown
        .iter()
        .map(|c| {
            let p = &data.places[c.place];
            MapPlace {
                name: &p.name,
                lat: p.lat,
                lon: p.lon,
                reached: c.reached,
            }
        })
        .collect();
    // The county map shows every point; a township's, only the point nearest each of its
    // places, so one far-off office does not shrink the township to a corner.
    let nearest: Vec<super::compute::Nearest> = match township {
        None => shown
            .iter()
            .flat_map(|c| c.nearest.iter().flatten().copied())
            .collect(),
        Some(_) => shown.iter().filter_map(|c| c.closest()).collect(),
    };
    let mut seen = std::collections::HashSet::new();
    let points: Vec<MapPoint> = nearest
        .iter()
        .filter(|n| seen.insert(n.point))
        .filter_map(|n| {
            let entry = n.point.get(site.library).1;
            let at = entry.location?;
            Some(MapPoint {
                name: &entry.name,
                lat: at.lat,
                lon: at.lon,
            })
        })
        .collect();
    if places.is_empty() {
        return String::new();
    }
    let outside = places.iter().filter(|p| !p.reached).count();
    let description = format!(
        "图中共 {} 个村（社区）、{} 个服务点；圆点为服务圈内的村，三角为服务圈外的村（{} 个），方块为服务点，浅色圆为服务点 {} 分钟可达的范围。各村的距离和时间见下方表格。",
        places.len(),
        points.len(),
        outside,
        super::view::number(site.config.coverage.minutes)
    );
    coverage_map(
        &places,
        &points,
        site.config.coverage.reach_km(),
        title,
        &description,
    )
}
