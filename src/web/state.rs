//! The one app state, provided in Leptos context, and the view changes every panel may ask
//! for (fly to a place, zoom about the centre).
//!
//! Units: the view is a [`Viewport`] (EPSG:3857 centre, zoom, CSS px size, device pixel ratio);
//! pointer positions are CSS px relative to the map canvas' top-left corner; fly times are ms.
//!
//! Several screens as one map (issue 13, `?mode=wall&wall=COLSxROWS&tile=C,R&bezel=PX`): the
//! app's [`AppState::view`] is the WHOLE wall's view, in virtual CSS px of the map
//! (`core::wall::tiling`), so everything that moves the view (fly to, fit, tours, the config's
//! start view) frames the wall as one map; each screen draws its part of it,
//! [`WallScreen::tile_view`], and places the labels once in the whole view's px. On a single
//! screen the two are the same view.
//!
//! `AppState` holds the handles of the data modules (`load`, `feed`, `geofence`,
//! `zone_editor`, `grids`), so it sits above them: they never call [`use_app`]. Panels, the map and the
//! renderer sit above it (ARCHITECTURE.md, "no import cycles among src/web modules").

use leptos::prelude::*;

use crate::core::config::Config;
use crate::core::heatmap::history::load_span;
use crate::core::heatmap::playback::{Accumulation, Playback};
use crate::core::heatmap::settings::{HeatWindow, HeatmapConfig};
use crate::core::model::LayerId;
use crate::core::units::{LonLat, Mercator, Zoom};
use crate::core::viewport::{Viewport, region_bounds};
use crate::core::wall::WallConfig;
use crate::core::wall::settings::WallQuery;
use crate::core::wall::tiling::{Grid, Tile, WallLayout};
use crate::displacement::{Comparison, Summary, summary_memo};
use crate::env::{now_ms, on_animation_frame, wall_ms};
pub use crate::load::LayerState;

/// A feature the info card shows: which one, and whether it stays open when the pointer leaves.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Selection {
    pub layer: LayerId,
    pub feature: usize,
    pub pinned: bool,
}

/// Per-layer visibility, indexed like [`LayerId::ALL`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Visibility([bool; 4]);

impl Default for Visibility {
    fn default() -> Self {
        Visibility([true; 4])
    }
}

impl Visibility {
    pub fn get(self, id: LayerId) -> bool {
        self.0[layer_index(id)]
    }
    pub fn set(&mut self, id: LayerId, on: bool) {
        self.0[layer_index(id)] = on;
    }
}

pub fn layer_index(id: LayerId) -> usize {
    LayerId::ALL.iter().position(|l| *l == id).unwrap_or(0)
}

/// The last frame drawn, for `?perf` and the benchmark hook.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FrameStat {
    pub kind: FrameKind,
    pub ms: f64,
    pub features_drawn: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameKind {
    /// The cached composite moved or scaled during a pan or zoom.
    Gesture,
    /// Layers re-projected and re-rendered.
    Full,
    /// Cached basemap re-composited with the overlays (toggle, selection, data change).
    Compose,
}

impl FrameKind {
    pub fn key(self) -> &'static str {
        match self {
            FrameKind::Gesture => "gesture",
            FrameKind::Full => "full",
            FrameKind::Compose => "compose",
        }
    }
}

/// What the heatmap layer last drew, for its legend (`heatmap_ui.rs`) and the tests.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HeatmapShown {
    /// The highest density among the cells covering the view, reports per km².
    pub peak_per_km2: f64,
    /// The density drawn with the ramp's top colour (the fixed scale's top, or the peak).
    pub top_per_km2: Option<f64>,
    /// The bandwidth σ it was computed with, ground metres.
    pub bandwidth_m: f64,
    /// Reports in the window (both windows of a difference) that passed the filters.
    pub reports: usize,
    /// A difference of two windows per day (B − A, diverging ramp; the peak and top are then
    /// the largest |difference| in view, reports per km² per day).
    pub difference: bool,
}

