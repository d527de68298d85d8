//! Projection of world geometry to device pixels for a given view.
//!
//! Input: EPSG:3857 metres ([`Mercator`]) and a [`Viewport`]. Output: device px
//! (CSS px times the device pixel ratio) from the canvas top-left, as `f32`
//! pairs ready for drawing. Margins for visibility tests are CSS px.

use super::units::Mercator;
use super::viewport::{MercatorBounds, Viewport};

/// One point in device px.
pub fn project_point(m: Mercator, view: &Viewport) -> [f32; 2] {
    let (x, y) = view.world_to_screen(m);
    let d = view.dpr();
    [(x * d) as f32, (y * d) as f32]
}

/// Append `points` projected to device px to `out`, dropping points closer than
/// `min_step_px` device px to the last kept one, but always keeping the first and
/// the last point (so a closed ring stays closed). Non-finite points are skipped;
/// a non-finite or negative `min_step_px` keeps every point.
pub fn project_path<P: Copy + Into<Mercator>>(
    points: &[P],
    view: &Viewport,
    min_step_px: f64,
    out: &mut Vec<[f32; 2]>,
) {
    let step = if min_step_px.is_finite() && min_step_px > 0.0 {
        min_step_px
    } else {
        0.0
    };
    let step2 = step * step;
    let (cx, cy) = (view.center().x, view.center().y);
    let r = view.mercator_per_css_px();
    let d = view.dpr();
    let (hw, hh) = (view.width_css() / 2.0, view.height_css() / 2.0);
    let mut last_kept: Option<(f64, f64)> = None;
    // The most recent finite point that was dropped (pushed at the end if it is the last one).
    let mut pending: Option<(f64, f64)> = None;
    for &m in points {
        let m: Mercator = m.into();
        let x = ((m.x - cx) / r + hw) * d;
        let y = ((cy - m.y) / r + hh) * d;
        if !(x.is_finite() && y.is_finite()) {
            continue;
        }
        let keep = match last_kept {
            None => true,
            Some((lx, ly)) => (x - lx).powi(2) + (y - ly).powi(2) >= step2,
        };
        if keep {
            out.push([x as f32, y as f32]);
            last_kept = Some((x, y));
            pending = None;
        } else {
            pending = Some((x, y));
        }
    }
    if let Some((x, y)) = pending {
        out.push([x as f32, y as f32]);
    }
}

/// True if `bounds`, grown by `margin_css` CSS px, overlaps the view.
pub fn is_visible(bounds: &MercatorBounds, view: &Viewport, margin_css: f64) -> bool {
    let margin_m = if margin_css.is_finite() && margin_css > 0.0 {
        margin_css * view.mercator_per_css_px()
    } else {
        0.0
    };
    bounds.expanded(margin_m).intersects(&view.visible_bounds())
}
