//! The `wall` section of `config.json` and the `?wall=COLSxROWS&tile=C,R&bezel=PX` query: what
//! the video wall (`?mode=wall`) tours and how its screens make one map.
//!
//! Keys and units:
//! * `tours`: the named views, in order. Each: `name` (caption), `center` `[lon, lat]` degrees
//!   WGS84, `zoom` (web-map level, [`Zoom::MIN`]..=[`Zoom::MAX`]), `layers` (the layers shown:
//!   [`TourLayer`] keys `basemap`, `fences`, `cameras`, `ports`, `zones`, `incidents`,
//!   `heatmap`; absent: all but the heatmap), `dwell_s` (seconds on the view,
//!   [`DWELL_S`], default 30), `heatmap_compare` (`true`: the heatmap comparison of
//!   `heatmap.compare`, default `false`).
//! * `flight_s`: seconds of a flight between two views ([`FLIGHT_S`], default 4; 0 jumps).
//! * `alert_hold_s`: seconds a critical alert holds the view if not acknowledged
//!   ([`ALERT_HOLD_S`], default 120).
//! * `cols`, `rows`: the wall's screens (1..=[`MAX_SCREENS_PER_SIDE`], default 1 × 1);
//!   `tile` `[c, r]`: this screen's column and row from the top-left, from 0 (default
//!   `[0, 0]`; usually given per screen by `?tile=`); `bezel_px`: CSS px hidden between two
//!   screens (0..=[`MAX_BEZEL_PX`], default 0).
//! * `status_tiles`: the screens `[[c, r], …]` that show the status bar and the alerts
//!   (default `[[0, 0]]`).
//! * `scale`: the map scale `k`, screen CSS px per CSS px of the map and the type
//!   ([`MAP_SCALE`]; absent: from each screen's width, `DisplayMode::scale`). Every screen of a
//!   wall computes the same `k` from its own width; the option pins it, e.g. so that one big page
//!   renders the whole wall's view with the screens' `k` (the tiles' end-to-end test).
//! * `daily_reload`: `"HH:MM"`, the local quiet hour of a daily reload, or `null` (default: none).
//! * `reload_backoff_s`: seconds before the first reload after a fatal error, doubling after each
//!   one in a row up to 10 min ([`RELOAD_BACKOFF_S`], default 10; see [`super::reload`]).
//!
//! ```json
//! "wall": {"flight_s": 4, "alert_hold_s": 120, "cols": 2, "rows": 1, "bezel_px": 40,
//!   "status_tiles": [[0, 0]], "daily_reload": "04:30", "reload_backoff_s": 10,
//!   "tours": [{"name": "Calais port", "center": [1.8650, 50.9660], "zoom": 13,
//!              "layers": ["basemap", "fences", "ports", "incidents"], "dwell_s": 30}]}
//! ```
//!
//! Bad input never stops the wall (issue 13: "reported on screen with the option named and the
//! rest of the tour runs"): nothing in this section fails the config. Each problem is a
//! [`ConfigError::Invalid`] with the dotted field path (`wall.tours[2].zoom`,
//! `wall.status_tiles[1]`) in [`WallConfig::problems`], never silently clamped, and:
//! * a tour view whose `center`, `zoom` or `dwell_s` is missing or out of range is left out,
//!   the other views run; an unknown layer name leaves out that layer, a missing name is
//!   reported, and the view runs;
//! * a bad grid option (`cols`, `rows`, `tile` outside the grid, `bezel_px`) makes this screen a
//!   single screen showing the whole view (a wrong piece of a wall would be worse than the
//!   whole map on one screen);
//! * any other bad value keeps its default; a `wall` that is not an object is all defaults.
//!
//! The query (`?wall=2x1&tile=1,0&bezel=40`) overrides the config parameter by parameter
//! ([`WallConfig::placement`]); a bad query value also makes a single screen, reported as a
//! [`QueryError`] naming the parameter.

use super::reload::QuietHour;
use super::tiling::{Grid, GridError, MAX_BEZEL_PX, MAX_SCREENS_PER_SIDE, Tile};
use crate::config::{ConfigError, ConfigProblem, invalid, take};
use crate::model::LayerId;
use crate::projection::to_mercator;
use crate::units::{LonLat, Mercator, Zoom};
use serde_json::{Map, Value};

