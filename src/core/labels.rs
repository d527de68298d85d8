//! Label collision avoidance in screen space.
//!
//! All coordinates and sizes are CSS px from the canvas top-left (y down).

/// The zoom from which the ids that incident texts name are labelled on the map: camera ids
/// (`cam-T-16`) and fence sectors (the `sector` property, `T-11`), for officers on foot
/// (issue 14 item 8). Below it they would crowd out the place names.
pub const ID_LABELS_FROM_ZOOM: f64 = 15.0;
/// The fences layer's property holding a fence's sector id.
pub const SECTOR_PROPERTY: &str = "sector";

/// A label to place. Its box is `[x, y - height/2, x + width, y + height/2]`
/// (anchored at its left edge, vertically centred on `y`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LabelCandidate {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub priority: i32,
}

#[derive(Clone, Copy)]
struct Rect {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl LabelCandidate {
    /// The label's box `(x0, y0, x1, y1)` in CSS px; `None` for a non-finite or negative size
    /// or position.
    pub fn css_box(&self) -> Option<(f64, f64, f64, f64)> {
        let ok = [self.x, self.y, self.width, self.height]
            .iter()
            .all(|v| v.is_finite())
            && self.width >= 0.0
            && self.height >= 0.0;
        ok.then(|| {
            (
                self.x,
                self.y - self.height / 2.0,
                self.x + self.width,
                self.y + self.height / 2.0,
            )
        })
    }

    fn rect(&self) -> Option<Rect> {
        self.css_box()
            .map(|(x0, y0, x1, y1)| Rect { x0, y0, x1, y1 })
    }
}

/// Uniform grid over the screen holding indices of placed rectangles.
struct Grid {
    cell: f64,
    cols: usize,
    rows: usize,
    cells: Vec<Vec<usize>>,
}

/// Upper bound on grid cells, so absurd screen sizes cannot allocate without bound.
const MAX_CELLS: f64 = 65_536.0;

impl Grid {
    fn new(w: f64, h: f64, cell_hint: f64) -> Grid {
        let mut cell = if cell_hint.is_finite() && cell_hint >= 8.0 {
            cell_hint
        } else {
            64.0
        };
        // Grow the cell until the grid is small enough.
        while (w / cell).ceil() * (h / cell).ceil() > MAX_CELLS {
            cell *= 2.0;
        }
        let cols = ((w / cell).ceil() as usize).max(1);
        let rows = ((h / cell).ceil() as usize).max(1);
        Grid {
            cell,
            cols,
            rows,
            cells: vec![Vec::new(); cols * rows],
        }
    }

    /// Inclusive cell ranges covered by `r` (clamped to the grid).
    fn span(&self, r: &Rect) -> (usize, usize, usize, usize) {
        let idx = |v: f64, n: usize| -> usize {
            let c = (v / self.cell).floor();
            if c <= 0.0 { 0 } else { (c as usize).min(n - 1) }
        };
        (
            idx(r.x0, self.cols),
            idx(r.x1, self.cols),
            idx(r.y0, self.rows),
            idx(r.y1, self.rows),
        )
    }

    fn cell_ids(&self, r: &Rect) -> impl Iterator<Item = usize> + '_ {
        let (c0, c1, r0, r1) = self.span(r);
        let cols = self.cols;
        (r0..=r1).flat_map(move |row| (c0..=c1).map(move |col| row * cols + col))
    }
}

fn overlaps(a: &Rect, b: &Rect, pad: f64) -> bool {
    a.x0 - pad < b.x1 && b.x0 < a.x1 + pad && a.y0 - pad < b.y1 && b.y0 < a.y1 + pad
}

/// Greedy label placement.
///
/// Candidates are considered by descending `priority`, ties in input order. A
/// label is placed if its box lies fully inside `[0, view_w_css] x [0, view_h_css]`
/// and does not come within `padding_css` of any already placed label. Returns
/// one flag per candidate, in input order. Uses a uniform grid, so the cost is
/// about `O(n log n)` for typical label sizes.
pub fn place_labels(
    cands: &[LabelCandidate],
    view_w_css: f64,
    view_h_css: f64,
    padding_css: f64,
) -> Vec<bool> {
    let groups: Vec<&[LabelCandidate]> = cands.iter().map(std::slice::from_ref).collect();
    place_label_groups(&groups, view_w_css, view_h_css, padding_css)
        .into_iter()
        .map(|g| g.is_some())
        .collect()
}

