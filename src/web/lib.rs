//! The thin web shell around `core`: Leptos components, canvas rendering, input, fetching.
//!
//! Data flow: `load` fetches `config.json` and the layers (`fetched::Fetched` values in
//! `state::AppState`), `core::ingest` validates them, `map` turns view/data/visibility changes
//! into frames drawn by `render`, and `components` show the panels. All state lives in one
//! `AppState` in context.
//!
//! Modules import only modules on a lower floor (no cycles; `tests/module_graph.rs` checks):
//! the browser (`env`, `input`, `panic`, `geolocation`, `export_image`, the `render` leaves),
//! the data in the page (`load`, `feed`, `history`, `geofence`, `zone_editor`, `grids`,
//! `offline`), the app state (`state`), drawing (`render`, `map`, and `wall_tour`, which sets
//! the view), the panels (`components`, `feed_strip`, `incident_ui`, `geofence_ui`,
//! `zone_editor_ui`, `heatmap_ui`, `grids_ui`, `lang_switch`, `offline_ui`, `export_ui`,
//! `locate_ui`, `sheets`, `tap_chooser`, on `widgets` and `keyed_rows`), and this root with
//! `hook`. A panel never imports another panel: `App` puts one inside another as children.

/// The pure core, reachable as `crate::core` here as in the app crate.
pub use calais_core as core;

pub mod alloc;
pub mod announce;
/// Heatmap benchmark functions (`--features bench` only), installed by `bench_hook`.
#[cfg(feature = "bench")]
pub mod bench_heatmap;
/// Geofencing benchmark functions on `window.calaisMap`: only in benchmark builds
/// (`--features bench`, `make bench`), not in the shipped bundle.
#[cfg(feature = "bench")]
pub mod bench_hook;
pub mod compare_ui;
pub mod components;
pub mod device_mode;
pub mod displacement;
pub mod env;
pub mod export_image;
pub mod export_ui;
pub mod feed;
pub mod feed_strip;
pub mod fetched;
pub mod geofence;
pub mod geofence_ui;
pub mod geolocation;
pub mod grids;
pub mod grids_ui;
pub mod heatmap_ui;
pub mod history;
pub mod hook;
pub mod incident_ui;
pub mod input;
pub mod keyed_rows;
pub mod lang_switch;
pub mod load;
pub mod locate_ui;
pub mod map;
pub mod memory_hook;
pub mod offline;
pub mod offline_ui;
pub mod panic;
pub mod playback_ui;
pub mod render;
pub mod roving;
pub mod sheets;
pub mod skip_links;
pub mod slices;
pub mod split;
pub mod state;
pub mod strings;
pub mod tap_chooser;
pub mod wake_lock;
pub mod wall_reload;
pub mod wall_tour;
pub mod wall_ui;
pub mod watchdog;
pub mod widgets;
pub mod zone_editor;
pub mod zone_editor_ui;

use leptos::prelude::*;

use crate::core::display::DisplayMode;
use crate::core::projection::to_mercator;
use crate::core::units::{LonLat, Zoom};
use crate::core::viewport::{Viewport, region_bounds};
use compare_ui::ComparePanel;
use components::{Controls, ErrorBanners, InfoCard, LayerPanel, PerfOverlay, StatusBar};
use displacement::Comparison;
use env::query_param;
use export_ui::ExportPanel;
use feed_strip::IncidentStrip;
use geofence_ui::{AlertTicker, CriticalFlash, ZoneDiagnostics, ZonePanel};
use grids_ui::{CoordReadout, GotoBox, GotoMarker, GridFileBanner};
use heatmap_ui::{HeatmapPanel, HistoryDiagnostics};
use incident_ui::{IncidentCard, IncidentPanel};
use lang_switch::LangSwitch;
use locate_ui::LocatePanel;
use map::{MapCanvas, Runtime};
use offline_ui::{OfflineBanner, OfflineStore, UpdateNote};
use playback_ui::PlaybackBar;
use sheets::{Sheet, TabBar};
use state::{AppState, map_size};
use strings::{T, messages};
use tap_chooser::TapChooser;
use wake_lock::WakeLock;
use wall_reload::WallReload;
use wall_ui::WallStatus;
use zone_editor_ui::ZoneEditorPanel;