/// The app state: signals only, so it is `Copy` and cheap to hand to every component.
#[derive(Clone, Copy)]
pub struct AppState {
    /// `public/config.json` (or `?config=`); a failure falls back to the defaults and is shown.
    pub config: crate::fetched::Fetched<Result<Config, crate::load::LoadError>>,
    pub view: RwSignal<Viewport>,
    /// The view is being flown (`fly_to`, the wall's tour flights, an alert's fly-in and back,
    /// the home view's glide): until it lands, frames stay on the gesture path (the cached
    /// bitmaps moved) however long one takes, so no sharp re-render lands mid-flight; the sharp
    /// frame comes once it has landed and been still for `render::SETTLE_MS` (read untracked).
    pub flying: RwSignal<bool>,
    /// Indexed like [`LayerId::ALL`]; `None` while the first fetch is under way.
    pub layers: [crate::fetched::Fetched<LayerState>; 4],
    pub visibility: RwSignal<Visibility>,
    pub selection: RwSignal<Option<Selection>>,
    pub cursor: RwSignal<Option<LonLat>>,
    pub last_frame: RwSignal<Option<FrameStat>>,
    /// True once the first frame with every layer loaded (or failed) is drawn.
    pub ready: RwSignal<bool>,
    /// Bumped to re-fetch the data layers (fences, cameras, ports).
    pub reload: RwSignal<u64>,
    /// The optional raster tile layer (only offered when the config names a tile server).
    pub tiles_on: RwSignal<bool>,
    /// The live incident feed, its store and the operator's incident filter and selection.
    pub incidents: crate::feed::Incidents,
    /// Zones, their live counts and the alert ticker.
    pub geofence: crate::geofence::Geofence,
    /// Drawing, editing, saving, importing and exporting the operator's zones.
    pub zone_editor: crate::zone_editor::ZoneEditor,
    /// The zones drawn on the map (the zones layer toggle; counts and alerts go on).
    pub zones_on: RwSignal<bool>,
    /// How the app presents itself (desk, wall, tablet): `?mode=`, set by the app at start;
    /// panels and layers read it (the root carries it as `data-mode`).
    pub mode: RwSignal<crate::core::display::DisplayMode>,
    /// Screen CSS px per CSS px of the map (`DisplayMode::scale`: 1 but on the wall, where the
    /// map's symbols and labels grow with the screen): the view is the screen's size divided
    /// by it, its device pixel ratio multiplied, and the map's stage CSS-scaled back up.
    pub map_scale: RwSignal<f64>,
    /// This screen's part of a wall of several screens (a single screen by default): the grid
    /// in the map's CSS px, this screen's tile, whether it shows the status, the pinned scale.
    pub wall_screen: RwSignal<WallScreen>,
    /// The operator's language (English by default; `?lang=` at start, issue 14's switch).
    pub lang: RwSignal<crate::strings::Lang>,
    /// The incident history behind the heatmap (loaded when the heatmap is first shown).
    pub history: crate::history::IncidentHistory,
    /// The heatmap's settings (config `heatmap` at start, then the panel).
    pub heatmap: RwSignal<HeatmapConfig>,
    /// What the heatmap layer last drew (`None`: nothing yet, or switched off).
    pub heatmap_shown: RwSignal<Option<HeatmapShown>>,
    /// The heatmap engine's part (`render::heatmap::engine`, loaded on first use): `None`
    /// before it is asked for or while it comes, `Some(false)` when it could not be fetched.
    pub heat_engine: RwSignal<Option<bool>>,
    /// Playback of the history (`None`: the heatmap's window ends now and follows the feed).
    pub playback: RwSignal<Option<Playback>>,
    /// Two windows compared (`None`: no comparison; `Some`: the heatmap shows their difference
    /// per day and the displacement summary is shown).
    pub compare: RwSignal<Option<Comparison>>,
    /// The displacement summary of `compare` (`None` while no comparison is open).
    pub displacement: Memo<Option<Summary>>,
    /// The national grids: the OSTN15 grid file, the WGS84 form chosen, the go-to marker.
    pub grids: crate::grids::Grids,
    /// Offline use (issue 14 item 3): the service worker, the device's store, the last picture.
    pub offline: crate::offline::Offline,
    /// The device's position the officer last asked for ("Where am I", `locate_ui.rs`), drawn
    /// with its accuracy circle while the panel is open; `None` otherwise.
    pub device: RwSignal<Option<crate::geolocation::DeviceFix>>,
    /// The tablet layout's bottom sheets (issue 14 item 1): the panels registered as tabs,
    /// the open one and its height (`sheets.rs`).
    pub sheets: Sheets,
    /// On a tablet, a tap that hit several things: the list to choose from (`tap_chooser.rs`).
    pub chooser: RwSignal<Option<TapChoices>>,
    /// The operator's note for the next export (`export-note`, `export_ui.rs`): kept here so a
    /// language switch or a layout change, which rebuilds the dialog, keeps what was typed.
    pub export_note: RwSignal<String>,
}