/// Accepted `dwell_s`, seconds (min, max).
pub const DWELL_S: (f64, f64) = (2.0, 3_600.0);
/// Accepted `flight_s`, seconds.
pub const FLIGHT_S: (f64, f64) = (0.0, 60.0);
/// Accepted `alert_hold_s`, seconds.
pub const ALERT_HOLD_S: (f64, f64) = (5.0, 3_600.0);
/// Accepted `reload_backoff_s`, seconds.
pub const RELOAD_BACKOFF_S: (f64, f64) = (1.0, 600.0);
/// Accepted latitude of a view's centre, degrees (the EPSG:3857 square ends at ±85.05°).
pub const CENTRE_LAT: (f64, f64) = (-85.0, 85.0);
/// Accepted `scale`, screen CSS px per map CSS px.
pub const MAP_SCALE: (f64, f64) = (0.25, 8.0);
/// A view's `dwell_s` when absent, seconds.
pub const DEFAULT_DWELL_S: f64 = 30.0;

/// A layer a tour view shows or hides: the four map layers and the live ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TourLayer {
    Map(LayerId),
    Zones,
    Incidents,
    Heatmap,
}

impl TourLayer {
    /// Every layer, map layers first.
    pub const ALL: [TourLayer; 7] = [
        TourLayer::Map(LayerId::Basemap),
        TourLayer::Map(LayerId::Fences),
        TourLayer::Map(LayerId::Cameras),
        TourLayer::Map(LayerId::Ports),
        TourLayer::Zones,
        TourLayer::Incidents,
        TourLayer::Heatmap,
    ];
    /// The config keys, in [`TourLayer::ALL`]'s order.
    pub const KEYS: &'static [&'static str] = &[
        "basemap",
        "fences",
        "cameras",
        "ports",
        "zones",
        "incidents",
        "heatmap",
    ];

    /// Config key: a [`LayerId::key`], or `zones`, `incidents`, `heatmap`.
    pub fn key(self) -> &'static str {
        match self {
            TourLayer::Map(id) => id.key(),
            TourLayer::Zones => "zones",
            TourLayer::Incidents => "incidents",
            TourLayer::Heatmap => "heatmap",
        }
    }

    /// Inverse of [`TourLayer::key`] (exact match).
    pub fn from_key(s: &str) -> Option<TourLayer> {
        TourLayer::ALL.into_iter().find(|l| l.key() == s)
    }

    /// A view's layers when it names none, and the layers at home and on an alert: everything
    /// but the heatmap.
    /// ([`TourLayer::ALL`] but its last, the heatmap.)
    pub const DEFAULT: &'static [TourLayer] = match TourLayer::ALL.split_last() {
        Some((_, rest)) => rest,
        None => &[],
    };
}

/// One named view of a tour.
#[derive(Clone, Debug, PartialEq)]
pub struct TourView {
    /// Caption (may be empty when the config gave none: reported).
    pub name: String,
    /// Centre, degrees WGS84.
    pub center: LonLat,
    pub zoom: Zoom,
    /// Layers shown, in [`TourLayer::ALL`]'s order, once each.
    pub layers: Vec<TourLayer>,
    /// Seconds on the view.
    pub dwell_s: f64,
    /// The heatmap comparison of `heatmap.compare` instead of the live picture.
    pub heatmap_compare: bool,
}

impl TourView {
    /// The centre in EPSG:3857 metres.
    pub fn center_mercator(&self) -> Mercator {
        to_mercator(self.center)
    }

    /// The dwell in whole milliseconds.
    pub fn dwell_ms(&self) -> i64 {
        seconds_to_ms(self.dwell_s)
    }

    /// Does the view show this layer?
    pub fn shows(&self, layer: TourLayer) -> bool {
        self.layers.contains(&layer)
    }
}

/// Seconds to whole milliseconds (rounded; non-finite or negative: 0; saturating).
pub(crate) fn seconds_to_ms(s: f64) -> i64 {
    if s.is_finite() && s > 0.0 {
        // `as` saturates, never panics.
        (s * 1_000.0).round() as i64
    } else {
        0
    }
}

/// The `wall` section.
#[derive(Clone, Debug, PartialEq)]
pub struct WallConfig {
    /// The good views, in config order (empty: the home view, [`super::fit`]).
    pub tours: Vec<TourView>,
    pub flight_s: f64,
    pub alert_hold_s: f64,
    /// The screens (a single screen after a bad grid option).
    pub grid: Grid,
    /// This screen's place in `grid` (the query's `tile` usually overrides it).
    pub tile: Tile,
    /// Screens that show the status bar and the alerts (those outside `grid` left out).
    pub status_tiles: Vec<Tile>,
    /// The map scale `k` when pinned (`None`: from the screen's width).
    pub scale: Option<f64>,
    /// The daily reload's local time, if any.
    pub daily_reload: Option<QuietHour>,
    pub reload_backoff_s: f64,
    /// What was wrong, in the order read; each left out or replaced by its default as the module
    /// doc says. The shell shows them on the wall.
    pub problems: Vec<ConfigError>,
}

