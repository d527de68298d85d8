//! The one app state, provided in Leptos context.
//!
//! Units: the view is a [`Viewport`] (EPSG:3857 centre, zoom, CSS px size, device pixel ratio);
//! pointer positions are CSS px relative to the map canvas' top-left corner.

use std::sync::Arc;

use leptos::prelude::*;

use crate::core::config::Config;
use crate::core::model::{LayerData, LayerId};
use crate::core::units::LonLat;
use crate::core::viewport::Viewport;

/// What is known about one layer's data.
#[derive(Clone, Debug, PartialEq)]
pub enum LayerState {
    /// Not fetched yet (or the config is still loading).
    Loading,
    /// Loaded; `version` changes whenever the data does (it keys the renderer's caches).
    Loaded { data: Arc<LayerData>, version: u64 },
    /// Could not load at all (network, HTTP status, not JSON, not a FeatureCollection).
    Failed { message: String },
}

impl LayerState {
    pub fn data(&self) -> Option<&Arc<LayerData>> {
        match self {
            LayerState::Loaded { data, .. } => Some(data),
            _ => None,
        }
    }

    pub fn version(&self) -> u64 {
        match self {
            LayerState::Loaded { version, .. } => *version,
            _ => 0,
        }
    }

    pub fn is_settled(&self) -> bool {
        !matches!(self, LayerState::Loading)
    }
}

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

/// The app state: signals only, so it is `Copy` and cheap to hand to every component.
#[derive(Clone, Copy)]
pub struct AppState {
    /// `public/config.json` (or `?config=`); a failure falls back to the defaults and is shown.
    pub config: LocalResource<Result<Config, String>>,
    pub view: RwSignal<Viewport>,
    /// Indexed like [`LayerId::ALL`]; `None` while the first fetch is under way.
    pub layers: [LocalResource<LayerState>; 4],
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
}

impl AppState {
    /// Creates the state and starts the fetches; call inside the root component.
    pub fn new(config_url: String, initial: Viewport) -> Self {
        let reload = RwSignal::new(0u64);
        let config = LocalResource::new(move || crate::load::load_config(config_url.clone()));
        let layers = LayerId::ALL.map(|id| {
            LocalResource::new(move || {
                let cfg = config.get();
                // The basemap is static; the data layers re-fetch on `reload`.
                if id != LayerId::Basemap {
                    reload.track();
                }
                crate::load::load_layer(id, cfg)
            })
        });
        let geofence = crate::geofence::Geofence::new(config);
        AppState {
            config,
            view: RwSignal::new(initial),
            layers,
            visibility: RwSignal::new(Visibility::default()),
            selection: RwSignal::new(None),
            cursor: RwSignal::new(None),
            last_frame: RwSignal::new(None),
            ready: RwSignal::new(false),
            reload,
            tiles_on: RwSignal::new(false),
            incidents: crate::feed::Incidents::new(),
            geofence,
            zone_editor: crate::zone_editor::ZoneEditor::new(geofence),
            zones_on: RwSignal::new(true),
        }
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

pub fn use_app() -> AppState {
    expect_context::<AppState>()
}

impl AppState {
    /// The tile layer to draw, if the config has one and it is switched on (untracked).
    pub fn tile_source_untracked(&self) -> Option<crate::render::tiles::TileSource> {
        if !self.tiles_on.get_untracked() {
            return None;
        }
        let config = self.config.get_untracked()?.ok()?;
        config.tiles.map(|t| crate::render::tiles::TileSource {
            url_template: t.url_template,
            max_zoom: t.max_zoom,
        })
    }
}
