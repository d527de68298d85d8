//! The map canvas component: sizing, input, and the frame loop around the renderer.
//!
//! Units: pointer positions are CSS px relative to the canvas' top-left; the canvas bitmap is
//! device px (CSS size × devicePixelRatio). Frames are coalesced into one
//! `requestAnimationFrame` callback; a view change draws a gesture frame at once and a sharp
//! frame once the view is still for `render::SETTLE_MS`. (Flying the view to a place is
//! `AppState::fly_to`, so panels never import this module.)

use std::cell::RefCell;
use std::rc::Rc;

use leptos::ev;
use leptos::html::Canvas;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{HtmlCanvasElement, KeyboardEvent, PointerEvent, WheelEvent};

use crate::core::cluster::Cluster;
use crate::core::display::DisplayMode;
use crate::core::heatmap::ramp::Scale;
use crate::core::heatmap::settings::ScaleMode;
use crate::core::hit::{hit_test, hits, outline_near};
use crate::core::model::{LayerData, LayerId};
use crate::core::projection::to_mercator;
use crate::core::viewport::Viewport;
use crate::env::{now_ms, on_animation_frame};
use crate::feed::CLOCK_STEP_MS;
use crate::feed::IncidentSelection;
use crate::input::{Action, Gestures, KeyAction, key_action, wheel_zoom_delta};
use crate::render::device_position::DeviceMark;
use crate::render::draw::{CLUSTER_BELOW_ZOOM, camera_cluster_at, camera_clusters};
use crate::render::incidents::IncidentInput;
use crate::render::layer::{HeatShows, HeatmapInput, WallTile};
use crate::render::shift_arrow::ShiftArrow;
use crate::render::tiles::TileSource;
use crate::render::{Renderer, SETTLE_MS, Scene};
use crate::state::{AppState, Choice, FrameKind, LayerState, Selection, TapChoices, use_app};

/// Everything the frame loop owns; shared by the event handlers of one map.
pub struct Runtime {
    pub renderer: Option<Renderer>,
    pending: bool,
    last_view_change: f64,
    settle_timer: Option<i32>,
    first_drawn: bool,
}

pub type SharedRuntime = Rc<RefCell<Runtime>>;

/// Schedules one frame (coalesced).
pub fn request_frame(rt: &SharedRuntime, state: AppState) {
    {
        let mut r = rt.borrow_mut();
        if r.pending {
            return;
        }
        r.pending = true;
    }
    let rt2 = rt.clone();
    on_animation_frame(move || frame(&rt2, state));
}

/// The tile layer to draw, if the config has one and it is switched on (untracked).
fn tile_source(state: &AppState) -> Option<TileSource> {
    if !state.tiles_on.get_untracked() {
        return None;
    }
    let config = state.config.get_untracked()?.ok()?;
    config.tiles.map(|t| TileSource {
        url_template: t.url_template,
        max_zoom: t.max_zoom,
    })
}

fn layer_input(state: &AppState, id: LayerId) -> crate::render::LayerInput {
    match state.layer_untracked(id) {
        LayerState::Loaded { data, version } => Some((data, version)),
        _ => None,
    }
}

