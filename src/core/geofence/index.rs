//! Which zones contain a point: [`ZoneIndex`], in EPSG:3857 metres ([`Mercator`] points, the
//! zones' geo-types polygons).
//!
//! Two structures over the same zones, with the same answers (the boundary rule of
//! [`Zone::contains`]: within 1 mm of an edge or vertex is inside, by
//! [`geometry::polygon_position`](crate::geometry::polygon_position)):
//!
//! * an R-tree (rstar) over each polygon's bounding box, and one over all zone edges, for
//!   single-point queries by exact point-in-polygon ([`ZoneIndex::zones_at_exact`]), path
//!   crossings ([`ZoneIndex::first_crossing`]) and distances to a zone's boundary
//!   ([`ZoneIndex::boundary_within`]);
//! * a uniform grid over the zones' extent for bulk classification
//!   ([`ZoneIndex::classify_all`], [`ZoneIndex::zones_at`]). For each cell and polygon it
//!   records either *full* (no edge within 2 mm of the cell, which lies inside the polygon:
//!   no test needed) or *partial*: the polygon's edges within 2 mm of the cell, a reference
//!   point in the cell well away from them and whether it is inside, and an 8 × 8 split of the
//!   cell into sub-cells marked inside / outside / mixed (an edge within 2 mm). A point in a
//!   pure sub-cell takes its mark. Otherwise it is inside iff the segment from the reference
//!   point to it crosses an even number of the cell's edges when the reference point is
//!   inside (odd when outside); the segment never leaves the cell, so no other edge can
//!   cross it. Edges are kept compactly (f32, relative to the cell, clipped to it); a point
//!   within 1 mm plus that rounding of an edge's line is decided by the same test on the
//!   exact f64 edges, boundary rule included. Cells no polygon touches record nothing.
//!   Points are looked up in batches so that their cells' memory loads overlap.
//!
//! Zones are numbered by their position in the slice given to [`ZoneIndex::new`]. Each of
//! their polygons is kept once ([`geo::Polygon`], its rings walked through
//! `exterior()` / `interiors()`), with its bounding box.

use super::zone::Zone;
use crate::geometry::{
    BOUNDARY_EPS_M, dist2_point_segment, first_contact, near_segment, orient, polygon_edges,
    polygon_position, rings,
};
use crate::units::Mercator;
use crate::viewport::MercatorBounds;
use geo::Polygon;
use rstar::primitives::{GeomWithData, Line, Rectangle};
use rstar::{AABB, RTree};

/// Most grid cells (4 bytes a cell).
pub const MAX_GRID_CELLS: usize = 1 << 20;
/// Default grid cell size as a fraction of the zones' mean edge length (the fastest on the
/// synthetic benchmark data: 0.6 x 240 m).
pub const DEFAULT_CELL_PER_EDGE: f64 = 0.6;

type PartBox = GeomWithData<Rectangle<[f64; 2]>, u32>;
type ZoneEdge = GeomWithData<Line<[f64; 2]>, u32>;

/// One polygon of a zone.
#[derive(Clone, Debug)]
struct Part {
    zone: u32,
    polygon: Polygon<f64>,
    /// Bounding box of the polygon's rings.
    bounds: MercatorBounds,
}

impl Part {
    fn new(zone: u32, polygon: &Polygon<f64>) -> Part {
        let mut bounds = MercatorBounds::empty();
        for c in rings(polygon).flat_map(|r| r.coords()) {
            bounds.extend((*c).into());
        }
        Part {
            zone,
            polygon: polygon.clone(),
            bounds,
        }
    }

    /// `true` if `p` is in the polygon, boundary included (the exact test).
    #[inline]
    fn contains(&self, p: Mercator) -> bool {
        polygon_position(p, &self.polygon).is_inside_or_on()
    }
}

/// An exact (f64) edge of a partial entry, with the side of the entry's reference point.
#[derive(Clone, Copy, Debug)]
struct ExactEdge {
    ax: f64,
    ay: f64,
    bx: f64,
    by: f64,
    /// `orient(a, b, reference) > 0`.
    ref_left: bool,
}

/// The exact (f64) form of a partial entry, for points too close to an edge for the
/// compact form to decide.
#[derive(Clone, Copy, Debug)]
struct Exact {
    start: u32,
    count: u32,
    ref_inside: bool,
    rx: f64,
    ry: f64,
}

/// Cell word: no polygon touches the cell.
const CELL_EMPTY: u32 = 0;
/// Cell word flag: the cell lies inside exactly one polygon, of zone `word & !CELL_FULL`.
const CELL_FULL: u32 = 1 << 31;
/// Entry word flag: the reference point is inside.
const REF_INSIDE: u32 = 1 << 31;
/// A partial entry splits its cell into `SUB × SUB` sub-cells.
const SUB: usize = 8;

