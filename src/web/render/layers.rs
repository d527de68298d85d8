//! The map's own layers on the layer seam (`render/layer.rs`): basemap and raster tiles (base
//! bitmap); zones, fences, coverage gaps, cameras and ports (composite); the selection and the
//! zone under way (screen). The labels are `render/label_layer.rs`'s, the incidents
//! `render/incidents.rs`'s.
//!
//! Units: keys hold the view and data versions; prepared paths are device px of the view they
//! were prepared for (`render/draw.rs` projects through `core::scene`).

use std::any::Any;
use std::rc::Rc;

use web_sys::CanvasRenderingContext2d;

use crate::core::basemap::{Outlines, outlines};
use crate::core::model::LayerId;

use super::draw::{self, Pen};
use super::layer::{LayerContext, LayerKey, MapLayer, Stage};
use super::tiles::TileCache;

/// The `as_any` pair every layer implements the same way.
macro_rules! any_layer {
    () => {
        fn as_any(&self) -> &dyn Any {
            self
        }
        fn as_any_mut(&mut self) -> &mut dyn Any {
            self
        }
    };
}

/// A key of a data layer: its version and whether it is switched on.
fn data_key(cx: &LayerContext, id: LayerId) -> Option<LayerKey> {
    let version = cx
        .scene
        .layers
        .get(crate::state::layer_index(id))
        .and_then(|l| l.as_ref())
        .map_or(0, |(_, v)| *v);
    Some(cx.key(version, u64::from(cx.visible(id))))
}

/// Projects one layer's geometry for the context's view (`None`: nothing to draw); gets the
/// stage's context for measuring text.
type Prepare<P> = fn(&mut Pen, &LayerContext, &CanvasRenderingContext2d) -> Option<P>;
/// Draws what `Prepare` made; returns the number of features drawn.
type Draw<P> = fn(&CanvasRenderingContext2d, &LayerContext, &P) -> usize;

/// A vector layer of the composite or the base: its key, and what it prepared for it.
pub struct Vector<P> {
    name: &'static str,
    stage: Stage,
    key: fn(&LayerContext) -> Option<LayerKey>,
    prepare: Prepare<P>,
    draw: Draw<P>,
    prepared: Option<P>,
    scratch: Vec<[f32; 2]>,
}

impl<P> Vector<P> {
    fn new(
        name: &'static str,
        stage: Stage,
        key: fn(&LayerContext) -> Option<LayerKey>,
        prepare: Prepare<P>,
        draw: Draw<P>,
    ) -> Vector<P> {
        Vector {
            name,
            stage,
            key,
            prepare,
            draw,
            prepared: None,
            scratch: Vec::new(),
        }
    }
}

impl<P: 'static> MapLayer for Vector<P> {
    fn name(&self) -> &'static str {
        self.name
    }
    fn stage(&self) -> Stage {
        self.stage
    }
    fn key(&self, cx: &LayerContext) -> Option<LayerKey> {
        (self.key)(cx)
    }
    fn prepare(&mut self, cx: &LayerContext, ctx: &CanvasRenderingContext2d) {
        let mut pen = Pen {
            view: cx.view(),
            scratch: &mut self.scratch,
        };
        self.prepared = (self.prepare)(&mut pen, cx, ctx);
    }
    fn draw(&mut self, cx: &LayerContext, ctx: &CanvasRenderingContext2d) -> usize {
        self.prepared
            .as_ref()
            .map_or(0, |p| (self.draw)(ctx, cx, p))
    }
    any_layer!();
}

/// Sea, land, coastline and borders (the sea even without data).
#[derive(Default)]
pub struct Basemap {
    /// The coast/border split, cached per basemap version.
    outlines: Option<(u64, Outlines)>,
    paths: Option<draw::BasemapPaths>,
    scratch: Vec<[f32; 2]>,
}

