//! The layer seam: what a map layer is to the renderer, in the manner of galileo's `Layer`.
//!
//! A layer has a cheap cache [`LayerKey`] (the view, its data revision, whatever else changes
//! its pixels, the display mode), an expensive [`MapLayer::prepare`] (project and build its
//! paths or bitmaps) run only when that key changes, and a cheap [`MapLayer::draw`] that puts
//! the prepared result onto its [`Stage`]'s bitmap. The renderer (`render/mod.rs`) knows no
//! layer by name: it walks the registry (`render/registry.rs`), in draw order, through a
//! [`StageCache`], which decides what to prepare and which bitmap to redraw.
//!
//! Units: the view is a [`Viewport`] (EPSG:3857 centre, zoom, CSS px size, device pixel
//! ratio); layers draw in device px of their stage's bitmap (CSS px × `dpr`); screen ↔ world
//! goes through the view. Times are ms.

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use web_sys::CanvasRenderingContext2d;

use crate::core::display::DisplayMode;
use crate::core::geofence::{CoverageGaps, ZoneSet};
use crate::core::heatmap::displacement::Window;
use crate::core::heatmap::grid::GridSpec;
use crate::core::heatmap::history::{History, Weighting};
use crate::core::heatmap::ramp::Scale;
use crate::core::heatmap::{DensityGrid, Workspace};
use crate::core::incident::{IncidentFilter, IncidentStore};
use crate::core::model::{LayerData, LayerId};
use crate::core::units::Mercator;
use crate::core::viewport::Viewport;
use crate::core::wall::{Tile, WallLayout};
use crate::state::{HeatmapShown, Selection, Visibility, layer_index};

use super::device_position::DeviceMark;
use super::draft::DraftOverlay;
use super::shift_arrow::ShiftArrow;
use super::tiles::TileSource;

/// One data layer as the renderer sees it: the data and its version (0 = none).
pub type LayerInput = Option<(Arc<LayerData>, u64)>;

/// Everything one frame depends on (built by `map.rs` from the app state, untracked).
pub struct Scene {
    pub view: Viewport,
    /// The display mode (desk, wall, tablet): layers may size lines and labels by it.
    pub mode: DisplayMode,
    pub layers: [LayerInput; 4],
    pub visibility: Visibility,
    pub selection: Option<Selection>,
    /// False while a pan or zoom is under way: draw the cached composite moved and scaled.
    pub settled: bool,
    /// The view is being flown (`AppState::flying`): on the wall, where nobody points at the
    /// map, the screen canvas itself is moved by a CSS transform instead of redrawn.
    pub flying: bool,
    /// The raster tile layer, when the config has one and it is switched on.
    pub tiles: Option<TileSource>,
    /// Screen areas covered by panels (`[x, y, w, h]` CSS px): labels are not placed there.
    pub reserved: Vec<[f64; 4]>,
    /// The selected incident's position (EPSG:3857 metres), ringed on screen.
    pub selected_incident: Option<Mercator>,
    /// Geofencing zones and their data version.
    pub zones: Option<(Arc<ZoneSet>, u64)>,
    /// Fence stretches no camera sees, and a key of what they were computed from.
    pub gaps: Option<(Arc<CoverageGaps>, u64)>,
    /// The zone being drawn or reshaped (drawn on the screen, over everything).
    pub draft: Option<DraftOverlay>,
    /// The heatmap, when it is switched on.
    pub heatmap: Option<HeatmapInput>,
    /// The shift of the centre of activity between two compared windows.
    pub shift_arrow: Option<ShiftArrow>,
    /// The device's position and accuracy (where am I), once the officer asked for it.
    pub device: Option<DeviceMark>,
    /// On a wall of several screens: the whole wall's view (`view` is this screen's part).
    pub wall: Option<WallTile>,
}

/// What a screen of a wall of several screens knows of the whole wall: its view (virtual CSS
/// px of the map), the layout and this screen's tile. Layers that place things against one
/// another in screen space (labels, camera clusters) do it once in the whole view and draw them
/// moved into this tile's px, so every screen agrees at the seams (`core::wall::tiling`).
#[derive(Clone, Debug, PartialEq)]
pub struct WallTile {
    pub whole: Viewport,
    pub layout: WallLayout,
    pub tile: Tile,
    /// The screens that show the status panels: every screen lays them out (hidden where they
    /// are not shown), so the panels this screen measures stand on each of these screens.
    pub status_tiles: Vec<Tile>,
}