/// Greedy placement of labels that each have alternative positions (e.g. right, left, above,
/// below their anchor). Groups are considered by descending priority of their first candidate,
/// ties in input order; within a group the first candidate that fits is placed. Returns, per
/// group, the index of the placed alternative.
pub fn place_label_groups(
    groups: &[&[LabelCandidate]],
    view_w_css: f64,
    view_h_css: f64,
    padding_css: f64,
) -> Vec<Option<usize>> {
    let mut placed = vec![None; groups.len()];
    if !(view_w_css.is_finite() && view_h_css.is_finite() && view_w_css > 0.0 && view_h_css > 0.0) {
        return placed;
    }
    let pad = if padding_css.is_finite() && padding_css > 0.0 {
        padding_css
    } else {
        0.0
    };

    let rects: Vec<Vec<Option<Rect>>> = groups
        .iter()
        .map(|g| g.iter().map(LabelCandidate::rect).collect())
        .collect();
    let mut order: Vec<usize> = (0..groups.len()).collect();
    // Stable: equal priorities keep input order.
    crate::compact_sort::sort_by_key(&mut order, |&i| {
        std::cmp::Reverse(
            groups
                .get(i)
                .and_then(|g| g.first())
                .map_or(i32::MIN, |c| c.priority),
        )
    });

    // Cell size about the typical label size (plus padding).
    let mean_w = {
        let (sum, n) = rects
            .iter()
            .flatten()
            .flatten()
            .fold((0.0, 0usize), |(s, n), r| (s + (r.x1 - r.x0), n + 1));
        if n > 0 { sum / n as f64 + pad } else { 64.0 }
    };
    let mut grid = Grid::new(view_w_css, view_h_css, mean_w);
    let mut placed_rects: Vec<Rect> = Vec::new();

    for i in order {
        let Some(alternatives) = rects.get(i) else {
            continue;
        };
        for (alt, r) in alternatives.iter().enumerate() {
            let Some(r) = r else { continue };
            let on_screen = r.x0 >= 0.0 && r.y0 >= 0.0 && r.x1 <= view_w_css && r.y1 <= view_h_css;
            if !on_screen {
                continue;
            }
            let padded = Rect {
                x0: r.x0 - pad,
                y0: r.y0 - pad,
                x1: r.x1 + pad,
                y1: r.y1 + pad,
            };
            let collides = grid.cell_ids(&padded).any(|c| {
                grid.cells.get(c).is_some_and(|ids| {
                    ids.iter()
                        .any(|&k| placed_rects.get(k).is_some_and(|o| overlaps(r, o, pad)))
                })
            });
            if collides {
                continue;
            }
            let k = placed_rects.len();
            placed_rects.push(*r);
            let ids: Vec<usize> = grid.cell_ids(r).collect();
            for c in ids {
                if let Some(cell) = grid.cells.get_mut(c) {
                    cell.push(k);
                }
            }
            if let Some(slot) = placed.get_mut(i) {
                *slot = Some(alt);
            }
            break;
        }
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The placement grid is capped (issue 15, item 6): an absurd screen (or a tiny cell hint)
    /// grows the cell until the grid has at most [`MAX_CELLS`] cells.
    #[test]
    fn the_label_grid_never_passes_its_cell_cap() {
        for (w, h, hint) in [
            (1e9, 1e9, 8.0),
            (3840.0 * 16.0, 2160.0 * 16.0, 8.0),
            (1920.0, 1080.0, f64::NAN),
            (1.0, 1.0, 64.0),
        ] {
            let g = Grid::new(w, h, hint);
            assert!(
                (g.cols * g.rows) as f64 <= MAX_CELLS,
                "{} x {} cells for {w} x {h}",
                g.cols,
                g.rows
            );
            assert_eq!(g.cells.len(), g.cols * g.rows);
        }
    }
}