/// The grid. A cell word is [`CELL_EMPTY`], [`CELL_FULL`]` | zone`, or `1 + offset` of the
/// cell's block in `blocks`:
///
/// ```text
/// block  = n, entry × n                                   (entries sorted by zone)
/// entry  = zone, 0                                        (full)
///        | zone, count | REF_INSIDE, inside × 2, mixed × 2, exact, rx, ry, edge × count
/// edge   = ax, ay, bx, by
/// ```
///
/// `inside` and `mixed` are 64-bit masks (low word first) over the 8 × 8 sub-cells.
/// Coordinates are f32 bits, EPSG:3857 metres relative to the cell's lower-left corner; edges
/// are clipped to the cell grown by 2 mm and turned so that the reference point `(rx, ry)` is
/// strictly on their left; `exact` indexes [`Grid::exact`], the same entry in f64, which
/// decides for points within the rounding band of an edge.
#[derive(Clone, Debug, Default)]
struct Grid {
    x0: f64,
    y0: f64,
    cell: f64,
    inv_cell: f64,
    /// `SUB / cell`.
    inv_sub: f64,
    nx: usize,
    ny: usize,
    /// Squared distance (EPSG:3857 m²) from a compact edge's line within which the exact
    /// form decides: (1 mm + the f32 rounding of the cell's coordinates)².
    band2: f64,
    cells: Vec<u32>,
    blocks: Vec<u32>,
    exact: Vec<Exact>,
    exact_edges: Vec<ExactEdge>,
}

/// One polygon's record for one cell, before packing.
#[derive(Clone, Debug)]
struct Pending {
    cell: u32,
    zone: u32,
    /// The entry's words after the zone; empty: full.
    words: Vec<u32>,
}

/// Bulk classification: per-zone counts and each point's zones (compressed rows).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Classification {
    /// Number of points inside each zone (by zone index).
    pub counts: Vec<u32>,
    /// Point `i`'s zones are `zones[offsets[i]..offsets[i + 1]]`; `offsets.len() == n + 1`.
    pub offsets: Vec<u32>,
    /// Zone indices, ascending within a point.
    pub zones: Vec<u32>,
}