impl WallTile {
    /// The whole wall's CSS px to this tile's.
    pub fn to_tile(&self, x: f64, y: f64) -> (f64, f64) {
        self.layout.to_tile(self.tile, x, y)
    }

    /// This tile's CSS px to the whole wall's.
    pub fn to_virtual(&self, x: f64, y: f64) -> (f64, f64) {
        self.layout.to_virtual(self.tile, x, y)
    }
}

/// What the heatmap shows: the density of one window (reports per km²), or the difference of
/// two per day (B − A, reports per km² per day).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeatShows {
    Window(Window),
    Difference { a: Window, b: Window },
}

/// What the heatmap is computed from: the history's columns and revision, the window(s), the
/// incident filters and the settings (bandwidth in ground metres, grid cells per CSS px).
pub struct HeatmapInput {
    pub history: Rc<RefCell<History>>,
    pub revision: u64,
    pub shows: HeatShows,
    pub filter: IncidentFilter,
    pub bandwidth_m: f64,
    pub resolution: f64,
    pub scale: Scale,
    pub weighting: Weighting,
    /// Told what was drawn (peak in view, the ramp's top) after each computation.
    pub publish: Rc<dyn Fn(HeatmapShown)>,
    /// The engine (`heatmap::engine`: its part is loaded on first use).
    pub compute: Compute,
}

/// The heatmap engine's one entry (`heatmap::compute`, in the part `heatmap`): the density
/// of `input` over the first view (the whole wall's), this screen's part (the second) painted
/// into the pixels, with the grid and what the legend shows.
pub type Compute = for<'w> fn(
    &HeatmapInput,
    &History,
    &Viewport,
    &Viewport,
    &'w mut Workspace,
    &mut Workspace,
    &mut Vec<u8>,
) -> (Option<(&'w DensityGrid, GridSpec)>, HeatmapShown);

impl Scene {
    /// A data layer and its version, when loaded and switched on.
    pub fn shown(&self, id: LayerId) -> Option<(&LayerData, u64)> {
        self.layers
            .get(layer_index(id))?
            .as_ref()
            .filter(|_| self.visibility.get(id))
            .map(|(d, v)| (d.as_ref(), *v))
    }
}

/// What the incident layer is drawn from in one frame.
pub struct IncidentInput<'a> {
    pub store: &'a IncidentStore,
    /// `store.version()`, read once.
    pub version: u64,
    pub filter: IncidentFilter,
    /// Wall clock (ms since the epoch) in steps of `feed::CLOCK_STEP_MS`: fading and windows.
    pub clock_ms: i64,
}

/// What a layer gets to prepare and draw: the view (with its device pixel ratio), the display
/// mode, the visibility toggles and the frame's data.
pub struct LayerContext<'a> {
    pub scene: &'a Scene,
    pub incidents: Option<&'a IncidentInput<'a>>,
    pub now_ms: &'a dyn Fn() -> f64,
    /// Bumped whenever the map stage's bitmap is redrawn (it then has no incidents on it).
    pub map_generation: u64,
}

impl LayerContext<'_> {
    pub fn view(&self) -> &Viewport {
        &self.scene.view
    }
    pub fn dpr(&self) -> f64 {
        self.scene.view.dpr()
    }
    pub fn mode(&self) -> DisplayMode {
        self.scene.mode
    }
    pub fn visible(&self, id: LayerId) -> bool {
        self.scene.visibility.get(id)
    }
    /// A key of `view`, `data` and `style` in this context's display mode.
    pub fn key(&self, data: u64, style: u64) -> LayerKey {
        LayerKey {
            view: Some(self.scene.view),
            data,
            style,
            mode: self.scene.mode,
        }
    }
}

/// Which bitmap a layer draws on, in draw order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// The basemap bitmap: redrawn when a base layer's key changes.
    Base,
    /// The composite bitmap (the base, then these layers): redrawn when a base or map layer's
    /// key changes; moved and scaled, never re-projected, while a gesture lasts.
    Map,
    /// Over the composite, on the layer's own canvases (or, as a fallback, into the composite):
    /// prepared when its key changes, told to follow the view during gestures.
    Over,
    /// The screen canvas, every frame (selection, the zone under way): nothing cached.
    Screen,
}

