//! The wall's home view: framed on the activity, it fits where the open incidents are.
//!
//! Units: positions in EPSG:3857 metres, the screen (on a wall of several screens, the whole
//! virtual wall: [`WallLayout::virtual_size`](super::tiling::WallLayout::virtual_size)) and the
//! margin in CSS px, zoom as web-map levels. With no incident the home view is the Channel
//! region ([`region_bounds`]), fitted as at start-up.

use crate::units::{Mercator, Zoom};
use crate::viewport::{MercatorBounds, Viewport, region_bounds};

/// CSS px kept free round the region when there is nothing to fit (as at start-up).
pub const REGION_PADDING_CSS: f64 = 24.0;

/// How a set of incidents is framed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FitLimits {
    /// CSS px kept free on every side between the outermost incidents and the screen's edge.
    pub margin_css: f64,
    /// Never zoomed out further than this (a spread of incidents across the Channel).
    pub min_zoom: Zoom,
    /// Never zoomed in further than this (one incident, or a tight cluster, keeps its
    /// surroundings in view).
    pub max_zoom: Zoom,
}

impl Default for FitLimits {
    /// A 160 CSS px margin (room for the markers, their labels and the status bar), zoom 8
    /// (the Channel from Normandy to the Scheldt) to 15 (a quay).
    fn default() -> Self {
        FitLimits {
            margin_css: 160.0,
            min_zoom: Zoom::clamped(8.0),
            max_zoom: Zoom::clamped(15.0),
        }
    }
}

/// The view fitting `points` (non-finite ones ignored) on a `width_css × height_css` screen with
/// `limits.margin_css` free on every side, its zoom clamped into `limits`' range (a `min_zoom`
/// above `max_zoom` gives `max_zoom`); the region view when there is no point.
pub fn fit_incidents(
    points: impl IntoIterator<Item = Mercator>,
    width_css: f64,
    height_css: f64,
    dpr: f64,
    limits: &FitLimits,
) -> Viewport {
    let mut bounds = MercatorBounds::empty();
    for p in points {
        bounds.extend(p);
    }
    if bounds.is_empty() {
        return region_view(width_css, height_css, dpr);
    }
    let fit = Viewport::fit(&bounds, width_css, height_css, dpr, limits.margin_css);
    let (lo, hi) = (limits.min_zoom.get(), limits.max_zoom.get());
    let zoom = fit.zoom().get().max(lo).min(hi);
    fit.with_zoom(Zoom::clamped(zoom))
}

/// The Channel region fitted to the screen, as at start-up.
pub fn region_view(width_css: f64, height_css: f64, dpr: f64) -> Viewport {
    Viewport::fit(
        &region_bounds(),
        width_css,
        height_css,
        dpr,
        REGION_PADDING_CSS,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::projection::to_mercator;
    use crate::units::LonLat;

    fn at(lon: f64, lat: f64) -> Mercator {
        to_mercator(LonLat { lon, lat })
    }

    #[test]
    fn calais_incidents_fill_a_4k_wall() {
        // Calais port, the Eurotunnel terminal at Coquelles, the beach at Sangatte, Marck.
        let points = [
            at(1.8650, 50.9660),
            at(1.8100, 50.9290),
            at(1.7530, 50.9470),
            at(1.9500, 50.9500),
        ];
        let v = fit_incidents(points, 3840.0, 2160.0, 1.0, &FitLimits::default());
        for p in points {
            let (x, y) = v.world_to_screen(p);
            assert!((160.0 - 1e-6..=3680.0 + 1e-6).contains(&x), "{x}");
            assert!((160.0 - 1e-6..=2000.0 + 1e-6).contains(&y), "{y}");
        }
        // The widest spread (west-east) touches the margins: framed, not floating.
        let xs: Vec<f64> = points.iter().map(|p| v.world_to_screen(*p).0).collect();
        let min = xs.iter().copied().fold(f64::INFINITY, f64::min);
        let max = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        assert!(
            (min - 160.0).abs() < 1e-6 && (max - 3680.0).abs() < 1e-6,
            "{min} {max}"
        );
        assert!(
            v.zoom().get() > 12.0 && v.zoom().get() <= 15.0,
            "{:?}",
            v.zoom()
        );
    }

    #[test]
    fn one_incident_is_not_zoomed_to_the_street_and_none_is_the_region() {
        let one = fit_incidents(
            [at(1.8650, 50.9660)],
            3840.0,
            2160.0,
            1.0,
            &FitLimits::default(),
        );
        assert_eq!(one.zoom().get(), 15.0);
        let none = fit_incidents([], 3840.0, 2160.0, 2.0, &FitLimits::default());
        assert_eq!(none, region_view(3840.0, 2160.0, 2.0));
        assert!(none.visible_bounds().contains(at(1.8650, 50.9660)));
        let nan = fit_incidents(
            [Mercator {
                x: f64::NAN,
                y: 0.0,
            }],
            3840.0,
            2160.0,
            1.0,
            &FitLimits::default(),
        );
        assert_eq!(nan, region_view(3840.0, 2160.0, 1.0));
    }
}
