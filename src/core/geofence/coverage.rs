//! Camera coverage: which cameras see a point, and which stretches of fence no camera sees.
//!
//! Cameras: position in degrees WGS84, bearing in degrees clockwise from north, field of view
//! in degrees, range in **ground metres**. The sector test is exact on the one Earth model
//! ([`earth`](crate::earth): geodesics on WGS84), as [`fov_sector`](crate::camera::fov_sector)
//! draws it: the point's geodesic distance from the camera must be at most the range and the
//! geodesic's initial bearing within half the field of view of the camera's bearing. A local
//! plane of the same ellipsoid ([`metres_per_radian`]) first rejects points clearly out of
//! range without a geodesic.
//! **Edges are inclusive**: a point exactly at the range, exactly on a side ray, or at the
//! camera itself is covered (within 1 mm / 1e-9 degrees of rounding). A field of view of 360
//! degrees or more is a full disc.
//!
//! Coverage gaps: each fence line and polygon ring (fences layer, EPSG:3857 metres) is sampled
//! at most `spacing_m` ground metres apart; where consecutive samples differ, the change is
//! located by bisection to about 1/1000 of the spacing. The uncovered stretches are returned
//! as polylines in **EPSG:3857 metres** (what the map draws) with their length in ground
//! metres (geodesic, WGS84). A gap or a covered stretch shorter than the
//! spacing that falls between two samples can be missed, so lengths are right to within one
//! spacing per change.

use crate::earth::{distance_m, initial_bearing, metres_per_radian};
use crate::model::{Camera, FeatureKind, LayerData, Shape};
use crate::projection::{to_lonlat, to_mercator};
use crate::units::{Bearing, LonLat, Mercator};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

/// `true` if `p` is inside the sector of a camera at `position` looking along `bearing` with
/// `fov_deg` degrees field of view and `range_m` ground metres range (edges inclusive).
/// `false` if `fov_deg` or `range_m` is not finite and positive.
pub fn sector_contains(
    position: LonLat,
    bearing: Bearing,
    fov_deg: f64,
    range_m: f64,
    p: LonLat,
) -> bool {
    if !(fov_deg.is_finite() && fov_deg > 0.0 && range_m.is_finite() && range_m > 0.0) {
        return false;
    }
    if !(p.lon.is_finite() && p.lat.is_finite()) {
        return false;
    }
    // Most points are decided in the local plane of the same ellipsoid, without a geodesic:
    // its distance is within 0.05 % of the geodesic's and its bearing within half the meridian
    // convergence (Δλ·sin φ / 2) of the geodesic's initial bearing. Only points within those
    // bands of the range or of a side ray (or within 1 cm of the camera) take the geodesic.
    let (m_lat, m_lon) = metres_per_radian((position.lat + p.lat) / 2.0);
    let mut dlon = (p.lon - position.lon).to_radians();
    if dlon.abs() > std::f64::consts::PI {
        dlon -= dlon.signum() * 2.0 * std::f64::consts::PI;
    }
    let (east, north) = (m_lon * dlon, m_lat * (p.lat - position.lat).to_radians());
    let approx = east.hypot(north);
    let slack = 1e-3 * range_m + 0.01;
    if approx > range_m + slack {
        return false;
    }
    if approx < range_m - slack && approx > 0.01 {
        if fov_deg >= 360.0 {
            return true;
        }
        let band = dlon.abs().to_degrees() + 1e-6;
        let half = fov_deg / 2.0;
        let diff = off_bearing(east.atan2(north).to_degrees(), bearing);
        if diff < half - band {
            return true;
        }
        if diff > half + band {
            return false;
        }
    }
    let d = distance_m(position, p);
    if d.is_nan() || d > range_m + 1e-3 {
        return false;
    }
    if fov_deg >= 360.0 || d <= 1e-3 {
        return true;
    }
    let Some(brg) = initial_bearing(position, p) else {
        return true;
    };
    off_bearing(brg.degrees(), bearing) <= fov_deg / 2.0 + 1e-9
}

/// Angle in degrees (0..=180) between bearing `deg` and `bearing`.
fn off_bearing(deg: f64, bearing: Bearing) -> f64 {
    let diff = (deg - bearing.degrees()).rem_euclid(360.0);
    diff.min(360.0 - diff)
}

/// One stretch of fence no camera sees.
#[derive(Clone, Debug, PartialEq)]
pub struct Gap {
    /// Id of the fence feature.
    pub fence_id: String,
    /// Index in the fences layer's `features`.
    pub fence: usize,
    /// The stretch, EPSG:3857 metres, in the fence's direction.
    pub path: Vec<Mercator>,
    /// Ground metres.
    pub length_m: f64,
}