/// A panel that is a bottom sheet in the tablet layout: its key (the sheet's `data-sheet`
/// and its tab's `data-testid="sheet-tab-KEY"`) and its tab's label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SheetTab {
    pub key: &'static str,
    pub label: crate::strings::T,
}

/// The key of the cards' sheet (the info and incident cards): it opens by itself while a
/// feature or an incident is selected, over the tab that was open.
pub const CARD_SHEET: &str = "card";

/// The bottom sheets of the tablet layout: one open at a time (or none: only the tab bar).
#[derive(Clone, Copy)]
pub struct Sheets {
    /// The tabs, in the order their `Sheet`s were built (`lib.rs`).
    pub tabs: RwSignal<Vec<SheetTab>>,
    /// The open tab's key (`None`: collapsed to the tab bar).
    pub open: RwSignal<Option<&'static str>>,
    /// How far the open sheet is pulled up (half by default, full, or being dragged).
    pub height: RwSignal<crate::core::layout::SheetHeight>,
}

/// What a tap on a tablet hit, when it hit several things: where (CSS px of the map) and the
/// choices, best first.
#[derive(Clone, Debug, PartialEq)]
pub struct TapChoices {
    pub x: f64,
    pub y: f64,
    pub choices: Vec<Choice>,
}

/// One thing a tap may have meant.
#[derive(Clone, Debug, PartialEq)]
pub enum Choice {
    /// A live incident, by id.
    Incident(String),
    /// A feature of a data layer (fence, camera, port).
    Feature(Selection),
    /// A zone: its name and bounds (choosing it flies there, as its row in the zone list).
    Zone {
        name: String,
        bounds: crate::core::viewport::MercatorBounds,
    },
}

impl AppState {
    /// Creates the state and starts the fetches; call inside the root component.
    pub fn new(config_url: String, initial: Viewport) -> Self {
        let reload = RwSignal::new(0u64);
        let config =
            crate::fetched::Fetched::new(move || crate::load::load_config(config_url.clone()));
        let layers = LayerId::ALL.map(|id| {
            crate::fetched::Fetched::new(move || {
                let cfg = config.get();
                // The basemap is static; the data layers re-fetch on `reload`.
                if id != LayerId::Basemap {
                    reload.track();
                }
                crate::load::load_layer(id, cfg)
            })
        });
        let geofence = crate::geofence::Geofence::new(config);
        let incidents = crate::feed::Incidents::new();
        let history = crate::history::IncidentHistory::new();
        let heatmap = RwSignal::new(HeatmapConfig::default());
        let compare = RwSignal::new(None);
        let displacement = summary_memo(
            history,
            compare,
            incidents.filter,
            heatmap,
            layers[layer_index(LayerId::Ports)],
        );
        AppState {
            config,
            view: RwSignal::new(initial),
            flying: RwSignal::new(false),
            layers,
            visibility: RwSignal::new(Visibility::default()),
            selection: RwSignal::new(None),
            cursor: RwSignal::new(None),
            last_frame: RwSignal::new(None),
            ready: RwSignal::new(false),
            reload,
            tiles_on: RwSignal::new(false),
            incidents,
            geofence,
            zone_editor: crate::zone_editor::ZoneEditor::new(geofence),
            zones_on: RwSignal::new(true),
            mode: RwSignal::new(crate::core::display::DisplayMode::default()),
            map_scale: RwSignal::new(1.0),
            wall_screen: RwSignal::new(WallScreen::default()),
            lang: RwSignal::new(crate::strings::Lang::default()),
            history,
            heatmap,
            heatmap_shown: RwSignal::new(None),
            heat_engine: RwSignal::new(None),
            playback: RwSignal::new(None),
            compare,
            displacement,
            grids: crate::grids::Grids::new(),
            offline: crate::offline::Offline::new(),
            device: RwSignal::new(None),
            sheets: Sheets {
                tabs: RwSignal::new(Vec::new()),
                open: RwSignal::new(None),
                height: RwSignal::new(crate::core::layout::SheetHeight::Half),
            },
            chooser: RwSignal::new(None),
            export_note: RwSignal::new(String::new()),
        }
    }

