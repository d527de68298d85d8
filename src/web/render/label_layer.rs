//! The place labels' layer on the seam (`render/layer.rs`): names of ports, from zoom 15 the
//! ids incident texts name (camera ids, fence sectors), and the camera cluster counts, placed without collisions (`draw::prepare_labels`) and drawn with a
//! dark halo. Where they are drawn depends on the display mode:
//!
//! - on the desk (and tablet), into the composite (stage `Map`), under the incident canvases:
//!   the operator points at and clicks the markers, so they stay on top, and a label a marker
//!   covers is read on the card or by zooming in;
//! - on the wall (stage `Over`), on a canvas of their own laid over the incident canvases
//!   (`data-testid="map-labels"`), so that markers never hide the place labels (issue 13: a wall
//!   is read from across the room and nobody moves a pointer over it).
//!
//! Placement runs once per view, never during a gesture: on the desk it is placed again
//! whenever the composite is redrawn (it has no key of its own); on the wall its key holds the
//! view, the ports', cameras' and fences' revisions and visibility, the panels it avoids and the whole
//! wall's view, and during a pan, zoom or tour flight its canvas is moved by a CSS transform (as
//! the incident canvases are) until the sharp frame at the end places it again. On a wall of
//! several screens the labels are placed once in the whole wall's view (against the status
//! screens' panels) and each screen draws those that meet it, moved into its px: a label across
//! a seam is drawn in part on both screens, never cut off or doubled.
//!
//! Units: placement in CSS px of the view (the whole wall's on a wall of several screens), the
//! bitmaps in device px (CSS px × dpr); the canvas is placed in CSS px of the map canvas' box
//! through the CSSOM.

use std::any::Any;
use std::hash::{Hash, Hasher};

use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::core::display::DisplayMode;
use crate::core::model::LayerId;
use crate::core::viewport::{ScreenTransform, Viewport};

use super::draw::{self, Pen, PlacedLabels};
use super::layer::{LayerContext, LayerKey, MapLayer, Stage};
use super::overlay::{overlay_canvas, set_style};
use super::style;

/// The labels' own canvas on the wall, over the incident canvases.
#[derive(Default)]
struct LabelCanvas {
    /// The map canvas, in whose parent the labels' canvas goes last (`None` in native tests).
    screen: Option<HtmlCanvasElement>,
    canvas: Option<(HtmlCanvasElement, CanvasRenderingContext2d)>,
    /// The view its bitmap was drawn for.
    drawn_for: Option<Viewport>,
    /// Placed again since it was last drawn.
    fresh: bool,
    /// A gesture moved it.
    moved: bool,
}

impl LabelCanvas {
    /// Its canvas, made the first time and put last in the map canvas' parent (over the
    /// heatmap and incident canvases).
    fn canvas(&mut self) -> Option<&(HtmlCanvasElement, CanvasRenderingContext2d)> {
        if self.canvas.is_none() {
            let parent = self.screen.as_ref()?.parent_node()?;
            let (canvas, ctx) = overlay_canvas("label-overlay", "map-labels").ok()?;
            parent.append_child(&canvas).ok()?;
            self.canvas = Some((canvas, ctx));
        }
        self.canvas.as_ref()
    }

    /// Places the canvas where its content belongs in the view it was drawn for, moved by `t`
    /// (CSS px of that view to CSS px of the current one) during a gesture.
    fn place(&self, t: Option<ScreenTransform>) {
        let Some((c, _)) = &self.canvas else {
            return;
        };
        let transform = match t {
            Some(t) if t.scale != 1.0 || t.tx != 0.0 || t.ty != 0.0 => {
                format!("matrix({0}, 0, 0, {0}, {1}, {2})", t.scale, t.tx, t.ty)
            }
            _ => "none".to_string(),
        };
        set_style(c, "transform", &transform);
    }

    /// Draws `labels` for `view` on a cleared bitmap of the view's size; hidden when there is
    /// none (an empty 4K canvas would still be composited every frame).
    fn paint(&mut self, view: &Viewport, labels: Option<&PlacedLabels>) {
        let (w, h) = (view.width_px(), view.height_px());
        let Some((c, ctx)) = self.canvas() else {
            return;
        };
        let shown = labels.is_some_and(|l| !l.is_empty());
        set_style(c, "display", if shown { "block" } else { "none" });
        if c.width() != w || c.height() != h {
            c.set_width(w);
            c.set_height(h);
        } else {
            ctx.clear_rect(0.0, 0.0, f64::from(w), f64::from(h));
        }
        if let Some(l) = labels.filter(|_| shown) {
            draw::draw_labels(ctx, view.dpr(), l, style::LABEL_HALO_WALL_PX);
        }
        self.drawn_for = Some(*view);
        self.place(None);
    }
}

/// Where the labels are drawn.
enum Sink {
    /// Into the composite (desk, tablet).
    Composite,
    /// On their own canvas over the incidents (wall).
    Canvas(LabelCanvas),
}

/// The labels layer: where it draws, and the labels it placed last.
pub struct Labels {
    sink: Sink,
    placed: Option<PlacedLabels>,
    scratch: Vec<[f32; 2]>,
}

