//! The `heatmap` section of `config.json`: what the heatmap shows at start.
//!
//! Units: the bandwidth in ground metres, densities in reports per km², the port radius in
//! ground metres, comparison windows as RFC 3339 date-times (read to milliseconds since the
//! epoch). A value out of range is refused with its dotted field name
//! ([`ConfigError::Invalid`]), never silently clamped.
//!
//! `window` is a preset (`"1h"`, `"24h"`, `"7d"`, `"30d"`) or an interval
//! `{"from": …, "to": …}` of at most [`MAX_CUSTOM_DAYS`] days.
//!
//! ```json
//! "heatmap": {"enabled": true, "bandwidth_m": 500, "window": "24h", "scale": "fixed",
//!   "fixed_max_per_km2": 10, "weighting": "count", "resolution": 0.5, "port_radius_m": 10000,
//!   "compare": {"a": {"from": "2026-11-01T00:00:00Z", "to": "2026-11-08T00:00:00Z"},
//!               "b": {"from": "2026-11-29T00:00:00Z", "to": "2026-12-06T00:00:00Z"}}}
//! ```

use super::Bandwidth;
use super::displacement::Window;
use super::history::Weighting;
use crate::config::{ConfigError, ConfigProblem, invalid, take};
use crate::time::Timestamp;
use serde_json::{Map, Value};

/// Longest custom window, days (`heatmap.window` as `{"from", "to"}`): a year of history.
pub const MAX_CUSTOM_DAYS: i64 = 366;

/// The heatmap's time window, counted back from now (or the playback time).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeatWindow {
    Hour1,
    Hours24,
    Days7,
    Days30,
    /// An explicit interval.
    Custom(Window),
}

impl HeatWindow {
    /// The presets with their config keys.
    pub const PRESETS: [(&'static str, HeatWindow); 4] = [
        ("1h", HeatWindow::Hour1),
        ("24h", HeatWindow::Hours24),
        ("7d", HeatWindow::Days7),
        ("30d", HeatWindow::Days30),
    ];

    /// Config key of a preset (`"custom"` for an interval).
    pub fn key(self) -> &'static str {
        Self::PRESETS
            .iter()
            .find(|(_, w)| *w == self)
            .map_or("custom", |(k, _)| k)
    }

    /// Its length, ms.
    pub fn length_ms(self) -> i64 {
        let w = self.at(0);
        w.to_ms - w.from_ms
    }

    /// The interval ending at `now_ms`.
    pub fn at(self, now_ms: i64) -> Window {
        const H: i64 = 3_600_000;
        let back = match self {
            HeatWindow::Hour1 => H,
            HeatWindow::Hours24 => 24 * H,
            HeatWindow::Days7 => 7 * 24 * H,
            HeatWindow::Days30 => 30 * 24 * H,
            HeatWindow::Custom(w) => return w,
        };
        Window {
            from_ms: now_ms - back,
            to_ms: now_ms,
        }
    }
}

/// How densities map to colours at start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScaleMode {
    /// Absolute: `fixed_max_per_km2` is the top colour.
    Fixed,
    /// The highest density in view is the top colour.
    Relative,
}

/// The `heatmap` section.
#[derive(Clone, Debug, PartialEq)]
pub struct HeatmapConfig {
    pub enabled: bool,
    pub bandwidth: Bandwidth,
    pub window: HeatWindow,
    pub scale: ScaleMode,
    /// Top of the fixed scale, reports per km².
    pub fixed_max_per_km2: f64,
    pub weighting: Weighting,
    /// Grid cells per CSS px (0.125 ..= 1; ½: half the screen's resolution).
    pub resolution: f64,
    /// Neighbourhood of each port in the displacement table, ground metres.
    pub port_radius_m: f64,
    /// Two windows to compare at start.
    pub compare: Option<(Window, Window)>,
}

impl Default for HeatmapConfig {
    fn default() -> Self {
        HeatmapConfig {
            enabled: false,
            bandwidth: Bandwidth::default(),
            window: HeatWindow::Hours24,
            scale: ScaleMode::Fixed,
            fixed_max_per_km2: 10.0,
            weighting: Weighting::Count,
            resolution: 0.5,
            port_radius_m: 10_000.0,
            compare: None,
        }
    }
}