    /// The sheet shown in the tablet layout: the cards' while a feature or an incident is
    /// selected, else the open tab's (tracked).
    pub fn shown_sheet(self) -> Option<&'static str> {
        let card =
            self.selection.with(Option::is_some) || self.incidents.selected.with(Option::is_some);
        if card {
            Some(CARD_SHEET)
        } else {
            self.sheets.open.get()
        }
    }

    /// Opens the tab `key` (a second tap on the open one collapses it); the cards close, one
    /// sheet being open at a time.
    pub fn toggle_sheet(self, key: &'static str) {
        let card = self.selection.with_untracked(Option::is_some)
            || self.incidents.selected.with_untracked(Option::is_some);
        self.selection.set(None);
        self.incidents.selected.set(None);
        self.chooser.set(None);
        let open = self.sheets.open.get_untracked();
        if open == Some(key) && !card {
            self.sheets.open.set(None);
        } else {
            self.sheets.open.set(Some(key));
        }
    }

    /// Hides the shown sheet: the cards close, the tab collapses.
    pub fn hide_sheet(self) {
        self.selection.set(None);
        self.incidents.selected.set(None);
        self.sheets.open.set(None);
    }

    /// Shows or hides the heatmap (hiding it ends its playback and comparison); the first time it
    /// is shown, the history of its span (the last 30 days, or the comparison windows') starts
    /// loading.
    pub fn show_heatmap(self, on: bool) {
        self.heatmap.update(|h| h.enabled = on);
        if !on {
            // The playback and the comparison are the heatmap's: they go with it.
            self.heatmap_shown.set(None);
            self.playback.set(None);
            self.compare.set(None);
            return;
        }
        let cfg = self
            .config
            .get_untracked()
            .and_then(Result::ok)
            .unwrap_or_default();
        let compare = self
            .compare
            .get_untracked()
            .map(|c| (c.a, c.b))
            .or(self.heatmap.with_untracked(|h| h.compare));
        let mut span = load_span(wall_ms() as i64, compare);
        // A custom window in the past is loaded too.
        if let HeatWindow::Custom(w) = self.heatmap.with_untracked(|h| h.window) {
            span.from_ms = span.from_ms.min(w.from_ms);
            span.to_ms = span.to_ms.max(w.to_ms);
        }
        self.history.load(&cfg.incidents, span);
    }

    /// The playback, started if it is not: over the history's span (to now, at least), the
    /// cursor at the end (the picture stays what it was), sliding by the heatmap's window.
    /// `None` before the history has been asked for.
    pub fn playback_started(self) -> Option<Playback> {
        if let Some(p) = self.playback.get_untracked() {
            return Some(p);
        }
        let span = self.history.span.get_untracked()?;
        let now = self.incidents.clock.get_untracked() + crate::feed::CLOCK_STEP_MS;
        let mut p = Playback::new(span.from_ms, span.to_ms.max(now))?;
        p.accumulation = Accumulation::Sliding {
            width_ms: self.heatmap.with_untracked(|h| h.window.length_ms()),
        };
        p.seek(p.end_ms);
        self.playback.set(Some(p));
        Some(p)
    }

    /// Changes the running playback, if any.
    pub fn update_playback(self, f: impl FnOnce(&mut Playback)) {
        self.playback.update(|p| {
            if let Some(p) = p.as_mut() {
                f(p);
            }
        });
    }

    /// The heatmap's window (a preset or an interval); a sliding playback slides by it.
    pub fn set_heat_window(self, w: HeatWindow) {
        self.heatmap.update(|h| h.window = w);
        self.update_playback(|p| {
            if let Accumulation::Sliding { .. } = p.accumulation {
                p.accumulation = Accumulation::Sliding {
                    width_ms: w.length_ms(),
                };
            }
        });
    }

    /// Opens a comparison of two windows: the heatmap shows their difference, playback stops.
    pub fn open_compare(self, c: Comparison) {
        self.playback.set(None);
        self.compare.set(Some(c));
        self.show_heatmap(true);
    }

    /// The layer's state, tracked.
    pub fn layer(&self, id: LayerId) -> LayerState {
        self.layers[layer_index(id)]
            .get()
            .unwrap_or(LayerState::Loading)
    }

    /// The layer's state, untracked (for event handlers and the renderer).
    pub fn layer_untracked(&self, id: LayerId) -> LayerState {
        self.layers[layer_index(id)]
            .get_untracked()
            .unwrap_or(LayerState::Loading)
    }
}