/// The result of [`CameraCoverage::gaps`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CoverageGaps {
    pub gaps: Vec<Gap>,
    /// Total ground metres of fence not covered.
    pub uncovered_m: f64,
    /// Total ground metres of fence examined.
    pub fence_m: f64,
    /// The sample spacing used, ground metres.
    pub spacing_m: f64,
}

#[derive(Clone, Debug)]
struct Cam {
    id: String,
    position: LonLat,
    bearing: Bearing,
    fov_deg: f64,
    range_m: f64,
}

type CamBox = GeomWithData<Rectangle<[f64; 2]>, u32>;

/// Cameras indexed by the EPSG:3857 box of their range disc.
#[derive(Clone, Debug)]
pub struct CameraCoverage {
    cams: Vec<Cam>,
    tree: RTree<CamBox>,
}

/// Smallest spacing accepted by [`CameraCoverage::gaps`], ground metres.
pub const MIN_SPACING_M: f64 = 0.1;
/// Most samples [`CameraCoverage::gaps`] takes on one segment (the spacing grows beyond).
pub const MAX_SAMPLES_PER_SEGMENT: f64 = 100_000.0;

impl CameraCoverage {
    /// The cameras of a cameras layer (features of kind camera; others are ignored).
    pub fn new(cameras: &LayerData) -> CameraCoverage {
        CameraCoverage::from_cameras(cameras.features.iter().filter_map(|f| match &f.kind {
            FeatureKind::Camera(c) => Some((f.id.clone(), c.clone())),
            _ => None,
        }))
    }

    /// Cameras given as (id, camera). Cameras with a non-positive or non-finite fov or
    /// range are kept but never cover anything.
    pub fn from_cameras(cams: impl IntoIterator<Item = (String, Camera)>) -> CameraCoverage {
        let mut list = Vec::new();
        let mut boxes = Vec::new();
        for (id, c) in cams {
            let Ok(i) = u32::try_from(list.len()) else {
                break;
            };
            let m = to_mercator(c.position);
            let scale = c.position.lat.to_radians().cos();
            if c.range_m.is_finite() && c.range_m > 0.0 && scale > 1e-6 {
                // Range in EPSG:3857 metres, with margin for the latitude change across it.
                let r = c.range_m / scale * 1.01 + 1.0;
                boxes.push(GeomWithData::new(
                    Rectangle::from_corners([m.x - r, m.y - r], [m.x + r, m.y + r]),
                    i,
                ));
            }
            list.push(Cam {
                id,
                position: c.position,
                bearing: c.bearing,
                fov_deg: c.fov_deg,
                range_m: c.range_m,
            });
        }
        CameraCoverage {
            cams: list,
            tree: RTree::bulk_load(boxes),
        }
    }

    /// Number of cameras.
    pub fn len(&self) -> usize {
        self.cams.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cams.is_empty()
    }

    /// Id of camera `i`.
    pub fn camera_id(&self, i: usize) -> Option<&str> {
        self.cams.get(i).map(|c| c.id.as_str())
    }

    /// `true` if camera `i` sees `p` (EPSG:3857 metres).
    pub fn covers(&self, i: usize, p: Mercator) -> bool {
        self.cams.get(i).is_some_and(|c| {
            sector_contains(c.position, c.bearing, c.fov_deg, c.range_m, to_lonlat(p))
        })
    }

    /// Indices of the cameras whose sector contains `p` (EPSG:3857 metres), ascending.
    pub fn covering(&self, p: Mercator) -> Vec<usize> {
        let mut out: Vec<usize> = self.candidates(p).filter(|&i| self.covers(i, p)).collect();
        out.sort_unstable();
        out
    }

    /// `true` if any camera sees `p`.
    pub fn is_covered(&self, p: Mercator) -> bool {
        if !(p.x.is_finite() && p.y.is_finite()) {
            return false;
        }
        let ll = to_lonlat(p);
        self.candidates(p).any(|i| {
            self.cams
                .get(i)
                .is_some_and(|c| sector_contains(c.position, c.bearing, c.fov_deg, c.range_m, ll))
        })
    }

