//! Drawing one layer onto a 2D canvas context.
//!
//! Geometry arrives in EPSG:3857 metres and is projected here (through `core::scene`) to device
//! px of the target bitmap; style sizes are CSS px multiplied by the view's device pixel ratio.
//! All text drawn here goes through `fillText`, never through HTML.

use wasm_bindgen::JsValue;
use web_sys::{CanvasRenderingContext2d, CanvasWindingRule};

use crate::core::basemap::Outlines;
use crate::core::cluster::{Cluster, cluster_at, grid_clusters, merge_overlapping};
use crate::core::labels::{LabelCandidate, place_label_groups};
use crate::core::model::{Feature, FeatureKind, FenceKind, LayerData, PortKind, Shape};
use crate::core::scene::{is_visible, project_path, project_point};
use crate::core::units::Mercator;
use crate::core::viewport::Viewport;
use crate::render::style::{self, PortIcon};

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

    fn path<P: Copy + Into<Mercator>>(&mut self, points: &[P], close: bool) {
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
            if let Shape::Polygon(_) = s {
                s.paths().for_each(|r| pen.path(&r.0, true));
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
                    Shape::Line(points) => pen.path(&points.0, false),
                    Shape::Polygon(_) => s.paths().for_each(|r| pen.path(&r.0, true)),
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

/// Below this zoom, cameras are drawn as clusters (a badge with a count) without sectors.
pub const CLUSTER_BELOW_ZOOM: f64 = 12.0;
/// Grid cell for camera clusters, CSS px.
const CLUSTER_CELL_CSS: f64 = 44.0;

/// Badge radius for a cluster of `count` cameras, CSS px.
pub fn cluster_radius(count: usize) -> f64 {
    9.0 + 3.0 * (count.max(1) as f64).log2()
}

/// The on-screen cameras of `data` grouped into clusters (CSS px), at any zoom.
pub fn camera_clusters(data: &LayerData, view: &Viewport) -> Vec<Cluster> {
    let (w, h) = (view.width_css(), view.height_css());
    let points = data
        .features
        .iter()
        .enumerate()
        .filter_map(|(i, f)| match &f.kind {
            FeatureKind::Camera(c) => {
                let (x, y) = view.world_to_screen(crate::core::projection::to_mercator(c.position));
                (x > -50.0 && y > -50.0 && x < w + 50.0 && y < h + 50.0).then_some((i, x, y))
            }
            _ => None,
        });
    merge_overlapping(grid_clusters(points, CLUSTER_CELL_CSS), cluster_radius, 2.0)
}

/// The cluster badge of two or more cameras under (x, y) CSS px, when cameras are clustered.
pub fn camera_cluster_at(data: &LayerData, view: &Viewport, x: f64, y: f64) -> Option<Cluster> {
    if view.zoom().get() >= CLUSTER_BELOW_ZOOM {
        return None;
    }
    let clusters: Vec<Cluster> = camera_clusters(data, view)
        .into_iter()
        .filter(|c| c.count() > 1)
        .collect();
    let max_r = clusters
        .iter()
        .map(|c| cluster_radius(c.count()))
        .fold(0.0, f64::max);
    cluster_at(&clusters, x, y, max_r)
        .filter(|c| ((c.x - x).powi(2) + (c.y - y).powi(2)).sqrt() <= cluster_radius(c.count()))
        .cloned()
}

/// Camera fields of view (true ground sectors) and camera icons; clusters when zoomed out.
pub fn cameras(pen: &mut Pen, data: &LayerData) -> usize {
    if pen.view.zoom().get() < CLUSTER_BELOW_ZOOM {
        return camera_badges(pen, data);
    }
    let ctx = pen.ctx;
    let dpr = pen.dpr();
    ctx.begin_path();
    for f in visible_features(data, pen.view) {
        if let FeatureKind::Camera(cam) = &f.kind {
            pen.path(&cam.sector.exterior().0, true);
        }
    }
    ctx.set_fill_style_str(style::CAMERA_SECTOR_FILL);
    ctx.fill();
    pen.stroke(style::CAMERA_SECTOR_STROKE, 1.0);

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
        camera_icon(ctx, x as f64, y as f64, r, Some(cam.bearing.degrees()), dpr);
    }
    drawn
}

/// A camera dot with an optional direction tick along `bearing_deg`; device px.
fn camera_icon(
    ctx: &CanvasRenderingContext2d,
    x: f64,
    y: f64,
    r: f64,
    bearing_deg: Option<f64>,
    dpr: f64,
) {
    if let Some(b) = bearing_deg.map(f64::to_radians) {
        // Screen y grows downwards.
        ctx.begin_path();
        ctx.move_to(x, y);
        ctx.line_to(x + b.sin() * r * 2.4, y - b.cos() * r * 2.4);
        ctx.set_stroke_style_str(style::CAMERA);
        ctx.set_line_width(2.0 * dpr);
        ctx.stroke();
    }
    ctx.begin_path();
    let _ = ctx.arc(x, y, r, 0.0, std::f64::consts::TAU);
    ctx.set_fill_style_str(style::CAMERA);
    ctx.fill();
    ctx.set_stroke_style_str(style::LABEL_HALO);
    ctx.set_line_width(1.5 * dpr);
    ctx.stroke();
}

fn camera_badges(pen: &mut Pen, data: &LayerData) -> usize {
    let ctx = pen.ctx;
    let dpr = pen.dpr();
    let clusters = camera_clusters(data, pen.view);
    let mut drawn = 0;
    for c in &clusters {
        drawn += c.count();
        let (x, y) = (c.x * dpr, c.y * dpr);
        if c.count() == 1 {
            camera_icon(ctx, x, y, 3.5 * dpr, None, dpr);
            continue;
        }
        let r = cluster_radius(c.count()) * dpr;
        ctx.begin_path();
        let _ = ctx.arc(x, y, r, 0.0, std::f64::consts::TAU);
        // Translucent, so port icons and fences under it still show; the count is a pill
        // drawn with the labels, on top.
        ctx.set_fill_style_str(style::CAMERA_CLUSTER_FILL);
        ctx.fill();
        ctx.set_stroke_style_str(style::CAMERA);
        ctx.set_line_width(2.0 * dpr);
        ctx.stroke();
    }
    drawn
}

/// Where a cluster's count pill sits: its top-right, CSS px (left edge, vertical centre).
fn count_pill_anchor(c: &Cluster) -> (f64, f64) {
    let r = cluster_radius(c.count());
    (c.x + r * 0.55, c.y - r * 0.75)
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
            if let Shape::Polygon(_) = s {
                ctx.begin_path();
                s.paths().for_each(|r| pen.path(&r.0, true));
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
                let [x, y] = project_point((*m).into(), pen.view);
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

/// Names of ports (always) and cameras (close in), placed without collisions, each trying
/// right, left, above and below its icon; when cameras are clustered, their count pills, which
/// are always drawn and which the names avoid. No name goes under a `reserved` panel
/// (`[x, y, w, h]` CSS px).
pub fn labels(
    pen: &mut Pen,
    ports: Option<&LayerData>,
    cameras: Option<&LayerData>,
    reserved: &[[f64; 4]],
) {
    let ctx = pen.ctx;
    let dpr = pen.dpr();
    let font_px = style::LABEL_PX * dpr;
    ctx.set_font(&format!(
        "600 {font_px}px system-ui, 'Segoe UI', Roboto, sans-serif"
    ));
    ctx.set_text_baseline("middle");
    let height = style::LABEL_PX + 4.0;
    // Count pills first: top priority, so they are placed and the names go round them.
    let mut pills: Vec<(String, LabelCandidate)> = Vec::new();
    if let Some(data) = cameras
        && pen.view.zoom().get() < CLUSTER_BELOW_ZOOM
    {
        for c in camera_clusters(data, pen.view)
            .iter()
            .filter(|c| c.count() > 1)
        {
            let text = c.count().to_string();
            let (x, y) = count_pill_anchor(c);
            let width = ctx.measure_text(&text).map(|t| t.width()).unwrap_or(0.0) / dpr + 10.0;
            let cand = LabelCandidate {
                x,
                y,
                width,
                height: height + 2.0,
                priority: i32::MAX,
            };
            pills.push((text, cand));
        }
    }
    let mut names: Vec<(String, [LabelCandidate; 4])> = Vec::new();
    let mut push = |name: &str, m: Mercator, priority: i32, offset: f64| {
        let (x, y) = pen.view.world_to_screen(m);
        let width = ctx.measure_text(name).map(|t| t.width()).unwrap_or(0.0) / dpr + 4.0;
        let at = |x: f64, y: f64| LabelCandidate {
            x,
            y,
            width,
            height,
            priority,
        };
        names.push((
            name.to_string(),
            [
                at(x + offset, y),
                at(x - offset - width, y),
                at(x - width / 2.0, y - offset - height / 2.0),
                at(x - width / 2.0, y + offset + height / 2.0),
            ],
        ));
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
                Shape::Point(m) => Some(Mercator::from(*m)),
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
    // Panels block labels like placed labels do: top priority, never drawn.
    let (vw, vh) = (pen.view.width_css(), pen.view.height_css());
    let blockers: Vec<LabelCandidate> = reserved
        .iter()
        .filter_map(|[x, y, w, h]| {
            let (x0, y0) = (x.max(0.0), y.max(0.0));
            let (x1, y1) = ((x + w).min(vw), (y + h).min(vh));
            (x1 > x0 && y1 > y0).then(|| LabelCandidate {
                x: x0,
                y: (y0 + y1) / 2.0,
                width: x1 - x0,
                height: y1 - y0,
                priority: i32::MAX,
            })
        })
        .collect();
    let groups: Vec<&[LabelCandidate]> = blockers
        .iter()
        .map(std::slice::from_ref)
        .chain(pills.iter().map(|(_, c)| std::slice::from_ref(c)))
        .chain(names.iter().map(|(_, alts)| alts.as_slice()))
        .collect();
    let placed = place_label_groups(&groups, pen.view.width_css(), pen.view.height_css(), 3.0);
    let placed = &placed[blockers.len()..];

    for (text, c) in &pills {
        let (x, y, w, h) = (c.x * dpr, c.y * dpr, c.width * dpr, c.height * dpr);
        ctx.begin_path();
        let _ = ctx.round_rect_with_f64(x, y - h / 2.0, w, h, h / 2.0);
        ctx.set_fill_style_str(style::CAMERA);
        ctx.fill();
        ctx.set_stroke_style_str(style::LABEL_HALO);
        ctx.set_line_width(1.5 * dpr);
        ctx.stroke();
        ctx.set_fill_style_str(style::SEA);
        let _ = ctx.fill_text(text, x + 5.0 * dpr, y + 0.5 * dpr);
    }
    ctx.set_line_join("round");
    ctx.set_line_width(3.5 * dpr);
    ctx.set_stroke_style_str(style::LABEL_HALO);
    ctx.set_fill_style_str(style::LABEL);
    for ((text, alts), alt) in names.iter().zip(&placed[pills.len()..]) {
        if let Some(c) = alt.and_then(|i| alts.get(i)) {
            let (x, y) = ((c.x + 2.0) * dpr, c.y * dpr);
            let _ = ctx.stroke_text(text, x, y);
            let _ = ctx.fill_text(text, x, y);
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
            Shape::Point(m) => points.push((*m).into()),
            Shape::Line(l) => pen.path(&l.0, false),
            Shape::Polygon(_) => s.paths().for_each(|r| pen.path(&r.0, true)),
        }
    }
    if let FeatureKind::Camera(cam) = &feature.kind {
        pen.path(&cam.sector.exterior().0, true);
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

/// A ring round the selected incident at (`x`, `y`) CSS px, on a canvas in device px.
pub fn incident_ring(ctx: &CanvasRenderingContext2d, x: f64, y: f64, dpr: f64) {
    let (x, y, r) = (x * dpr, y * dpr, 15.0 * dpr);
    ctx.begin_path();
    let _ = ctx.arc(x, y, r, 0.0, std::f64::consts::TAU);
    ctx.set_line_width(7.0 * dpr);
    ctx.set_stroke_style_str(style::LABEL_HALO);
    ctx.stroke();
    ctx.set_line_width(3.0 * dpr);
    ctx.set_stroke_style_str(style::HIGHLIGHT);
    ctx.stroke();
}

/// Geofencing zones: a faint fill by kind (holes left out) and a cased outline. Returns the
/// number of zones drawn.
pub fn zones(pen: &mut Pen, zones: &[crate::core::geofence::Zone]) -> usize {
    let ctx = pen.ctx;
    ctx.set_line_join("round");
    let visible = pen.view.visible_bounds();
    let mut drawn = 0;
    for z in zones.iter().filter(|z| z.bounds.intersects(&visible)) {
        let (stroke, fill, dash) = style::zone_style(z.kind);
        ctx.begin_path();
        for rings in &z.polygons {
            for r in rings {
                pen.path(r, true);
            }
        }
        ctx.set_fill_style_str(fill);
        ctx.fill_with_canvas_winding_rule(web_sys::CanvasWindingRule::Evenodd);
        pen.set_dash(&[]);
        pen.stroke(style::LABEL_HALO, 4.0);
        pen.set_dash(dash);
        pen.stroke(stroke, 2.0);
        pen.set_dash(&[]);
        drawn += 1;
    }
    drawn
}

/// The fence stretches no camera sees, as a thick warning stripe over the fence.
pub fn coverage_gaps(pen: &mut Pen, gaps: &crate::core::geofence::CoverageGaps) -> usize {
    let ctx = pen.ctx;
    ctx.set_line_cap("butt");
    ctx.begin_path();
    let visible = pen.view.visible_bounds();
    let mut drawn = 0;
    for g in &gaps.gaps {
        if g.path.iter().any(|p| {
            p.x >= visible.min_x
                && p.x <= visible.max_x
                && p.y >= visible.min_y
                && p.y <= visible.max_y
        }) {
            pen.path(&g.path, false);
            drawn += 1;
        }
    }
    if drawn > 0 {
        // Dotted, so it reads apart from the solid fence and wall lines under it.
        pen.set_dash(&[2.0, 5.0]);
        pen.stroke(style::LABEL_HALO, 7.0);
        pen.stroke(style::COVERAGE_GAP, 5.0);
        pen.set_dash(&[]);
    }
    ctx.set_line_cap("round");
    drawn
}
