//! Drawing one layer onto a 2D canvas context.
//!
//! Geometry arrives in EPSG:3857 metres and is projected here (through `core::scene`) to device
//! px of the target bitmap; style sizes are CSS px multiplied by the view's device pixel ratio.
//! All text drawn here goes through `fillText`, never through HTML.

use wasm_bindgen::JsValue;
use web_sys::{CanvasRenderingContext2d, CanvasWindingRule};

use crate::core::basemap::Outlines;
use crate::core::labels::{LabelCandidate, place_labels};
use crate::core::model::{Feature, FeatureKind, FenceKind, LayerData, PortKind, Shape};
use crate::core::scene::{is_visible, project_path, project_point};
use crate::core::units::Mercator;
use crate::core::viewport::Viewport;
use crate::web::render::style::{self, PortIcon};

/// Simplification step for projected paths, in device px.
const MIN_STEP_PX: f64 = 0.75;

/// A context plus the view it draws for and a reusable point buffer.
pub struct Pen<'a> {
    pub ctx: &'a CanvasRenderingContext2d,
    pub view: &'a Viewport,
    pub scratch: &'a mut Vec<[f32; 2]>,
}

impl Pen<'_> {
    fn dpr(&self) -> f64 {
        self.view.dpr()
    }

    fn path(&mut self, points: &[Mercator], close: bool) {
        self.scratch.clear();
        project_path(points, self.view, MIN_STEP_PX, self.scratch);
        let mut it = self.scratch.iter();
        if let Some(p) = it.next() {
            self.ctx.move_to(p[0] as f64, p[1] as f64);
            for p in it {
                self.ctx.line_to(p[0] as f64, p[1] as f64);
            }
            if close {
                self.ctx.close_path();
            }
        }
    }

    fn set_dash(&self, dash_css: &[f64]) {
        let arr = js_sys::Array::new();
        for d in dash_css {
            arr.push(&JsValue::from_f64(d * self.dpr()));
        }
        let _ = self.ctx.set_line_dash(&arr);
    }

    fn stroke(&self, colour: &str, width_css: f64) {
        self.ctx.set_stroke_style_str(colour);
        self.ctx.set_line_width(width_css * self.dpr());
        self.ctx.stroke();
    }
}

/// Sea, land, coastline and borders. Returns the number of features drawn.
pub fn basemap(pen: &mut Pen, data: Option<&LayerData>, outlines: Option<&Outlines>) -> usize {
    let ctx = pen.ctx;
    let (w, h) = (pen.view.width_px() as f64, pen.view.height_px() as f64);
    ctx.set_fill_style_str(style::SEA);
    ctx.fill_rect(0.0, 0.0, w, h);
    let Some(data) = data else { return 0 };
    ctx.set_line_join("round");
    ctx.set_line_cap("round");
    ctx.begin_path();
    let mut drawn = 0;
    for f in &data.features {
        if !is_visible(&f.bounds, pen.view, 0.0) {
            continue;
        }
        drawn += 1;
        for s in &f.shapes {
            if let Shape::Polygon(rings) = s {
                for r in rings {
                    pen.path(r, true);
                }
            }
        }
    }
    ctx.set_fill_style_str(style::LAND);
    ctx.fill_with_canvas_winding_rule(CanvasWindingRule::Evenodd);
    if let Some(o) = outlines {
        ctx.begin_path();
        for line in &o.coast {
            pen.path(line, false);
        }
        pen.stroke(style::COAST, 1.2);
        ctx.begin_path();
        for line in &o.borders {
            pen.path(line, false);
        }
        pen.set_dash(&[7.0, 4.0]);
        pen.stroke(style::BORDER, 1.4);
        pen.set_dash(&[]);
    }
    drawn
}

fn visible_features<'d>(data: &'d LayerData, view: &Viewport) -> impl Iterator<Item = &'d Feature> {
    data.features
        .iter()
        .filter(move |f| is_visible(&f.bounds, view, 40.0))
}

/// Fences, styled by kind, with a dark casing so they read on land and sea.
pub fn fences(pen: &mut Pen, data: &LayerData) -> usize {
    let ctx = pen.ctx;
    ctx.set_line_join("round");
    ctx.set_line_cap("round");
    let mut drawn = 0;
    for kind in FenceKind::ALL {
        let (colour, width, dash) = style::fence_style(kind);
        ctx.begin_path();
        let mut any = false;
        for f in visible_features(data, pen.view) {
            if f.kind != FeatureKind::Fence(kind) {
                continue;
            }
            any = true;
            drawn += 1;
            for s in &f.shapes {
                match s {
                    Shape::Line(points) => pen.path(points, false),
                    Shape::Polygon(rings) => rings.iter().for_each(|r| pen.path(r, true)),
                    Shape::Point(_) => {}
                }
            }
        }
        if !any {
            continue;
        }
        pen.set_dash(&[]);
        pen.stroke(style::LABEL_HALO, width + 2.5);
        pen.set_dash(dash);
        pen.stroke(colour, width);
        pen.set_dash(&[]);
    }
    drawn
}