/// Mounts the app on `<body>`; `main.rs` calls only this.
pub fn mount() {
    // The language the page shows (after a panic the reactive state is not trusted: the switch
    // keeps a copy outside it).
    panic::install(|info| strings::problems::internal_error(lang_switch::shown(), info));
    // The wall's watchdog script (assets/watchdog.js) stops watching the start.
    watchdog::started();
    leptos::mount::mount_to_body(App);
}

#[component]
pub fn App() -> impl IntoView {
    let perf = query_param("perf").is_some();
    let (config_url, config_problem) = match load::config_url(query_param("config")) {
        Ok(url) => (url, None),
        Err(problem) => ("public/config.json".to_string(), Some(problem)),
    };
    // `?lang=`, else the language this device remembers, else English (`lang_switch`).
    let lang = lang_switch::start_lang();
    // The display mode (`?mode=desk|wall|tablet`, forced; an unknown value is shown, the desk
    // is used); without `?mode=`, the device's (`device_mode`: a touch tablet gets the tablet
    // layout, and the layout follows the window across the tablet band).
    let start = device_mode::start_mode();
    let mode = start.mode;
    let (w, h, dpr, k) = map_size(mode);
    let initial = Viewport::fit(&region_bounds(), w, h, dpr, 24.0);
    let state = AppState::new(config_url, initial);
    state.lang.set(lang);
    state.mode.set(mode);
    state.map_scale.set(k);
    provide_context(state);
    device_mode::follow_device(state, &start);
    let mode_problem = start.problem;
    lang_switch::follow_document(state.lang.read_only());
    let runtime = Runtime::new();
    // The wall's tour (only in `?mode=wall`): the view, layers and alerts from the wall clock.
    let tour = wall_tour::start(state);
    // Parts that could not be fetched are asked for again when back online, and by the wall.
    split::keep_trying(state);
    hook::install(state, runtime.clone(), tour);
    // The wall keeps the screen awake (`data-wake-lock` on the root, a note when it cannot).
    let wake = RwSignal::new(None::<WakeLock>);
    if mode == DisplayMode::Wall {
        wake_lock::hold(move |s| {
            let _ = wake.try_set(Some(s));
        });
    }

    // The config may name a start view; apply it once, unless the user already moved the map.
    Effect::new(move |applied: Option<bool>| {
        if applied == Some(true) {
            return true;
        }
        let Some(cfg) = state.config.get() else {
            return false;
        };
        let untouched = state.view.get_untracked() == initial;
        // On the wall, this screen's part of the whole wall (`state.rs`): the view becomes the wall's.
        let start = cfg.as_ref().ok().and_then(|c| c.initial_view);
        state.place_on_wall(
            &cfg.map(|c| c.wall).unwrap_or_default(),
            untouched && start.is_none(),
        );
        if let Some(iv) = start
            && let (Some(p), Some(z)) = (LonLat::new(iv.lon, iv.lat), Zoom::new(iv.zoom))
            && untouched
        {
            state.view.update(|v| {
                let (cx, cy) = (v.width_css() / 2.0, v.height_css() / 2.0);
                *v = v.with_center(to_mercator(p)).zoomed_at(z, cx, cy);
            });
        }
        true
    });

    // Esc closes the info card wherever the focus is (map, list, panels).
    let _esc = window_event_listener(leptos::ev::keydown, move |e| {
        if e.key() == "Escape" {
            state.selection.set(None);
            state.incidents.selected.set(None);
            state.chooser.set(None);
        }
    });

    // The live incident feed starts once the config is known (defaults if it failed).
    Effect::new(move |started: Option<bool>| {
        if started == Some(true) {
            return true;
        }
        let Some(cfg) = state.config.get() else {
            return false;
        };
        let cfg = cfg.unwrap_or_default();
        // The heatmap's settings at start; `heatmap.enabled` shows it (and loads the history).
        let show = cfg.heatmap.enabled;
        let compare = cfg.heatmap.compare;
        state.heatmap.set(cfg.heatmap);
        let names = cfg.incidents.properties.clone();
        state.incidents.start(cfg.incidents);
        // Offline use: the service worker, the device's store and the last good picture.
        state.offline.start(state.incidents, names);
        // `heatmap.compare` opens the comparison (and so the heatmap) at start.
        if let Some((a, b)) = compare {
            state.open_compare(Comparison { a, b });
        } else if show {
            state.show_heatmap(true);
        }
        true
    });

    // Zones follow the incidents (only changed ones are re-classified).
    state.geofence.connect(state.incidents);
    // The history takes in the live incidents too.
    state.history.connect(state.incidents);

    // The whole page knows whether the picture is stale (CSS dims what it shows).
    let feed_key = move || state.incidents.status.with(|v| v.status.key());
    // The panels, rebuilt when the language changes (`lang_switch`) or the layout follows the
    // device between desk and tablet (`device_mode`): each reads the language and the mode
    // when it is built, and what the operator set lives in the app state they read again. The
    // map canvas, the title bar with the switch and the wall's reload loop are not rebuilt.
    let list_open = RwSignal::new(incident_ui::list_starts_open(mode));
    let left_panels = move || {
        let lang = state.lang.get();
        state.mode.track();
        let config_problem = config_problem
            .as_ref()
            .map(|value| messages::config_param_refused(lang, value));
        let mode_problem = mode_problem
            .as_ref()
            .map(|e| messages::unknown_mode(lang, e));
        view! {
            <IncidentStrip />
            <OfflineStore />
            <UpdateNote />
            {config_problem.map(|p| view! {
                <div class="error-banner" role="alert" data-testid="error-banner" data-layer="config">{p}</div>
            })}
            {mode_problem.map(|p| view! {
                <div class="error-banner" role="alert" data-testid="error-banner" data-layer="mode">{p}</div>
            })}
            <ErrorBanners />
            <GridFileBanner />
            <Sheet key="incidents" label=T::Incidents>
                <IncidentPanel open=list_open>
                    <ZoneDiagnostics />
                    <HistoryDiagnostics />
                </IncidentPanel>
            </Sheet>
        }
        .into_any()
    };
    // The go-to box is not rebuilt: it words itself in the language it reads, so a typed text
    // survives a switch; it stays first in the bottom dock (centre, above the status bar), where
    // the heatmap's playback and comparison, rebuilt, follow it when shown (the dock wraps them).
    let panels_top = move || {
        let lang = state.lang.get();
        state.mode.track();
        view! {
            <Show when=move || !state.ready.get()>
                <div class="loading" role="status" data-testid="loading">{T::LoadingMap.get(lang)}</div>
            </Show>
            <OfflineBanner />
            <AlertTicker />
            <CriticalFlash />
            <ZoneEditorPanel />
            // The tablet layout's bottom sheets (sheets.rs): a new panel is one more line.
            <Sheet key="layers" label=T::Layers>
                <LayerPanel>
                    <HeatmapPanel />
                    <ZonePanel />
                </LayerPanel>
            </Sheet>
        }
        .into_any()
    };
    let dock = move || {
        state.lang.track();
        state.mode.track();
        view! {
            <PlaybackBar />
            <ComparePanel />
        }
        .into_any()
    };
    let panels = move || {
        state.lang.track();
        state.mode.track();
        view! {
            <Sheet key=state::CARD_SHEET>
                <InfoCard />
                <IncidentCard />
            </Sheet>
            <TapChooser />
            <Controls />
            <ExportPanel />
            <LocatePanel />
            <StatusBar lead=view! { <TabBar /> }.into_any()>
                <CoordReadout />
            </StatusBar>
            <WallStatus />
        }
        .into_any()
    };
    view! {
        <main class="app" lang=move || state.lang.get().key() data-feed=feed_key data-mode=move || state.mode.get().key()
            data-wake-lock=move || wake.get().map(WakeLock::key)>
            // The map takes the focus at start (the arrow keys pan it at once): the skip links
            // come right after it, the first stops of the Tab key.
            <MapCanvas runtime=runtime />
            <skip_links::SkipLinks />
            // The screen reader's live regions (announce.rs), built once.
            <announce::Announcer />
            <GotoMarker />
            <div class="left-column">
                <header class="title-bar" data-map-reserved="">
                    <div class="title-text">
                        <h1>{move || T::AppTitle.get(state.lang.get())}</h1>
                        <span class="subtitle">{move || T::AppSubtitle.get(state.lang.get())}</span>
                    </div>
                    <LangSwitch />
                </header>
                {left_panels}
            </div>
            {panels_top}
            <div class="heat-dock">
                <GotoBox />
                {dock}
            </div>
            {panels}
            <WallReload wake=wake.read_only() />
            {perf.then(|| view! { <PerfOverlay /> })}
        </main>
    }
}