fn frame(rt: &SharedRuntime, state: AppState) {
    let _m = crate::env::Measured::start("frame");
    let now = now_ms();
    let mut r = rt.borrow_mut();
    r.pending = false;
    let since = now - r.last_view_change;
    // A flight (tour, alert, fly to) stays on the gesture path until it lands, however slow a
    // frame: no sharp re-render mid-flight.
    let settled = since >= SETTLE_MS && !state.flying.get_untracked();
    // The app's view is the whole wall's; this screen draws its part (`state.rs`).
    let whole = state.view.get_untracked();
    let screen = state.wall_screen.get_untracked();
    let scene = Scene {
        view: screen.tile_view(&whole),
        mode: state.mode.get_untracked(),
        layers: LayerId::ALL.map(|id| layer_input(&state, id)),
        visibility: state.visibility.get_untracked(),
        selection: state.selection.get_untracked(),
        settled,
        flying: state.flying.get_untracked(),
        tiles: tile_source(&state),
        // Only a frame that re-composites places labels; gesture frames skip the layout read.
        reserved: if settled || !r.renderer.as_ref().is_some_and(Renderer::has_composite) {
            let _m = crate::env::Measured::start("frame-reserved");
            crate::env::reserved_areas(state.map_scale.get_untracked())
        } else {
            Vec::new()
        },
        selected_incident: None,
        zones: None,
        gaps: None,
        draft: state.zone_editor.overlay(),
        heatmap: heatmap_input(&state),
        shift_arrow: shift_arrow(&state),
        device: state
            .device
            .get_untracked()
            .map(|f| DeviceMark::new(f.at, f.accuracy_m)),
        wall: screen.is_tiled().then(|| WallTile {
            whole,
            layout: screen.layout,
            tile: screen.tile,
            status_tiles: screen.status_tiles.clone(),
        }),
    };
    let scene = with_geofence(&state, scene);
    let all_settled = LayerId::ALL
        .iter()
        .all(|id| state.layer_untracked(*id).is_settled())
        && state.grids.settled_untracked();
    let Some(renderer) = r.renderer.as_mut() else {
        return;
    };
    let feed = state.incidents;
    let shared = feed.shared();
    let core = shared.as_ref().and_then(|s| s.try_borrow().ok());
    let input = core.as_ref().map(|c| IncidentInput {
        store: &c.store,
        version: c.store.version(),
        filter: feed.filter.get_untracked(),
        clock_ms: feed.clock.get_untracked(),
    });
    let mut scene = scene;
    scene.selected_incident = feed
        .selected
        .get_untracked()
        .zip(core.as_ref())
        .and_then(|(sel, c)| c.store.get(&sel.id).map(|i| i.at));
    let stat = {
        let _m = crate::env::Measured::start("frame-render");
        renderer.render(&scene, input.as_ref(), now_ms)
    };
    drop(core);
    let again = renderer.wants_frame();
    let frames = renderer.frames_total;
    let canvas = renderer.canvas().clone();
    let _ = canvas.set_attribute("data-frames", &frames.to_string());
    if !scene.settled && r.settle_timer.is_none() {
        // Come back for the sharp frame when the view has been still long enough.
        let rt2 = rt.clone();
        let cb = Closure::once_into_js(move || {
            rt2.borrow_mut().settle_timer = None;
            request_frame(&rt2, state);
        });
        r.settle_timer = web_sys::window().and_then(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(
                cb.unchecked_ref(),
                (SETTLE_MS - since).max(16.0) as i32,
            )
            .ok()
        });
    }
    if all_settled && stat.kind != FrameKind::Gesture && !r.first_drawn {
        r.first_drawn = true;
        let _ = canvas.set_attribute("data-ready", "true");
        if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
            let _ = p.mark("map-first-draw");
        }
        state.ready.set(true);
    }
    drop(r);
    if again {
        // A layer split its work over two frames (the incident layer under a large store).
        request_frame(rt, state);
    }
    state.last_frame.set(Some(stat));
}

/// The camera cluster badge under a point, when cameras are shown and clustered.
fn cluster_under(state: &AppState, view: &Viewport, x: f64, y: f64) -> Option<Cluster> {
    if !state.visibility.get_untracked().get(LayerId::Cameras) {
        return None;
    }
    let data = state.layer_untracked(LayerId::Cameras).data()?.clone();
    camera_cluster_at(&data, view, x, y)
}

/// The visible overlay layers' data, in draw order (what a tap or hover may hit).
fn hit_layers(state: &AppState) -> Vec<(LayerId, std::sync::Arc<LayerData>)> {
    let vis = state.visibility.get_untracked();
    [LayerId::Fences, LayerId::Cameras, LayerId::Ports]
        .into_iter()
        .filter(|id| vis.get(*id))
        .filter_map(|id| state.layer_untracked(id).data().map(|d| (id, d.clone())))
        .collect()
}

