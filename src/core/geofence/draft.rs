//! A zone being drawn or reshaped on the map: [`Draft`] (its outline) and [`ZoneForm`] (its
//! name, kind and rules), and their conversion to a validated [`Zone`].
//!
//! Units and spaces:
//!
//! * the draft's vertices are **degrees WGS84** ([`LonLat`]), one open ring (the closing
//!   position is not repeated), in drawing order;
//! * screen positions (taps, handles) are **CSS px** relative to the map canvas' top-left,
//!   converted only through [`Viewport`]; hit radii are CSS px;
//! * a zone's edges are straight in EPSG:3857 (as drawn on the map), so the crossing check
//!   is done there, like [`Zone::new`]'s;
//! * dwell times are seconds.
//!
//! The outline is validated by the same code as a loaded zone ([`Zone::new`], then the
//! zones GeoJSON writer and reader, so a saved zone is exactly what the next load reads back);
//! the draft only adds clearer messages for what an operator does by hand (too few points,
//! edges that cross, an empty name). Nothing here panics on any input (NaN, out-of-range
//! positions, bad indices are errors).

use super::zone::{
    Near, RingProblem, ShapeError, Zone, ZoneKind, ZoneProblem, ZoneRules, parse_zones,
    zones_to_geojson,
};
use crate::geometry::{SegmentContact, segment_contact};
use crate::projection::{to_lonlat, to_mercator};
use crate::units::{LonLat, Mercator};
use crate::viewport::Viewport;

/// Most vertices a drawn outline may have.
pub const MAX_VERTICES: usize = 500;
/// Longest zone name, in characters.
pub const MAX_NAME_CHARS: usize = 120;
/// Longest dwell threshold, seconds (7 days).
pub const MAX_DWELL_S: f64 = 7.0 * 24.0 * 3600.0;
/// A tap closer than this (CSS px) to an existing vertex does not add one.
pub const MIN_VERTEX_GAP_PX: f64 = 4.0;

/// Why a draft or its form cannot become a zone (the shell words it for the operator;
/// `Display` is the English text, for logs).
#[derive(thiserror::Error, Clone, Debug, PartialEq)]
pub enum DraftError {
    #[error("that point is not a valid position (not a number or outside the map)")]
    BadPoint,
    #[error("there is already a point there")]
    Duplicate,
    #[error("a zone has at most {MAX_VERTICES} points")]
    TooMany,
    #[error("there is no point {0}")]
    NoSuchVertex(usize),
    #[error("a zone needs at least 3 distinct points (it has {0})")]
    TooFew(usize),
    #[error("edges cross near {0}: move a point so that the outline does not cross itself")]
    EdgesCross(Near),
    /// The outline or the zone it makes fails the zones' checks.
    #[error("the outline is not a valid zone: {0}")]
    Invalid(ZoneProblem),
    /// The zones GeoJSON writer's text did not read back as one zone.
    #[error("the outline is not a valid zone: the zone could not be written")]
    NotWritten,
    #[error("the zone needs a name")]
    EmptyName,
    #[error("the name is too long (at most {MAX_NAME_CHARS} characters)")]
    NameTooLong,
    #[error("dwell time {0:?} is not a number of seconds between 1 and 604800 (or empty for none)")]
    BadDwell(String),
    #[error("this zone has several parts or holes: its outline cannot be edited here")]
    NotEditable,
}

/// What a tap on the map does to a draft being drawn.
#[derive(Clone, Debug, PartialEq)]
pub enum TapOutcome {
    /// A vertex was added; its index.
    Added(usize),
    /// The tap hit the first vertex and the outline can close.
    Close,
    /// The tap was refused (the draft is unchanged).
    Refused(DraftError),
}

/// A handle of the outline under the pointer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handle {
    /// Vertex `i`.
    Vertex(usize),
    /// The middle of the edge from vertex `i` to the next one (dragging it inserts a vertex).
    Midpoint(usize),
}

/// An outline being drawn or reshaped: an open ring of vertices in degrees WGS84.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Draft {
    vertices: Vec<LonLat>,
}

fn valid(p: LonLat) -> Option<LonLat> {
    LonLat::new(p.lon, p.lat).filter(|p| p.lat.abs() <= crate::projection::MAX_LAT)
}

impl Draft {
    /// An empty draft.
    pub fn new() -> Draft {
        Draft::default()
    }