/// The view's size for the window in `mode`: CSS px and device pixel ratio of the map, and the
/// scale between the screen and the map (`DisplayMode::scale`).
pub fn map_size(mode: crate::core::display::DisplayMode) -> (f64, f64, f64, f64) {
    let (w, h, dpr) = crate::env::window_size();
    let k = mode.scale(w);
    (w / k, h / k, dpr * k, k)
}

/// This screen's part of the wall: the whole wall's layout in the map's CSS px
/// (`WallLayout::in_map_px`: screens and bezels divided by the map scale `k`), this screen's
/// tile, whether it shows the status bar and the alerts, the screens that do (their panels
/// block labels for the whole wall), and the scale pinned by `wall.scale`.
#[derive(Clone, Debug, PartialEq)]
pub struct WallScreen {
    pub layout: WallLayout,
    pub tile: Tile,
    pub shows_status: bool,
    pub status_tiles: Vec<Tile>,
    pub scale: Option<f64>,
}

impl Default for WallScreen {
    /// A single screen (its layout sized by [`AppState::fit_to_window`]).
    fn default() -> Self {
        WallScreen {
            layout: WallLayout::new(Grid::default(), 1.0, 1.0),
            tile: Tile::default(),
            shows_status: true,
            status_tiles: vec![Tile::default()],
            scale: None,
        }
    }
}

impl WallScreen {
    /// Is this screen one tile of several?
    pub fn is_tiled(&self) -> bool {
        self.layout.grid().is_multi()
    }

    /// This screen's view of the whole wall's `view` (the same view on a single screen).
    pub fn tile_view(&self, view: &Viewport) -> Viewport {
        if self.is_tiled() {
            self.layout.tile_view(view, self.tile)
        } else {
            *view
        }
    }

    /// This screen's CSS px (of the map) to the whole wall's.
    pub fn to_virtual(&self, x: f64, y: f64) -> (f64, f64) {
        self.layout.to_virtual(self.tile, x, y)
    }

    /// The whole wall's CSS px (of the map) to this screen's.
    pub fn to_tile(&self, x: f64, y: f64) -> (f64, f64) {
        self.layout.to_tile(self.tile, x, y)
    }
}

/// The map scale `k` for a window `width_css` wide: pinned by `wall.scale` on the wall, else
/// `DisplayMode::scale`.
fn scale_for(mode: crate::core::display::DisplayMode, width_css: f64, pinned: Option<f64>) -> f64 {
    match (mode, pinned) {
        (crate::core::display::DisplayMode::Wall, Some(k)) => k,
        _ => mode.scale(width_css),
    }
}

impl AppState {
    /// Sizes the view, the wall's layout and the map scale for the window (at start, on a
    /// resize, when the wall's placement is known): the view keeps its centre and zoom and
    /// takes the whole wall's size in the map's CSS px.
    pub fn fit_to_window(self) {
        let (w, h, dpr) = crate::env::window_size();
        let mode = self.mode.get_untracked();
        let mut screen = self.wall_screen.get_untracked();
        let k = scale_for(mode, w, screen.scale);
        screen.layout = WallLayout::in_map_px(screen.layout.grid(), w, h, k);
        let (vw, vh) = screen.layout.virtual_size();
        if screen != self.wall_screen.get_untracked() {
            self.wall_screen.set(screen);
        }
        self.view.update(|v| *v = v.with_size(vw, vh, dpr * k));
        if self.map_scale.get_untracked() != k {
            self.map_scale.set(k);
        }
    }

    /// Places this screen in the wall from the `wall` config section and the page's query
    /// (`WallConfig::placement`; a refused option makes a single screen, named on screen by
    /// `wall_ui.rs`). Only on the wall; `refit`: the view is still the start's region fit, so fit the region to the whole
    /// wall.
    pub fn place_on_wall(self, wall: &WallConfig, refit: bool) {
        if self.mode.get_untracked() != crate::core::display::DisplayMode::Wall {
            return;
        }
        let q = |name| crate::env::query_param(name);
        let (wall_q, tile_q, bezel_q) = (q("wall"), q("tile"), q("bezel"));
        let (placement, _refused) = wall.placement(&WallQuery {
            wall: wall_q.as_deref(),
            tile: tile_q.as_deref(),
            bezel: bezel_q.as_deref(),
        });
        // The screens with the status in this grid (as `placement` decides: (0, 0) if none).
        let grid = placement.grid;
        let mut status_tiles: Vec<Tile> = (grid.is_multi().then_some(&wall.status_tiles))
            .into_iter()
            .flatten()
            .copied()
            .filter(|t| grid.contains(*t))
            .collect();
        if status_tiles.is_empty() {
            status_tiles.push(Tile::default());
        }
        self.wall_screen.set(WallScreen {
            layout: WallLayout::new(grid, 1.0, 1.0),
            tile: placement.tile,
            shows_status: placement.shows_status,
            status_tiles,
            scale: wall.scale,
        });
        self.fit_to_window();
        if refit {
            self.view.update(|v| {
                *v = Viewport::fit(
                    &region_bounds(),
                    v.width_css(),
                    v.height_css(),
                    v.dpr(),
                    24.0,
                );
            });
        }
    }
}