impl Classification {
    /// The zones containing point `i` (empty if `i` is out of range).
    pub fn zones_of(&self, i: usize) -> &[u32] {
        match (self.offsets.get(i), self.offsets.get(i + 1)) {
            (Some(&a), Some(&b)) => self.zones.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// Number of points classified.
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// `true` if no point was classified.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Spatial index over a set of zones.
#[derive(Clone, Debug)]
pub struct ZoneIndex {
    zone_count: usize,
    parts: Vec<Part>,
    /// Zone `z`'s polygons are `parts[zone_parts[z]..zone_parts[z + 1]]`.
    zone_parts: Vec<usize>,
    part_tree: RTree<PartBox>,
    edge_tree: RTree<ZoneEdge>,
    grid: Grid,
}

fn m(x: f64, y: f64) -> Mercator {
    Mercator { x, y }
}

impl ZoneIndex {
    /// Index `zones` with the default grid cell size ([`DEFAULT_CELL_PER_EDGE`] times the mean
    /// zone edge length, grown if needed to stay within [`MAX_GRID_CELLS`] cells).
    pub fn new(zones: &[Zone]) -> ZoneIndex {
        ZoneIndex::with_cell_size(zones, None)
    }

    /// Index `zones` with a grid cell of `cell_m` EPSG:3857 metres (`None` or a non-positive
    /// value: the default). The cell grows if the grid would exceed [`MAX_GRID_CELLS`].
    pub fn with_cell_size(zones: &[Zone], cell_m: Option<f64>) -> ZoneIndex {
        let mut parts = Vec::new();
        let mut zone_parts = vec![0];
        for (zi, z) in zones.iter().enumerate() {
            let Ok(zone) = u32::try_from(zi) else { break };
            parts.extend(z.polygons.iter().map(|polygon| Part::new(zone, polygon)));
            zone_parts.push(parts.len());
        }
        let mut boxes = Vec::with_capacity(parts.len());
        let mut zone_edges = Vec::new();
        for (pi, p) in parts.iter().enumerate() {
            let b = p.bounds;
            if b.is_empty() {
                continue;
            }
            let Ok(pi) = u32::try_from(pi) else { break };
            boxes.push(GeomWithData::new(
                Rectangle::from_corners([b.min_x, b.min_y], [b.max_x, b.max_y]),
                pi,
            ));
            for (a, b) in polygon_edges(&p.polygon) {
                zone_edges.push(GeomWithData::new(Line::new([a.x, a.y], [b.x, b.y]), p.zone));
            }
        }
        let grid = Grid::build(&parts, cell_m);
        ZoneIndex {
            zone_count: zones.len(),
            parts,
            zone_parts,
            part_tree: RTree::bulk_load(boxes),
            edge_tree: RTree::bulk_load(zone_edges),
            grid,
        }
    }

    /// Number of zones indexed.
    pub fn zone_count(&self) -> usize {
        self.zone_count
    }

    /// Grid cell size in EPSG:3857 metres and the grid's columns and rows.
    pub fn grid_shape(&self) -> (f64, usize, usize) {
        (self.grid.cell, self.grid.nx, self.grid.ny)
    }

    /// Approximate heap bytes of the grid (cells, blocks, exact forms).
    pub fn grid_bytes(&self) -> usize {
        let g = &self.grid;
        4 * (g.cells.len() + g.blocks.len())
            + std::mem::size_of::<Exact>() * g.exact.len()
            + std::mem::size_of::<ExactEdge>() * g.exact_edges.len()
    }

    /// Indices of the zones containing `p`, ascending (grid fast path).
    pub fn zones_at(&self, p: Mercator) -> Vec<usize> {
        let mut out = Vec::new();
        self.grid.for_each_zone(p, |z| out.push(z as usize));
        out
    }

    /// Indices of the zones containing `p`, ascending, by R-tree query and exact
    /// point-in-polygon on each candidate (the reference the grid is tested against).
    pub fn zones_at_exact(&self, p: Mercator) -> Vec<usize> {
        if !(p.x.is_finite() && p.y.is_finite()) {
            return Vec::new();
        }
        let e = BOUNDARY_EPS_M;
        let env = AABB::from_corners([p.x - e, p.y - e], [p.x + e, p.y + e]);
        let mut out: Vec<usize> = self
            .part_tree
            .locate_in_envelope_intersecting(&env)
            .filter_map(|b| self.parts.get(b.data as usize))
            .filter(|part| part.contains(p))
            .map(|part| part.zone as usize)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    fn parts_of(&self, zone: usize) -> &[Part] {
        match (self.zone_parts.get(zone), self.zone_parts.get(zone + 1)) {
            (Some(&a), Some(&b)) => self.parts.get(a..b).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// `true` if zone `zone` contains `p` (exact test).
    pub fn contains(&self, zone: usize, p: Mercator) -> bool {
        self.parts_of(zone).iter().any(|part| part.contains(p))
    }

    /// Classify every point: per-zone counts and each point's zones. Non-finite points and
    /// points outside every zone have no zones.
    pub fn classify_all(&self, points: &[Mercator]) -> Classification {
        let mut out = Classification::default();
        self.classify_into(points, &mut out);
        out
    }

    /// [`classify_all`](Self::classify_all) into an existing value, reusing its buffers.
    pub fn classify_into(&self, points: &[Mercator], out: &mut Classification) {
        out.counts.clear();
        out.counts.resize(self.zone_count, 0);
        out.offsets.clear();
        out.offsets.resize(points.len() + 1, 0);
        out.zones.clear();
        // First the (point, zone) pairs in point order, then the row offsets.
        let counts = &mut out.counts;
        let zones = &mut out.zones;
        let offsets = &mut out.offsets;
        self.grid.for_each_point(points, |i, z| {
            if let Some(c) = counts.get_mut(z as usize) {
                *c += 1;
            }
            if let Some(o) = offsets.get_mut(i + 1) {
                *o += 1;
            }
            zones.push(z);
        });
        let mut acc = 0u32;
        for o in out.offsets.iter_mut() {
            acc = acc.saturating_add(*o);
            *o = acc;
        }
    }

    /// Per-zone counts only (no per-point membership).
    pub fn count_all(&self, points: &[Mercator]) -> Vec<u32> {
        let mut counts = vec![0u32; self.zone_count];
        self.grid.for_each_point(points, |_, z| {
            if let Some(c) = counts.get_mut(z as usize) {
                *c += 1;
            }
        });
        counts
    }

    /// Zones whose polygons' bounding boxes meet the box of segment `a`–`b` (grown by 1 mm),
    /// ascending, without duplicates.
    pub fn candidates_along(&self, a: Mercator, b: Mercator) -> Vec<usize> {
        let e = BOUNDARY_EPS_M;
        let env = AABB::from_corners(
            [a.x.min(b.x) - e, a.y.min(b.y) - e],
            [a.x.max(b.x) + e, a.y.max(b.y) + e],
        );
        let mut out: Vec<usize> = self
            .part_tree
            .locate_in_envelope_intersecting(&env)
            .filter_map(|bx| self.parts.get(bx.data as usize))
            .map(|p| p.zone as usize)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Where the straight path `a -> b` first meets zone `zone`'s boundary: the parameter `t`
    /// in `[0, 1]` and the point. `None` if it never comes within 1 mm of it.
    pub fn first_crossing(&self, zone: usize, a: Mercator, b: Mercator) -> Option<(f64, Mercator)> {
        let mut best: Option<f64> = None;
        for part in self.parts_of(zone) {
            for (c, d) in polygon_edges(&part.polygon) {
                if let Some(t) = first_contact(a, b, c, d) {
                    best = Some(best.map_or(t, |x: f64| x.min(t)));
                }
            }
        }
        best.map(|t| (t, m(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y))))
    }

    /// `true` if zone `zone`'s boundary comes within `dist` EPSG:3857 metres of `p`.
    pub fn boundary_within(&self, zone: usize, p: Mercator, dist: f64) -> bool {
        if !(dist.is_finite() && dist >= 0.0 && p.x.is_finite() && p.y.is_finite()) {
            return false;
        }
        let d2 = dist * dist;
        self.edge_tree
            .locate_in_envelope_intersecting(&AABB::from_corners(
                [p.x - dist, p.y - dist],
                [p.x + dist, p.y + dist],
            ))
            .filter(|e| e.data as usize == zone)
            .any(|e| {
                let l = e.geom();
                dist2_point_segment(p, m(l.from[0], l.from[1]), m(l.to[0], l.to[1])) <= d2
            })
    }
}

impl Grid {
    fn build(parts: &[Part], cell_m: Option<f64>) -> Grid {
        let mut ext = MercatorBounds::empty();
        let mut edge_len = 0.0;
        let mut edge_n = 0usize;
        for p in parts {
            for (a, b) in polygon_edges(&p.polygon) {
                ext.extend(a);
                ext.extend(b);
                edge_len += ((b.x - a.x).powi(2) + (b.y - a.y).powi(2)).sqrt();
                edge_n += 1;
            }
        }
        if ext.is_empty() || edge_n == 0 {
            return Grid::default();
        }
        let ext = ext.expanded(4.0 * BOUNDARY_EPS_M);
        let (w, h) = (ext.width(), ext.height());
        let mean_edge = edge_len / edge_n as f64;
        let mut cell = match cell_m {
            Some(c) if c.is_finite() && c > 0.0 => c,
            _ => DEFAULT_CELL_PER_EDGE * mean_edge,
        };
        let min_cell = (w * h / MAX_GRID_CELLS as f64).sqrt();
        cell = cell.max(min_cell).max(1.0);
        let (mut nx, mut ny);
        loop {
            nx = ((w / cell).ceil() as usize).max(1);
            ny = ((h / cell).ceil() as usize).max(1);
            if nx.saturating_mul(ny) <= MAX_GRID_CELLS {
                break;
            }
            cell *= 1.05;
        }
        // Compact coordinates are within about a cell of the corner: f32 rounds them by less
        // than 2^-24 of that; the band is generous.
        let band = BOUNDARY_EPS_M + 8.0 * cell * f64::from(f32::EPSILON);
        let mut grid = Grid {
            x0: ext.min_x,
            y0: ext.min_y,
            cell,
            inv_cell: 1.0 / cell,
            inv_sub: SUB as f64 / cell,
            nx,
            ny,
            band2: band * band,
            ..Grid::default()
        };
        let mut pending: Vec<Pending> = Vec::new();
        for p in parts {
            grid.add_part(p, &mut pending);
        }
        crate::compact_sort::sort_by_key(&mut pending, |e| (e.cell, e.zone));
        let mut cells = vec![CELL_EMPTY; nx * ny];
        let mut blocks: Vec<u32> = Vec::new();
        for group in pending.chunk_by(|a, b| a.cell == b.cell) {
            let Some(first) = group.first() else { continue };
            let word = match group {
                [one] if one.words.is_empty() && one.zone < CELL_FULL => CELL_FULL | one.zone,
                _ => {
                    let at = u32::try_from(blocks.len() + 1).unwrap_or(u32::MAX);
                    blocks.push(u32::try_from(group.len()).unwrap_or(0));
                    for e in group {
                        blocks.push(e.zone);
                        if e.words.is_empty() {
                            blocks.push(0);
                        } else {
                            blocks.extend_from_slice(&e.words);
                        }
                    }
                    at
                }
            };
            if let Some(slot) = cells.get_mut(first.cell as usize) {
                *slot = word;
            }
        }
        grid.cells = cells;
        grid.blocks = blocks;
        grid
    }

    /// Lower-left corner of cell (cx, cy); the same expression at build and query time.
    #[inline]
    fn origin(&self, cx: usize, cy: usize) -> (f64, f64) {
        (
            self.x0 + cx as f64 * self.cell,
            self.y0 + cy as f64 * self.cell,
        )
    }

    fn col(&self, x: f64) -> usize {
        (((x - self.x0) * self.inv_cell).floor().max(0.0) as usize).min(self.nx - 1)
    }

    fn row(&self, y: f64) -> usize {
        (((y - self.y0) * self.inv_cell).floor().max(0.0) as usize).min(self.ny - 1)
    }

    fn add_part(&mut self, part: &Part, pending: &mut Vec<Pending>) {
        let b = part.bounds;
        if b.is_empty() || self.nx == 0 {
            return;
        }
        let g = 2.0 * BOUNDARY_EPS_M;
        let (c0, c1) = (self.col(b.min_x - g), self.col(b.max_x + g));
        let (r0, r1) = (self.row(b.min_y - g), self.row(b.max_y + g));
        let w = c1 - c0 + 1;
        let h = r1 - r0 + 1;
        // Edges touching each cell of the part's box (cell grown by 2 mm).
        let mut cell_edges: Vec<Vec<(Mercator, Mercator)>> = vec![Vec::new(); w * h];
        for (a, bb) in polygon_edges(&part.polygon) {
            let (ec0, ec1) = (self.col(a.x.min(bb.x) - g), self.col(a.x.max(bb.x) + g));
            let (er0, er1) = (self.row(a.y.min(bb.y) - g), self.row(a.y.max(bb.y) + g));
            for cy in er0..=er1 {
                for cx in ec0..=ec1 {
                    let (x0, y0) = self.origin(cx, cy);
                    let (x1, y1) = (x0 + self.cell, y0 + self.cell);
                    if segment_meets_rect(a, bb, x0 - g, y0 - g, x1 + g, y1 + g)
                        && let Some(v) = cell_edges.get_mut((cy - r0) * w + (cx - c0))
                    {
                        v.push((a, bb));
                    }
                }
            }
        }
        // Rows: crossings of the row's centre line with the part, for the edge-free cells.
        let all_edges: Vec<(Mercator, Mercator)> = polygon_edges(&part.polygon).collect();
        // The crossings as keys of their `total_cmp` order (`compact_sort::f64_key`): sorted
        // through the shared `u64` sort, not an `f64` sort instance of their own.
        let mut xs: Vec<u64> = Vec::new();
        for cy in r0..=r1 {
            let yc = self.y0 + (cy as f64 + 0.5) * self.cell;
            xs.clear();
            for (a, bb) in &all_edges {
                if (a.y <= yc) != (bb.y <= yc) {
                    let t = (yc - a.y) / (bb.y - a.y);
                    xs.push(crate::compact_sort::f64_key(a.x + t * (bb.x - a.x)));
                }
            }
            crate::compact_sort::sort_keys(&mut xs);
            for cx in c0..=c1 {
                let Some(list) = cell_edges.get((cy - r0) * w + (cx - c0)) else {
                    continue;
                };
                let cell = u32::try_from(cy * self.nx + cx).unwrap_or(u32::MAX);
                if list.is_empty() {
                    // No edge within 2 mm of the cell: all of it is inside or all outside.
                    let xc = self.x0 + (cx as f64 + 0.5) * self.cell;
                    if xs.partition_point(|&k| crate::compact_sort::f64_of_key(k) < xc) % 2 == 1 {
                        pending.push(Pending {
                            cell,
                            zone: part.zone,
                            words: Vec::new(),
                        });
                    }
                    continue;
                }
                let words = self.partial(part, cx, cy, list);
                pending.push(Pending {
                    cell,
                    zone: part.zone,
                    words,
                });
            }
        }
    }

    /// The words of a partial entry after its zone word; registers its exact form.
    fn partial(
        &mut self,
        part: &Part,
        cx: usize,
        cy: usize,
        list: &[(Mercator, Mercator)],
    ) -> Vec<u32> {
        let (ox, oy) = self.origin(cx, cy);
        let g = 2.0 * BOUNDARY_EPS_M;
        // Compact edges: clipped, relative to the corner, f32.
        let mut compact: Vec<[f32; 4]> = Vec::with_capacity(list.len());
        for (a, b) in list {
            let Some((p, q)) = clip(
                *a,
                *b,
                ox - g,
                oy - g,
                ox + self.cell + g,
                oy + self.cell + g,
            ) else {
                continue;
            };
            let e = [
                (p.x - ox) as f32,
                (p.y - oy) as f32,
                (q.x - ox) as f32,
                (q.y - oy) as f32,
            ];
            if e[0] != e[2] || e[1] != e[3] {
                compact.push(e);
            }
        }
        // Reference point: f32 offsets, clear of the edges, on no compact edge's line.
        let clearance = |r: Mercator| {
            list.iter()
                .map(|(a, b)| dist2_point_segment(r, *a, *b))
                .fold(f64::INFINITY, f64::min)
        };
        let on_a_line = |rx: f64, ry: f64| {
            compact.iter().any(|e| {
                let [ax, ay, bx, by] = e.map(f64::from);
                (bx - ax) * (ry - ay) - (by - ay) * (rx - ax) == 0.0
            })
        };
        let want = (self.cell * 1e-3).powi(2);
        let mut best: Option<(f64, f32, f32)> = None;
        let mut consider = |fx: f64, fy: f64| -> f64 {
            let (rx, ry) = ((fx * self.cell) as f32, (fy * self.cell) as f32);
            let (rxd, ryd) = (f64::from(rx), f64::from(ry));
            if on_a_line(rxd, ryd) {
                return 0.0;
            }
            let c = clearance(m(ox + rxd, oy + ryd));
            if best.is_none_or(|(bc, ..)| c > bc) {
                best = Some((c, rx, ry));
            }
            c
        };
        if consider(0.5, 0.5) < want {
            'search: for i in 1..8 {
                for j in 1..8 {
                    let c = consider(f64::from(i) / 8.0 + 0.01, f64::from(j) / 8.0 + 0.01);
                    if c >= 100.0 * want {
                        break 'search;
                    }
                }
            }
        }
        let half = (0.5 * self.cell) as f32;
        let (_, rx, ry) = best.unwrap_or((0.0, half, half));
        let (rxd, ryd) = (f64::from(rx), f64::from(ry));
        let r = m(ox + rxd, oy + ryd);
        let ref_inside = part.contains(r);

        // Exact form.
        let exact_start = u32::try_from(self.exact_edges.len()).unwrap_or(u32::MAX);
        for (a, b) in list {
            self.exact_edges.push(ExactEdge {
                ax: a.x,
                ay: a.y,
                bx: b.x,
                by: b.y,
                ref_left: orient(*a, *b, r) > 0.0,
            });
        }
        let exact_ix = u32::try_from(self.exact.len()).unwrap_or(u32::MAX);
        self.exact.push(Exact {
            start: exact_start,
            count: u32::try_from(list.len()).unwrap_or(0),
            ref_inside,
            rx: r.x,
            ry: r.y,
        });

        // Packed compact form. With no compact edge left (all clipped to nothing), one
        // zero-length edge makes every point defer to the exact form.
        if compact.is_empty() {
            compact.push([0.0; 4]);
        }
        let count = u32::try_from(compact.len())
            .unwrap_or(u32::MAX)
            .min(REF_INSIDE - 1);
        // Sub-cells: mixed if an edge comes within 2 mm (plus the rounding band) of one,
        // else wholly inside or outside, as its centre.
        let sub = self.cell / SUB as f64;
        let gs = g + self.band2.sqrt();
        let (mut inside_mask, mut mixed_mask) = (0u64, 0u64);
        let sub_ix = |v: f64| ((v / sub).floor().max(0.0) as usize).min(SUB - 1);
        for (a, b) in list {
            let (sx0, sx1) = (
                sub_ix(a.x.min(b.x) - gs - ox),
                sub_ix(a.x.max(b.x) + gs - ox),
            );
            let (sy0, sy1) = (
                sub_ix(a.y.min(b.y) - gs - oy),
                sub_ix(a.y.max(b.y) + gs - oy),
            );
            for sy in sy0..=sy1 {
                for sx in sx0..=sx1 {
                    let (x0, y0) = (ox + sx as f64 * sub, oy + sy as f64 * sub);
                    if segment_meets_rect(*a, *b, x0 - gs, y0 - gs, x0 + sub + gs, y0 + sub + gs) {
                        mixed_mask |= 1u64 << (sy * SUB + sx);
                    }
                }
            }
        }
        // Adjacent pure sub-cells have no boundary between them: one test per connected
        // group of them.
        let mut done = mixed_mask;
        let mut stack: Vec<usize> = Vec::with_capacity(SUB * SUB);
        for start in 0..SUB * SUB {
            if done & (1u64 << start) != 0 {
                continue;
            }
            let (sx, sy) = (start % SUB, start / SUB);
            let centre = m(ox + (sx as f64 + 0.5) * sub, oy + (sy as f64 + 0.5) * sub);
            let inside = self.exact_contains(exact_ix as usize, centre);
            done |= 1u64 << start;
            stack.push(start);
            while let Some(k) = stack.pop() {
                if inside {
                    inside_mask |= 1u64 << k;
                }
                let (kx, ky) = (k % SUB, k / SUB);
                let mut visit = |n: usize| {
                    if done & (1u64 << n) == 0 {
                        done |= 1u64 << n;
                        stack.push(n);
                    }
                };
                if kx > 0 {
                    visit(k - 1);
                }
                if kx + 1 < SUB {
                    visit(k + 1);
                }
                if ky > 0 {
                    visit(k - SUB);
                }
                if ky + 1 < SUB {
                    visit(k + SUB);
                }
            }
        }
        let mut words = Vec::with_capacity(8 + 4 * compact.len());
        words.push(count | if ref_inside { REF_INSIDE } else { 0 });
        words.push(inside_mask as u32);
        words.push((inside_mask >> 32) as u32);
        words.push(mixed_mask as u32);
        words.push((mixed_mask >> 32) as u32);
        words.push(exact_ix);
        words.push(rx.to_bits());
        words.push(ry.to_bits());
        for e in compact.into_iter().take(count as usize) {
            let [ax, ay, bx, by] = e.map(f64::from);
            let left = (bx - ax) * (ryd - ay) - (by - ay) * (rxd - ax) > 0.0;
            let e = if left { e } else { [e[2], e[3], e[0], e[1]] };
            words.extend(e.map(f32::to_bits));
        }
        words
    }

    /// The cell containing `p`, or `usize::MAX` if `p` is outside the grid (or not finite).
    #[inline]
    fn cell_of(&self, p: Mercator) -> usize {
        let fx = (p.x - self.x0) * self.inv_cell;
        let fy = (p.y - self.y0) * self.inv_cell;
        // Also rejects NaN.
        if fx >= 0.0 && fy >= 0.0 && fx < self.nx as f64 && fy < self.ny as f64 {
            fy as usize * self.nx + fx as usize
        } else {
            usize::MAX
        }
    }

    /// Calls `f` with each zone containing `p`, ascending, each once.
    #[inline]
    fn for_each_zone(&self, p: Mercator, f: impl FnMut(u32)) {
        let cell = self.cell_of(p);
        let word = self.cells.get(cell).copied().unwrap_or(CELL_EMPTY);
        self.zones_in_cell(p, cell, word, f);
    }

    /// Calls `f(i, zone)` for each point `i` and each zone containing it. Points go in
    /// batches whose cell words are all loaded first, so the memory loads overlap.
    #[inline]
    fn for_each_point(&self, points: &[Mercator], mut f: impl FnMut(usize, u32)) {
        const BATCH: usize = 64;
        let mut cells = [usize::MAX; BATCH];
        let mut words = [CELL_EMPTY; BATCH];
        for (bi, chunk) in points.chunks(BATCH).enumerate() {
            for (c, p) in cells.iter_mut().zip(chunk) {
                *c = self.cell_of(*p);
            }
            for (w, c) in words.iter_mut().zip(&cells) {
                *w = self.cells.get(*c).copied().unwrap_or(CELL_EMPTY);
            }
            for (k, ((p, c), w)) in chunk.iter().zip(&cells).zip(&words).enumerate() {
                if *w != CELL_EMPTY {
                    let i = bi * BATCH + k;
                    self.zones_in_cell(*p, *c, *w, |z| f(i, z));
                }
            }
        }
    }

    /// Calls `f` with each zone containing `p`, which is in cell `cell` whose word is `word`.
    #[inline]
    fn zones_in_cell(&self, p: Mercator, cell: usize, word: u32, mut f: impl FnMut(u32)) {
        if word == CELL_EMPTY || self.nx == 0 {
            return;
        }
        if word & CELL_FULL != 0 {
            f(word & !CELL_FULL);
            return;
        }
        let (ox, oy) = self.origin(cell % self.nx, cell / self.nx);
        let (px, py) = (p.x - ox, p.y - oy);
        let at = word as usize - 1;
        let Some(&n) = self.blocks.get(at) else {
            return;
        };
        let mut i = at + 1;
        let mut last = u32::MAX;
        for _ in 0..n {
            let (Some(&zone), Some(&w1)) = (self.blocks.get(i), self.blocks.get(i + 1)) else {
                return;
            };
            let count = (w1 & !REF_INSIDE) as usize;
            if count == 0 {
                i += 2;
                if zone != last {
                    last = zone;
                    f(zone);
                }
                continue;
            }
            let body = self.blocks.get(i + 2..i + 9 + 4 * count).unwrap_or(&[]);
            i += 9 + 4 * count;
            if zone != last && self.partial_contains(body, w1 & REF_INSIDE != 0, px, py, p) {
                last = zone;
                f(zone);
            }
        }
    }

    /// The partial-entry test on the compact form (see the module doc); defers to the exact
    /// form when `p` is within the rounding band of an edge's line.
    #[inline]
    fn partial_contains(
        &self,
        body: &[u32],
        ref_inside: bool,
        px: f64,
        py: f64,
        p: Mercator,
    ) -> bool {
        let [in_lo, in_hi, mix_lo, mix_hi, exact, rx, ry, rest @ ..] = body else {
            return false;
        };
        // The sub-cell first: wholly inside or outside needs no edge test.
        let sx = ((px * self.inv_sub) as usize).min(SUB - 1);
        let sy = ((py * self.inv_sub) as usize).min(SUB - 1);
        let bit = 1u64 << (sy * SUB + sx);
        let mixed = (u64::from(*mix_hi) << 32) | u64::from(*mix_lo);
        if mixed & bit == 0 {
            let ins = (u64::from(*in_hi) << 32) | u64::from(*in_lo);
            return ins & bit != 0;
        }
        let rx = f64::from(f32::from_bits(*rx));
        let ry = f64::from(f32::from_bits(*ry));
        let (dx, dy) = (px - rx, py - ry);
        let mut inside = ref_inside;
        for e in rest.chunks_exact(4) {
            let [ax, ay, bx, by] = e else { continue };
            let ax = f64::from(f32::from_bits(*ax));
            let ay = f64::from(f32::from_bits(*ay));
            let bx = f64::from(f32::from_bits(*bx));
            let by = f64::from(f32::from_bits(*by));
            let (ex, ey) = (bx - ax, by - ay);
            let o = ex * (py - ay) - ey * (px - ax);
            if o * o <= self.band2 * (ex * ex + ey * ey) {
                return self.exact_contains(*exact as usize, p);
            }
            // p right of the edge (the reference point is left of it) and a, b on different
            // sides of the line reference -> p (half-open): the edge crosses between them.
            // Branch-free: these signs are unpredictable.
            let sa = dx * (ay - ry) - dy * (ax - rx) > 0.0;
            let sb = dx * (by - ry) - dy * (bx - rx) > 0.0;
            inside ^= (o < 0.0) & (sa != sb);
        }
        inside
    }

    /// The partial-entry test on the exact form (f64 edges, not clipped).
    #[cold]
    #[inline(never)]
    fn exact_contains(&self, ix: usize, p: Mercator) -> bool {
        let Some(x) = self.exact.get(ix) else {
            return false;
        };
        let edges = self
            .exact_edges
            .get(x.start as usize..x.start as usize + x.count as usize)
            .unwrap_or(&[]);
        let (rx, ry) = (x.rx, x.ry);
        let (dx, dy) = (p.x - rx, p.y - ry);
        let mut inside = x.ref_inside;
        for g in edges {
            let (a, b) = (m(g.ax, g.ay), m(g.bx, g.by));
            if near_segment(p, a, b) {
                return true;
            }
            if (orient(a, b, p) > 0.0) != g.ref_left {
                let sa = dx * (g.ay - ry) - dy * (g.ax - rx) > 0.0;
                let sb = dx * (g.by - ry) - dy * (g.bx - rx) > 0.0;
                if sa != sb {
                    inside = !inside;
                }
            }
        }
        inside
    }
}

/// The part of segment `a`–`b` inside the closed rectangle (Liang–Barsky); an end inside
/// the rectangle is returned exactly.
fn clip(
    a: Mercator,
    b: Mercator,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
) -> Option<(Mercator, Mercator)> {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let mut t0: f64 = 0.0;
    let mut t1: f64 = 1.0;
    for (pk, qk) in [
        (-dx, a.x - x0),
        (dx, x1 - a.x),
        (-dy, a.y - y0),
        (dy, y1 - a.y),
    ] {
        if pk == 0.0 {
            if qk < 0.0 {
                return None;
            }
        } else {
            let t = qk / pk;
            if pk < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    let at = |t: f64| {
        if t <= 0.0 {
            a
        } else if t >= 1.0 {
            b
        } else {
            m(a.x + t * dx, a.y + t * dy)
        }
    };
    Some((at(t0), at(t1)))
}

/// `true` if the closed segment `a`–`b` meets the closed rectangle.
fn segment_meets_rect(a: Mercator, b: Mercator, x0: f64, y0: f64, x1: f64, y1: f64) -> bool {
    if a.x.max(b.x) < x0 || a.x.min(b.x) > x1 || a.y.max(b.y) < y0 || a.y.min(b.y) > y1 {
        return false;
    }
    let corners = [m(x0, y0), m(x1, y0), m(x1, y1), m(x0, y1)];
    let mut pos = false;
    let mut neg = false;
    for c in corners {
        let o = orient(a, b, c);
        pos |= o >= 0.0;
        neg |= o <= 0.0;
    }
    pos && neg
}
