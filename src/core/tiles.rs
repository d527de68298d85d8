//! XYZ raster tiles (the optional tile layer of the centre's own tile server): which tiles
//! cover a view, where each one goes on screen, and its URL.
//!
//! Units: tile indices in the standard XYZ scheme (EPSG:3857, origin top-left, 2^z tiles a
//! side); screen rectangles in CSS px from the canvas top-left. No wrapping across the
//! antimeridian: the region is far from it.

use crate::projection::MAX_MERCATOR_M;
use crate::units::Mercator;
use crate::viewport::Viewport;

/// One tile of the XYZ pyramid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileId {
    pub z: u8,
    pub x: u32,
    pub y: u32,
}

/// A tile and where to draw it: `[x, y, width, height]` in CSS px.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlacedTile {
    pub id: TileId,
    pub rect_css: [f64; 4],
}

/// At most this many tiles for one view (a 4K wall at a fractional zoom needs about 200).
pub const MAX_TILES: usize = 400;

/// The tile zoom for a view: the nearest integer level, within `0..=max_zoom`.
pub fn tile_zoom(view: &Viewport, max_zoom: u8) -> u8 {
    let z = view.zoom().get().round();
    if z.is_finite() {
        z.clamp(0.0, f64::from(max_zoom)) as u8
    } else {
        0
    }
}

/// The tiles of level `z` that cover `view`, centre first, each with its screen rectangle.
pub fn visible_tiles(view: &Viewport, z: u8) -> Vec<PlacedTile> {
    let z = z.min(30);
    let n = 1u64 << z;
    let world = 2.0 * MAX_MERCATOR_M;
    let size = world / n as f64;
    let b = view.visible_bounds();
    let col = |x: f64| ((x + MAX_MERCATOR_M) / size).floor();
    let row = |y: f64| ((MAX_MERCATOR_M - y) / size).floor();
    let clamp = |v: f64| -> u64 {
        if v.is_finite() {
            v.clamp(0.0, (n - 1) as f64) as u64
        } else {
            0
        }
    };
    let (x0, x1) = (clamp(col(b.min_x)), clamp(col(b.max_x)));
    let (y0, y1) = (clamp(row(b.max_y)), clamp(row(b.min_y)));
    let mut out = Vec::new();
    for y in y0..=y1 {
        for x in x0..=x1 {
            let left = -MAX_MERCATOR_M + x as f64 * size;
            let top = MAX_MERCATOR_M - y as f64 * size;
            let (sx0, sy0) = view.world_to_screen(Mercator { x: left, y: top });
            let (sx1, sy1) = view.world_to_screen(Mercator {
                x: left + size,
                y: top - size,
            });
            out.push(PlacedTile {
                id: TileId {
                    z,
                    x: x as u32,
                    y: y as u32,
                },
                rect_css: [sx0, sy0, sx1 - sx0, sy1 - sy0],
            });
        }
    }
    // Centre tiles first (they load first), and never more than MAX_TILES.
    let (cx, cy) = (view.width_css() / 2.0, view.height_css() / 2.0);
    let d2 = |t: &PlacedTile| {
        let [x, y, w, h] = t.rect_css;
        (x + w / 2.0 - cx).powi(2) + (y + h / 2.0 - cy).powi(2)
    };
    crate::compact_sort::sort_by(&mut out, |a, b| d2(a).total_cmp(&d2(b)));
    out.truncate(MAX_TILES);
    out
}

/// The URL of a tile: `{z}`, `{x}` and `{y}` replaced in the template.
pub fn tile_url(template: &str, id: TileId) -> String {
    template
        .replace("{z}", &id.z.to_string())
        .replace("{x}", &id.x.to_string())
        .replace("{y}", &id.y.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::projection::to_mercator;
    use crate::units::{LonLat, Zoom};

    fn view_at(lon: f64, lat: f64, zoom: f64, w: f64, h: f64) -> Viewport {
        let c = to_mercator(LonLat::new(lon, lat).unwrap());
        Viewport::new(c, Zoom::new(zoom).unwrap(), w, h, 1.0)
    }

    #[test]
    fn calais_at_zoom_12_is_in_the_known_tile() {
        // Slippy-map formula: x = floor((lon + 180) / 360 * 2^z), y from the Mercator latitude.
        // Port of Calais (1.8650 E, 50.9660 N) at z 12 is tile 2069 / 1371 (computed independently
        // with the formula in python).
        let v = view_at(1.865, 50.966, 12.0, 256.0, 256.0);
        let tiles = visible_tiles(&v, 12);
        assert_eq!(
            tiles[0].id,
            TileId {
                z: 12,
                x: 2069,
                y: 1371
            }
        );
        // At the matching integer zoom a tile is 256 CSS px wide.
        for t in &tiles {
            assert!((t.rect_css[2] - 256.0).abs() < 1e-6);
            assert!((t.rect_css[3] - 256.0).abs() < 1e-6);
        }
    }

    /// The tiles a view asks for are capped (issue 15, item 6): a screen far larger than any
    /// wall asks for at most [`MAX_TILES`], the centre ones.
    #[test]
    fn a_huge_view_asks_for_at_most_max_tiles() {
        let v = view_at(1.8, 50.95, 12.0, 60_000.0, 40_000.0);
        let tiles = visible_tiles(&v, tile_zoom(&v, 19));
        assert_eq!(tiles.len(), MAX_TILES);
    }

    #[test]
    fn tiles_cover_the_screen_without_gaps() {
        let v = view_at(1.8, 50.95, 10.4, 1920.0, 1080.0);
        let tiles = visible_tiles(&v, tile_zoom(&v, 19));
        assert_eq!(tiles[0].id.z, 10);
        // Every screen corner and the centre lie inside some tile.
        for (x, y) in [
            (0.0, 0.0),
            (1919.9, 0.0),
            (0.0, 1079.9),
            (1919.9, 1079.9),
            (960.0, 540.0),
        ] {
            assert!(
                tiles.iter().any(|t| {
                    let [tx, ty, tw, th] = t.rect_css;
                    x >= tx && x < tx + tw && y >= ty && y < ty + th
                }),
                "({x}, {y}) not covered"
            );
        }
        // The centre tile comes first.
        let [x, y, w, h] = tiles[0].rect_css;
        assert!(960.0 >= x && 960.0 <= x + w && 540.0 >= y && 540.0 <= y + h);
    }

    #[test]
    fn zoom_is_clamped_and_counts_are_bounded() {
        let v = view_at(1.8, 50.95, 18.6, 3840.0, 2160.0);
        assert_eq!(tile_zoom(&v, 16), 16);
        let tiles = visible_tiles(&v, 16);
        assert!(tiles.len() <= MAX_TILES);
        // Zoomed out to the whole world: the pyramid's edges clamp the ranges.
        let world = view_at(0.0, 0.0, 2.0, 3840.0, 2160.0);
        let t = visible_tiles(&world, 2);
        assert!(t.len() <= 16);
        assert!(t.iter().all(|t| t.id.x < 4 && t.id.y < 4));
    }

    #[test]
    fn url_template_placeholders() {
        let id = TileId {
            z: 12,
            x: 2069,
            y: 1372,
        };
        assert_eq!(
            tile_url("/tiles/{z}/{x}/{y}.png?v=1", id),
            "/tiles/12/2069/1372.png?v=1"
        );
    }
}