/// Camera fields of view (true ground sectors) and camera icons.
pub fn cameras(pen: &mut Pen, data: &LayerData) -> usize {
    let ctx = pen.ctx;
    let dpr = pen.dpr();
    ctx.begin_path();
    for f in visible_features(data, pen.view) {
        if let FeatureKind::Camera(cam) = &f.kind {
            pen.path(&cam.sector, true);
        }
    }
    ctx.set_fill_style_str(style::CAMERA_SECTOR_FILL);
    ctx.fill();
    pen.stroke(style::CAMERA_SECTOR_STROKE, 1.0);

    // Icons shrink when zoomed out so a site's cameras do not merge into a blob.
    let r = if pen.view.zoom().get() >= 14.0 {
        5.0
    } else {
        3.5
    } * dpr;
    let mut drawn = 0;
    for f in visible_features(data, pen.view) {
        let FeatureKind::Camera(cam) = &f.kind else {
            continue;
        };
        drawn += 1;
        let [x, y] = project_point(crate::core::projection::to_mercator(cam.position), pen.view);
        let (x, y) = (x as f64, y as f64);
        // Direction tick along the bearing (screen y grows downwards).
        let b = cam.bearing.degrees().to_radians();
        ctx.begin_path();
        ctx.move_to(x, y);
        ctx.line_to(x + b.sin() * r * 2.4, y - b.cos() * r * 2.4);
        ctx.set_stroke_style_str(style::CAMERA);
        ctx.set_line_width(2.0 * dpr);
        ctx.stroke();
        ctx.begin_path();
        let _ = ctx.arc(x, y, r, 0.0, std::f64::consts::TAU);
        ctx.set_fill_style_str(style::CAMERA);
        ctx.fill();
        ctx.set_stroke_style_str(style::LABEL_HALO);
        ctx.set_line_width(1.5 * dpr);
        ctx.stroke();
    }
    drawn
}

/// Port, terminal and portal areas and icons.
pub fn ports(pen: &mut Pen, data: &LayerData) -> usize {
    let ctx = pen.ctx;
    let dpr = pen.dpr();
    let mut drawn = 0;
    for f in visible_features(data, pen.view) {
        let FeatureKind::Port(kind) = f.kind else {
            continue;
        };
        drawn += 1;
        let (colour, _) = style::port_style(kind);
        for s in &f.shapes {
            if let Shape::Polygon(rings) = s {
                ctx.begin_path();
                rings.iter().for_each(|r| pen.path(r, true));
                ctx.set_fill_style_str(style::port_area_fill(kind));
                ctx.fill_with_canvas_winding_rule(CanvasWindingRule::Evenodd);
                pen.set_dash(&[5.0, 3.0]);
                pen.stroke(colour, 1.5);
                pen.set_dash(&[]);
            }
        }
    }
    for f in visible_features(data, pen.view) {
        let FeatureKind::Port(kind) = f.kind else {
            continue;
        };
        for s in &f.shapes {
            if let Shape::Point(m) = s {
                let [x, y] = project_point(*m, pen.view);
                port_icon(ctx, kind, x as f64, y as f64, 7.0 * dpr);
            }
        }
    }
    drawn
}

/// Draws a port icon of radius `r` device px centred on (x, y).
pub fn port_icon(ctx: &CanvasRenderingContext2d, kind: PortKind, x: f64, y: f64, r: f64) {
    let (colour, icon) = style::port_style(kind);
    ctx.begin_path();
    match icon {
        PortIcon::Square => ctx.rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7),
        PortIcon::Triangle => {
            ctx.move_to(x, y - r);
            ctx.line_to(x + r * 0.95, y + r * 0.75);
            ctx.line_to(x - r * 0.95, y + r * 0.75);
            ctx.close_path();
        }
        PortIcon::Circle | PortIcon::Anchor => {
            let _ = ctx.arc(x, y, r * 0.8, 0.0, std::f64::consts::TAU);
        }
    }
    ctx.set_fill_style_str(colour);
    ctx.fill();
    ctx.set_stroke_style_str(style::LABEL_HALO);
    ctx.set_line_width(r * 0.3);
    ctx.stroke();
    if icon == PortIcon::Anchor {
        // A stylised anchor: shank and crown, dark on the white disc.
        ctx.begin_path();
        ctx.move_to(x, y - r * 0.55);
        ctx.line_to(x, y + r * 0.5);
        ctx.move_to(x - r * 0.45, y + r * 0.1);
        let _ = ctx.arc(x, y + r * 0.05, r * 0.45, std::f64::consts::PI, 0.0);
        ctx.set_stroke_style_str(style::SEA);
        ctx.set_line_width(r * 0.22);
        ctx.stroke();
    }
}