    fn candidates(&self, p: Mercator) -> impl Iterator<Item = usize> + '_ {
        let ok = p.x.is_finite() && p.y.is_finite();
        let env = if ok {
            AABB::from_point([p.x, p.y])
        } else {
            AABB::from_point([0.0, 0.0])
        };
        self.tree
            .locate_in_envelope_intersecting(&env)
            .filter(move |_| ok)
            .map(|b| b.data as usize)
    }

    /// The stretches of the fences layer's lines and polygon rings that no camera covers,
    /// sampled every `spacing_m` ground metres at most (clamped to at least
    /// [`MIN_SPACING_M`]; see the module doc).
    pub fn gaps(&self, fences: &LayerData, spacing_m: f64) -> CoverageGaps {
        let spacing = if spacing_m.is_finite() {
            spacing_m.max(MIN_SPACING_M)
        } else {
            10.0
        };
        let mut out = CoverageGaps {
            spacing_m: spacing,
            ..CoverageGaps::default()
        };
        for (fi, f) in fences.features.iter().enumerate() {
            if !matches!(f.kind, FeatureKind::Fence(_)) {
                continue;
            }
            for l in f.shapes.iter().flat_map(Shape::paths) {
                let line: Vec<Mercator> = l.coords().map(|c| (*c).into()).collect();
                self.line_gaps(&line, spacing, &f.id, fi, &mut out);
            }
        }
        out
    }

    /// Gaps of one polyline, appended to `out`.
    fn line_gaps(
        &self,
        line: &[Mercator],
        spacing: f64,
        id: &str,
        fi: usize,
        out: &mut CoverageGaps,
    ) {
        let lerp = |a: Mercator, b: Mercator, t: f64| Mercator {
            x: a.x + t * (b.x - a.x),
            y: a.y + t * (b.y - a.y),
        };
        let mut gaps: Vec<Gap> = Vec::new();
        let mut open: Option<Gap> = None;
        for w in line.windows(2) {
            let [a, b] = w else { continue };
            let (a, b) = (*a, *b);
            let len = distance_m(to_lonlat(a), to_lonlat(b));
            if !len.is_finite() || len <= 0.0 {
                continue;
            }
            out.fence_m += len;
            let n = (len / spacing).ceil().clamp(1.0, MAX_SAMPLES_PER_SEGMENT) as usize;
            let mut t_prev = 0.0;
            let mut c_prev = self.is_covered(a);
            if !c_prev && open.is_none() {
                open = Some(Gap {
                    fence_id: id.to_string(),
                    fence: fi,
                    path: vec![a],
                    length_m: 0.0,
                });
            }
            let mut t_open = if c_prev { None } else { Some(0.0) };
            for k in 1..=n {
                let t = k as f64 / n as f64;
                let c = self.is_covered(lerp(a, b, t));
                if c != c_prev {
                    // Bisect the change between t_prev and t.
                    let (mut lo, mut hi) = (t_prev, t);
                    let tol = (spacing / 1000.0 / len).max(1e-12);
                    while hi - lo > tol {
                        let mid = (lo + hi) / 2.0;
                        if self.is_covered(lerp(a, b, mid)) == c_prev {
                            lo = mid;
                        } else {
                            hi = mid;
                        }
                    }
                    let tc = (lo + hi) / 2.0;
                    if c_prev {
                        // Covered -> uncovered: a gap starts.
                        open = Some(Gap {
                            fence_id: id.to_string(),
                            fence: fi,
                            path: vec![lerp(a, b, tc)],
                            length_m: 0.0,
                        });
                        t_open = Some(tc);
                    } else if let Some(mut g) = open.take() {
                        // Uncovered -> covered: the gap ends.
                        g.path.push(lerp(a, b, tc));
                        g.length_m += (tc - t_open.unwrap_or(0.0)) * len;
                        gaps.push(g);
                        t_open = None;
                    }
                }
                t_prev = t;
                c_prev = c;
            }
            if let (Some(g), Some(t0)) = (open.as_mut(), t_open) {
                // Still uncovered at b: the gap goes on along the next segment.
                g.path.push(b);
                g.length_m += (1.0 - t0) * len;
            }
        }
        if let Some(g) = open.take() {
            gaps.push(g);
        }
        // A closed ring whose gap runs through its start: join the last gap to the first.
        let closed = line.len() > 2 && line.first() == line.last();
        if closed
            && gaps.len() > 1
            && gaps.first().and_then(|g| g.path.first()) == line.first()
            && gaps.last().and_then(|g| g.path.last()) == line.last()
            && let Some(mut last) = gaps.pop()
        {
            let mut rest = std::mem::take(&mut gaps).into_iter();
            if let Some(first) = rest.next() {
                last.path.extend(first.path.into_iter().skip(1));
                last.length_m += first.length_m;
            }
            gaps.push(last);
            gaps.extend(rest);
        }
        for g in &mut gaps {
            g.path.dedup();
        }
        out.uncovered_m += gaps.iter().map(|g| g.length_m).sum::<f64>();
        out.gaps.extend(gaps);
    }
}