impl Default for WallConfig {
    fn default() -> Self {
        WallConfig {
            tours: Vec::new(),
            flight_s: 4.0,
            alert_hold_s: 120.0,
            grid: Grid::default(),
            tile: Tile::default(),
            status_tiles: vec![Tile::default()],
            scale: None,
            daily_reload: None,
            reload_backoff_s: 10.0,
            problems: Vec::new(),
        }
    }
}

/// Reads the section's values, collecting problems instead of failing.
struct Reader<'a> {
    problems: &'a mut Vec<ConfigError>,
}

impl Reader<'_> {
    /// `obj[key]` into `slot` if present and not null; a wrong type is reported and leaves the
    /// slot. True if a value was read.
    fn take<T: serde::de::DeserializeOwned>(
        &mut self,
        obj: &Map<String, Value>,
        path: &str,
        key: &str,
        slot: &mut T,
    ) -> bool {
        let present = obj.get(key).is_some_and(|v| !v.is_null());
        match take(obj, path, key, slot) {
            Ok(()) => present,
            Err(e) => {
                self.problems.push(e);
                false
            }
        }
    }

    /// A number of seconds in `range`, or `default` with the problem reported.
    fn seconds(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        default: f64,
        range: (f64, f64),
    ) -> f64 {
        let mut v = default;
        self.take(obj, "wall", key, &mut v);
        self.in_range(format!("wall.{key}"), v, range)
            .unwrap_or(default)
    }

    fn in_range(&mut self, field: String, v: f64, (min, max): (f64, f64)) -> Option<f64> {
        if v.is_finite() && (min..=max).contains(&v) {
            Some(v)
        } else {
            self.problems
                .push(invalid(field, ConfigProblem::OutOfRange { min, max }));
            None
        }
    }

    /// `obj[key]`, which must be present: absent or null is reported as missing, a wrong type
    /// as such.
    fn required<T: serde::de::DeserializeOwned>(
        &mut self,
        obj: &Map<String, Value>,
        path: &str,
        key: &str,
    ) -> Option<T> {
        let mut slot: Option<T> = None;
        self.take(obj, path, key, &mut slot);
        if slot.is_none() && obj.get(key).is_none_or(Value::is_null) {
            self.report(format!("{path}.{key}"), ConfigProblem::Missing);
        }
        slot
    }

    fn report(&mut self, field: String, problem: ConfigProblem) {
        self.problems.push(invalid(field, problem));
    }
}

/// The field and problem of a grid that could not be built.
fn grid_problem(e: GridError, cols: &str, rows: &str, bezel: &str) -> (String, ConfigProblem) {
    let side = ConfigProblem::OutOfRange {
        min: 1.0,
        max: f64::from(MAX_SCREENS_PER_SIDE),
    };
    match e {
        GridError::Cols => (cols.to_string(), side),
        GridError::Rows => (rows.to_string(), side),
        GridError::Bezel => (
            bezel.to_string(),
            ConfigProblem::OutOfRange {
                min: 0.0,
                max: MAX_BEZEL_PX,
            },
        ),
    }
}

/// The field and problem of a tile outside the grid (`None` when inside).
fn tile_problem(grid: &Grid, tile: Tile, field: &str) -> Option<(String, ConfigProblem)> {
    let outside = |i: u32, n: u32, axis: u8| {
        (i >= n).then(|| {
            (
                format!("{field}[{axis}]"),
                ConfigProblem::OutOfRange {
                    min: 0.0,
                    max: f64::from(n - 1),
                },
            )
        })
    };
    outside(tile.col, grid.cols(), 0).or_else(|| outside(tile.row, grid.rows(), 1))
}

fn tile_of([col, row]: [u32; 2]) -> Tile {
    Tile { col, row }
}