/// Is this hit a camera drawn inside a cluster badge (zoomed out), so not on its own?
fn in_badge(
    datas: &[(LayerId, std::sync::Arc<LayerData>)],
    view: &Viewport,
    layer: LayerId,
    feature: usize,
) -> bool {
    layer == LayerId::Cameras
        && view.zoom().get() < CLUSTER_BELOW_ZOOM
        && datas
            .iter()
            .find(|(id, _)| *id == LayerId::Cameras)
            .is_some_and(|(_, data)| {
                camera_clusters(data, view)
                    .iter()
                    .any(|c| c.count() > 1 && c.members.contains(&feature))
            })
}

/// What is under a point of the canvas, among the visible overlay layers.
/// A camera cluster badge hides the cameras under it (a tap zooms in instead).
pub fn pick(
    state: &AppState,
    view: &Viewport,
    x: f64,
    y: f64,
    tolerance: f64,
) -> Option<Selection> {
    if cluster_under(state, view, x, y).is_some() {
        return None;
    }
    let datas = hit_layers(state);
    let refs: Vec<&LayerData> = datas.iter().map(|(_, d)| d.as_ref()).collect();
    let hit = hit_test(&refs, view, x, y, tolerance)?;
    // Zoomed out, a camera inside a badge is not drawn on its own, so it is not picked either.
    if in_badge(&datas, view, hit.layer, hit.feature) {
        return None;
    }
    Some(Selection {
        layer: hit.layer,
        feature: hit.feature,
        pinned: false,
    })
}

/// What a tablet's tap at `(x, y)` touched within `tolerance` CSS px, best first: the
/// markers (incidents, drawn on top, then cameras and ports: `core::hit::hits`); when the
/// finger touched none, the lines (fences, terminal outlines) and the zones whose edge is
/// under it. A marker wins over the line it sits on, as in `hit_test`.
fn tap_choices(
    state: &AppState,
    rt: &SharedRuntime,
    view: &Viewport,
    x: f64,
    y: f64,
    tolerance: f64,
) -> Vec<Choice> {
    let feature = |h: crate::core::hit::Hit| {
        Choice::Feature(Selection {
            layer: h.layer,
            feature: h.feature,
            pinned: true,
        })
    };
    let datas = hit_layers(state);
    let refs: Vec<&LayerData> = datas.iter().map(|(_, d)| d.as_ref()).collect();
    let touched = hits(&refs, view, x, y, tolerance);
    let mut out: Vec<Choice> = at_incidents(state, rt, view, (x, y), |r, v, x, y| {
        r.pick_incidents(v, x, y, tolerance)
    })
    .unwrap_or_default()
    .into_iter()
    .map(Choice::Incident)
    .collect();
    out.extend(
        touched
            .points
            .into_iter()
            .filter(|h| !in_badge(&datas, view, h.layer, h.feature))
            .map(feature),
    );
    if !out.is_empty() {
        return out;
    }
    out.extend(touched.lines.into_iter().map(feature));
    if state.zones_on.get_untracked()
        && let Some(z) = state.geofence.map_zones.get_untracked()
    {
        out.extend(
            z.set
                .zones
                .iter()
                .filter(|zone| outline_near(&zone.polygons, view, x, y, tolerance))
                .map(|zone| Choice::Zone {
                    name: zone.name.clone(),
                    bounds: zone.bounds,
                }),
        );
    }
    out
}

/// The pointer in the view's CSS px: the whole wall's on a wall of several screens (the
/// canvas shows this screen's part of it).
fn offset(state: &AppState, ev: &web_sys::MouseEvent) -> (f64, f64) {
    let (x, y) = (ev.offset_x() as f64, ev.offset_y() as f64);
    state.wall_screen.with_untracked(|s| s.to_virtual(x, y))
}