impl MapLayer for Basemap {
    fn name(&self) -> &'static str {
        "basemap"
    }
    fn stage(&self) -> Stage {
        Stage::Base
    }
    fn key(&self, cx: &LayerContext) -> Option<LayerKey> {
        data_key(cx, LayerId::Basemap)
    }
    fn prepare(&mut self, cx: &LayerContext, _ctx: &CanvasRenderingContext2d) {
        self.paths = None;
        let Some((data, version)) = cx.scene.shown(LayerId::Basemap) else {
            return;
        };
        if self.outlines.as_ref().is_none_or(|(v, _)| *v != version) {
            self.outlines = Some((version, outlines(data)));
        }
        let mut pen = Pen {
            view: cx.view(),
            scratch: &mut self.scratch,
        };
        self.paths = draw::prepare_basemap(&mut pen, data, self.outlines.as_ref().map(|(_, o)| o));
    }
    fn draw(&mut self, cx: &LayerContext, ctx: &CanvasRenderingContext2d) -> usize {
        draw::draw_basemap(ctx, cx.view(), self.paths.as_ref())
    }
    any_layer!();
}

/// The optional raster tiles, drawn from their image cache (the tiles are its bitmaps).
pub struct Tiles(pub TileCache);

impl Tiles {
    /// `on_load` is called when a tile arrives (to schedule a frame).
    pub fn new(on_load: Rc<dyn Fn()>) -> Tiles {
        Tiles(TileCache::new(on_load))
    }
}

impl MapLayer for Tiles {
    fn name(&self) -> &'static str {
        "tiles"
    }
    fn stage(&self) -> Stage {
        Stage::Base
    }
    /// Switched on, and how many tiles have loaded.
    fn key(&self, cx: &LayerContext) -> Option<LayerKey> {
        let on = cx.scene.tiles.is_some();
        Some(cx.key(if on { self.0.version.get() + 1 } else { 0 }, 0))
    }
    fn draw(&mut self, cx: &LayerContext, ctx: &CanvasRenderingContext2d) -> usize {
        match &cx.scene.tiles {
            Some(source) => self.0.draw(ctx, cx.view(), source),
            None => 0,
        }
    }
    any_layer!();
}

/// Geofencing zones (when the zones layer is on).
pub fn zones() -> Vector<draw::ZonePaths> {
    Vector::new(
        "zones",
        Stage::Map,
        |cx| Some(cx.key(cx.scene.zones.as_ref().map_or(0, |(_, v)| *v), 0)),
        |pen, cx, _| {
            let (z, _) = cx.scene.zones.as_ref()?;
            Some(draw::prepare_zones(pen, &z.zones))
        },
        |ctx, cx, p| draw::draw_zones(ctx, cx.dpr(), p),
    )
}

/// Fences, styled by kind.
pub fn fences() -> Vector<draw::FencePaths> {
    Vector::new(
        "fences",
        Stage::Map,
        |cx| data_key(cx, LayerId::Fences),
        |pen, cx, _| {
            Some(draw::prepare_fences(
                pen,
                cx.scene.shown(LayerId::Fences)?.0,
            ))
        },
        |ctx, cx, p| draw::draw_fences(ctx, cx.dpr(), p),
    )
}

/// Fence stretches no camera sees (given when fences and cameras are both shown).
pub fn coverage_gaps() -> Vector<draw::GapPaths> {
    Vector::new(
        "coverage-gaps",
        Stage::Map,
        |cx| Some(cx.key(cx.scene.gaps.as_ref().map_or(0, |(_, v)| *v), 0)),
        |pen, cx, _| Some(draw::prepare_gaps(pen, &cx.scene.gaps.as_ref()?.0)),
        |ctx, cx, p| draw::draw_gaps(ctx, cx.dpr(), p),
    )
}

