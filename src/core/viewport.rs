//! The map view as a value.
//!
//! World coordinates are EPSG:3857 metres ([`Mercator`]); screen coordinates are
//! CSS px from the top-left corner of the map canvas (y down); device px are
//! CSS px times the device pixel ratio. Zoom convention: the world is
//! `256 * 2^zoom` CSS px wide.

use super::projection::{MAX_MERCATOR_M, ground_scale, to_lonlat, to_mercator};
use super::units::{LonLat, Mercator, Zoom};

/// Axis-aligned box in EPSG:3857 metres. "Empty" is the inverted-infinity box.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MercatorBounds {
    pub min_x: f64,
    pub min_y: f64,
    pub max_x: f64,
    pub max_y: f64,
}

impl Default for MercatorBounds {
    fn default() -> Self {
        Self::empty()
    }
}

impl MercatorBounds {
    /// The empty box (min = +inf, max = -inf); extending it with a point gives that point.
    pub fn empty() -> Self {
        MercatorBounds {
            min_x: f64::INFINITY,
            min_y: f64::INFINITY,
            max_x: f64::NEG_INFINITY,
            max_y: f64::NEG_INFINITY,
        }
    }

    /// Box from degrees WGS84 edges. `None` if any edge is invalid or `west > east` / `south > north`.
    pub fn from_lonlat(west: f64, south: f64, east: f64, north: f64) -> Option<Self> {
        let sw = LonLat::new(west, south)?;
        let ne = LonLat::new(east, north)?;
        if west > east || south > north {
            return None;
        }
        let a = to_mercator(sw);
        let b = to_mercator(ne);
        Some(MercatorBounds {
            min_x: a.x,
            min_y: a.y,
            max_x: b.x,
            max_y: b.y,
        })
    }

    /// Grow to include `m`. Non-finite points are ignored.
    pub fn extend(&mut self, m: Mercator) {
        if !(m.x.is_finite() && m.y.is_finite()) {
            return;
        }
        self.min_x = self.min_x.min(m.x);
        self.min_y = self.min_y.min(m.y);
        self.max_x = self.max_x.max(m.x);
        self.max_y = self.max_y.max(m.y);
    }

    /// Smallest box containing both.
    pub fn union(&self, o: &Self) -> Self {
        if self.is_empty() {
            return *o;
        }
        if o.is_empty() {
            return *self;
        }
        MercatorBounds {
            min_x: self.min_x.min(o.min_x),
            min_y: self.min_y.min(o.min_y),
            max_x: self.max_x.max(o.max_x),
            max_y: self.max_y.max(o.max_y),
        }
    }

    /// True if the box contains no point (inverted or NaN).
    pub fn is_empty(&self) -> bool {
        !(self.min_x <= self.max_x && self.min_y <= self.max_y)
    }

    /// Inclusive containment test.
    pub fn contains(&self, m: Mercator) -> bool {
        m.x >= self.min_x && m.x <= self.max_x && m.y >= self.min_y && m.y <= self.max_y
    }

    /// True if the boxes share at least one point (touching counts). Empty boxes never intersect.
    pub fn intersects(&self, o: &Self) -> bool {
        !self.is_empty()
            && !o.is_empty()
            && self.min_x <= o.max_x
            && o.min_x <= self.max_x
            && self.min_y <= o.max_y
            && o.min_y <= self.max_y
    }

    /// Centre point; the origin for an empty box.
    pub fn center(&self) -> Mercator {
        if self.is_empty() {
            return Mercator { x: 0.0, y: 0.0 };
        }
        Mercator {
            x: (self.min_x + self.max_x) / 2.0,
            y: (self.min_y + self.max_y) / 2.0,
        }
    }

    /// Width in EPSG:3857 metres (0 when empty).
    pub fn width(&self) -> f64 {
        if self.is_empty() {
            0.0
        } else {
            self.max_x - self.min_x
        }
    }

    /// Height in EPSG:3857 metres (0 when empty).
    pub fn height(&self) -> f64 {
        if self.is_empty() {
            0.0
        } else {
            self.max_y - self.min_y
        }
    }