#[component]
pub fn MapCanvas(runtime: SharedRuntime) -> impl IntoView {
    let state = use_app();
    let canvas_ref = NodeRef::<Canvas>::new();
    let gestures = Rc::new(RefCell::new(Gestures::default()));

    // Create the renderer once the canvas exists, and focus the map for the keyboard.
    {
        let rt = runtime.clone();
        Effect::new(move |_| {
            let Some(canvas) = canvas_ref.get() else {
                return;
            };
            let canvas: HtmlCanvasElement = canvas;
            if rt.borrow().renderer.is_none() {
                let weak = Rc::downgrade(&rt);
                let on_tile_load: Rc<dyn Fn()> = Rc::new(move || {
                    if let Some(rt) = weak.upgrade() {
                        request_frame(&rt, state);
                    }
                });
                match Renderer::new(canvas.clone(), state.mode.get_untracked(), on_tile_load) {
                    Ok(r) => rt.borrow_mut().renderer = Some(r),
                    Err(e) => crate::panic::show_fatal(&crate::strings::problems::canvas_error(
                        state.lang.get_untracked(),
                        e,
                    )),
                }
                // The map takes the focus at start (its arrow keys pan at once) without the
                // keyboard focus ring, which the browser would show for a focus given by the
                // page: a yellow frame around every wall screen and every desk at start. Once
                // the focus has left the map, coming back by the keyboard shows the ring.
                let _ = canvas.set_attribute("data-start-focus", "");
                let _ = canvas.focus();
            }
            request_frame(&rt, state);
        });
    }

    // The view: every change is a gesture frame now and a sharp frame when still.
    {
        let rt = runtime.clone();
        Effect::new(move |prev: Option<Viewport>| {
            let view = state.view.get();
            if prev.is_some_and(|p| p != view) {
                rt.borrow_mut().last_view_change = now_ms();
            }
            request_frame(&rt, state);
            view
        });
    }

    // Data, visibility and selection: recompose.
    {
        let rt = runtime.clone();
        Effect::new(move |_| {
            for id in LayerId::ALL {
                let _ = state.layer(id);
            }
            state.geofence.map_zones.track();
            state.zones_on.track();
            state.zone_editor.track();
            state.visibility.track();
            state.selection.track();
            state.tiles_on.track();
            let feed = state.incidents;
            feed.version.track();
            feed.filter.track();
            feed.selected.track();
            feed.clock.track();
            state.heatmap.track();
            state.heat_engine.track();
            state.history.revision.track();
            state.playback.track();
            state.compare.track();
            state.displacement.track();
            // Text drawn on the map (the arrow's length) is in the operator's language.
            state.lang.track();
            // The readiness waits for the grid file too (`toGrids` answers once ready).
            state.grids.file.track();
            state.device.track();
            request_frame(&rt, state);
        });
    }

    // Window resizes (and devicePixelRatio changes, which fire resize too).
    let _resize = window_event_listener(ev::resize, move |_| state.fit_to_window());

    let rt_pick = runtime.clone();
    let rt_hover = runtime.clone();
    let apply = move |action: Action| match action {
        Action::Pan { dx, dy } => state.view.update(|v| *v = v.panned_by(dx, dy)),
        Action::PanZoom { dx, dy, dz, ax, ay } => {
            state
                .view
                .update(|v| *v = v.panned_by(dx, dy).zoomed_by(dz, ax, ay));
        }
        Action::Tap { x, y } => {
            let view = state.view.get_untracked();
            // Drawing a zone: a tap adds a point (or closes the outline).
            if state.zone_editor.tap(&view, x, y) {
                return;
            }
            // A tap on a cluster badge zooms in on it.
            if let Some(c) = cluster_under(&state, &view, x, y) {
                state.view.update(|v| *v = v.zoomed_by(2.0, c.x, c.y));
                return;
            }
            let mode = state.mode.get_untracked();
            let tolerance = mode.tap_tolerance_css();
            state.chooser.set(None);
            // On a tablet a finger may cover several things: a list to choose from.
            if mode == DisplayMode::Tablet {
                let choices = tap_choices(&state, &rt_pick, &view, x, y, tolerance);
                if choices.len() > 1 {
                    state.chooser.set(Some(TapChoices { x, y, choices }));
                    return;
                }
            }
            // Incidents are drawn on top, so they are picked first.
            if let Some(id) = pick_incident(&state, &rt_pick, &view, x, y, tolerance) {
                state.selection.set(None);
                state
                    .incidents
                    .selected
                    .set(Some(IncidentSelection { id, pinned: true }));
                return;
            }
            let sel = pick(&state, &view, x, y, tolerance).map(|s| Selection { pinned: true, ..s });
            state.incidents.selected.set(None);
            state.selection.set(sel);
        }
        Action::None => {}
    };

    let g_down = gestures.clone();
    let on_down = move |ev: PointerEvent| {
        let (x, y) = offset(&state, &ev);
        if let Some(c) = canvas_ref.get_untracked() {
            let _ = c.set_pointer_capture(ev.pointer_id());
            let _ = c.focus();
        }
        let editor = state.zone_editor;
        if editor.is_active() {
            editor.touch.set(ev.pointer_type() == "touch");
            // Reshaping a zone: a press on a handle drags it instead of the map.
            if g_down.borrow().active() == 0 && editor.begin_drag(&state.view.get_untracked(), x, y)
            {
                return;
            }
        }
        g_down.borrow_mut().down(ev.pointer_id(), x, y, now_ms());
    };
    let g_move = gestures.clone();
    let apply_up = apply.clone();
    let on_move = move |ev: PointerEvent| {
        let (x, y) = offset(&state, &ev);
        let view = state.view.get_untracked();
        state.cursor.set(view.lonlat_at(x, y));
        let editor = state.zone_editor;
        if editor.drag_to(&view, x, y) {
            return;
        }
        let active = g_move.borrow().active();
        if active == 0 && editor.is_active() {
            // Drawing: the rubber band follows the pointer; no hover cards meanwhile.
            if editor.mode.get_untracked() == crate::zone_editor::Mode::Drawing {
                editor.pointer.set(Some((x, y)));
            }
            if let Some(c) = canvas_ref.get_untracked() {
                let over = editor.handle_at(&view, x, y).is_some();
                let _ = c.set_attribute("data-over-handle", if over { "true" } else { "false" });
            }
            return;
        }
        if active == 0 {
            // Hover (mouse or pen): a preview card unless one is pinned.
            let pinned = state.selection.get_untracked().is_some_and(|s| s.pinned)
                || state
                    .incidents
                    .selected
                    .with_untracked(|s| s.as_ref().is_some_and(|s| s.pinned));
            if ev.pointer_type() == "mouse" && !pinned {
                let incident = pick_incident(&state, &rt_hover, &view, x, y, 8.0)
                    .map(|id| IncidentSelection { id, pinned: false });
                let sel = match incident {
                    Some(_) => None,
                    None => pick(&state, &view, x, y, 8.0),
                };
                if incident != state.incidents.selected.get_untracked() {
                    state.incidents.selected.set(incident);
                }
                if sel != state.selection.get_untracked() {
                    state.selection.set(sel);
                }
            }
            return;
        }
        let action = g_move.borrow_mut().moved(ev.pointer_id(), x, y);
        apply(action);
    };
    let g_up = gestures.clone();
    let on_up = move |ev: PointerEvent| {
        let (x, y) = offset(&state, &ev);
        // A tap moves no pointer: the coordinates readout shows the last tapped point.
        if ev.pointer_type() == "touch" {
            state.cursor.set(state.view.get_untracked().lonlat_at(x, y));
        }
        if state.zone_editor.end_drag() {
            return;
        }
        let action = g_up.borrow_mut().up(ev.pointer_id(), x, y, now_ms());
        apply_up(action);
    };
    let g_cancel = gestures.clone();
    let on_cancel = move |ev: PointerEvent| {
        state.zone_editor.end_drag();
        g_cancel.borrow_mut().cancel(ev.pointer_id());
    };
    let on_leave = move |_ev: PointerEvent| {
        state.cursor.set(None);
        state.zone_editor.pointer.set(None);
    };
    let on_wheel = move |ev: WheelEvent| {
        ev.prevent_default();
        let (x, y) = offset(&state, &ev);
        let dz = wheel_zoom_delta(ev.delta_y(), ev.delta_mode());
        if dz != 0.0 {
            state.view.update(|v| *v = v.zoomed_by(dz, x, y));
        }
    };
    let on_dblclick = move |ev: web_sys::MouseEvent| {
        ev.prevent_default();
        // While a zone is under way a double click does not zoom (it would be two points).
        if state.zone_editor.is_active() {
            return;
        }
        let (x, y) = offset(&state, &ev);
        state.view.update(|v| *v = v.zoomed_by(1.0, x, y));
    };
    let on_key = move |ev: KeyboardEvent| {
        let Some(action) = key_action(&ev.key()) else {
            return;
        };
        ev.prevent_default();
        match action {
            KeyAction::Pan { dx, dy } => state.view.update(|v| *v = v.panned_by(dx, dy)),
            KeyAction::Zoom(dz) => state.zoom_centre(dz),
            KeyAction::Close => {
                state.selection.set(None);
                state.incidents.selected.set(None);
            }
        }
    };

    // The stage holds the map canvas and the canvases laid over it (heatmap, incidents), all
    // in the view's CSS px; scaled up to the screen on the wall (`AppState::map_scale`).
    let k = state.map_scale;
    view! {
        <div
            class="map-stage"
            style:width=move || format!("{}%", 100.0 / k.get())
            style:height=move || format!("{}%", 100.0 / k.get())
            style:transform=move || (k.get() != 1.0).then(|| format!("scale({})", k.get()))
        >
        <canvas
            node_ref=canvas_ref
            class="map-canvas"
            data-testid="map-canvas"
            data-zone-mode=move || match state.zone_editor.mode.get() {
                crate::zone_editor::Mode::Idle => "",
                crate::zone_editor::Mode::Drawing => "drawing",
                crate::zone_editor::Mode::Shaping => "shaping",
            }
            tabindex="0"
            role="application"
            aria-label=move || crate::strings::T::MapAria.get(state.lang.get())
            on:pointerdown=on_down
            on:pointermove=on_move
            on:pointerup=on_up
            on:pointercancel=on_cancel
            on:pointerleave=on_leave
            on:wheel=on_wheel
            on:dblclick=on_dblclick
            on:keydown=on_key
            on:blur=move |ev: web_sys::FocusEvent| {
                if let Some(c) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                    let _ = c.remove_attribute("data-start-focus");
                }
            }
        ></canvas>
        </div>
    }
}