pub fn use_app() -> AppState {
    expect_context::<AppState>()
}

/// How long a fly to an incident or a zone takes, ms.
pub const FLY_MS: f64 = 700.0;

impl AppState {
    /// Animates the view to `center` at `zoom` over [`FLY_MS`], one step per animation frame;
    /// stops if the user moves the map meanwhile (the view is then no longer the one the fly
    /// set).
    ///
    /// In the tablet layout the place lands at the centre of the part of the map the panels
    /// leave visible (`core::layout::free_rect` of the `data-map-reserved` boxes: the open
    /// sheet, the tab bar, the feed strip, the zoom buttons), not under the sheet.
    pub fn fly_to(self, center: Mercator, zoom: Zoom) {
        let to = move |from: Viewport| from.with_center(center).with_zoom(zoom);
        if self.mode.get_untracked() != crate::core::display::DisplayMode::Tablet {
            let from = self.view.get_untracked();
            fly_frame(self, from, to(from), flight_start(), from);
            return;
        }
        // On a tablet, from the next frame: the card the selection opens is laid out by then,
        // and the visible part is what it leaves.
        on_animation_frame(move || {
            let from = self.view.get_untracked();
            let (fx, fy) = self.visible_centre();
            let to = to(from);
            let to = to.panned_by(fx - to.width_css() / 2.0, fy - to.height_css() / 2.0);
            fly_frame(self, from, to, flight_start(), from);
        });
    }

    /// The centre of the visible part of the map (CSS px of the view): the largest rectangle
    /// no panel covers (`core::layout::free_rect`).
    pub fn visible_centre(self) -> (f64, f64) {
        use crate::core::layout::{Rect, free_rect};
        let v = self.view.get_untracked();
        let k = self.map_scale.get_untracked();
        let boxes: Vec<Rect> = crate::env::reserved_areas(k)
            .into_iter()
            .filter_map(|[x, y, w, h]| Rect::new(x, y, w, h))
            .collect();
        let map = Rect::new(0.0, 0.0, v.width_css(), v.height_css());
        map.map_or((v.width_css() / 2.0, v.height_css() / 2.0), |m| {
            free_rect(m, &boxes).centre()
        })
    }

    /// Says whether the view is being flown ([`AppState::flying`]), setting it only on a change.
    pub fn set_flying(self, flying: bool) {
        if self.flying.try_get_untracked().is_some_and(|f| f != flying) {
            self.flying.set(flying);
        }
    }

    /// Zooms by `dz` levels about the centre of the map.
    pub fn zoom_centre(self, dz: f64) {
        self.view.update(|v| {
            let (cx, cy) = (v.width_css() / 2.0, v.height_css() / 2.0);
            *v = v.zoomed_at(Zoom::clamped(v.zoom().get() + dz), cx, cy);
        });
    }
}

/// When a flight starts (ms, `now_ms`'s clock): now, or with reduced motion (the system's
/// setting, asked once per flight) a whole flight ago, so that its first frame lands.
fn flight_start() -> f64 {
    if crate::env::reduced_motion() {
        now_ms() - FLY_MS
    } else {
        now_ms()
    }
}

fn fly_frame(state: AppState, from: Viewport, to: Viewport, t0: f64, expected: Viewport) {
    if state.view.try_get_untracked() != Some(expected) {
        // Someone else moved the view: this flight is over.
        state.set_flying(false);
        return;
    }
    let t = ((now_ms() - t0) / FLY_MS).clamp(0.0, 1.0);
    let next = from.fly_step(&to, t);
    state.set_flying(t < 1.0);
    state.view.set(next);
    if t >= 1.0 {
        return;
    }
    on_animation_frame(move || fly_frame(state, from, to, t0, next));
}