    /// A draft of these vertices (an open or closed ring; a repeated closing position is
    /// dropped). Every position must be valid.
    pub fn from_vertices(vertices: &[LonLat]) -> Result<Draft, DraftError> {
        let mut v: Vec<LonLat> = Vec::with_capacity(vertices.len());
        for p in vertices {
            v.push(valid(*p).ok_or(DraftError::BadPoint)?);
        }
        if v.len() > 1 && v.first() == v.last() {
            v.pop();
        }
        if v.len() > MAX_VERTICES {
            return Err(DraftError::TooMany);
        }
        Ok(Draft { vertices: v })
    }

    /// The outline of a zone made of one polygon without holes (the only shape drawn here).
    pub fn from_zone(zone: &Zone) -> Result<Draft, DraftError> {
        match zone.polygons.0.as_slice() {
            [polygon] if polygon.interiors().is_empty() => {
                let ring: Vec<LonLat> = polygon
                    .exterior()
                    .coords()
                    .map(|c| to_lonlat((*c).into()))
                    .collect();
                Draft::from_vertices(&ring)
            }
            _ => Err(DraftError::NotEditable),
        }
    }

    /// The vertices, in order (open ring).
    pub fn vertices(&self) -> &[LonLat] {
        &self.vertices
    }

    /// The vertices in EPSG:3857 metres (open ring).
    pub fn mercator(&self) -> Vec<Mercator> {
        self.vertices.iter().map(|p| to_mercator(*p)).collect()
    }

    pub fn len(&self) -> usize {
        self.vertices.len()
    }

    pub fn is_empty(&self) -> bool {
        self.vertices.is_empty()
    }

    /// Appends a vertex. Refused: an invalid position, the same position as the last vertex,
    /// more than [`MAX_VERTICES`].
    pub fn push(&mut self, p: LonLat) -> Result<usize, DraftError> {
        let p = valid(p).ok_or(DraftError::BadPoint)?;
        if self.vertices.last() == Some(&p) {
            return Err(DraftError::Duplicate);
        }
        if self.vertices.len() >= MAX_VERTICES {
            return Err(DraftError::TooMany);
        }
        self.vertices.push(p);
        Ok(self.vertices.len() - 1)
    }

    /// Removes the last vertex ("undo point").
    pub fn undo(&mut self) -> Option<LonLat> {
        self.vertices.pop()
    }

    /// Moves vertex `i` to `p`.
    pub fn move_vertex(&mut self, i: usize, p: LonLat) -> Result<(), DraftError> {
        let p = valid(p).ok_or(DraftError::BadPoint)?;
        let v = self
            .vertices
            .get_mut(i)
            .ok_or(DraftError::NoSuchVertex(i))?;
        *v = p;
        Ok(())
    }

    /// Inserts `p` after vertex `i` (on the edge from `i` to the next vertex); returns the new
    /// vertex's index.
    pub fn insert_after(&mut self, i: usize, p: LonLat) -> Result<usize, DraftError> {
        let p = valid(p).ok_or(DraftError::BadPoint)?;
        if i >= self.vertices.len() {
            return Err(DraftError::NoSuchVertex(i));
        }
        if self.vertices.len() >= MAX_VERTICES {
            return Err(DraftError::TooMany);
        }
        self.vertices.insert(i + 1, p);
        Ok(i + 1)
    }

    /// Removes vertex `i` (kept at 3 at least once the outline can close).
    pub fn remove_vertex(&mut self, i: usize) -> Result<LonLat, DraftError> {
        if i >= self.vertices.len() {
            return Err(DraftError::NoSuchVertex(i));
        }
        if self.vertices.len() <= 3 {
            return Err(DraftError::TooFew(self.distinct_count().saturating_sub(1)));
        }
        Ok(self.vertices.remove(i))
    }

    /// Number of distinct positions.
    pub fn distinct_count(&self) -> usize {
        let mut seen: Vec<(u64, u64)> = self
            .vertices
            .iter()
            .map(|p| (p.lon.to_bits(), p.lat.to_bits()))
            .collect();
        // The shared sort (a zone has a few dozen vertices; `compact_sort`'s doc).
        crate::compact_sort::sort_by(&mut seen, Ord::cmp);
        seen.dedup();
        seen.len()
    }

    /// The outline can be closed: at least 3 distinct vertices.
    pub fn can_close(&self) -> bool {
        self.distinct_count() >= 3
    }

    /// The closed ring (first vertex repeated at the end); empty for an empty draft.
    pub fn ring(&self) -> Vec<LonLat> {
        let mut r = self.vertices.clone();
        if let Some(first) = r.first().copied() {
            r.push(first);
        }
        r
    }