/// Asks the renderer about the incidents at a point of the view (CSS px): the incident plan is
/// drawn in this screen's view and px, so the point is moved into them; `None` while the
/// renderer is busy or absent.
fn at_incidents<R>(
    state: &AppState,
    rt: &SharedRuntime,
    view: &Viewport,
    (x, y): (f64, f64),
    ask: impl FnOnce(&Renderer, &Viewport, f64, f64) -> R,
) -> Option<R> {
    let screen = state.wall_screen.get_untracked();
    let (ox, oy) = screen.to_virtual(0.0, 0.0);
    let r = rt.try_borrow().ok()?;
    Some(ask(
        r.renderer.as_ref()?,
        &screen.tile_view(view),
        x - ox,
        y - oy,
    ))
}

/// The incident drawn within `tolerance` of a point (CSS px), if any.
fn pick_incident(
    state: &AppState,
    rt: &SharedRuntime,
    view: &Viewport,
    x: f64,
    y: f64,
    tolerance: f64,
) -> Option<String> {
    at_incidents(state, rt, view, (x, y), |r, v, x, y| {
        r.pick_incident(v, x, y, tolerance)
    })
    .flatten()
}

impl Runtime {
    pub fn new() -> SharedRuntime {
        Rc::new(RefCell::new(Runtime {
            renderer: None,
            pending: false,
            last_view_change: f64::NEG_INFINITY,
            settle_timer: None,
            first_drawn: false,
        }))
    }
}