/// Cameras: ground sectors and icons, or cluster badges when zoomed out.
pub fn cameras() -> Vector<draw::CameraMarks> {
    Vector::new(
        "cameras",
        Stage::Map,
        |cx| data_key(cx, LayerId::Cameras),
        |pen, cx, _| {
            let data = cx.scene.shown(LayerId::Cameras)?.0;
            match &cx.scene.wall {
                // On a wall, badges are clustered once in the whole view, as the labels are.
                Some(w) if pen.view.zoom().get() < draw::CLUSTER_BELOW_ZOOM => {
                    let mut badges = draw::camera_clusters(data, &w.whole);
                    for c in &mut badges {
                        (c.x, c.y) = w.to_tile(c.x, c.y);
                    }
                    Some(draw::CameraMarks::Badges(badges))
                }
                _ => draw::prepare_cameras(pen, data),
            }
        },
        |ctx, cx, m| draw::draw_cameras(ctx, cx.dpr(), m),
    )
}

/// Port, terminal and portal areas and icons.
pub fn ports() -> Vector<draw::PortMarks> {
    Vector::new(
        "ports",
        Stage::Map,
        |cx| data_key(cx, LayerId::Ports),
        |pen, cx, _| Some(draw::prepare_ports(pen, cx.scene.shown(LayerId::Ports)?.0)),
        |ctx, cx, m| draw::draw_ports(ctx, cx.dpr(), m),
    )
}

/// The selected feature's outline and the selected incident's ring, on the screen.
#[derive(Default)]
pub struct Selection {
    scratch: Vec<[f32; 2]>,
}

impl MapLayer for Selection {
    fn name(&self) -> &'static str {
        "selection"
    }
    fn stage(&self) -> Stage {
        Stage::Screen
    }
    fn draw(&mut self, cx: &LayerContext, ctx: &CanvasRenderingContext2d) -> usize {
        let scene = cx.scene;
        if let Some(sel) = scene.selection
            && let Some((data, _)) = scene.shown(sel.layer)
            && let Some(feature) = data.features.get(sel.feature)
        {
            let mut pen = Pen {
                view: cx.view(),
                scratch: &mut self.scratch,
            };
            draw::highlight(&mut pen, ctx, feature);
        }
        if let Some(at) = scene.selected_incident {
            let (x, y) = scene.view.world_to_screen(at);
            draw::incident_ring(ctx, x, y, cx.dpr());
        }
        0
    }
    any_layer!();
}

/// The displacement arrow of a comparison (`shift_arrow.rs`), over the incidents.
#[derive(Default)]
pub struct ShiftArrowLayer;

impl MapLayer for ShiftArrowLayer {
    fn name(&self) -> &'static str {
        "shift-arrow"
    }
    fn stage(&self) -> Stage {
        Stage::Screen
    }
    fn draw(&mut self, cx: &LayerContext, ctx: &CanvasRenderingContext2d) -> usize {
        let Some(arrow) = &cx.scene.shift_arrow else {
            return 0;
        };
        super::shift_arrow::draw(ctx, cx.view(), arrow, cx.dpr());
        1
    }
    any_layer!();
}

/// The device's position and its accuracy circle (`device_position.rs`), over the incidents.
#[derive(Default)]
pub struct DevicePositionLayer;

impl MapLayer for DevicePositionLayer {
    fn name(&self) -> &'static str {
        "device-position"
    }
    fn stage(&self) -> Stage {
        Stage::Screen
    }
    fn draw(&mut self, cx: &LayerContext, ctx: &CanvasRenderingContext2d) -> usize {
        let Some(mark) = &cx.scene.device else {
            return 0;
        };
        super::device_position::draw(ctx, cx.view(), mark);
        1
    }
    any_layer!();
}

/// The zone being drawn or reshaped, over everything.
#[derive(Default)]
pub struct Draft;

impl MapLayer for Draft {
    fn name(&self) -> &'static str {
        "zone-draft"
    }
    fn stage(&self) -> Stage {
        Stage::Screen
    }
    fn draw(&mut self, cx: &LayerContext, ctx: &CanvasRenderingContext2d) -> usize {
        if let Some(d) = &cx.scene.draft {
            super::draft::draw(ctx, cx.view(), d);
        }
        0
    }
    any_layer!();
}