/// Read the `wall` section (absent keys keep their defaults; problems as the module doc says).
pub fn parse_wall(m: &Map<String, Value>) -> WallConfig {
    let mut c = WallConfig::default();
    let mut problems = Vec::new();
    let mut r = Reader {
        problems: &mut problems,
    };

    let d = WallConfig::default();
    c.flight_s = r.seconds(m, "flight_s", d.flight_s, FLIGHT_S);
    c.alert_hold_s = r.seconds(m, "alert_hold_s", d.alert_hold_s, ALERT_HOLD_S);
    c.reload_backoff_s = r.seconds(m, "reload_backoff_s", d.reload_backoff_s, RELOAD_BACKOFF_S);

    let mut quiet: Option<String> = None;
    if r.take(m, "wall", "daily_reload", &mut quiet) {
        c.daily_reload = quiet.as_deref().and_then(QuietHour::parse);
        if c.daily_reload.is_none() {
            r.report(
                "wall.daily_reload".into(),
                ConfigProblem::NotPattern("HH:MM"),
            );
        }
    }

    // The grid: any bad option makes a single screen.
    let (mut cols, mut rows, mut bezel, mut tile) = (1u32, 1u32, 0.0f64, [0u32, 0]);
    let before = r.problems.len();
    r.take(m, "wall", "cols", &mut cols);
    r.take(m, "wall", "rows", &mut rows);
    r.take(m, "wall", "bezel_px", &mut bezel);
    r.take(m, "wall", "tile", &mut tile);
    if r.problems.len() == before {
        match Grid::new(cols, rows, bezel) {
            Ok(grid) => match tile_problem(&grid, tile_of(tile), "wall.tile") {
                None => {
                    c.grid = grid;
                    c.tile = tile_of(tile);
                }
                Some((field, p)) => r.report(field, p),
            },
            Err(e) => {
                let (field, p) = grid_problem(e, "wall.cols", "wall.rows", "wall.bezel_px");
                r.report(field, p);
            }
        }
    }

    let mut scale: Option<f64> = None;
    if r.take(m, "wall", "scale", &mut scale) {
        c.scale = scale.and_then(|k| r.in_range("wall.scale".into(), k, MAP_SCALE));
    }

    let mut status: Vec<Value> = Vec::new();
    if r.take(m, "wall", "status_tiles", &mut status) {
        c.status_tiles.clear();
        for (i, v) in status.iter().enumerate() {
            let field = format!("wall.status_tiles[{i}]");
            match serde_json::from_value::<[u32; 2]>(v.clone()) {
                Err(e) => r.report(field, ConfigProblem::WrongType(e.to_string())),
                Ok(t) => match tile_problem(&c.grid, tile_of(t), &field) {
                    Some((field, p)) => r.report(field, p),
                    None => c.status_tiles.push(tile_of(t)),
                },
            }
        }
        if status.is_empty() {
            r.report("wall.status_tiles".into(), ConfigProblem::Empty);
        }
        if c.status_tiles.is_empty() {
            c.status_tiles.push(Tile::default());
        }
    }

    let mut views: Vec<Value> = Vec::new();
    r.take(m, "wall", "tours", &mut views);
    for (i, v) in views.iter().enumerate() {
        if let Some(view) = tour_view(&mut r, v, &format!("wall.tours[{i}]")) {
            c.tours.push(view);
        }
    }

    c.problems = problems;
    c
}

/// One tour view, or `None` (reported) when it cannot be shown.
fn tour_view(r: &mut Reader<'_>, v: &Value, path: &str) -> Option<TourView> {
    let Value::Object(m) = v else {
        r.report(path.to_string(), ConfigProblem::SectionNotObject);
        return None;
    };
    let name = r.required::<String>(m, path, "name").unwrap_or_default();
    if name.trim().is_empty() && m.get("name").is_some_and(Value::is_string) {
        r.report(format!("{path}.name"), ConfigProblem::Empty);
    }

    let center = r
        .required::<[f64; 2]>(m, path, "center")
        .and_then(|[lon, lat]| {
            let lon = r.in_range(format!("{path}.center[0]"), lon, (-180.0, 180.0));
            let lat = r.in_range(format!("{path}.center[1]"), lat, CENTRE_LAT);
            LonLat::new(lon?, lat?)
        });
    let zoom = r.required::<f64>(m, path, "zoom").and_then(|z| {
        r.in_range(format!("{path}.zoom"), z, (Zoom::MIN, Zoom::MAX))
            .and_then(Zoom::new)
    });
    let mut dwell_s = DEFAULT_DWELL_S;
    let before = r.problems.len();
    r.take(m, path, "dwell_s", &mut dwell_s);
    let dwell_s = (r.problems.len() == before)
        .then(|| r.in_range(format!("{path}.dwell_s"), dwell_s, DWELL_S))
        .flatten();

    let mut heatmap_compare = false;
    r.take(m, path, "heatmap_compare", &mut heatmap_compare);

    let mut layers = TourLayer::DEFAULT.to_vec();
    let mut names: Option<Vec<Value>> = None;
    if r.take(m, path, "layers", &mut names) {
        let names = names.unwrap_or_default();
        let mut chosen = Vec::new();
        for (j, n) in names.iter().enumerate() {
            match n.as_str().and_then(TourLayer::from_key) {
                Some(l) => chosen.push(l),
                None => r.report(
                    format!("{path}.layers[{j}]"),
                    ConfigProblem::OneOf(TourLayer::KEYS),
                ),
            }
        }
        layers = TourLayer::ALL
            .into_iter()
            .filter(|l| chosen.contains(l))
            .collect();
    }

    Some(TourView {
        name,
        center: center?,
        zoom: zoom?,
        layers,
        dwell_s: dwell_s?,
        heatmap_compare,
    })
}