impl Labels {
    /// The labels of a map in `mode` whose canvas is `screen` (`None` in native tests).
    pub fn new(mode: DisplayMode, screen: Option<&HtmlCanvasElement>) -> Labels {
        let sink = match mode {
            DisplayMode::Wall => Sink::Canvas(LabelCanvas {
                screen: screen.cloned(),
                ..LabelCanvas::default()
            }),
            _ => Sink::Composite,
        };
        Labels {
            sink,
            placed: None,
            scratch: Vec::new(),
        }
    }

    /// The names placed last (text and box, CSS px of this screen's view), in drawing order.
    pub fn names(&self) -> Vec<(String, [f64; 4])> {
        self.placed
            .as_ref()
            .map_or_else(Vec::new, PlacedLabels::names)
    }
}

/// Places the labels for the context's view: in the whole wall's view on a wall of several
/// screens (against the panels as they stand on every status screen), then those meeting this
/// screen moved into its px.
fn place(
    scratch: &mut Vec<[f32; 2]>,
    cx: &LayerContext,
    ctx: &CanvasRenderingContext2d,
) -> PlacedLabels {
    let scene = cx.scene;
    let layers = draw::Labelled {
        ports: scene.shown(LayerId::Ports).map(|(d, _)| d),
        cameras: scene.shown(LayerId::Cameras).map(|(d, _)| d),
        fences: scene.shown(LayerId::Fences).map(|(d, _)| d),
    };
    let Some(w) = &scene.wall else {
        let mut pen = Pen {
            view: cx.view(),
            scratch,
        };
        return draw::prepare_labels(&mut pen, ctx, layers, &scene.reserved);
    };
    let reserved: Vec<[f64; 4]> = w
        .status_tiles
        .iter()
        .flat_map(|t| {
            scene.reserved.iter().map(|&[x, y, width, height]| {
                let (x, y) = w.layout.to_virtual(*t, x, y);
                [x, y, width, height]
            })
        })
        .collect();
    let mut whole = Pen {
        view: &w.whole,
        scratch,
    };
    draw::prepare_labels(&mut whole, ctx, layers, &reserved).on_tile(&w.layout, w.tile)
}

/// A hash of the view's size and place (for keys).
fn hash_view(v: &Viewport, h: &mut impl Hasher) {
    let c = v.center();
    for x in [
        c.x,
        c.y,
        v.zoom().get(),
        v.width_css(),
        v.height_css(),
        v.dpr(),
    ] {
        x.to_bits().hash(h);
    }
}

impl MapLayer for Labels {
    fn name(&self) -> &'static str {
        "labels"
    }

    fn stage(&self) -> Stage {
        match self.sink {
            Sink::Composite => Stage::Map,
            Sink::Canvas(_) => Stage::Over,
        }
    }

    /// In the composite: none (placed again whenever the composite is redrawn, against the
    /// panels of that moment; what it shows is keyed by the ports', cameras' and fences' keys). On its
    /// own canvas: the view, the ports', cameras' and fences' revisions and visibility, the panels and
    /// the whole wall's view and tiles.
    fn key(&self, cx: &LayerContext) -> Option<LayerKey> {
        if matches!(self.sink, Sink::Composite) {
            return None;
        }
        let scene = cx.scene;
        let mut data = std::hash::DefaultHasher::new();
        let mut style = std::hash::DefaultHasher::new();
        for id in [LayerId::Ports, LayerId::Cameras, LayerId::Fences] {
            scene
                .layers
                .get(crate::state::layer_index(id))
                .and_then(|l| l.as_ref())
                .map(|(_, v)| *v)
                .hash(&mut data);
            cx.visible(id).hash(&mut style);
        }
        for r in &scene.reserved {
            r.map(f64::to_bits).hash(&mut style);
        }
        if let Some(w) = &scene.wall {
            hash_view(&w.whole, &mut style);
            w.tile.hash(&mut style);
            w.status_tiles.hash(&mut style);
        }
        Some(cx.key(data.finish(), style.finish()))
    }

    fn prepare(&mut self, cx: &LayerContext, ctx: &CanvasRenderingContext2d) {
        self.placed = Some(place(&mut self.scratch, cx, ctx));
        if let Sink::Canvas(c) = &mut self.sink {
            c.fresh = true;
        }
    }

    /// Into the composite: the placed labels. On its own canvas (every settled frame): draws
    /// them when they were placed again, else puts the canvas back after a gesture that ended
    /// where it began.
    fn draw(&mut self, cx: &LayerContext, ctx: &CanvasRenderingContext2d) -> usize {
        match &mut self.sink {
            Sink::Composite => {
                if let Some(p) = &self.placed {
                    draw::draw_labels(ctx, cx.dpr(), p, style::LABEL_HALO_PX);
                }
            }
            Sink::Canvas(c) if c.fresh => {
                c.fresh = false;
                c.moved = false;
                c.paint(cx.view(), self.placed.as_ref());
            }
            Sink::Canvas(c) => {
                if c.moved {
                    c.moved = false;
                    c.place(None);
                }
            }
        }
        0
    }

    /// On its own canvas: moved with the gesture (the composite is moved the same way).
    fn follow(&mut self, view: &Viewport, _drawn_for: &Viewport) {
        if let Sink::Canvas(c) = &mut self.sink
            && let Some(drawn) = c.drawn_for
        {
            c.moved = true;
            c.place(Some(view.transform_from(&drawn)));
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