fn one_of<T: Copy>(
    field: &str,
    value: Option<&Value>,
    options: &'static [&'static str],
    values: &[T],
) -> Result<Option<T>, ConfigError> {
    let Some(v) = value.filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let pick = v
        .as_str()
        .and_then(|s| options.iter().position(|o| *o == s))
        .and_then(|i| values.get(i).copied());
    pick.map(Some)
        .ok_or_else(|| invalid(field, ConfigProblem::OneOf(options)))
}

fn in_range(field: &str, v: f64, min: f64, max: f64) -> Result<f64, ConfigError> {
    if v.is_finite() && (min..=max).contains(&v) {
        Ok(v)
    } else {
        Err(invalid(field, ConfigProblem::OutOfRange { min, max }))
    }
}

fn window(m: &Map<String, Value>, path: &str) -> Result<Window, ConfigError> {
    let Some(Value::Object(w)) = m.get(path.rsplit('.').next().unwrap_or(path)) else {
        return Err(invalid(path, ConfigProblem::SectionNotObject));
    };
    let time = |key: &str| -> Result<i64, ConfigError> {
        let field = format!("{path}.{key}");
        w.get(key)
            .and_then(Value::as_str)
            .and_then(Timestamp::parse_rfc3339)
            .map(Timestamp::millis)
            .ok_or_else(|| invalid(field, ConfigProblem::NotADateTime))
    };
    let (from, to) = (time("from")?, time("to")?);
    Window::new(from, to).ok_or_else(|| invalid(format!("{path}.to"), ConfigProblem::NotAfterFrom))
}

/// Read the `heatmap` section (absent keys keep their defaults).
pub fn parse_heatmap(m: &Map<String, Value>) -> Result<HeatmapConfig, ConfigError> {
    let mut c = HeatmapConfig::default();
    take(m, "heatmap", "enabled", &mut c.enabled)?;
    let mut bandwidth = c.bandwidth.metres();
    take(m, "heatmap", "bandwidth_m", &mut bandwidth)?;
    c.bandwidth = Bandwidth::new(bandwidth).map_err(|_| {
        invalid(
            "heatmap.bandwidth_m",
            ConfigProblem::OutOfRange {
                min: Bandwidth::MIN_M,
                max: Bandwidth::MAX_M,
            },
        )
    })?;
    let presets: Vec<HeatWindow> = HeatWindow::PRESETS.iter().map(|(_, w)| *w).collect();
    if let Some(Value::Object(_)) = m.get("window") {
        let w = window(m, "heatmap.window")?;
        if w.to_ms - w.from_ms > MAX_CUSTOM_DAYS * 86_400_000 {
            return Err(invalid(
                "heatmap.window.to",
                ConfigProblem::OutOfRange {
                    min: 0.0,
                    max: MAX_CUSTOM_DAYS as f64,
                },
            ));
        }
        c.window = HeatWindow::Custom(w);
    } else if let Some(w) = one_of(
        "heatmap.window",
        m.get("window"),
        &["1h", "24h", "7d", "30d"],
        &presets,
    )? {
        c.window = w;
    }
    if let Some(s) = one_of(
        "heatmap.scale",
        m.get("scale"),
        &["fixed", "relative"],
        &[ScaleMode::Fixed, ScaleMode::Relative],
    )? {
        c.scale = s;
    }
    if let Some(w) = one_of(
        "heatmap.weighting",
        m.get("weighting"),
        &["count", "severity"],
        &[Weighting::Count, Weighting::Severity],
    )? {
        c.weighting = w;
    }
    take(m, "heatmap", "fixed_max_per_km2", &mut c.fixed_max_per_km2)?;
    c.fixed_max_per_km2 = in_range("heatmap.fixed_max_per_km2", c.fixed_max_per_km2, 0.001, 1e6)?;
    take(m, "heatmap", "resolution", &mut c.resolution)?;
    c.resolution = in_range("heatmap.resolution", c.resolution, 0.125, 1.0)?;
    take(m, "heatmap", "port_radius_m", &mut c.port_radius_m)?;
    c.port_radius_m = in_range("heatmap.port_radius_m", c.port_radius_m, 100.0, 100_000.0)?;
    match m.get("compare") {
        None | Some(Value::Null) => {}
        Some(Value::Object(cmp)) => {
            c.compare = Some((
                window(cmp, "heatmap.compare.a")?,
                window(cmp, "heatmap.compare.b")?,
            ));
        }
        Some(_) => return Err(invalid("heatmap.compare", ConfigProblem::SectionNotObject)),
    }
    Ok(c)
}