    /// The box grown by `margin_m` EPSG:3857 metres on every side (empty stays empty;
    /// a non-finite or negative margin is treated as 0).
    pub fn expanded(&self, margin_m: f64) -> Self {
        if self.is_empty() {
            return *self;
        }
        let d = if margin_m.is_finite() && margin_m > 0.0 {
            margin_m
        } else {
            0.0
        };
        MercatorBounds {
            min_x: self.min_x - d,
            min_y: self.min_y - d,
            max_x: self.max_x + d,
            max_y: self.max_y + d,
        }
    }
}

/// The Channel region shown at start-up: lon -1.5..5.5, lat 49.4..52.5 (EPSG:3857 metres).
pub fn region_bounds() -> MercatorBounds {
    let a = to_mercator(LonLat {
        lon: -1.5,
        lat: 49.4,
    });
    let b = to_mercator(LonLat {
        lon: 5.5,
        lat: 52.5,
    });
    MercatorBounds {
        min_x: a.x,
        min_y: a.y,
        max_x: b.x,
        max_y: b.y,
    }
}

/// The easing of an animated fly ([`Viewport::fly_step`]): the fraction of the way covered at a
/// fraction `t` of the time (0..=1, clamped; NaN counts as 1), smoothstep `3t² − 2t³` (slow
/// start and end, no jerk at either).
pub fn ease(t: f64) -> f64 {
    let t = if t.is_nan() { 1.0 } else { t.clamp(0.0, 1.0) };
    t * t * (3.0 - 2.0 * t)
}

/// Affine map between two CSS-px screens: `new_css = scale * old_css + t`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScreenTransform {
    pub scale: f64,
    pub tx: f64,
    pub ty: f64,
}

impl ScreenTransform {
    /// Apply to a CSS-px point of the old screen.
    pub fn apply(&self, x_css: f64, y_css: f64) -> (f64, f64) {
        (self.scale * x_css + self.tx, self.scale * y_css + self.ty)
    }
}

/// What the map shows: centre (EPSG:3857 m), zoom, canvas size (CSS px) and device pixel ratio.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    center: Mercator,
    zoom: Zoom,
    width_css: f64,
    height_css: f64,
    dpr: f64,
}

fn sane_size(v: f64) -> f64 {
    if v.is_finite() && v >= 1.0 { v } else { 1.0 }
}

fn sane_dpr(v: f64) -> f64 {
    if v.is_finite() && v > 0.0 { v } else { 1.0 }
}

fn finite_or(v: f64, fallback: f64) -> f64 {
    if v.is_finite() { v } else { fallback }
}

/// Keep a centre inside the EPSG:3857 world square (x and y clamped to `±MAX_MERCATOR_M`;
/// non-finite components become 0).
fn sane_center(c: Mercator) -> Mercator {
    Mercator {
        x: finite_or(c.x, 0.0).clamp(-MAX_MERCATOR_M, MAX_MERCATOR_M),
        y: finite_or(c.y, 0.0).clamp(-MAX_MERCATOR_M, MAX_MERCATOR_M),
    }
}

/// EPSG:3857 metres per CSS px at a zoom level.
pub fn mercator_per_css_px_at(zoom: Zoom) -> f64 {
    2.0 * MAX_MERCATOR_M / (256.0 * zoom.get().exp2())
}

impl Viewport {
    /// Build a view. Sizes that are non-finite or < 1 become 1; a non-finite or
    /// non-positive dpr becomes 1; the centre is clamped into the world square.
    pub fn new(
        center: Mercator,
        zoom: Zoom,
        width_css: f64,
        height_css: f64,
        dpr: f64,
    ) -> Viewport {
        Viewport {
            center: sane_center(center),
            zoom,
            width_css: sane_size(width_css),
            height_css: sane_size(height_css),
            dpr: sane_dpr(dpr),
        }
    }