    /// The midpoint (EPSG:3857, as the edge is drawn) of the edge from vertex `i` to the next.
    pub fn midpoint(&self, i: usize) -> Option<Mercator> {
        let n = self.vertices.len();
        if n < 2 || i >= n {
            return None;
        }
        let a = to_mercator(*self.vertices.get(i)?);
        let b = to_mercator(*self.vertices.get((i + 1) % n)?);
        Some(Mercator {
            x: (a.x + b.x) / 2.0,
            y: (a.y + b.y) / 2.0,
        })
    }

    /// The vertex nearest to `(x, y)` CSS px within `radius_css`, if any.
    pub fn vertex_at(&self, view: &Viewport, x: f64, y: f64, radius_css: f64) -> Option<usize> {
        let r2 = radius_css * radius_css;
        self.vertices
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let (sx, sy) = view.world_to_screen(to_mercator(*p));
                (i, (sx - x).powi(2) + (sy - y).powi(2))
            })
            .filter(|(_, d2)| d2.is_finite() && *d2 <= r2)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| i)
    }

    /// The handle under `(x, y)` CSS px of a closed outline being reshaped: a vertex first,
    /// else an edge midpoint, within `radius_css`.
    pub fn handle_at(&self, view: &Viewport, x: f64, y: f64, radius_css: f64) -> Option<Handle> {
        if let Some(i) = self.vertex_at(view, x, y, radius_css) {
            return Some(Handle::Vertex(i));
        }
        if self.vertices.len() < 3 || self.vertices.len() >= MAX_VERTICES {
            return None;
        }
        let r2 = radius_css * radius_css;
        (0..self.vertices.len())
            .filter_map(|i| {
                let (sx, sy) = view.world_to_screen(self.midpoint(i)?);
                let d2 = (sx - x).powi(2) + (sy - y).powi(2);
                (d2.is_finite() && d2 <= r2).then_some((i, d2))
            })
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| Handle::Midpoint(i))
    }

    /// A tap at `(x, y)` CSS px while drawing: on the first vertex of a closable outline
    /// it closes; on any other vertex (within [`MIN_VERTEX_GAP_PX`]) it is refused; elsewhere
    /// it adds a vertex at that position.
    pub fn tap(&mut self, view: &Viewport, x: f64, y: f64, radius_css: f64) -> TapOutcome {
        if self.can_close()
            && let Some(first) = self.vertices.first()
        {
            let (sx, sy) = view.world_to_screen(to_mercator(*first));
            if (sx - x).powi(2) + (sy - y).powi(2) <= radius_css * radius_css {
                return TapOutcome::Close;
            }
        }
        if self.vertex_at(view, x, y, MIN_VERTEX_GAP_PX).is_some() {
            return TapOutcome::Refused(DraftError::Duplicate);
        }
        let Some(p) = view.lonlat_at(x, y) else {
            return TapOutcome::Refused(DraftError::BadPoint);
        };
        match self.push(p) {
            Ok(i) => TapOutcome::Added(i),
            Err(e) => TapOutcome::Refused(e),
        }
    }

    /// Where two edges of the closed outline cross (EPSG:3857), if they do: edges that are
    /// not neighbours must not meet; neighbours must meet only at their shared vertex.
    pub fn crossing(&self) -> Option<Mercator> {
        let ring: Vec<Mercator> = self.ring().iter().map(|p| to_mercator(*p)).collect();
        // The closed outline's edges, in order.
        let edges: Vec<(Mercator, Mercator)> = ring
            .iter()
            .copied()
            .zip(ring.iter().copied().skip(1))
            .collect();
        let n = edges.len();
        if n < 3 {
            return None;
        }
        for (i, &(a, b)) in edges.iter().enumerate() {
            for (j, &(c, d)) in edges.iter().enumerate().skip(i + 1) {
                let adjacent = j == i + 1 || (i == 0 && j == n - 1);
                match segment_contact(a, b, c, d) {
                    SegmentContact::None => {}
                    SegmentContact::Point(_) if adjacent => {}
                    SegmentContact::Point(m) | SegmentContact::Overlap(m) => return Some(m),
                }
            }
        }
        None
    }

    /// Checks the closed outline as a zone would be checked; the first problem, if any.
    pub fn check(&self) -> Result<(), DraftError> {
        self.polygon().map(|_| ())
    }

    /// The validated closed outline as one polygon ring (degrees).
    fn polygon(&self) -> Result<Vec<LonLat>, DraftError> {
        let distinct = self.distinct_count();
        if distinct < 3 {
            return Err(DraftError::TooFew(distinct));
        }
        if let Some(m) = self.crossing() {
            return Err(DraftError::EdgesCross(Near::at(m)));
        }
        let ring = self.ring();
        Zone::new(
            "draft",
            None,
            ZoneKind::Other,
            ZoneRules::defaults(ZoneKind::Other),
            &[vec![ring.clone()]],
        )
        .map_err(|e| match e {
            ShapeError::Polygon {
                problem: RingProblem::IntersectsItself { ring: 0, near },
                ..
            } => DraftError::EdgesCross(near),
            e => DraftError::Invalid(ZoneProblem::Shape(e)),
        })?;
        Ok(ring)
    }

    /// The zone this outline and form make, with id `id`: the outline and the form are
    /// validated, then the zone goes through the zones GeoJSON writer and reader, so it is
    /// exactly what a reload from storage gives.
    pub fn to_zone(&self, id: &str, form: &ZoneForm) -> Result<Zone, DraftError> {
        let (name, rules) = form.validate()?;
        let ring = self.polygon()?;
        let zone = Zone::new(id, Some(name), form.kind, rules, &[vec![ring]])
            .map_err(|e| DraftError::Invalid(ZoneProblem::Shape(e)))?;
        canonical(zone)
    }
}

