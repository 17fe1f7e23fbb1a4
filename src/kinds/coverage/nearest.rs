//! Nearest-point search over a uniform grid of latitude/longitude cells: each query looks at
//! the rings of cells around it until no unseen point can be nearer, so 5,000 places × 2,000
//! points cost a few cells each instead of all pairs.

use std::collections::HashMap;

use crate::geo::haversine_km;

/// Kilometres per degree of latitude (and of longitude at the equator), slightly rounded down
/// so the search's lower bounds stay below the true distances.
const KM_PER_DEGREE: f64 = 111.0;

/// Points filed by grid cell.
pub struct Grid {
    points: Vec<(f64, f64)>,
    cell: f64,
    cells: HashMap<(i64, i64), Vec<usize>>,
    /// The smallest and largest cell indices that hold a point: rings beyond them are empty.
    min: (i64, i64),
    max: (i64, i64),
}

impl Grid {
    /// Files `points` (lat, lon) into cells sized so each holds about two points.
    pub fn new(points: Vec<(f64, f64)>) -> Grid {
        let (mut lo, mut hi) = ((f64::MAX, f64::MAX), (f64::MIN, f64::MIN));
        for &(lat, lon) in &points {
            lo = (lo.0.min(lat), lo.1.min(lon));
            hi = (hi.0.max(lat), hi.1.max(lon));
        }
        let span = (hi.0 - lo.0).max(hi.1 - lo.1).max(0.0);
        let per_side = ((points.len() as f64) / 2.0).sqrt().max(1.0);
        let cell = (span / per_side).max(1e-4);
        let mut grid = Grid {
            points,
            cell,
            cells: HashMap::new(),
            min: (i64::MAX, i64::MAX),
            max: (i64::MIN, i64::MIN),
        };
        for i in 0..grid.points.len() {
            let key = grid.key(grid.points[i]);
            grid.min = (grid.min.0.min(key.0), grid.min.1.min(key.1));
            grid.max = (grid.max.0.max(key.0), grid.max.1.max(key.1));
            grid.cells.entry(key).or_default().push(i);
        }
        grid
    }

    fn key(&self, (lat, lon): (f64, f64)) -> (i64, i64) {
        (
            (lat / self.cell).floor() as i64,
            (lon / self.cell).floor() as i64,
        )
    }

    /// The nearest point to `at` and its great-circle distance in km; ties go to the point
    /// listed first. `None` when the grid is empty.
    pub fn nearest(&self, at: (f64, f64)) -> Option<(usize, f64)> {
        if self.points.is_empty() {
            return None;
        }
        let centre = self.key(at);
        let mut best: Option<(usize, f64)> = None;
        // Rings short of the filled cells are empty: start at the first that can hold a point.
        let start = [
            self.min.0 - centre.0,
            centre.0 - self.max.0,
            self.min.1 - centre.1,
            centre.1 - self.max.1,
        ]
        .into_iter()
        .fold(0, i64::max);
        // Longitude degrees shrink towards the poles; bound with the widest latitude reached.
        for ring in start.. {
            for key in ring_keys(centre, ring) {
                for &i in self.cells.get(&key).into_iter().flatten() {
                    let km = haversine_km(at, self.points[i]);
                    if best.is_none_or(|(b, d)| km < d || (km == d && i < b)) {
                        best = Some((i, km));
                    }
                }
            }
            let reach = ring as f64 * self.cell;
            let shrink = (at.0.abs() + reach).min(89.9).to_radians().cos();
            let bound = reach * KM_PER_DEGREE * shrink;
            if best.is_some_and(|(_, d)| d < bound) || self.beyond(centre, ring) {
                break;
            }
        }
        best
    }

    /// Whether ring `ring` around `centre` already encloses every filled cell.
    fn beyond(&self, centre: (i64, i64), ring: i64) -> bool {
        centre.0 - ring <= self.min.0
            && centre.0 + ring >= self.max.0
            && centre.1 - ring <= self.min.1
            && centre.1 + ring >= self.max.1
    }
}

/// The cells at Chebyshev distance exactly `ring` from `centre`.
fn ring_keys((r, c): (i64, i64), ring: i64) -> Vec<(i64, i64)> {
    if ring == 0 {
        return vec![(r, c)];
    }
    let mut keys = Vec::with_capacity(8 * ring as usize);
    for d in -ring..=ring {
        keys.extend([(r - ring, c + d), (r + ring, c + d)]);
    }
    for d in -ring + 1..ring {
        keys.extend([(r + d, c - ring), (r + d, c + ring)]);
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brute(points: &[(f64, f64)], at: (f64, f64)) -> Option<(usize, f64)> {
        points
            .iter()
            .enumerate()
            .map(|(i, p)| (i, haversine_km(at, *p)))
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
    }

    /// A fixed pseudo-random sequence, so the test is the same every run.
    fn numbers(seed: u64, n: usize) -> Vec<f64> {
        let mut x = seed;
        (0..n)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (x >> 11) as f64 / (1u64 << 53) as f64
            })
            .collect()
    }

    #[test]
    fn the_grid_finds_what_all_pairs_find() {
        let r = numbers(7, 4000);
        // Clustered points in a county-sized box, plus a few far off.
        let mut points: Vec<(f64, f64)> = r[..1200]
            .chunks(2)
            .map(|c| (34.9 + c[0] * 0.4, 111.0 + c[1] * 0.5))
            .collect();
        points.extend([(40.0, 116.0), (35.0, 111.0), (35.0, 111.0)]);
        let grid = Grid::new(points.clone());
        for q in r[1200..].chunks(2) {
            let at = (34.7 + q[0] * 0.8, 110.8 + q[1] * 0.9);
            let (gi, gd) = grid.nearest(at).unwrap();
            let (bi, bd) = brute(&points, at).unwrap();
            assert!(
                (gd - bd).abs() < 1e-9,
                "{at:?}: grid {gi} {gd}, all pairs {bi} {bd}"
            );
        }
        // A query far outside the grid still finds the far point.
        assert_eq!(grid.nearest((41.0, 117.0)).unwrap().0, 600);
        assert!(Grid::new(Vec::new()).nearest((35.0, 111.0)).is_none());
    }

    #[test]
    fn of_two_close_points_the_nearer_wins() {
        // 30 m apart; the query is 10 m from the second.
        let points = vec![(35.10000, 111.20000), (35.10027, 111.20000)];
        let grid = Grid::new(points);
        let (i, km) = grid.nearest((35.10036, 111.20000)).unwrap();
        assert_eq!(i, 1);
        assert!((km - 0.010).abs() < 0.001, "{km}");
    }
}
