//! The tablet layout's geometry (issue 14 item 1), in CSS px of the map's view (origin
//! top-left, y down): the visible part of the map once the panels over it are taken out
//! ([`free_rect`]), the point a fly-to puts an incident at ([`Rect::centre`]), and a bottom
//! sheet's heights ([`SheetHeight`], [`SheetHeight::snap`] for a drag of its handle).
//!
//! Hand-written: the largest empty rectangle among a dozen panels is a few lines over the
//! candidate edges (O(n⁵) with n ≈ 10 boxes: a few ms at most, once per fly-to); no maintained crate offers
//! it for screen boxes, and geo's boolean operations would give the free region as polygons,
//! not the rectangle a view can be centred in.

/// An axis-aligned rectangle, CSS px: left, top, width, height (never negative).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    /// A rectangle from its left, top, width and height; `None` unless all are finite and
    /// the sizes are not negative.
    pub fn new(x: f64, y: f64, w: f64, h: f64) -> Option<Rect> {
        (x.is_finite() && y.is_finite() && w.is_finite() && h.is_finite() && w >= 0.0 && h >= 0.0)
            .then_some(Rect { x, y, w, h })
    }

    /// Its centre, CSS px.
    pub fn centre(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    /// Its area, CSS px².
    pub fn area(&self) -> f64 {
        self.w * self.h
    }

    fn right(&self) -> f64 {
        self.x + self.w
    }

    fn bottom(&self) -> f64 {
        self.y + self.h
    }

    /// Do the two overlap with a positive area (touching edges do not)?
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.right() && o.x < self.right() && self.y < o.bottom() && o.y < self.bottom()
    }

    /// The part of `self` inside `bounds` (`None` when they do not overlap).
    pub fn clipped_to(&self, bounds: &Rect) -> Option<Rect> {
        let x0 = self.x.max(bounds.x);
        let y0 = self.y.max(bounds.y);
        let x1 = self.right().min(bounds.right());
        let y1 = self.bottom().min(bounds.bottom());
        (x1 > x0 && y1 > y0).then_some(Rect {
            x: x0,
            y: y0,
            w: x1 - x0,
            h: y1 - y0,
        })
    }
}

/// The largest rectangle of `map` that no box of `covered` overlaps: the part of the map a
/// user sees round the panels. Boxes outside the map are ignored; when the panels cover
/// everything, an empty rectangle at the map's centre.
pub fn free_rect(map: Rect, covered: &[Rect]) -> Rect {
    let boxes: Vec<Rect> = covered.iter().filter_map(|b| b.clipped_to(&map)).collect();
    let mut xs: Vec<f64> = vec![map.x, map.right()];
    let mut ys: Vec<f64> = vec![map.y, map.bottom()];
    for b in &boxes {
        xs.extend([b.x, b.right()]);
        ys.extend([b.y, b.bottom()]);
    }
    let (cx, cy) = map.centre();
    let mut best = Rect {
        x: cx,
        y: cy,
        w: 0.0,
        h: 0.0,
    };
    // Every pair of candidate edges, in any order (no sort: a few dozen edges).
    for &x0 in &xs {
        for &x1 in xs.iter().filter(|&&x1| x1 > x0) {
            for &y0 in &ys {
                for &y1 in ys.iter().filter(|&&y1| y1 > y0) {
                    let r = Rect {
                        x: x0,
                        y: y0,
                        w: x1 - x0,
                        h: y1 - y0,
                    };
                    if r.area() > best.area() && !boxes.iter().any(|b| b.overlaps(&r)) {
                        best = r;
                    }
                }
            }
        }
    }
    best
}

/// How far a bottom sheet is pulled up (collapsed: only the tab bar shows).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SheetHeight {
    #[default]
    Collapsed,
    Half,
    Full,
}

/// The half sheet's height as a fraction of the space above the tab bar.
pub const HALF_FRACTION: f64 = 0.42;
/// The full sheet's height as a fraction of the space above the tab bar.
pub const FULL_FRACTION: f64 = 0.88;

impl SheetHeight {
    /// Wire key: "collapsed", "half", "full" (the sheet's `data-height`).
    pub fn key(self) -> &'static str {
        match self {
            SheetHeight::Collapsed => "collapsed",
            SheetHeight::Half => "half",
            SheetHeight::Full => "full",
        }
    }

    /// The fraction of the space above the tab bar the sheet takes.
    pub fn fraction(self) -> f64 {
        match self {
            SheetHeight::Collapsed => 0.0,
            SheetHeight::Half => HALF_FRACTION,
            SheetHeight::Full => FULL_FRACTION,
        }
    }

    /// A tap on the handle: half and full swap; a collapsed sheet opens half.
    pub fn toggled(self) -> SheetHeight {
        match self {
            SheetHeight::Half => SheetHeight::Full,
            SheetHeight::Collapsed | SheetHeight::Full => SheetHeight::Half,
        }
    }

    /// The height a drag of the handle ends at: the snap point nearest to `fraction` (the
    /// sheet's height over the space above the tab bar when the finger lifts); not finite is
    /// no change.
    pub fn snap(self, fraction: f64) -> SheetHeight {
        if !fraction.is_finite() {
            return self;
        }
        [SheetHeight::Collapsed, SheetHeight::Half, SheetHeight::Full]
            .into_iter()
            .min_by(|a, b| {
                (a.fraction() - fraction)
                    .abs()
                    .total_cmp(&(b.fraction() - fraction).abs())
            })
            .unwrap_or(self)
    }
}