/// When a layer's prepared result is stale: compared with the key it was prepared for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LayerKey {
    /// The view it was projected for (`None`: the same for every view).
    pub view: Option<Viewport>,
    /// The revision of its data (0: no data or switched off).
    pub data: u64,
    /// Anything else that changes its pixels (visibility, tiles loaded, filter, clock, …).
    pub style: u64,
    pub mode: DisplayMode,
}

impl LayerKey {
    /// Whether going from `old` to `self` re-projects or brings new data (not only a restyle).
    pub fn is_new_content(&self, old: Option<&LayerKey>) -> bool {
        old.is_none_or(|o| o.view != self.view || o.data != self.data)
    }
}

/// A layer of the map.
pub trait MapLayer {
    /// A stable name (tests and diagnostics).
    fn name(&self) -> &'static str;
    /// The bitmap it draws on.
    fn stage(&self) -> Stage;
    /// Cheap: what its prepared result depends on. `None`: it has no cache of its own and is
    /// prepared whenever its stage is redrawn (never redrawing the stage on its own); the
    /// default, for layers that draw straight from the scene (selection, zone draft).
    fn key(&self, _cx: &LayerContext) -> Option<LayerKey> {
        None
    }
    /// Expensive: project and build what `draw` needs. `ctx` is the stage's context, for
    /// measuring text and creating resources; `prepare` draws nothing. Default: nothing to
    /// prepare.
    fn prepare(&mut self, _cx: &LayerContext, _ctx: &CanvasRenderingContext2d) {}
    /// Cheap: draw the prepared result onto `ctx`; returns the number of features drawn.
    fn draw(&mut self, cx: &LayerContext, ctx: &CanvasRenderingContext2d) -> usize;
    /// Its last `prepare` left work for another frame (its key has changed for it): the map
    /// asks for one. Default: never.
    fn wants_frame(&self) -> bool {
        false
    }
    /// During a gesture the screen shows the map stage drawn for `drawn_for`, moved; a layer
    /// with canvases of its own moves them along.
    fn follow(&mut self, _view: &Viewport, _drawn_for: &Viewport) {}
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

/// What a settled frame must do, decided from the layers' keys.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    /// The layers (registry indices) to prepare before drawing.
    pub prepare: Vec<usize>,
    /// Redraw the base bitmap (its layers, in order).
    pub base: bool,
    /// Redraw the composite (the base, then the map layers).
    pub map: bool,
    /// New content (a view or data change) was prepared for the base or map stage.
    pub new_content: bool,
}

/// The keys each layer was last prepared for, and the decision of what a frame redraws.
#[derive(Debug, Default)]
pub struct StageCache {
    prepared: Vec<Option<LayerKey>>,
    base_drawn: bool,
    map_drawn: bool,
}

impl StageCache {
    /// Whether the composite exists (to move during a gesture).
    pub fn has_map(&self) -> bool {
        self.map_drawn
    }

    /// The plan for layers of `stages` whose current keys are `keys` (`None`: volatile).
    pub fn plan(&self, stages: &[Stage], keys: &[Option<LayerKey>]) -> Plan {
        let changed = |i: usize| {
            keys.get(i)
                .copied()
                .flatten()
                .is_some_and(|k| self.prepared.get(i).copied().flatten() != Some(k))
        };
        let of = |stage: Stage| stages.iter().enumerate().filter(move |(_, s)| **s == stage);
        let base = !self.base_drawn || of(Stage::Base).any(|(i, _)| changed(i));
        let map = base || !self.map_drawn || of(Stage::Map).any(|(i, _)| changed(i));
        let mut plan = Plan {
            base,
            map,
            ..Plan::default()
        };
        for (i, stage) in stages.iter().enumerate() {
            let key = keys.get(i).copied().flatten();
            let redrawn = match stage {
                Stage::Base => base,
                Stage::Map => map,
                Stage::Over => true,
                Stage::Screen => true,
            };
            let stale = match key {
                Some(_) => changed(i),
                None => redrawn,
            };
            if stale {
                plan.prepare.push(i);
                if matches!(stage, Stage::Base | Stage::Map)
                    && key.is_some_and(|k| {
                        k.is_new_content(self.prepared.get(i).and_then(Option::as_ref))
                    })
                {
                    plan.new_content = true;
                }
            }
        }
        plan.new_content |= base;
        plan
    }