/// A query parameter of the wall.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WallParam {
    /// `?wall=COLSxROWS`.
    Wall,
    /// `?tile=C,R`.
    Tile,
    /// `?bezel=PX`.
    Bezel,
}

impl WallParam {
    /// The parameter's name in the query.
    pub fn key(self) -> &'static str {
        match self {
            WallParam::Wall => "wall",
            WallParam::Tile => "tile",
            WallParam::Bezel => "bezel",
        }
    }
}

/// A query value refused: the parameter, its value as given (cut to 40 characters) and what is
/// wrong.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("?{}={value}: {problem}", .param.key())]
pub struct QueryError {
    pub param: WallParam,
    pub value: String,
    pub problem: ConfigProblem,
}

/// The wall's query parameters as the page has them (absent: `None`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WallQuery<'a> {
    pub wall: Option<&'a str>,
    pub tile: Option<&'a str>,
    pub bezel: Option<&'a str>,
}

fn two_numbers(s: &str, sep: char) -> Option<(u32, u32)> {
    let (a, b) = s.trim().split_once(sep)?;
    let n = |t: &str| -> Option<u32> {
        let t = t.trim();
        (!t.is_empty() && t.bytes().all(|c| c.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    Some((n(a)?, n(b)?))
}

/// `COLSxROWS` (`2x1`, `3X2`) to a grid size, each 1..=[`MAX_SCREENS_PER_SIDE`].
pub fn parse_wall_size(s: &str) -> Result<(u32, u32), ConfigProblem> {
    let lower = s.to_ascii_lowercase();
    let (cols, rows) = two_numbers(&lower, 'x').ok_or(ConfigProblem::NotPattern("COLSxROWS"))?;
    let side = 1..=MAX_SCREENS_PER_SIDE;
    if side.contains(&cols) && side.contains(&rows) {
        Ok((cols, rows))
    } else {
        Err(ConfigProblem::OutOfRange {
            min: 1.0,
            max: f64::from(MAX_SCREENS_PER_SIDE),
        })
    }
}

/// `C,R` (`1,0`) to a tile; whether it lies in the grid is [`WallConfig::placement`]'s check.
pub fn parse_tile(s: &str) -> Result<Tile, ConfigProblem> {
    two_numbers(s, ',')
        .map(|(col, row)| Tile { col, row })
        .ok_or(ConfigProblem::NotPattern("C,R"))
}

/// `PX` (`40`, `12.5`) to a bezel in CSS px, 0..=[`MAX_BEZEL_PX`].
pub fn parse_bezel(s: &str) -> Result<f64, ConfigProblem> {
    let range = ConfigProblem::OutOfRange {
        min: 0.0,
        max: MAX_BEZEL_PX,
    };
    let v = crate::decimal::parse_f64(s.trim()).ok_or_else(|| range.clone())?;
    if v.is_finite() && (0.0..=MAX_BEZEL_PX).contains(&v) {
        Ok(v)
    } else {
        Err(range)
    }
}

/// A query parameter's value read by `parse`: `None` if absent or refused (pushed to `errors`,
/// its value cut to 40 characters).
fn query_value<T>(
    param: WallParam,
    value: Option<&str>,
    parse: fn(&str) -> Result<T, ConfigProblem>,
    errors: &mut Vec<QueryError>,
) -> Option<T> {
    let v = value?;
    parse(v)
        .map_err(|problem| errors.push(QueryError::new(param, v, problem)))
        .ok()
}

impl QueryError {
    fn new(param: WallParam, value: &str, problem: ConfigProblem) -> QueryError {
        QueryError {
            param,
            value: value.chars().take(40).collect(),
            problem,
        }
    }
}

/// Where this screen stands in the wall, from the config and the query.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placement {
    pub grid: Grid,
    pub tile: Tile,
    /// This screen shows the status bar and the alerts.
    pub shows_status: bool,
}

impl WallConfig {
    /// This screen's grid and tile: the query's parameters override the config's one by one;
    /// a bad query value (or a tile outside the resulting grid) makes a single screen and is
    /// returned. The screen shows the status bar if it is one of `status_tiles`, or if it is
    /// tile (0, 0) and none of them lies in the grid (the status is always on some screen).
    pub fn placement(&self, q: &WallQuery<'_>) -> (Placement, Vec<QueryError>) {
        let mut errors = Vec::new();
        let wall = query_value(WallParam::Wall, q.wall, parse_wall_size, &mut errors);
        let tile = query_value(WallParam::Tile, q.tile, parse_tile, &mut errors);
        let bezel = query_value(WallParam::Bezel, q.bezel, parse_bezel, &mut errors);
        let good = errors.is_empty();
        let (cols, rows) = wall.unwrap_or((self.grid.cols(), self.grid.rows()));
        let tile = tile.unwrap_or(self.tile);
        let bezel = bezel.unwrap_or(self.grid.bezel_px());
        let mut placement = Placement {
            grid: Grid::default(),
            tile: Tile::default(),
            shows_status: true,
        };
        if good {
            // Each part was checked above, so the grid builds.
            if let Ok(grid) = Grid::new(cols, rows, bezel) {
                if grid.contains(tile) {
                    placement.grid = grid;
                    placement.tile = tile;
                } else {
                    let given = q
                        .tile
                        .map_or_else(|| format!("{},{}", tile.col, tile.row), ToString::to_string);
                    let axis_max = if tile.col >= cols { cols } else { rows };
                    errors.push(QueryError::new(
                        WallParam::Tile,
                        &given,
                        ConfigProblem::OutOfRange {
                            min: 0.0,
                            max: f64::from(axis_max - 1),
                        },
                    ));
                }
            }
        }
        let g = placement.grid;
        placement.shows_status = self.status_tiles.contains(&placement.tile)
            || (placement.tile == Tile::default()
                && !self.status_tiles.iter().any(|t| g.contains(*t)));
        (placement, errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wall(json: &str) -> WallConfig {
        match serde_json::from_str::<Value>(json).unwrap() {
            Value::Object(m) => parse_wall(&m),
            _ => panic!("not an object"),
        }
    }

    fn fields(c: &WallConfig) -> Vec<(String, ConfigProblem)> {
        c.problems
            .iter()
            .map(|e| match e {
                ConfigError::Invalid { field, problem } => (field.clone(), problem.clone()),
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn defaults_and_a_full_section() {
        assert_eq!(wall("{}"), WallConfig::default());
        let c = wall(
            r#"{"flight_s": 3, "alert_hold_s": 60, "cols": 3, "rows": 2, "tile": [2, 1],
                "bezel_px": 40, "status_tiles": [[0, 0], [2, 0]], "daily_reload": "04:30",
                "reload_backoff_s": 20,
                "tours": [{"name": "Calais port", "center": [1.865, 50.966], "zoom": 13,
                           "layers": ["basemap", "ports", "incidents"], "dwell_s": 20},
                          {"name": "Dunkirk", "center": [2.3768, 51.0343], "zoom": 12,
                           "heatmap_compare": true}]}"#,
        );
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        assert_eq!(
            (c.flight_s, c.alert_hold_s, c.reload_backoff_s),
            (3.0, 60.0, 20.0)
        );
        assert_eq!(
            (c.grid.cols(), c.grid.rows(), c.grid.bezel_px()),
            (3, 2, 40.0)
        );
        assert_eq!(c.tile, Tile { col: 2, row: 1 });
        assert_eq!(
            c.status_tiles,
            vec![Tile { col: 0, row: 0 }, Tile { col: 2, row: 0 }]
        );
        assert_eq!(c.daily_reload.map(QuietHour::minutes), Some(270));
        assert_eq!(c.tours.len(), 2);
        let port = &c.tours[0];
        assert_eq!(port.name, "Calais port");
        assert_eq!(
            port.layers,
            vec![
                TourLayer::Map(LayerId::Basemap),
                TourLayer::Map(LayerId::Ports),
                TourLayer::Incidents
            ]
        );
        assert_eq!(port.dwell_ms(), 20_000);
        let dunkirk = &c.tours[1];
        assert_eq!(dunkirk.dwell_s, DEFAULT_DWELL_S);
        assert!(dunkirk.heatmap_compare);
        assert_eq!(dunkirk.layers, TourLayer::DEFAULT.to_vec());
        for (k, l) in TourLayer::KEYS.iter().zip(TourLayer::ALL) {
            assert_eq!(l.key(), *k);
            assert_eq!(TourLayer::from_key(k), Some(l));
        }
    }

    #[test]
    fn the_map_scale_is_pinned_or_refused_by_name() {
        assert_eq!(wall(r#"{"scale": 1.5}"#).scale, Some(1.5));
        assert_eq!(wall(r#"{"scale": null}"#).scale, None);
        for bad in [r#"{"scale": 0}"#, r#"{"scale": 9}"#] {
            let c = wall(bad);
            assert_eq!(c.scale, None);
            assert_eq!(
                fields(&c),
                vec![(
                    "wall.scale".to_string(),
                    ConfigProblem::OutOfRange {
                        min: MAP_SCALE.0,
                        max: MAP_SCALE.1
                    }
                )]
            );
        }
        let c = wall(r#"{"scale": "big"}"#);
        assert_eq!((c.scale, c.problems.len()), (None, 1));
    }

    #[test]
    fn a_bad_view_is_left_out_and_named() {
        let c = wall(
            r#"{"tours": [
                {"name": "Calais port", "center": [1.865, 50.966], "zoom": 13},
                {"name": "Too close", "center": [1.81, 50.929], "zoom": 25},
                {"name": "Coquelles", "center": [1.81, 50.929], "zoom": 14,
                 "layers": ["fences", "radar"]},
                {"name": "No centre", "zoom": 10},
                {"name": "Blink", "center": [1.9, 51.0], "zoom": 10, "dwell_s": 0.5},
                {"center": [400, 51.0], "zoom": 10},
                "Dunkirk",
                {"name": "Channel", "center": [1.5, 50.9], "zoom": 9, "dwell_s": "long"}
            ]}"#,
        );
        let names: Vec<&str> = c.tours.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["Calais port", "Coquelles"]);
        assert_eq!(c.tours[1].layers, vec![TourLayer::Map(LayerId::Fences)]);
        let f = fields(&c);
        let field_names: Vec<&str> = f.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            field_names,
            [
                "wall.tours[1].zoom",
                "wall.tours[2].layers[1]",
                "wall.tours[3].center",
                "wall.tours[4].dwell_s",
                "wall.tours[5].name",
                "wall.tours[5].center[0]",
                "wall.tours[6]",
                "wall.tours[7].dwell_s",
            ]
        );
        assert_eq!(
            f[0].1,
            ConfigProblem::OutOfRange {
                min: Zoom::MIN,
                max: Zoom::MAX
            }
        );
        assert_eq!(f[1].1, ConfigProblem::OneOf(TourLayer::KEYS));
        assert_eq!(f[2].1, ConfigProblem::Missing);
        assert_eq!(f[4].1, ConfigProblem::Missing);
        assert_eq!(f[6].1, ConfigProblem::SectionNotObject);
        assert!(matches!(f[7].1, ConfigProblem::WrongType(_)));
    }

    #[test]
    fn a_bad_grid_makes_a_single_screen() {
        for (json, field) in [
            (r#"{"cols": 0, "rows": 1}"#, "wall.cols"),
            (r#"{"cols": 2, "rows": 40}"#, "wall.rows"),
            (r#"{"cols": 2, "bezel_px": -3}"#, "wall.bezel_px"),
            (r#"{"cols": 2, "tile": [2, 0]}"#, "wall.tile[0]"),
            (r#"{"cols": 2, "tile": [0, 1]}"#, "wall.tile[1]"),
            (r#"{"cols": "two"}"#, "wall.cols"),
            (r#"{"cols": 2, "tile": "1,0"}"#, "wall.tile"),
        ] {
            let c = wall(json);
            assert_eq!(c.grid, Grid::default(), "{json}");
            assert_eq!(c.tile, Tile::default(), "{json}");
            assert_eq!(fields(&c)[0].0, field, "{json}");
        }
    }

    #[test]
    fn other_bad_options_keep_their_defaults() {
        let c = wall(
            r#"{"flight_s": 600, "alert_hold_s": -1, "reload_backoff_s": "soon",
                "daily_reload": "4:30", "status_tiles": [[0, 0], [5, 5], "x"]}"#,
        );
        let d = WallConfig::default();
        assert_eq!(
            (c.flight_s, c.alert_hold_s, c.reload_backoff_s),
            (d.flight_s, d.alert_hold_s, d.reload_backoff_s)
        );
        assert_eq!(c.daily_reload, None);
        assert_eq!(c.status_tiles, vec![Tile::default()]);
        let f = fields(&c);
        let names: Vec<&str> = f.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            names,
            [
                "wall.flight_s",
                "wall.alert_hold_s",
                "wall.reload_backoff_s",
                "wall.daily_reload",
                "wall.status_tiles[1][0]",
                "wall.status_tiles[2]",
            ]
        );
        assert!(matches!(f[2].1, ConfigProblem::WrongType(_)));
        assert_eq!(f[3].1, ConfigProblem::NotPattern("HH:MM"));
        // An empty list is reported; the status stays on the first screen.
        let c = wall(r#"{"status_tiles": []}"#);
        assert_eq!(c.status_tiles, vec![Tile::default()]);
        assert_eq!(
            fields(&c)[0],
            ("wall.status_tiles".into(), ConfigProblem::Empty)
        );
        // Null is absent.
        assert_eq!(
            wall(r#"{"daily_reload": null, "cols": null}"#),
            WallConfig::default()
        );
    }

    #[test]
    fn the_query_parts() {
        assert_eq!(parse_wall_size("2x1"), Ok((2, 1)));
        assert_eq!(parse_wall_size(" 3X2 "), Ok((3, 2)));
        for bad in ["2", "2x", "x1", "2*1", "-2x1", "2x1x1", "+2x1", ""] {
            assert_eq!(
                parse_wall_size(bad),
                Err(ConfigProblem::NotPattern("COLSxROWS")),
                "{bad}"
            );
        }
        assert!(matches!(
            parse_wall_size("0x1"),
            Err(ConfigProblem::OutOfRange { .. })
        ));
        assert!(matches!(
            parse_wall_size("17x1"),
            Err(ConfigProblem::OutOfRange { .. })
        ));
        assert_eq!(parse_tile("1,0"), Ok(Tile { col: 1, row: 0 }));
        assert_eq!(parse_tile("1;0"), Err(ConfigProblem::NotPattern("C,R")));
        assert_eq!(parse_bezel("40"), Ok(40.0));
        assert_eq!(parse_bezel("12.5"), Ok(12.5));
        for bad in ["-1", "NaN", "inf", "wide", "5000"] {
            assert!(
                matches!(parse_bezel(bad), Err(ConfigProblem::OutOfRange { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_query_overrides_the_config() {
        let c = wall(r#"{"cols": 2, "rows": 1, "bezel_px": 30, "status_tiles": [[1, 0]]}"#);
        let (p, e) = c.placement(&WallQuery::default());
        assert!(e.is_empty());
        assert_eq!(
            (p.grid, p.tile, p.shows_status),
            (c.grid, Tile::default(), false)
        );
        let q = WallQuery {
            tile: Some("1,0"),
            ..WallQuery::default()
        };
        let (p, _) = c.placement(&q);
        assert_eq!(
            (p.tile, p.shows_status, p.grid.bezel_px()),
            (Tile { col: 1, row: 0 }, true, 30.0)
        );
        let q = WallQuery {
            wall: Some("3x2"),
            tile: Some("2,1"),
            bezel: Some("0"),
        };
        let (p, e) = c.placement(&q);
        assert!(e.is_empty());
        assert_eq!(
            (p.grid.cols(), p.grid.rows(), p.grid.bezel_px()),
            (3, 2, 0.0)
        );
        assert_eq!(p.tile, Tile { col: 2, row: 1 });
        assert!(!p.shows_status);
        // A tile outside the grid: a single screen, the parameter named.
        let q = WallQuery {
            wall: Some("2x1"),
            tile: Some("2,0"),
            bezel: None,
        };
        let (p, e) = c.placement(&q);
        assert_eq!(
            (p.grid, p.tile, p.shows_status),
            (Grid::default(), Tile::default(), true)
        );
        assert_eq!(
            e,
            vec![QueryError {
                param: WallParam::Tile,
                value: "2,0".into(),
                problem: ConfigProblem::OutOfRange { min: 0.0, max: 1.0 }
            }]
        );
        // A bad value: a single screen too.
        let q = WallQuery {
            wall: Some("two-by-one"),
            tile: Some("1,0"),
            bezel: None,
        };
        let (p, e) = c.placement(&q);
        assert_eq!(p.grid, Grid::default());
        assert_eq!(e[0].param, WallParam::Wall);
        assert_eq!(e[0].problem, ConfigProblem::NotPattern("COLSxROWS"));
        // Status tiles outside the query's grid: tile (0, 0) shows the status.
        let c = wall(r#"{"cols": 3, "status_tiles": [[2, 0]]}"#);
        let q = WallQuery {
            wall: Some("2x1"),
            ..WallQuery::default()
        };
        assert!(c.placement(&q).0.shows_status);
    }
}