/// The displacement arrow while a comparison with reports in both windows is open (untracked).
fn shift_arrow(state: &AppState) -> Option<ShiftArrow> {
    state.displacement.with_untracked(|s| {
        let d = &s.as_ref()?.displacement;
        Some(ShiftArrow {
            a: to_mercator(d.centre_a?),
            b: to_mercator(d.centre_b?),
            label: format!(
                "{} km",
                crate::strings::locale::number(state.lang.get_untracked(), d.shift?.km, 1)
            ),
        })
    })
}

/// The heatmap's input when it is switched on (untracked): the difference of the two windows
/// being compared; else the playback's window at its cursor; else the window ending a clock
/// step after the feed's clock, so that a report of now is in it.
fn heatmap_input(state: &AppState) -> Option<HeatmapInput> {
    let h = state.heatmap.get_untracked();
    if !h.enabled {
        return None;
    }
    let shown = state.heatmap_shown;
    // The engine's part, loaded on first use: drawn again (the recompose effect tracks
    // `heat_engine`) once it is there, or the panel says it could not be fetched and asks
    // again only when told to (a retry resets `heat_engine`: `split::keep_trying`), never frame
    // by frame.
    let engine = state.heat_engine;
    if engine.get_untracked() == Some(false) {
        return None;
    }
    let compute = crate::render::heatmap::engine(move |loaded| {
        let _ = engine.try_set(Some(loaded));
    })?;
    let shows = match (
        state.compare.get_untracked(),
        state.playback.get_untracked(),
    ) {
        (Some(c), _) => HeatShows::Difference { a: c.a, b: c.b },
        (None, Some(p)) => HeatShows::Window(p.window()),
        (None, None) => HeatShows::Window(
            h.window
                .at(state.incidents.clock.get_untracked() + CLOCK_STEP_MS),
        ),
    };
    Some(HeatmapInput {
        history: state.history.shared()?,
        revision: state.history.revision.get_untracked(),
        shows,
        filter: state.incidents.filter.get_untracked(),
        bandwidth_m: h.bandwidth.metres(),
        resolution: h.resolution,
        scale: match h.scale {
            ScaleMode::Fixed => Scale::Fixed(h.fixed_max_per_km2),
            ScaleMode::Relative => Scale::Relative,
        },
        weighting: h.weighting,
        publish: std::rc::Rc::new(move |s| {
            if shown.try_get_untracked() != Some(Some(s)) {
                shown.try_set(Some(s));
            }
        }),
        compute,
    })
}

/// The scene with the zones (unless the zones layer is off; loaded and drawn ones, less the
/// one being reshaped) and, when fences and cameras are both shown, the fence stretches no
/// camera sees.
fn with_geofence(state: &AppState, mut scene: Scene) -> Scene {
    if state.zones_on.get_untracked()
        && let Some(z) = state.geofence.map_zones.get_untracked()
    {
        scene.zones = Some((z.set, z.version));
    }
    if let Some(crate::geofence::ActiveZones { config, .. }) = state.geofence.active.get_untracked()
    {
        let fences = state.layer_untracked(LayerId::Fences);
        let cameras = state.layer_untracked(LayerId::Cameras);
        if scene.visibility.get(LayerId::Fences)
            && scene.visibility.get(LayerId::Cameras)
            && let (Some(f), Some(c)) = (fences.data(), cameras.data())
        {
            let versions = (fences.version(), cameras.version());
            scene.gaps = state
                .geofence
                .gaps(f, c, versions, config.gap_spacing_m)
                .map(|g| {
                    (
                        g,
                        versions.0 ^ versions.1.rotate_left(32) ^ config.gap_spacing_m.to_bits(),
                    )
                });
        }
    }
    scene
}