    pub fn center(&self) -> Mercator {
        self.center
    }
    pub fn zoom(&self) -> Zoom {
        self.zoom
    }
    pub fn width_css(&self) -> f64 {
        self.width_css
    }
    pub fn height_css(&self) -> f64 {
        self.height_css
    }
    pub fn dpr(&self) -> f64 {
        self.dpr
    }

    /// Canvas width in device px: `round(width_css * dpr)`, at least 1.
    pub fn width_px(&self) -> u32 {
        to_px(self.width_css * self.dpr)
    }

    /// Canvas height in device px: `round(height_css * dpr)`, at least 1.
    pub fn height_px(&self) -> u32 {
        to_px(self.height_css * self.dpr)
    }

    /// EPSG:3857 metres per CSS px.
    pub fn mercator_per_css_px(&self) -> f64 {
        mercator_per_css_px_at(self.zoom)
    }

    /// Ground metres per CSS px at the centre's latitude.
    pub fn ground_metres_per_css_px(&self) -> f64 {
        let lat = to_lonlat(self.center).lat;
        self.mercator_per_css_px() * ground_scale(lat)
    }

    /// World point to CSS px from the top-left.
    pub fn world_to_screen(&self, m: Mercator) -> (f64, f64) {
        let r = self.mercator_per_css_px();
        (
            (m.x - self.center.x) / r + self.width_css / 2.0,
            (self.center.y - m.y) / r + self.height_css / 2.0,
        )
    }

    /// CSS px from the top-left to world point.
    pub fn screen_to_world(&self, x_css: f64, y_css: f64) -> Mercator {
        let r = self.mercator_per_css_px();
        Mercator {
            x: self.center.x + (x_css - self.width_css / 2.0) * r,
            y: self.center.y - (y_css - self.height_css / 2.0) * r,
        }
    }

    /// Degrees WGS84 under a CSS-px position; `None` outside the EPSG:3857 world square.
    pub fn lonlat_at(&self, x_css: f64, y_css: f64) -> Option<LonLat> {
        let m = self.screen_to_world(x_css, y_css);
        if !(m.x.is_finite() && m.y.is_finite())
            || m.x.abs() > MAX_MERCATOR_M
            || m.y.abs() > MAX_MERCATOR_M
        {
            return None;
        }
        let ll = to_lonlat(m);
        LonLat::new(ll.lon, ll.lat)
    }

    /// Same centre and zoom, new canvas size / dpr.
    pub fn with_size(self, width_css: f64, height_css: f64, dpr: f64) -> Viewport {
        Viewport::new(self.center, self.zoom, width_css, height_css, dpr)
    }

    /// Same zoom and size, new centre (clamped into the world square).
    pub fn with_center(self, c: Mercator) -> Viewport {
        Viewport {
            center: sane_center(c),
            ..self
        }
    }

    /// Same centre/size, new zoom.
    pub fn with_zoom(self, zoom: Zoom) -> Viewport {
        Viewport { zoom, ..self }
    }

    /// Dragging by `(dx, dy)` CSS px moves the content by `(dx, dy)`. Non-finite deltas count as 0.
    pub fn panned_by(self, dx_css: f64, dy_css: f64) -> Viewport {
        let r = self.mercator_per_css_px();
        let dx = finite_or(dx_css, 0.0);
        let dy = finite_or(dy_css, 0.0);
        self.with_center(Mercator {
            x: self.center.x - dx * r,
            y: self.center.y + dy * r,
        })
    }

    /// Change zoom keeping the world point under the anchor (CSS px) under it.
    /// A non-finite anchor means the centre of the view.
    pub fn zoomed_at(self, zoom: Zoom, anchor_x_css: f64, anchor_y_css: f64) -> Viewport {
        let ax = finite_or(anchor_x_css, self.width_css / 2.0);
        let ay = finite_or(anchor_y_css, self.height_css / 2.0);
        let w = self.screen_to_world(ax, ay);
        let r = mercator_per_css_px_at(zoom);
        Viewport { zoom, ..self }.with_center(Mercator {
            x: w.x - (ax - self.width_css / 2.0) * r,
            y: w.y + (ay - self.height_css / 2.0) * r,
        })
    }

