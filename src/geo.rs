//! Distances and positions on the Earth, for routes and maps. WGS-84 coordinates throughout.

/// Mean Earth radius in kilometres (IUGG).
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Why `lat`, `lon` is not a point on Earth, as `(message, help)`; `None` when it is one. The
/// help says when the two look swapped (a common slip: China's longitudes are over 90).
pub fn location_problem(lat: f64, lon: f64) -> Option<(String, &'static str)> {
    let on_earth =
        |lat: f64, lon: f64| (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon);
    if on_earth(lat, lon) {
        return None;
    }
    let help = if on_earth(lon, lat) {
        "lat and lon look swapped: in China `lat` is about 18–54 and `lon` about 73–135"
    } else {
        "write WGS-84 degrees, e.g. `{ lat: 35.14, lon: 111.22 }` (latitude −90…90, longitude −180…180)"
    };
    Some((
        format!("lat {lat}, lon {lon} is not a place on Earth"),
        help,
    ))
}

/// Great-circle distance in kilometres between two (lat, lon) points, by the haversine formula.
pub fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().asin()
}

/// A "导航" link: Amap's route planner to the point (the app when installed, else its web
/// page), told the coordinates are WGS-84 so it converts them itself. Citizens get a link
/// that takes them there instead of numbers they cannot use.
pub fn navigation_url(lat: f64, lon: f64, name: &str) -> String {
    format!(
        "https://uri.amap.com/navigation?to={lon},{lat},{}&coordinate=wgs84&callnative=1",
        crate::url::encode_path(name)
    )
}

/// `850 米` under a kilometre, `1.2 公里` above: how distances read on signs.
pub fn format_distance(km: f64) -> String {
    if km < 1.0 {
        format!("{} 米", ((km * 1000.0 / 10.0).round() * 10.0) as i64)
    } else {
        format!("{km:.1} 公里")
    }
}

/// The median of each coordinate: a centre that one far-off point cannot drag away.
pub fn median_centre(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    if points.is_empty() {
        return None;
    }
    let median = |mut values: Vec<f64>| {
        values.sort_by(f64::total_cmp);
        let mid = values.len() / 2;
        if values.len().is_multiple_of(2) {
            (values[mid - 1] + values[mid]) / 2.0
        } else {
            values[mid]
        }
    };
    Some((
        median(points.iter().map(|p| p.0).collect()),
        median(points.iter().map(|p| p.1).collect()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haversine_matches_known_distances() {
        // Beijing (Tiananmen) to Shanghai (People's Square): about 1,067 km.
        let d = haversine_km((39.9087, 116.3975), (31.2304, 121.4737));
        assert!((d - 1067.0).abs() / 1067.0 < 0.01, "{d}");
        // One degree of latitude: about 111.2 km.
        let d = haversine_km((35.0, 111.0), (36.0, 111.0));
        assert!((d - 111.19).abs() < 0.1, "{d}");
        assert_eq!(haversine_km((35.0, 111.0), (35.0, 111.0)), 0.0);
    }

    #[test]
    fn distances_read_naturally() {
        assert_eq!(format_distance(0.8543), "850 米");
        assert_eq!(format_distance(12.345), "12.3 公里");
    }

    #[test]
    fn the_median_ignores_one_outlier() {
        let c =
            median_centre(&[(35.1, 111.2), (35.2, 111.1), (35.15, 111.25), (111.2, 35.1)]).unwrap();
        assert!(
            (c.0 - 35.175).abs() < 1e-9 && (c.1 - 111.15).abs() < 1e-9,
            "{c:?}"
        );
    }
}