    /// Records that `plan` was carried out with `keys`.
    pub fn done(&mut self, plan: &Plan, keys: &[Option<LayerKey>]) {
        self.prepared.resize(keys.len(), None);
        for &i in &plan.prepare {
            if let (Some(slot), Some(key)) = (self.prepared.get_mut(i), keys.get(i)) {
                *slot = *key;
            }
        }
        self.base_drawn |= plan.base;
        self.map_drawn |= plan.map;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::units::{Mercator, Zoom};

    fn view(x: f64) -> Viewport {
        Viewport::new(
            Mercator { x, y: 6_600_000.0 },
            Zoom::new(10.0).unwrap(),
            800.0,
            600.0,
            1.0,
        )
    }

    fn key(view_x: f64, data: u64, style: u64) -> Option<LayerKey> {
        Some(LayerKey {
            view: Some(view(view_x)),
            data,
            style,
            mode: DisplayMode::Desk,
        })
    }

    const STAGES: [Stage; 5] = [Stage::Base, Stage::Map, Stage::Map, Stage::Map, Stage::Over];

    fn keys(fences_style: u64, fences_data: u64) -> Vec<Option<LayerKey>> {
        vec![
            key(0.0, 1, 1),
            key(0.0, fences_data, fences_style),
            key(0.0, 3, 1),
            None,
            key(0.0, 5, 0),
        ]
    }

    fn settle(cache: &mut StageCache, keys: &[Option<LayerKey>]) -> Plan {
        let plan = cache.plan(&STAGES, keys);
        cache.done(&plan, keys);
        plan
    }

    #[test]
    fn the_first_frame_prepares_and_draws_everything() {
        let mut cache = StageCache::default();
        assert!(!cache.has_map());
        let plan = settle(&mut cache, &keys(1, 2));
        assert_eq!(plan.prepare, vec![0, 1, 2, 3, 4]);
        assert!(plan.base && plan.map && plan.new_content);
        assert!(cache.has_map());
    }

    #[test]
    fn unchanged_keys_redraw_nothing() {
        let mut cache = StageCache::default();
        settle(&mut cache, &keys(1, 2));
        let plan = settle(&mut cache, &keys(1, 2));
        assert!(!plan.base && !plan.map && !plan.new_content);
        assert!(plan.prepare.is_empty(), "{:?}", plan.prepare);
    }

    #[test]
    fn a_restyled_layer_is_prepared_alone_and_recomposed() {
        let mut cache = StageCache::default();
        settle(&mut cache, &keys(1, 2));
        let plan = settle(&mut cache, &keys(0, 2));
        // The fences and the volatile layer (labels) of the same stage; not the base.
        assert_eq!(plan.prepare, vec![1, 3]);
        assert!(!plan.base && plan.map && !plan.new_content);
    }

    #[test]
    fn new_data_is_new_content() {
        let mut cache = StageCache::default();
        settle(&mut cache, &keys(1, 2));
        let plan = settle(&mut cache, &keys(1, 7));
        assert_eq!(plan.prepare, vec![1, 3]);
        assert!(plan.map && plan.new_content);
    }

    #[test]
    fn a_new_view_invalidates_every_keyed_layer() {
        let mut cache = StageCache::default();
        settle(&mut cache, &keys(1, 2));
        let moved: Vec<Option<LayerKey>> = keys(1, 2)
            .into_iter()
            .map(|k| {
                k.map(|k| LayerKey {
                    view: Some(view(500.0)),
                    ..k
                })
            })
            .collect();
        let plan = settle(&mut cache, &moved);
        assert_eq!(plan.prepare, vec![0, 1, 2, 3, 4]);
        assert!(plan.base && plan.map && plan.new_content);
    }

    #[test]
    fn the_display_mode_is_part_of_the_key() {
        let mut cache = StageCache::default();
        settle(&mut cache, &keys(1, 2));
        let wall: Vec<Option<LayerKey>> = keys(1, 2)
            .into_iter()
            .map(|k| {
                k.map(|k| LayerKey {
                    mode: DisplayMode::Wall,
                    ..k
                })
            })
            .collect();
        let plan = settle(&mut cache, &wall);
        assert!(plan.base && plan.map);
        assert_eq!(plan.prepare, vec![0, 1, 2, 3, 4]);
    }

    #[test]
    fn an_over_layer_alone_redraws_no_bitmap() {
        let mut cache = StageCache::default();
        settle(&mut cache, &keys(1, 2));
        let mut k = keys(1, 2);
        k[4] = key(0.0, 6, 0);
        let plan = settle(&mut cache, &k);
        assert_eq!(plan.prepare, vec![4]);
        assert!(!plan.base && !plan.map && !plan.new_content);
    }
}
