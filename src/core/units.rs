//! Validated unit newtypes.
//!
//! * [`LonLat`]: degrees WGS84 (longitude east, latitude north).
//! * [`Mercator`]: EPSG:3857 metres (x east, y north).
//! * [`Zoom`]: web-map zoom level; the whole world is `256 * 2^zoom` CSS px wide.
//! * [`Bearing`]: degrees clockwise from true north, normalised into `[0, 360)`.

/// A geographic position in degrees WGS84.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LonLat {
    /// Longitude in degrees, `-180..=180`.
    pub lon: f64,
    /// Latitude in degrees, `-90..=90`.
    pub lat: f64,
}

impl LonLat {
    /// Validating constructor: both finite, `lon` in `[-180, 180]`, `lat` in `[-90, 90]`.
    pub fn new(lon: f64, lat: f64) -> Option<LonLat> {
        if lon.is_finite()
            && lat.is_finite()
            && (-180.0..=180.0).contains(&lon)
            && (-90.0..=90.0).contains(&lat)
        {
            Some(LonLat { lon, lat })
        } else {
            None
        }
    }
}

/// A projected position in EPSG:3857 (spherical web-mercator) metres; y grows north.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mercator {
    /// Easting in EPSG:3857 metres.
    pub x: f64,
    /// Northing in EPSG:3857 metres.
    pub y: f64,
}

impl Mercator {
    /// Validating constructor: both coordinates finite.
    pub fn new(x: f64, y: f64) -> Option<Mercator> {
        if x.is_finite() && y.is_finite() {
            Some(Mercator { x, y })
        } else {
            None
        }
    }
}

/// geo-types coordinates of the model's shapes ([`Shape`](crate::model::Shape)) are EPSG:3857
/// metres too: these conversions only rename the fields.
impl From<geo::Coord<f64>> for Mercator {
    #[inline]
    fn from(c: geo::Coord<f64>) -> Mercator {
        Mercator { x: c.x, y: c.y }
    }
}

impl From<Mercator> for geo::Coord<f64> {
    #[inline]
    fn from(m: Mercator) -> geo::Coord<f64> {
        geo::Coord { x: m.x, y: m.y }
    }
}

impl From<Mercator> for geo::Point<f64> {
    #[inline]
    fn from(m: Mercator) -> geo::Point<f64> {
        geo::Point::new(m.x, m.y)
    }
}

impl From<geo::Point<f64>> for Mercator {
    #[inline]
    fn from(p: geo::Point<f64>) -> Mercator {
        p.0.into()
    }
}

/// Web-map zoom level in `[Zoom::MIN, Zoom::MAX]` (fractional zooms allowed).
///
/// Convention: the whole world is `256 * 2^zoom` CSS px wide.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct Zoom(f64);

impl Zoom {
    /// Smallest allowed zoom.
    pub const MIN: f64 = 2.0;
    /// Largest allowed zoom.
    pub const MAX: f64 = 20.0;

    /// `Some` if `z` is finite and within `[MIN, MAX]`.
    pub fn new(z: f64) -> Option<Zoom> {
        if z.is_finite() && (Self::MIN..=Self::MAX).contains(&z) {
            Some(Zoom(z))
        } else {
            None
        }
    }

    /// Clamp into `[MIN, MAX]`; NaN gives `MIN`, +inf gives `MAX`, -inf gives `MIN`.
    pub fn clamped(z: f64) -> Zoom {
        if z.is_nan() {
            Zoom(Self::MIN)
        } else {
            Zoom(z.clamp(Self::MIN, Self::MAX))
        }
    }

    /// The zoom level as a number.
    pub fn get(self) -> f64 {
        self.0
    }
}

/// A compass bearing in degrees clockwise from true north, always in `[0, 360)`.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct Bearing(f64);

impl Bearing {
    /// `Some` for any finite value, normalised into `[0, 360)` (e.g. `-90` becomes `270`).
    pub fn new(deg: f64) -> Option<Bearing> {
        if !deg.is_finite() {
            return None;
        }
        let mut d = deg.rem_euclid(360.0);
        // rem_euclid can round up to exactly 360 for tiny negative inputs.
        if !(0.0..360.0).contains(&d) {
            d = 0.0;
        }
        Some(Bearing(d))
    }

    /// The bearing in degrees, `[0, 360)`.
    pub fn degrees(self) -> f64 {
        self.0
    }
}