    /// `zoomed_at(zoom + delta)` with the result clamped into the zoom range. Non-finite delta: unchanged.
    pub fn zoomed_by(self, delta: f64, anchor_x_css: f64, anchor_y_css: f64) -> Viewport {
        if !delta.is_finite() {
            return self;
        }
        self.zoomed_at(
            Zoom::clamped(self.zoom.get() + delta),
            anchor_x_css,
            anchor_y_css,
        )
    }

    /// The largest (fractional) zoom at which `bounds` fits inside the canvas minus
    /// `padding_css` on every side, centred on the bounds. Empty bounds give the
    /// whole world at the minimum zoom; a single point gives the maximum zoom.
    pub fn fit(
        bounds: &MercatorBounds,
        width_css: f64,
        height_css: f64,
        dpr: f64,
        padding_css: f64,
    ) -> Viewport {
        let w = sane_size(width_css);
        let h = sane_size(height_css);
        if bounds.is_empty() {
            return Viewport::new(
                Mercator { x: 0.0, y: 0.0 },
                Zoom::clamped(Zoom::MIN),
                w,
                h,
                dpr,
            );
        }
        let pad = if padding_css.is_finite() && padding_css > 0.0 {
            padding_css
        } else {
            0.0
        };
        let avail_w = (w - 2.0 * pad).max(1.0);
        let avail_h = (h - 2.0 * pad).max(1.0);
        let res = (bounds.width() / avail_w).max(bounds.height() / avail_h);
        let zoom = if res > 0.0 && res.is_finite() {
            Zoom::clamped((2.0 * MAX_MERCATOR_M / (256.0 * res)).log2())
        } else {
            Zoom::clamped(Zoom::MAX)
        };
        Viewport::new(bounds.center(), zoom, w, h, dpr)
    }

    /// The world box covered by the canvas.
    pub fn visible_bounds(&self) -> MercatorBounds {
        let a = self.screen_to_world(0.0, self.height_css);
        let b = self.screen_to_world(self.width_css, 0.0);
        MercatorBounds {
            min_x: a.x,
            min_y: a.y,
            max_x: b.x,
            max_y: b.y,
        }
    }

    /// The view a fraction `t` of the time (0..=1, clamped; NaN counts as 1) from `self` to
    /// `to` on an animated fly: eased in and out ([`ease`]), zoom linear in levels, centre linear in
    /// EPSG:3857 metres; size and dpr are `self`'s. `t = 1` gives `to`'s centre and zoom.
    pub fn fly_step(&self, to: &Viewport, t: f64) -> Viewport {
        let e = ease(t);
        let lerp = |a: f64, b: f64| a + (b - a) * e;
        let center = Mercator {
            x: lerp(self.center.x, to.center.x),
            y: lerp(self.center.y, to.center.y),
        };
        let zoom = Zoom::clamped(lerp(self.zoom.get(), to.zoom.get()));
        self.with_center(center).with_zoom(zoom)
    }

    /// Transform that takes a bitmap rendered for `old` (in old CSS px) to where its
    /// content belongs in `self` (new CSS px).
    pub fn transform_from(&self, old: &Viewport) -> ScreenTransform {
        let r_new = self.mercator_per_css_px();
        let r_old = old.mercator_per_css_px();
        let scale = r_old / r_new;
        ScreenTransform {
            scale,
            tx: self.width_css / 2.0 - scale * old.width_css / 2.0
                + (old.center.x - self.center.x) / r_new,
            ty: self.height_css / 2.0 - scale * old.height_css / 2.0
                + (self.center.y - old.center.y) / r_new,
        }
    }
}

fn to_px(v: f64) -> u32 {
    let r = v.round();
    if r.is_finite() && r >= 1.0 {
        // `as` saturates for huge values, never panics.
        r.min(u32::MAX as f64) as u32
    } else {
        1
    }
}
