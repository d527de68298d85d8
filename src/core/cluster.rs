//! Screen-space clustering of point features, so that dozens of cameras on one site read as
//! one badge with a count when zoomed out instead of a blob of overlapping icons.
//!
//! Units: CSS px from the canvas top-left (y down). Deterministic: clusters come out in the
//! order of their first member, members in input order.

use std::collections::HashMap;

/// Points that fell into one grid cell.
#[derive(Clone, Debug, PartialEq)]
pub struct Cluster {
    /// Mean position of the members, CSS px.
    pub x: f64,
    pub y: f64,
    /// Indices of the member points, as passed in.
    pub members: Vec<usize>,
}

impl Cluster {
    pub fn count(&self) -> usize {
        self.members.len()
    }
}

/// Groups `(index, x, y)` points by a square grid of `cell_css` px. Non-finite points and a
/// non-positive cell size yield no clusters for those points.
pub fn grid_clusters(
    points: impl IntoIterator<Item = (usize, f64, f64)>,
    cell_css: f64,
) -> Vec<Cluster> {
    if !(cell_css.is_finite() && cell_css > 0.0) {
        return Vec::new();
    }
    let mut slot: HashMap<(i64, i64), usize> = HashMap::new();
    let mut out: Vec<(f64, f64, Vec<usize>)> = Vec::new();
    for (i, x, y) in points {
        if !(x.is_finite() && y.is_finite()) {
            continue;
        }
        let key = ((x / cell_css).floor() as i64, (y / cell_css).floor() as i64);
        let at = *slot.entry(key).or_insert_with(|| {
            out.push((0.0, 0.0, Vec::new()));
            out.len() - 1
        });
        if let Some(c) = out.get_mut(at) {
            c.0 += x;
            c.1 += y;
            c.2.push(i);
        }
    }
    out.into_iter()
        .map(|(sx, sy, members)| {
            let n = members.len() as f64;
            Cluster {
                x: sx / n,
                y: sy / n,
                members,
            }
        })
        .collect()
}

/// Merges clusters whose badges (radius `radius(count)` CSS px each, plus `gap_css`) overlap,
/// until none do; a merged cluster sits at the members' mean position. Grid cells split a site
/// that straddles a cell edge; this joins it again.
pub fn merge_overlapping(
    mut clusters: Vec<Cluster>,
    radius: impl Fn(usize) -> f64,
    gap_css: f64,
) -> Vec<Cluster> {
    let mut changed = true;
    while changed {
        changed = false;
        let mut i = 0;
        while i < clusters.len() {
            let mut j = i + 1;
            while let (Some(a), Some(b)) = (clusters.get(i), clusters.get(j)) {
                let reach = radius(a.count()) + radius(b.count()) + gap_css;
                if (a.x - b.x).powi(2) + (a.y - b.y).powi(2) < reach * reach {
                    let b = clusters.swap_remove(j);
                    let Some(a) = clusters.get_mut(i) else { break };
                    let (na, nb) = (a.count() as f64, b.count() as f64);
                    a.x = (a.x * na + b.x * nb) / (na + nb);
                    a.y = (a.y * na + b.y * nb) / (na + nb);
                    a.members.extend(b.members);
                    crate::compact_sort::sort_by(&mut a.members, Ord::cmp);
                    changed = true;
                } else {
                    j += 1;
                }
            }
            i += 1;
        }
    }
    crate::compact_sort::sort_by_key(&mut clusters, |c| c.members.first().copied());
    clusters
}

/// The cluster whose badge (radius `radius_css` around its centre) contains (x, y), nearest first.
pub fn cluster_at(clusters: &[Cluster], x: f64, y: f64, radius_css: f64) -> Option<&Cluster> {
    clusters
        .iter()
        .map(|c| (c, (c.x - x).powi(2) + (c.y - y).powi(2)))
        .filter(|(_, d2)| *d2 <= radius_css * radius_css)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_in_one_cell_merge_at_their_mean() {
        let c = grid_clusters([(0, 1.0, 1.0), (1, 3.0, 5.0), (2, 100.0, 100.0)], 40.0);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].members, vec![0, 1]);
        assert_eq!((c[0].x, c[0].y), (2.0, 3.0));
        assert_eq!(c[1].count(), 1);
    }

    #[test]
    fn bad_input_is_dropped_not_panicking() {
        assert!(grid_clusters([(0, f64::NAN, 1.0)], 40.0).is_empty());
        assert!(grid_clusters([(0, 1.0, 1.0)], 0.0).is_empty());
        assert!(grid_clusters([(0, 1.0, 1.0)], f64::NAN).is_empty());
        // Negative coordinates land in their own cells (floor, not truncation).
        let c = grid_clusters([(0, -1.0, 1.0), (1, 1.0, 1.0)], 40.0);
        assert_eq!(c.len(), 2);
    }

    #[test]
    fn overlapping_badges_merge_until_none_overlap() {
        // Three points straddling cell edges: three cells, but badges of radius 10 overlap.
        let c = grid_clusters(
            [
                (0, 39.0, 10.0),
                (1, 41.0, 10.0),
                (2, 62.0, 10.0),
                (3, 300.0, 10.0),
            ],
            40.0,
        );
        assert_eq!(c.len(), 3);
        let m = merge_overlapping(c, |_| 10.0, 2.0);
        assert_eq!(m.len(), 2, "{m:?}");
        assert_eq!(m[0].members, vec![0, 1, 2]);
        assert!((m[0].x - (39.0 + 41.0 + 62.0) / 3.0).abs() < 1e-9);
        assert_eq!(m[1].members, vec![3]);
        for (i, a) in m.iter().enumerate() {
            for b in &m[i + 1..] {
                assert!(((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt() >= 22.0);
            }
        }
    }

    #[test]
    fn cluster_at_picks_the_nearest_badge() {
        let c = grid_clusters([(0, 10.0, 10.0), (1, 60.0, 10.0)], 40.0);
        assert_eq!(
            cluster_at(&c, 14.0, 10.0, 12.0).map(|c| c.members.clone()),
            Some(vec![0])
        );
        assert_eq!(cluster_at(&c, 35.0, 10.0, 12.0), None);
    }
}