/// A zone as the zones GeoJSON writer and reader give it back (coordinates rounded to 7
/// decimals, properties as read).
pub fn canonical(zone: Zone) -> Result<Zone, DraftError> {
    let text = zones_to_geojson(std::slice::from_ref(&zone));
    let set = parse_zones(&text).map_err(|_| DraftError::NotWritten)?;
    if let Some(bad) = set.rejected.into_iter().next() {
        return Err(DraftError::Invalid(bad.problem));
    }
    set.zones.into_iter().next().ok_or(DraftError::NotWritten)
}

/// The name, kind and rules an operator gives a zone.
#[derive(Clone, Debug, PartialEq)]
pub struct ZoneForm {
    /// As typed; trimmed when validated.
    pub name: String,
    pub kind: ZoneKind,
    pub alert_on_enter: bool,
    pub alert_on_exit: bool,
    /// Seconds (see [`parse_dwell`]).
    pub dwell_s: Option<f64>,
    pub critical: bool,
}

impl Default for ZoneForm {
    fn default() -> Self {
        ZoneForm::new(ZoneKind::Watch)
    }
}

impl ZoneForm {
    /// An empty name and the kind's default rules.
    pub fn new(kind: ZoneKind) -> ZoneForm {
        let r = ZoneRules::defaults(kind);
        ZoneForm {
            name: String::new(),
            kind,
            alert_on_enter: r.alert_on_enter,
            alert_on_exit: r.alert_on_exit,
            dwell_s: r.dwell_s,
            critical: r.critical,
        }
    }

    /// The form of an existing zone.
    pub fn of_zone(zone: &Zone) -> ZoneForm {
        ZoneForm {
            name: zone.name.clone(),
            kind: zone.kind,
            alert_on_enter: zone.rules.alert_on_enter,
            alert_on_exit: zone.rules.alert_on_exit,
            dwell_s: zone.rules.dwell_s,
            critical: zone.rules.critical,
        }
    }

    /// The trimmed name and the rules, or the first problem.
    pub fn validate(&self) -> Result<(String, ZoneRules), DraftError> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err(DraftError::EmptyName);
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(DraftError::NameTooLong);
        }
        if let Some(s) = self.dwell_s
            && !(s.is_finite() && (1.0..=MAX_DWELL_S).contains(&s))
        {
            return Err(DraftError::BadDwell(s.to_string()));
        }
        Ok((
            name.to_string(),
            ZoneRules {
                alert_on_enter: self.alert_on_enter,
                alert_on_exit: self.alert_on_exit,
                dwell_s: self.dwell_s,
                critical: self.critical,
            },
        ))
    }

    /// `zone` with this form's name, kind and rules (its outline and id unchanged): for zones
    /// whose outline cannot be edited here (several parts, holes).
    pub fn apply(&self, zone: &Zone) -> Result<Zone, DraftError> {
        let (name, rules) = self.validate()?;
        let mut z = zone.clone();
        z.name = name;
        z.kind = self.kind;
        z.rules = rules;
        canonical(z)
    }
}

/// A dwell time as typed: empty is none; otherwise whole or decimal seconds, 1 to 604,800
/// (7 days).
pub fn parse_dwell(text: &str) -> Result<Option<f64>, DraftError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match crate::decimal::parse_f64(t) {
        Some(s) if s.is_finite() && (1.0..=MAX_DWELL_S).contains(&s) => Ok(Some(s)),
        _ => Err(DraftError::BadDwell(t.to_string())),
    }
}