/// Names of ports (always) and cameras (close in), placed without collisions.
pub fn labels(pen: &mut Pen, ports: Option<&LayerData>, cameras: Option<&LayerData>) {
    let ctx = pen.ctx;
    let dpr = pen.dpr();
    let font_px = style::LABEL_PX * dpr;
    ctx.set_font(&format!(
        "600 {font_px}px system-ui, 'Segoe UI', Roboto, sans-serif"
    ));
    ctx.set_text_baseline("middle");
    let mut texts: Vec<(String, f64, f64)> = Vec::new();
    let mut cands: Vec<LabelCandidate> = Vec::new();
    let mut push = |name: &str, m: Mercator, priority: i32, offset_css: f64| {
        let (x, y) = pen.view.world_to_screen(m);
        let width = ctx.measure_text(name).map(|t| t.width()).unwrap_or(0.0) / dpr;
        cands.push(LabelCandidate {
            x: x + offset_css,
            y,
            width: width + 4.0,
            height: style::LABEL_PX + 4.0,
            priority,
        });
        texts.push((name.to_string(), x + offset_css + 2.0, y));
    };
    if let Some(data) = ports {
        for f in visible_features(data, pen.view) {
            let (FeatureKind::Port(kind), Some(name)) = (&f.kind, &f.name) else {
                continue;
            };
            let priority = match kind {
                PortKind::FerryPort | PortKind::RailTerminal => 30,
                PortKind::TunnelPortal => 20,
                _ => 10,
            };
            let at = f.shapes.iter().find_map(|s| match s {
                Shape::Point(m) => Some(*m),
                _ => None,
            });
            // Areas are labelled at their centre, below point labels.
            let (m, priority) = at.map_or((f.bounds.center(), priority - 5), |m| (m, priority));
            push(name, m, priority, 10.0);
        }
    }
    if let Some(data) = cameras
        && pen.view.zoom().get() >= 15.5
    {
        for f in visible_features(data, pen.view) {
            if let (FeatureKind::Camera(cam), Some(name)) = (&f.kind, &f.name) {
                push(
                    name,
                    crate::core::projection::to_mercator(cam.position),
                    0,
                    8.0,
                );
            }
        }
    }
    let placed = place_labels(&cands, pen.view.width_css(), pen.view.height_css(), 3.0);
    ctx.set_line_join("round");
    ctx.set_line_width(3.5 * dpr);
    ctx.set_stroke_style_str(style::LABEL_HALO);
    ctx.set_fill_style_str(style::LABEL);
    for ((text, x, y), ok) in texts.iter().zip(placed) {
        if ok {
            let _ = ctx.stroke_text(text, x * dpr, y * dpr);
            let _ = ctx.fill_text(text, x * dpr, y * dpr);
        }
    }
}

/// The selected feature's outline, drawn on top of everything.
pub fn highlight(pen: &mut Pen, feature: &Feature) {
    let ctx = pen.ctx;
    let dpr = pen.dpr();
    ctx.begin_path();
    let mut points: Vec<Mercator> = Vec::new();
    for s in &feature.shapes {
        match s {
            Shape::Point(m) => points.push(*m),
            Shape::Line(l) => pen.path(l, false),
            Shape::Polygon(rings) => rings.iter().for_each(|r| pen.path(r, true)),
        }
    }
    if let FeatureKind::Camera(cam) = &feature.kind {
        pen.path(&cam.sector, true);
        points.push(crate::core::projection::to_mercator(cam.position));
    }
    for m in points {
        let [x, y] = project_point(m, pen.view);
        ctx.move_to(x as f64 + 11.0 * dpr, y as f64);
        let _ = ctx.arc(x as f64, y as f64, 11.0 * dpr, 0.0, std::f64::consts::TAU);
    }
    pen.stroke(style::LABEL_HALO, 6.0);
    pen.stroke(style::HIGHLIGHT, 2.5);
}
